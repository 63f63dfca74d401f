"""JSON Schema format checks for the tests: "uri" and "date-time" need optional packages
in jsonschema, so they are defined here (an absolute IRI; an RFC 3339 timestamp)."""

import datetime
import re
from urllib.parse import urlsplit

from jsonschema import FormatChecker

formats = FormatChecker()


@formats.checks("uri")
def is_uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme)) and bool(parts.netloc or parts.path) and not re.search(r"\s", value)


@formats.checks("date-time", raises=ValueError)
def is_datetime(value):
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        return False
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@formats.checks("date", raises=ValueError)
def is_date(value):
    if not isinstance(value, str):
        return True
    return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", value)) and bool(datetime.date.fromisoformat(value))
