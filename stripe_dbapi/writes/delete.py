"""DELETE -> one Stripe delete per target object, where Stripe has delete.

Subscriptions: Stripe's DELETE /v1/subscriptions/{id} cancels the subscription
immediately; ``DELETE FROM subscriptions`` therefore cancels (to cancel at the
period end instead, ``UPDATE subscriptions SET cancel_at_period_end = true``).
"""

from __future__ import annotations

from sqlglot import exp

from ..context import StatementContext
from ..exceptions import NotSupportedError
from ..result import Result
from ..sql.tree import where_condition
from .explain import explain_per_target
from .missing import skip_missing
from .prepared import PreparedWrite
from .run import run_per_row
from .targets import (
    check_target_where,
    find_targets,
    named_targets,
    object_path,
    target_select,
)

# What to do instead where Stripe has no delete (STRIPE_FACTS.md, "Deletes").
ALTERNATIVES = {
    "prices": "archive it: UPDATE prices SET active = false WHERE id = ...",
    "tax_rates": "archive it: UPDATE tax_rates SET active = false WHERE id = ...",
    "promotion_codes": "deactivate it: UPDATE promotion_codes SET active = false WHERE id = ...",
    "shipping_rates": "archive it: UPDATE shipping_rates SET active = false WHERE id = ...",
    "charges": "refund it: INSERT INTO refunds (charge, amount) VALUES (...)",
    "payment_intents": "cancel it: CALL CancelPaymentIntent('pi_...')",
    "setup_intents": "cancel it: CALL CancelSetupIntent('seti_...')",
    "quotes": "cancel it: CALL CancelQuote('qt_...')",
    "refunds": "cancel it: CALL CancelRefund('re_...')",
    "payouts": "cancel it: CALL CancelPayout('po_...')",
    "checkout_sessions": "expire it: CALL ExpireCheckoutSession('cs_...')",
    "credit_notes": "void it: CALL VoidCreditNote('cn_...')",
}


def prepare_delete(conn: StatementContext, expr: exp.Delete) -> PreparedWrite:
    table_expr = expr.this
    table = conn.catalog.table(table_expr.name)
    delete_path = table.delete_path or _delete_action_path(conn, table)
    if delete_path is None:
        raise NotSupportedError(_no_delete_message(conn, table))
    if expr.args.get("returning") is not None:
        raise NotSupportedError(
            "DELETE ... RETURNING is not supported: Stripe returns only the deleted id"
        )
    if expr.args.get("using"):
        raise NotSupportedError(
            "DELETE ... USING is not supported; use WHERE id IN (SELECT ...)"
        )
    where = where_condition(expr)
    order, limit = expr.args.get("order"), expr.args.get("limit")
    check_target_where(conn, table, where, "DELETE")

    written: list[str] = []

    @skip_missing
    def delete(key):
        return conn.client.delete(object_path(delete_path, key))

    def run() -> Result:
        keys = find_targets(conn, table, table_expr, where, "DELETE", order, limit)
        results = run_per_row(
            conn,
            keys,
            delete,
            lambda key: key.label,
            f"DELETE FROM {table.name}",
            table=table.name,
            written=written,
            deleting=True,
        )
        return Result(
            description=None, rows=iter(()), rowcount=sum(1 for r in results if r is not None)
        )

    def explain() -> list[tuple]:
        named = named_targets(conn, table, where, order, limit)
        select = (
            None if named is not None else target_select(table, table_expr, where, (), order, limit)
        )
        return explain_per_target(conn, table, named, select, "DELETE", delete_path, {})

    return PreparedWrite(run, explain, written)


def _delete_action_path(conn: StatementContext, table):
    """Stripe's DELETE on the object itself, when the SDK files it as an action
    (subscriptions: ``Subscription.cancel`` is ``DELETE /v1/subscriptions/{id}``)."""
    for procedure in conn.catalog.procedures.values():
        parent, _, last = procedure.path.rpartition("/")
        if (
            procedure.table == table.name
            and procedure.method == "delete"
            and parent == table.list_path
            and last.startswith("{")
        ):
            return procedure.path
    return None


def _no_delete_message(conn: StatementContext, table) -> str:
    alternative = ALTERNATIVES.get(table.name)
    if alternative is None:
        actions = sorted(
            p.name
            for p in conn.catalog.procedures.values()
            if p.table == table.name
            and p.name.startswith(("Cancel", "Void", "Expire", "Archive", "Reject"))
        )
        alternative = f"see CALL {' / '.join(actions)}" if actions else None
    message = f"Stripe has no delete for {table.name}"
    return f"{message}; instead, {alternative}" if alternative else message
