"""Names against the catalog: which Stripe table each FROM entry is, which column each name is.

Works per sqlglot scope (each SELECT, derived table, CTE and subquery is one),
so joins, subqueries and CTEs resolve like SQL says. Every reference to a Stripe
table becomes its own SQLite temp table (``_t0``, ``_t1``, ...; two references
to ``charges`` may push different filters), aliased with the name the query
uses, so qualified columns keep working. Columns are rewritten to canonical
names ("CustomerId" -> "customer"), which is also what results are named.
Names are forgiving (``stripe_dbapi/names.py``); an unknown or ambiguous one is a
ProgrammingError naming the closest columns, before any request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.optimizer.scope import Scope

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.names import did_you_mean, normalize
from stripe_dbapi.sql import systables
from stripe_dbapi.sql.refs import TableRef
from stripe_dbapi.sql.syntax import is_projection_alias, is_star, own_columns, scope_chain


@dataclass
class Bindings:
    """What each table and column node of a query refers to (keyed by ``id(node)``)."""

    refs: list[TableRef] = field(default_factory=list)
    ref_of_node: dict[int, TableRef] = field(default_factory=dict)  # id(exp.Table) -> ref
    scope_refs: dict[int, dict[str, TableRef]] = field(
        default_factory=dict
    )  # id(scope) -> alias -> ref
    column_ref: dict[int, TableRef] = field(default_factory=dict)  # id(exp.Column) -> ref

    def aliases(self, scope: Scope) -> dict[str, TableRef]:
        """alias (lower case) -> reference, for the Stripe tables the scope selects from."""
        return self.scope_refs.get(id(scope), {})


def bind_tables(catalog, scopes: list[Scope]) -> Bindings:
    """One TableRef per Stripe or system table node (an unknown table name raises)."""
    bindings = Bindings()
    for scope in scopes:
        aliases: dict[str, TableRef] = {}
        for name, (_, target) in scope.selected_sources.items():
            if not isinstance(target, exp.Table) or id(target) in bindings.ref_of_node:
                continue
            if not isinstance(target.this, exp.Identifier):
                continue  # a table-valued function: json_each(metadata), SQLite's own
            ref = _make_ref(catalog, target, len(bindings.refs))
            bindings.refs.append(ref)
            bindings.ref_of_node[id(target)] = ref
            aliases[name.lower()] = ref
        bindings.scope_refs[id(scope)] = aliases
    return bindings


def bind_columns(catalog, scopes: list[Scope], bindings: Bindings) -> None:
    """Rewrite every column to its canonical name and record which reference it reads."""
    for scope in scopes:
        for column in own_columns(scope):
            ref = _resolve_column(catalog, scope, column, bindings)
            if ref is not None:
                bindings.column_ref[id(column)] = ref


def rename_tables(scopes: list[Scope], bindings: Bindings) -> None:
    """Each Stripe table node becomes its temp table, aliased as the query names it."""
    for scope in scopes:
        for _, target in list(scope.selected_sources.values()):
            ref = bindings.ref_of_node.get(id(target))
            if ref is not None and isinstance(target, exp.Table):
                target.replace(
                    exp.Table(
                        this=exp.to_identifier(ref.sql_name),
                        alias=exp.TableAlias(this=exp.to_identifier(ref.alias)),
                    )
                )


def table_named(catalog, written: str) -> Table:
    """The Stripe or sys_* table a query's ``FROM written`` reads ("Customer",
    "SysColumns"...); an unknown name is a ProgrammingError naming the closest tables."""
    return systables.table(written) or catalog.table(written)


def _make_ref(catalog, node: exp.Table, index: int) -> TableRef:
    written = node.name
    alias = node.alias or written
    table = table_named(catalog, written)
    system = table is systables.SYS_TABLES.get(table.name)
    return TableRef(index, table, alias, f"_t{index}", system=system)


def _column_names(table: Table) -> dict[str, str]:
    return {c.name.lower(): c.name for c in table.columns}


def _lookup(catalog, ref: TableRef, name: str) -> str | None:
    """Canonical column name, or None if ``name`` is not a column of ``ref``."""
    exact = _column_names(ref.table).get(name.lower())
    if exact:
        return exact
    if ref.system:
        return systables.column(ref.table, name)
    try:
        return catalog.column(ref.table, name).name
    except ProgrammingError:
        return None


def _resolve_column(
    catalog, scope: Scope, column: exp.Column, bindings: Bindings
) -> TableRef | None:
    if isinstance(column.this, exp.Star):
        return None
    if column.table:
        return _resolve_qualified(catalog, scope, column, bindings)
    return _resolve_unqualified(catalog, scope, column, bindings)


def _resolve_qualified(
    catalog, scope: Scope, column: exp.Column, bindings: Bindings
) -> TableRef | None:
    """``q.name``: the nearest scope that has a source called ``q`` decides."""
    qualifier = column.table.lower()
    for outer in scope_chain(scope):
        ref = bindings.aliases(outer).get(qualifier)
        if ref is not None:
            return _rewrite(catalog, ref, column, column.name, strict=True)
        sources = {k.lower(): source for k, (_, source) in outer.selected_sources.items()}
        if qualifier in sources:
            # A derived table or CTE: its own output names, matched forgivingly.
            if isinstance(sources[qualifier], Scope):
                _to_output_name(catalog, column, [sources[qualifier]], bindings)
            return None
    return None


def _resolve_unqualified(
    catalog, scope: Scope, column: exp.Column, bindings: Bindings
) -> TableRef | None:
    """``name``: exact names first, then forgiving ones, scope by scope outwards."""
    name = column.name
    for outer in scope_chain(scope):
        candidates = list(bindings.aliases(outer).values())
        exact = [ref for ref in candidates if name.lower() in _column_names(ref.table)]
        if exact:
            _check_unambiguous(outer, column, exact)
            return _rewrite(catalog, exact[0], column, name, strict=False)
        if is_projection_alias(outer, name):
            return None  # ORDER BY/GROUP BY/WHERE may name a result column
        matches = [ref for ref in candidates if _lookup(catalog, ref, name)]
        if matches:
            _check_unambiguous(outer, column, matches)
            return _rewrite(catalog, matches[0], column, name, strict=False)
        derived = len(outer.selected_sources) > len(candidates)
        if derived and outer is scope:
            inner = [
                source for _, source in outer.selected_sources.values() if isinstance(source, Scope)
            ]
            _to_output_name(catalog, column, inner, bindings)
        if candidates and not derived and outer is scope and not _has_outer_refs(scope, bindings):
            _raise_unknown_column(catalog, name, candidates)
        if derived:
            return None
    return None


def _raise_unknown_column(catalog, name: str, candidates: list[TableRef]) -> None:
    """Raise the error for a name no table of the scope has, naming the closest columns."""
    if len(candidates) > 1:
        raise _unknown_in_tables(name, candidates)
    (ref,) = candidates
    if ref.system:
        raise ProgrammingError(
            f"Unknown column '{name}' in {ref.table.name}; columns: "
            + ", ".join(c.name for c in ref.table.columns)
        )
    catalog.column(ref.table, name)  # the catalog's error names the closest columns


def _has_outer_refs(scope: Scope, bindings: Bindings) -> bool:
    return any(bindings.aliases(outer) for outer in scope_chain(scope.parent))


def _to_output_name(catalog, column: exp.Column, sources: list[Scope], bindings: Bindings) -> None:
    """Rename ``column`` to the output column of a derived table/CTE it means, by the same
    forgiving rules as table columns (``t.CustomerId`` -> ``t.customer`` over ``SELECT *``)."""
    name = column.name
    matches = []
    for source in sources:
        outputs = _outputs(source, bindings)
        if outputs is None:
            continue
        if any(out.lower() == name.lower() for out, _, _ in outputs):
            return  # written as SQLite will find it
        matches += [out for out, ref, base in outputs
                    if (ref is not None and _lookup(catalog, ref, name) == base)
                    or normalize(out) == normalize(name)]
    if len(set(matches)) == 1:
        column.set("this", exp.to_identifier(matches[0]))


def _outputs(
    scope: Scope, bindings: Bindings
) -> list[tuple[str, TableRef | None, str | None]] | None:
    """(output name, base table ref, base column) per output column of a derived table or
    CTE (ref None for computed outputs); None when they cannot be known here."""
    select = scope.expression
    if not isinstance(select, exp.Select):
        return None
    outputs: list = []
    for projection in select.expressions:
        if is_star(projection):
            starred = _star_outputs(scope, projection, bindings)
            if starred is None:
                return None
            outputs += starred
        elif isinstance(projection, exp.Column):
            outputs.append(
                (projection.name, bindings.column_ref.get(id(projection)), projection.name)
            )
        else:
            outputs.append((projection.alias_or_name, None, None))
    return outputs


def _star_outputs(scope: Scope, star: exp.Expression, bindings: Bindings):
    """The outputs ``*`` / ``t.*`` stands for in ``scope``; None when one cannot be known."""
    qualifier = star.table.lower() if isinstance(star, exp.Column) else ""
    refs = bindings.aliases(scope)
    outputs: list = []
    for source_name, (_, source) in scope.selected_sources.items():
        if qualifier and source_name.lower() != qualifier:
            continue
        ref = refs.get(source_name.lower())
        if ref is not None:
            outputs += [(c.name, ref, c.name) for c in ref.table.columns]
            continue
        inner = _outputs(source, bindings) if isinstance(source, Scope) else None
        if inner is None:
            return None
        outputs += inner
    return outputs


def _check_unambiguous(scope: Scope, column: exp.Column, refs: list[TableRef]) -> None:
    """An unqualified name two tables of the scope have is an error (SQLite's too, but only
    after every table was fetched, and naming temp tables). USING/NATURAL joins merge the
    column, and ORDER BY/GROUP BY may name a result alias: SQLite decides those."""
    if len(refs) < 2:
        return
    select = scope.expression
    joins = select.args.get("joins") or [] if isinstance(select, exp.Select) else []
    if any(j.args.get("using") or (j.args.get("method") or "").upper() == "NATURAL" for j in joins):
        return
    in_order = isinstance(
        column.find_ancestor(exp.Order, exp.Group, exp.Select), (exp.Order, exp.Group)
    )
    if in_order and is_projection_alias(scope, column.name):
        return
    qualified = " or ".join(f"{ref.alias}.{_lookup_name(ref, column.name)}" for ref in refs)
    raise ProgrammingError(
        f"ambiguous column name {column.name!r} (in {' and '.join(ref.alias for ref in refs)}): "
        f"write {qualified}"
    )


def _lookup_name(ref: TableRef, name: str) -> str:
    return _column_names(ref.table).get(name.lower(), name)


def _unknown_in_tables(name: str, refs: list[TableRef]) -> ProgrammingError:
    """An unknown unqualified column in a join: the closest columns of every table in scope."""
    hint = did_you_mean(
        name, [(c.name, f"{ref.alias}.{c.name}") for ref in refs for c in ref.table.columns]
    )
    tables = ", ".join(
        ref.table.name if ref.alias == ref.table.name else f"{ref.table.name} {ref.alias}"
        for ref in refs
    )
    return ProgrammingError(f"unknown column {name!r} in {tables}{hint}")


def _rewrite(catalog, ref: TableRef, column: exp.Column, name: str, strict: bool):
    canonical = _lookup(catalog, ref, name)
    if canonical is None:
        if strict and not ref.system:
            catalog.column(ref.table, name)  # raises with the closest names
        if strict:
            raise ProgrammingError(f"Unknown column '{name}' in {ref.table.name}")
        return None
    column.set("this", exp.to_identifier(canonical))
    column.set("db", None)
    column.set("catalog", None)
    return ref
