"""SQLAlchemy types for the catalog's value types, and the dialect's colspecs.

What the driver hands back decides the mapping: aware UTC ``datetime`` objects,
``bool``, ``int``, ``float`` and, for JSON columns, JSON *text*.

- datetime -> ``DateTime(timezone=True)`` with no conversion at all. SQLite's own
  DATETIME type (what the SQLite dialect would use) parses and formats *strings*,
  which is pysqlite's behaviour, not ours: the driver already returns datetimes
  and takes datetimes as parameters (the planner turns them into Stripe's unix
  seconds).
- json -> ``JSON``: the JSON text is deserialised into dicts/lists on the way out
  and serialised on the way in (``metadata``, arrays, wide objects). SQLite's JSON
  implementation is kept, so ``col["key"]`` compiles to ``JSON_EXTRACT``, which the
  driver's SQLite engine evaluates.
- boolean -> ``Boolean``; values pass through as Python bools (see
  ``StripeDialect.supports_native_boolean``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import types as sqltypes
from sqlalchemy.dialects.sqlite import base as sqlite_base

# Factories, so every reflected column gets its own type instance.
_CATALOG_TYPES: dict[str, Callable[[], sqltypes.TypeEngine]] = {
    "string": sqltypes.String,
    "integer": sqltypes.Integer,
    "number": sqltypes.Float,
    "boolean": sqltypes.Boolean,
    "datetime": lambda: sqltypes.DateTime(timezone=True),
    "json": sqltypes.JSON,
}


def sqlalchemy_type(catalog_type: str) -> sqltypes.TypeEngine:
    """The SQLAlchemy type for a catalog value type ("string", "datetime", ...)."""
    try:
        factory = _CATALOG_TYPES[catalog_type]
    except KeyError:
        raise ValueError(
            f"unknown catalog value type {catalog_type!r}; "
            f"expected one of {', '.join(_CATALOG_TYPES)}"
        ) from None
    return factory()


# SQLite's colspecs minus its string-based date/time types (see module docstring):
# generic DateTime/Date/Time then have no bind or result processing.
colspecs = {
    generic: impl
    for generic, impl in sqlite_base.colspecs.items()
    if generic not in (sqltypes.DateTime, sqltypes.Date, sqltypes.Time)
}
