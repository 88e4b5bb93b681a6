"""Command-line arguments and the connection they describe."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator

import stripe_dbapi
from stripe_dbapi.connection import Connection

from .formats import FORMATS

DEMO_KEY = "sk_test_demo"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="stripe-sql",
        description="Run SQL on Stripe: interactively when stdin is a terminal, else SQL "
        "from -e, -f or stdin; lines starting with '.' or '\\' are shell commands "
        "(.help lists them). 'stripe-sql connections --help': saved connections.",
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("-e", "--execute", metavar="SQL", help="statements to run")
    source.add_argument("-f", "--file", metavar="FILE", help="a file of statements to run")
    p.add_argument("--format", choices=sorted(FORMATS), default="table", help="output format")
    p.add_argument("-o", "--output", metavar="FILE", help="write results to FILE")
    p.add_argument("--api-key", help="a Stripe API key (default: $STRIPE_API_KEY)")
    p.add_argument(
        "-c", "--connection", metavar="NAME",
        help="a saved connection (stripe-sql connections list); options given here override it",
    )
    p.add_argument("--base-url", help="a Stripe-compatible server (default: api.stripe.com)")
    p.add_argument("--account", metavar="ACCOUNT_ID", help="act as a connected account")
    p.add_argument("--readonly", action="store_true", help="refuse writes and actions")
    p.add_argument(
        "-y", "--yes", action="store_true",
        help="run writes and actions of more than one object without asking (a script "
        "without --yes refuses them)",
    )
    p.add_argument(
        "--demo", action="store_true", help="query the built-in emulator's demo data (no key)"
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return p


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = parser()
    args = p.parse_args(argv)
    if args.demo and (args.api_key or args.base_url or args.connection):
        p.error("--demo uses the built-in emulator: leave out --api-key, --base-url "
                "and --connection")
    if args.connection:
        # The named connection brings its own key, under an explicit --api-key and over
        # STRIPE_API_KEY (connect() follows that order itself).
        return args
    args.api_key = args.api_key or os.environ.get("STRIPE_API_KEY")
    if not args.demo and not args.api_key:
        p.error("no API key: pass --api-key or --connection, set STRIPE_API_KEY, or use --demo")
    return args


@contextlib.contextmanager
def connection(args: argparse.Namespace) -> Iterator[Connection]:
    """The connection ``args`` describe; with ``--demo``, to an emulator started for it.
    Options not given on the command line are left to the named connection, if any."""
    options: dict = {"readonly": True} if args.readonly else {}
    if args.account:
        options["account_id"] = args.account
    if args.connection:
        options["connection"] = args.connection
    with contextlib.ExitStack() as stack:
        if args.demo:
            from stripe_dbapi.testing import Emulator  # only the demo needs the emulator

            emulator = stack.enter_context(Emulator(seed="demo"))
            options["base_url"] = emulator.base_url
            api_key = DEMO_KEY
        else:
            api_key = args.api_key
            if args.base_url:
                options["base_url"] = args.base_url
        try:
            conn = stripe_dbapi.connect(api_key, **options)
        except stripe_dbapi.InterfaceError as error:  # the key, the saved connection...
            parser().error(str(error))
        stack.callback(conn.close)
        yield conn
