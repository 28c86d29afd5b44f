"""Property tests for the quantity reader on the forms tests/test_quantities.py does not draw:

* as the pipeline and `fazhi quantities` read a report: through `normalise`, so full-width
  digits, decimal point, comma and percent sign (１，６６１．５％), traditional script (萬 億 餘
  約 超過 ...) and wide / no-break spaces read back to the same value, unit and qualifier, and the
  offsets map back onto the written form in the original text;
* Chinese numerals of any size up to 亿 sections (一亿二千万零五, 十二万, 两千), and Arabic
  numbers with 亿, 千万, 百万, 千 and a second part (1亿2000万);

each with every qualifier marker of seeds/qualifiers.csv and every measure word of seeds/units.csv.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from fazhi.extract.quantities import find_quantities
from fazhi.normalise import normalise

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _rows(name: str) -> list[dict]:
    with (SEEDS / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


UNITS = sorted({r["measure_word"] for r in _rows("units.csv")
                if r["measure_word"] and r["measure_word"][0] not in "万千百亿"} - {"%"})
QUALIFIERS = [(r["marker"], r["position"], r["qualifier"]) for r in _rows("qualifiers.csv") if r["marker"]]
FULL = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")
SPACES = ["", " ", "\u3000", "\u00a0"]

# --------------------------------------------------------------------------
# an independent writer of Chinese numerals

_CN = "零一二三四五六七八九"


def _below_10000(n: int, first: bool) -> str:
    out, zero = [], False
    for val, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // val % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append("十" if (unit == "十" and d == 1 and not out and first) else _CN[d] + unit)
    return "".join(out)


def chinese(n: int, liang: bool = False) -> str:
    """0 < n < 10**12: 一亿二千万零五, 一万零五百, 十二万, 两千 (with liang)."""
    assert 0 < n < 10**12
    out, started, gap = "", False, False
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            gap = gap or started
            continue
        if started and (gap or value < 1000):
            out += "零"
        out += _below_10000(value, first=not started) + unit
        started, gap = True, False
    if liang and out[0] == "二" and (len(out) == 1 or out[1] in "千百万亿"):
        out = "两" + out[1:]
    return out


@pytest.mark.parametrize("n, s", [
    (5, "五"), (12, "十二"), (105, "一百零五"), (10_500, "一万零五百"), (120_000, "十二万"),
    (100_010_000, "一亿零一万"), (120_000_005, "一亿二千万零五"), (2000, "二千"),
])
def test_chinese_writer(n, s):
    assert chinese(n) == s


def _known_gap(n: int) -> bool:
    """一亿零一万元, 三亿五千万元: a 亿 number ending in a 万 section is read as (…)×万 — a bug
    in quantities.py reported separately (see test_yi_wan_numerals below); left out here."""
    return n >= 10**8 and n % 10**4 == 0 and n // 10**4 % 10**4 != 0


# --------------------------------------------------------------------------
# strategies


@st.composite
def qualified(draw, number: str, unit: str):
    """number + unit with a qualifier marker where it is written."""
    marker, position, qualifier = draw(st.sampled_from([*QUALIFIERS, ("", "", "exact")]))
    sp = draw(st.sampled_from(SPACES[:2]))
    gap = draw(st.sampled_from(SPACES))  # 12 场次, 12\u3000场次, 5\xa0件
    if position == "prefix":
        return f"{marker}{sp}{number}{gap}{unit}", qualifier
    if position == "suffix" and len(marker) == 1:
        return f"{number}{marker}{gap}{unit}", qualifier
    if position == "suffix":
        return f"{number}{gap}{unit}{marker}", qualifier
    return f"{number}{gap}{unit}", "exact"


@st.composite
def arabic_quantity(draw):
    unit = draw(st.sampled_from([*UNITS, "%"]))
    whole = draw(st.integers(1, 10**7))
    frac = draw(st.sampled_from(["", "", ".5", ".25", ".125", ".0625"]))
    v = Decimal(f"{whole}{frac}")
    if unit == "%":
        marker, position, qualifier = draw(st.sampled_from(
            [q for q in QUALIFIERS if q[1] == "prefix" or len(q[0]) > 1] + [("", "", "exact")]))
        num = f"{v}"
        expr = f"{marker}{num}%" if position == "prefix" else f"{num}%{marker}"
        return expr, float(v), "%", qualifier
    mult = draw(st.sampled_from(["", "万", "亿", "千", "百万", "千万"]))
    factor = {"": 1, "万": 10**4, "亿": 10**8, "千": 10**3, "百万": 10**6, "千万": 10**7}[mult]
    num = draw(st.sampled_from([f"{v}", f"{v:,}"])) + mult
    expr, qualifier = draw(qualified(num, unit))
    return expr, float(v * factor), unit, qualifier


@st.composite
def chinese_quantity(draw):
    unit = draw(st.sampled_from(UNITS))
    n = draw(st.one_of(st.integers(2, 9999), st.integers(10_000, 10**8 - 1), st.integers(10**8, 10**12 - 1),
                       st.integers(1, 9999).map(lambda k: k * 10**4)))
    assume(not _known_gap(n))
    num = chinese(n, liang=draw(st.booleans()))
    expr, qualifier = draw(qualified(num, unit))
    return expr, float(n), unit, qualifier


BEFORE = ["全区共受理", "累计", "涉及金额", "共", "，"]
AFTER = ["", "。", "，其中", "；"]


def _read(written: str, before: str, after: str):
    """Read like the pipeline: normalise the original, find quantities in the view."""
    original = before + written + after
    norm = normalise(original)
    qs = [q for q in find_quantities(norm.text) if norm.is_clean(q.start, q.end)]
    assert len(qs) == 1, (original, [q.surface for q in qs])
    q = qs[0]
    start, end = norm.to_original(q.start, q.end)
    return q, original[start:end]


# --------------------------------------------------------------------------
# properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arabic_quantity(), st.sampled_from(BEFORE), st.sampled_from(AFTER), st.booleans(), st.booleans())
@example(("约1,234.5万元", 12345000.0, "元", "approx"), "涉及金额", "。", True, True)
@example(("1.5亿元", 150000000.0, "元", "exact"), "涉及金额", "", False, False)
def test_arabic_forms_read_back_through_normalise(q, before, after, full_width, traditional):
    expr, value, unit, qualifier = q
    written = expr.translate(FULL) if full_width else expr
    if traditional:
        written = _s2t(written)
        before = _s2t(before)
    got, surface = _read(written, before, after)
    assert got.value == pytest.approx(value, rel=1e-12)
    assert (got.unit, got.qualifier) == (unit, qualifier)
    assert surface == written


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese_quantity(), st.sampled_from(BEFORE), st.sampled_from(AFTER), st.booleans())
@example(("一亿二千万零五件", 120000005.0, "件", "exact"), "共", "", False)
@example(("十二万余人次", 120000.0, "人次", "at_least"), "覆盖", "。", True)
def test_chinese_numerals_read_back(q, before, after, traditional):
    expr, value, unit, qualifier = q
    assume(not (unit in ("批", "起") and expr.startswith("一") and len(expr) == 2))  # 一批 一起 are words
    written, lead = (_s2t(expr), _s2t(before)) if traditional else (expr, before)
    got, surface = _read(written, lead, after)
    assert got.value == value
    assert (got.unit, got.qualifier) == (unit, qualifier)
    assert surface == written


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 99), st.integers(1, 9999), st.sampled_from(SPACES))
def test_yi_with_a_second_arabic_part(yi, wan, space):
    """兑现资金1亿2000万元: two Arabic parts around 亿."""
    text = f"兑现资金{yi}亿{wan}万{space}元。"
    got, _surface = _read(text[4:-1], "兑现资金", "。")
    assert got.value == yi * 10**8 + wan * 10**4 and got.unit == "元"


@pytest.mark.parametrize("written, value", [("三亿五千万元", 350_000_000), ("一亿零一万元", 100_010_000),
                                            ("两亿五千万元", 250_000_000)])
def test_yi_wan_numerals(written, value):
    got, _ = _read(written, "涉及金额", "。")
    assert got.value == value


_CC = []


def _s2t(text: str) -> str:
    if not _CC:
        opencc = pytest.importorskip("opencc")
        _CC.append(opencc.OpenCC("s2t"))
    return _CC[0].convert(text)
