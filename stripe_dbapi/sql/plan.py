"""What a SELECT will ask Stripe: one Fetch per table reference, made of Calls.

Plain data, built by ``pushdown.py``, run by ``fetch.py``, shown by ``explain.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stripe_dbapi.client import MAX_PAGE_SIZE as PAGE_SIZE  # a full page: Stripe's largest
from stripe_dbapi.paths import fill_path

if TYPE_CHECKING:
    from stripe_dbapi.replica import ReplicaRead
    from stripe_dbapi.sql.slicing import Slicing


@dataclass
class Call:
    """One logical request: a retrieve, or a list/search followed page by page."""

    kind: str  # "retrieve" | "list" | "search"
    path: str
    params: dict = field(
        default_factory=dict
    )  # flat: {"customer": "cus_1", "created[gte]": 1700000000}
    query: str | None = None  # Search query
    # Values to set on every row this call returns when Stripe leaves them out
    # (a nested list's parent id): column -> value.
    implied: dict = field(default_factory=dict)

    @property
    def method(self) -> str:
        return "GET"

    def params_dict(self) -> dict:
        params = dict(self.params)
        if self.query is not None:
            params["query"] = self.query
        return params


@dataclass
class FanOut:
    """A list that needs a parent id the query does not give: list the parents,
    then each child call once per parent id. The id goes in the path (a nested
    table: ``/v1/customers/{customer}/sources``) or in a list param Stripe
    requires (``/v1/subscription_items?subscription=...``)."""

    parent_calls: list[Call]
    child_calls: list[Call]  # the calls to make per parent, without its id
    parent_column: str  # child column that holds the parent id
    path_param: str | None = None  # the placeholder of the child paths that takes the id...
    list_param: str | None = None  # ...or the list param that does

    def child_calls_for(self, parent_id: str) -> list[Call]:
        """The child calls of one parent (the id came from Stripe, but is still escaped)."""
        calls = []
        for template in self.child_calls:
            path, params = template.path, dict(template.params)
            if self.path_param is not None:
                path = fill_path(path, {self.path_param: parent_id})
            if self.list_param is not None:
                params[self.list_param] = parent_id
            calls.append(Call(template.kind, path, params,
                              implied={**template.implied, self.parent_column: parent_id}))
        return calls

    def shown_params(self, call: Call) -> dict:
        """A child call's params as EXPLAIN shows them: the parent id as ``{param}``."""
        if self.list_param is None:
            return dict(call.params)
        return {**call.params, self.list_param: "{" + self.list_param + "}"}


@dataclass
class Fetch:
    ref_name: str  # SQLite temp table name
    table_name: str
    calls: list[Call] = field(default_factory=list)
    fan_out: FanOut | None = None
    empty: bool = False  # a contradiction: no request at all
    max_rows: int | None = None  # pushed LIMIT + OFFSET
    exact: bool = False  # every predicate on this table was answered by Stripe exactly
    merge_write_log: bool = False  # Search plans: this connection's recent writes merged in
    pushed: list[str] = field(default_factory=list)
    residual: list[str] = field(default_factory=list)
    system: bool = False  # sys_* table: rows from the catalog
    dedupe: bool = False  # calls may overlap: keep the first row per id
    note: str = ""  # a run-time refinement EXPLAIN should mention (joinfetch.py)
    # A Search plan's list plan for the same table, run when Search is not available
    # (search_fallback.py); set on that list plan: why Search was not used.
    fallback: Fetch | None = None
    search_unavailable: str | None = None
    # A full list read split on `created` (slicing.py), or why it pages serially.
    slicing: Slicing | None = None
    serial_reason: str = ""
    # On a replica connection: the rows come from the replica file (no calls), or why
    # this table is read live.
    replica: ReplicaRead | None = None
    live_reason: str = ""

    @property
    def uses_search(self) -> bool:
        return any(call.kind == "search" for call in self.calls)

    @property
    def page_size(self) -> int:
        return PAGE_SIZE if self.max_rows is None else max(1, min(self.max_rows, PAGE_SIZE))

    def estimated_requests(self) -> int:
        """The fewest requests this fetch can take (one page per list call unless LIMIT says
        more); for a fan-out, an estimate (``fan_out_estimate``)."""
        if self.empty or self.system:
            return 0
        if self.replica is not None:
            return self.replica.estimated_requests()
        per_list = 1 if self.max_rows is None else max(1, math.ceil(self.max_rows / PAGE_SIZE))
        total = 0
        for call in self.calls:
            total += 1 if call.kind == "retrieve" else per_list
        if self.fan_out is not None:
            total += len(self.fan_out.parent_calls) + self._child_lists(self.fan_out)
        return total

    def _child_lists(self, fan_out: FanOut) -> int:
        """How many per-parent lists a fan-out will send. The parents are unknown until
        listed: each parent list is assumed to fill one page (PAGE_SIZE parents, one list
        each). A pushed LIMIT walks the parents one by one and stops at max_rows rows:
        at best the first parents hold them, one page per PAGE_SIZE rows."""
        if self.max_rows is not None:
            return max(1, math.ceil(self.max_rows / PAGE_SIZE))
        return len(fan_out.parent_calls) * PAGE_SIZE * len(fan_out.child_calls)

    def fan_out_estimate(self) -> str:
        """How the estimate of a fan-out was made, for EXPLAIN ("" for other fetches)."""
        if self.fan_out is None or self.empty:
            return ""
        pages = len(self.fan_out.parent_calls)
        if self.max_rows is not None:
            return (
                f"estimate: {pages} page(s) of parents + at least "
                f"{self._child_lists(self.fan_out)} list(s): "
                f"the walk stops at {self.max_rows} rows, later if the first parents hold fewer"
            )
        per_parent = len(self.fan_out.child_calls)
        lists = "one list" if per_parent == 1 else f"{per_parent} lists"
        return (f"estimate: {pages} page(s) of parents, then {lists} per parent, assuming "
                f"{PAGE_SIZE} parents a page; the real count is known once the parents are listed")


@dataclass
class Plan:
    fetches: list[Fetch]
    sql: str  # what SQLite runs over the fetched rows
    streaming: bool

    def estimated_requests(self) -> int:
        return sum(f.estimated_requests() for f in self.fetches)
