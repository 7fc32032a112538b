"""Choosing between a whole page and one of its partials for htmx requests.

Every view that answers with a partial picks it here, GET or POST, so the rule lives in one
place: htmx asked for part of a page, and it is not a history restore.
"""


def wants_fragment(request):
    """Whether htmx asked to swap only part of the page.

    A history restore (back or forward after htmx navigation, with the page not cached)
    replaces the whole document, so it wants the whole page. A POST is never a restore.
    """
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_or_fragment(request, template, fragment=None):
    """`template`, or its partial `fragment` when htmx asks for part of the page.

    With no `fragment` the whole page is the answer either way.
    """
    if fragment and wants_fragment(request):
        return f"{template}#{fragment}"
    return template
