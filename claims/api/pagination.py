"""Cursor pages: stable under inserts, and no count of a large table per request."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("pk",)


def page(request, queryset, serializer_class, *, ordering=None, context=None):
    """The paginated response of `queryset` in `ordering` (a tuple of fields, the first
    one's value positions the cursor), each row through `serializer_class`."""
    paginator = Cursor()
    if ordering:
        paginator.ordering = tuple(ordering)
    rows = paginator.paginate_queryset(queryset, request)
    data = serializer_class(rows, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)
