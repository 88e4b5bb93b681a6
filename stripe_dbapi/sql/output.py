"""Types of a query's result columns, for cursor.description and value conversion.

A bare column reference (also through derived tables, CTEs, ``*``, MIN/MAX,
COALESCE) keeps its catalog type; comparisons and logic are booleans, SQLite's
``datetime(...)`` is a datetime (``date(...)`` stays text); any other expression
gets the type of the values SQLite returns (decided from the first rows by ``select.py``).
"""

from __future__ import annotations

from sqlglot import exp

from stripe_dbapi.sql.tree import from_clause, with_clause

_SAME_TYPE_FUNCS = (exp.Min, exp.Max, exp.Coalesce, exp.Paren, exp.AnyValue)
# Expressions whose value is a truth value (comparisons, logic, IS, LIKE, IN, EXISTS).
_PREDICATES = (exp.Predicate, exp.Connector, exp.Not, exp.Boolean)
_CAST_TYPES = {
    "INT": "integer", "INTEGER": "integer", "BIGINT": "integer",
    "REAL": "number", "FLOAT": "number", "DOUBLE": "number",
    "TEXT": "string", "VARCHAR": "string",
}


def output_types(expression: exp.Expression, tables: dict) -> list[tuple[str, str | None]]:
    """[(name, type or None)] of the query's result columns; ``tables``: temp name -> Table."""
    return _query_columns(expression, tables, {})


def query_columns(query, tables, ctes=None) -> list[tuple[str, str | None]]:
    """[(name, type or None)] of any query node (SELECT, UNION, derived table)."""
    return _query_columns(query, tables, ctes or {})


def _query_columns(query, tables, ctes) -> list[tuple[str, str | None]]:
    # A compound query's columns are its first SELECT's; walk a long (left-deep)
    # UNION chain down to it in a loop, not one call per UNION.
    while isinstance(query, (exp.Subquery, exp.Union, exp.Intersect, exp.Except)):
        if not isinstance(query, exp.Subquery):
            ctes = _with_ctes(query, ctes)
        query = query.this
    if not isinstance(query, exp.Select):
        return []
    ctes = _with_ctes(query, ctes)
    sources = _sources(query, tables, ctes)
    out: list[tuple[str, str | None]] = []
    for projection in query.expressions:
        if isinstance(projection, exp.Star):
            for _, columns in sources:
                out.extend(columns)
            continue
        if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            for alias, columns in sources:
                if alias == projection.table.lower():
                    out.extend(columns)
            continue
        out.append((projection.alias_or_name, _expression_type(projection.unalias(), sources)))
    return out


def _with_ctes(query, ctes):
    with_ = with_clause(query)
    if not with_:
        return ctes
    ctes = dict(ctes)
    for cte in with_.expressions:
        ctes[cte.alias.lower()] = cte.this
    return ctes


def _sources(select: exp.Select, tables, ctes):
    nodes = []
    from_ = from_clause(select)
    if from_ is not None:
        nodes.append(from_.this)
    nodes.extend(join.this for join in select.args.get("joins") or [])
    sources = []
    for node in nodes:
        alias = node.alias_or_name.lower()
        if isinstance(node, exp.Table) and node.name in tables:
            columns = [(c.name, c.type) for c in tables[node.name].columns]
        elif isinstance(node, exp.Table) and node.name.lower() in ctes:
            columns = _query_columns(ctes[node.name.lower()], tables, ctes)
        elif isinstance(node, exp.Subquery):
            columns = _query_columns(node.this, tables, ctes)
        else:
            columns = []
        sources.append((alias, columns))
    return sources


def _expression_type(node: exp.Expression, sources) -> str | None:
    if isinstance(node, exp.Column):
        qualifier = node.table.lower()
        for alias, columns in sources:
            if qualifier and alias != qualifier:
                continue
            for name, type_code in columns:
                if name.lower() == node.name.lower():
                    return type_code
        return None
    if isinstance(node, _SAME_TYPE_FUNCS):
        return _expression_type(node.this, sources)
    if isinstance(node, exp.Count):
        return "integer"
    if isinstance(node, _PREDICATES):
        return "boolean"  # SQLite's 0/1 (or NULL) of a truth value
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "datetime":
        return "datetime"  # 'YYYY-MM-DD HH:MM:SS' UTC text, e.g. Superset's time grains
    if isinstance(node, exp.Cast):
        return _CAST_TYPES.get(node.to.sql().upper().split("(")[0])
    return None


def value_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"
