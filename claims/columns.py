"""Column lists read from the models, so that a field added later is not silently left out.

Code that copies whole rows (the transfer file, the synthetic data writer) used to spell out
each model's fields; a new field then went missing from the copy without any error. These
functions list the model's concrete fields in declaration order and take away only what the
caller names, each exclusion stated (with its reason) where the list is made.
"""

from django.core.exceptions import ImproperlyConfigured


def columns(model, *, without=()):
    """Names of `model`'s concrete fields (primary and foreign keys included), minus `without`.

    An exclusion that names no field of the model is an error: a renamed or removed field
    must not leave a stale exclusion behind that would hide its successor.
    """
    names = [field.name for field in model._meta.concrete_fields]
    unknown = set(without) - set(names)
    if unknown:
        raise ImproperlyConfigured(f"{model.__name__} has no field {sorted(unknown)}.")
    return [name for name in names if name not in without]


def data_columns(model, *, without=()):
    """columns() without the primary key and the links to other rows (foreign keys), for
    copies that name rows by a key of their own."""
    links = {
        field.name
        for field in model._meta.concrete_fields
        if field.primary_key or field.is_relation
    }
    return [name for name in columns(model, without=without) if name not in links]
