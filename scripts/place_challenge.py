"""The blind place/year challenge (tests/fixtures/place_challenge.yaml): report excerpts written
for the project about places drawn at random from the gazetteer, each run through the real
per-report pipeline (`fazhi.pipeline.process_bytes`: read, normalise, metadata, place), no DB.

    python scripts/place_challenge.py [-v]     # totals for year / jurisdiction / province; -v lists every error

Checks per excerpt, like score.py's metadata checks plus the status:
- year: report_year equals the expected year;
- jurisdiction: an expected place must come out `resolved` under that name (or one of `alt`; the
  name may carry more, as score.py allows); an expected `ambiguous` must stay ambiguous with the
  name kept; an expected `unresolved` (no name) must not be resolved. A guess is an error;
- province: the report's province (the resolved place's, or what the evidence settles) equals the
  expected one; null expects none.
tests/test_place_challenge.py asserts floors on these numbers.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
CHALLENGE = PROJECT / "tests" / "fixtures" / "place_challenge.yaml"
CHECKS = ("year", "jurisdiction", "province")


@dataclass(frozen=True)
class Excerpt:
    id: str
    tags: tuple[str, ...]
    text: str
    year: int | None
    jurisdiction: str | None
    province: str | None
    status: str
    alt: tuple[str, ...] = ()
    batch: int = 1  # each batch was frozen before its first run


@dataclass
class Result:
    items: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    errors: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)  # undecidable excerpts given a place anyway
    by_batch: dict[int, Result] = field(default_factory=dict)

    def rate(self, check: str) -> float:
        return self.right[check] / self.items if self.items else 0.0


def load(path: Path = CHALLENGE) -> list[Excerpt]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Excerpt(r["id"], tuple(r.get("tags") or ()), r["text"], r.get("year"), r.get("jurisdiction"),
                    r.get("province"), r.get("status") or "resolved", tuple(r.get("alt") or ()),
                    int(r.get("batch") or 1)) for r in rows]


def read_place(text: str, name: str = "excerpt.txt") -> dict:
    """The report row the pipeline lands for this text (report_year, jurisdiction_* ...)."""
    from fazhi.pipeline import process_bytes

    data = text.encode("utf-8")
    return process_bytes(data, name, hashlib.sha256(data).hexdigest()).report_row


def judge(e: Excerpt, row: dict) -> dict[str, bool]:
    status, name = row["jurisdiction_status"], row["jurisdiction_name"] or ""
    if e.status == "resolved":
        names_ok = any(want in name for want in (e.jurisdiction or "", *e.alt) if want)
        place_ok = status == "resolved" and names_ok
    elif e.status == "ambiguous":
        place_ok = status == "ambiguous" and (not e.jurisdiction or e.jurisdiction in name)
    else:
        place_ok = status != "resolved"
    return {
        "year": row["report_year"] == e.year,
        "jurisdiction": place_ok,
        "province": (row["jurisdiction_province"] or None) == (e.province or None),
    }


def run(excerpts: list[Excerpt] | None = None) -> Result:
    result = Result()
    for e in excerpts if excerpts is not None else load():
        tally = result.by_batch.setdefault(e.batch, Result())
        row = read_place(e.text, f"{e.id}.txt")
        verdict = judge(e, row)
        if e.status != "resolved" and row["jurisdiction_status"] == "resolved":
            result.guesses.append(e.id)
        for r in (result, tally):
            r.items += 1
            for check, ok in verdict.items():
                r.right[check] += ok
        if not all(verdict.values()):
            wrong = ", ".join(c for c in CHECKS if not verdict[c])
            result.errors.append(
                f"{e.id} [{wrong}]: got {row['report_year']} {row['jurisdiction_name']!r} "
                f"{row['jurisdiction_status']} {row['jurisdiction_province']!r} (method {row['jurisdiction_method']}); "
                f"want {e.year} {e.jurisdiction!r} {e.status} {e.province!r}")
    return result


def markdown(result: Result) -> str:
    """The section of EVALUATION.md on the place challenge set."""
    rows = [f"| {check} | {result.right[check]}/{result.items} | {result.rate(check):.3f} |" for check in CHECKS]
    return "\n".join(["", "## Place challenge set (own report excerpts)", "",
                      "Excerpts written for the project (tests/fixtures/place_challenge.yaml, each batch frozen",
                      "before its first run), read through the real pipeline (scripts/place_challenge.py).", "",
                      "| check | right | rate |", "|---|---:|---:|", *rows, "",
                      f"Undecidable excerpts given a place anyway: {len(result.guesses)}.", "",
                      "Errors:", "", *(f"- {e}" for e in result.errors)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    result = run()
    batches = sorted(result.by_batch)
    print(f"{'':<13} {'all':>13}" + "".join(f"{'batch ' + str(b):>15}" for b in batches))
    for check in CHECKS:
        cells = [result, *(result.by_batch[b] for b in batches)]
        print(f"{check:<13}" + "".join(f"  {r.right[check]:>3}/{r.items:<3} {r.rate(check):.3f}" for r in cells))
    print(f"excerpts with an error: {len(result.errors)}/{result.items}; "
          f"undecidable ones given a place: {len(result.guesses)}")
    if args.verbose:
        for line in result.errors:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
