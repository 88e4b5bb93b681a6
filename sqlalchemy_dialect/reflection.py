"""SQLAlchemy reflection answered from the driver's catalog, never by a query.

The catalog (``stripe_dbapi.catalog``) already knows every table, column, type,
description and reference, so reflection costs no Stripe read (reads are a
budget, see docs/architecture.md). The dictionaries returned here are the shapes
SQLAlchemy's ``Inspector`` documents for each ``get_*`` method.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import NoSuchTableError
from sqlalchemy.schema import FetchedValue

from stripe_dbapi.exceptions import ProgrammingError

from .types import sqlalchemy_type

# SQLite names its one database "main"; SQLAlchemy tools (Superset, Alembic)
# expect some schema name, and SQL may qualify tables with it.
DEFAULT_SCHEMA = "main"


def _check_schema(schema: str | None) -> None:
    if schema not in (None, DEFAULT_SCHEMA):
        raise NoSuchTableError(
            f"schema {schema!r} does not exist; Stripe has the one schema {DEFAULT_SCHEMA!r}"
        )


def schema_names() -> list[str]:
    return [DEFAULT_SCHEMA]


def table_names(catalog: Any, schema: str | None = None) -> list[str]:
    if schema not in (None, DEFAULT_SCHEMA):
        return []
    return sorted(catalog.tables)


def has_table(catalog: Any, table_name: str, schema: str | None = None) -> bool:
    """Exact (case-insensitive) names only: ``metadata.create_all`` relies on a
    negative answer for names that are not tables, so forgiving resolution
    (``Customer`` -> ``customers``) is left to SQL statements."""
    if schema not in (None, DEFAULT_SCHEMA):
        return False
    return table_name.lower() in catalog.tables


def table(catalog: Any, table_name: str, schema: str | None = None) -> Any:
    """The catalog table ``table_name`` names; NoSuchTableError (naming the
    closest tables) if there is none. Forgiving names resolve here, so
    ``Table("Customer", metadata, autoload_with=engine)`` reflects ``customers``."""
    _check_schema(schema)
    try:
        return catalog.table(table_name)
    except ProgrammingError as error:  # the catalog's message names the closest tables
        raise NoSuchTableError(str(error)) from None


def _is_server_generated(stripe_table: Any, column: Any) -> bool:
    """Columns Stripe fills in itself (``id``, ``created``, ``object``, ...):
    marked so the ORM fetches them after an INSERT instead of expecting them."""
    if column.name == "id":
        return True
    settable = {param.name for param in stripe_table.create_params}
    if not settable:
        return False
    # A flattened column (address_country) is settable when its top-level
    # parameter (address) is.
    return column.path[0] not in settable if column.path else column.name not in settable


def columns(stripe_table: Any) -> list[dict[str, Any]]:
    reflected = []
    for column in stripe_table.columns:
        reflected.append(
            {
                "name": column.name,
                "type": sqlalchemy_type(column.type),
                "nullable": column.name != "id" and column.nullable,
                # FetchedValue: "the server provides a value", which is what lets
                # the ORM insert rows without an id and read Stripe's back.
                "default": FetchedValue() if _is_server_generated(stripe_table, column) else None,
                "autoincrement": False,
                "comment": column.description or None,
            }
        )
    return reflected


def pk_constraint(stripe_table: Any) -> dict[str, Any]:
    has_id = any(column.name == "id" for column in stripe_table.columns)
    return {"constrained_columns": ["id"] if has_id else [], "name": None}


def foreign_keys(catalog: Any, stripe_table: Any) -> list[dict[str, Any]]:
    """One foreign key per reference column whose target table is in the catalog
    (``charges.customer`` -> ``customers.id``), named after the column so
    relationship names built from it (automap) are stable."""
    keys = []
    for column in stripe_table.columns:
        if not column.references or column.references not in catalog.tables:
            continue
        keys.append(
            {
                "name": f"fk_{stripe_table.name}_{column.name}",
                "constrained_columns": [column.name],
                "referred_schema": None,
                "referred_table": column.references,
                "referred_columns": ["id"],
                "options": {},
            }
        )
    return keys


def table_comment(stripe_table: Any) -> dict[str, Any]:
    return {"text": stripe_table.description or None}
