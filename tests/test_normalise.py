"""Stage "normalise" on real report text: the view, its offset map back to
the original, and the detection/repair of GBK-misaligned mojibake."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.normalise import Normalised, normalise

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "fazhi" / "samples"


def _sample(prefix: str) -> str:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _view_span(n: Normalised, needle: str, start: int = 0) -> tuple[int, int]:
    i = n.text.index(needle, start)
    return i, i + len(needle)


def _check_map(n: Normalised) -> None:
    offs = n.offsets
    assert len(offs) == len(n.text) + 1
    assert offs[-1] == len(n.original)
    assert all(offs[i] <= offs[i + 1] for i in range(len(offs) - 1))


# --- clean text -----------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_clean_samples_are_not_garbled(prefix):
    text = _sample(prefix)
    n = normalise(text)
    assert n.garbled_spans == [] and n.repaired_spans == []
    assert n.is_garbled is False
    assert n.script == "simplified"
    assert n.is_clean(0, len(n.text))
    _check_map(n)


def test_simplified_sample_view_is_the_text_itself():
    text = _sample("001")  # ASCII punctuation, no full-width forms
    n = normalise(text)
    assert list(n.offsets) == list(range(len(text) + 1))
    diff = {(a, b) for a, b in zip(text, n.text) if a != b}
    assert diff and all(b == " " and a.isspace() for a, b in diff)  # NBSP/U+3000 only


def test_rare_real_chars_do_not_trigger():
    text = "鲤城区澧浦镇涪陵区獬豸形象,泉州晋江厝边,暨南大学,珠海横琴纾困"
    n = normalise(text)
    assert not n.is_garbled
    assert n.text == text


def test_full_width_forms_and_chinese_punctuation():
    text = "（一）全年办理案件１６６１件，同比增长１２．５％；其中：《条例》、“一站式”【试点】。"
    n = normalise(text)
    assert n.text == "(一)全年办理案件1661件,同比增长12.5%;其中:《条例》、“一站式”【试点】。"
    assert list(n.offsets) == list(range(len(text) + 1))  # all 1:1
    a, b = _view_span(n, "1661件")
    assert n.to_original(a, b) == (text.index("１６６１件"), text.index("１６６１件") + 5)


def test_nbsp_and_odd_spaces_become_spaces():
    text = "共\u00a01661\u00a0件,\u3000\u3000受理\u2002行政诉讼"
    n = normalise(text)
    assert n.text == "共 1661 件,  受理 行政诉讼"
    assert len(n.text) == len(text)


def test_zero_width_inside_digits_is_dropped():
    text = "受理16\u200b61件"
    n = normalise(text)
    assert n.text == "受理1661件"
    a, b = _view_span(n, "1661")
    oa, ob = n.to_original(a, b)
    assert text[oa:ob] == "16\u200b61"
    # a part of the number maps to exactly its own chars
    oa, ob = n.to_original(a, a + 2)
    assert text[oa:ob] == "16"
    oa, ob = n.to_original(a + 2, b + 1)
    assert text[oa:ob] == "61件"
    assert n.is_clean(a, b)


def test_bom_and_other_zero_width_chars_are_dropped():
    text = "\ufeff法治\u200d政府\u2060建设\u200c"
    n = normalise(text)
    assert n.text == "法治政府建设"
    _check_map(n)
    assert n.to_original(0, len(n.text)) == (1, len(text) - 1)


def test_digit_grouping_is_left_alone():
    for text in ("1,661件", "1 661件", "80 余场次"):
        assert normalise(text).text == text


# --- traditional script and pinyin glosses ----------------------------------


def test_pinyin_glossed_cue():
    text = "全區行政訴訟案件出庭應(yīng)訴率達100%。"
    n = normalise(text)
    assert n.text == "全区行政诉讼案件出庭应诉率达100%。"
    a, b = _view_span(n, "100%")
    oa, ob = n.to_original(a, b)
    assert text[oa:ob] == "100%"
    assert n.is_clean(a, b)
    a, b = _view_span(n, "出庭应诉率")
    oa, ob = n.to_original(a, b)
    assert text[oa:ob] == "出庭應(yīng)訴率"


@pytest.mark.parametrize(
    "text, view",
    [
        ("在市委的正確領(lǐng)導(dǎo)下", "在市委的正确领导下"),
        ("高質量發(fā)展", "高质量发展"),
        ("湖南普法網(wǎng)等媒體", "湖南普法网等媒体"),
        ("鄉(xiāng)鎮(zhèn)、村(社區(qū))", "乡镇、村(社区)"),
        ("推廣政府和社會資本合作(PPP)模式", "推广政府和社会资本合作(PPP)模式"),
        ("上線“閩政通”(app)服務", "上线“闽政通”(app)服务"),
        ("印發《實施綱要(2021-2025年)》", "印发《实施纲要(2021-2025年)》"),
        ("領(ling)導", "领导"),  # ASCII pinyin, one syllable, CJK after
    ],
)
def test_gloss_removal_spares_real_brackets(text, view):
    n = normalise(text)
    assert n.text == view
    _check_map(n)


def test_traditional_sample_is_detected():
    n = normalise(_sample("003"))
    assert n.script == "traditional"
    assert "鲤城区司法局" in n.text
    _check_map(n)


# --- mojibake: the 003 mirror ----------------------------------------------


@pytest.fixture(scope="module")
def n003() -> Normalised:
    return normalise(_sample("003"))


def _line_span(text: str, startswith: str) -> tuple[int, int]:
    a = text.index("\n" + startswith) + 1
    return a, text.index("\n", a)


def test_003_is_garbled_and_heading_repaired(n003):
    text = n003.original
    assert n003.is_garbled
    a, b = _line_span(text, "?。ㄒ唬")
    reps = [r for r in n003.repaired_spans if a <= r[0] < b]
    assert len(reps) == 1
    ra, rb, rep = reps[0]
    assert text[ra:rb] == "?。ㄒ唬﹫猿秩嬉婪ㄖ螀^"
    # `（一）堅持全面依法治區`: 全面 sat on a byte pair the mirror dropped
    assert "(一)坚持" in rep and rep.endswith("依法治区")
    line = n003.repaired_text(a, b).strip()
    assert line.startswith("(一)坚持") and line.endswith("依法治区,统筹推进法治鲤城建设")
    # the view holds the repair and the rest of the line is clean again
    va, vb = n003.to_view(ra, rb)
    assert n003.text[va:vb] == rep
    assert not n003.is_clean(va, vb)
    assert n003.to_original(va, vb) == (ra, rb)
    c, d = _view_span(n003, "统筹推进法治鲤城建设", va)
    assert n003.is_clean(c, d)


def test_003_repairs_and_garbled_spans(n003):
    text = n003.original
    repaired = {text[a:b]: rep for a, b, rep in n003.repaired_spans}
    assert repaired["?!磅幮∷尽逼辗ㄎ龀掷m"].startswith("。“鲤小司”普法")
    # two pairs were dropped in `（四）構建...`: a U+FFFD marks the loss, the
    # rest of the heading reads right
    (four,) = [r for k, r in repaired.items() if k.startswith("?。ㄋ模")]
    assert four.strip().startswith("(四\ufffd") and "建法治宣传工作格局" in four
    garbled = [text[a:b] for a, b in n003.garbled_spans]
    assert "?。ǘ^" in garbled
    assert "?。ù思鲃庸_" in garbled
    # nothing outside the six mojibake lines is touched
    for a, _b in n003.garbled_spans + [(a, b) for a, b, _ in n003.repaired_spans]:
        assert text[a] == "?"


def test_003_lost_digit_is_never_a_number(n003):
    text = n003.original
    i = text.index("?!?2348")
    assert any(a <= i and i + 7 <= b for a, b in n003.garbled_spans)
    va, vb = n003.to_view(i + 3, i + 7)
    assert n003.text[va:vb] == "2348"
    assert not n003.is_clean(va, vb)
    # the intact 12348 later in the same sentence stays usable
    j = n003.text.index("掌上12348平台")
    assert n003.is_clean(j + 2, j + 7)


def test_003_numbers_elsewhere_are_clean(n003):
    a, b = _view_span(n003, "出庭应诉率达100%")
    assert n003.is_clean(a, b)
    oa, ob = n003.to_original(a, b)
    assert n003.original[oa:ob] == "出庭應訴率達100%"


# --- mojibake: constructed the way the mirrors make it ----------------------


def _mirror(clean_trad: str, prefix: str = "") -> str:
    """GBK-encode, lose the first byte, decode, map full-width -> ASCII."""
    raw = clean_trad.encode("gbk")[1:]
    s = raw.decode("gbk", errors="replace")
    return prefix + s.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})


def test_lost_byte_before_full_width_comma_with_gloss():
    # `。現` lost its first byte: `?,F`, then a gloss the mirror added
    garbled = "?" + _mirror("。現")
    assert garbled == "?,F"
    text = "依法行政水平得到提升" + garbled + "(xiàn)將2024年度法治建設(shè)工作情況匯報如下"
    n = normalise(text)
    assert n.text == "依法行政水平得到提升。现将2024年度法治建设工作情况汇报如下"
    assert [(text[a:b], rep) for a, b, rep in n.repaired_spans] == [("?,F", "。现")]
    a, b = _view_span(n, "2024")
    assert n.is_clean(a, b)
    a, b = _view_span(n, "。现")
    assert not n.is_clean(a, b)


def test_silent_byte_loss_is_found_without_question_mark():
    para = _sample("001").split("\n")
    line = next(p.strip() for p in para if "纠纷" in p and len(p) > 150)
    raw = line.encode("gbk")
    cut = len(raw) // 2 - (len(raw) // 2) % 2  # drop a lead byte mid-line
    broken = (raw[:cut] + raw[cut + 1:]).decode("gbk", errors="replace")
    n = normalise(broken)
    assert n.is_garbled
    assert "\ufffd" in broken
    bad = broken.index("\ufffd")
    va, vb = n.to_view(bad, bad + 1)
    assert not n.is_clean(va, max(vb, va + 1))
    # the start of the line is untouched and clean
    assert n.is_clean(0, 10) and n.text[:10] == line[:10]


def test_question_mark_in_real_text_is_not_mojibake():
    text = "如何推进法治政府建设?我们坚持依法行政,全年办理案件12件。是否合规?由法制机构审查。"
    n = normalise(text)
    assert not n.is_garbled
    assert n.text == text


# --- the map, on arbitrary mixes --------------------------------------------

_ALPHABET = list("法治政府建设年度报告行政复议件人次") + list("0123456789,。、“”") + [
    "\u200b", "\u00a0", "\u3000", "１", "９", "（", "）", "，", "(yīng)", "(lǐng)", "(PPP)", "?",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60))
def test_map_invariants(parts):
    text = "".join(parts)
    n = normalise(text)
    _check_map(n)
    for i, ch in enumerate(n.text):
        if not n.is_clean(i, i + 1):
            continue
        a, b = n.to_original(i, i + 1)
        assert b == a + 1
        src = text[a]
        # each clean view char is its source char, or that char's ASCII/space form
        assert ch == src or (ord(src) - 0xFEE0 == ord(ch)) or (ch == " " and src.isspace())
