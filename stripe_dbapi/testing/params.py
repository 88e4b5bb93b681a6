"""Request parameters checked and typed against the catalog, as Stripe does.

Form values arrive as strings; the catalog's ``Param`` tree says what each one
is. Unknown names (including read-only fields such as ``created``) are 400
``parameter_unknown``; badly typed values are 400 ``parameter_invalid_*``.
An empty string means "unset" and becomes ``None``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from ..catalog.model import Param
from .errors import invalid, missing_parameter, unknown_parameter

# Accepted on every endpoint, whatever the catalog says.
UNIVERSAL = ("expand",)
# Object params whose keys are free-form (not described by children).
FREE_FORM = ("metadata",)


def coerce(value: Any, type_: str, name: str) -> Any:
    """A form string as the Python value of a catalog type."""
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        return value
    text = str(value)
    if type_ == "integer":
        try:
            return int(text)
        except ValueError:
            raise invalid(
                f"Invalid integer: {text}", param=name, code="parameter_invalid_integer"
            ) from None
    if type_ == "number":
        try:
            number = float(text)
        except ValueError:
            raise invalid(
                f"Invalid decimal: {text}", param=name, code="parameter_invalid_decimal"
            ) from None
        return int(number) if number.is_integer() and "." not in text else number
    if type_ == "boolean":
        if text in ("true", "false"):
            return text == "true"
        raise invalid(f"Invalid boolean: {text}", param=name, code="parameter_invalid_boolean")
    if type_ == "datetime":
        if text == "now":  # Stripe accepts "now" for trial_end and friends
            return int(time.time())
        try:
            return int(text)
        except ValueError:
            raise invalid(
                f"Invalid timestamp: {text}", param=name, code="parameter_invalid_integer"
            ) from None
    return text


def check(
    values: dict[str, Any],
    params: Sequence[Param],
    *,
    prefix: str = "",
    enforce_required: bool = True,
    extra_allowed: Iterable[str] = (),
) -> dict[str, Any]:
    """Validate ``values`` against ``params``; returns typed values (``None`` = unset)."""
    by_name = {p.name: p for p in params}
    allowed = set(extra_allowed) | set(UNIVERSAL if not prefix else ())
    typed: dict[str, Any] = {}
    for name, value in values.items():
        full = f"{prefix}[{name}]" if prefix else name
        if name in allowed:
            typed[name] = value
            continue
        param = by_name.get(name)
        if param is None:
            raise unknown_parameter(full)
        typed[name] = _typed(value, param, full)
    if enforce_required:
        for param in params:
            if param.required and typed.get(param.name) in (None, ""):
                raise missing_parameter(f"{prefix}[{param.name}]" if prefix else param.name)
    return typed


# Stripe's metadata limits: https://docs.stripe.com/metadata
METADATA_MAX_KEYS, METADATA_MAX_KEY, METADATA_MAX_VALUE = 50, 40, 500


def check_metadata(value: Any, full: str) -> None:
    if not isinstance(value, dict):
        raise invalid(f"Invalid object: {full} must be a hash of keys and values", param=full)
    if len(value) > METADATA_MAX_KEYS:
        raise invalid(f"Invalid {full}: at most {METADATA_MAX_KEYS} keys.", param=full)
    for key, item in value.items():
        if len(key) > METADATA_MAX_KEY:
            raise invalid(
                f"Metadata keys must be at most {METADATA_MAX_KEY} characters long: {key!r}.",
                param=f"{full}[{key}]",
            )
        if not isinstance(item, str) or len(item) > METADATA_MAX_VALUE:
            raise invalid(
                f"Metadata values must be strings of at most {METADATA_MAX_VALUE} characters.",
                param=f"{full}[{key}]",
            )


def _typed(value: Any, param: Param, full: str) -> Any:
    if value == "":
        return None
    if param.name == "metadata":
        check_metadata(value, full)
        return value
    free_form = param.name in FREE_FORM or (param.type in ("object", "json") and not param.children)
    if free_form and (isinstance(value, dict) or param.type == "json"):
        return value
    if param.enum and isinstance(value, str) and value not in param.enum:
        raise invalid(
            f"Invalid {full}: must be one of {', '.join(param.enum)}",
            param=full,
            code="parameter_invalid_string" if param.type == "string" else None,
        )
    if param.type == "array":
        items = value if isinstance(value, list) else [value]
        if param.children:
            return [
                check(item, param.children, prefix=f"{full}[{i}]")
                if isinstance(item, dict)
                else item
                for i, item in enumerate(items)
            ]
        return items
    if param.type == "object":
        if not isinstance(value, dict):
            # Stripe accepts an id where an object could also be given (expandable params).
            return value
        if not param.children:
            return value
        return check(value, param.children, prefix=full)
    if isinstance(value, (dict, list)):
        raise invalid(f"Invalid {param.type}: {full} must be a single value", param=full)
    return coerce(value, param.type, full)


def merge(target: dict, updates: dict, *, replace_nested: bool = True) -> None:
    """Apply typed params to an object: ``metadata`` merges key by key (an empty
    value removes the key, ``metadata=""`` clears all); other hashes replace."""
    for key, value in updates.items():
        if key in UNIVERSAL:
            continue
        if key == "metadata":
            if value is None:
                target["metadata"] = {}
                continue
            current = dict(target.get("metadata") or {})
            for meta_key, meta_value in value.items():
                if meta_value in (None, ""):
                    current.pop(meta_key, None)
                else:
                    current[meta_key] = str(meta_value)
            target["metadata"] = current
        elif isinstance(value, dict) and not replace_nested and isinstance(target.get(key), dict):
            merge(target[key], value, replace_nested=False)
        else:
            target[key] = value


def first_present(values: dict, *names: str) -> str | None:
    for name in names:
        if values.get(name) not in (None, ""):
            return name
    return None
