"""``stripe-sql connections add|list``: saved connections (stripe_dbapi/named.py).

``add`` writes through ``stripe_dbapi.save_connection``; ``list`` shows where each
connection's key comes from, never a key.
"""

from __future__ import annotations

import argparse
import sys

import stripe_dbapi
from stripe_dbapi.named import SECRET_REFERENCES, config_path, saved_connections
from stripe_dbapi.settings import BY_NAME

from .formats import FORMATS
from .usage import Parser

USAGE = 2
# The proxy and TLS settings `add` takes as --proxy-url ... (README: Proxy); the
# password only by reference (--proxy-password-env, -file or -keyring).
PROXY_OPTIONS = ("proxy_url", "proxy_auth_scheme", "proxy_user", "proxy_ssltype", "ca_bundle")
PROXY_PASSWORD_REFERENCES = SECRET_REFERENCES["proxy_password"]


def parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="stripe-sql connections",
        description=f"Saved connections, for stripe-sql --connection NAME and "
        f"stripe_dbapi.connect(connection=NAME). File: {config_path()}",
    )
    commands = p.add_subparsers(dest="command", required=True, metavar="{add,list}")
    add = commands.add_parser("add", help="save (or replace) a connection")
    add.add_argument("name", metavar="NAME", help="lower-case letters, numbers and hyphens")
    key = add.add_mutually_exclusive_group(required=True)
    key.add_argument("--api-key-env", metavar="VAR", help="the environment variable with the key")
    key.add_argument("--api-key-file", metavar="FILE", help="a file holding the key")
    key.add_argument(
        "--api-key-keyring", metavar="SERVICE", help="a system keyring service (user: NAME)"
    )
    add.add_argument("--account", metavar="ACCOUNT_ID", help="act as this connected account")
    add.add_argument("--base-url", help="a Stripe-compatible server")
    add.add_argument("--readonly", action="store_true", help="refuse writes and actions")
    add.add_argument("--description", help="what the connection is for")
    add.add_argument(
        "--label", metavar="KEY=VALUE", action="append", default=[], help="a label (repeatable)"
    )
    _proxy_arguments(add)
    listing = commands.add_parser("list", help="the saved connections (no secrets)")
    listing.add_argument("--format", choices=sorted(FORMATS), default="table")
    return p


def _proxy_arguments(add: argparse.ArgumentParser) -> None:
    proxy = add.add_argument_group("proxy (saved with proxy_enabled = true)")
    for name in PROXY_OPTIONS:
        setting = BY_NAME[name]
        proxy.add_argument(
            "--" + name.replace("_", "-"), help=setting.doc, choices=setting.choices or None,
            type=str.upper if setting.fold_case else str,
        )
    password = proxy.add_mutually_exclusive_group()
    described = (("VAR", "the environment variable with the proxy password"),
                 ("FILE", "a file holding the proxy password"),
                 ("SERVICE", "a system keyring service holding it (user: NAME)"))
    for reference, (metavar, words) in zip(PROXY_PASSWORD_REFERENCES, described, strict=True):
        password.add_argument("--" + reference.replace("_", "-"), metavar=metavar, help=words)


def main(argv: list[str]) -> int:
    p = parser()
    args = p.parse_args(argv)
    try:
        if args.command == "add":
            return add(p, args)
        return show(args)
    except stripe_dbapi.InterfaceError as error:  # a bad name or value, an unreadable file
        p.error(str(error))
    return USAGE  # not reached: p.error exits


def add(p: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    labels = {}
    for label in args.label:
        key, equals, value = label.partition("=")
        if not equals or not key:
            p.error(f"--label takes KEY=VALUE, not {label!r}")
        labels[key] = value
    path = stripe_dbapi.save_connection(
        args.name,
        description=args.description,
        labels=labels or None,
        api_key_env=args.api_key_env,
        api_key_file=args.api_key_file,
        api_key_keyring=args.api_key_keyring,
        account_id=args.account,
        base_url=args.base_url,
        readonly=True if args.readonly else None,
        proxy_enabled=True if args.proxy_url else None,
        **{name: getattr(args, name) for name in (*PROXY_OPTIONS, *PROXY_PASSWORD_REFERENCES)},
    )
    print(f"saved connection {args.name!r} in {path}", file=sys.stderr)
    return 0


COLUMNS = ["name", "description", "api_key", "account_id", "base_url", "readonly", "labels"]


def key_source(entry: dict) -> str:
    """Where a connection's key comes from, in words: never the key itself."""
    if "api_key_env" in entry:
        return f"env {entry['api_key_env']}"
    if "api_key_file" in entry:
        return f"file {entry['api_key_file']}"
    if "api_key_keyring" in entry:
        return f"keyring {entry['api_key_keyring']}"
    if "api_key" in entry:
        return "in the file, in clear (not shown)"
    return "STRIPE_API_KEY"


def show(args: argparse.Namespace) -> int:
    saved = saved_connections()
    rows = [
        (
            name,
            entry.get("description"),
            key_source(entry),
            entry.get("account_id"),
            entry.get("base_url"),
            entry.get("readonly", False),
            ", ".join(f"{k}={v}" for k, v in entry.get("labels", {}).items()) or None,
        )
        for name, entry in sorted(saved.items())
    ]
    FORMATS[args.format](sys.stdout, COLUMNS, ["string"] * len(COLUMNS), rows)
    if not rows:
        print(
            f"no connections saved in {config_path()}; add one with "
            "stripe-sql connections add NAME --api-key-env VAR",
            file=sys.stderr,
        )
    return 0
