"""A Stripe emulator for tests, benchmarks and demos: ``Emulator``.

A real HTTP server on 127.0.0.1 with Stripe's semantics, generic over the
driver's catalog (every table's list/retrieve/create/update/delete path and
every procedure's path). No network, no Stripe account, no key needed:

    from stripe_dbapi.testing import Emulator
    with Emulator(seed="demo") as emu:   # seed=None: empty
        ...  # point any Stripe client at emu.base_url with api_key "sk_test_..."

From a shell: ``python -m stripe_dbapi.testing --port 12111 --seed demo``.

What it does as Stripe does:
- lists newest first; ``limit`` 1..100; ``starting_after``/``ending_before``;
  ``has_more``; ``url``; every filter of the catalog (equality, enum, ``ids[]``,
  ``created[gte]``...); default visibility (canceled subscriptions, inactive
  prices, test-clock customers, events older than 30 days); ``expand[]``
  (``data.`` on lists, four levels at most);
- create/update from bracketed form bodies, typed and checked against the
  catalog's params (unknown or read-only: 400 ``parameter_unknown``); metadata
  merges, ``metadata[k]=`` removes a key; 404 ``resource_missing``;
- Search on the seven searchable resources with Stripe's query language and an
  indexing lag (``search_lag``, default ``DEFAULT_SEARCH_LAG`` = 2 s);
- ``Idempotency-Key`` replays (``Idempotent-Replayed: true``), ``idempotency_error``;
- 401 unless ``Bearer sk_test_...``/``rk_test_...`` (live keys are refused);
  ``Stripe-Account`` partitions the data (an account neither created through
  ``/v1/accounts`` nor given objects with ``insert(..., account=)`` is Stripe's 403
  ``account_invalid``); ``Request-Id`` on every answer;
- ids in paths are percent-decoded (``/v1/products/prod_odd%2Fslash``);
- parameters by ``Stripe-Version`` (versions.py): ``payment_method_types`` on payment
  and setup intents is accepted from older versions and refused by the pinned one;
- actions: payment intents confirm/capture/cancel (charges, amounts, statuses;
  ``pm_card_visa``-style test ids; last4 0002 declines with a 402), payment
  methods attach/detach, invoices finalize/pay/void/mark_uncollectible/send,
  quotes finalize/accept (creates an invoice)/cancel; refunds update charges;
  subscription items change their subscription's ``items``;
- events (events.py) for every write and its side effects, types from the catalog's
  ``Table.freshness``; ``workload.py`` runs random writes through the driver and
  replays the events (a property test of the replica's foundation).

Faults (``emu.faults``, deterministic under ``random_seed``): ``latency`` +
``jitter``; ``global_rate``/``endpoint_rate``/``search_rate``/``concurrency_limit``
(429 with ``Stripe-Rate-Limited-Reason``; ``stripe_limits()`` sets Stripe's);
``error_rate``; ``fail_next(path_glob, status, count, drop_after_processing=...,
method=, should_retry=, rate_limited_reason=)``; ``disable_search(how)``: every Search
request answers as where Search is not available (``"region"``: Stripe's 400 for
regions without Search, ``"restricted_key"``: 403, ``"not_found"``: 404 as localstripe).

Test helpers: ``emu.requests`` (what it received, key redacted),
``reset_requests()``, ``insert``/``bulk_insert``/``get``/``objects``/``count``, ``reset()``.
"""

from .app import DEFAULT_SEARCH_LAG
from .emulator import Emulator
from .errors import StripeError
from .faults import Faults
from .offline import OfflineConnection
from .server import RequestRecord

__all__ = [
    "DEFAULT_SEARCH_LAG",
    "Emulator",
    "Faults",
    "OfflineConnection",
    "RequestRecord",
    "StripeError",
]
