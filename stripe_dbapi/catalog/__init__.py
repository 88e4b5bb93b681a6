"""The catalog: Stripe's tables, columns, list filters and procedures.

``load_catalog()`` returns the one shared ``Catalog`` (see loader.py), built
from ``data/catalog.json``, which ``tools/gen_catalog.py`` generates from the
pinned Stripe SDK plus the hand-written facts in overrides.py. Name
resolution lives in names.py.
"""

from .loader import Catalog, load_catalog
from .model import (
    FILTER_ARRAY,
    FILTER_EQ,
    FILTER_RANGE,
    FRESH_BY_EVENTS,
    FRESH_BY_TTL,
    FRESH_LIVE,
    FRESHNESS_KINDS,
    PARAM_TYPES,
    TYPES,
    Column,
    Freshness,
    ListFilter,
    Param,
    Parent,
    Procedure,
    ProcedureParam,
    RequiredFilter,
    SearchSpec,
    Table,
)

__all__ = [
    "FILTER_ARRAY",
    "FILTER_EQ",
    "FILTER_RANGE",
    "FRESHNESS_KINDS",
    "FRESH_BY_EVENTS",
    "FRESH_BY_TTL",
    "FRESH_LIVE",
    "PARAM_TYPES",
    "TYPES",
    "Catalog",
    "Column",
    "Freshness",
    "ListFilter",
    "Param",
    "Parent",
    "Procedure",
    "ProcedureParam",
    "RequiredFilter",
    "SearchSpec",
    "Table",
    "load_catalog",
]
