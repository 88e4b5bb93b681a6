"""One reference to a Stripe (or system) table in a query, and what is known about it.

Name resolution (``name_resolution.py``) creates the references; ``ref_facts.py`` fills in
what the query says about each (its pushable conjuncts, join keys, LIMIT, used
columns); planning reads them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from stripe_dbapi.catalog.model import Table


@dataclass(eq=False)
class TableRef:
    """One reference to a Stripe (or system) table in the query."""

    index: int
    table: Table
    alias: str  # the name the query's qualifiers use
    sql_name: str  # the SQLite temp table: "_t0"
    system: bool = False
    conjuncts: list = field(default_factory=list)  # pushable WHERE conjuncts (canonical names)
    # Set when this reference's SELECT could take a pushed LIMIT: single source,
    # no ORDER BY/GROUP BY/aggregates/DISTINCT/window, and the whole WHERE is ours.
    limit: int | None = None
    offset: int = 0
    # Columns the query uses (None: all, e.g. SELECT *). Only these are flattened
    # and loaded into SQLite: a 6-column scan of charges skips ~100 columns per row.
    used_columns: set | None = None
    # The LIMIT is under ORDER BY created DESC: pushable only to plain lists, which
    # Stripe returns newest first (Search has no guaranteed order).
    newest_first: bool = False
    # Equalities with other references every result row needs (inner joins, WHERE):
    # (this column, other ref, other column). See joinfetch.py.
    join_keys: list = field(default_factory=list)

    @property
    def loaded_table(self) -> Table:
        return narrowed(self.table, self.used_columns)


_NARROWED: dict = {}


def narrowed(table: Table, used: set | None) -> Table:
    """``table`` with only the ``used`` columns (catalog order), one object per shape."""
    if used is None:
        return table
    names = tuple(c.name for c in table.columns if c.name in used) or (table.columns[0].name,)
    key = (id(table), names)
    cached = _NARROWED.get(key)
    if cached is None or cached[0] is not table:
        columns = tuple(c for c in table.columns if c.name in names)
        cached = (table, dataclasses.replace(table, columns=columns))
        _NARROWED[key] = cached
    return cached[1]
