"""Filling Stripe path templates (``/v1/customers/{customer}/sources/{id}``) safely.

Every value lands in exactly one path segment: it is percent-encoded (so an id
containing ``/`` or ``..`` cannot point the request at another endpoint) and an
empty value, ``.`` or ``..`` is refused, because HTTP clients collapse those and
``POST /v1/customers/`` would *create* a customer instead of updating one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .exceptions import ProgrammingError

_PLACEHOLDER = re.compile(r"{(\w+)}")


def is_valid_id(value: Any) -> bool:
    """Whether a value can name a Stripe object in a path at all."""
    if value is None:
        return False
    text = str(value)
    return text.strip() not in ("", ".", "..")


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def fill_path(template: str, values: Mapping[str, Any]) -> str:
    missing = [name for name in placeholders(template) if name not in values]
    if missing:
        raise ProgrammingError(f"{template} needs a value for {', '.join(missing)}")
    for name in placeholders(template):
        if not is_valid_id(values[name]):
            raise ProgrammingError(
                f"{values[name]!r} is not a valid Stripe id for {{{name}}} in {template}"
            )
    return _PLACEHOLDER.sub(lambda m: quote(str(values[m.group(1)]), safe=""), template)
