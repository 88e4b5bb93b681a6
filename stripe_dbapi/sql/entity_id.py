"""The connector spec's filterClause that is only an entity id: ``WHERE 'pi_...'``.

The spec's Get, Update and Delete examples say: "Instead of specifying the entityId,
you can also set the filterClause to 'pi_3OWzKoANHgX3SHp70nE8QKyn'". So a WHERE that
is one string literal means ``id = 'pi_3OWzKoANHgX3SHp70nE8QKyn'`` in SELECT, UPDATE
and DELETE alike (with pushdown, one retrieve).

Where the spec is silent, SQLite's meaning stays. SQLite reads a string in a WHERE as
a number: ``WHERE 'pi_x'`` is false (no row), ``WHERE '1'`` or ``WHERE '2x'`` true
(every row). So a string SQLite reads as true keeps meaning every row (an UPDATE or
DELETE with it meets the full-table guard), and a string that cannot name an object
(``''``, ``'.'``, ``'..'``) keeps matching nothing; every other string is the id. The
spec's meaning thus only ever turns SQLite's "no row" into "the row with that id".
Only the bare literal counts: ``WHERE ('pi_x')`` or ``WHERE 'pi_x' AND ...`` are SQL.
"""

from __future__ import annotations

from sqlglot import exp

from stripe_dbapi.paths import is_valid_id
from stripe_dbapi.sql.constants import truth_of


def bare_entity_id(where: exp.Expression | None) -> str | None:
    """The id a WHERE that is only a string literal names, else None."""
    if not (isinstance(where, exp.Literal) and where.is_string):
        return None
    if not is_valid_id(where.this) or truth_of(where) is True:
        return None
    return where.this


def id_equality(object_id: str) -> exp.Expression:
    return exp.column("id").eq(exp.Literal.string(object_id))
