"""scripts/eval.py: errors are put under the cause a rule writer needs (table, zero in words,
wrong scope, wrong indicator, no cue), on a made-up report and made-up gold."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import eval as evaluation  # noqa: E402

TEXT = "本镇共受理矛盾纠纷120件，其中村调委会调处80件；全年未收到信息公开申请。"


def _same_value(a, b, unit):
    return a is not None and b is not None and abs(a - b) <= 1e-9


SCORER = SimpleNamespace(same_value=_same_value)


def _gold(indicator, value, evidence, scope="total"):
    return {"file": "x.txt", "indicator": indicator, "value": float(value), "unit": "case",
            "qualifier": "exact", "scope": scope, "evidence": evidence}


def _candidate(indicator, value, surface, scope="total", reason=""):
    start = TEXT.index(surface)
    return {"indicator_code": indicator, "value": float(value), "scope": scope, "scope_reason": reason,
            "value_start": start, "value_end": start + len(surface), "cue": "受理"}


def _warehouse(*cands):
    wh = evaluation.Warehouse()
    wh.texts[("s", "x.txt")] = TEXT
    wh.candidates[("s", "x.txt")].extend(cands)
    return wh


GS = evaluation.GoldSet("s", Path("."), {"x.txt"}, [], {})


def test_miss_causes():
    wh = _warehouse(_candidate("mediation_cases_accepted", 120, "120件", "subunit", "调委会"),
                    _candidate("mediation_cases_accepted", 80, "80件"))
    cause = evaluation.miss_cause
    assert cause(_gold("mediation_cases_accepted", 120, "受理矛盾纠纷120件"), wh, GS, {}, SCORER) \
        == "wrong scope (subunit: 调委会)"
    assert cause(_gold("mediation_cases_resolved", 80, "调处80件"), wh, GS, {}, SCORER) \
        == "wrong indicator (mediation_cases_accepted)"
    assert cause(_gold("info_disclosure_requests", 0, "未收到信息公开申请"), wh, GS, {}, SCORER) == "zero in words"
    assert cause(_gold("enforcement_penalties", 5, "处罚\n5"), wh, GS, {}, SCORER) == "table"
    assert cause(_gold("mediation_cases_resolved", 7, "调处7件"), wh, GS, {}, SCORER) == "no cue"


def test_false_positive_causes():
    gs = evaluation.GoldSet("s", Path("."), {"x.txt"}, [
        _gold("mediation_cases_resolved", 80, "调处80件", scope="subunit"),
        _gold("mediation_cases_accepted", 120, "受理矛盾纠纷120件"),
    ], {})
    targets = {("x.txt", "mediation_cases_accepted"): [gs.facts[1]]}
    others = {("x.txt", "mediation_cases_resolved"): [gs.facts[0]]}

    def cause(indicator, value):
        fact = {"file": "x.txt", "indicator_code": indicator, "value": float(value), "evidence": ""}
        return evaluation.false_positive_cause(fact, gs, targets, others, SCORER)

    assert cause("mediation_cases_resolved", 80) == "wrong scope (gold: subunit)"
    assert cause("legal_aid_cases", 120) == "wrong indicator (gold: mediation_cases_accepted total)"
    assert cause("mediation_cases_accepted", 80) == "wrong value (gold total: 120)"
    assert cause("legal_aid_cases", 3) == "number not in gold"


def test_halves_are_fixed_and_both_used():
    names = [f"{i:03d}.txt" for i in range(40)]
    halves = [evaluation.half_of(n) for n in names]
    assert halves == [evaluation.half_of(n) for n in names]
    assert 10 < halves.count("A") < 30
