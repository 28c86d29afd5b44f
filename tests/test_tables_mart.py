"""marts.fct_info_disclosure: one row per jurisdiction and year with the whole disclosure
template, and table/prose disagreements listed as conflicts."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, run_fazhi
from table_forms import active_2021, appeals_table, page, render, requests_table

from fazhi.warehouse import generate
from fazhi.warehouse.disclosure_mart import SQL_PATH, template_codes

OUTCOMES = [6, 1, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 11]


def test_the_mart_has_a_column_per_template_cell_in_template_order():
    """fct_info_disclosure is generated from seeds/disclosure_template.csv (python -m
    fazhi.warehouse.generate; the generator's own test fails while a generated file is stale)."""
    codes = template_codes(ROOT / "seeds")
    assert codes[:3] == ["rules_issued", "rules_repealed", "rules_in_force"]
    assert {"info_disclosure_requests", "admin_licensing_cases", "info_disclosure_litigation_direct_total",
            "info_disclosure_other_handling", "procurement_amount"} <= set(codes)
    sql = (ROOT / SQL_PATH).read_text(encoding="utf-8")
    assert all(f"'{c}'," in sql for c in codes)
    files = generate.render(ROOT)
    assert Path(SQL_PATH) in files
    assert "  - name: fct_info_disclosure\n" in files[Path("models/marts/domains/_domains__models.yml")]


@pytest.mark.slow
def test_fct_info_disclosure_and_conflicts(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    body = (
        "<p>一、总体情况</p><p>2023年，本区共收到政府信息公开申请12件。</p>"
        "<p>二、主动公开政府信息情况</p>" + render(active_2021((0, 0, 2), (5, 1, 44), 210, 97, 6, 3.2), "html")
        + "<p>三、收到和处理政府信息公开申请情况</p>"
        + render(requests_table((8, 2, 0, 0, 1, 0, 11), 1, OUTCOMES, 1), "html")
        + "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        + render(appeals_table((1, 0, 0, 0, 1), (0, 0, 0, 1, 1), (0, 0, 0, 0, 0)), "html")
        + "<p>五、存在的主要问题及改进情况</p><p>下一步继续改进。</p>")
    title = "泉州市洛江区人民政府2023年政府信息公开工作年度报告"
    (docs / "luojiang-2023.html").write_text(page(title, f"<p>{title}</p>" + body), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    run_fazhi("run", str(docs), "--db", str(db), "--out", str(tmp_path / "export"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("""
            select jurisdiction_name, report_year, template_version, info_disclosure_requests,
                   info_disclosure_requests_natural_persons, normative_docs_in_force, admin_licensing_cases,
                   admin_fees_amount, info_disclosure_requests_concluded, info_disclosure_litigation_direct_total,
                   conflict_count
            from marts.fct_info_disclosure
        """).fetchall()
        assert row == [("洛江区", 2023, "2021", 11.0, 8.0, 44.0, 210.0, 32_000.0, 11.0, 1.0, 1)]
        # the prose says 12 requests, the table 11: the table wins, the prose figure is a conflict
        conflict = con.execute("""
            select value, source, chosen_value, chosen_source, loss_reason from marts.fct_indicator_conflicts
            where indicator_code = 'info_disclosure_requests'
        """).fetchall()
        assert conflict == [(12.0, "prose", 11.0, "table", "rank_within_report")]
        chosen = con.execute("""
            select source, template_version, evidence from marts.fct_report_indicators
            where indicator_code = 'info_disclosure_requests'
        """).fetchone()
        assert chosen[:2] == ("table", "2021") and chosen[2].startswith("一、本年新收政府信息公开申请数量")
    finally:
        con.close()
