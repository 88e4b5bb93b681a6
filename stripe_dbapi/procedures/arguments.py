"""Procedure arguments -> the Stripe request: URL placeholders and form body.

Arguments are matched to the procedure's parameters by position (documented
order: path parameters first) or by name, forgivingly (``PaymentIntentId``,
``payment_intent_id``, ``intent``, ``return_url`` all work). Everything is
checked before any request: an unknown or missing parameter is a
ProgrammingError naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..catalog.model import Param, Procedure, ProcedureParam
from ..exceptions import ProgrammingError
from ..writes import names
from ..writes.params import coerce, fill_path


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
            body[api_name] = coerce(
                value, Param(api_name, param.type, children=param.children), param.name
            )
    return ActionRequest(procedure.method.upper(), fill_path(procedure.path, url_params), body)


def _match(
    procedure: Procedure, positional: Sequence[Any], named: Mapping[str, Any]
) -> dict[str, Any]:
    if len(positional) > len(procedure.params):
        raise ProgrammingError(
            f"{procedure.name} takes at most {len(procedure.params)} arguments, got {len(positional)}; "
            f"parameters: {_signature(procedure)}"
        )
    values = {param.name: value for param, value in zip(procedure.params, positional)}
    index = _name_index(procedure)
    for name, value in named.items():
        param = names.find(name, index)
        if param is None:
            raise names.unknown_name_error(
                "parameter", name, f"procedure {procedure.name}", [p.name for p in procedure.params]
            )
        if param.name in values:
            raise ProgrammingError(f"{procedure.name}: parameter {param.name} given twice")
        values[param.name] = value
    return values


def _name_index(procedure: Procedure) -> dict[str, ProcedureParam]:
    index: dict[str, ProcedureParam] = {}
    # SQL names first so they win over Stripe's (a path placeholder named "id"
    # must not shadow a parameter called Id).
    for param in procedure.params:
        index.setdefault(names.normalize(param.name), param)
    for param in procedure.params:
        for alias in (param.api_name, param.path_param):
            if alias:
                index.setdefault(names.normalize(alias), param)
    return index


def _signature(procedure: Procedure) -> str:
    return ", ".join(f"{p.name}{'' if p.required else '?'}" for p in procedure.params) or "none"
