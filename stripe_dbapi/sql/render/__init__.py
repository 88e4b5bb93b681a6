"""Renderers: one kind of Stripe call each, built from one Analysis (``analysis.py``).

- ``retrieve.py``: ``id = ?`` / ``id IN (...)`` -> one retrieve per id (or ``ids[]``);
- ``lists.py``: list params, one list per ``IN`` value, default visibility undone,
  nested tables by parent, and the fan-out when a list needs an id WHERE does not
  give (``required_ids.py``);
- ``search.py``: a Search query, where Search answers what the list cannot.

Each returns a Rendering (or None when it cannot serve the query); ``pushdown.py``
chooses among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stripe_dbapi.sql.plan import Call, FanOut

MAX_FANOUT_CALLS = 50  # at most this many calls for IN lists (else filter locally)
DEFAULT_ARRAY_ITEMS = 10  # values per call of an array filter (ids[], lookup_keys[])


@dataclass
class Rendering:
    calls: list[Call]
    pushed: set[str]  # columns whose constraints the calls apply
    # Of those, the columns Stripe matches exactly as SQL does (Search matches string
    # fields by words and tokens case-insensitively: pushed, not exact).
    exact: set[str] = field(default_factory=set)
    fan_out: FanOut | None = None
    metadata: bool = False  # the calls apply the metadata key equalities (Search only)
