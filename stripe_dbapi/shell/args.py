"""Command-line arguments and the connection they describe."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator

import stripe_dbapi
from stripe_dbapi.connection import Connection
from stripe_dbapi.verbose import LOGGER_NAME

from .formats import FORMATS
from .usage import Parser

DEMO_KEY = "sk_test_demo"


def parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="stripe-sql",
        subcommands=("connections",),
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
        "--replica", metavar="PATH",
        help="keep the tables read in this SQLite file, the local replica (README: Local replica)",
    )
    p.add_argument(
        "-y", "--yes", action="store_true",
        help="run writes and actions of more than one object without asking (a script "
        "without --yes refuses them)",
    )
    p.add_argument(
        "--demo", action="store_true", help="query the built-in emulator's demo data (no key)"
    )
    p.add_argument(
        "--verbosity", type=int, choices=range(1, 6), metavar="1-5",
        help="log the connection's work to stderr (or --logfile): 1 statements, 2 requests "
        "and plans, 3 headers, 4 bodies, 5 TLS and proxy; never a secret",
    )
    p.add_argument("--logfile", metavar="FILE", help="append the --verbosity log to FILE")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    p.add_argument("--version", action="version", version=f"stripe-sql {stripe_dbapi.__version__}")
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
    if args.replica:
        options["replica"] = args.replica
    if args.connection:
        options["connection"] = args.connection
    options.update({name: getattr(args, name) for name in ("verbosity", "logfile")
                    if getattr(args, name) is not None})
    with contextlib.ExitStack() as stack:
        # A verbosity (here or in the named connection) without a logfile logs there.
        stack.enter_context(_verbose_log_on_stderr())
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


@contextlib.contextmanager
def _verbose_log_on_stderr() -> Iterator[None]:
    """The connection's verbose log (given no logfile, it goes to the stripe_dbapi.connection
    logger) on stderr, where results never go: the shell is the application routing it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
