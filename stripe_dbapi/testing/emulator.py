"""``Emulator``: the Stripe emulator as a context manager running a local HTTP server.

with Emulator(seed="demo") as emu:
    conn = stripe_dbapi.connect(api_key="sk_test_123", base_url=emu.base_url)
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from .app import DEFAULT_SEARCH_LAG, StripeApp
from .faults import Faults
from .server import PLATFORM, Frontend, RequestRecord, Server


class Emulator:
    """A Stripe-compatible HTTP server on 127.0.0.1 for tests, benchmarks and demos.

    - ``seed``: ``"demo"`` loads the deterministic demo dataset; ``None`` starts empty.
    - ``latency`` / ``jitter``: seconds added to every response (see ``faults``).
    - ``search_lag``: seconds before a created or changed object shows up in Search
      (default ``DEFAULT_SEARCH_LAG`` = 2 s; Stripe: usually under a minute). 0 = at once.
    - ``random_seed``: seeds ids, jitter and random faults, so runs are reproducible.
    - Accepts ``Bearer sk_test_...`` / ``rk_test_...`` keys only (live keys get a 401).
    - ``Stripe-Account: acct_...`` selects a separate partition of objects.
    - ``ssl_context``: serve HTTPS with this server-side context (``base_url`` is then
      ``https://``); tests make one with ``trustme``.
    """

    def __init__(
        self,
        seed: str | None = "demo",
        latency: float = 0.0,
        *,
        jitter: float = 0.0,
        search_lag: float = DEFAULT_SEARCH_LAG,
        random_seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        catalog=None,
        clock: Callable[[], float] = time.time,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if catalog is None:
            from ..catalog import load_catalog

            catalog = load_catalog()
        self.catalog = catalog
        self.seed = seed
        self.app = StripeApp(catalog, seed=random_seed, search_lag=search_lag, clock=clock)
        self.faults = Faults(seed=random_seed, latency=latency, jitter=jitter)
        self._frontend = Frontend(self.app, self.faults, catalog.version)
        self._host, self._port = host, port
        self._ssl_context = ssl_context
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        if seed is not None:
            self.load_seed(seed)

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "stopped"
        return f"<Emulator {where} seed={self.seed!r} search_lag={self.search_lag}>"

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> Emulator:
        if self._server is None:
            self._server = Server(self._host, self._port, self._frontend, self._ssl_context)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                name="stripe-emulator",
                daemon=True,
                kwargs={"poll_interval": 0.1},
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    close = stop

    def __enter__(self) -> Emulator:  # noqa: PYI034
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(
                "The emulator is not running: call start() or use it as a context manager."
            )
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        scheme = "http" if self._ssl_context is None else "https"
        return f"{scheme}://{self._host}:{self.port}"

    # -- requests received --------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        return self._frontend.requests

    def reset_requests(self) -> None:
        self._frontend.requests.clear()

    # -- settings ---------------------------------------------------------------------------

    @property
    def search_lag(self) -> float:
        return self.app.search_index.lag

    @search_lag.setter
    def search_lag(self, seconds: float) -> None:
        self.app.search_index.lag = seconds

    # -- data ---------------------------------------------------------------------------------

    def load_seed(self, seed: str) -> None:
        if seed != "demo":
            raise ValueError(
                f"Unknown seed {seed!r}: the emulator has the 'demo' dataset, or None for empty."
            )
        from .demo import load_demo

        load_demo(self)

    def reset(self, seed: str | None = None) -> None:
        """Forget every object, idempotency key and logged request; optionally load a seed."""
        with self.app.store.lock:
            self.app.store.clear()
            self.app.tombstones.clear()
            self._frontend.idempotency.clear()
            self.reset_requests()
            self.faults.clear()
            if seed is not None:
                self.load_seed(seed)

    def _storage(self, table: str) -> str:
        return self.app.storage_name(self.catalog.table(table).name)

    def bulk_insert(self, table: str, objects: Iterable[dict], *, account: str = PLATFORM) -> int:
        """Add ready-made Stripe objects (each with ``id`` and ``created``) in one sort.
        They are searchable at once. Returns how many were added."""
        objs = list(objects)
        with self.app.store.lock:
            self.app.store.bulk_put(account, self._storage(table), objs)
        return len(objs)

    def insert(self, table: str, obj: dict, *, account: str = PLATFORM) -> dict:
        """Add one ready-made object (fields missing from ``obj`` are filled with None)."""
        resolved = self.catalog.table(table)
        full: dict[str, Any] = {c.path[0]: None for c in resolved.columns}
        full.update({"object": resolved.object, "livemode": False})
        full.update(obj)
        with self.app.store.lock:
            self.app.store.put(account, self._storage(table), full)
        return full

    def get(self, table: str, object_id: str, *, account: str = PLATFORM) -> dict | None:
        return self.app.store.get(account, self._storage(table), object_id)

    def objects(self, table: str, *, account: str = PLATFORM) -> list[dict]:
        """Every object of a table, newest first (a copy of the list, not of the objects)."""
        with self.app.store.lock:
            return self.app.store.where(account, self._storage(table), lambda o: True)

    def count(self, table: str, *, account: str = PLATFORM) -> int:
        return len(self.app.store.table(account, self._storage(table)))
