"""The project's own challenge set (tests/fixtures/challenge.yaml): short passages written for the
project, each read as one report, scored like the gold sets.

    python scripts/challenge.py [-v]      # per-category and per-form scores, -v lists every error

Per passage the extractor's total candidates are reduced to one figure per indicator the way the
warehouse does it (int_candidates_ranked: a fitting measure word, an explicit whole-jurisdiction
marker, confidence, how often the value is stated, the earliest statement). A chosen figure is a
true positive when the passage's `facts` hold that indicator and value, is not counted when the
passage lists it under `maybe` (a call the label rules leave open), and is a false positive
otherwise; a `not` row that is chosen is also a hard-negative violation. A fact nobody chose is a
miss. tests/test_challenge.py asserts floors on these numbers; `make eval` prints them.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
CHALLENGE = PROJECT / "tests" / "fixtures" / "challenge.yaml"
DEFAULT_YEAR = 2023
RATE_TOLERANCE = 0.005


@dataclass(frozen=True)
class Fact:
    indicator: str
    value: float
    unit: str = ""
    qualifier: str = ""


@dataclass
class Passage:
    id: str
    cat: str
    tags: tuple[str, ...]
    text: str
    year: int
    facts: list[Fact]
    nots: list[Fact]
    maybes: list[Fact]
    issuer: str = ""  # the organ the report is by: read as its title line, before the text


def _fact(line: str) -> Fact:
    parts = str(line).split()
    return Fact(parts[0], float(parts[1]), *parts[2:4])


def load(path: Path = CHALLENGE) -> list[Passage]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Passage(r["id"], r["cat"], tuple(r.get("tags") or ()), r["text"], int(r.get("year", DEFAULT_YEAR)),
                    [_fact(f) for f in r.get("facts") or ()], [_fact(f) for f in r.get("not") or ()],
                    [_fact(f) for f in r.get("maybe") or ()], r.get("issuer", "")) for r in rows]


def report_text(p: Passage) -> str:
    """The passage as a report: its issuer's title line first, when it has one."""
    return f"{p.issuer}关于{p.year}年法治政府建设情况的报告\n{p.text}" if p.issuer else p.text


def chosen(text: str, year: int) -> dict[str, object]:
    """indicator -> the candidate the warehouse would keep for it (see the module docstring)."""
    from fazhi.extract.candidates import extract_candidates
    from fazhi.normalise import normalise
    from fazhi.pipeline import read_front
    from fazhi.rules import load_catalog

    catalog = load_catalog()
    norm = normalise(text)
    meta, _, place = read_front(norm)  # what the pipeline knows of the report before its figures
    candidates = extract_candidates(norm, year, place=place, issuer=meta.issuer)
    for c in candidates:  # the warehouse's own invariant, checked on every passage
        assert norm.original[c.char_start:c.char_end] == c.evidence, (text, c)
    totals = [c for c in candidates if c.scope == "total"]
    support = Counter((c.indicator_code, c.value) for c in totals)

    def rank(k_c):
        k, c = k_c
        ind = catalog.indicators.get(c.indicator_code)
        fits = ind is None or c.unit not in catalog.unit_class or catalog.unit_fits(ind, c.unit)
        return (not fits, not c.scope_reason, -c.confidence, -support[(c.indicator_code, c.value)], c.char_start, k)

    best: dict[str, object] = {}
    for _, c in sorted(enumerate(totals), key=rank):
        best.setdefault(c.indicator_code, c)
    return best


def _same(f: Fact, indicator: str, value: float) -> bool:
    return f.indicator == indicator and abs(f.value - value) <= RATE_TOLERANCE


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    violations: int = 0  # `not` rows chosen
    passages: int = 0
    clean: int = 0  # passages with no error at all

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Tally) -> None:
        for k in ("tp", "fp", "fn", "violations", "passages", "clean"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class Result:
    overall: Tally = field(default_factory=Tally)
    by_cat: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_tag: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[str] = field(default_factory=list)
    qualifier_agree: int = 0  # true positives whose qualifier matches the label


def score(passages: list[Passage] | None = None) -> Result:
    res = Result()
    for p in passages if passages is not None else load():
        t = Tally(passages=1)
        best = chosen(report_text(p), p.year)
        for code, c in best.items():
            fact = next((f for f in p.facts if _same(f, code, c.value)), None)
            if fact is not None:
                t.tp += 1
                res.qualifier_agree += not fact.qualifier or fact.qualifier == c.qualifier
            elif any(_same(f, code, c.value) for f in p.maybes):
                continue
            else:
                t.fp += 1
                hard = any(_same(f, code, c.value) for f in p.nots)
                t.violations += hard
                res.errors.append(f"{p.id} FP{' (not)' if hard else ''} {code}={c.value:g} "
                                  f"[{c.scope_reason or '-'} {c.confidence:.2f}] «{c.evidence}»")
        for f in p.facts:
            if f.indicator not in best or not _same(f, f.indicator, best[f.indicator].value):
                t.fn += 1
                res.errors.append(f"{p.id} FN {f.indicator}={f.value:g}")
        t.clean = int(t.fp == 0 and t.fn == 0)
        res.overall.add(t)
        res.by_cat[p.cat].add(t)
        for tag in p.tags:
            res.by_tag[tag].add(t)
    return res


def table(res: Result, min_tag: int = 4) -> list[str]:
    """Markdown rows: overall, per category, per form tag used by at least `min_tag` passages."""
    lines = ["| group | passages | clean | tp | fp | fn | not hit | P | R |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def row(name: str, t: Tally) -> str:
        return (f"| {name} | {t.passages} | {t.clean} | {t.tp} | {t.fp} | {t.fn} | {t.violations} "
                f"| {t.precision:.3f} | {t.recall:.3f} |")

    lines.append(row("**all**", res.overall))
    lines += [row(k, v) for k, v in sorted(res.by_cat.items())]
    lines += [row(f"form: {k}", v) for k, v in sorted(res.by_tag.items()) if v.passages >= min_tag]
    return lines


def markdown(res: Result) -> str:
    """The section of EVALUATION.md on the challenge set."""
    return "\n".join(["", "## Challenge set (own passages)", "",
                      "Passages written for the project (not from any gold set), each read as one report; one",
                      "figure per indicator as the warehouse ranks them (scripts/challenge.py). `not hit`: hard",
                      "negatives (sub-units, other periods, combined counts …) taken for a total.", "",
                      *table(res), "", f"Qualifier agrees on {res.qualifier_agree}/{res.overall.tp} true positives.",
                      "", "Errors:", "", *(f"- {e}" for e in res.errors)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="list every error")
    args = ap.parse_args(argv)
    res = score()
    print("\n".join(table(res)))
    print(f"qualifier agrees on {res.qualifier_agree}/{res.overall.tp} true positives")
    if args.v:
        print("\n".join(res.errors))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT / "ingest"))
    sys.exit(main())
