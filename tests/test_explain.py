"""`fazhi explain`: every value with its sentence, the number marked, source, offsets, conflicts."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import cli

from fazhi.normalise.sentences import sentence_around
from fazhi.serve.evidence import ExplainError
from fazhi.serve.explain import split_year_indicator


def explain_json(db: Path, *args: str) -> dict:
    proc = cli("explain", *args, "--db", str(db), "--json")
    return json.loads(proc.stdout)


def _texts(con) -> dict[str, str]:
    return dict(con.execute("select report_id, original_text from raw.reports").fetchall())


def test_every_row_points_into_the_original_text(sample_warehouse, sample_con):
    out = explain_json(sample_warehouse, "洛江区", "2024")
    expected = sample_con.execute("""
        select count(*) from marts.fct_report_indicators f join marts.dim_jurisdiction j using (jurisdiction_id)
        where j.name = '洛江区' and f.report_year = 2024""").fetchone()[0]
    assert out["count"] == len(out["facts"]) == expected > 0
    texts = _texts(sample_con)
    for f in out["facts"]:
        text = texts[f["report_id"]]
        assert f["jurisdiction"] == "洛江区" and f["report_year"] == 2024
        assert f["evidence"] == text[f["char_start"]:f["char_end"]]
        assert f["sentence"] == text[f["sentence_start"]:f["sentence_end"]]
        assert f["evidence"] in f["sentence"]
        h0, h1 = f["highlight"]
        assert f["sentence"][h0:h1] == text[f["value_start"]:f["value_end"]] == f["number"]
        assert f["number"] and f"[[{f['number']}]]" in f["sentence_marked"]
        assert Path(f["source_file"]).name.endswith(".txt")
        assert f["indicator_name"], f["indicator_code"]


def test_indicator_by_code_or_by_part_of_its_chinese_name(sample_warehouse, sample_con):
    code, name = sample_con.execute("""
        select f.indicator_code, i.name_zh from marts.fct_report_indicators f
        join marts.dim_indicator i using (indicator_code) join marts.dim_jurisdiction j using (jurisdiction_id)
        where j.name = '洛江区' order by 1 limit 1""").fetchone()
    by_code = explain_json(sample_warehouse, "洛江区", "2024", code)
    assert {f["indicator_code"] for f in by_code["facts"]} == {code}
    part = name[:2]
    by_name = explain_json(sample_warehouse, "洛江区", "2024", part)
    assert code in {f["indicator_code"] for f in by_name["facts"]}
    assert all(part in f["indicator_name"] or part in f["indicator_code"] for f in by_name["facts"])


def test_year_is_optional_and_a_part_of_the_name_is_enough(sample_warehouse):
    out = explain_json(sample_warehouse, "洛江")
    assert out["count"] > 0
    assert {f["jurisdiction"] for f in out["facts"]} == {"洛江区"}
    # `explain 洛江区 调解`: a second argument that is not a year is the indicator
    out = explain_json(sample_warehouse, "洛江区", "调解")
    assert out["query"]["year"] is None and out["query"]["indicator"] == "调解"
    assert out["count"] > 0


def test_in_a_pipe_the_number_is_marked_with_brackets(sample_warehouse, sample_con):
    proc = cli("explain", "洛江区", "2024", "--db", str(sample_warehouse))
    assert proc.returncode == 0 and not proc.stderr
    assert "\x1b[" not in proc.stdout  # no terminal colours in a pipe
    facts = explain_json(sample_warehouse, "洛江区", "2024")["facts"]
    for f in facts:
        assert f["sentence_marked"] in proc.stdout
        assert f"chars {f['char_start']}-{f['char_end']}" in proc.stdout
    assert Path(facts[0]["source_file"]).name in proc.stdout
    assert f"explain: {len(facts)} values" in proc.stdout


def test_conflicting_candidates_are_shown(sample_warehouse, sample_con):
    """A fact whose report states another total for the same indicator lists that other value."""
    row = sample_con.execute("""
        select j.name, f.report_year, f.indicator_code, f.value
        from marts.fct_report_indicators f join marts.dim_jurisdiction j using (jurisdiction_id)
        where exists (select 1 from intermediate.int_candidates_ranked c
                      where c.report_id = f.report_id and c.indicator_code = f.indicator_code
                        and c.candidate_rank > 1 and c.value <> f.value)
        order by 1, 2, 3 limit 1""").fetchone()
    assert row, "the samples have facts with conflicting candidates"
    name, year, code, value = row
    out = explain_json(sample_warehouse, name, str(year), code)
    fact = next(f for f in out["facts"] if f["indicator_code"] == code)
    assert fact["conflicts"], fact
    assert all(c["value"] != value for c in fact["conflicts"])
    assert out["conflict_source"] in ("marts.fct_indicator_conflicts", "intermediate.int_candidates_ranked")


def test_conflicts_come_from_fct_indicator_conflicts_when_it_exists(sample_warehouse, tmp_path):
    db = tmp_path / "fazhi.duckdb"
    shutil.copy(sample_warehouse, db)
    con = duckdb.connect(str(db))
    jid, year, code, rid = con.execute("""
        select f.jurisdiction_id, f.report_year, f.indicator_code, f.report_id
        from marts.fct_report_indicators f join marts.dim_jurisdiction j using (jurisdiction_id)
        where j.name = '洛江区' order by f.indicator_code limit 1""").fetchone()
    con.execute("drop table if exists marts.fct_indicator_conflicts")
    con.execute("""
        create table marts.fct_indicator_conflicts as
        select 'synthetic-1' as candidate_id, ?::varchar as jurisdiction_id, ?::integer as report_year,
               ?::varchar as indicator_code, 'other-report'::varchar as report_id, 424242.0::double as value,
               '件' as unit, 'exact' as qualifier, '另一份报告受理424242件' as evidence, 0.5 as confidence,
               1 as candidate_rank, 'issuer_kind' as loss_reason, true as value_differs
    """, [jid, year, code])
    con.close()
    out = explain_json(db, "洛江区", str(year), code)
    assert out["conflict_source"] == "marts.fct_indicator_conflicts"
    fact = next(f for f in out["facts"] if f["report_id"] == rid)
    assert [c["value"] for c in fact["conflicts"]] == [424242.0]
    assert "issuer_kind" in fact["conflicts"][0]["reason"]
    proc = cli("explain", "洛江区", str(year), code, "--db", str(db))
    assert "424,242" in proc.stdout and "另一份报告受理424242件" in proc.stdout


def test_an_unknown_jurisdiction_is_one_line_with_close_names(sample_warehouse):
    proc = cli("explain", "洛江县", "--db", str(sample_warehouse), check=False)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "unknown jurisdiction" in proc.stderr and "洛江区" in proc.stderr
    assert not proc.stdout


def test_other_lookups_that_find_nothing_are_one_line_errors(sample_warehouse):
    for args, words in [
        (("洛江区", "2024", "no_such_indicator"), "unknown indicator"),
        (("洛江区", "1999"), "years with facts"),
        (("北京市",), "no report"),
    ]:
        proc = cli("explain", *args, "--db", str(sample_warehouse), check=False)
        assert proc.returncode != 0, args
        assert proc.stderr.count("\n") == 1 and words in proc.stderr, (args, proc.stderr)


def test_a_missing_warehouse_is_a_one_line_error(tmp_path):
    proc = cli("explain", "洛江区", "--db", str(tmp_path / "nothing.duckdb"), check=False)
    assert proc.returncode != 0 and "no warehouse" in proc.stderr and proc.stderr.count("\n") == 1


def test_sentence_around_cuts_at_full_stops_and_clips_long_sentences():
    text = "第一句。2024年,全区共受理纠纷1661件,调处成功1661件。第三句！"
    start = text.index("共受理")
    end = text.index("1661件") + len("1661件")
    vs = text.index("1661件")
    s = sentence_around(text, start, end, vs, end)
    assert s.text == "2024年,全区共受理纠纷1661件,调处成功1661件。"
    assert s.text[s.value_start:s.value_end] == "1661件"
    assert s.marked() == "2024年,全区共受理纠纷[[1661件]],调处成功1661件。"
    long = "前" * 500 + "共受理纠纷12件" + "后" * 500 + "。"
    st = long.index("共受理")
    s = sentence_around(long, st, st + 8, st + 5, st + 8)
    assert len(s.text) <= 230 and s.clipped_left and s.clipped_right
    assert s.text[s.value_start:s.value_end] == "12件"
    assert s.marked().startswith("…") and s.marked().endswith("…")


def test_second_argument_is_a_year_or_an_indicator():
    assert split_year_indicator("2024", None) == (2024, None)
    assert split_year_indicator("调解", None) == (None, "调解")
    assert split_year_indicator("2024", "legal_aid_cases") == (2024, "legal_aid_cases")
    with pytest.raises(ExplainError):
        split_year_indicator("调解", "legal_aid_cases")
