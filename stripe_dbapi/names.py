"""How names users write are matched, and how a wrong one is answered: the one place.

Rules: names match ignoring case, underscores, spaces, dots and quotes; ``<Thing>Id``
may stand for ``<thing>``; tables are also found in singular or plural and by Stripe
object type or SDK class name (``NameIndex``). An unknown name raises ProgrammingError
naming the nearest valid ones (``did_you_mean``). The catalog (tables, columns,
procedures and their parameters), the writers (create and update parameters) and the
planner (a column of a join) all match and suggest through this module.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TypeVar

from .exceptions import ProgrammingError

T = TypeVar("T")

# How alike (difflib ratio of normalized names) a valid name must be to be suggested.
_SUGGEST_CUTOFF = 0.5
_MAX_SUGGESTIONS = 5


def normalize(name: str) -> str:
    """Case-, underscore- and space-blind key: "Payment_Intents" -> "paymentintents"."""
    return name.translate(_IGNORED).lower()


_IGNORED = str.maketrans("", "", '_ ."')


def lookup_keys(name: str) -> list[str]:
    """Normalized keys to try for ``name``, most literal first: "CustomerId" ->
    ["customerid", "customer"] (``<Thing>Id`` for the reference ``<thing>``); "Id" -> ["id"]."""
    key = normalize(name)
    keys = [key]
    if key.endswith("id") and len(key) > 2:
        keys.append(key[:-2])
    return keys


def find(name: str, index: Mapping[str, T]) -> T | None:
    """The entry of ``index`` (keyed by ``normalize``) that ``name`` means, if any."""
    for key in lookup_keys(name):
        if key in index:
            return index[key]
    return None


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


Candidates = Mapping[str, str] | Iterable[str] | Iterable[tuple[str, str]]


def closest(name: str, candidates: Candidates, n: int = _MAX_SUGGESTIONS) -> list[str]:
    """The valid names nearest to ``name``, nearest first.

    ``candidates`` are valid names, or (spelling, name to suggest) pairs / a mapping of
    them: a normalized key to its canonical name, or a column to ``alias.column``.
    """
    if isinstance(candidates, Mapping):
        pairs = list(candidates.items())
    else:
        pairs = [c if isinstance(c, tuple) else (c, c) for c in candidates]
    wanted = normalize(name)
    matcher = difflib.SequenceMatcher(b=wanted)
    scored = []
    for spelling, suggestion in pairs:
        matcher.set_seq1(normalize(spelling))
        score = matcher.ratio()
        if score >= _SUGGEST_CUTOFF:
            scored.append((-score, suggestion))
    near: list[str] = []
    for _, suggestion in sorted(scored):
        if suggestion not in near:
            near.append(suggestion)
    return near[:n]


def did_you_mean(name: str, candidates: Candidates) -> str:
    """``"; did you mean: a, b?"`` for the nearest candidates, or ``""``."""
    near = closest(name, candidates)
    return f"; did you mean: {', '.join(near)}?" if near else ""


def unknown(
    kind: str, name: str, where: str, candidates: Candidates, listing: Iterable[str] | None = None
) -> ProgrammingError:
    """``unknown column 'x' in table t; did you mean: y?``, then ``listing`` (the valid
    names, when they are few enough to be worth reading) in parentheses."""
    tail = "" if listing is None else f" (valid: {', '.join(sorted(listing)) or 'none'})"
    return ProgrammingError(f"unknown {kind} {name!r}{where}{did_you_mean(name, candidates)}{tail}")


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
