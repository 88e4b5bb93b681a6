"""Request parameters as the emulator reads them.

Decoding lives in ``stripe_dbapi.form`` beside the encoder, so the driver and
the emulator agree on the format by construction; here a malformed key becomes
Stripe's 400 error body.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from ..form import FormKeyError, decode_pairs
from .errors import invalid


def parse_form(text: str) -> dict[str, Any]:
    """Decode a query string or an ``application/x-www-form-urlencoded`` body."""
    try:
        return decode_pairs(parse_qsl(text, keep_blank_values=True))
    except FormKeyError as error:
        raise invalid(str(error), param=error.key) from None
