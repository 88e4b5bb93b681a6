"""Procedures the driver runs itself (not Stripe actions): the local replica's controls.

Declared here as catalog data, so sys_procedures lists them (Method LOCAL) next to
Stripe's actions; stripe_dbapi/procedures/local.py runs them.
"""

from __future__ import annotations

from .model import Procedure, ProcedureParam

LOCAL = "local"  # Procedure.method of these
_TABLE_PARAM = "Name of the table (any name the driver accepts: Charges, charge, ...)"

SYNC_REPLICA = Procedure(
    "SyncReplica", LOCAL, "",
    (ProcedureParam("TableName", "string", False, _TABLE_PARAM + "; none: every stored one"),),
    "Bring the local replica up to date now: apply Stripe's new events; fill the table if it "
    "is not stored yet; re-read it (or every stored one) if a TTL keeps it fresh",
)
RESET_REPLICA = Procedure(
    "ResetReplica", LOCAL, "",
    (ProcedureParam("TableName", "string", True, _TABLE_PARAM),),
    "Drop a table's rows from the local replica and fill it again by a full read",
)
LOCAL_PROCEDURES: tuple[Procedure, ...] = (SYNC_REPLICA, RESET_REPLICA)
