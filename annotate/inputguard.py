"""Characters no stored text may hold: refused at the door with a 400 that says which and where.

PostgreSQL text cannot store a NUL (U+0000), and a lone surrogate (U+D800–U+DFFF without
its pair, which JSON's "\\ud800" escape can carry) cannot be encoded as UTF-8 at all: both
used to surface as 500s deep in a write. Query strings and form bodies are checked by
`BadCharacterMiddleware` before any view runs; JSON and other API bodies by the DRF parsers
below (DRF parses PUT/PATCH bodies itself, where Django's request.POST never looks). Page
forms need no more: Django's form CharFields refuse a NUL with an inline message ("Null
characters are not allowed."), and a form body is UTF-8 decoded with replacement, so no
lone surrogate can arrive there.
Valid surrogate pairs are joined into one character by the JSON decoder, so emoji pass.
"""

import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from rest_framework import parsers
from rest_framework.exceptions import ParseError

_BAD = re.compile("[\x00\ud800-\udfff]")


def describe(char):
    if char == "\x00":
        return "a NUL character (U+0000)"  # worded as Django's own validator, below
    return f"a lone surrogate (U+{ord(char):04X}), which is not a valid character"


def find_bad_character(data, where=""):
    """(where, description) of the first NUL or lone surrogate in `data` (str, dict, list, QueryDict), else None."""
    if isinstance(data, str):
        match = _BAD.search(data)
        return (where, describe(match.group())) if match else None
    if hasattr(data, "lists"):  # QueryDict / MultiValueDict: every value of every key
        data = dict(data.lists())
    if isinstance(data, dict):
        for key, value in data.items():
            found = find_bad_character(str(key), where) or find_bad_character(value, f"{where}.{key}" if where else str(key))
            if found:
                return found
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            found = find_bad_character(value, f"{where}[{index}]" if where else f"[{index}]")
            if found:
                return found
    return None


def message(found):
    where, what = found
    place = f' in "{where}"' if where else ""
    lead = "Null characters are not allowed: t" if what.startswith("a NUL") else "Surrogate characters are not allowed: t"
    return f"{lead}he request contains {what}{place}. Remove it and send again; nothing was saved."


class BadCharacterMiddleware:
    """400 for a NUL in the query string, pages and API alike (views read request.GET directly)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = find_bad_character(request.GET)
        if found is not None:
            if request.path.startswith("/api/"):
                # Shaped as the API's other query-parameter errors (django-filter's): {parameter: [messages]}.
                parameter = found[0].split("[", 1)[0] or "query"
                return JsonResponse({parameter: [message(found)]}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", {"message": message(found)}))
        return self.get_response(request)


class _Checked:
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        data = getattr(parsed, "data", parsed)  # multipart answers DataAndFiles
        found = find_bad_character(data)
        if found is not None:
            raise ParseError(message(found))
        return parsed


class JSONParser(_Checked, parsers.JSONParser):
    pass


class FormParser(_Checked, parsers.FormParser):
    pass


class MultiPartParser(_Checked, parsers.MultiPartParser):
    pass
