"""A Stripe emulator for tests, benchmarks and demos: ``Emulator``.

A real HTTP server on 127.0.0.1 with Stripe's semantics, generic over the
driver's catalog. No network, no Stripe account, no key needed:

    from stripe_dbapi.testing import Emulator
    with Emulator(seed="demo") as emu:
        ...  # point any Stripe client at emu.base_url with api_key "sk_test_..."

From a shell: ``python -m stripe_dbapi.testing --port 12111 --seed demo``.
"""

from .app import DEFAULT_SEARCH_LAG
from .emulator import Emulator
from .errors import StripeError
from .faults import Faults
from .server import RequestRecord

__all__ = ["DEFAULT_SEARCH_LAG", "Emulator", "Faults", "RequestRecord", "StripeError"]
