"""Introspection by SQL: sys_tables, sys_columns, sys_procedures, sys_procedure_parameters.

The names (and CData-style PascalCase column names) are the ones users of other
Stripe drivers know. Rows come from the catalog; no request is made.
"""

from __future__ import annotations

from collections.abc import Iterator

from stripe_dbapi.catalog.local import LOCAL_PROCEDURES
from stripe_dbapi.catalog.model import Column, Table

# sys_procedure_parameters.DataTypeName: catalog.model.PARAM_TYPES (the column types plus
# Stripe's nested shapes), each explained.
PARAMETER_TYPES = {
    "string": "text",
    "integer": "whole number",
    "number": "decimal number",
    "boolean": "true/false",
    "datetime": "date, datetime or unix seconds",
    "json": "free-form map such as metadata: JSON object text or a dict",
    "object": "nested parameters: JSON object text or a dict",
    "array": "a list: JSON array text or a list",
}
PARAMETER_TYPES_TEXT = "Value type: " + "; ".join(
    f"{t} ({what})" for t, what in PARAMETER_TYPES.items()
)


def _table(name: str, description: str, columns: list[tuple[str, str, str]]) -> Table:
    return Table(
        name=name,
        object=name,
        list_path="",
        columns=tuple(Column(n, t, (n,), description=d) for n, t, d in columns),
        description=description,
    )


SYS_TABLES = {
    t.name: t
    for t in (
        _table(
            "sys_tables",
            "Every table: Stripe list endpoints and nested lists.",
            [
                ("TableName", "string", "Canonical table name"),
                ("TableType", "string", "TABLE, or SYSTEM TABLE for sys_*"),
                ("ObjectType", "string", "Stripe's object type of a row"),
                ("Description", "string", "What the table holds"),
                ("ListPath", "string", "The list endpoint"),
                ("ParentTable", "string", "For nested lists: the table owning the rows"),
                ("IsUpdateable", "boolean", "Whether INSERT/UPDATE/DELETE are possible"),
                ("Searchable", "boolean", "Whether Stripe's Search API covers it"),
                ("Freshness", "string",
                 "How a replica keeps it fresh: events, ttl (re-read) or live (docs/catalog.md)"),
                ("FreshnessGaps", "string", "Why events are not enough, for ttl and live"),
            ],
        ),
        _table(
            "sys_columns",
            "Every column of every table.",
            [
                ("TableName", "string", "Table of the column"),
                ("ColumnName", "string", "Canonical column name"),
                ("DataTypeName", "string", "string, integer, number, boolean, datetime or json"),
                ("Ordinal", "integer", "Position in the table, from 1"),
                ("IsNullable", "boolean", "Whether Stripe may omit or null it"),
                ("IsKey", "boolean", "Whether it is the object id"),
                ("ReferencedTable", "string", "Table an id column points to"),
                ("Filterable", "string", "How the list endpoint filters it: eq, range, array"),
                ("Description", "string", "Stripe's description"),
            ],
        ),
        _table(
            "sys_procedures",
            "Stripe actions callable as stored procedures.",
            [
                ("ProcedureName", "string", "Name for CALL"),
                ("Method", "string", "HTTP method"),
                ("Path", "string", "Endpoint"),
                ("TableName", "string", "Table whose row shape the result has"),
                ("Description", "string", "What it does"),
            ],
        ),
        _table(
            "sys_procedure_parameters",
            "Parameters of every procedure.",
            [
                ("ProcedureName", "string", "Procedure"),
                ("ParameterName", "string", "Name for named arguments"),
                ("Ordinal", "integer", "Position, from 1"),
                ("DataTypeName", "string", PARAMETER_TYPES_TEXT),
                ("IsRequired", "boolean", "Whether it must be given"),
                ("Description", "string", "What it means"),
            ],
        ),
        _table(
            "sys_replica",
            "The local replica's tables (connect(replica=...)): how fresh each is kept.",
            [
                ("TableName", "string", "Table stored on the replica"),
                ("Account", "string", "Its partition: the Stripe-Account, or platform"),
                ("Livemode", "boolean", "Whether the rows are live-mode data (the key's mode)"),
                ("Rows", "integer", "Rows stored"),
                ("LastEvent", "string", "Newest event applied (events tables)"),
                ("LastSync", "datetime", "When the rows were last brought up to date"),
                ("Freshness", "string", "events (synced from Stripe's events) or ttl "
                 "(re-read in full when older than MaxStaleness)"),
                ("MaxStaleness", "number", "Seconds the rows may lag Stripe before a query "
                 "syncs them (null: only CALL SyncReplica)"),
                ("Note", "string", "How the table is kept fresh, and what events miss"),
            ],
        ),
    )
}


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def table(name: str) -> Table | None:
    """The sys table, forgivingly (case, underscores, singular: SysColumn)."""
    by_key = {_key(n): t for n, t in SYS_TABLES.items()}
    return by_key.get(_key(name)) or by_key.get(_key(name) + "s")


def column(sys_table: Table, name: str) -> str | None:
    for c in sys_table.columns:
        if _key(c.name) == _key(name):
            return c.name
    return None


def rows(conn, sys_table: Table) -> Iterator[tuple]:
    """The rows of ``sys_table`` for the connection ``conn`` (a StatementContext)."""
    if sys_table.name == "sys_replica":
        return iter(conn.replica.status_rows() if conn.replica is not None else ())
    return _ROWS[sys_table.name](conn.catalog)


def _all_procedures(catalog):
    """The catalog's procedures (Stripe's actions), then the driver's own (LOCAL)."""
    yield from catalog.procedures.values()
    yield from LOCAL_PROCEDURES


def _tables(catalog):
    for t in catalog.tables.values():
        writable = bool(t.create_path or t.update_path or t.delete_path)
        parent = t.parent.table if t.parent else None
        yield (
            t.name,
            "TABLE",
            t.object,
            t.description,
            t.list_path,
            parent,
            writable,
            t.search is not None,
            t.freshness.kind,
            t.freshness.gaps or None,
        )
    for t in SYS_TABLES.values():
        yield (t.name, "SYSTEM TABLE", None, t.description, None, None, False, False, None, None)


def _columns(catalog):
    for t in list(catalog.tables.values()) + list(SYS_TABLES.values()):
        kinds = {f.column: f.kind for f in t.filters if f.column}
        for position, c in enumerate(t.columns, start=1):
            yield (
                t.name,
                c.name,
                c.type,
                position,
                c.nullable,
                c.name == "id" and not t.name.startswith("sys_"),
                c.references,
                kinds.get(c.name),
                c.description,
            )


def _procedures(catalog):
    for p in _all_procedures(catalog):
        yield (p.name, p.method.upper(), p.path or None, p.table, p.description)


def _procedure_parameters(catalog):
    for p in _all_procedures(catalog):
        for position, param in enumerate(p.params, start=1):
            yield (p.name, param.name, position, param.type, param.required, param.description)


_ROWS = {
    "sys_tables": _tables,
    "sys_columns": _columns,
    "sys_procedures": _procedures,
    "sys_procedure_parameters": _procedure_parameters,
}
