"""``stripe://`` URLs -> ``stripe_dbapi.connect()`` arguments.

Accepted forms::

    stripe://                                  key from STRIPE_API_KEY
    stripe://sk_test_...@                      key as the user name
    stripe://:sk_test_...@                     key as the password (tools such as
                                               Superset mask passwords, not user names)
    stripe://sk_test_...@?base_url=http://127.0.0.1:12111&account_id=acct_1&readonly=true
    stripe://@stripe-connection                the named connection stripe-connection
                                               (stripe_dbapi/named.py); the same as
                                               stripe://?connection=stripe-connection

Every setting of ``connect()`` that can be written as text is a query parameter,
converted to its type: the list is stripe_dbapi/settings.py's, so a new setting works
here without touching this module. Values are checked by ``connect()`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError

from stripe_dbapi.exceptions import InterfaceError
from stripe_dbapi.named import check_name
from stripe_dbapi.names import did_you_mean
from stripe_dbapi.settings import SETTINGS, Setting

_BY_NAME = {s.name: s for s in SETTINGS}


def url_options() -> dict[str, Setting]:
    """The settings a URL query string may give: text-valued and not secret (the key
    goes in the URL's user or password part: query strings end up in logs and in
    tools' connection lists unmasked)."""
    return {s.name: s for s in SETTINGS if s.is_text and not s.secret}


def _unknown_option_message(name: str, valid: list[str]) -> str:
    setting = _BY_NAME.get(name)
    if setting is not None and setting.secret and setting.name != "api_key":
        return (
            f"stripe:// URL option {name!r} is not accepted in the query string (query "
            f"strings end up in logs); give it in a named connection ({name}_env, "
            f"{name}_file or {name}_keyring) or with connect_args={{{name!r}: ...}}"
        )
    if setting is not None and setting.secret:
        return (
            f"stripe:// URL option {name!r} is not accepted in the query string; "
            "put the key in the URL's user part (stripe://sk_test_...@) or its "
            f"password part (stripe://:sk_test_...@), or set {setting.env}"
        )
    if setting is not None and not setting.is_text:
        return (
            f"stripe:// URL option {name!r} is an object, not text; pass it with "
            f"create_engine(url, connect_args={{{name!r}: ...}})"
        )
    return (
        f"unknown stripe:// URL option {name!r}{did_you_mean(name, valid)} "
        f"(valid options: {', '.join(sorted(valid))})"
    )


def connect_kwargs(url: URL) -> dict[str, Any]:
    """Keyword arguments for ``connect`` described by ``url``; ArgumentError if wrong."""
    if url.port or url.database:
        raise ArgumentError(
            "a stripe:// URL has no port or database part; give the server as "
            "a query option, e.g. stripe://sk_test_...@?base_url=http://127.0.0.1:12111, "
            "and a named connection as the host, e.g. stripe://@stripe-connection"
        )
    options = url_options()
    kwargs: dict[str, Any] = {}
    if url.host:  # stripe://@name: the host part names a saved connection
        if "connection" in url.query and url.query["connection"] != url.host:
            raise ArgumentError(
                f"stripe:// URL names two connections: {url.host!r} as its host and "
                f"{url.query['connection']!r} as ?connection=; keep one"
            )
        try:
            kwargs["connection"] = check_name(url.host)
        except InterfaceError as error:
            raise ArgumentError(
                f"a stripe:// URL's host part names a saved connection: {error}; give a "
                "server as a query option, e.g. ?base_url=http://127.0.0.1:12111"
            ) from None
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
            kwargs[name] = options[name].from_text(raw)
        except ValueError as error:
            raise ArgumentError(
                f"stripe:// URL option {name!r} has an invalid value {raw!r}: {error}"
            ) from None
    return kwargs
