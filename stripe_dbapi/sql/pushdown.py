"""The SQL -> Stripe translation rules: which predicates Stripe can answer, and how.

Input: one table reference and the WHERE conjuncts that touch only it.
Output: a :class:`~stripe_dbapi.sql.plan.Fetch`. The choices, in order:

1. A contradiction (``id = 'a' AND id = 'b'``, an empty range, ``IN ()``) -> no request.
2. ``id = ? / id IN (...)`` -> one retrieve per id, concurrently (or ``ids[]`` on
   tables whose list takes an id array, ten at a time).
3. Otherwise a list: equality filters, range filters (``created[gte]``...),
   ``IN`` -> one list per value (cartesian over columns, bounded) or an array
   param; nested tables: one list per parent id, or a fan-out over the parents.
   Stripe's default visibility is undone (``status=all``; prices' ``active``
   split in two), unless the query constrains that column.
4. Search instead of the list when it answers a predicate the list cannot
   (STRIPE_FACTS.md "Search"); string fields match words, so they are never exact.

Whatever is pushed, the whole WHERE still runs locally: pushing narrows the
fetch, the engine decides. "Exact" only gates LIMIT pushdown.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from sqlglot import exp

from stripe_dbapi.catalog.model import FILTER_ARRAY, FILTER_EQ, FILTER_RANGE, Table
from stripe_dbapi.context import StatementContext
from stripe_dbapi.exceptions import DataError, ProgrammingError
from stripe_dbapi.paths import fill_path, is_valid_id, placeholders
from stripe_dbapi.sql.dialect import DIALECT
from stripe_dbapi.sql.plan import Call, FanOut, Fetch
from stripe_dbapi.sql.values import literal_value, unix_seconds

MAX_FANOUT_CALLS = 50  # at most this many list calls for IN lists (else filter locally)
MAX_SEARCH_CLAUSES = 10
DEFAULT_ARRAY_ITEMS = 10
# Search fields whose meaning differs from the column's SQL value.
# charges.refunded: "true" = fully refunded, "false" = partially, null = none.
UNSEARCHABLE = {("charges", "refunded")}


class _NotPushable(Exception):
    pass


# --- atoms: a conjunct as simple per-column constraints ----------------------------


@dataclass(frozen=True)
class Atom:
    column: str
    op: str  # "in" | "gt" | "gte" | "lt" | "lte" | "meta" | "truth" (x, NOT x, x IS TRUE/FALSE)
    values: tuple = ()  # for "in": the allowed values; for ranges: one value
    key: str | None = None  # metadata key for "meta"


_FLIP = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}
_RANGE_OPS = {exp.GT: "gt", exp.GTE: "gte", exp.LT: "lt", exp.LTE: "lte"}


def _metadata_key(node: exp.Expression) -> str | None:
    """``json_extract(metadata, '$.k')`` / ``metadata ->> 'k'`` -> "k" (the scalar forms only)."""
    if isinstance(node, exp.JSONExtract) and node.args.get("only_json_types") is not None:
        return None  # `->` returns JSON text, not the value
    if not isinstance(node, (exp.JSONExtract, exp.JSONExtractScalar)):
        return None
    if not (isinstance(node.this, exp.Column) and node.this.name == "metadata"):
        return None
    path = node.expression
    if isinstance(path, exp.JSONPath):
        parts = path.expressions
        if len(parts) == 2 and isinstance(parts[0], exp.JSONPathRoot) and isinstance(parts[1], exp.JSONPathKey):
            return str(parts[1].this)
        return None
    if isinstance(path, exp.Literal) and path.is_string:
        text = path.this
        text = text.removeprefix("$.")
        return text if text.replace("_", "").replace("-", "").isalnum() else None
    return None


def atoms_of(conjunct: exp.Expression) -> list[Atom]:
    """The conjunct as constraints; raises _NotPushable if it is not that simple."""
    node = conjunct
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return atoms_of(node.left) + atoms_of(node.right)
    if isinstance(node, exp.Column):  # `WHERE active`: true for booleans only (checked by type)
        return [Atom(node.name, "truth", (True,))]
    if isinstance(node, exp.Not) and isinstance(node.this, exp.Column):
        return [Atom(node.this.name, "truth", (False,))]
    # `x IS v`: sqlglot 28.10 parses it as Is, 30 as NullSafeEQ (IS TRUE/FALSE: Is in both).
    if isinstance(node, (exp.Is, exp.NullSafeEQ)) and isinstance(node.this, exp.Column):
        # `x IS TRUE` / `x IS FALSE` are `x` / `NOT x` (NULL is neither). `x IS NOT TRUE`
        # (a Not around this) also holds for NULL, which no list filter returns: not pushed.
        if isinstance(node.expression, exp.Boolean):
            return [Atom(node.this.name, "truth", (node.expression.this,))]
        # `x IS v` is `x = v` for a non-NULL v.
        value = _literal(node.expression)
        if value is None:
            raise _NotPushable
        return [Atom(node.this.name, "in", (value,))]
    if isinstance(node, exp.Or):
        disjuncts = [atoms_of(d) for d in (node.left, node.right)]
        if all(len(d) == 1 and d[0].op == "in" for d in disjuncts):
            first, second = disjuncts[0][0], disjuncts[1][0]
            if first.column == second.column and first.key is None:
                return [Atom(first.column, "in", first.values + second.values)]
        raise _NotPushable
    if isinstance(node, exp.EQ):
        left, right = node.left, node.right
        for a, b in ((left, right), (right, left)):
            key = _metadata_key(a)
            if key is not None:
                value = _literal(b)
                if isinstance(value, str):
                    return [Atom("metadata", "meta", (value,), key)]
                raise _NotPushable
            if isinstance(a, exp.Column):
                return [Atom(a.name, "in", (_literal(b),))]
        raise _NotPushable
    if isinstance(node, exp.In):
        if not isinstance(node.this, exp.Column) or node.args.get("query") or node.args.get("unnest"):
            raise _NotPushable
        return [Atom(node.this.name, "in", tuple(_literal(v) for v in node.expressions))]
    if type(node) in _RANGE_OPS:
        op = _RANGE_OPS[type(node)]
        if isinstance(node.left, exp.Column):
            return [Atom(node.left.name, op, (_literal(node.right),))]
        if isinstance(node.right, exp.Column):
            return [Atom(node.right.name, _FLIP[op], (_literal(node.left),))]
        raise _NotPushable
    if isinstance(node, exp.Between) and isinstance(node.this, exp.Column):
        name = node.this.name
        return [
            Atom(name, "gte", (_literal(node.args["low"]),)),
            Atom(name, "lte", (_literal(node.args["high"]),)),
        ]
    raise _NotPushable


def _literal(node: exp.Expression):
    try:
        return literal_value(node)
    except ValueError:
        raise _NotPushable from None


# --- typed values ---------------------------------------------------------------------


def _coerce(column_type: str, value):
    """The value as SQLite would compare it with this column, in a form Stripe takes.

    Returns (_NEVER) for values no row can equal; raises _NotPushable when unsure.
    """
    if value is None:
        return _NEVER  # `x = NULL` is never true
    if column_type == "datetime":
        return unix_seconds(value)
    if column_type in ("integer", "number"):
        if isinstance(value, float) and not math.isfinite(value):
            raise DataError(f"{value!r} is not a finite number (a numeric literal too large for a float?)")
        if isinstance(value, bool):
            return Fraction(int(value))
        if isinstance(value, (int, float)):
            return Fraction(value)
        if isinstance(value, str):
            try:
                return Fraction(value.strip())
            except (ValueError, ZeroDivisionError):
                raise _NotPushable from None
        raise _NotPushable
    if column_type == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, (int, float)):
            return _NEVER
        raise _NotPushable
    if column_type in ("string", "json"):
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # TEXT affinity turns the number into text
        raise _NotPushable
    raise _NotPushable


_NEVER = object()


@dataclass
class ColumnConstraint:
    """Everything the pushable conjuncts say about one column."""

    column: str
    type: str
    values: list | None = None  # allowed values (None: any)
    lower: tuple | None = None  # (value, inclusive)
    upper: tuple | None = None
    # Holds Stripe ids (the id, a reference, a nested table's parent): no row
    # equals '' / '.' / '..', and such a value must never reach a path.
    identifier: bool = False
    # The values Stripe documents for the column (charges.status: failed, pending,
    # succeeded): an equality with any other value (`status = 'PAID'`; SQLite compares
    # case-sensitively) matches no row, so it needs no request.
    enum: tuple | None = None

    def add(self, atom: Atom) -> None:
        if atom.op == "truth":
            if self.type != "boolean":
                raise _NotPushable  # `WHERE amount` means amount <> 0: not a list filter
            atom = Atom(atom.column, "in", atom.values)
        if atom.op == "in":
            allowed = []
            for raw in atom.values:
                value = _coerce(self.type, raw)
                if self.identifier and not is_valid_id(value):
                    continue
                if self.enum and value not in self.enum:
                    continue
                if value is not _NEVER and value not in allowed:
                    allowed.append(value)
            if self.values is None:
                self.values = allowed
            else:
                self.values = [v for v in self.values if v in allowed]
            return
        value = _coerce(self.type, atom.values[0])
        if value is _NEVER or isinstance(value, bool):
            if value is _NEVER:
                self.values = []
                return
            raise _NotPushable
        inclusive = atom.op in ("gte", "lte")
        if atom.op in ("gt", "gte"):
            if self.lower is None or (value, not inclusive) > (self.lower[0], not self.lower[1]):
                self.lower = (value, inclusive)
        else:
            if self.upper is None or (value, inclusive) < (self.upper[0], self.upper[1]):
                self.upper = (value, inclusive)

    def in_range(self, value) -> bool:
        if self.lower is not None:
            bound, inclusive = self.lower
            if value < bound or (value == bound and not inclusive):
                return False
        if self.upper is not None:
            bound, inclusive = self.upper
            if value > bound or (value == bound and not inclusive):
                return False
        return True

    def contradictory(self) -> bool:
        if self.type == "datetime" and self._before_the_epoch():
            return True
        if self.values is not None:
            try:
                self.values = [v for v in self.values if self.in_range(v)]
            except TypeError:
                pass
            if self.type in ("integer", "datetime") and self.values:
                self.values = [v for v in self.values if not isinstance(v, Fraction) or v.denominator == 1]
            return not self.values
        if self.lower is not None and self.upper is not None:
            (low, low_inc), (high, high_inc) = self.lower, self.upper
            if low > high or (low == high and not (low_inc and high_inc)):
                return True
            if self.type in ("integer", "datetime"):
                return _int_lower(self.lower) > _int_upper(self.upper)
        return False


    def _before_the_epoch(self) -> bool:
        """No Stripe object predates 1970 and Stripe takes no negative timestamps: a lower
        bound below 0 becomes 0, and an upper bound (or every value) below 0 leaves nothing."""
        if self.lower is not None and self.lower[0] < 0:
            self.lower = (Fraction(0), True)
        if self.values is not None:
            self.values = [v for v in self.values if v >= 0]
        return self.upper is not None and _int_upper(self.upper) < 0


def _int_lower(bound) -> int:
    value, inclusive = bound
    # Stripe's bounds are whole seconds: x > 10.5 is x >= 11, x >= 10.5 is x >= 11.
    return math.ceil(value) if inclusive else math.floor(value) + 1


def _int_upper(bound) -> int:
    value, inclusive = bound
    return math.floor(value) if inclusive else math.ceil(value) - 1


def _wire(column_type: str, value):
    """A coerced value as a Stripe parameter value."""
    if isinstance(value, Fraction):
        if column_type in ("integer", "datetime") or value.denominator == 1:
            return int(value)
        return float(value)
    return value


# --- the plan for one table reference ----------------------------------------------------


@dataclass
class _Analysis:
    table: Table
    constraints: dict  # column -> ColumnConstraint
    metadata: dict  # key -> value (meta atoms)
    pushable: list  # (conjunct, atoms) whose atoms parsed
    unparsed: list  # conjuncts that are not simple constraints
    empty: bool = False


def _identifier_columns(table: Table) -> set[str]:
    columns = {c.name for c in table.columns if c.name == "id" or c.references}
    if table.parent is not None:
        columns.add(table.parent.column)
    columns.update(r.column for r in table.required_filters if r.table is not None)
    return columns


def _analyse(table: Table, conjuncts: list) -> _Analysis:
    types = {c.name: c.type for c in table.columns}
    enums = {c.name: c.enum for c in table.columns if c.enum and c.type == "string"}
    identifiers = _identifier_columns(table)
    analysis = _Analysis(table, {}, {}, [], [])
    for conjunct in conjuncts:
        try:
            atoms = atoms_of(conjunct)
            staged = []
            for atom in atoms:
                if atom.op == "meta":
                    continue
                if atom.column not in types:
                    raise _NotPushable
                staged.append(atom)
            for atom in staged:
                constraint = analysis.constraints.setdefault(
                    atom.column,
                    ColumnConstraint(atom.column, types[atom.column],
                                     identifier=atom.column in identifiers,
                                     enum=enums.get(atom.column)),
                )
                constraint.add(atom)
        except _NotPushable:
            analysis.unparsed.append(conjunct)
            continue
        for atom in atoms:
            if atom.op == "meta":
                previous = analysis.metadata.get(atom.key)
                if previous is not None and previous != atom.values[0]:
                    analysis.empty = True
                analysis.metadata[atom.key] = atom.values[0]
        analysis.pushable.append((conjunct, atoms))
    if any(c.contradictory() for c in analysis.constraints.values()):
        analysis.empty = True
    return analysis


def plan_fetch(table: Table, conjuncts: list, *, ref_name: str, use_search: bool,
               limit: int | None = None, offset: int = 0, catalog=None,
               newest_first: bool = False) -> Fetch:
    """The fetch for one table reference; ``catalog`` resolves a nested table's parent."""
    fetch = Fetch(ref_name=ref_name, table_name=table.name)
    analysis = _analyse(table, conjuncts)
    if analysis.empty:
        fetch.empty = True
        fetch.exact = True
        fetch.pushed = [_sql(c) for c in conjuncts]
        return fetch
    retrieve = _retrieve_calls(table, analysis)
    if retrieve is not None:
        fetch.calls, pushed_columns = retrieve
        exact_columns = set(pushed_columns)
    else:
        (list_calls, list_columns), fan_out = _list_calls(table, analysis, catalog)
        search = _search_calls(table, analysis) if use_search else None
        if search is not None and _prefer_search(analysis, fan_out, search[1], list_columns):
            fetch.calls, pushed_columns, exact_columns = search
            fetch.merge_write_log = True
            fetch.dedupe = len(fetch.calls) > 1
        else:
            fetch.calls, fetch.fan_out = list_calls, fan_out
            pushed_columns = exact_columns = list_columns
    exact = not analysis.unparsed
    for conjunct, atoms in analysis.pushable:
        columns = {a.column for a in atoms if a.op != "meta"}
        metas = any(a.op == "meta" for a in atoms)
        if columns <= pushed_columns and (not metas or fetch.merge_write_log):
            fetch.pushed.append(_sql(conjunct))
            # Token fields and metadata match case-insensitively, string fields by words.
            exact = exact and columns <= exact_columns and not metas
        else:
            fetch.residual.append(_sql(conjunct))
            exact = False
    fetch.residual.extend(_sql(c) for c in analysis.unparsed)
    fetch.exact = exact
    if newest_first and (fetch.merge_write_log or fetch.fan_out is not None):
        limit = None  # Search and fan-outs do not come newest first overall
    if limit is not None and exact:
        fetch.max_rows = limit + offset  # a fan-out then walks parents lazily (fetch.py)
    return fetch


def _sql(node: exp.Expression) -> str:
    return node.sql(dialect=DIALECT)


def _retrieve_calls(table: Table, analysis: _Analysis):
    ids = analysis.constraints.get("id")
    if ids is None or ids.values is None or not table.retrieve_path:
        return None
    params = [p for p in placeholders(table.retrieve_path) if p != "id"]
    implied_sets: list[list[tuple[str, str, str]]] = []
    for param in params:
        column = table.parent.column if table.parent and table.parent.path_param == param else param
        constraint = analysis.constraints.get(column)
        if constraint is None or constraint.values is None:
            return None  # the path needs a parent id the query does not give
        implied_sets.append([(param, column, v) for v in constraint.values])
    array = _filter(table, "id", FILTER_ARRAY)
    if array is not None and len(ids.values) > 1 and not params:
        size = array.max_items or DEFAULT_ARRAY_ITEMS
        calls = [
            Call("list", table.list_path, {array.param: list(ids.values[i:i + size])})
            for i in range(0, len(ids.values), size)
        ]
        return calls, {"id"}
    calls = []
    for combo in itertools.product(*implied_sets) if implied_sets else [()]:
        implied = {column: value for _, column, value in combo}
        for object_id in ids.values:
            path = fill_path(table.retrieve_path, {"id": object_id, **{p: v for p, _, v in combo}})
            calls.append(Call("retrieve", path, {}, implied=dict(implied)))
    return calls, {"id"} | {choices[0][1] for choices in implied_sets if choices}


def _filter(table: Table, column: str, kind: str):
    for f in table.filters:
        if f.column == column and f.kind == kind:
            return f
    return None


def _list_calls(table: Table, analysis: _Analysis, catalog=None):
    """((calls, pushed columns), fan_out or None)."""
    base: dict = {}
    variants: list[list[dict]] = []  # one list of alternatives per IN column
    pushed: set[str] = set()
    budget = MAX_FANOUT_CALLS
    parent = table.parent
    variants_columns: list[str] = []  # columns with one list per value
    for column, constraint in analysis.constraints.items():
        if parent is not None and column == parent.column:
            continue
        eq = _filter(table, column, FILTER_EQ)
        rng = _filter(table, column, FILTER_RANGE)
        array = _filter(table, column, FILTER_ARRAY)
        values = constraint.values
        if values is not None:
            wire = [_wire(constraint.type, v) for v in values]
            if array is not None:
                size = array.max_items or DEFAULT_ARRAY_ITEMS
                chunks = [wire[i:i + size] for i in range(0, len(wire), size)]
                if len(chunks) <= budget:
                    variants.append([{array.param: chunk} for chunk in chunks])
                    variants_columns.append(column)
                    budget //= len(chunks)
                    pushed.add(column)
                continue
            target = eq or rng
            if target is None or (target.enum and any(w not in target.enum for w in wire)):
                continue
            if len(wire) == 1:
                base[target.param] = wire[0]
                pushed.add(column)
            elif len(wire) <= budget:
                variants.append([{target.param: w} for w in wire])
                variants_columns.append(column)
                budget //= len(wire)
                pushed.add(column)
            continue
        if rng is not None and (constraint.lower or constraint.upper):
            integral = constraint.type in ("integer", "datetime")
            if constraint.lower is not None:
                value, inclusive = constraint.lower
                if integral:
                    base[f"{rng.param}[gte]"] = _int_lower(constraint.lower)
                else:
                    base[f"{rng.param}[{'gte' if inclusive else 'gt'}]"] = _wire(constraint.type, value)
            if constraint.upper is not None:
                value, inclusive = constraint.upper
                if integral:
                    base[f"{rng.param}[lte]"] = _int_upper(constraint.upper)
                else:
                    base[f"{rng.param}[{'lte' if inclusive else 'lt'}]"] = _wire(constraint.type, value)
            pushed.add(column)
    _undo_default_visibility(table, analysis, pushed, base, variants)
    combos = [base]
    for alternatives in variants:
        combos = [{**combo, **alt} for combo in combos for alt in alternatives]
    paths = [(table.list_path, {})]  # (path, implied) of every list to make
    parent_given = parent is not None and _given(analysis, parent.column)
    if parent_given:
        paths = [(fill_path(table.list_path, {parent.path_param: parent_id}), {parent.column: parent_id})
                 for parent_id in analysis.constraints[parent.column].values]
        pushed.add(parent.column)
    keys = [] if parent is None or parent_given else [_path_key(parent)]
    keys += [_param_key(r) for r in table.required_filters if any(r.param not in c for c in combos)]
    key = _fan_out_key(table, keys)
    if key is not None and len(combos) > 1:
        combos, pushed = [base], pushed - set(variants_columns)  # one list per parent, not per IN value
    calls = [Call("list", path, combo, implied={**implied, **_required_implied(table, combo)})
             for path, implied in paths for combo in combos]
    if key is None:
        return (calls, pushed), None
    fan_out = FanOut(parent_calls=_parent_calls(catalog, key.table), child_calls=calls,
                     parent_column=key.column, path_param=key.path_param, list_param=key.list_param)
    return ([], pushed), fan_out


@dataclass(frozen=True)
class _ParentKey:
    """An id a list needs: a nested table's parent (in the path) or a list param
    Stripe requires; ``table`` lists the ids that can supply it (None: only WHERE can)."""

    column: str
    table: str | None
    path_param: str | None = None
    list_param: str | None = None


def _path_key(parent) -> _ParentKey:
    return _ParentKey(parent.column, parent.table, path_param=parent.path_param)


def _param_key(required) -> _ParentKey:
    return _ParentKey(required.column, required.table, list_param=required.param)


def _given(analysis: _Analysis, column: str) -> bool:
    constraint = analysis.constraints.get(column)
    return constraint is not None and constraint.values is not None


def _fan_out_key(table: Table, missing: list[_ParentKey]) -> _ParentKey | None:
    """The one missing id to fan out over (a nested table's parent first), or a
    ProgrammingError naming what WHERE must give, before any request."""
    if not missing:
        return None
    key, *rest = sorted(missing, key=lambda k: (k.table is None, k.path_param is None))
    if key.table is not None and not rest:
        return key
    needed = [k for k in missing if k is not key] if key.table is not None else missing
    raise ProgrammingError(
        f"Stripe lists {table.name} only for a given {_and(sorted(k.column for k in needed))}: "
        f"add {' AND '.join(_example(table, k.column) for k in sorted(needed, key=lambda k: k.column))} "
        "to the WHERE clause"
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _example(table: Table, column: str) -> str:
    """``customer = ?``, or with the values Stripe takes: ``type = 'performance'``."""
    enum = next((c.enum for c in table.columns if c.name == column), None)
    if not enum:
        return f"{column} = ?"
    others = f" (or {', '.join(repr(v) for v in enum[1:])})" if len(enum) > 1 else ""
    return f"{column} = {enum[0]!r}{others}"


def _required_implied(table: Table, params: dict) -> dict:
    """The required params' values as column values (rows may not carry them)."""
    return {r.column: params[r.param] for r in table.required_filters if r.param in params}


def _parent_calls(catalog, parent_table: str) -> list[Call]:
    """Every parent: a full list of the parent table, its default visibility undone."""
    table = catalog.table(parent_table)
    empty = _Analysis(table, {}, {}, [], [])
    (calls, _), _ = _list_calls(table, empty, catalog)
    return calls


def _undo_default_visibility(table, analysis, pushed, base, variants) -> None:
    for param, value in (table.default_list_params or {}).items():
        column = next((f.column for f in table.filters if f.param == param), None) or param
        if column not in pushed and param not in base:
            base[param] = value
    splits = (table.extra or {}).get("visibility_splits") or {}
    for param, values in splits.items():
        column = next((f.column for f in table.filters if f.param == param), None) or param
        if column not in pushed:
            variants.append([{param: v} for v in values])


# --- Search -----------------------------------------------------------------------------


def _search_fields(table: Table) -> dict:
    """column -> (search field, kind)."""
    if table.search is None:
        return {}
    fields = {}
    for name, kind in table.search.fields.items():
        column = name.replace(".", "_")
        if (table.name, column) not in UNSEARCHABLE:
            fields[column] = (name, kind)
    return fields


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _search_calls(table: Table, analysis: _Analysis):
    """(calls, pushed columns, exact columns) or None."""
    fields = _search_fields(table)
    if not fields:
        return None
    base: list[str] = []
    variants: list[list[str]] = []
    pushed: set[str] = set()
    exact: set[str] = set()
    columns = {c.name: c for c in table.columns}
    for column, constraint in analysis.constraints.items():
        if column not in fields or column == "metadata":
            continue
        field, kind = fields[column]
        if constraint.values is not None:
            clauses = []
            for value in constraint.values:
                wire = _wire(constraint.type, value)
                if kind == "numeric":
                    if not isinstance(wire, int):
                        clauses = None
                        break
                    clauses.append(f"{field}:{wire}")
                else:
                    text = ("true" if wire else "false") if isinstance(wire, bool) else str(wire)
                    if kind == "string" and not any(ch.isalnum() for ch in text):
                        clauses = None
                        break
                    clauses.append(f"{field}:{_quote(text)}")
            if not clauses:
                continue
            if len(clauses) == 1:
                base.append(clauses[0])
            else:
                variants.append(clauses)
        elif kind == "numeric" and (constraint.lower or constraint.upper):
            integral = constraint.type in ("integer", "datetime")
            if constraint.lower is not None:
                if integral:
                    base.append(f"{field}>={_int_lower(constraint.lower)}")
                else:
                    op = ">=" if constraint.lower[1] else ">"
                    base.append(f"{field}{op}{_wire(constraint.type, constraint.lower[0])}")
            if constraint.upper is not None:
                if integral:
                    base.append(f"{field}<={_int_upper(constraint.upper)}")
                else:
                    op = "<=" if constraint.upper[1] else "<"
                    base.append(f"{field}{op}{_wire(constraint.type, constraint.upper[0])}")
        else:
            continue
        pushed.add(column)
        column_def = columns.get(column)
        if kind == "numeric" or (kind == "token" and column_def is not None and column_def.enum):
            exact.add(column)
    if "metadata" in fields:
        for key, value in analysis.metadata.items():
            base.append(f"metadata[{_quote(key)}]:{_quote(value)}")
    if not base and not variants:
        return None
    if not base and len(variants) == 1 and len(variants[0]) <= MAX_SEARCH_CLAUSES:
        # One IN and nothing else: a single OR query (Search cannot mix AND and OR).
        query = " OR ".join(variants[0])
        return [Call("search", table.search.path, {}, query=query)], pushed, exact
    combos = [base]
    for clauses in variants:
        combos = [combo + [c] for combo in combos for c in clauses]
    if len(combos) > MAX_FANOUT_CALLS or any(len(c) > MAX_SEARCH_CLAUSES for c in combos):
        return None
    calls = [Call("search", table.search.path, {}, query=" AND ".join(combo)) for combo in combos]
    return calls, pushed | ({"metadata"} if analysis.metadata else set()), exact


def _prefer_search(analysis: _Analysis, list_fan_out, search_pushed: set, list_pushed: set) -> bool:
    """Search when it answers something the list cannot (fewer rows, fewer requests).

    Never when the list already takes an equality filter (``customer=``,
    ``payment_intent=``): that list is narrow and always fresh, while Search lags
    behind writes (STRIPE_FACTS.md "Search"), so the rest is filtered locally.
    """
    if list_fan_out is not None:
        return False  # nested tables have no Search
    if any(_pushed_equality(analysis, column) for column in list_pushed):
        return False
    if analysis.metadata:
        return True
    listable = {
        c for c, constraint in analysis.constraints.items()
        if any(f.column == c for f in analysis.table.filters)
    }
    return bool(search_pushed - listable - {"metadata"})


def _pushed_equality(analysis: _Analysis, column: str) -> bool:
    constraint = analysis.constraints.get(column)
    if constraint is None or constraint.values is None:
        return False
    return any(f.column == column and f.kind in (FILTER_EQ, FILTER_ARRAY) for f in analysis.table.filters)


def search_allowed(conn: StatementContext) -> bool:
    """Search is used only if the connection allows it and nothing this connection
    wrote may still be missing from it (a write's side effects, such as the charge
    a confirmed payment intent creates, are not in the write log)."""
    return conn.use_search and not conn.write_log.wrote_recently()
