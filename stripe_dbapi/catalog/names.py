"""Name resolution: the one place that decides what a SQL name refers to.

Rules (docs/architecture.md, "Names resolve forgivingly"): names match ignoring case and
underscores; tables also in singular or plural and by Stripe object type or SDK
class name; ``<Thing>Id`` resolves to the reference column ``<thing>`` and
``Id`` to ``id``. Unknown names raise ProgrammingError naming the closest
valid ones (difflib on normalized names).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TypeVar

from ..exceptions import ProgrammingError

T = TypeVar("T")


def normalize(name: str) -> str:
    """Case- and underscore-blind key: "Payment_Intents" -> "paymentintents"."""
    return name.replace("_", "").replace(".", "").replace('"', "").lower()


def number_variants(key: str) -> list[str]:
    """Singular/plural spellings of a normalized name (the key itself first)."""
    variants = [key, key + "s", key + "es"]
    if key.endswith("y"):
        variants.append(key[:-1] + "ies")
    if key.endswith("ies"):
        variants.append(key[:-3] + "y")
    if key.endswith("es"):
        variants.append(key[:-2])
    if key.endswith("s"):
        variants.append(key[:-1])
    return variants


def closest(name: str, candidates: Mapping[str, str], n: int = 5) -> list[str]:
    """Canonical names whose normalized keys are nearest to ``name``."""
    keys = difflib.get_close_matches(normalize(name), list(candidates), n=n * 2, cutoff=0.5)
    seen: list[str] = []
    for key in keys:
        if candidates[key] not in seen:
            seen.append(candidates[key])
    return seen[:n]


def unknown(kind: str, name: str, where: str, candidates: Mapping[str, str]) -> ProgrammingError:
    near = closest(name, candidates)
    hint = f"; did you mean: {', '.join(near)}?" if near else ""
    return ProgrammingError(f"unknown {kind} {name!r}{where}{hint}")


class NameIndex:
    """Normalized key -> canonical name, with fall-back spellings.

    ``exact`` keys win over ``aliases`` (singular/plural, object types, class
    names): an alias never shadows a canonical name. An alias claimed by two
    names is dropped (ambiguous) unless it was registered as preferred.
    """

    def __init__(self, canonical: Iterable[str]):
        self.exact: dict[str, str] = {normalize(n): n for n in canonical}
        self.aliases: dict[str, str | None] = {}

    def add_alias(self, alias: str, name: str, preferred: bool = False) -> None:
        key = normalize(alias)
        if key in self.exact:
            return
        if preferred:
            self.aliases[key] = name
        elif key in self.aliases and self.aliases[key] != name:
            self.aliases[key] = None  # ambiguous
        else:
            self.aliases.setdefault(key, name)

    def lookup(self, name: str, plural_forms: bool = False) -> str | None:
        key = normalize(name)
        variants = number_variants(key) if plural_forms else [key]
        for variant in variants:
            if variant in self.exact:
                return self.exact[variant]
        for variant in variants:
            found = self.aliases.get(variant)
            if found:
                return found
        return None


def column_key_candidates(name: str) -> list[str]:
    """Normalized keys to try for a column name, most literal first.

    "CustomerId" -> ["customerid", "customer"]; "Id" -> ["id"].
    """
    key = normalize(name)
    keys = [key]
    if key.endswith("id") and len(key) > 2:
        keys.append(key[:-2])
    return keys
