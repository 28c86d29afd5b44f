"""`fazhi quantities`: every quantity of a text as JSON lines, offsets into the input."""
from __future__ import annotations

import json

from conftest import cli


def quantities(text: str, encoding: str = "utf-8") -> list[dict]:
    proc = cli("quantities", "-", input=text.encode(encoding))
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_quantities_prints_value_unit_qualifier_and_offsets_into_the_input():
    text = "2024年,全区人民调解纠纷案件共受理1661件,调解成功率100%,涉及金额5484.1213万元,发放宣传资料3万多份。"
    got = quantities(text)
    assert [(q["value"], q["unit"], q["qualifier"]) for q in got] == [
        (1661, "件", "exact"), (100, "%", "exact"), (54841213, "元", "exact"), (30000, "份", "at_least"),
    ]
    for q in got:
        assert text[q["start"]:q["end"]] == q["surface"]


def test_offsets_refer_to_the_traditional_original_with_pinyin_glosses():
    text = "全年共辦理6件行政復(fù)議、8件行政訴訟,出庭應(yīng)訴率達100%。"
    got = quantities(text)
    assert [q["surface"] for q in got] == ["6件", "8件", "100%"]
    assert all(text[q["start"]:q["end"]] == q["surface"] for q in got)


def test_years_document_numbers_list_markers_and_names_are_not_quantities():
    text = "泉洛政文〔2025〕14号\n(一)2024年12月以来,一是落实“12348”热线,构建“1+6+N”体系,开展八五普法。"
    assert quantities(text) == []


def test_gbk_input_is_read():
    assert [q["value"] for q in quantities("共受理法律援助235宗", "gbk")] == [235]
