"""Generate stripe_dbapi/catalog/data/catalog.json from the pinned Stripe SDK.

    python tools/gen_catalog.py [--sdk PATH] [--out FILE]

Reads the SDK's services (every v1 list endpoint becomes a table; its
retrieve/create/update/delete paths and other POST/DELETE methods become the
table's paths and procedures), resource classes (columns) and params classes
(list filters, create/update/procedure params) with ``ast``; see
tools/sdk_reader.py for why. Hand-written facts come from
stripe_dbapi/catalog/overrides.py. The output is deterministic.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from freshness import EventCoverage, TableFacts  # noqa: E402
from sdk_reader import (  # noqa: E402 (found through the sys.path set just above)
    SDK,
    ClassRef,
    Module,
    class_doc,
    class_fields,
    class_var,
    clean_doc,
    sdk_root,
    subscript_args,
    subscript_name,
    type_name,
    union_members,
    unstring,
)

from stripe_dbapi.catalog import overrides  # noqa: E402

DEFAULT_OUT = ROOT / "stripe_dbapi" / "catalog" / "data" / "catalog.json"

# Nested objects flatten into parent_child columns down to this depth...
MAX_DEPTH = 3
# ...unless they would add more columns than this (wide polymorphic objects
# such as charges.payment_method_details stay one JSON column).
WIDE_OBJECT_COLUMNS = 40
# An embedded object with an id and a table (subscription_items.price) is its id
# column, plus the whole object as JSON under this suffix (price_object).
EMBEDDED_OBJECT_SUFFIX = "_object"
# Params trees (create/update bodies) are cut at this depth.
MAX_PARAM_DEPTH = 6

# Stripe's test-mode-only endpoints; their actions are procedures named
# TestHelpers<Verb><Object> (docs/catalog.md "Procedures").
TEST_HELPERS = "/v1/test_helpers/"
TEST_HELPER_PREFIX = "TestHelpers"

PAGINATION_PARAMS = {"limit", "starting_after", "ending_before", "expand", "page"}
JSON_CONTAINERS = {"List", "ListObject", "Dict", "UntypedStripeObject", "Mapping", "dict", "list"}
# Decimal fields (unit_amount_decimal) travel as decimal strings; a string
# column keeps them exact.
SCALARS = {
    "str": "string", "int": "integer", "float": "number", "bool": "boolean",
    "Decimal": "string",
}  # fmt: skip

# Integer fields that are timestamps although the SDK types them int.
_TIMESTAMP_NAMES = {
    "created", "date", "due_date", "arrival_date", "available_on", "period_start",
    "period_end", "current_period_start", "current_period_end", "trial_start",
    "trial_end", "start_date", "end_date", "billing_cycle_anchor", "cancel_at",
    "frozen_time", "effective_at", "next_refresh_available_at", "billed_until",
    "data_load_time", "due_by", "current_deadline", "deadline", "redeem_by",
    "next_pending_invoice_item_invoice", "target_frozen_time", "start_time", "end_time",
    "interval_start", "interval_end",
}  # fmt: skip
_TIMESTAMP_DOC = re.compile(
    r"seconds since (the )?(Unix )?epoch|[Uu]nix timestamp|[Tt]ime at which|"
    r"Measured in seconds since|\btimestamp\b|^(Date|Time) (by|after|on|before|at) which",
)
_NOT_TIMESTAMP = re.compile(r"(_seconds|_days|_count|_month|_year|_minutes|_hours)$|^exp_")


def is_timestamp(name: str, doc: str) -> bool:
    if _NOT_TIMESTAMP.search(name):
        return False
    if name in _TIMESTAMP_NAMES or name.endswith(("_at", "_date")):
        return True
    return bool(_TIMESTAMP_DOC.search(doc))


def is_timestamp_at(path: tuple[str, ...], doc: str) -> bool:
    """A timestamp by its own name or by its name under its parent's:
    ``period.start`` is ``period_start`` (invoice lines, invoice items)."""
    return is_timestamp(path[-1], doc) or (len(path) > 1 and is_timestamp("_".join(path[-2:]), doc))


def pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_.]", snake) if part)


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def prune(d: dict) -> dict:
    """Drop empty/default values so the JSON stays small."""
    return {k: v for k, v in d.items() if v not in (None, "", (), [], {}, False)}


# ---------------------------------------------------------------- services


@dataclass
class Endpoint:
    module: Module
    method: str  # "get" | "post" | "delete"
    path: str
    name: str  # SDK method name
    params_class: str | None
    returns: ast.expr
    doc: str


def read_services(sdk: SDK) -> dict[str, list[Endpoint]]:
    """Service module name -> its sync endpoints, in source order."""
    services: dict[str, list[Endpoint]] = {}
    for path in sorted(sdk.root.rglob("*_service.py")):
        rel = path.relative_to(sdk.root).parts
        if rel[0] == "v2":
            continue
        module = sdk.module_for_file(path)
        for cls in module.tree.body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef):
                    ep = _endpoint(module, fn)
                    if ep:
                        services.setdefault(module.name, []).append(ep)
    return services


def _endpoint(module: Module, fn: ast.FunctionDef) -> Endpoint | None:
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "_request"
        ):
            http, target = node.args[0], node.args[1]
            path = target.func.value.value if isinstance(target, ast.Call) else target.value
            params_class = None
            for arg in fn.args.args:
                if arg.arg == "params" and arg.annotation is not None:
                    members = [type_name(m) for m in union_members(arg.annotation)]
                    params_class = next((m for m in members if m and m != "None"), None)
            doc = clean_doc(ast.get_docstring(fn) or "")
            return Endpoint(module, http.value, path, fn.name, params_class, fn.returns, doc)
    return None


# ---------------------------------------------------------------- tables


@dataclass
class TableSpec:
    name: str
    list_ep: Endpoint
    list_path: str  # list_ep.path with the parent placeholder never named {id}
    classes: list[ClassRef]
    object: str
    parent_param: str | None
    parent_prefix: str | None  # list path part before the parent placeholder


def object_pascal(object_type: str) -> str:
    """ "payment_intent" -> PaymentIntent, "checkout.session" -> CheckoutSession,
    "test_helpers.test_clock" -> TestClock."""
    return pascal(object_type.replace("test_helpers.", ""))


def _words(pascal_name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z][a-z0-9]*", pascal_name)]


def verb_object(method: str, obj: str) -> str:
    """SDK method + object -> VerbObject. The verb is the whole SDK method name
    (the action's last URL segment), the object the row's object:
    pay -> PayInvoice, mark_uncollectible -> MarkUncollectibleInvoice,
    verify_microdeposits -> VerifyMicrodepositsPaymentIntent. Trailing method
    words the object already ends with are not repeated: finalize_invoice ->
    FinalizeInvoice, void_grant -> VoidBillingCreditGrant."""
    words = method.split("_")
    obj_words = _words(obj)
    repeated = 0
    while (
        repeated < len(words) - 1
        and repeated < len(obj_words)
        and words[-1 - repeated] == obj_words[-1 - repeated]
    ):
        repeated += 1
    return pascal("_".join(words[: len(words) - repeated])) + obj


def object_first_name(method: str, obj: str) -> str:
    """The names of catalogs before the rule above (first word, object, rest:
    MarkInvoiceUncollectible, AddInvoiceLines); kept as aliases."""
    if pascal(method).endswith(obj):
        return pascal(method)
    verb, _, rest = method.partition("_")
    return pascal(verb) + obj + pascal(rest)


def _shape(path: str) -> str:
    """A path with its placeholders blanked: /v1/transfers/{}/reversals."""
    return re.sub(r"\{\w+\}", "{}", path)


def table_name(path: str) -> str:
    if path in overrides.TABLE_NAMES:
        return overrides.TABLE_NAMES[path]
    parts = path.split("/")[2:]  # drop "", "v1"
    words: list[str] = []
    for i, part in enumerate(parts):
        if part.startswith("{"):
            continue
        if i + 1 < len(parts) and parts[i + 1].startswith("{"):
            part = singular(part)
        if words and part.startswith(words[-1]):
            words.pop()  # sources/{source}/source_transactions
        words.append(part)
    return "_".join(words)


def list_classes(sdk: SDK, ep: Endpoint, name: str) -> list[ClassRef]:
    returns = unstring(ep.returns)
    assert subscript_name(returns) == "ListObject", ep.path
    refs = []
    for member in union_members(subscript_args(returns)[0]):
        ref = sdk.resolve(type_name(member), ep.module)
        assert ref is not None, (ep.path, ast.unparse(member))
        refs.append(ref)
    wanted = overrides.TABLE_CLASSES.get(name)
    if wanted:
        refs = [next(r for r in refs if r.name == w) for w in wanted]
    elif len(refs) > 1:
        raise SystemExit(f"{ep.path} lists several classes; add it to TABLE_CLASSES")
    return refs


def object_name(ref: ClassRef) -> str:
    value = class_var(ref.node, "OBJECT_NAME")
    assert value, ref.key
    return value


class Generator:
    def __init__(self, sdk: SDK):
        self.sdk = sdk
        self.services = read_services(sdk)
        self.tables: dict[str, TableSpec] = {}
        for _module_name, eps in sorted(self.services.items()):
            for ep in eps:
                if ep.name == "list" and ep.method == "get":
                    self._add_table(ep)
        self.object_tables = self._object_tables()

    def _add_table(self, ep: Endpoint) -> None:
        name = table_name(ep.path)
        assert name not in self.tables, (name, ep.path)
        classes = list_classes(self.sdk, ep, name)
        placeholders = re.findall(r"\{(\w+)\}", ep.path)
        parent_param = placeholders[-1] if placeholders else None
        prefix = ep.path.split("/{")[0] if placeholders else None
        list_path = ep.path
        if parent_param == "id":
            # /v1/transfers/{id}/reversals: {id} is reserved for the row's
            # own id, so the parent's placeholder takes the parent's name.
            parent_param = singular(prefix.rsplit("/", 1)[-1])
            list_path = ep.path.replace("{id}", "{" + parent_param + "}")
        self.tables[name] = TableSpec(
            name, ep, list_path, classes, object_name(classes[0]), parent_param, prefix
        )

    def _object_tables(self) -> dict[str, str]:
        found: dict[str, list[str]] = {}
        for spec in self.tables.values():
            for ref in spec.classes:
                found.setdefault(object_name(ref), []).append(spec.name)
        result = {}
        for obj, names in sorted(found.items()):
            top = [n for n in names if self.tables[n].parent_param is None]
            choice = overrides.OBJECT_TABLES.get(obj) or (top[0] if len(top) == 1 else None)
            if choice is None and len(names) == 1:
                choice = names[0]
            if choice:
                result[obj] = choice
        return result

    def parent_table(self, spec: TableSpec) -> str | None:
        if spec.parent_param is None:
            return None
        for other in self.tables.values():
            if other.list_path == spec.parent_prefix:
                return other.name
        return None  # the parent cannot be listed (sources, tax calculations)

    # ------------------------------------------------------------ columns

    def columns(self, spec: TableSpec) -> list[dict]:
        cols: dict[str, dict] = {}
        for ref in spec.classes:
            own = self._flatten_class(ref, (), 0)
            names = [c["name"] for c in own]
            clash = {n for n in names if names.count(n) > 1}
            assert not clash, f"{spec.name}: flattened names clash: {sorted(clash)}"
            for col in own:
                cols.setdefault(col["name"], col)
        for col in overrides.EXTRA_COLUMNS.get(spec.name, ()):
            assert col["name"] not in cols, (spec.name, col["name"])
            cols[col["name"]] = col
        ordered = [cols.pop("id")] if "id" in cols else []
        parent_col = spec.parent_param and self._parent_column(spec)
        if parent_col and parent_col not in cols:
            parent_table = self.parent_table(spec)
            ordered.append(
                {
                    "name": parent_col,
                    "type": "string",
                    "path": [parent_col],
                    "nullable": False,
                    "description": "ID of the parent object this row belongs to "
                    f"(the list path's {{{spec.parent_param}}}).",
                    "references": parent_table,
                }
            )
        ordered.extend(cols.values())
        for col in ordered:
            self._reference_by_name(col, spec)
        return [prune(c) for c in ordered]

    def _reference_by_name(self, col: dict, spec: TableSpec) -> None:
        """A plain string field named after an object type holds that object's id
        (subscription_items.subscription, invoice_lines.invoice): it references that
        table. The type is looked up by the last two path parts first
        (``treasury.transaction``), then in the table's namespace, then alone."""
        if col["type"] != "string" or col.get("references") or col.get("enum"):
            return
        path = col["path"]
        if path == ["id"] or path[-1] in overrides.NOT_OBJECT_IDS:
            return
        if len(path) > 1 and ".".join(path[-2:]) in self.object_tables:
            col["references"] = self.object_tables[".".join(path[-2:])]
        else:
            col["references"] = self.table_named_by(path[-1], spec)

    def _parent_column(self, spec: TableSpec) -> str:
        parent = self.parent_table(spec)
        if parent is None:
            return spec.parent_param
        return self.tables[parent].object.split(".")[-1]

    def _flatten_class(self, ref: ClassRef, prefix: tuple, depth: int, nullable=False):
        out = []
        for f in class_fields(ref.node):
            path = prefix + (f.name,)
            name = "_".join(path)
            kind = self._field_kind(f.annotation, ref)
            null = nullable or kind["nullable"]
            if kind["kind"] == "inner" and depth < MAX_DEPTH:
                sub = self._flatten_class(kind["ref"], path, depth + 1, null)
                if 0 < len(sub) <= WIDE_OBJECT_COLUMNS:
                    out.extend(sub)
                    continue
            col_type = kind.get("type", "json")
            if col_type == "integer" and is_timestamp_at(path, f.doc):
                col_type = "datetime"
            out.append(
                {
                    "name": name,
                    "type": col_type,
                    "path": list(path),
                    "nullable": null,
                    "description": f.doc,
                    "references": kind.get("references"),
                    "enum": kind.get("enum"),
                    "expandable": kind.get("expandable"),
                }
            )
            if kind["kind"] == "embedded":
                out.append(
                    {
                        "name": name + EMBEDDED_OBJECT_SUFFIX,
                        "type": "json",
                        "path": list(path),
                        "nullable": null,
                        "description": f"The whole embedded {kind['object']} object "
                        f"(`{name}` is its id).",
                    }
                )
        return out

    def _field_kind(self, annotation: ast.expr, owner: ClassRef) -> dict:
        members = union_members(annotation)
        nullable = any(isinstance(m, ast.Constant) and m.value is None for m in members)
        members = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
        kinds = [self._member_kind(m, owner) for m in members]
        result = {"nullable": nullable, "kind": "scalar"}
        tags = {k[0] for k in kinds}
        if not kinds or "json" in tags:
            return {**result, "type": "json"}
        if tags <= {"string", "literal"}:
            literals = [v for k in kinds if k[0] == "literal" for v in k[1]]
            if literals and all(v is True for v in literals) and tags == {"literal"}:
                return {**result, "type": "boolean"}
            if all(isinstance(v, str) for v in literals):
                enum = sorted(set(literals)) or None
                return {**result, "type": "string", "enum": enum}
            return {**result, "type": "json"}
        if len(kinds) == 1:
            tag, value = kinds[0]
            if tag == "scalar":
                return {**result, "type": value}
            if tag == "ref":
                return {**result, "type": "string", "references": value, "expandable": True}
            if tag == "embedded":
                obj, table = value
                return {**result, "kind": "embedded", "type": "string", "references": table,
                        "object": obj}
            if tag == "inner":
                return {"nullable": nullable, "kind": "inner", "ref": value}
        if tags == {"scalar"} and {k[1] for k in kinds} <= {"integer", "number"}:
            return {**result, "type": "number"}
        return {**result, "type": "json"}

    def _member_kind(self, node: ast.expr, owner: ClassRef):
        node = unstring(node)
        generic = subscript_name(node)
        if generic == "Literal":
            return ("literal", [a.value for a in subscript_args(node)])
        if generic == "ExpandableField":
            targets = union_members(subscript_args(node)[0])
            if len(targets) == 1:
                target = self.sdk.resolve(type_name(unstring(targets[0])), owner.module)
                obj = target and class_var(target.node, "OBJECT_NAME")
                return ("ref", self.object_tables.get(obj))
            return ("ref", None)
        if generic is not None:
            return ("json", None)
        name = type_name(node)
        if name == "str":
            return ("string", None)
        if name in SCALARS:
            return ("scalar", SCALARS[name])
        if name is None or name in JSON_CONTAINERS or name in ("Any", "object"):
            return ("json", None)
        ref = self.sdk.resolve(name, owner.module, owner.chain)
        if ref is not None and ref.is_inner and ref.module is owner.module:
            return ("inner", ref)
        obj = ref and class_var(ref.node, "OBJECT_NAME")
        if obj in self.object_tables and any(f.name == "id" for f in class_fields(ref.node)):
            return ("embedded", (obj, self.object_tables[obj]))  # subscription_items.price
        return ("json", None)  # an embedded object of no table (discount, cash_balance...)

    # ------------------------------------------------------------ params

    def params_class(self, ep: Endpoint) -> ClassRef | None:
        if not ep.params_class:
            return None
        ref = self.sdk.resolve(ep.params_class, ep.module)
        assert ref is not None, ep.params_class
        return ref

    def params(self, ref: ClassRef | None, depth: int = 0, parent: str = "") -> list[dict]:
        """The params of ``ref``; ``parent`` is the name of the param they are inside."""
        if ref is None:
            return []
        out = []
        for f in class_fields(ref.node):
            if f.name in PAGINATION_PARAMS and depth == 0:
                continue
            out.append(self._param(f.name, f.annotation, f.doc, ref, depth, parent))
        return out

    def _param(self, name: str, annotation: ast.expr, doc: str, owner: ClassRef, depth: int,
               parent: str = ""):
        required = True
        node = unstring(annotation)
        if subscript_name(node) == "NotRequired":
            required = False
            node = subscript_args(node)[0]
        ptype, enum, children = self._param_type(node, owner, depth, name)
        if ptype == "integer" and is_timestamp_at((parent, name) if parent else (name,), doc):
            ptype = "datetime"
        return prune(
            {
                "name": name,
                "type": ptype,
                "required": required,
                "description": doc,
                "children": children,
                "enum": enum,
            }
        )

    def _param_type(self, node: ast.expr, owner: ClassRef, depth: int, param_name: str = ""):
        members = union_members(node)
        literals, scalars, objects, arrays = [], [], [], []
        for m in members:
            m = unstring(m)
            generic = subscript_name(m)
            if generic == "Literal":
                literals.extend(a.value for a in subscript_args(m))
            elif generic in ("List", "Sequence"):
                arrays.append(subscript_args(m)[0])
            elif generic in ("Dict", "Mapping"):
                scalars.append("json")
            elif isinstance(m, ast.Constant) and m.value is None:
                continue
            else:
                name = type_name(m)
                if name in SCALARS:
                    scalars.append(SCALARS[name])
                elif name in ("Any", "object"):
                    scalars.append("json")
                else:
                    ref = self.sdk.resolve(name, owner.module, owner.chain) if name else None
                    if ref is not None:
                        objects.append(ref)
                    else:
                        scalars.append("json")
        # Literal[""] only means "may be unset with an empty string".
        enum_values = [v for v in literals if v != ""]
        if objects:
            kids = self.params(objects[0], depth + 1, param_name) if depth < MAX_PARAM_DEPTH else []
            return "object", None, kids
        if arrays:
            item_type, _, kids = self._param_type(arrays[0], owner, depth, param_name)
            return "array", None, kids if item_type == "object" else []
        if scalars:
            ptype = scalars[0] if len(set(scalars)) == 1 else "json"
            if ptype == "string" and enum_values:
                return "string", sorted(set(map(str, enum_values))), []
            if enum_values and ptype in ("integer", "number"):
                return ptype, sorted(set(map(str, enum_values))), []
            return ptype, None, []
        if enum_values and all(isinstance(v, bool) for v in enum_values):
            return "boolean", None, []
        if enum_values:
            return "string", sorted(set(map(str, enum_values))), []
        return "string", None, []

    # ------------------------------------------------------------ filters

    def filters(self, spec: TableSpec, columns: list[dict]) -> list[dict]:
        ref = self.params_class(spec.list_ep)
        if ref is None:
            return []
        by_name = {c["name"]: c for c in columns}
        out = []
        for f in class_fields(ref.node):
            if f.name in PAGINATION_PARAMS:
                continue
            out.extend(self._filters_for(f.name, f.name, f.annotation, f.doc, ref, by_name))
        return out

    def _filters_for(self, param, column, annotation, doc, owner, by_name) -> list[dict]:
        node = unstring(annotation)
        if subscript_name(node) == "NotRequired":
            node = subscript_args(node)[0]
        members = [unstring(m) for m in union_members(node)]
        typed = [self.sdk.resolve(type_name(m), owner.module) for m in members if type_name(m)]
        typed = [t for t in typed if t is not None]
        if typed:
            sub = typed[0]
            sub_fields = class_fields(sub.node)
            if {f.name for f in sub_fields} <= {"gt", "gte", "lt", "lte"}:
                col = by_name.get(column)
                ftype = (
                    col["type"] if col else ("datetime" if is_timestamp(param, doc) else "integer")
                )
                return [self._filter(param, col, "range", ftype, None, None, doc)]
            out = []
            for f in sub_fields:  # e.g. prices recurring[interval]
                out.extend(
                    self._filters_for(
                        f"{param}[{f.name}]",
                        f"{column}_{f.name}",
                        f.annotation,
                        f.doc,
                        sub,
                        by_name,
                    )
                )
            return out
        if any(subscript_name(m) == "List" for m in members):
            col = by_name.get(column) or by_name.get(singular(column))
            match = re.search(r"up to (\d+)", doc)
            max_items = int(match.group(1)) if match else None
            ftype = col["type"] if col else "string"
            return [self._filter(param, col, "array", ftype, None, max_items, doc)]
        ptype, enum, _ = self._param_type(node, owner, 0)
        col = by_name.get(column)
        if col is not None:
            ptype = col["type"] if ptype != "json" else ptype
        return [self._filter(param, col, "eq", ptype, enum, None, doc)]

    @staticmethod
    def _filter(param, col, kind, ftype, enum, max_items, doc) -> dict:
        return prune(
            {
                "param": param,
                "column": col["name"] if col else None,
                "kind": kind,
                "type": ftype,
                "enum": enum,
                "max_items": max_items,
                "description": doc,
            }
        )

    # ------------------------------------------------------------ paths and procedures

    def table(self, spec: TableSpec) -> dict:
        required = self.required_list_params(spec)
        columns = self._with_required_columns(spec, self.columns(spec), required)
        filters = self.filters(spec, columns)
        list_path = spec.list_path
        data = {
            "name": spec.name,
            "object": spec.object,
            "list_path": list_path,
            "description": class_doc(spec.classes[0].node) or self._table_doc(spec),
            "columns": columns,
            "filters": filters,
            "required_filters": self.required_filters(spec, columns, filters, required),
        }
        if spec.parent_param:
            data["parent"] = {
                "table": self.parent_table(spec),
                "path_param": spec.parent_param,
                "column": self._parent_column(spec),
            }
        for ep in self.services[spec.list_ep.module.name]:
            role = self._role(spec, ep)
            if role:
                data[f"{role}_path"] = self._own_id_path(spec, ep.path)
                if role in ("create", "update"):
                    data[f"{role}_params"] = self.params(self.params_class(ep))
        if spec.name in overrides.SEARCH_FIELDS:
            data["search"] = prune({
                "path": list_path + "/search",
                "fields": overrides.SEARCH_FIELDS[spec.name],
                "unlike_column": overrides.SEARCH_UNLIKE_COLUMN.get(spec.name),
            })
        data["default_list_params"] = overrides.DEFAULT_LIST_PARAMS.get(spec.name)
        data["visibility_splits"] = overrides.VISIBILITY_SPLITS.get(spec.name)
        data["hidden_unless_filtered"] = overrides.HIDDEN_UNLESS_FILTERED.get(spec.name)
        data["retention_days"] = overrides.RETENTION_DAYS.get(spec.name)
        if len(spec.classes) > 1:  # a mixed list (external accounts: bank accounts, cards)
            data["objects"] = [object_name(ref) for ref in spec.classes]
        data["param_aliases"] = overrides.PARAM_ALIASES.get(spec.name)
        data["freshness"] = prune(self.coverage.freshness(spec.name))
        return prune(data)

    # ------------------------------------------------------------ required list params

    def required_list_params(self, spec: TableSpec) -> list[str]:
        """List params Stripe requires (subscription items: subscription), down to
        the leaves of a required hash: apps secrets' scope -> ``scope[type]``."""
        ref = self.params_class(spec.list_ep)
        return self._required_leaves(ref, "") if ref is not None else []

    def _required_leaves(self, ref: ClassRef, prefix: str) -> list[str]:
        out = []
        for f in class_fields(ref.node):
            node = unstring(f.annotation)
            if subscript_name(node) == "NotRequired":
                continue
            name = f"{prefix}[{f.name}]" if prefix else f.name
            hashes = [
                found
                for m in union_members(node)
                if type_name(unstring(m))
                and (found := self.sdk.resolve(type_name(unstring(m)), ref.module)) is not None
            ]
            leaves = self._required_leaves(hashes[0], name) if hashes else []
            out.extend(leaves or [name])
        return out

    def _with_required_columns(self, spec: TableSpec, columns: list[dict], required) -> list[dict]:
        """A required id param the rows do not carry (active entitlements: customer)
        becomes a column, as a nested table's parent id does: WHERE can give it and
        each row shows the id it was listed for."""
        names = {c["name"] for c in columns}
        added = [
            {
                "name": param,
                "type": "string",
                "path": [param],
                "description": f"ID of the {param} these rows were listed for "
                f"(the list's required `{param}` param).",
                "references": self.table_named_by(param, spec),
            }
            for param in required
            if "[" not in param and param not in names
        ]
        if not added:
            return columns
        lead = 1 + (spec.parent_param is not None)  # after id and the parent column
        return columns[:lead] + [prune(c) for c in added] + columns[lead:]

    def required_filters(self, spec: TableSpec, columns, filters, required) -> list[dict]:
        """Each required param with its column and the table whose ids supply it
        (None: only WHERE can). A preview (``/preview/``) computes hypothetical
        rows from its params: they are inputs, never listed from a table."""
        by_param = {f["param"]: f for f in filters}
        references = {c["name"]: c.get("references") for c in columns}
        out = []
        for param in required:
            column = by_param[param]["column"]
            table = None
            if "/preview/" not in spec.list_path and "[" not in param:
                table = references.get(column) or self.table_named_by(param, spec)
            out.append(prune({"param": param, "column": column, "table": self._listable(table)}))
        return out

    def table_named_by(self, name: str, near: TableSpec) -> str | None:
        """The table of the object type a field or param name names, in the
        namespace of ``near`` first: ``financial_account`` of a treasury table ->
        treasury_financial_accounts, ``subscription`` -> subscriptions."""
        namespace = near.object.rpartition(".")[0]
        for obj in (f"{namespace}.{name}" if namespace else None, name):
            if obj in self.object_tables:
                return self.object_tables[obj]
        return None

    def _listable(self, table: str | None) -> str | None:
        """``table`` if it can be listed with no id and no required param."""
        spec = self.tables.get(table) if table else None
        if spec is None or spec.parent_param or self.required_list_params(spec):
            return None
        return table

    @staticmethod
    def _role(spec: TableSpec, ep: Endpoint) -> str | None:
        list_shape = _shape(spec.list_path)
        shape = _shape(ep.path)
        own = shape == list_shape + "/{}"
        if ep.name == "retrieve" and ep.method == "get" and own:
            return "retrieve"
        if ep.name == "create" and ep.method == "post" and shape == list_shape:
            return "create"
        if ep.name == "update" and ep.method == "post" and own:
            return "update"
        if ep.method == "delete" and own:
            # DELETE on the row's own path, whatever the SDK calls it
            # (subscriptions: "cancel").
            return "delete"
        return None

    @staticmethod
    def _own_id_path(spec: TableSpec, path: str) -> str:
        """The SDK path in the table's terms: the object's own placeholder is
        {id}, the parent's is Parent.path_param."""
        list_parts = spec.list_path.split("/")
        parts = path.split("/")
        out = []
        for i, part in enumerate(parts):
            if part.startswith("{"):
                if i < len(list_parts):
                    part = list_parts[i]
                elif i == len(list_parts):
                    part = "{id}"
            out.append(part)
        return "/".join(out)

    def procedures(self) -> tuple[dict, dict]:
        procs: dict[str, dict] = {}
        aliases: dict[str, str] = {}
        for name in sorted(self.tables):
            spec = self.tables[name]
            for ep in self.services[spec.list_ep.module.name]:
                if ep.method not in ("post", "delete") or ep.name.endswith("_async"):
                    continue
                if _shape(ep.path) == _shape(spec.list_path):
                    continue
                if self._role(spec, ep) and ep.name in ("create", "update", "delete"):
                    continue  # plain CRUD; a named verb (cancel) is a procedure too
                proc = self._procedure(spec, ep)
                generic = proc["name"]
                former = overrides.FORMER_PROCEDURE_NAMES.get((spec.name, ep.name))
                former = former or object_first_name(ep.name, object_pascal(spec.object))
                self._alias_former_name(aliases, former, generic)
                if generic in overrides.SPEC_PROCEDURES:
                    proc = self._apply_spec(proc, *overrides.SPEC_PROCEDURES[generic])
                    if proc["name"] != generic:
                        aliases[generic] = proc["name"]
                assert proc["name"] not in procs, (proc["name"], ep.path)
                procs[proc["name"]] = proc
        table_services = {spec.list_ep.module.name for spec in self.tables.values()}
        for module_name in sorted(set(self.services) - table_services):
            for ep in self.services[module_name]:
                if ep.method not in ("post", "delete") or ep.name.endswith("_async"):
                    continue
                if ep.path.startswith(TEST_HELPERS):
                    proc = self._test_helper_procedure(ep)
                    assert proc["name"] not in procs, (proc["name"], ep.path)
                    procs[proc["name"]] = proc
                    continue
                proc = self._service_procedure(ep)
                # A name the table actions already use keeps its table meaning.
                if proc is not None and proc["name"] not in procs:
                    procs[proc["name"]] = proc
                    former = object_first_name(ep.name, self.service_object(ep))
                    self._alias_former_name(aliases, former, proc["name"])
        # Renamed spec actions: a former name points at the spec's name.
        return procs, {a: aliases.get(n, n) for a, n in aliases.items() if a not in procs}

    @staticmethod
    def _alias_former_name(aliases: dict, former: str, name: str) -> None:
        """Keep a name of the catalog before the VerbObject rule
        (MarkInvoiceUncollectible) resolving."""
        if former != name:
            aliases[former] = name

    def _procedure(self, spec: TableSpec, ep: Endpoint) -> dict:
        """An action of a table's service: path params are the row's id
        (``<Object>Id``) and, for nested tables, the parent's."""
        obj = object_pascal(spec.object)
        own_index = len(spec.list_path.split("/"))
        parent_id = pascal(self._parent_column(spec) or "") + "Id" if spec.parent_param else None

        def path_param_name(index: int, placeholder: str) -> str:
            return obj + "Id" if index == own_index else parent_id

        name = overrides.PROCEDURE_NAMES.get((spec.name, ep.name))
        return self._procedure_from(ep, name or verb_object(ep.name, obj), path_param_name)

    @staticmethod
    def _table_doc(spec: TableSpec) -> str:
        """For the two resource classes without a docstring: the list method's."""
        return spec.list_ep.doc or f"Stripe's {spec.object} objects ({spec.list_path})."

    def _sibling_docs(self, ep: Endpoint):
        """Descriptions for params the SDK leaves undocumented (ConfirmPaymentIntent's
        mandate_data, CreateSource's usage): the same-named field of the object the
        call returns, else the same-named param of another method of the service
        (PaymentIntentCreateParams.mandate_data), else a generic line."""
        docs: dict[str, str] = {}
        returns = unstring(ep.returns)
        ref = self.sdk.resolve(type_name(returns), ep.module) if type_name(returns) else None
        if ref is not None:
            docs.update((f.name, f.doc) for f in class_fields(ref.node) if f.doc)
        for other in self.services[ep.module.name]:
            sibling = self.params_class(other) if other is not ep else None
            if sibling is not None:
                for f in class_fields(sibling.node):
                    if f.doc:
                        docs.setdefault(f.name, f.doc)

        def describe(name: str) -> str:
            return docs.get(name) or f"Stripe's `{name}` parameter of {ep.path}."

        return describe

    def _test_helper_procedure(self, ep: Endpoint) -> dict:
        """A /v1/test_helpers/ action (works in test mode only): named
        TestHelpers + VerbObject after the resource it acts on —
        /v1/test_helpers/refunds/{refund}/expire -> TestHelpersExpireRefund —
        with that object's id first (RefundId)."""
        resource = "/v1/" + ep.path[len(TEST_HELPERS) :].split("/{")[0]
        table = next(
            (
                spec
                for candidate in (resource, resource.rsplit("/", 1)[0])
                for spec in self.tables.values()
                if spec.list_path == candidate
            ),
            None,
        )
        # Confirmation tokens have no list: the object the call returns.
        obj = object_pascal(table.object) if table is not None else self._returned_object(ep)
        assert ep.path.count("{") <= 1, ep.path

        def path_param_name(index: int, placeholder: str) -> str:
            return obj + "Id"

        proc = self._procedure_from(
            ep, TEST_HELPER_PREFIX + verb_object(ep.name, obj), path_param_name
        )
        proc["description"] = (
            f"Test mode only ({TEST_HELPERS}...). {proc.get('description', '')}".strip()
        )
        return proc

    def _returned_object(self, ep: Endpoint) -> str | None:
        """PascalCase object type of what ``ep`` returns (None if no object)."""
        returns = unstring(ep.returns)
        ref = self.sdk.resolve(type_name(returns), ep.module) if type_name(returns) else None
        obj_name = ref and class_var(ref.node, "OBJECT_NAME")
        return object_pascal(obj_name) if obj_name else None

    def service_object(self, ep: Endpoint) -> str | None:
        """The object a service without a list is named after: the one it returns."""
        return self._returned_object(ep)

    def _service_procedure(self, ep: Endpoint) -> dict | None:
        """A POST/DELETE of a service with no list (account links, meter
        events, login links...): named after the object it returns."""
        obj = self.service_object(ep)
        if obj is None:
            return None

        def path_param_name(index: int, placeholder: str) -> str:
            return (obj if placeholder == "id" else pascal(placeholder)) + "Id"

        return self._procedure_from(ep, verb_object(ep.name, obj), path_param_name)

    def _procedure_from(self, ep: Endpoint, name: str, path_param_name) -> dict:
        params = []
        for index, part in enumerate(ep.path.split("/")):
            if part.startswith("{"):
                sql_name = path_param_name(index, part[1:-1])
                params.append(
                    {
                        "name": sql_name,
                        "type": "string",
                        "required": True,
                        "description": f"The {sql_name[:-2]} Id.",
                        "path_param": part[1:-1],
                    }
                )
        body = self.params(self.params_class(ep))
        if any(not p.get("description") for p in body):
            fallback = self._sibling_docs(ep)
            body = [
                p if p.get("description") else {**p, "description": fallback(p["name"])}
                for p in body
            ]
        for p in body:
            params.append(
                prune(
                    {
                        "name": pascal(p["name"]),
                        "type": p["type"],
                        "required": p.get("required", False),
                        "description": p.get("description", ""),
                        "api_name": p["name"],
                        "children": p.get("children"),
                    }
                )
            )
        returned = None
        returns = unstring(ep.returns)
        if type_name(returns):
            ref = self.sdk.resolve(type_name(returns), ep.module)
            obj_name = ref and class_var(ref.node, "OBJECT_NAME")
            returned = self.object_tables.get(obj_name)
        return prune(
            {
                "name": name,
                "method": ep.method,
                "path": ep.path,
                "params": params,
                "description": ep.doc,
                "table": returned,
            }
        )

    @staticmethod
    def _apply_spec(proc: dict, spec_name: str, renames: dict, required: tuple) -> dict:
        params = []
        for p in proc["params"]:
            api = p.get("api_name")
            if api in renames:
                p = {**p, "name": renames[api]}
            if api in required:
                p = {**p, "required": True}
            params.append(p)
        return {**proc, "name": spec_name, "params": params}

    def catalog(self) -> dict:
        self._check_overrides()
        procs, aliases = self.procedures()
        for name, outputs in overrides.PROCEDURE_OUTPUTS.items():
            procs[name]["outputs"] = outputs
        self.coverage = EventCoverage(self.sdk, self.object_tables, self.table_facts(procs))
        return {
            "version": self.sdk.version(),
            "generator": "tools/gen_catalog.py",
            "tables": [self.table(self.tables[n]) for n in sorted(self.tables)],
            "procedures": [procs[n] for n in sorted(procs)],
            "procedure_aliases": dict(sorted(aliases.items())),
            "object_tables": self.object_tables,
            "table_aliases": self.table_aliases(),
        }

    def table_facts(self, procs: dict) -> dict[str, TableFacts]:
        """What tools/freshness.py's rules read about each table."""
        # Actions on a row, test helpers too (/v1/test_helpers/refunds/{refund}/expire
        # acts on /v1/refunds; test clocks live under /v1/test_helpers/ themselves).
        actions = [
            shape
            for p in procs.values()
            if p["method"] == "post"
            for shape in (_shape(p["path"]), _shape(p["path"].replace(TEST_HELPERS, "/v1/")))
        ]
        facts = {}
        for spec in self.tables.values():
            roles = {self._role(spec, ep) for ep in self.services[spec.list_ep.module.name]}
            row = _shape(spec.list_path) + "/{}/"
            facts[spec.name] = TableFacts(
                name=spec.name,
                object=spec.object,
                listable=spec.parent_param is None and not self.required_list_params(spec),
                changeable="update" in roles or any(a.startswith(row) for a in actions),
                deletable="delete" in roles,
            )
        return facts

    def _check_overrides(self) -> None:
        """Every table a hand-written fact names exists (a typo would drop the fact)."""
        for facts in (overrides.VISIBILITY_SPLITS, overrides.HIDDEN_UNLESS_FILTERED,
                      overrides.RETENTION_DAYS, overrides.PARAM_ALIASES,
                      overrides.SEARCH_UNLIKE_COLUMN, overrides.SEARCH_FIELDS,
                      overrides.DEFAULT_LIST_PARAMS, overrides.EXTRA_COLUMNS):
            unknown = set(facts) - set(self.tables)
            assert not unknown, f"overrides name tables that do not exist: {sorted(unknown)}"

    def table_aliases(self) -> dict[str, str]:
        """SDK class names ("InvoiceLineItem") naming one table unambiguously."""
        claims: dict[str, set] = {}
        for spec in self.tables.values():
            for ref in spec.classes:
                claims.setdefault(ref.name, set()).add(spec.name)
        aliases = {}
        for cls, names in sorted(claims.items()):
            if len(names) == 1:
                aliases[cls] = names.pop()
            else:  # prefer the one top-level table (PaymentMethod -> payment_methods)
                top = [n for n in names if self.tables[n].parent_param is None]
                if len(top) == 1:
                    aliases[cls] = top[0]
        return aliases


def generate(sdk_path: Path | None = None) -> str:
    sdk = SDK(sdk_path or sdk_root())
    return reviewable_json(Generator(sdk).catalog()) + "\n"


# A JSON value shorter than this is written on one line (a column, a filter);
# longer ones get one entry per line, so a regenerated catalog diffs line by line.
LINE_WIDTH = 120


def reviewable_json(value, indent: int = 0, lead: int = 0) -> str:
    """JSON with sorted keys, one entry per line down to values that fit on a line
    (``lead``: what comes before the value on its line, a key)."""
    line = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, (dict, list)) or not value or indent + lead + len(line) <= LINE_WIDTH:
        return line
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        entries = []
        for key in sorted(value):
            head = json.dumps(key, ensure_ascii=False) + ": "
            entries.append(pad + head + reviewable_json(value[key], indent + 1, len(head)))
        return "{\n" + ",\n".join(entries) + "\n" + " " * indent + "}"
    entries = [pad + reviewable_json(item, indent + 1) for item in value]
    return "[\n" + ",\n".join(entries) + "\n" + " " * indent + "]"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk", type=Path, help="path of the stripe package (default: installed)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    text = generate(args.sdk)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    data = json.loads(text)
    print(f"wrote {args.out}: {len(data['tables'])} tables, {len(data['procedures'])} procedures")


if __name__ == "__main__":
    main()
