"""The emulator's URL map, built from the catalog: one route per table operation and procedure.

Paths come from ``Table.list_path/retrieve_path/...`` and ``Procedure.path``;
``{name}`` placeholders become named groups. Literal segments win over
placeholders, so ``/v1/customers/search`` is not read as a customer id. Path
parameters are percent-decoded: ``/v1/products/prod_odd%2Fslash`` is ``prod_odd/slash``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..catalog.model import Procedure, Table

LIST, CREATE, RETRIEVE, UPDATE, DELETE, SEARCH, ACTION = (
    "list",
    "create",
    "retrieve",
    "update",
    "delete",
    "search",
    "action",
)


@dataclass(frozen=True)
class Route:
    method: str  # GET / POST / DELETE
    template: str  # "/v1/customers/{customer}/sources/{id}"
    kind: str  # LIST, CREATE, ...
    table: Table
    pattern: re.Pattern = field(compare=False)  # the template compiled, placeholders as groups
    procedure: Procedure | None = None

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.template))


def _compile(template: str) -> re.Pattern:
    regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{regex}$")


def _specificity(route: Route) -> tuple:
    # More literal segments first; then fewer placeholders; stable otherwise.
    segments = route.template.strip("/").split("/")
    literal = sum(1 for s in segments if not s.startswith("{"))
    return (-literal, len(segments))


class Router:
    def __init__(self, tables: dict[str, Table], procedures: dict[str, Procedure]) -> None:
        routes: list[Route] = []

        def add(method: str, template: str | None, kind: str, table: Table, proc=None) -> None:
            if template:
                routes.append(Route(method, template, kind, table, _compile(template), proc))

        for table in tables.values():
            add("GET", table.list_path, LIST, table)
            add("POST", table.create_path, CREATE, table)
            add("GET", table.retrieve_path, RETRIEVE, table)
            add("POST", table.update_path, UPDATE, table)
            add("DELETE", table.delete_path, DELETE, table)
            if table.search:
                add("GET", table.search.path, SEARCH, table)
        for proc in procedures.values():
            owner = tables.get(proc.table) if proc.table else None
            if owner is not None:
                add(proc.method.upper(), proc.path, ACTION, owner, proc)
        # Actions first among equals: a procedure on DELETE /v1/subscriptions/{id}
        # (cancel) behaves like the table's delete and is dispatched the same way.
        routes.sort(key=lambda r: (_specificity(r), r.kind != ACTION))
        self.routes = routes

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        """(route, path params), or (None, {}) when no route has this method and path."""
        for route in self.routes:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                # Matched on the raw path, so an encoded "/" (%2F) stays inside its segment;
                # the id itself is the decoded text, as on Stripe.
                return route, {name: unquote(value) for name, value in found.groupdict().items()}
        return None, {}

    def tables_at(self, method: str, template: str) -> list[Route]:
        return [r for r in self.routes if r.method == method and r.template == template]
