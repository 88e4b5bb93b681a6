"""``StripeDialect``: SQLAlchemy's ``stripe://`` dialect over ``stripe_dbapi``.

The driver reads SQLite's SQL, so the dialect is SQLAlchemy's SQLite dialect
with everything that assumed *pysqlite* or a SQLite file taken out: no
``sqlite_version_info`` checks, no PRAGMAs, no string-encoded dates, reflection
from the driver's catalog, and Stripe's ids coming back through RETURNING.
Works on SQLAlchemy 1.4 and 2.x.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.engine import default
from sqlalchemy.engine import reflection as sa_reflection

from . import reflection
from .compiler import SQLALCHEMY_2, StripeCompiler, StripeDDLCompiler
from .types import colspecs
from .url import connect_kwargs

if TYPE_CHECKING:
    # SQLAlchemy 2's name for the levels (a Literal); 1.4 has none, hence only here.
    from sqlalchemy.engine.interfaces import IsolationLevel

# Stripe has no transactions: every statement is final when it returns.
AUTOCOMMIT: Final = "AUTOCOMMIT"
# The cheapest real request that proves the key and the server work.
PING_SQL = "SELECT id FROM customers LIMIT 1"


class StripeDialect(SQLiteDialect):
    name = "stripe"
    driver = "stripe_dbapi"

    statement_compiler = StripeCompiler
    ddl_compiler = StripeDDLCompiler
    colspecs = colspecs

    default_paramstyle = "qmark"
    supports_statement_cache = True

    # The driver takes and returns Python bools (its type code "boolean"), and
    # SQLite reads TRUE/FALSE: no 1/0 translation, no CHECK constraints.
    supports_native_boolean = True
    # SQLite's "/" on two integers truncates, as SQLAlchemy's floordiv expects;
    # true division is rendered as "a / (b + 0.0)" by the SQLite compiler.
    div_is_floordiv = True
    supports_native_decimal = False

    # RETURNING on INSERT and UPDATE is how the ORM learns the ids and the
    # fields Stripe fills in. The driver has no RETURNING on DELETE.
    implicit_returning = True  # 1.4 name for insert RETURNING
    full_returning = True  # 1.4: RETURNING on UPDATE too (eager_defaults)
    insert_returning = True
    update_returning = True
    update_returning_multifrom = False
    delete_returning = False
    # One INSERT per row and statement: multi-row INSERT .. RETURNING would need
    # SQLAlchemy's sentinel machinery to match Stripe's ids back to objects.
    use_insertmanyvalues = False
    insert_executemany_returning = False
    # cursor.lastrowid is the new object's Stripe id (a string), which is only
    # used when RETURNING is off; the ORM relies on RETURNING.
    postfetch_lastrowid = False

    # rowcount is exact for UPDATE/DELETE (one Stripe call per id); the ORM
    # checks it to detect stale rows.
    supports_sane_rowcount = True
    # executemany of UPDATE/DELETE adds up the objects written per parameter set.
    supports_sane_multi_rowcount = True
    supports_sane_rowcount_returning = True
    supports_multivalues_insert = True
    # Stripe accepts a create with no parameters (a blank customer), which the
    # driver sends for INSERT ... DEFAULT VALUES.
    supports_default_values = True
    supports_empty_insert = False
    supports_alter = False
    supports_sequences = False
    supports_comments = True  # reflected comments are Stripe's field descriptions
    inline_comments = False
    supports_server_side_cursors = False

    def __init__(
        self,
        json_serializer: Any | None = None,
        json_deserializer: Any | None = None,
        isolation_level: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Not SQLiteDialect.__init__: it reads pysqlite's dbapi.sqlite_version_info.
        default.DefaultDialect.__init__(self, **kwargs)
        self._json_serializer = json_serializer
        self._json_deserializer = json_deserializer
        self.native_datetime = True  # the driver returns datetime objects
        if isolation_level is not None:
            self._check_isolation_level(isolation_level)
        self.isolation_level = None  # 1.4's SQLite on_connect reads it

    # --- the DB-API module ----------------------------------------------------------------

    @classmethod
    def import_dbapi(cls):  # SQLAlchemy 2.x
        import stripe_dbapi

        return stripe_dbapi

    if not SQLALCHEMY_2:

        @classmethod
        def dbapi(cls):  # SQLAlchemy 1.4; on 2.x the instance attribute holds the module
            return cls.import_dbapi()

    @property
    def _dbapi_module(self):
        # None when the dialect was built without create_engine (compiling only)
        return self.dbapi if self.dbapi is not None else self.import_dbapi()

    def create_connect_args(self, url):
        return [], connect_kwargs(url)

    @classmethod
    def engine_created(cls, engine) -> None:
        """Keep a key given as user name (stripe://sk_test_...@) out of reprs and
        logs: SQLAlchemy masks only the password part, so the key moves there.
        The pool already holds the connect() arguments, so connecting is unchanged."""
        url = engine.url
        if url.username and not url.password:
            engine.url = url.set(username="", password=url.username)

    # --- connections and "transactions" ------------------------------------------------

    def on_connect(self):
        return None

    def _get_server_version_info(self, connection) -> tuple:
        """The Stripe API version the catalog speaks, e.g. (2026, 10, 28)."""
        version = self._catalog(connection).version
        return tuple(int(part) for part in re.findall(r"\d+", version.split(".")[0]))

    def _get_default_schema_name(self, connection) -> str:
        return reflection.DEFAULT_SCHEMA

    def _check_max_identifier_length(self, connection):
        return None

    def _check_isolation_level(self, level: str) -> None:
        if level != AUTOCOMMIT:
            raise sa_exc.ArgumentError(
                f"isolation level {level!r} is not available: Stripe has no "
                f"transactions, every statement is final ({AUTOCOMMIT!r} is the only level)"
            )

    def get_isolation_level_values(self, dbapi_connection):
        return [AUTOCOMMIT]

    def get_isolation_level(self, dbapi_connection) -> IsolationLevel:
        return AUTOCOMMIT

    def get_default_isolation_level(self, dbapi_connection) -> IsolationLevel:
        return AUTOCOMMIT

    def set_isolation_level(self, dbapi_connection, level) -> None:
        self._check_isolation_level(level)

    def reset_isolation_level(self, dbapi_connection) -> None:
        return None

    def do_begin(self, dbapi_connection) -> None:
        return None

    def do_rollback(self, dbapi_connection) -> None:
        # Nothing to undo; skipping the driver call keeps pool check-ins free.
        return None

    def do_commit(self, dbapi_connection) -> None:
        return None

    def do_ping(self, dbapi_connection) -> bool:
        """A real request, so a pool pre-ping proves the key and the server."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(PING_SQL)
            cursor.fetchall()
        except self._dbapi_module.PermissionError:
            # A restricted key without access to customers: Stripe still
            # answered and accepted the key, which is all a ping asks.
            return True
        finally:
            cursor.close()
        return True

    def is_disconnect(self, e, connection, cursor) -> bool:
        module = self._dbapi_module
        if isinstance(e, module.APIConnectionError):
            return True
        return isinstance(e, module.InterfaceError) and "closed" in str(e).lower()

    # --- reflection, from the catalog ------------------------------------------------------

    def _catalog(self, connection):
        """The catalog of the driver connection behind a SQLAlchemy connection."""
        # connection.connection is the pool's proxy, which passes attributes through
        return connection.connection.catalog

    def _table(self, connection, table_name, schema):
        return reflection.table(self._catalog(connection), table_name, schema)

    @sa_reflection.cache
    def get_schema_names(self, connection, **kw):
        return reflection.schema_names()

    @sa_reflection.cache
    def get_table_names(self, connection, schema=None, **kw):
        return reflection.table_names(self._catalog(connection), schema)

    def has_table(self, connection, table_name, schema=None, **kw):
        return reflection.has_table(self._catalog(connection), table_name, schema)

    @sa_reflection.cache
    def get_columns(self, connection, table_name, schema=None, **kw):
        return reflection.columns(self._table(connection, table_name, schema))

    @sa_reflection.cache
    def get_pk_constraint(self, connection, table_name, schema=None, **kw):
        return reflection.pk_constraint(self._table(connection, table_name, schema))

    @sa_reflection.cache
    def get_foreign_keys(self, connection, table_name, schema=None, **kw):
        catalog = self._catalog(connection)
        return reflection.foreign_keys(catalog, reflection.table(catalog, table_name, schema))

    @sa_reflection.cache
    def get_table_comment(self, connection, table_name, schema=None, **kw):
        return reflection.table_comment(self._table(connection, table_name, schema))

    def _no_objects(self, connection, table_name, schema=None, **kw):
        """Stripe has no indexes or constraints beyond ids and references; the
        table must still exist, as SQLAlchemy's contract asks."""
        self._table(connection, table_name, schema)
        return []

    get_indexes = _no_objects
    get_unique_constraints = _no_objects
    get_check_constraints = _no_objects

    def get_table_options(self, connection, table_name, schema=None, **kw):
        self._table(connection, table_name, schema)
        return {}

    def get_view_names(self, connection, schema=None, **kw):
        return []

    def get_temp_table_names(self, connection, schema=None, **kw):
        return []

    def get_temp_view_names(self, connection, schema=None, **kw):
        return []

    def get_view_definition(self, connection, view_name, schema=None, **kw):
        raise sa_exc.NoSuchTableError(view_name)
