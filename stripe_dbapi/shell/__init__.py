"""``stripe-sql``: run SQL on Stripe from a terminal, a thin layer over the DB-API.

Non-interactive for now: ``-e SQL``, ``-f FILE`` or SQL on stdin; see ``main``.
"""

from .runner import main

__all__ = ["main"]
