"""Parameters whose acceptance depends on the request's ``Stripe-Version``.

The emulator checks create/update parameters against the catalog, which is the pinned
API version's (``2026-10-28.endive``). A few parameters Stripe removed in a version
are still accepted from clients that send an older ``Stripe-Version``:

- ``payment_method_types`` on payment intents and setup intents (create, update):
  added as ``allowed_payment_method_types`` in 2026-07-29.dahlia, removed as a
  writable parameter in 2026-09-30.endive, where passing it is a 400 with code
  ``payment_method_types_no_longer_supported``
  (https://docs.stripe.com/changelog/endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents).
  Before that it sets the object's ``payment_method_types``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import StripeError, invalid


@dataclass(frozen=True)
class RemovedParam:
    name: str
    removed_in: str  # the first API version (its date) without it
    code: str
    instead: str  # what to use from that version on


_PAYMENT_METHOD_TYPES = RemovedParam(
    "payment_method_types", "2026-09-30", "payment_method_types_no_longer_supported",
    "allowed_payment_method_types",
)
REMOVED = {
    "payment_intents": (_PAYMENT_METHOD_TYPES,),
    "setup_intents": (_PAYMENT_METHOD_TYPES,),
}


def take_removed_params(table_name: str, params: dict, api_version: str) -> dict:
    """Pop the parameters ``api_version`` still accepts from ``params`` (checked, as the
    object fields they set); raise Stripe's error for those it no longer accepts."""
    taken = {}
    for removed in REMOVED.get(table_name, ()):
        if removed.name not in params:
            continue
        if api_version[:10] >= removed.removed_in:
            raise StripeError(
                400,
                f"`{removed.name}` is no longer supported on API version {api_version}: use "
                f"`{removed.instead}` instead.",
                code=removed.code,
                param=removed.name,
            )
        value = params.pop(removed.name)
        if params.get(removed.instead) not in (None, "", []):
            raise invalid(f"You cannot pass both `{removed.name}` and `{removed.instead}`.",
                          param=removed.instead)
        taken[removed.name] = _string_list(value, removed.name)
    return taken


def _string_list(value, param: str) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v for v in values)
    ):
        raise invalid(
            f"Invalid array: {param} must be a list of payment method types.", param=param
        )
    return values
