"""Tables other than the standard template (行政执法 statistics, reconsideration tables): read in
every flattening, labels matched by the prose lexicons, 合计 rows and columns as totals, money
scaled by the header unit, and no figure taken from a table about something else."""
from __future__ import annotations

import pytest
from table_forms import TEXT_FORMS, page, render

from fazhi import tables
from fazhi.normalise import normalise
from fazhi.pipeline import process_bytes
from fazhi.read import decode_bytes

# a county's enforcement statistics: one row of numbers under a spanning header
PENALTIES = [
    [("行政处罚实施数量（宗）", 6)],
    ["警告", "罚款", "没收违法所得、没收非法财物", "吊销许可证件", "合计（宗）", "罚没金额（万元）"],
    ["310", "1204", "17", "2", "1533", "486.25"],
]
LICENSING = [
    [("行政许可实施数量（宗）", 5)],
    ["申请数量", "受理数量", "许可数量", "不予许可数量", "撤销许可数量"],
    ["5120", "5080", "4990", "90", "3"],
]
# departments as rows, a 合计 row for the whole county
BY_DEPARTMENT = [
    ["执法单位", "行政处罚（件）", "罚没金额（万元）"],
    ["县市场监管局", "420", "96.5"],
    ["县城管局", "133", "12"],
    ["合计", "553", "108.5"],
]


def stats_report(form: str, *table_list) -> tuple[str, str]:
    heading = "一、某县2023年度行政执法数据统计"
    if form == "html":
        body = f"<p>{heading}</p>" + "".join(render(t, "html") + "<p>说明：数据截至年底。</p>" for t in table_list)
        return "stats.html", page("某县2023年度行政执法统计年报", body)
    return "stats.txt", "某县2023年度行政执法统计年报\n" + heading + "\n" + "".join(
        render(t, form) + "\n说明：统计范围为全县行政执法机关，数据截至年底。\n" for t in table_list)


def facts(name: str, content: str, year: int | None = 2023):
    decoded = decode_bytes(content.encode("utf-8"), name)
    norm = normalise(decoded.text)
    found = tables.to_candidates(tables.read_tables(norm, year, decoded.tables).facts, norm)
    for c in found:
        assert decoded.text[c.char_start:c.char_end] == c.evidence
    return found


def totals(found) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in found:
        if c.scope == "total":
            assert c.indicator_code not in out, (c.indicator_code, c.value, out)
            out[c.indicator_code] = c.value
    return out


@pytest.mark.parametrize("form", [*TEXT_FORMS, "html"])
def test_enforcement_statistics_totals_in_every_flattening(form):
    found = facts(*stats_report(form, PENALTIES, LICENSING))
    got = totals(found)
    assert got == {
        "enforcement_penalties": 1533,  # the 合计 column, not 罚款's 1204
        "enforcement_penalty_amount": 4_862_500,  # 486.25 万元
        "admin_licensing_cases": 5120,  # the applications column
    }
    parts = {c.value for c in found if c.indicator_code == "enforcement_penalties" and c.scope != "total"}
    assert 310 in parts  # the other kinds of penalty are parts of the total


@pytest.mark.parametrize("form", ["rows", "spaced", "html", "separated_cells"])
def test_a_total_row_is_the_jurisdiction_and_other_rows_are_subunits(form):
    found = facts(*stats_report(form, BY_DEPARTMENT))
    assert totals(found) == {"enforcement_penalties": 553, "enforcement_penalty_amount": 1_085_000}
    sub = sorted(c.value for c in found if c.indicator_code == "enforcement_penalties" and c.scope == "subunit")
    assert sub == [133, 420]


def test_merged_header_cells_in_html_head_their_columns():
    table = [
        [("新收案件", 1, 2), ("办结案件", 4), ("结转下年", 1, 2)],
        ["总计", "维持", "驳回", "直接纠错"],
        ["230", "211", "150", "31", "30", "19"],
    ]
    body = "<p>一、行政复议案件办理情况</p>" + render(table, "html") + "<p>以上为全年数据。</p>"
    got = totals(facts("fy.html", page("某区2023年度行政复议工作报告", body)))
    assert got["admin_reconsideration_received"] == 230
    assert got["admin_reconsideration_concluded"] == 211  # 办结案件 > 总计
    assert got["admin_reconsideration_corrected"] == 30
    assert 150 not in got.values()  # 维持 is a part of 办结


def test_header_fragments_split_by_line_breaks_are_joined():
    """One cell per line where a header's line break became a cell break ("直接" / "纠错")."""
    text = ("一、行政复议案件情况\n全年案件办理情况如下表。\n\n"
            "新收\n\n案件\n\n办结案件\n\n总计\n\n维持\n\n驳回\n\n直接\n\n纠错\n\n"
            "230\n\n211\n\n150\n\n31\n\n30\n\n以上数据截至年底。")
    got = totals(facts("f.txt", text))
    assert got == {"admin_reconsideration_received": 230, "admin_reconsideration_concluded": 211,
                   "admin_reconsideration_corrected": 30}


def test_the_number_the_text_ends_in_is_not_read():
    """Excerpts end mid-table: the last number may be cut off ("75" of "751")."""
    text = "一、行政复议案件情况\n新收案件\n\n办结案件\n\n直接纠错\n\n230\n\n211\n\n75"
    got = totals(facts("cut.txt", text))
    assert got == {"admin_reconsideration_received": 230, "admin_reconsideration_concluded": 211}


def test_a_table_about_another_domain_gives_no_figure():
    """Reconsideration cases by the kind of act disputed: 行政处罚 here is a kind of case, not
    the enforcement total."""
    table = [["申请事项", "行政处罚", "政府信息公开", "工伤认定"], ["数量", "40件", "16件", "3件"]]
    text = "三、行政复议申请涉及的事项\n" + render(table, "rows") + "\n四、案件审理情况"
    found = facts("kinds.txt", text)
    assert not [c for c in found if c.indicator_code.startswith("enforcement")]
    assert not totals(found)


def test_a_table_of_one_tier_holds_subunits_only():
    table = [["单位", "收到复议申请", "受理"], ["A市", "220", "190"], ["B市", "96", "80"], ["合计", "316", "270"]]
    text = "一、行政复议情况\n表2：各市州行政复议案件情况\n" + render(table, "rows") + "\n二、行政应诉情况"
    found = facts("tier.txt", text)
    assert not totals(found)
    assert {c.scope for c in found} == {"subunit"}


def test_columns_of_other_years_and_changes_are_other_periods():
    table = [["项目", "2022年", "2023年", "同比增减"], ["行政处罚案件", "80", "95", "15"]]
    text = "一、行政执法情况\n" + render(table, "rows") + "\n二、其他"
    found = facts("years.txt", text, year=2023)
    scopes = {c.value: c.scope for c in found if c.indicator_code == "enforcement_penalties"}
    assert scopes == {80: "other_period", 95: "total", 15: "other_period"}


def test_index_and_share_columns_are_not_counts():
    table = [["序号", "处理方式", "数量", "比例"], ["1", "维持", "40", "80%"], ["2", "撤销", "10", "20%"],
             ["3", "合计", "50", "100%"]]
    text = "一、行政复议案件审结情况\n" + render(table, "lines") + "\n\n二、其他"
    found = facts("idx.txt", text)
    assert all(c.value not in (1, 2, 3) for c in found)
    assert all(c.unit != "%" for c in found)


def test_metadata_tables_of_a_page_are_not_tables_of_figures():
    text = "| 索引号：11500230/2024-00009 | 发文字号：无 |\n| 发布机构：某镇人民政府 | 成文日期：2024-02-11 |\n正文"
    assert facts("meta.txt", text) == []


def test_pipeline_reads_table_cells_once_as_table_facts():
    """Through the whole per-file stage: a row such as "行政处罚 | 40件" in a table is read by the
    table stage (in its table's domain), never again as prose; every candidate's evidence is
    the original text at its offsets."""
    table = [["申请事项", "数量"], ["行政处罚", "40件"], ["政府信息公开", "16件"]]
    text = ("某区司法局2023年度行政复议工作报告\n一、行政复议申请涉及的事项\n"
            + render(table, "rows") + "\n二、案件审理情况\n全年共审结行政复议案件52件。\n")
    processed = process_bytes(text.encode("utf-8"), "kinds.txt", "0" * 64)
    original = processed.report_row["original_text"]
    for c in processed.candidates:
        assert original[c.char_start:c.char_end] == c.evidence
    assert not [c for c in processed.candidates if c.indicator_code == "enforcement_penalties"]
    prose = [c for c in processed.candidates if c.source == "prose"]
    assert any(c.indicator_code == "admin_reconsideration_concluded" and c.value == 52 for c in prose)


def test_pipeline_keeps_a_stats_table_and_its_prose():
    name, content = stats_report("rows", PENALTIES)
    content = content.replace("说明：", "全县全年共作出行政处罚1533宗。说明：", 1)
    processed = process_bytes(content.encode("utf-8"), name, "1" * 64)
    sources = {(c.source, c.value) for c in processed.candidates
               if c.indicator_code == "enforcement_penalties" and c.scope == "total"}
    assert sources == {("table", 1533), ("prose", 1533)}


def test_two_total_columns_of_one_indicator_are_never_summed():
    """行政强制 statistics have a 合计 for measures and one for execution: neither alone is the
    total of coercive actions, and nothing is summed."""
    table = [
        [("行政强制措施实施数量（宗）", 3), ("行政强制执行实施数量（宗）", 3)],
        ["查封", "扣押", "合计", "申请法院强制执行", "行政机关强制执行", "合计"],
        ["12", "5", "17", "3", "1", "4"],
    ]
    text = "一、行政执法数据\n" + render(table, "rows") + "\n说明：以上为全年数据。"
    found = facts("coercive.txt", text)
    assert not [c for c in found if c.indicator_code == "enforcement_coercive" and c.scope == "total"]


def test_html_tables_keep_spans_and_offsets_into_the_stored_text():
    from fazhi.read.html import html_to_text_and_tables

    table = [[("项目", 1, 2), ("2023年", 2)], ["收到", "办结"], ["行政复议", "12", ""]]
    nested = "<table><tr><td><table><tr><td>布局</td><td>7</td></tr></table></td></tr></table>"
    text, grids = html_to_text_and_tables(page("t", render(table, "html") + nested))
    assert len(grids) == 1  # a layout table holding a table is not a data table
    cells = {(c.row, c.col): c for c in grids[0].cells}
    assert (cells[(0, 0)].rowspan, cells[(0, 1)].colspan) == (2, 2)
    assert cells[(1, 1)].text == "收到" and cells[(1, 2)].text == "办结"  # placed after the spanned slot
    assert cells[(2, 2)].text == "" and cells[(2, 2)].start == cells[(2, 2)].end  # an empty cell
    for c in grids[0].cells:
        assert text[c.start:c.end] == c.text
