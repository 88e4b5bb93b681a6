"""An action's result set: ``Success`` plus the returned object in its table's shape.

``Success`` is a boolean column (True). The connector spec prints it as the
string "true" because its payloads are all strings; in SQL a boolean is what
a caller compares against. When Stripe returns an object, its columns follow
in the row shape of its table (a confirmed payment intent reads like a row of
``payment_intents``). Some actions add named outputs: AcceptQuote's
``InvoiceId`` is the invoice the accepted quote created. When the response
has no table shape (an account link, an ephemeral key), a ``response`` column
holds Stripe's answer as JSON text, so nothing it returned is lost.
"""

from __future__ import annotations

import json

from ..catalog.model import Procedure, Table
from ..context import StatementContext
from ..result import Result
from ..writes.returning import description_entry


def action_result(conn: StatementContext, procedure: Procedure, obj: dict | None) -> Result:
    """The result set of an action (the write log already has ``obj``: writes/run.py)."""
    table = _result_table(conn, procedure, obj)
    description = [description_entry("Success", "boolean", False)]
    row: list = [True]
    for column, field in procedure.outputs.items():
        description.append(description_entry(column, "string"))
        row.append(_id_of((obj or {}).get(field)))
    if table is not None and obj is not None:
        from ..rows import flatten

        description.extend(description_entry(c.name, c.type, c.nullable) for c in table.columns)
        row.extend(flatten(table, obj))
    elif obj is not None:
        description.append(description_entry("response", "json"))
        row.append(json.dumps(obj, separators=(",", ":")))
    return Result(description=description, rows=iter([tuple(row)]), rowcount=1)


def _result_table(conn: StatementContext, procedure: Procedure, obj: dict | None) -> Table | None:
    if isinstance(obj, dict) and obj.get("object"):
        table = conn.catalog.table_for_object(obj["object"])
        if table is not None:
            return table
    if procedure.table and not (isinstance(obj, dict) and obj.get("deleted")):
        return conn.catalog.tables.get(procedure.table)
    return None


def _id_of(value):
    return value.get("id") if isinstance(value, dict) else value
