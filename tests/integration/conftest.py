"""Integration fixtures: the same scenarios against the emulator and localstripe.

localstripe (https://github.com/adrienverge/localstripe) is the independent
check: if the driver and the emulator agreed on a mistake, localstripe would
disagree. CI starts it once with:

    localstripe --port <free port> --from-scratch     # then LOCALSTRIPE_URL=http://127.0.0.1:<port>

and the session fixture ``localstripe_url`` (tests/conftest.py) starts it the
same way when ``LOCALSTRIPE_URL`` is unset. localstripe's state is shared by
the whole session, so tests here create their own objects and never depend on
list order or counts (localstripe also lists oldest first).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from stripe_dbapi.client import StripeClient


@dataclass
class Backend:
    name: str  # "emulator" or "localstripe"
    base_url: str

    @property
    def is_localstripe(self) -> bool:
        return self.name == "localstripe"


@pytest.fixture(params=["emulator", "localstripe"])
def backend(request) -> Backend:
    """Each test using it runs twice: on a fresh emulator and on localstripe."""
    if request.param == "emulator":
        return Backend("emulator", request.getfixturevalue("fresh_emulator").base_url)
    return Backend("localstripe", request.getfixturevalue("localstripe_url"))


@pytest.fixture
def client(backend):
    stripe = StripeClient("sk_test_integration", base_url=backend.base_url, max_retries=0)
    yield stripe
    stripe.close()
