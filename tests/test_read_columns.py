"""Tables a text PDF draws without vertical rules (no rules at all, or rules between rows
only): columns from where the numbers stand, header lines joined, and the facts they hold reach
the table stage and the warehouse with exact evidence, as from the same table drawn as a full
grid. Prose set in two columns or as a numbered list stays prose."""
from __future__ import annotations

import hashlib

import make_formats as mk
import pytest
from table_forms import active_2021, requests_table
from test_tables_generic import BY_DEPARTMENT, LICENSING, PENALTIES

from fazhi.pipeline import process_bytes
from fazhi.read import read_document

# the rule-less forms fpdf2 draws: no rule at all, rules between the rows only
RULELESS = ("NONE", "HORIZONTAL_LINES")

STATS = [("一、某县2023年度行政执法数据统计", PENALTIES), ("说明：数据截至年底。", LICENSING),
         ("以上数据由各执法机关报送。", "下一步将继续规范行政执法行为。")]
UNITS = [("二、各执法单位办理情况", BY_DEPARTMENT), ("以上数据由各执法单位报送。", "全县执法工作平稳有序。")]
# 二、主动公开 with a blank cell (rules repealed) and the requests by applicant
OUTCOMES = [5, 2, 0, 1, 0, 0, 0, 1, 0, 0, 3, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 15]
DISCLOSURE = [
    ("一、总体情况", "本机关2023年政府信息公开工作总体情况如下。"),
    ("二、主动公开政府信息情况", active_2021((1, None, 7), (4, 2, 31), 126, 58, None, 12.5)),
    ("三、收到和处理政府信息公开申请情况", requests_table((9, 3, 0, 1, 2, 0, 15), 2, OUTCOMES, 2)),
    ("五、存在的主要问题及改进情况", "下一步将继续提升公开质量。"),
]


def facts(data: bytes, name: str = "r.pdf"):
    """(indicator, value, scope) of the table facts, checking each one's evidence and offsets."""
    processed = process_bytes(data, name, hashlib.sha256(data).hexdigest())
    text = processed.report_row["original_text"]
    out = set()
    for c in processed.candidates:
        assert text[c.char_start:c.char_end] == c.evidence
        if c.source == "table":
            out.add((c.indicator_code, c.value, c.scope))
    return out


@pytest.fixture(scope="module")
def stats_pdfs() -> dict[str, bytes]:
    return {b: mk.report_pdf(STATS, borders=b, header="某县司法局") for b in ("ALL", *RULELESS)}


@pytest.mark.parametrize("borders", RULELESS)
def test_a_ruleless_statistics_table_is_read_by_its_columns(stats_pdfs, borders):
    doc = read_document(stats_pdfs[borders], "r.pdf")
    assert [t.layout for t in doc.tables] == ["aligned", "aligned"]
    for t in doc.tables:
        assert all(doc.text[c.start:c.end] == c.text for c in t.cells)
    penalties = doc.tables[0]
    rows = {}
    for c in penalties.cells:
        rows.setdefault(c.row, {})[c.col] = c.text
    # one header row over six columns (the long header wrapped in its cell is one cell again)
    assert rows[0] == {0: "警告", 1: "罚款", 2: "没收违法所得、没收非法财物", 3: "吊销许可证件", 4: "合计（宗）",
                       5: "罚没金额（万元）"}
    assert rows[1] == {0: "310", 1: "1204", 2: "17", 3: "2", 4: "1533", 5: "486.25"}
    # the text still shows each row as a line of its cells
    assert "310 | 1204 | 17 | 2 | 1533 | 486.25" in doc.text.splitlines()


@pytest.mark.parametrize("borders", RULELESS)
def test_a_ruleless_statistics_table_gives_the_facts_of_the_ruled_one(stats_pdfs, borders):
    ruled = facts(stats_pdfs["ALL"])
    assert {("enforcement_penalties", 1533, "total"), ("enforcement_penalty_amount", 4_862_500, "total"),
            ("admin_licensing_cases", 5120, "total")} <= ruled
    assert facts(stats_pdfs[borders]) == ruled


@pytest.mark.parametrize("borders", RULELESS)
def test_rows_of_departments_with_a_total_row(borders):
    doc = read_document(mk.report_pdf(UNITS, borders=borders, header="某县司法局"), "r.pdf")
    (table,) = doc.tables
    assert table.layout == "aligned" and max(c.row for c in table.cells) == 3
    assert [c.text for c in table.cells if c.row == 3] == ["合计", "553", "108.5"]
    got = facts(mk.report_pdf(UNITS, borders=borders, header="某县司法局"))
    assert ("enforcement_penalties", 553, "total") in got
    assert {v for code, v, scope in got if code == "enforcement_penalties" and scope == "subunit"} == {420, 133}


@pytest.mark.parametrize("borders", RULELESS)
def test_ruleless_disclosure_template_tables_give_their_cells(borders):
    got = {code: v for code, v, scope in facts(mk.report_pdf(DISCLOSURE, borders=borders)) if scope == "total"}
    # the blank 废止 cell of 规章 stays blank: 7 is the cell under 现行有效件数, not under 废止
    assert got["rules_issued"] == 1 and got["rules_in_force"] == 7 and "rules_repealed" not in got
    assert (got["normative_docs_issued"], got["normative_doc_repealed"], got["normative_docs_in_force"]) == (4, 2, 31)
    assert got["admin_licensing_cases"] == 126 and got["admin_fees_amount"] == 125_000
    # requests by applicant: the wrapped header cells (商业/企业, 社会公益/组织) head their columns
    assert got["info_disclosure_requests"] == 15
    assert got["info_disclosure_requests_natural_persons"] == 9
    assert got["info_disclosure_requests_businesses"] == 3
    assert got["info_disclosure_requests_public_interest_orgs"] == 1
    assert got["info_disclosure_requests_legal_service_orgs"] == 2
    assert got["info_disclosure_requests_carried_over"] == 2


def test_two_column_prose_and_numbered_lists_make_no_table():
    left = ["2023年，全县共受理行政复议申请 52 件，审结 48 件，纠错率 12%。",
            "全年办理人大代表建议 35 件、政协提案 41 件，办复率 100%。",
            "组织法治培训 16 场次，参训干部 1200 人次。"]
    right = ["开展执法检查 23 次，发现问题 17 个，已整改 15 个。",
             "全年审查行政规范性文件 9 件，备案 9 件。",
             "新增法律顾问 4 名，出具法律意见 86 份。"]
    listed = ["一、主要举措", "1. 全年受理行政复议申请 52 件，审结 48 件。",
              "2. 办理行政应诉案件 31 件，出庭应诉率 100%。", "3. 审查合同 64 份，提出意见 130 条。",
              "4. 开展普法活动 27 场次。"]
    for data in (mk.two_column_pdf(left, right), mk.text_pdf(listed, header=None)):
        doc = read_document(data, "r.pdf")
        assert not [t for t in doc.tables if t.layout == "aligned"]
        assert not [f for f in facts(data) if f[0]]


@pytest.mark.slow
def test_ruleless_pdf_tables_reach_the_warehouse_with_exact_evidence(tmp_path):
    import duckdb
    from conftest import run_fazhi

    docs = tmp_path / "docs"
    docs.mkdir()
    title = "南京市江宁区人民政府2023年政府信息公开工作年度报告"
    (docs / "disclosure.pdf").write_bytes(
        mk.report_pdf([(title, "本报告由区政府办公室编制。"), *DISCLOSURE], borders="HORIZONTAL_LINES", header=None))
    db = tmp_path / "w.duckdb"
    run_fazhi("run", str(docs), "--db", str(db), "--out", str(tmp_path / "export"), "--quiet")
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("""
            select jurisdiction_name, report_year, rules_issued, rules_repealed, rules_in_force,
                   normative_docs_in_force, admin_licensing_cases, info_disclosure_requests,
                   info_disclosure_requests_natural_persons
            from marts.fct_info_disclosure
        """).fetchall()
        assert row == [("江宁区", 2023, 1.0, None, 7.0, 31.0, 126.0, 15.0, 9.0)]
        facts = con.execute("""
            select f.indicator_code, f.source, f.page, f.evidence, f.char_start, f.char_end, x.original_text
            from marts.fct_report_indicators f join raw.reports x using (report_id)
        """).fetchall()
        assert {code for code, source, *_ in facts if source == "table"} >= {"rules_in_force", "info_disclosure_requests"}
        for _, _, page, evidence, start, end, text in facts:
            assert text[start:end] == evidence and page >= 1
    finally:
        con.close()
