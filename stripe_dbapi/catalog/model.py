"""The catalog's data model: what every other part of the driver reads.

The catalog is generated from the official Stripe SDK by ``tools/gen_catalog.py``
into ``data/catalog.json``; these classes are its in-memory form. Everything
here is immutable: one catalog is shared by all connections and threads.

Value types (``Column.type``, ``ListFilter.type``, ``Param.type``) are one of
``TYPES``. ``datetime`` means Stripe sends seconds since the epoch and SQL sees
an aware UTC datetime; ``json`` means the value stays JSON text in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("string", "integer", "number", "boolean", "datetime", "json")
# Param.type and ProcedureParam.type: TYPES plus Stripe's nested body shapes.
# "object" is a hash of named sub-parameters (Param.children: address[city]),
# "array" a list (items[0][price]; children describe the items when they are
# hashes). In SQL both are given as JSON text or a dict/list; json is a free-
# form map (metadata). sys_procedure_parameters.DataTypeName shows this
# vocabulary as is.
PARAM_TYPES = TYPES + ("object", "array")

# ListFilter.kind values
FILTER_EQ = "eq"  # ?param=value
FILTER_RANGE = "range"  # ?param[gt|gte|lt|lte]=value or ?param=value
FILTER_ARRAY = "array"  # ?param[]=a&param[]=b (ids[], lookup_keys[], types[])


@dataclass(frozen=True)
class Column:
    name: str  # canonical flattened snake_case name: "address_country"
    type: str  # one of TYPES
    path: tuple[str, ...]  # where the value sits in the Stripe object: ("address", "country")
    nullable: bool = True
    description: str = ""
    references: str | None = None  # table an id column points to: "customers"
    enum: tuple[str, ...] | None = None  # allowed values, when Stripe lists them
    # An expandable reference (Stripe may send the object instead of its id);
    # true also where the referenced type has no table (references is None).
    expandable: bool = False


@dataclass(frozen=True)
class ListFilter:
    param: str  # the list endpoint's query parameter: "customer", "created", "ids"
    column: str | None  # the column it constrains ("id" for ids[]); None if no column
    kind: str  # FILTER_EQ | FILTER_RANGE | FILTER_ARRAY
    type: str  # value type, one of TYPES
    enum: tuple[str, ...] | None = None
    max_items: int | None = None  # for array filters (lookup_keys: 10, types: 20)
    description: str = ""


@dataclass(frozen=True)
class Param:
    """A create/update/action body parameter (form-encoded by the client)."""

    name: str  # Stripe's parameter name: "address", "unit_amount"
    type: str  # one of PARAM_TYPES: TYPES, plus "object" / "array" for nested ones
    required: bool = False
    description: str = ""
    children: tuple[Param, ...] = ()  # fields of an "object" param (or of array items)
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Parent:
    """How a nested list hangs off its parent: /v1/customers/{customer}/sources."""

    # parent table: "customers"; None when the parent cannot be listed
    # (source_transactions, tax_calculation_line_items): WHERE must give its id.
    table: str
    path_param: str  # placeholder in the paths: "customer"
    column: str  # column of the child table holding the parent id: "customer"


@dataclass(frozen=True)
class RequiredFilter:
    """A list param Stripe requires (subscription_items: ``subscription``).

    A query that does not give it in WHERE lists ``table`` and asks once per
    id, as nested tables fan out over their parent; without a ``table`` the
    query must give it (the planner says so before any request).
    """

    param: str  # the list param, bracketed when nested: "subscription", "scope[type]"
    column: str  # the column it constrains: "subscription", "scope_type"
    # Listable table whose ids supply it ("subscriptions"); None: only WHERE can
    # (start_time, a preview's invoice).
    table: str | None = None


@dataclass(frozen=True)
class SearchSpec:
    path: str  # "/v1/customers/search"
    fields: dict[str, str] = field(
        default_factory=dict
    )  # search field -> "token"|"string"|"numeric"
    # Search fields whose meaning differs from their column's value, so never used
    # for the column: charges "refunded" is "true" only when fully refunded,
    # "false" when partially, null when not.
    unlike_column: tuple[str, ...] = ()


# Freshness.kind values: how a copy of a table (the replica) stays true to Stripe.
FRESH_BY_EVENTS = "events"  # apply GET /v1/events in order: every change has an event
FRESH_BY_TTL = "ttl"  # some changes emit no event: re-read the whole table when it is older
FRESH_LIVE = "live"  # a full read needs an id per row's parent (or a filter): always read live
FRESHNESS_KINDS = (FRESH_BY_EVENTS, FRESH_BY_TTL, FRESH_LIVE)


@dataclass(frozen=True)
class Freshness:
    """Which of Stripe's events keep a copy of the table fresh, and how completely.

    Derived by ``tools/gen_catalog.py`` from the SDK's list of event types
    (``WebhookEndpoint.enabled_events``) and each type's object; the known gaps are
    overrides with their reason (docs/catalog.md "Freshness").
    """

    kind: str  # one of FRESHNESS_KINDS
    # Event types whose ``data.object`` is a row of this table (created, updated,
    # deleted and the other verbs: "invoice.paid"), sorted.
    event_types: tuple[str, ...] = ()
    # The event that removes a row ("customer.deleted"); None when no event does
    # (subscriptions: customer.subscription.deleted carries the canceled row, which stays).
    deleted_event: str | None = None
    # Why events are not enough (ttl, live), in one sentence shown to users.
    gaps: str = ""
    # ttl: the longest a full read is trusted before the table is read again.
    ttl_seconds: int | None = None


# What a hand-built Table (tests) is: read live.
LIVE = Freshness(FRESH_LIVE)


@dataclass(frozen=True)
class Table:
    name: str  # canonical snake_case: "customers", "cards", "checkout_sessions"
    object: str  # Stripe's object type: "customer", "card", "checkout.session"
    list_path: str  # "/v1/customers" or "/v1/customers/{customer}/sources"
    columns: tuple[Column, ...]
    description: str = ""
    parent: Parent | None = None
    retrieve_path: str | None = None  # "/v1/customers/{id}" ({id} = object id)
    create_path: str | None = None
    update_path: str | None = None
    delete_path: str | None = None
    filters: tuple[ListFilter, ...] = ()
    create_params: tuple[Param, ...] = ()
    update_params: tuple[Param, ...] = ()
    search: SearchSpec | None = None
    # List params Stripe requires (the SDK types them required), in param order.
    required_filters: tuple[RequiredFilter, ...] = ()
    # List params that undo Stripe's default visibility when the query does not
    # constrain that column, e.g. subscriptions {"status": "all"}.
    default_list_params: dict[str, str] = field(default_factory=dict)
    # A full scan needs one list per value, concatenated, unless the query
    # constrains that param's column: prices {"active": (True, False)} (Stripe
    # lists only active prices by default).
    visibility_splits: dict[str, tuple] = field(default_factory=dict)
    # Params without which Stripe leaves rows out (customers/subscriptions on
    # test clocks: test_clock).
    hidden_unless_filtered: tuple[str, ...] = ()
    retention_days: int | None = None  # Stripe keeps only the last n days (events: 30)
    objects: tuple[str, ...] = ()  # object types of a mixed list (external_accounts)
    # Write params under the names users know from other connectors, which are no
    # column of the table: cards {"token": "source"}.
    param_aliases: dict[str, str] = field(default_factory=dict)
    # Which events keep a copy of the table fresh (the replica reads it).
    freshness: Freshness = LIVE


@dataclass(frozen=True)
class ProcedureParam:
    name: str  # SQL-facing PascalCase name: "PaymentIntentId", "ReturnUrl"
    type: str  # one of PARAM_TYPES
    required: bool = False
    description: str = ""
    # Where the value goes: path placeholder ("intent") or body param ("return_url").
    path_param: str | None = None
    api_name: str | None = None
    children: tuple[Param, ...] = ()


@dataclass(frozen=True)
class Procedure:
    name: str  # "ConfirmPaymentIntent", "PayInvoice"
    method: str  # "post" (actions) or "delete"
    path: str  # "/v1/payment_intents/{intent}/confirm"
    params: tuple[ProcedureParam, ...]  # path params first, in documented order
    description: str = ""
    table: str | None = None  # table whose row shape the result has
    # Output columns before the row: column -> field (id) of the returned object
    # (AcceptQuote: {"InvoiceId": "invoice"}, the invoice the quote created).
    outputs: dict[str, str] = field(default_factory=dict)
