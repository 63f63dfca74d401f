"""URL templates: a detail route reversed once, with "{}" where its one argument goes.

reverse() per row costs more than the rest of a row's rendering or serialising, so list
pages, exports and the API reverse a route once with a sentinel argument and format the
result per row. The one home of that trick.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

SENTINEL = "987654321"


@lru_cache(maxsize=64)
def _template(name, prefix, urlconf):
    return reverse(name, args=[int(SENTINEL)]).replace(SENTINEL, "{}")


def url_template(name):
    """The path of route `name` with "{}" for its one id or slug argument (cached per urlconf)."""
    return _template(name, get_script_prefix(), get_urlconf())


def url_for(name, arg):
    """`reverse(name, args=[arg])` for a URL with one id or slug argument, from a template reversed once.

    >>> url_for("claim-detail", 42)
    '/claims/42/'
    """
    return url_template(name).format(arg)


def absolute_url_template(request, name):
    """Absolute URL of route `name` with "{}" for its argument. The sentinel is swapped
    after build_absolute_uri, which would percent-encode the braces."""
    return request.build_absolute_uri(url_for(name, SENTINEL)).replace(SENTINEL, "{}")
