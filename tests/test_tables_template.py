"""The standard 政府信息公开 annual-report tables (2019 and 2021 templates), read from every
flattening a web page gives them, and from HTML with merged cells."""
from __future__ import annotations

import pytest
from table_forms import TEXT_FORMS, active_2019, active_2021, appeals_table, page, render, requests_table

from fazhi import tables
from fazhi.normalise import normalise
from fazhi.read import decode_bytes

# the 总计 column of the outcome rows in template order: 予以公开, 部分公开, 不予公开 ×8, 无法提供 ×3,
# 不予处理 ×5, 其他处理 (×3 in 2021, one row in 2019), (七)总计
OUTCOMES_2021 = [5, 2, 0, 1, 0, 0, 0, 1, 0, 0, 3, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 15]
OUTCOMES_2019 = [5, 2, 0, 1, 0, 0, 0, 1, 0, 0, 3, 0, 1, 1, 0, 0, 0, 0, 1, 15]


def report_2021(form: str) -> tuple[str, str]:
    """(file name, content) of a made-up 2021-template report in one flattening."""
    parts = [
        ("一、总体情况", "本机关2023年政府信息公开工作总体情况如下。"),
        ("二、主动公开政府信息情况", active_2021((1, 0, 7), (4, 2, 31), 126, 58, 3, 12.5)),
        ("三、收到和处理政府信息公开申请情况", requests_table((9, 3, 0, 1, 2, 0, 15), 2, OUTCOMES_2021, 2)),
        ("四、政府信息公开行政复议、行政诉讼情况", appeals_table((1, 0, 0, 0, 1), (0, 1, 0, 1, 2), (0, 0, 0, 0, 0))),
        ("五、存在的主要问题及改进情况", "下一步将继续提升公开质量。"),
    ]
    return _write(parts, form)


def report_2019(form: str) -> tuple[str, str]:
    parts = [
        ("一、总体情况", "本机关2020年政府信息公开工作总体情况如下。"),
        ("二、主动公开政府信息情况", active_2019((0, 0, 3), (6, 6, 40), (12, 1, 88), (5, 0, 17), (30, 0, 41), (2, 0, 4))),
        ("三、收到和处理政府信息公开申请情况", requests_table((9, 3, 0, 1, 2, 0, 15), 2, OUTCOMES_2019, 2, "2019")),
        ("四、政府信息公开行政复议、行政诉讼情况", appeals_table((0, 0, 0, 0, 0), (0, 0, 0, 0, 0), (0, 0, 0, 0, 0))),
    ]
    return _write(parts, form)


def _write(parts, form: str) -> tuple[str, str]:
    if form == "html":
        body = "".join(f"<p>{h}</p>" + (f"<p>{t}</p>" if isinstance(t, str) else render(t, "html")) for h, t in parts)
        return "report.html", page("某镇人民政府政府信息公开工作年度报告", body)
    text = "某镇人民政府政府信息公开工作年度报告\n" + "\n".join(
        f"{h}\n{t if isinstance(t, str) else render(t, form)}" for h, t in parts)
    return "report.txt", text


def read(name: str, content: str) -> tuple[str, list]:
    decoded = decode_bytes(content.encode("utf-8"), name)
    norm = normalise(decoded.text)
    reading = tables.read_tables(norm, None, decoded.tables)
    return decoded.text, tables.to_candidates(reading.facts, norm)


def by_code(candidates) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in candidates:
        assert c.indicator_code not in out, f"{c.indicator_code} read twice"
        out[c.indicator_code] = c.value
    return out


@pytest.mark.parametrize("form", [*TEXT_FORMS, "html"])
def test_2021_template_every_cell_in_every_flattening(form):
    text, found = read(*report_2021(form))
    got = by_code(found)
    assert got["rules_issued"] == 1 and got["rules_repealed"] == 0 and got["rules_in_force"] == 7
    assert got["normative_docs_issued"] == 4 and got["normative_doc_repealed"] == 2
    assert got["normative_docs_in_force"] == 31
    assert got["admin_licensing_cases"] == 126
    assert got["enforcement_penalties"] == 58 and got["enforcement_coercive"] == 3
    assert got["admin_fees_amount"] == 125_000  # 12.5 万元
    assert got["info_disclosure_requests"] == 15
    assert got["info_disclosure_requests_natural_persons"] == 9
    assert got["info_disclosure_requests_businesses"] == 3
    assert got["info_disclosure_requests_legal_service_orgs"] == 2
    assert got["info_disclosure_requests_carried_over"] == 2
    assert got["info_disclosure_granted"] == 5 and got["info_disclosure_partly_granted"] == 2
    assert got["info_disclosure_refused_prohibited"] == 1 and got["info_disclosure_refused_third_party"] == 0
    assert got["info_disclosure_refused_deliberative"] == 1
    assert got["info_disclosure_unavailable_not_held"] == 3
    assert got["info_disclosure_unavailable_unclear"] == 1
    assert got["info_disclosure_not_processed_complaints"] == 1
    assert got["info_disclosure_other_misc"] == 1
    assert got["info_disclosure_requests_concluded"] == 15
    assert got["info_disclosure_requests_carried_forward"] == 2
    assert got["info_disclosure_reconsideration_upheld"] == 1
    assert got["info_disclosure_reconsideration_total"] == 1
    assert got["info_disclosure_litigation_direct_corrected"] == 1
    assert got["info_disclosure_litigation_direct_pending"] == 1
    assert got["info_disclosure_litigation_direct_total"] == 2
    assert got["info_disclosure_litigation_after_reconsideration_total"] == 0
    assert "info_disclosure_other_handling" not in got  # a 2019 row
    for c in found:
        assert text[c.char_start:c.char_end] == c.evidence
        assert c.source == "table" and c.template_version == "2021" and c.scope == "total"
        assert c.char_start <= c.value_start < c.value_end <= c.char_end


@pytest.mark.parametrize("form", [*TEXT_FORMS, "html"])
def test_2019_template_reads_its_own_columns(form):
    _, found = read(*report_2019(form))
    got = by_code(found)
    assert {c.template_version for c in found} == {"2019"}
    # 处理决定数量 is the third column in 2019; the items of the prior year and the change are not kept
    assert got["admin_licensing_cases"] == 88 and got["admin_services_decisions"] == 17
    assert got["enforcement_penalties"] == 41 and got["enforcement_coercive"] == 4
    assert got["normative_docs_issued"] == 6 and got["normative_docs_published_total"] == 40
    assert got["rules_published_total"] == 3
    assert got["info_disclosure_other_handling"] == 1
    assert got["info_disclosure_requests_concluded"] == 15
    assert "normative_doc_repealed" not in got and "admin_fees_amount" not in got


def test_traditional_script_with_pinyin_glosses():
    """A mirror in traditional script that glosses characters with pinyin: the cells are read
    on the simplified view, the evidence is the original text with its glosses."""
    _, text = report_2021("lines")
    text = (text.replace("行政许可", "行政許(xǔ)可").replace("行政处罚", "行政處(chǔ)罰")
            .replace("本年处理决定数量", "本年處理決定數量").replace("规章", "規章"))
    found = {c.indicator_code: c for c in read("mirror.txt", text)[1]}
    assert found["admin_licensing_cases"].value == 126
    assert found["enforcement_penalties"].value == 58
    assert "處(chǔ)罰" in found["enforcement_penalties"].evidence
    assert found["rules_in_force"].value == 7


def test_a_report_cut_off_inside_a_row_keeps_the_cells_before_the_cut():
    _, text = report_2021("lines")
    cut = text[:text.index("二、上年结转")].rstrip()  # ends inside the new-requests row? no: after it
    cut = cut[:cut.rindex("15")] + "1"  # the excerpt ends in the first digit of the total
    got = by_code(read("cut.txt", cut)[1])
    assert got["info_disclosure_requests_natural_persons"] == 9
    assert "info_disclosure_requests" not in got  # the cut-off "1" of 15 is not read


def test_a_row_that_lost_empty_cells_is_not_read_by_position():
    """Flattening that drops empty cells: a row with fewer numbers than columns cannot be
    placed, so none of its cells is read (the others still are)."""
    text = "\n".join([
        "申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计",
        "一、本年新收政府信息公开申请数量 | 3 | 4",
        "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "五、存在的主要问题及改进情况",
    ])
    got = by_code(read("short.txt", text)[1])
    assert "info_disclosure_requests" not in got
    assert got["info_disclosure_requests_carried_over"] == 1
