"""Connection settings, declared once.

``SETTINGS`` lists every option of ``connect()``: its name, type, default, the values
it allows and whether it is secret. ``connect()``'s signature and docstring,
``Connection``'s validation and the SQLAlchemy dialect's ``stripe://`` URL options are
all derived from it, so adding a setting is one ``Setting(...)`` here plus the code
that acts on it (for example the client, reading ``Connection.settings``).
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, make_dataclass
from typing import Any

import httpx

from .exceptions import InterfaceError
from .names import did_you_mean
from .progress import callback_problem


@dataclass(frozen=True)
class Setting:
    name: str
    type: type  # str, int, float, bool, or object for values that are not text (transport)
    default: Any
    doc: str  # one line for connect()'s docstring
    secret: bool = False  # kept out of reprs, and out of URL query strings (which get logged)
    env: str | None = None  # environment variable read when the setting is not given
    required: bool = False
    minimum: float | None = None  # smallest allowed value of a number ...
    exclusive: bool = False  # ... which itself is not allowed
    unit: str = ""  # what a number counts, for messages ("seconds")
    choices: tuple[Any, ...] = ()  # the allowed values, when only a few are
    # None is a value of its own, not "use the default" (max_staleness=None: never);
    # the text "none" stands for it in URLs.
    nullable: bool = False
    check: Callable[[Any], str | None] | None = None  # any other rule: the problem, or None
    fold_case: bool = False  # text compared upper-cased with the choices ("digest" = "DIGEST")

    @property
    def is_text(self) -> bool:
        """Whether the value can be written as text (a URL query parameter)."""
        return self.type in (str, int, float, bool)

    def stands_for_none(self, value: Any) -> bool:
        """Whether ``value`` is the text standing for None ("none"), where None is a value of
        this setting: in URLs and TOML, which have no null."""
        return self.nullable and isinstance(value, str) and value.strip().lower() == "none"

    def from_text(self, text: str) -> Any:
        """The value ``text`` stands for; ValueError saying what was expected."""
        if self.stands_for_none(text):
            return None
        if self.type is bool:
            lowered = text.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError("expected true or false")
        try:
            return self.type(text)
        except ValueError:
            if self.choices:  # ?verbosity=loud: say what would do
                raise ValueError(f"expected one of {self.allowed}") from None
            raise

    @property
    def allowed(self) -> str:
        """The allowed values, for messages: ``1, 2, 3, 4, 5``."""
        return ", ".join(repr(c) for c in self.choices)

    def normalized(self, value: Any) -> Any:
        """``value`` as the setting holds it (upper-cased, for a case-blind choice; 0 and 1
        as False and True, for a switch)."""
        if self.fold_case and isinstance(value, str):
            return value.upper()
        if self.type is bool and type(value) is int and value in (0, 1):
            return bool(value)
        return value

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is unusable for this setting, or None."""
        held = self.normalized(value)
        if (wrong_type := self._type_problem(held)) is not None:
            return wrong_type
        if self.choices and not (value is None and self.default is None) and not any(
            type(held) is type(c) and held == c for c in self.choices  # True is not 1
        ):
            return f"{self.name} must be one of {self.allowed}, not {value!r}"
        if self.check is not None and (problem := self.check(value)) is not None:
            return problem
        if self.minimum is None or (value is None and (self.default is None or self.nullable)):
            return None  # no bound, or an optional number left unset
        allowed_types = (int, float) if self.type is float else (self.type,)
        # NaN compares false with any bound, so it is refused by name (it is no number).
        is_number = (isinstance(value, allowed_types) and not isinstance(value, bool)
                     and value == value)
        if not is_number or (value <= self.minimum if self.exclusive else value < self.minimum):
            kind = "a number" if self.type is float else "an integer"
            unit = f" of {self.unit}" if self.unit else ""
            bound = f"{'>' if self.exclusive else '>='} {self.minimum:g}"
            return f"{self.name} must be {kind}{unit} {bound}, not {value!r}"
        return None

    def _type_problem(self, value: Any) -> str | None:
        """Text where text is needed, a switch where a switch is: never bool("false"),
        which is True, nor a number reaching the HTTP layer as a header. Numbers and
        choices say their own problems (below)."""
        if value is None or self.choices:
            return None
        shown = type(value).__name__ if self.secret else repr(value)  # a secret stays unshown
        if self.type is str and not isinstance(value, str):
            return f"{self.name} must be a string, not {shown}"
        if self.type is bool and not isinstance(value, bool):
            return f"{self.name} must be True or False, not {shown}"
        return None


def server_url_problem(name: str, url: str, example: str, credentials_advice: str) -> str | None:
    """Why ``url`` cannot be setting ``name``'s server (an http:// or https:// URL with a
    host and no user or password in it, like ``example``), or None. Messages show the URL without
    anything between ``//`` and ``@`` (a password written into it)."""
    shown = re.sub(r"//[^/@]*@", "//<user>@", url)
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        return f"{name} {shown!r} is not a URL ({error})"
    if "://" not in url:
        return (f"{name} {shown!r} has no scheme: it must start with http:// or https:// "
                f"(e.g. 'http://{shown}')")
    if not parsed.scheme:  # '  http://...': httpx reads no scheme before the spaces
        return (f"{name} {shown!r} must start with http:// or https:// "
                "(nothing before it, not even a space)")
    if parsed.scheme not in ("http", "https"):
        return f"{name} {shown!r} must start with http:// or https://, not {parsed.scheme}://"
    if not parsed.host:
        return f"{name} {shown!r} has no host (e.g. {example!r})"
    if parsed.userinfo:
        return f"{name} {shown!r} holds credentials: {credentials_advice}"
    return None


def _base_url_problem(url: str) -> str | None:
    return server_url_problem(
        "base_url", url, "http://127.0.0.1:12111",
        "the API key is the only credential Stripe takes (api_key=...)",
    )


def _replica_problem(path: str | None) -> str | None:
    if path is not None and path.strip() == ":memory:":
        return ("replica must be a file path, not ':memory:': the replica is read and written "
                "through several SQLite connections (and processes), which share a file only")
    return None


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})

SETTINGS: tuple[Setting, ...] = (
    Setting("api_key", str, None, "a Stripe API key (secret or restricted)", secret=True,
            env="STRIPE_API_KEY", required=True),
    Setting("connection", str, None,
            "a named connection from the connections file (stripe_dbapi/named.py); "
            "explicit options override its settings"),
    Setting("base_url", str, "https://api.stripe.com",
            "where to send requests (the emulator, localstripe, a proxy)",
            check=_base_url_problem),
    Setting("account_id", str, None,
            "a Connect account id, sent as Stripe-Account on every request"),
    Setting("api_version", str, None,
            "overrides the Stripe-Version the catalog was generated for"),
    Setting("timeout", float, 30.0, "seconds per request", minimum=0, exclusive=True,
            unit="seconds"),
    Setting("max_retries", int, 2, "retries per request, with exponential backoff",
            minimum=0),
    Setting("readonly", bool, False, "refuse every write and action before any request"),
    Setting("allow_full_table_writes", bool, False, "permit UPDATE/DELETE without WHERE"),
    Setting("use_search", bool, True, "let the planner use Stripe's Search API"),
    Setting("max_concurrency", int, 8, "parallel requests for one statement", minimum=1),
    Setting("max_requests_per_second", float, None,
            "the pace of every connection of the process using this key (default: Stripe's "
            "25 for sk_test_/rk_test_ keys, 100 for live keys)",
            minimum=0, exclusive=True, unit="requests per second"),
    Setting("max_endpoint_requests_per_second", float, None,
            "the pace per endpoint (default: Stripe's 25)",
            minimum=0, exclusive=True, unit="requests per second"),
    Setting("max_search_requests_per_second", float, None,
            "the pace across Search endpoints (default: Stripe's 20)",
            minimum=0, exclusive=True, unit="requests per second"),
    Setting("pace_per_account", bool, False,
            "with account_id, pace against the connected account's own budget instead of "
            "the platform key's (Stripe does not document which one it counts)"),
    Setting("verbosity", int, None,
            "log this connection's work (stripe_dbapi/verbose.py): 1 statements, 2 requests, "
            "retries, pacing and plans, 3 headers, 4 bodies, 5 TLS and proxy; secrets never",
            choices=(1, 2, 3, 4, 5)),
    Setting("logfile", str, None,
            "append the verbose log to this file instead of the stripe_dbapi.connection logger"),
    Setting("replica", str, None,
            "a SQLite file keeping a local replica of the tables queried, kept fresh from "
            "Stripe's events (README: Local replica); ~ is expanded",
            check=_replica_problem),
    Setting("max_staleness", float, 60.0,
            "with replica: seconds a replicated table may lag Stripe before a query syncs it "
            "(0: before every query; None: only CALL SyncReplica)",
            minimum=0, unit="seconds", nullable=True),
    # The proxy, named as the connector spec's Terraform variables (stripe_dbapi/proxy.py).
    Setting("proxy_enabled", bool, None,
            "send every request through proxy_url (default: when proxy_url is given; "
            "False: no proxy, HTTPS_PROXY and HTTP_PROXY ignored)"),
    Setting("proxy_url", str, None,
            "the proxy server: scheme, host and port (http://proxy.internal:3128; "
            "https:// speaks TLS to the proxy)"),
    Setting("proxy_auth_scheme", str, "NONE", "how to authenticate to the proxy",
            choices=("BASIC", "DIGEST", "NONE"), fold_case=True),
    Setting("proxy_user", str, None, "the user name for the proxy"),
    Setting("proxy_password", str, None, "the password for the proxy", secret=True),
    Setting("proxy_ssltype", str, "AUTO",
            "TLS and the proxy: AUTO (TUNNEL for an https base_url, NEVER for http), "
            "ALWAYS (TLS to the proxy), NEVER (requests forwarded in clear), "
            "TUNNEL (CONNECT through the proxy)",
            choices=("AUTO", "ALWAYS", "NEVER", "TUNNEL"), fold_case=True),
    Setting("verify", bool, True,
            "verify TLS certificates (Stripe's, and an https proxy's); False for tests only"),
    Setting("ca_bundle", str, None,
            "a PEM file (or directory) of CA certificates trusted instead of the default "
            "ones, for Stripe and the proxy"),
    Setting("transport", object, None, "an httpx transport (tests)"),
    Setting("progress", object, None,
            "a function called with a stripe_dbapi.progress.Progress while a statement runs "
            "(also conn.progress; cursor.progress overrides it)", check=callback_problem),
)
BY_NAME: Mapping[str, Setting] = {s.name: s for s in SETTINGS}


class UnknownSettingError(InterfaceError, TypeError):
    """connect() with a keyword it does not have: an InterfaceError (PEP 249) that is also
    the TypeError Python raises for an unexpected keyword argument."""


def _settings_class() -> type:
    fields = [
        (s.name, Any, field(default=s.default, repr=not s.secret)) for s in SETTINGS
    ]
    cls = make_dataclass("Settings", fields, frozen=True)
    cls.__module__ = __name__
    return cls


# The values of every setting for one connection, fixed once made (a frozen dataclass
# with one field per Setting; secrets are left out of its repr).
Settings = _settings_class()
Settings.__doc__ = "One connection's settings (see SETTINGS), fixed once made."


def settings_from(options: Mapping[str, Any]) -> Any:
    """The Settings ``connect(**options)`` asks for; InterfaceError naming every problem."""
    for name in options:
        if name not in BY_NAME:
            raise UnknownSettingError(
                f"unknown connect() option {name!r}{did_you_mean(name, list(BY_NAME))}"
            )
    values = {}
    for setting in SETTINGS:
        value = options.get(setting.name, setting.default)
        if value is None and not setting.nullable:  # given as None: the default
            value = setting.default
        if value in (None, "") and setting.env:
            value = os.environ.get(setting.env)
        values[setting.name] = setting.normalized(value)
    for setting in SETTINGS:
        if setting.required and not values[setting.name]:
            env = f" or set the {setting.env} environment variable" if setting.env else ""
            raise InterfaceError(
                f"no {setting.doc.removeprefix('a ')}: pass {setting.name}=... "
                f"to connect(){env}"
            )
    problems = [p for s in SETTINGS if (p := s.problem(values[s.name])) is not None]
    if "max_staleness" in options and values["replica"] is None:
        # Without a replica every query reads Stripe: a bound that bounds nothing is a
        # mistake (a misspelt or forgotten replica), not a setting to drop in silence.
        problems.append("max_staleness applies to a local replica: pass replica=... as well")
    if problems:
        raise InterfaceError("invalid connect() option: " + "; ".join(problems))
    return Settings(**values)


def connect_signature(first: str = "api_key") -> inspect.Signature:
    """``connect()``'s signature as help() and IDEs show it: ``first`` positional,
    every other setting keyword-only with its default."""
    parameters = [
        inspect.Parameter(
            s.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD if s.name == first
            else inspect.Parameter.KEYWORD_ONLY,
            default=s.default,
            annotation=(s.type.__name__ if s.default is not None and not s.nullable
                        else f"{s.type.__name__} | None"),
        )
        for s in SETTINGS
    ]
    return inspect.Signature(parameters)


def connect_doc() -> str:
    """One line per setting, for connect()'s docstring."""
    return "\n".join(
        f"    {s.name}: {s.doc}" + (f"; defaults to ${s.env}." if s.env else ".") for s in SETTINGS
    )
