"""Reversing URL names whose arguments are ids, worked out once per name.

Django's reverse() checks the arguments against every pattern of the name on each call, about
30 µs. The claim page reverses some 35 URLs a load, mostly the same dozen names with the
claim's or a citation's id. Here each name is reversed once with stand-in numbers; later calls
put the real ids where the stand-ins were. Any other call (no stand-ins found, an argument that
is not a non-negative int, a name that does not reverse) goes to reverse() itself, so the answer
and the errors are always reverse()'s.
"""

import functools

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Numbers no real path part would hold by chance; every URL converter that takes an id (int,
# slug, str, path) takes them.
_STAND_INS = tuple(7_310_000_000_000 + 7_919 * place for place in range(1, 6))


def reverse_ids(name, *ids):
    """reverse(name, args=ids), faster when every id is a non-negative int."""
    if len(ids) <= len(_STAND_INS) and all(type(value) is int and value >= 0 for value in ids):
        pieces = _pieces(name, len(ids), get_script_prefix(), get_urlconf())
        if pieces is not None:
            return "".join(_interleave(pieces, ids))
    return reverse(name, args=ids)


def _interleave(pieces, ids):
    yield pieces[0]
    for value, piece in zip(ids, pieces[1:], strict=True):
        yield str(value)
        yield piece


@functools.lru_cache(maxsize=512)
def _pieces(name, count, prefix, urlconf):
    """The path of `name` cut where its `count` arguments go, or None if it cannot be.

    `prefix` and `urlconf` are part of the key: reverse() puts the script prefix in front and
    may read another urlconf for this thread.
    """
    stand_ins = [str(number) for number in _STAND_INS[:count]]
    try:
        path = reverse(name, args=_STAND_INS[:count], urlconf=urlconf)
    except NoReverseMatch:
        return None
    pieces = []
    rest = path
    for stand_in in stand_ins:
        before, found, rest = rest.partition(stand_in)
        if not found:
            return None
        pieces.append(before)
    pieces.append(rest)
    # Each stand-in exactly once, where an argument went.
    if any(stand_in in piece for piece in pieces for stand_in in stand_ins):
        return None
    return tuple(pieces)
