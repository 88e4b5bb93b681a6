"""Load data/catalog.json into the model's dataclasses and answer name lookups.

One ``Catalog`` is built per process (``load_catalog()`` caches it) and shared
by every connection and thread; it is never mutated after construction.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import MISSING, fields
from functools import cached_property
from pathlib import Path

from ..exceptions import ProgrammingError
from ..names import NameIndex, find, lookup_keys, normalize, unknown
from .model import (
    LIVE,
    Column,
    Freshness,
    ListFilter,
    Param,
    Parent,
    Procedure,
    ProcedureParam,
    RequiredFilter,
    SearchSpec,
    Table,
)

DATA_FILE = Path(__file__).with_name("data") / "catalog.json"


def _tuple(value):
    return tuple(value) if value is not None else None


def _builder(cls):
    """A fast constructor for a frozen dataclass from already-checked JSON.

    The catalog holds ~15,000 small objects; the dataclass ``__init__`` of a
    frozen class costs an ``object.__setattr__`` per field, which alone would
    double the load time. Filling ``__dict__`` directly gives the same object.
    """
    defaults = {}
    for f in fields(cls):
        if f.default is not MISSING:
            defaults[f.name] = f.default
    new = object.__new__

    def build(values: dict):
        obj = new(cls)
        obj.__dict__.update(defaults)
        obj.__dict__.update(values)
        return obj

    return build


_new_param = _builder(Param)
_new_column = _builder(Column)
_new_filter = _builder(ListFilter)
_new_table = _builder(Table)
_new_procedure = _builder(Procedure)
_new_procedure_param = _builder(ProcedureParam)


def _param(d: dict) -> Param:
    d = dict(d)
    if "children" in d:
        d["children"] = tuple(_param(c) for c in d["children"])
    if "enum" in d:
        d["enum"] = tuple(d["enum"])
    return _new_param(d)


def _column(d: dict) -> Column:
    d = dict(d)
    d["path"] = tuple(d["path"])
    d.setdefault("nullable", False)  # the JSON omits false values
    if "enum" in d:
        d["enum"] = tuple(d["enum"])
    return _new_column(d)


def _filter(d: dict) -> ListFilter:
    d = dict(d)
    d.setdefault("column", None)
    if "enum" in d:
        d["enum"] = tuple(d["enum"])
    return _new_filter(d)


def _table(d: dict) -> Table:
    d = dict(d)
    d["columns"] = tuple(_column(c) for c in d["columns"])
    d["filters"] = tuple(_filter(f) for f in d.get("filters", ()))
    for key in ("create_params", "update_params"):
        d[key] = tuple(_param(p) for p in d.get(key, ()))
    parent = d.get("parent")
    if parent:
        d["parent"] = Parent(parent.get("table"), parent["path_param"], parent["column"])
    d["required_filters"] = tuple(
        RequiredFilter(r["param"], r["column"], r.get("table"))
        for r in d.get("required_filters", ())
    )
    search = d.get("search")
    if search:
        d["search"] = SearchSpec(
            search["path"], dict(search["fields"]), tuple(search.get("unlike_column", ()))
        )
    # fresh containers: default_factory fields are not in the defaults
    d["default_list_params"] = dict(d.get("default_list_params", {}))
    d["visibility_splits"] = {k: tuple(v) for k, v in d.get("visibility_splits", {}).items()}
    d["param_aliases"] = dict(d.get("param_aliases", {}))
    for key in ("hidden_unless_filtered", "objects"):
        if key in d:
            d[key] = tuple(d[key])
    d["freshness"] = _freshness(d["freshness"]) if "freshness" in d else LIVE
    return _new_table(d)


def _freshness(d: dict) -> Freshness:
    return Freshness(
        d["kind"],
        tuple(d.get("event_types", ())),
        d.get("deleted_event"),
        d.get("gaps", ""),
        d.get("ttl_seconds"),
    )


def _procedure_param(d: dict) -> ProcedureParam:
    d = dict(d)
    if "children" in d:
        d["children"] = tuple(_param(c) for c in d["children"])
    return _new_procedure_param(d)


def _procedure(d: dict) -> Procedure:
    d = dict(d)
    d["params"] = tuple(_procedure_param(p) for p in d["params"])
    d["outputs"] = dict(d.get("outputs", {}))
    return _new_procedure(d)


class Catalog:
    """Tables and procedures of one Stripe API version, with name resolution."""

    def __init__(self, data: dict):
        self.version: str = data["version"]
        self.tables: dict[str, Table] = {t["name"]: _table(t) for t in data["tables"]}
        self.procedures: dict[str, Procedure] = {
            p["name"]: _procedure(p) for p in data["procedures"]
        }
        # Other names of procedures (the SDK-derived generic name of a spec action).
        self.procedure_aliases: dict[str, str] = dict(data.get("procedure_aliases", {}))
        self._object_tables: dict[str, str] = dict(data.get("object_tables", {}))
        self._table_aliases: dict[str, str] = dict(data.get("table_aliases", {}))
        self._column_indexes: dict[str, tuple[dict, dict]] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ tables

    @cached_property
    def _table_index(self) -> NameIndex:
        index = NameIndex(self.tables)
        for obj, name in self._object_tables.items():
            # "payment_intent", "checkout.session", "test_helpers.test_clock"
            index.add_alias(obj, name, preferred=True)
            index.add_alias(obj.split(".")[-1], name)
        for class_name, name in self._table_aliases.items():  # "InvoiceLineItem"
            index.add_alias(class_name, name)
        return index

    def table(self, name: str, among: Callable[[Table], bool] | None = None) -> Table:
        """The table ``name`` names: "Customer", "Refunds", "InvoiceItems"... An unknown
        name's error suggests the nearest tables: those ``among`` accepts, when given (a
        caller taking only some), else any, system tables too (a SELECT reads them)."""
        found = self._table_index.lookup(name, plural_forms=True)
        if found is None:
            system = system_table_keys()
            if normalize(name) in system:
                raise ProgrammingError(f"{system[normalize(name)]} is a system table: only "
                                       "SELECT reads it")
            candidates = {key: table_name for key, table_name in self._table_index.exact.items()
                          if among is None or among(self.tables[table_name])}
            raise unknown("table", name, "", candidates if among else {**candidates, **system})
        return self.tables[found]

    def table_for_object(self, object_type: str) -> Table | None:
        """The table whose rows are Stripe objects of ``object_type`` ("customer")."""
        name = self._object_tables.get(object_type)
        return self.tables[name] if name else None

    # ------------------------------------------------------------ columns

    def _columns_of(self, table: Table) -> tuple[dict, dict]:
        cached = self._column_indexes.get(table.name)
        if cached is None:
            exact = {normalize(c.name): c for c in table.columns}
            references = {
                normalize(c.name): c
                for c in table.columns
                if c.references or (table.parent and c.name == table.parent.column)
            }
            cached = (exact, references)
            with self._lock:
                self._column_indexes[table.name] = cached
        return cached

    def column(self, table: Table, name: str) -> Column:
        """Column ``name`` of ``table``: "UnitAmount", "CustomerId", "AddressCountry"..."""
        exact, references = self._columns_of(table)
        first, *rest = lookup_keys(name)
        if first in exact:
            return exact[first]
        for key in rest:  # <Thing>Id -> the reference column <thing>
            if key in references:
                return references[key]
            column = exact.get(key)
            if column is not None and column.type == "string":
                return column
        candidates = {key: col.name for key, col in exact.items()}
        raise unknown("column", name, f" in table {table.name}", candidates)

    def column_names(self, table: Table) -> tuple[str, ...]:
        return tuple(c.name for c in table.columns)

    def column_index(self, table: Table) -> dict[str, int]:
        return {c.name: i for i, c in enumerate(table.columns)}

    # ------------------------------------------------------------ procedures

    @cached_property
    def _procedure_index(self) -> NameIndex:
        index = NameIndex(self.procedures)
        for alias, name in self.procedure_aliases.items():
            index.add_alias(alias, name, preferred=True)
        return index

    def procedure(self, name: str) -> Procedure:
        """Procedure ``name`` ("ConfirmPaymentIntent", "pay_invoice", alias names too)."""
        found = self._procedure_index.lookup(name)
        if found is None:
            raise unknown("procedure", name, "", self._procedure_index.exact)
        return self.procedures[found]

    def procedure_param(self, procedure: Procedure, name: str) -> ProcedureParam:
        return procedure_param(procedure, name)


def procedure_param(procedure: Procedure, name: str) -> ProcedureParam:
    """Parameter ``name`` of ``procedure``: its SQL name ("ReturnUrl"), Stripe's name
    ("return_url"), its path placeholder, ``<Thing>Id`` for an id parameter named
    ``<thing>``, or ``<Thing>`` for one named ``<Thing>Id`` ("Card" means CardId)."""
    index = _procedure_param_index(procedure)
    param = find(name, index) or index.get(normalize(name) + "id")
    if param is None:
        valid = [p.name for p in procedure.params]
        raise unknown("parameter", name, f" of procedure {procedure.name}", valid, listing=valid)
    return param


def _procedure_param_index(procedure: Procedure) -> dict[str, ProcedureParam]:
    index: dict[str, ProcedureParam] = {}
    # SQL names first so they win over Stripe's (a path placeholder named "id"
    # must not shadow a parameter called Id).
    for param in procedure.params:
        index.setdefault(normalize(param.name), param)
    for param in procedure.params:
        for alias in (param.api_name, param.path_param):
            if alias:
                index.setdefault(normalize(alias), param)
    return index


def system_table_keys() -> dict[str, str]:
    """The SQL layer's virtual tables (sys_tables, sys_columns, ...), so a
    misspelt one is suggested too. stripe_dbapi/sql/systables.py owns the
    names; imported here only when a name is unknown (the catalog does not
    depend on the SQL layer otherwise)."""
    from ..sql.systables import SYS_TABLES

    return {normalize(name): name for name in SYS_TABLES}


_CACHE: Catalog | None = None
_CACHE_LOCK = threading.Lock()


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog generated from the pinned SDK (cached; ``path`` for tests)."""
    global _CACHE
    if path is not None:
        return Catalog(json.loads(Path(path).read_text(encoding="utf-8")))
    if _CACHE is None:
        with _CACHE_LOCK:
            if _CACHE is None:
                _CACHE = Catalog(json.loads(DATA_FILE.read_text(encoding="utf-8")))
    return _CACHE
