"""Procedure arguments -> the Stripe request: URL placeholders and form body.

Arguments are matched to the procedure's parameters by position (documented
order: path parameters first) or by name, forgivingly (``PaymentIntentId``,
``payment_intent_id``, ``intent``, ``return_url`` all work). Everything is
checked before any request: an unknown or missing parameter is a
ProgrammingError naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import names
from ..catalog.loader import procedure_param
from ..catalog.model import Param, Procedure, ProcedureParam
from ..exceptions import DataError, ProgrammingError
from ..paths import fill_path
from ..writes.params import coerce


@dataclass(frozen=True)
class ActionRequest:
    method: str
    path: str
    body: dict


def build_action_request(
    procedure: Procedure, positional: Sequence[Any], named: Mapping[str, Any]
) -> ActionRequest:
    values = _match(procedure, positional, named)
    missing = [p.name for p in procedure.params if p.required and values.get(p.name) is None]
    if missing:
        raise ProgrammingError(
            f"{procedure.name} needs {', '.join(missing)}; parameters: {_signature(procedure)}"
        )
    url_params: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for param in procedure.params:
        if param.name not in values:
            continue
        value = values[param.name]
        if param.path_param:
            url_params[param.path_param] = str(value)
        else:
            api_name = param.api_name or names.normalize(param.name)
            _check_json_text(param, value)
            body[api_name] = coerce(
                value, Param(api_name, param.type, children=param.children), param.name
            )
    # fill_path refuses an empty, blank, "." or ".." id before any request.
    return ActionRequest(procedure.method.upper(), fill_path(procedure.path, url_params), body)


def _match(
    procedure: Procedure, positional: Sequence[Any], named: Mapping[str, Any]
) -> dict[str, Any]:
    leading = positional_params(procedure)
    if len(positional) > len(leading):
        raise ProgrammingError(_positional_error(procedure, leading, len(positional)))
    # Fewer positional values than leading params is fine: the rest come by name or default.
    values = {param.name: value for param, value in zip(leading, positional, strict=False)}
    for name, value in named.items():
        param = procedure_param(procedure, name)
        if param.name in values:
            raise ProgrammingError(f"{procedure.name}: parameter {param.name} given twice")
        values[param.name] = value
    return values


def positional_params(procedure: Procedure) -> tuple[ProcedureParam, ...]:
    """The parameters positional arguments fill: the leading path and required
    ones in documented order (PaymentIntentId; PaymentMethodId, CustomerId).
    The optional ones after them are alphabetical, an order no caller can
    rely on, so they are given by name."""
    count = 0
    for param in procedure.params:
        if not (param.path_param or param.required):
            break
        count += 1
    return procedure.params[:count]


def _positional_error(procedure: Procedure, leading, given: int) -> str:
    rest = [p.name for p in procedure.params[len(leading) :]]
    if not rest:
        return (
            f"{procedure.name} takes at most {len(leading)} arguments, got {given}; "
            f"parameters: {_signature(procedure)}"
        )
    example = "ReturnUrl" if "ReturnUrl" in rest else rest[0]
    after = f"after {leading[-1].name} " if leading else ""
    return (
        f"{procedure.name}: give parameters {after}by name (e.g. {example} => ...); "
        f"positional arguments fill only {', '.join(p.name for p in leading) or 'nothing'}"
    )


def _check_json_text(param: ProcedureParam, value) -> None:
    """An object parameter (CancellationDetails) given text must be JSON text;
    'notjson' would otherwise reach Stripe as a meaningless string."""
    if param.type != "object" and not (param.type == "array" and param.children):
        return
    if not isinstance(value, str):
        return
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, (dict, list)):
        raise DataError(
            f"{param.name} takes a JSON {'object' if param.type == 'object' else 'array'} "
            f'(e.g. \'{{"key": "value"}}\') or a dict, got {value!r}'
        )


def _signature(procedure: Procedure) -> str:
    return ", ".join(f"{p.name}{'' if p.required else '?'}" for p in procedure.params) or "none"
