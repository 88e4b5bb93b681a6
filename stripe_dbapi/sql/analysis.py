"""One table reference's WHERE conjuncts in the form every renderer reads.

``analyse`` turns the conjuncts into atoms (``atoms.py``) and merges them per
column into ColumnConstraints (``constraints.py``), plus the ``metadata`` key
equalities; a conjunct that is not that simple, or names a column the table
lacks, stays ``unparsed`` (a local filter). ``empty`` means no row can match.
The renderers (``render/``) build Stripe calls from this form alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stripe_dbapi.catalog.model import Table
from stripe_dbapi.sql.atoms import Atom, NotPushable, atoms_of
from stripe_dbapi.sql.constraints import ColumnConstraint


@dataclass
class Analysis:
    table: Table
    constraints: dict[str, ColumnConstraint] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)  # key -> value (meta atoms)
    pushable: list[tuple] = field(default_factory=list)  # (conjunct, atoms) whose atoms parsed
    unparsed: list = field(default_factory=list)  # conjuncts that are not simple constraints
    empty: bool = False

    def given(self, column: str) -> bool:
        """The query names the column's values (``=`` / ``IN``)."""
        return self.given_values(column) is not None

    def given_values(self, column: str) -> list | None:
        """The column's values the query names (``=`` / ``IN``), or None when it names none."""
        constraint = self.constraints.get(column)
        return constraint.values if constraint is not None else None

    def list_filter(self, column: str, kind: str):
        """The table's list filter of this kind on ``column`` (``catalog/model.py``), or None."""
        return next((f for f in self.table.filters if f.column == column and f.kind == kind), None)


def analyse(table: Table, conjuncts: list) -> Analysis:
    columns = {c.name: c for c in table.columns}
    identifiers = identifier_columns(table)
    analysis = Analysis(table)
    for conjunct in conjuncts:
        try:
            atoms = atoms_of(conjunct)
            _constrain(analysis, [a for a in atoms if a.op != "meta"], columns, identifiers)
        except NotPushable:
            analysis.unparsed.append(conjunct)
            continue
        _note_metadata(analysis, [a for a in atoms if a.op == "meta"])
        analysis.pushable.append((conjunct, atoms))
    if any(c.contradictory() for c in analysis.constraints.values()):
        analysis.empty = True
    return analysis


def _constrain(analysis: Analysis, atoms: list[Atom], columns: dict, identifiers: set[str]) -> None:
    """Add one conjunct's atoms to their columns' constraints (a column the table lacks
    makes the whole conjunct unpushable, before any atom is added)."""
    if any(atom.column not in columns for atom in atoms):
        raise NotPushable
    for atom in atoms:
        if atom.column not in analysis.constraints:
            analysis.constraints[atom.column] = _constraint_for(columns[atom.column], identifiers)
        analysis.constraints[atom.column].add(atom)


def _constraint_for(column, identifiers: set[str]) -> ColumnConstraint:
    # Only a string column's documented values exclude others (a boolean's enum is moot).
    enum = column.enum if column.enum and column.type == "string" else None
    return ColumnConstraint(
        column.name, column.type, identifier=column.name in identifiers, enum=enum
    )


def _note_metadata(analysis: Analysis, atoms: list[Atom]) -> None:
    for atom in atoms:
        key = atom.key
        assert key is not None  # "meta" atoms carry their metadata key
        previous = analysis.metadata.get(key)
        if previous is not None and previous != atom.values[0]:
            analysis.empty = True
        analysis.metadata[key] = atom.values[0]


def identifier_columns(table: Table) -> set[str]:
    """The columns that hold Stripe ids: the id, references, a nested table's parent,
    and the ids a required list filter takes."""
    columns = {c.name for c in table.columns if c.name == "id" or c.references}
    if table.parent is not None:
        columns.add(table.parent.column)
    columns.update(r.column for r in table.required_filters if r.table is not None)
    return columns
