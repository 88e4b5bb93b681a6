"""``stripe://`` URLs -> ``stripe_dbapi.connect()`` arguments.

Accepted forms::

    stripe://                                  key from STRIPE_API_KEY
    stripe://sk_test_...@                      key as the user name
    stripe://:sk_test_...@                     key as the password (tools such as
                                               Superset mask passwords, not user names)
    stripe://sk_test_...@?base_url=http://127.0.0.1:12111&account_id=acct_1&readonly=true

Every keyword option of ``connect()`` that can be written as text is a query
parameter; the option list and each option's type come from ``connect()``'s own
signature, so a new driver option works here without touching this module.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError

# connect() arguments that are objects, not text: pass them with
# create_engine(..., connect_args={...}) instead.
_OBJECT_OPTIONS = frozenset({"transport", "client"})
# The key goes in the URL's user or password part: query strings end up in
# logs and in tools' connection lists unmasked.
_SECRET_OPTIONS = frozenset({"api_key"})

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _to_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true or false")


def _converter_for(parameter: inspect.Parameter) -> Callable[[str], Any]:
    """The text -> value conversion for one connect() option, from its default."""
    default = parameter.default
    # bool first: bool is a subclass of int.
    if isinstance(default, bool):
        return _to_bool
    if isinstance(default, int):
        return int
    if isinstance(default, float):
        return float
    return str


def url_options(connect: Callable[..., Any]) -> dict[str, Callable[[str], Any]]:
    """Option name -> converter for every text-valued keyword option of ``connect``."""
    options = {}
    for name, parameter in inspect.signature(connect).parameters.items():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if name in _OBJECT_OPTIONS or name in _SECRET_OPTIONS:
            continue
        options[name] = _converter_for(parameter)
    return options


def _unknown_option_message(name: str, valid: list[str]) -> str:
    if name in _SECRET_OPTIONS:
        return (
            f"stripe:// URL option {name!r} is not accepted in the query string; "
            "put the key in the URL's user part (stripe://sk_test_...@) or its "
            "password part (stripe://:sk_test_...@), or set STRIPE_API_KEY"
        )
    if name in _OBJECT_OPTIONS:
        return (
            f"stripe:// URL option {name!r} is an object, not text; pass it with "
            f"create_engine(url, connect_args={{{name!r}: ...}})"
        )
    message = f"unknown stripe:// URL option {name!r}"
    close = difflib.get_close_matches(name, valid, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    return message + f" (valid options: {', '.join(sorted(valid))})"


def connect_kwargs(url: URL, connect: Callable[..., Any]) -> dict[str, Any]:
    """Keyword arguments for ``connect`` described by ``url``; ArgumentError if wrong."""
    if url.host or url.port or url.database:
        raise ArgumentError(
            "a stripe:// URL has no host, port or database part; give the server as "
            "a query option, e.g. stripe://sk_test_...@?base_url=http://127.0.0.1:12111"
        )
    options = url_options(connect)
    kwargs: dict[str, Any] = {}
    api_key = url.password or url.username
    if api_key:
        kwargs["api_key"] = api_key
    query: Mapping[str, Any] = url.query
    for name, raw in query.items():
        if name not in options:
            raise ArgumentError(_unknown_option_message(name, list(options)))
        if not isinstance(raw, str):  # ?readonly=true&readonly=false
            raise ArgumentError(f"stripe:// URL option {name!r} is given more than once")
        try:
            kwargs[name] = options[name](raw)
        except ValueError as error:
            raise ArgumentError(
                f"stripe:// URL option {name!r} has an invalid value {raw!r}: {error}"
            ) from None
    return kwargs
