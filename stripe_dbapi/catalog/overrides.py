"""Hand-written catalog facts the Stripe SDK does not carry.

``tools/gen_catalog.py`` merges these into ``data/catalog.json``; the runtime
reads only the JSON. Everything here is plain data, so the generator stays
the one place that knows how the SDK is read.
"""

from __future__ import annotations

# Table names that the "snake_case after the path" rule would get wrong or
# make ugly. Keyed by list path.
TABLE_NAMES = {
    # The connector spec's "Cards": a customer's sources of object card.
    "/v1/customers/{customer}/sources": "cards",
    # Test clocks live under /v1/test_helpers/ but are ordinary objects.
    "/v1/test_helpers/test_clocks": "test_clocks",
    "/v1/accounts/{account}/persons": "persons",
    "/v1/accounts/{account}/external_accounts": "external_accounts",
    "/v1/accounts/{account}/capabilities": "capabilities",
    "/v1/application_fees/{id}/refunds": "application_fee_refunds",
    "/v1/transfers/{id}/reversals": "transfer_reversals",
    "/v1/credit_notes/preview/lines": "credit_note_preview_lines",
}

# Some list endpoints return a union of object types; the table takes its
# columns from the first class listed here (the rest share the endpoint).
TABLE_CLASSES = {
    "cards": ("Card",),
    "external_accounts": ("BankAccount", "Card"),
}

# Where an object type is the row type of several tables, the table that
# ``Catalog.table_for_object`` returns (the rest are nested views of it).
OBJECT_TABLES = {
    "card": "cards",
    "bank_account": "external_accounts",
    "line_item": "invoice_lines",
    "item": "checkout_session_line_items",
}

# List params sent unless the query constrains that column: they undo Stripe's
# default visibility, or pick the object type out of a mixed list.
DEFAULT_LIST_PARAMS = {
    # Without status, Stripe omits canceled subscriptions.
    "subscriptions": {"status": "all"},
    # /v1/customers/{customer}/sources mixes cards, bank accounts and sources.
    "cards": {"object": "card"},
}

# Table.visibility_splits: Stripe lists only active prices unless active=false
# is asked, so a full table is one list per value, concatenated.
VISIBILITY_SPLITS = {"prices": {"active": [True, False]}}

# Table.hidden_unless_filtered: customers and subscriptions on test clocks are
# listed only when the test_clock filter is given.
HIDDEN_UNLESS_FILTERED = {"customers": ["test_clock"], "subscriptions": ["test_clock"]}

# Table.retention_days: events are kept for 30 days only.
RETENTION_DAYS = {"events": 30}

# Table.param_aliases: write params under the names users know from other
# connectors (CData's and the connector spec's "Token"), which are no column.
PARAM_ALIASES = {
    "cards": {"token": "source"},
    "external_accounts": {"token": "external_account"},
}

# SearchSpec.unlike_column: Search fields whose meaning differs from their
# column's value. charges.refunded: "true" = fully refunded, "false" =
# partially, null = not refunded; the column is true for any full refund only.
SEARCH_UNLIKE_COLUMN = {"charges": ["refunded"]}

# Procedure.outputs: output columns read from the returned object, before its
# row. AcceptQuote: the invoice the accepted quote created.
PROCEDURE_OUTPUTS = {"AcceptQuote": {"InvoiceId": "invoice"}}

# Field names that are also an object type but, where they are plain strings,
# hold something else than that object's id: `tax_id` in billing_details,
# boleto and merchant_data is a taxpayer's number, not a tax_id object.
NOT_OBJECT_IDS = {"tax_id"}

# Columns the SDK does not list, in the generator's column format.
EXTRA_COLUMNS = {
    # The invoice object's top-level `subscription` moved to
    # parent.subscription_details.subscription (API 2025-03-31); Search and the
    # list filter still call it `subscription`, and so do users.
    "invoices": [
        {
            "name": "subscription",
            "type": "string",
            "path": ["parent", "subscription_details", "subscription"],
            "nullable": True,
            "description": "ID of the subscription this invoice was generated for, if any "
            "(parent.subscription_details.subscription).",
            "references": "subscriptions",
            "expandable": True,
        }
    ],
}

# Search API fields per table (STRIPE_FACTS.md "Search"): field -> kind.
# token = exact, case-insensitive; string = contains all words (re-check
# locally); numeric = exact and comparisons. Dotted fields are nested: the
# column is the same path joined with "_".
_CARD_DETAIL_FIELDS = {
    f"payment_method_details.{kind}.{leaf}": "token"
    for kind in ("card", "card_present", "interac_present")
    for leaf in ("last4", "exp_month", "exp_year", "brand", "fingerprint")
}
SEARCH_FIELDS = {
    "charges": {
        "amount": "numeric",
        "billing_details.address.postal_code": "token",
        "created": "numeric",
        "currency": "token",
        "customer": "token",
        "disputed": "token",
        "metadata": "token",
        **_CARD_DETAIL_FIELDS,
        "refunded": "token",
        "status": "token",
    },
    "customers": {
        "created": "numeric",
        "email": "string",
        "metadata": "token",
        "name": "string",
        "phone": "string",
    },
    "invoices": {
        "created": "numeric",
        "currency": "token",
        "customer": "token",
        "metadata": "token",
        "number": "string",
        "receipt_number": "string",
        "status": "string",
        "subscription": "string",
        "total": "numeric",
    },
    "payment_intents": {
        "amount": "numeric",
        "created": "numeric",
        "currency": "token",
        "customer": "token",
        "metadata": "token",
        "status": "token",
    },
    "prices": {
        "active": "token",
        "currency": "token",
        "lookup_key": "string",
        "metadata": "token",
        "product": "string",
        "type": "token",
    },
    "products": {
        "active": "token",
        "description": "string",
        "metadata": "token",
        "name": "string",
        "shippable": "token",
        "url": "string",
    },
    "subscriptions": {"created": "numeric", "metadata": "token", "status": "token"},
}

# Procedure names where the VerbObject rule reads badly, keyed by
# (table, SDK method name): "where" qualifies the delete, it is no action.
PROCEDURE_NAMES = {
    ("apps_secrets", "delete_where"): "DeleteAppsSecret",
}

# Names these actions had by hand before the VerbObject rule took the whole
# SDK method as the verb; they stay aliases. (Other former names, object
# first -- MarkInvoiceUncollectible --, the generator derives itself.)
FORMER_PROCEDURE_NAMES = {
    ("apps_secrets", "delete_where"): "DeleteAppsSecret",
    ("billing_credit_grants", "void_grant"): "VoidBillingCreditGrant",
    ("terminal_readers", "set_reader_display"): "SetTerminalReaderDisplay",
}

# The connector spec's nine actions keep their exact names and parameters.
# generic name -> (spec name, {Stripe body param: SQL name}, required body params).
SPEC_PROCEDURES = {
    "ConfirmPaymentIntent": ("ConfirmPaymentIntent", {}, ()),
    "CapturePaymentIntent": ("CapturePaymentIntent", {}, ()),
    "CancelPaymentIntent": ("CancelPaymentIntent", {}, ()),
    "AttachPaymentMethod": (
        "AttachPaymentMethodToCustomer",
        {"customer": "CustomerId"},
        ("customer",),
    ),
    "DetachPaymentMethod": ("DetachPaymentMethodFromCustomer", {}, ()),
    "FinalizeInvoice": ("FinalizeInvoice", {}, ()),
    "FinalizeQuote": ("FinalizeQuote", {}, ()),
    "AcceptQuote": ("AcceptQuote", {}, ()),
    "CancelQuote": ("CancelQuote", {}, ()),
}

# -- Freshness: which events keep which table fresh (docs/catalog.md "Freshness") -------
# The generator maps each event type of the SDK's WebhookEndpoint.enabled_events to a
# table by its object: the type without its verb, read as an object type
# (checkout.session), with the namespace's "_" as "." (issuing_authorization ->
# issuing.authorization), with "." as "_" (source.transaction), or by its last part
# (customer.subscription -> subscription, charge.dispute -> dispute).

# Event prefixes whose data.object the object rule does not find -> their table.
EVENT_TABLES = {
    # A connected account's bank accounts and cards.
    "account.external_account": "external_accounts",
    # A customer's payment sources (cards).
    "customer.source": "cards",
    # Object fee_refund.
    "application_fee.refund": "application_fee_refunds",
}

# Event types (or prefixes: all their verbs) applied to no table, with why. The
# generator refuses an event type that maps to no table and is not listed here.
UNMAPPED_EVENTS = {
    "account.application": "carries the Connect application, which has no table",
    "balance": "the account's balance is one object, not a table",
    "balance_settings": "the balance settings are one object, not a table",
    "billing.alert.triggered": "carries the alert's trigger (billing.alert_triggered), not a row",
    "billing_portal.session": "portal sessions cannot be listed",
    "cash_balance": "a customer's cash balance is one object, not a table",
    "customer.discount": "a customer's discount is embedded in the customer, not a table",
    "entitlements.active_entitlement_summary": "carries a summary, not an entitlement row",
    "financial_connections.authorization": "authorizations cannot be listed",
    "invoice.upcoming": "carries a preview of the next invoice, which has no id",
    "mandate": "mandates cannot be listed",
    "reserve.hold": "reserve holds have no v1 list in the SDK",
    "reserve.plan": "reserve plans have no v1 list in the SDK",
    "reserve.release": "reserve releases have no v1 list in the SDK",
    "source": "sources cannot be listed",
    "tax.settings": "the tax settings are one object, not a table",
}

# Tables whose new rows announce themselves by an event other than <object>.created:
# a new charge is charge.succeeded, charge.pending or charge.failed.
CREATION_EVENTS = {
    "charges": ["charge.failed", "charge.pending", "charge.succeeded"],
    "reviews": ["review.opened"],
}

# Tables whose DELETE cancels rather than removes: the event it emits carries the
# canceled row, which stays listed (the row is updated, not removed).
DELETE_CANCELS = {"subscriptions": "customer.subscription.deleted"}

# How long a "ttl" table's full read is trusted (the replica re-reads it after).
DEFAULT_TTL_SECONDS = 300

# Freshness the rules would get wrong or explain badly: table -> (kind, why).
FRESHNESS = {
    # Stripe sends payment_intent.* only for state changes.
    "payment_intents": (
        "ttl",
        "Stripe sends no payment_intent.updated: an update (metadata, description, "
        "amount) emits no event, only state changes do.",
    ),
    # Required filter `subscription`; the subscription embeds its items.
    "subscription_items": (
        "ttl",
        "subscription items have no events of their own: they change through "
        "customer.subscription.updated, so the table is re-read (one list per subscription).",
    ),
    # customer.tax_id.* events carry customers' tax ids, which GET /v1/tax_ids
    # lists only when asked with owner[customer] (it defaults to owner[type]=self).
    "tax_ids": (
        "ttl",
        "customer.tax_id.* events carry customers' tax ids, while /v1/tax_ids lists the "
        "account's own unless an owner is given.",
    ),
    # The event log itself.
    "events": ("live", "the events are the log a replica follows; they are read live."),
}
