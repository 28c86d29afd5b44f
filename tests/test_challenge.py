"""The project's own challenge set (tests/fixtures/challenge.yaml): ~240 report passages written for
the project, over every indicator that prose states and the ways local reports phrase them, with
hard negatives. The extractor is scored on them like on a gold set (scripts/challenge.py); the
floors below are what it reached when they were set, so a change that loses ground fails here."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fazhi.rules import load_catalog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import challenge  # noqa: E402

# set at 354 passages (P 0.985, R 0.973, 2 hard negatives taken); at 474 (blind batches 5-7 added):
# P 0.986, R 0.982, 3 hard negatives taken; at 494 (batch 8 added): P 0.987, R 0.984; at 519
# (batch 9): the same; at 543 (batch 10): P 0.988, R 0.983; at 566 (batch 11): P 0.988, R 0.984;
# at 586 (batch 12): P 0.989, R 0.985; at 606 (batch 13): P 0.988, R 0.985; at 647 (batch 14, sector
# organs; its first run before the rule: P 0.583 R 0.921 on the 41, 24 hard negatives taken): P 0.991, R 0.982
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.95
HARD_NEGATIVES_TAKEN_AT_MOST = 4
CLEAN_SHARE_FLOOR = 0.75  # per family: passages read without any error


@pytest.fixture(scope="module")
def result() -> challenge.Result:
    return challenge.score()


def test_the_passages_are_well_formed():
    passages = challenge.load()
    codes = set(load_catalog().indicators)
    assert len(passages) >= 200
    assert len({p.id for p in passages}) == len(passages)
    for p in passages:
        assert p.facts or p.nots or p.maybes, p.id
        for f in p.facts + p.nots + p.maybes:
            assert f.indicator in codes, (p.id, f.indicator)
        for f in p.facts:
            assert f.unit and f.qualifier in ("exact", "approx", "at_least", "at_most"), (p.id, f)
    assert {p.cat for p in passages} >= {"mediation", "reconsideration", "litigation", "normative_docs",
                                         "enforcement", "publicity", "training", "zeros", "negatives"}


def test_precision_and_recall_hold_their_floors(result):
    print("\n" + "\n".join(challenge.table(result)))
    o = result.overall
    errors = "\n".join(result.errors)
    assert o.precision >= PRECISION_FLOOR, errors
    assert o.recall >= RECALL_FLOOR, errors
    assert o.violations <= HARD_NEGATIVES_TAKEN_AT_MOST, errors


def test_every_family_is_mostly_read_without_error(result):
    weak = {cat: f"{t.clean}/{t.passages}" for cat, t in result.by_cat.items()
            if t.clean < CLEAN_SHARE_FLOOR * t.passages}
    assert not weak, (weak, "\n".join(result.errors))


def test_qualifiers_of_the_figures_found_are_right(result):
    assert result.qualifier_agree == result.overall.tp
