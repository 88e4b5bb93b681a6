"""Print the catalog: ``python -m stripe_dbapi.catalog [--table NAME]``.

Without arguments: one line per table (columns, filters, operations) and per
procedure, then the totals. With ``--table``: that table's columns, list
filters, paths and procedures.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..exceptions import ProgrammingError
from . import Catalog, Table, load_catalog


def operations(table: Table) -> str:
    ops = [
        ("L", table.list_path),
        ("R", table.retrieve_path),
        ("C", table.create_path),
        ("U", table.update_path),
        ("D", table.delete_path),
        ("S", table.search),
    ]
    return "".join(letter if present else "-" for letter, present in ops)


def totals(catalog: Catalog) -> dict[str, int]:
    tables = catalog.tables.values()
    return {
        "tables": len(catalog.tables),
        "nested tables": sum(1 for t in tables if t.parent is not None),
        "columns": sum(len(t.columns) for t in tables),
        "filterable columns": sum(len({f.column for f in t.filters if f.column}) for t in tables),
        "list filters": sum(len(t.filters) for t in tables),
        "tables with required list filters": sum(1 for t in tables if t.required_filters),
        "searchable tables": sum(1 for t in tables if t.search),
        "procedures": len(catalog.procedures),
    }


def summary(catalog: Catalog) -> str:
    lines = [f"Stripe API {catalog.version}", ""]
    lines.append(f"{'table':45} {'cols':>5} {'filters':>7}  ops (LRCUDS)  filterable columns")
    for name in sorted(catalog.tables):
        table = catalog.tables[name]
        filterable = sorted({f.column for f in table.filters if f.column})
        lines.append(
            f"{name:45} {len(table.columns):>5} {len(table.filters):>7}  {operations(table):12}"
            f"  {', '.join(filterable)}"
        )
    lines += ["", f"{'procedure':45} {'params':>6}  path"]
    for name in sorted(catalog.procedures):
        proc = catalog.procedures[name]
        lines.append(f"{name:45} {len(proc.params):>6}  {proc.method.upper()} {proc.path}")
    if catalog.procedure_aliases:
        aliases = ", ".join(f"{a} -> {n}" for a, n in sorted(catalog.procedure_aliases.items()))
        lines.append(f"aliases: {aliases}")
    lines.append("")
    lines += [f"{key}: {value}" for key, value in totals(catalog).items()]
    return "\n".join(lines)


def detail(catalog: Catalog, table: Table) -> str:
    lines = [f"{table.name} (object {table.object})", table.description, ""]
    for label, path in (
        ("list", table.list_path),
        ("retrieve", table.retrieve_path),
        ("create", table.create_path),
        ("update", table.update_path),
        ("delete", table.delete_path),
        ("search", table.search.path if table.search else None),
    ):
        if path:
            lines.append(f"  {label:9} {path}")
    if table.parent:
        lines.append(
            f"  parent    {table.parent.table} via {{{table.parent.path_param}}} "
            f"(column {table.parent.column})"
        )
    for required in table.required_filters:
        source = f"ids of {required.table}" if required.table else "WHERE only"
        lines.append(f"  requires  {required.param} (column {required.column}; {source})")
    if table.default_list_params:
        lines.append(f"  default list params: {table.default_list_params}")
    fresh = table.freshness
    lines.append(f"  freshness {fresh.kind}" + (f": {fresh.gaps}" if fresh.gaps else ""))
    if fresh.event_types:
        lines.append(f"  events    {', '.join(fresh.event_types)}")
    for label, fact in (
        ("visibility splits", table.visibility_splits),
        ("hidden unless filtered by", table.hidden_unless_filtered),
        ("retention days", table.retention_days),
        ("objects", table.objects),
        ("write param aliases", table.param_aliases),
    ):
        if fact:
            lines.append(f"  {label}: {fact}")
    lines += ["", "columns:"]
    for col in table.columns:
        notes = []
        if col.references:
            notes.append(f"-> {col.references}")
        if col.enum:
            notes.append("{" + ", ".join(col.enum) + "}")
        if not col.nullable:
            notes.append("not null")
        lines.append(f"  {col.name:50} {col.type:9} {' '.join(notes)}")
    lines += ["", "list filters:"]
    for f in table.filters:
        extra = f" max {f.max_items}" if f.max_items else ""
        enum = " {" + ", ".join(f.enum) + "}" if f.enum else ""
        lines.append(f"  {f.param:35} {f.kind:6} {f.type:9} column={f.column}{extra}{enum}")
    if table.search:
        lines += ["", "search fields:"]
        lines += [f"  {k}: {v}" for k, v in table.search.fields.items()]
    procs = [p for p in catalog.procedures.values() if p.table == table.name]
    if procs:
        lines += ["", "procedures returning its rows:"]
        for p in sorted(procs, key=lambda p: p.name):
            params = ", ".join(x.name for x in p.params)
            lines.append(f"  {p.name}({params})")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_dbapi.catalog", description=__doc__)
    parser.add_argument("--table", help="show one table in detail (forgiving names)")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    if args.table:
        try:
            text = detail(catalog, catalog.table(args.table))
        except ProgrammingError as exc:
            print(exc, file=sys.stderr)
            return 2
    else:
        text = summary(catalog)
    return write_out(text)


def write_out(text: str) -> int:
    """Print ``text``; a reader that stopped early (``| head``) is no error."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the failed flush at exit again: point stdout at
        # devnull first (the recipe of the signal module's documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
