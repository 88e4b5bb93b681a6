"""resolve_query: a parsed query in, the query over temp tables plus one TableRef per
Stripe table out. A sequence of small passes, each a function over the tree:

1. rewrites that let more predicates reach Stripe (``rewrite.py``);
2. names: each table and column against the catalog (``name_resolution.py``);
3. the spec's bare entity id (``WHERE 'cus_x'``) as ``id = 'cus_x'`` (``entity_id.py``);
4. what the query says about each reference: conjuncts, LIMIT, join keys, used
   columns (``ref_facts.py``);
5. temp table names, then datetime literals compared with datetime columns in the
   form SQLite compares (``values.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from stripe_dbapi.sql.entity_id import bare_entity_id, id_equality
from stripe_dbapi.sql.name_resolution import Bindings, bind_columns, bind_tables, rename_tables
from stripe_dbapi.sql.output import query_columns
from stripe_dbapi.sql.ref_facts import (
    collect_conjuncts,
    collect_join_keys,
    collect_limit,
    collect_used_columns,
    streamable,
)
from stripe_dbapi.sql.refs import TableRef
from stripe_dbapi.sql.rewrite import fold_constants, name_computed_columns, push_into_derived_tables
from stripe_dbapi.sql.syntax import own_columns
from stripe_dbapi.sql.values import normalize_datetime_literals


@dataclass
class ResolvedQuery:
    expression: exp.Expression  # rewritten: temp table names, canonical columns
    refs: list[TableRef]
    streamable: bool  # one Stripe table, row-at-a-time: pages can flow through


def resolve_query(catalog, expression: exp.Expression) -> ResolvedQuery:
    expression = expression.copy()
    name_computed_columns(expression)
    fold_constants(expression)
    push_into_derived_tables(expression)
    scopes = traverse_scope(expression)
    bindings = bind_tables(catalog, scopes)
    for scope in scopes:
        _bare_entity_id_to_equality(scope, bindings.aliases(scope))
    bind_columns(catalog, scopes, bindings)
    for scope in scopes:
        aliases = bindings.aliases(scope)
        collect_conjuncts(scope, aliases, bindings.column_ref)
        collect_limit(scope, aliases, bindings.column_ref)
        collect_join_keys(scope, aliases, bindings.column_ref)
    collect_used_columns(
        scopes, bindings.scope_refs, bindings.refs, bindings.column_ref, expression
    )
    is_streamable = streamable(scopes, bindings.refs)
    rename_tables(scopes, bindings)
    # After renaming, so derived tables' output types can be traced to temp tables.
    types = _column_types(scopes, bindings)
    normalize_datetime_literals(expression, lambda c: types.get(id(c)))
    return ResolvedQuery(expression=expression, refs=bindings.refs, streamable=is_streamable)


def _bare_entity_id_to_equality(scope: Scope, aliases: dict[str, TableRef]) -> None:
    """``SELECT ... FROM customers WHERE 'cus_x'`` means ``id = 'cus_x'`` (entity_id.py), as
    in UPDATE/DELETE: for a SELECT over one Stripe table, so the id names its object."""
    where = scope.expression.args.get("where")
    if where is None or len(scope.selected_sources) != 1 or len(aliases) != 1:
        return
    (ref,) = aliases.values()
    object_id = bare_entity_id(where.this)
    if object_id is None or ref.system or not any(c.name == "id" for c in ref.table.columns):
        return
    where.set("this", id_equality(object_id))
    scope.clear_cache()


def _column_types(scopes: list[Scope], bindings: Bindings) -> dict[int, str | None]:
    """id(column) -> catalog type, for base-table columns and columns of derived tables/CTEs
    (so ``created = 1700000000`` means the same inside and outside a virtual table)."""
    tables = {ref.sql_name: ref.table for ref in bindings.refs}
    types: dict[int, str | None] = {}
    for scope in scopes:
        for column in own_columns(scope):
            ref = bindings.column_ref.get(id(column))
            if ref is not None:
                types[id(column)] = next(
                    (c.type for c in ref.table.columns if c.name == column.name), None
                )
                continue
            type_code = _derived_column_type(scope, column, tables)
            if type_code is not None:
                types[id(column)] = type_code
    return types


def _derived_column_type(scope: Scope, column: exp.Column, tables: dict) -> str | None:
    """The type of a column read from a derived table or CTE of ``scope`` (None: unknown)."""
    qualifier = column.table.lower()
    found = None
    for name, (_, source) in scope.selected_sources.items():
        if isinstance(source, Scope) and (not qualifier or name.lower() == qualifier):
            for output_name, type_code in query_columns(source.expression, tables):
                if output_name.lower() == column.name.lower() and type_code:
                    found = type_code
                    break
    return found
