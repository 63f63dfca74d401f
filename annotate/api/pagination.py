from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pagination on (id): stable under inserts, O(1) per page via the primary key index."""

    ordering = ("id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class BulkCursorPagination(StableCursorPagination):
    """Claims and verdicts: clients pull whole articles (10,000 claims), so pages may be large.

    Rows are built from `.values()` without per-field serialisation, so a 5,000-item page
    stays in the tens of milliseconds.
    """

    max_page_size = 5000
