"""Apache Superset engine spec for ``stripe://``.

Registered under the ``superset.db_engine_specs`` entry point. Superset is not
a dependency: when it is installed the spec extends its ``BaseEngineSpec``;
otherwise a plain class with the same attributes stands in, so the module (and
its SQL, tested through the driver) is importable everywhere.

Superset parses every query with sqlglot before it runs it, choosing the sqlglot
dialect by the spec's ``engine`` in ``superset.sql.parse.SQLGLOT_DIALECTS``; an
engine missing there gets sqlglot's generic dialect, which rejects SQLite's
three-argument ``DATETIME`` (the week and quarter grains). Importing this module
in Superset adds ``stripe`` -> the driver's own dialect (SQLite as the driver
reads and writes it, which also keeps ``json_extract`` intact on sqlglot 28),
unless the deployment already mapped ``stripe`` (``SQLGLOT_DIALECTS_EXTENSIONS``).
Superset imports engine specs before it parses a query for one of their databases.

Errors reach Superset users as its own error types with one line of text:
see superset_errors.py.

The SQL below is SQLite's: the driver's engine evaluates everything Stripe
cannot, date functions included. A datetime column holds UTC times, which
SQLite's ``DATETIME``/``STRFTIME`` read directly.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from stripe_dbapi.sql.dialect import DIALECT as SQLGLOT_DIALECT

from .superset_errors import CUSTOM_ERRORS, error_text

try:  # pragma: no cover - exercised only where Superset is installed
    from superset.db_engine_specs.base import BaseEngineSpec as _Base
    from superset.sql.parse import SQLGLOT_DIALECTS as _SUPERSET_SQLGLOT_DIALECTS
except ImportError:  # Superset is optional

    class _Base:  # type: ignore[no-redef]
        """Stand-in for superset.db_engine_specs.base.BaseEngineSpec."""

    _SUPERSET_SQLGLOT_DIALECTS = None


# Superset's TimeGrain values (ISO 8601 durations); its TimeGrain is a StrEnum,
# so these plain strings are the same dictionary keys.
SECOND = "PT1S"
MINUTE = "PT1M"
HOUR = "PT1H"
DAY = "P1D"
WEEK = "P1W"
MONTH = "P1M"
QUARTER = "P3M"
YEAR = "P1Y"

# Each grain truncates {col} to the start of its period, as 'YYYY-MM-DD HH:MM:SS'.
# Weeks start on Monday (ISO 8601); %w is 0 for Sunday.
TIME_GRAIN_EXPRESSIONS: dict[str | None, str] = {
    None: "{col}",
    SECOND: "DATETIME({col})",
    MINUTE: "STRFTIME('%Y-%m-%d %H:%M:00', {col})",
    HOUR: "STRFTIME('%Y-%m-%d %H:00:00', {col})",
    DAY: "DATETIME({col}, 'start of day')",
    WEEK: (
        "DATETIME({col}, 'start of day', "
        "'-' || ((CAST(STRFTIME('%w', {col}) AS INTEGER) + 6) % 7) || ' days')"
    ),
    MONTH: "DATETIME({col}, 'start of month')",
    QUARTER: (
        "DATETIME({col}, 'start of month', "
        "'-' || ((CAST(STRFTIME('%m', {col}) AS INTEGER) - 1) % 3) || ' months')"
    ),
    YEAR: "DATETIME({col}, 'start of year')",
}

_DATETIME_TYPE_WORDS = ("DATE", "TIME")
_TEXT_TYPE_WORDS = ("CHAR", "TEXT", "STRING")


class StripeEngineSpec(_Base):
    engine = "stripe"
    engine_name = "Stripe"
    default_driver = "stripe_dbapi"
    drivers: ClassVar[dict[str, str]] = {"stripe_dbapi": "Stripe's REST API through stripe_dbapi"}
    sqlalchemy_uri_placeholder = "stripe://:sk_test_...@"

    # Stripe is reached over HTTPS, never through an SSH tunnel; no uploads.
    disable_ssh_tunneling = True
    supports_file_upload = False
    allows_joins = True
    allows_subqueries = True
    allows_alias_in_select = True
    allows_alias_in_orderby = True

    _time_grain_expressions = TIME_GRAIN_EXPRESSIONS

    # Read by Superset's extract_errors: pattern -> (message, SupersetErrorType, extra).
    custom_errors = CUSTOM_ERRORS

    @classmethod
    def _extract_error_message(cls, ex: Exception | str) -> str:
        """The text Superset shows (after "stripe error: ") and matches custom_errors
        against: the driver's one line, not SQLAlchemy's wrapping of it."""
        return error_text(ex, cls.engine)

    @classmethod
    def epoch_to_dttm(cls) -> str:
        """Seconds since the epoch (how Stripe itself counts) -> a datetime."""
        return "DATETIME({col}, 'unixepoch')"

    @classmethod
    def epoch_ms_to_dttm(cls) -> str:
        return "DATETIME({col} / 1000, 'unixepoch')"

    @classmethod
    def convert_dttm(
        cls, target_type: str, dttm: datetime, db_extra: dict[str, Any] | None = None
    ) -> str | None:
        """A SQL literal for ``dttm`` compared with a column of ``target_type``
        (e.g. a time-range filter), in the format the time grains produce."""
        if dttm.tzinfo is not None:  # the grains' strings are UTC without an offset
            dttm = dttm.astimezone(timezone.utc).replace(tzinfo=None)
        upper = target_type.upper()
        if any(word in upper for word in _DATETIME_TYPE_WORDS + _TEXT_TYPE_WORDS):
            return f"'{dttm.isoformat(sep=' ', timespec='seconds')}'"
        return None


def register_sqlglot_dialect(dialects: dict[str, Any] | None) -> None:
    """Map the engine ``stripe`` to the driver's sqlglot dialect in Superset's
    table of them (``SQLGLOT_DIALECTS``), unless the deployment mapped it already."""
    if dialects is not None:
        dialects.setdefault(StripeEngineSpec.engine, SQLGLOT_DIALECT)


register_sqlglot_dialect(_SUPERSET_SQLGLOT_DIALECTS)
