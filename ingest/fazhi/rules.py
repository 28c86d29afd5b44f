"""The rules, loaded from seeds/*.csv: the one loader of every seed and the one seeds lookup.

`read_seed(name)` reads any seed (UTF-8, BOM tolerated, cells stripped) from `paths.seeds_dir()`
(FAZHI_SEEDS_DIR, else the project's seeds/, the project found from FAZHI_PROJECT_DIR or the
checkout). `load_catalog()` turns the attribution seeds into typed records: indicators and their
cues, units, domains, scope cues, zeros stated in words. `rules_fingerprint()` hashes the content
of every seed: with `EXTRACTOR_VERSION` (pipeline) it decides when landed reports are re-extracted.

Cue phrases ship in both scripts; matching runs on the simplified view, so every cue is
converted to simplified here and de-duplicated.
"""
from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fazhi.normalise.chars import to_simplified
from fazhi.paths import seeds_dir

__all__ = [
    "GAP", "Catalog", "Indicator", "alternation", "load_catalog", "read_seed", "rules_fingerprint",
    "seeds_dir", "to_simplified",
]

GAP = "*"


def alternation(words: Iterable[str]) -> str:
    """One regex matching any of `words`, longest first, as a character trie: Python's `re`
    tries the alternatives of a flat "a|b|c" one by one at every position, a trie only follows
    the branch of the character it sees (2-3x faster on hundreds of cue phrases)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + ("?" if "" in node else "")

    return build(trie)


def read_seed(name: str, directory: Path | None = None) -> list[dict[str, str]]:
    """The rows of seeds/<name> as dicts of stripped strings (an empty cell is "")."""
    path = (directory or seeds_dir()) / name
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(handle)]


def rules_fingerprint(directory: Path | None = None) -> str:
    """A hash of the content of every seed: it changes when, and only when, a rule changes."""
    digest = hashlib.sha256()
    for path in sorted((directory or seeds_dir()).glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    domain: str
    name_zh: str
    unit: str  # catalog unit: case, document, event, person, person_time, copy, item, yuan, percent
    kind: str  # count | rate | amount
    numerator_code: str
    denominator_code: str
    cues: tuple[str, ...]  # simplified, longest first


@dataclass(frozen=True, slots=True)
class Catalog:
    indicators: dict[str, Indicator]
    unit_class: dict[str, str]  # measure word -> unit class
    compatible: frozenset[tuple[str, str]]  # (indicator unit, unit class)
    domain_keywords: dict[str, str]  # keyword -> domain
    scope_cues: tuple[tuple[str, str, str], ...]  # (marker, scope, window)
    cue_index: dict[str, tuple[str, ...]]  # cue -> indicator codes using it
    cue_scope: dict[tuple[str, str], str]  # (cue, code) -> scope unless a total marker says otherwise
    zero_phrases: dict[str, tuple[str, str]]  # phrase -> (indicator code, unit): a zero stated in words

    @property
    def literal_cues(self) -> list[str]:
        return sorted((c for c in self.cue_index if GAP not in c), key=lambda c: (-len(c), c))

    @property
    def gapped_cues(self) -> list[str]:
        """Cues written "审查*合同": the two parts within one clause, up to 8 characters apart."""
        return sorted(c for c in self.cue_index if GAP in c)

    def unit_fits(self, indicator: Indicator, measure_word: str) -> bool:
        unit_class = self.unit_class.get(measure_word)
        if indicator.unit == "percent":
            return unit_class == "percent"
        if indicator.unit == "yuan":
            return unit_class == "yuan"
        return (indicator.unit, unit_class) in self.compatible


@lru_cache(maxsize=4)
def load_catalog(directory: Path | None = None) -> Catalog:
    indicators: dict[str, Indicator] = {}
    cue_index: dict[str, list[str]] = {}
    for row in read_seed("indicators.csv", directory):
        cues = {to_simplified(c.strip()) for c in row["cue_phrases_zh"].split(";") if c.strip()}
        # quotes around a cue (“法律明白人”) are matched by the plain cue already
        cues = {c.strip("“”「」\"'") for c in cues} - {""}
        ordered = tuple(sorted(cues, key=lambda c: (-len(c), c)))
        indicators[row["code"]] = Indicator(
            code=row["code"],
            domain=row["domain"],
            name_zh=row["name_zh"],
            unit=row["unit"],
            kind=row["kind"],
            numerator_code=row.get("numerator_code") or "",
            denominator_code=row.get("denominator_code") or "",
            cues=ordered,
        )
        for cue in ordered:
            cue_index.setdefault(cue, []).append(row["code"])
    cue_scope: dict[tuple[str, str], str] = {}
    for row in read_seed("indicator_cues.csv", directory):
        cue = "*".join(to_simplified(part) for part in row["cue"].strip().split(GAP))
        code = row["indicator_code"]
        if code not in indicators:
            raise ValueError(f"seeds/indicator_cues.csv names unknown indicator {code!r}")
        if row.get("default_scope"):
            cue_scope[(cue, code)] = row["default_scope"]
        ind = indicators[code]
        if cue not in ind.cues:
            indicators[code] = Indicator(**{**_as_dict(ind), "cues": (*ind.cues, cue)})
            cue_index.setdefault(cue, []).append(code)
    unit_class = {r["measure_word"]: r["unit_class"] for r in read_seed("units.csv", directory)}
    compatible = frozenset(
        (r["indicator_unit"], r["unit_class"]) for r in read_seed("unit_compatibility.csv", directory)
    )
    domain_keywords = {
        to_simplified(r["keyword"]): r["domain"] for r in read_seed("domain_keywords.csv", directory)
    }
    scope_cues = tuple(
        (to_simplified(r["marker"]), r["scope"], r["applies_to"])
        for r in read_seed("scope_cues.csv", directory)
    )
    return Catalog(
        indicators=indicators,
        unit_class=unit_class,
        compatible=compatible,
        domain_keywords=domain_keywords,
        scope_cues=scope_cues,
        cue_index={k: tuple(v) for k, v in cue_index.items()},
        cue_scope=cue_scope,
        zero_phrases={
            to_simplified(r["phrase"]): (r["indicator_code"], r["unit"])
            for r in read_seed("zero_phrases.csv", directory)
        },
    )


def _as_dict(ind: Indicator) -> dict:
    return {f: getattr(ind, f) for f in Indicator.__slots__}
