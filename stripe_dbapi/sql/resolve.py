"""Names against the catalog: which Stripe table each FROM entry is, which column each name is.

Works per sqlglot scope (each SELECT, derived table, CTE and subquery is one),
so joins, subqueries and CTEs resolve like SQL says. Every reference to a Stripe
table becomes its own SQLite temp table (``_t0``, ``_t1``, ...; two references
to ``charges`` may push different filters), aliased with the name the query
uses, so qualified columns keep working. Columns are rewritten to canonical
names ("CustomerId" -> "customer"), which is also what results are named.

For each reference the WHERE conjuncts of its own scope that touch only it are
collected: those are the candidates for pushdown (``pushdown.py`` decides).
The full WHERE still runs in SQLite afterwards, so pushing is only ever a
narrowing of what is fetched, never the last word on a row.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.catalog.names import normalize
from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.sql import systables
from stripe_dbapi.sql.entity_id import bare_entity_id, id_equality
from stripe_dbapi.sql.tree import from_clause
from stripe_dbapi.sql.values import normalize_datetime_literals


@dataclass(eq=False)
class TableRef:
    """One reference to a Stripe (or system) table in the query."""

    index: int
    table: Table
    alias: str  # the name the query's qualifiers use
    sql_name: str  # the SQLite temp table: "_t0"
    system: bool = False
    conjuncts: list = field(default_factory=list)  # pushable WHERE conjuncts (canonical names)
    # Set when this reference's SELECT could take a pushed LIMIT: single source,
    # no ORDER BY/GROUP BY/aggregates/DISTINCT/window, and the whole WHERE is ours.
    limit: int | None = None
    offset: int = 0
    # Columns the query uses (None: all, e.g. SELECT *). Only these are flattened
    # and loaded into SQLite: a 6-column scan of charges skips ~100 columns per row.
    used_columns: set | None = None
    # The LIMIT is under ORDER BY created DESC: pushable only to plain lists, which
    # Stripe returns newest first (Search has no guaranteed order).
    newest_first: bool = False
    # Equalities with other references every result row needs (inner joins, WHERE):
    # (this column, other ref, other column). See joinfetch.py.
    join_keys: list = field(default_factory=list)

    @property
    def loaded_table(self) -> Table:
        return narrowed(self.table, self.used_columns)


_NARROWED: dict = {}


def narrowed(table: Table, used: set | None) -> Table:
    """``table`` with only the ``used`` columns (catalog order), one object per shape."""
    if used is None:
        return table
    names = tuple(c.name for c in table.columns if c.name in used) or (table.columns[0].name,)
    key = (id(table), names)
    cached = _NARROWED.get(key)
    if cached is None or cached[0] is not table:
        columns = tuple(c for c in table.columns if c.name in names)
        cached = (table, dataclasses.replace(table, columns=columns))
        _NARROWED[key] = cached
    return cached[1]


@dataclass
class ResolvedQuery:
    expression: exp.Expression  # rewritten: temp table names, canonical columns
    refs: list[TableRef]
    streamable: bool  # one Stripe table, row-at-a-time: pages can flow through


def resolve_query(catalog, expression: exp.Expression) -> ResolvedQuery:
    from stripe_dbapi.sql.rewrite import fold_constants, push_into_derived_tables

    expression = expression.copy()
    _name_computed_columns(expression)
    fold_constants(expression)
    push_into_derived_tables(expression)
    scopes = traverse_scope(expression)
    refs: list[TableRef] = []
    ref_of_node: dict[int, TableRef] = {}  # id(exp.Table) -> ref
    scope_refs: dict[int, dict[str, TableRef]] = {}  # id(scope) -> alias(lower) -> ref
    for scope in scopes:
        aliases: dict[str, TableRef] = {}
        for name, source in scope.selected_sources.items():
            node, target = source
            if not isinstance(target, exp.Table) or id(target) in ref_of_node:
                continue
            if not isinstance(target.this, exp.Identifier):
                continue  # a table-valued function: json_each(metadata), SQLite's own
            ref = _make_ref(catalog, target, len(refs))
            refs.append(ref)
            ref_of_node[id(target)] = ref
            aliases[name.lower()] = ref
        scope_refs[id(scope)] = aliases
        _bare_entity_id_to_equality(scope, aliases)

    column_ref: dict[int, TableRef] = {}
    for scope in scopes:
        for column in own_columns(scope):
            ref = _resolve_column(catalog, scope, column, scope_refs, column_ref)
            if ref is not None:
                column_ref[id(column)] = ref

    for scope in scopes:
        _collect_conjuncts(scope, scope_refs[id(scope)], column_ref)
        _collect_join_keys(scope, scope_refs[id(scope)], column_ref)
    _collect_used_columns(scopes, scope_refs, refs, column_ref, expression)

    streamable = _streamable(scopes, refs)
    for scope in scopes:
        for node, target in list(scope.selected_sources.values()):
            ref = ref_of_node.get(id(target))
            if ref is not None and isinstance(target, exp.Table):
                target.replace(
                    exp.Table(
                        this=exp.to_identifier(ref.sql_name),
                        alias=exp.TableAlias(this=exp.to_identifier(ref.alias)),
                    )
                )
    # After renaming, so derived tables' output types can be traced to temp tables.
    types = _column_types(scopes, column_ref, {ref.sql_name: ref.table for ref in refs})
    normalize_datetime_literals(expression, lambda c: types.get(id(c)))
    return ResolvedQuery(expression=expression, refs=refs, streamable=streamable)


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


def _name_computed_columns(expression: exp.Expression) -> None:
    """Alias unnamed result expressions with their SQL as written (``count(*)``), before
    names are rewritten, so result column names do not show temp tables or quoting."""
    select = expression
    while isinstance(select, (exp.Union, exp.Intersect, exp.Except)):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    for projection in list(select.expressions):
        if not isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
            projection.replace(exp.alias_(projection.copy(), projection.sql(dialect="sqlite"), quoted=True))


def own_columns(scope: Scope) -> list[exp.Column]:
    """The scope's columns written in its own SELECT. sqlglot also lists a subquery's
    unqualified columns in the enclosing scope (they might be correlated); each
    column is resolved in the scope that contains it, which looks outwards itself."""
    return [c for c in scope.columns if c.find_ancestor(exp.Select) is scope.expression]


def _make_ref(catalog, node: exp.Table, index: int) -> TableRef:
    written = node.name
    alias = node.alias or written
    sys_table = systables.table(written)
    if sys_table is not None:
        return TableRef(index, sys_table, alias, f"_t{index}", system=True)
    table = catalog.table(written)
    return TableRef(index, table, alias, f"_t{index}")


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


def _scope_chain(scope: Scope):
    while scope is not None:
        yield scope
        scope = scope.parent


def _resolve_column(catalog, scope: Scope, column: exp.Column, scope_refs, column_ref) -> TableRef | None:
    if isinstance(column.this, exp.Star):
        return None
    name = column.name
    qualifier = column.table
    if qualifier:
        for outer in _scope_chain(scope):
            ref = scope_refs.get(id(outer), {}).get(qualifier.lower())
            if ref is not None:
                return _rewrite(catalog, ref, column, name, strict=True)
            sources = {k.lower(): source for k, (_, source) in outer.selected_sources.items()}
            if qualifier.lower() in sources:
                # A derived table or CTE: its own output names, matched forgivingly.
                source = sources[qualifier.lower()]
                if isinstance(source, Scope):
                    _to_output_name(catalog, column, [source], scope_refs, column_ref)
                return None
        return None
    for outer in _scope_chain(scope):
        candidates = list(scope_refs.get(id(outer), {}).values())
        exact = [ref for ref in candidates if name.lower() in _column_names(ref.table)]
        if exact:
            _check_unambiguous(outer, column, exact)
            return _rewrite(catalog, exact[0], column, name, strict=False)
        if _is_projection_alias(outer, name):
            return None  # ORDER BY/GROUP BY/WHERE may name a result column
        matches = [ref for ref in candidates if _lookup(catalog, ref, name)]
        if matches:
            _check_unambiguous(outer, column, matches)
            return _rewrite(catalog, matches[0], column, name, strict=False)
        derived = len(outer.selected_sources) > len(candidates)
        if derived and outer is scope:
            inner = [source for _, source in outer.selected_sources.values() if isinstance(source, Scope)]
            _to_output_name(catalog, column, inner, scope_refs, column_ref)
        if candidates and not derived and outer is scope and not _has_outer_refs(scope, scope_refs):
            if len(candidates) > 1:
                raise _unknown_in_tables(name, candidates)
            # Raise the catalog's error: it names the closest columns.
            if candidates[0].system:
                raise ProgrammingError(
                    f"Unknown column '{name}' in {candidates[0].table.name}; columns: "
                    + ", ".join(c.name for c in candidates[0].table.columns)
                )
            catalog.column(candidates[0].table, name)
        if derived:
            return None
    return None


def _to_output_name(catalog, column: exp.Column, sources: list[Scope], scope_refs, column_ref) -> None:
    """Rename ``column`` to the output column of a derived table/CTE it means, by the same
    forgiving rules as table columns (``t.CustomerId`` -> ``t.customer`` over ``SELECT *``)."""
    name = column.name
    matches = []
    for source in sources:
        outputs = _outputs(source, scope_refs, column_ref)
        if outputs is None:
            continue
        if any(out.lower() == name.lower() for out, _, _ in outputs):
            return  # written as SQLite will find it
        matches += [out for out, ref, base in outputs
                    if (ref is not None and _lookup(catalog, ref, name) == base)
                    or normalize(out) == normalize(name)]
    if len(set(matches)) == 1:
        column.set("this", exp.to_identifier(matches[0]))


def _outputs(scope: Scope, scope_refs, column_ref) -> list[tuple[str, TableRef | None, str | None]] | None:
    """(output name, base table ref, base column) per output column of a derived table or
    CTE (ref None for computed outputs); None when they cannot be known here."""
    select = scope.expression
    if not isinstance(select, exp.Select):
        return None
    refs = scope_refs.get(id(scope), {})
    outputs: list = []
    for projection in select.expressions:
        star = isinstance(projection, exp.Star) or (
            isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star))
        if star:
            qualifier = projection.table.lower() if isinstance(projection, exp.Column) else ""
            for source_name, (_, source) in scope.selected_sources.items():
                if qualifier and source_name.lower() != qualifier:
                    continue
                ref = refs.get(source_name.lower())
                inner = ([(c.name, ref, c.name) for c in ref.table.columns] if ref is not None
                         else _outputs(source, scope_refs, column_ref) if isinstance(source, Scope) else None)
                if inner is None:
                    return None
                outputs += inner
        elif isinstance(projection, exp.Column):
            outputs.append((projection.name, column_ref.get(id(projection)), projection.name))
        else:
            outputs.append((projection.alias_or_name, None, None))
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
    in_order = isinstance(column.find_ancestor(exp.Order, exp.Group, exp.Select), (exp.Order, exp.Group))
    if in_order and _is_projection_alias(scope, column.name):
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
    wanted = normalize(name)
    scored = []
    for ref in refs:
        for c in ref.table.columns:
            score = difflib.SequenceMatcher(None, wanted, normalize(c.name)).ratio()
            if score >= 0.6:
                scored.append((-score, f"{ref.alias}.{c.name}"))
    near = [qualified for _, qualified in sorted(scored)[:5]]
    hint = f"; did you mean: {', '.join(near)}?" if near else ""
    tables = ", ".join(ref.table.name if ref.alias == ref.table.name else f"{ref.table.name} {ref.alias}"
                       for ref in refs)
    return ProgrammingError(f"unknown column {name!r} in {tables}{hint}")


def _collect_used_columns(scopes, scope_refs, refs, column_ref, expression) -> None:
    for ref in refs:
        ref.used_columns = set()
    for column in expression.find_all(exp.Column):
        ref = column_ref.get(id(column))
        if ref is not None:
            ref.used_columns.add(column.name)
    for scope in scopes:
        select = scope.expression
        if not isinstance(select, exp.Select):
            continue
        aliases = scope_refs.get(id(scope), {})
        for projection in select.expressions:
            if isinstance(projection, exp.Star):
                for ref in aliases.values():
                    ref.used_columns = None
            elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
                ref = aliases.get(projection.table.lower())
                if ref is not None:
                    ref.used_columns = None
    for ref in refs:
        if ref.system:
            ref.used_columns = None


def _has_outer_refs(scope: Scope, scope_refs) -> bool:
    return any(scope_refs.get(id(outer)) for outer in _scope_chain(scope.parent))


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


def _is_projection_alias(scope: Scope, name: str) -> bool:
    select = scope.expression
    if not isinstance(select, exp.Select):
        return False
    return any(
        isinstance(p, exp.Alias) and p.alias.lower() == name.lower() for p in select.expressions
    )


def _column_types(scopes, column_ref, tables) -> dict[int, str | None]:
    """id(column) -> catalog type, for base-table columns and columns of derived tables/CTEs
    (so ``created = 1700000000`` means the same inside and outside a virtual table)."""
    from stripe_dbapi.sql.output import query_columns

    types: dict[int, str | None] = {}
    for scope in scopes:
        for column in own_columns(scope):
            ref = column_ref.get(id(column))
            if ref is not None:
                types[id(column)] = next((c.type for c in ref.table.columns if c.name == column.name), None)
                continue
            qualifier = column.table.lower()
            for name, (_, source) in scope.selected_sources.items():
                if isinstance(source, Scope) and (not qualifier or name.lower() == qualifier):
                    for output_name, type_code in query_columns(source.expression, tables):
                        if output_name.lower() == column.name.lower() and type_code:
                            types[id(column)] = type_code
                            break
    return types


def conjuncts_of(condition: exp.Expression | None) -> list[exp.Expression]:
    if condition is None:
        return []
    if isinstance(condition, exp.Paren):
        return conjuncts_of(condition.this)
    if isinstance(condition, exp.And):
        return conjuncts_of(condition.left) + conjuncts_of(condition.right)
    return [condition]


def _outer_joined_aliases(select: exp.Select) -> set[str]:
    """Aliases on the NULL-supplying side of an outer join: not safe to narrow."""
    nullable: set[str] = set()
    sources = [from_clause(select).this] if from_clause(select) else []
    for join in select.args.get("joins") or []:
        side = (join.side or "").upper()
        if side in ("RIGHT", "FULL"):
            nullable.update(s.alias_or_name.lower() for s in sources)
        if side in ("LEFT", "FULL"):
            nullable.add(join.this.alias_or_name.lower())
        sources.append(join.this)
    return nullable


def _collect_conjuncts(scope: Scope, aliases: dict[str, TableRef], column_ref) -> None:
    select = scope.expression
    if not isinstance(select, exp.Select) or not aliases:
        return
    where = select.args.get("where")
    conjuncts = conjuncts_of(where.this if where else None)
    nullable = _outer_joined_aliases(select)
    owners: list[TableRef | None] = []
    for conjunct in conjuncts:
        owner = None
        if not conjunct.find(exp.Select, exp.AggFunc, exp.Window, exp.Placeholder):
            found = {column_ref.get(id(c)) for c in conjunct.find_all(exp.Column)}
            if len(found) == 1:
                candidate = found.pop()
                if candidate is not None and candidate in aliases.values() and (
                    candidate.alias.lower() not in nullable
                ):
                    owner = candidate
        owners.append(owner)
        if owner is not None:
            owner.conjuncts.append(conjunct)
    if len(aliases) != 1 or len(scope.selected_sources) != 1:
        return
    (ref,) = aliases.values()
    newest_first = _orders_newest_first(select, ref, column_ref)
    if _row_at_a_time(select, allow_order=newest_first):
        ref.newest_first = newest_first
        if all(o is ref for o in owners):
            limit = int_arg(select.args.get("limit"))
            offset = int_arg(select.args.get("offset")) or 0
            if limit is not None:
                ref.limit, ref.offset = limit, offset


def _column_pairs(condition):
    for conjunct in conjuncts_of(condition):
        if isinstance(conjunct, exp.EQ) and isinstance(conjunct.left, exp.Column) and isinstance(
            conjunct.right, exp.Column
        ):
            yield conjunct.left, conjunct.right


def _collect_join_keys(scope: Scope, aliases: dict[str, TableRef], column_ref) -> None:
    """Equalities ``a.x = b.y`` that every result row satisfies: restricting ``a`` to the
    ``y`` values of ``b`` then loses no row. True for WHERE and inner-join ON conjuncts,
    and, for a LEFT JOIN's ON, for the joined (NULL-supplying) table only."""
    select = scope.expression
    if not isinstance(select, exp.Select) or len(aliases) < 2:
        return
    where = select.args.get("where")
    restrictable: list[tuple[exp.Column, exp.Column]] = []
    for left, right in _column_pairs(where.this if where else None):
        restrictable += [(left, right), (right, left)]
    for join in select.args.get("joins") or []:
        side = (join.side or "").upper()
        kind = (join.kind or "").upper()
        pairs = list(_column_pairs(join.args.get("on")))
        if not side and kind in ("", "INNER"):
            for left, right in pairs:
                restrictable += [(left, right), (right, left)]
        elif side == "LEFT":
            joined = join.this.alias_or_name.lower()
            for left, right in pairs:
                for a, b in ((left, right), (right, left)):
                    ref = column_ref.get(id(a))
                    if ref is not None and ref.alias.lower() == joined:
                        restrictable.append((a, b))
    refs = list(aliases.values())
    for a, b in restrictable:
        ref_a, ref_b = column_ref.get(id(a)), column_ref.get(id(b))
        if ref_a in refs and ref_b in refs and ref_a is not ref_b and not (ref_a.system or ref_b.system):
            key = (a.name, ref_b, b.name)
            if key not in ref_a.join_keys:
                ref_a.join_keys.append(key)


def int_arg(node) -> int | None:
    """A LIMIT/OFFSET value when it is a plain non-negative integer literal, else None."""
    if node is None:
        return None
    value = node.expression if isinstance(node, (exp.Limit, exp.Offset)) else node
    if isinstance(value, exp.Literal) and not value.is_string:
        try:
            return int(value.this)
        except ValueError:
            return None
    return None


def _orders_newest_first(select: exp.Select, ref: TableRef, column_ref) -> bool:
    """``ORDER BY created DESC``: the order Stripe lists in, so a LIMIT can still be pushed."""
    order = select.args.get("order")
    if order is None or len(order.expressions) != 1:
        return False
    key = order.expressions[0]
    column = key.this
    return (
        isinstance(key, exp.Ordered) and bool(key.args.get("desc"))
        and isinstance(column, exp.Column) and column.name == "created"
        and column_ref.get(id(column)) is ref
    )


def _row_at_a_time(select: exp.Select, allow_order: bool = False) -> bool:
    """No clause that needs all rows before the first: ORDER/GROUP/aggregate/DISTINCT/window."""
    if select.args.get("joins"):
        return False
    if any(select.args.get(k) for k in ("group", "having", "distinct", "qualify")):
        return False
    if select.args.get("order") and not allow_order:
        return False
    return not any(p.find(exp.AggFunc, exp.Window) for p in select.expressions)


def _streamable(scopes: list[Scope], refs: list[TableRef]) -> bool:
    if len(scopes) != 1 or len(refs) != 1:
        return False
    select = scopes[0].expression
    return isinstance(select, exp.Select) and _row_at_a_time(select) and not refs[0].system
