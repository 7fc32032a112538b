"""Choosing between a whole page and one of its partials for htmx requests."""


def page_or_fragment(request, template, fragment):
    """`template`, or its partial `fragment` when htmx asks to swap only part of the page.

    A history restore (back or forward after htmx navigation, with the page not cached)
    replaces the whole document, so it gets the whole page.
    """
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{fragment}"
    return template
