"""What every export format shares: compact JSON, the one timestamp format, and keyset batches."""

import json



CHUNK_SIZE = 2000  # rows fetched per round trip of the server-side cursor
FLUSH_ROWS = 200  # rows written per streamed chunk (tens of KB)

# JSON for one row: the C encoder, built once (json.dumps would build one per call).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def encode_json(data):
    """Compact JSON, non-ASCII kept: how every export writes an object."""
    return _encode(data)


def iso(value):
    """A datetime or date in ISO 8601 ("2025-05-01T08:00:00.123456+00:00"); None stays None.

    The one timestamp format of the API and the exports: what PostgreSQL's JSON writes,
    what sqljson.IsoText writes, and what Python's isoformat() writes for UTC values.
    """
    return None if value is None else value.isoformat()


def in_batches(queryset, size=1000):
    """Lists of objects (or rows) by ascending id, `size` at a time: keyset pagination, constant memory."""
    last = None
    while True:
        page = queryset.order_by("id")
        if last is not None:
            page = page.filter(id__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1]["id"] if isinstance(batch[-1], dict) else batch[-1].pk
        if len(batch) < size:
            return
