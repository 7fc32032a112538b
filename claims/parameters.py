"""Whole numbers from query strings and posts, read without ever raising.

`str.isdigit()` is no guard for `int()`: it accepts "²" and other digits int() refuses, and
int() refuses strings of more than 4,300 digits. A number that parses can still be too large
for the database's 64-bit integers, which SQLite and PostgreSQL refuse with an error instead
of matching nothing. Every number read from a URL or a post goes through here, by way of
the forms' WholeNumberField.
"""

# Ids and versions are positive 64-bit integers in both databases.
LARGEST = 2**63 - 1


def whole_number(value, default=None):
    """`value` as an int in 0..2**63-1, or `default` for anything else (None, "", "²", "-3")."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return default
    # 19 digits hold every 64-bit value; more cannot be in range, whatever they say.
    if len(value.lstrip("0")) > 19:
        return default
    number = int(value)
    return number if number <= LARGEST else default
