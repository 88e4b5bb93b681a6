"""The local replica: Stripe tables kept in a SQLite file, fresh from Stripe's events.

``connect(replica="~/.cache/stripe/acct.sqlite", max_staleness=60)``. The modules:
``coverage.py`` (how each table is kept fresh, what a query does first), ``store.py``
(the SQLite file), ``sync.py`` (the events feed), ``replica.py`` (the connection's
``Replica``). See README "Local replica" and docs/architecture.md.
"""

from .coverage import EVENTS, LIVE, TTL, Coverage, ReplicaRead, coverage
from .replica import PLATFORM, Replica, ReplicaWarning

__all__ = [
    "EVENTS",
    "LIVE",
    "PLATFORM",
    "TTL",
    "Coverage",
    "Replica",
    "ReplicaRead",
    "ReplicaWarning",
    "coverage",
]
