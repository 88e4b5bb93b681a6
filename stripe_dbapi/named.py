"""Named connections: settings saved under a name in a TOML file, opened by
``connect(connection="name")``.

The file is ``$STRIPE_DBAPI_CONFIG`` if set, else ``connections.toml`` in the user's
config directory (``$XDG_CONFIG_HOME/stripe_dbapi`` or ``~/.config/stripe_dbapi`` on
Linux, ``~/Library/Application Support/stripe_dbapi`` on macOS, ``%APPDATA%\\stripe_dbapi``
on Windows). One table per connection::

    [connections.stripe-connection]
    description = "Finance reporting"
    labels = { team = "finance" }
    api_key_env = "STRIPE_FINANCE_KEY"
    account_id = "acct_..."

Keys are connect()'s text settings (stripe_dbapi/settings.py) plus ``description``,
``labels`` and the secrets (the API key, the proxy password) by reference:
``<secret>_env`` (an environment variable), ``<secret>_file`` (a file such as a mounted
secret; one trailing newline is dropped) or ``<secret>_keyring`` (a keyring service; the
user name is the connection's name), e.g. ``api_key_env``, ``proxy_password_file``. A
secret in clear (``api_key``, ``proxy_password``) is read but warned about.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .exceptions import InterfaceError
from .names import did_you_mean
from .proxy import proxy_from
from .settings import SETTINGS, Setting, settings_from
from .userdirs import user_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

CONFIG_ENV = "STRIPE_DBAPI_CONFIG"
MAX_NAME_LENGTH = 49
# Settings a file may hold: connect()'s text settings, except the name itself.
FILE_SETTINGS: dict[str, Setting] = {
    s.name: s for s in SETTINGS if s.is_text and s.name != "connection"
}
# Each secret setting may be given by reference instead: <name>_env, _file or _keyring.
SECRET_REFERENCES: dict[str, tuple[str, ...]] = {
    s.name: tuple(f"{s.name}_{kind}" for kind in ("env", "file", "keyring"))
    for s in FILE_SETTINGS.values() if s.secret
}
KEY_REFERENCES = SECRET_REFERENCES["api_key"]
FILE_KEYS = (
    *FILE_SETTINGS, "description", "labels",
    *(reference for references in SECRET_REFERENCES.values() for reference in references),
)
# How messages name a secret ("API key"; otherwise its name in words: "proxy password").
_SECRET_WORDS = {"api_key": "API key"}


def _words(secret: str) -> str:
    return _SECRET_WORDS.get(secret, secret.replace("_", " "))


def config_path() -> Path:
    """Where named connections are stored (see the module docstring)."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return user_dir("config") / "connections.toml"


# The spec's naming rules, each with the words that say which one a name breaks.
_NAME_RULES = (
    (re.compile(r"[A-Za-z0-9-]*\Z"), "may hold only letters, numbers and hyphens"),
    (re.compile(r"[^A-Z]*\Z"), "must have lower-case letters only"),
    (re.compile(r"[a-z]"), "must begin with a letter"),
    (re.compile(r".*[a-z0-9]\Z"), "must end with a letter or a number"),
)


def check_name(name: Any) -> str:
    """``name`` if it follows the naming rules; InterfaceError saying which it breaks."""
    if not isinstance(name, str) or not name:
        raise InterfaceError(f"a connection name is a non-empty string, not {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise InterfaceError(
            f"connection name {name!r} is {len(name)} characters long; "
            f"it must have at most {MAX_NAME_LENGTH}"
        )
    for pattern, rule in _NAME_RULES:
        if not pattern.match(name):
            raise InterfaceError(f"connection name {name!r} {rule}")
    return name


# --- reading ------------------------------------------------------------------------------


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InterfaceError(f"cannot read the connections file {path}: {error}") from None
    extra = [key for key in document if key != "connections"]
    if extra:
        raise InterfaceError(
            f"the connections file {path} has {extra[0]!r} at its top level; "
            "it holds only [connections.<name>] tables"
        )
    connections = document.get("connections", {})
    if not isinstance(connections, dict):
        raise InterfaceError(f"in {path}, 'connections' must be a table of tables")
    return connections


def _type_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the file's ``key``, as far as its TOML type goes."""
    if key == "labels":
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return None if ok else "labels must be a table of strings, e.g. { team = \"finance\" }"
    setting = FILE_SETTINGS.get(key)
    expected: tuple[type, ...] = (str,) if setting is None else (setting.type,)
    if setting is not None and setting.type is float:
        expected = (int, float)
    if isinstance(value, expected) and (setting is None or setting.type is bool
                                        or not isinstance(value, bool)):
        return None
    if setting is not None and setting.stands_for_none(value):
        return None
    shown = "<hidden>" if setting is not None and setting.secret else repr(value)
    if setting is not None and setting.choices:  # verbosity = "5": say what would do
        return f"{key} must be one of {setting.allowed}, not {shown}"
    kinds = [t.__name__ for t in expected] + (["'none'"] if setting and setting.nullable else [])
    return f"{key} must be {' or '.join(kinds)}, not {shown}"


def _file_options(entry: Mapping[str, Any]) -> dict[str, Any]:
    """connect()'s options that a connection's table gives as values (its secrets aside:
    they are looked up by reference)."""
    return {
        k: _from_file(k, v) for k, v in entry.items()
        if k in FILE_SETTINGS and k not in SECRET_REFERENCES
    }


def _from_file(key: str, value: Any) -> Any:
    """The value connect() takes for the file's ``key`` = ``value`` ("none": None)."""
    return None if FILE_SETTINGS[key].stands_for_none(value) else value


def check_entry(name: str, entry: Any, where: str) -> dict[str, Any]:
    """One connection's table, checked: InterfaceError naming an unknown key (and the
    nearest valid one) or a value of the wrong type."""
    if not isinstance(entry, dict):
        raise InterfaceError(f"connection {name!r}{where} must be a table")
    for key, value in entry.items():
        if key not in FILE_KEYS:
            raise InterfaceError(
                f"unknown setting {key!r} in connection {name!r}{where}"
                f"{did_you_mean(key, list(FILE_KEYS))}"
            )
        problem = _type_problem(key, value)
        if problem:
            raise InterfaceError(f"connection {name!r}{where}: {problem}")
    for secret, references in SECRET_REFERENCES.items():
        given = [key for key in (*references, secret) if key in entry]
        if len(given) > 1:
            raise InterfaceError(
                f"connection {name!r}{where} gives its {_words(secret)} more than once "
                f"({', '.join(given)}); keep one"
            )
    return entry


def load(name: str) -> dict[str, Any]:
    """The table of connection ``name``, checked, as written in the file."""
    check_name(name)
    path = config_path()
    connections = _read_file(path)
    if name not in connections:
        known = list(connections)
        listing = f" (saved: {', '.join(sorted(known))})" if known else ""
        raise InterfaceError(
            f"no connection named {name!r} in {path}{did_you_mean(name, known)}{listing}; "
            "save one with stripe_dbapi.save_connection() or stripe-sql connections add"
        )
    return check_entry(name, connections[name], f" in {path}")


def saved_connections() -> dict[str, dict[str, Any]]:
    """Every connection in the file, by name, each checked as ``load`` checks one."""
    path = config_path()
    return {
        check_name(name): check_entry(name, entry, f" in {path}")
        for name, entry in _read_file(path).items()
    }


def resolve_key(name: str, entry: Mapping[str, Any]) -> str | None:
    """The API key ``entry`` refers to (None if it names none)."""
    return resolve_secret(name, entry, "api_key")


def resolve_secret(name: str, entry: Mapping[str, Any], secret: str) -> str | None:
    """The value of ``secret`` (a secret setting: the API key, the proxy password) that
    ``entry`` gives or refers to (None if neither); errors name the reference (the
    variable, the file, the keyring entry), never a value."""
    env, file, keyring_service = SECRET_REFERENCES[secret]
    words = _words(secret)
    if secret in entry:
        warnings.warn(
            f"connection {name!r} holds its {words} in clear in {config_path()}; "
            f"refer to it with {env}, {file} or {keyring_service} instead",
            UserWarning,
            stacklevel=5,  # the caller of connect()
        )
        return entry[secret]
    if env in entry:
        variable = entry[env]
        value = os.environ.get(variable)
        if not value:
            raise InterfaceError(
                f"connection {name!r} takes its {words} from the environment variable "
                f"{variable}, which is not set"
            )
        return value
    if file in entry:
        return _secret_from_file(name, words, Path(entry[file]).expanduser())
    if keyring_service in entry:
        return _secret_from_keyring(name, words, entry[keyring_service])
    return None


def _secret_from_file(name: str, words: str, path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InterfaceError(
            f"connection {name!r} takes its {words} from the file {path}, which cannot be "
            f"read ({error.strerror or type(error).__name__})"
        ) from None
    # One trailing newline, as `echo` and secret mounts leave it; the rest is the secret.
    value = text.removesuffix("\n").removesuffix("\r")
    if not value:
        raise InterfaceError(f"connection {name!r}: the {words} file {path} is empty")
    return value


def _secret_from_keyring(name: str, words: str, service: str) -> str:
    try:
        import keyring
    except ImportError:
        raise InterfaceError(
            f"connection {name!r} takes its {words} from the keyring, but the keyring "
            "package is not installed: pip install 'stripe-dbapi[keyring]'"
        ) from None
    value = keyring.get_password(service, name)
    if not value:
        raise InterfaceError(
            f"connection {name!r}: the keyring has no password for service {service!r}, "
            f"user {name!r}"
        )
    return value


def named_options(name: str, explicit: Mapping[str, Any]) -> dict[str, Any]:
    """connect()'s options for connection ``name``: the file's settings under the
    ``explicit`` ones (an explicit None counts as not given). A secret is looked up
    only when not given explicitly, so an unset reference does not stand in the way;
    the proxy password not at all with the proxy switched off (``proxy_enabled=False``,
    here or in the file): a machine without the proxy need not have it."""
    entry = load(name)
    given = {k: v for k, v in explicit.items() if v is not None}
    options = _file_options(entry)
    unused = {"proxy_password"} if {**options, **given}.get("proxy_enabled") is False else set()
    for secret in SECRET_REFERENCES:
        if secret not in given and secret not in unused:
            value = resolve_secret(name, entry, secret)
            if value is not None:
                options[secret] = value
    return {**options, **given}


# --- writing ------------------------------------------------------------------------------


def save_connection(
    name: str,
    *,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    store_key_in_clear: bool = False,
    **settings: Any,
) -> Path:
    """Save (or replace) connection ``name`` in the connections file and return its path.

    ``settings`` are connect()'s text settings and secret references (``api_key_env``,
    ``api_key_file``, ``api_key_keyring``; ``proxy_password_env``, ...). A secret in clear
    (``api_key=...``, ``proxy_password=...``) is refused unless
    ``store_key_in_clear=True``. The file is rewritten whole (comments are not kept) with
    user-only permissions (0600).
    """
    check_name(name)
    for secret, (env, file, keyring_service) in SECRET_REFERENCES.items():
        if settings.get(secret) is not None and not store_key_in_clear:
            raise InterfaceError(
                f"save_connection() does not write {_a(_words(secret))} in clear: refer to "
                f"it with {env}=..., {file}=... or {keyring_service}=..., or pass "
                "store_key_in_clear=True"
            )
    entry: dict[str, Any] = {}
    if description is not None:
        entry["description"] = description
    if labels is not None:
        entry["labels"] = dict(labels)
    entry.update({k: v for k, v in settings.items() if v is not None})
    check_entry(name, entry, "")
    problems = [p for k, v in entry.items() if k in FILE_SETTINGS
                and (p := FILE_SETTINGS[k].problem(_from_file(k, v))) is not None]
    if problems:
        raise InterfaceError(f"connection {name!r}: " + "; ".join(problems))
    _check_proxy(name, entry)
    path = config_path()
    connections = _read_file(path)
    connections[name] = entry
    _write_private(path, dumps(connections))
    return path


def _check_proxy(name: str, entry: Mapping[str, Any]) -> None:
    """The proxy settings checked together, as connect() will (a proxy_url holding a
    password, or with a path; a user without a scheme), so that nothing is saved that
    cannot be opened; a secret given by reference stands in for its value."""
    options = _file_options(entry)
    for secret, references in SECRET_REFERENCES.items():
        if any(key in entry for key in (secret, *references)):
            options[secret] = "stand-in"
    options.setdefault("api_key", "sk_test_stand_in")
    try:
        proxy_from(settings_from(options))
    except InterfaceError as error:
        problem = str(error).removeprefix("invalid connect() option: ")
        raise InterfaceError(f"connection {name!r}: {problem}") from None


def _a(words: str) -> str:
    return f"{'an' if words[0] in 'AEIOUaeiou' else 'a'} {words}"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by the user only, replacing it at once."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # also when the file was left behind wider
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def dumps(connections: Mapping[str, Mapping[str, Any]]) -> str:
    """The TOML text of ``connections``: the flat shapes the file holds (strings,
    numbers, booleans, and an inline table of strings for labels)."""
    blocks = []
    for name, entry in connections.items():
        lines = [f"[connections.{check_name(name)}]"]
        lines += [f"{_key(key)} = {_value(value)}" for key, value in entry.items()]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _value(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string (same escapes; \uXXXX for controls).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise InterfaceError(f"a connection setting cannot be written as {type(value).__name__}")
