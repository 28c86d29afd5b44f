"""Analysts' corrections: one command, kept beside the warehouse, applied by every build,
surviving re-extraction; a correction for a report not ingested yet waits for it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLES, cli, run_fazhi

from fazhi.warehouse import corrections as corr

SAMPLE = "001_dc752605c59783c1.txt"  # a bundled sample (洛江区 2024)


# ---------------------------------------------------------------- the file and the checks (fast)


def _fake_serving(tmp_path: Path) -> Path:
    return tmp_path / "fazhi.duckdb"  # no warehouse yet: only files on disk can be named


def test_the_file_sits_beside_the_warehouse_and_the_environment_can_move_it(tmp_path, monkeypatch):
    monkeypatch.delenv("FAZHI_CORRECTIONS", raising=False)
    assert corr.corrections_path(tmp_path / "w" / "fazhi.duckdb") == tmp_path / "w" / "fazhi.corrections.csv"
    monkeypatch.setenv("FAZHI_CORRECTIONS", str(tmp_path / "mine.csv"))
    assert corr.corrections_path(tmp_path / "fazhi.duckdb") == tmp_path / "mine.csv"
    assert corr.corrections_path(tmp_path / "fazhi.duckdb", tmp_path / "x.csv") == tmp_path / "x.csv"


def test_a_correction_is_keyed_by_the_files_content_and_appended(tmp_path, monkeypatch):
    monkeypatch.delenv("FAZHI_CORRECTIONS", raising=False)
    report = tmp_path / "某县2024年报告.txt"
    report.write_text("2024年，全县共受理行政复议申请12件。", encoding="utf-8")
    serving = _fake_serving(tmp_path)
    made, path, source = corr.correct(serving, str(report), "admin_reconsideration_received", "1.2万",
                                      reason="the table says 1.2万")
    assert not source.landed and made.sha256 == corr.file_sha256(report) and made.value == 12000
    corr.correct(serving, str(report), "admin_reconsideration_received", None, reason="not the county's", reject=True)
    rows = corr.read(path)
    assert [r.action for r in rows] == ["set", "reject"]
    listed = corr.statuses(rows, None)
    assert [r["status"] for r in listed] == ["superseded", "pending"]
    assert "not in the warehouse" in listed[1]["why"]


@pytest.mark.parametrize("args, message", [
    (("no_such_indicator", "5"), "unknown indicator"),
    (("mediation_cases_accepted", None), "give the right VALUE"),
    (("mediation_cases_accepted", "很多"), "not a number"),
    (("mediation_success_rate", "130"), "over 100"),
    (("mediation_cases_accepted", "-3"), "out of range"),
])
def test_a_correction_that_cannot_be_right_is_refused(tmp_path, args, message):
    report = tmp_path / "r.txt"
    report.write_text("全区共受理纠纷5件。", encoding="utf-8")
    with pytest.raises(corr.CorrectionError, match=message):
        corr.correct(_fake_serving(tmp_path), str(report), *args, reason="r", corrections=tmp_path / "c.csv")
    assert not (tmp_path / "c.csv").exists()


def test_a_reason_is_required_and_an_unknown_source_is_named(tmp_path):
    with pytest.raises(corr.CorrectionError, match="--reason"):
        corr.correct(_fake_serving(tmp_path), "x", "mediation_cases_accepted", "5", reason=" ")
    with pytest.raises(corr.CorrectionError, match=r"no report is 'nowhere\.txt'"):
        corr.correct(_fake_serving(tmp_path), "nowhere.txt", "mediation_cases_accepted", "5", reason="r")


def test_a_file_that_is_not_a_corrections_file_is_never_appended_to(tmp_path):
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("全区共受理纠纷5件。", encoding="utf-8")
    with pytest.raises(corr.CorrectionError, match="not a corrections file"):
        corr.correct(_fake_serving(tmp_path), str(report), "mediation_cases_accepted", "6", reason="r",
                     corrections=other)
    assert other.read_text(encoding="utf-8") == "a,b\n1,2\n"


# ---------------------------------------------------------------- applied by the build (slow)


def _facts(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _report_id(db: Path, name: str) -> str:
    return _facts(db, "select report_id from marts.dim_report where source_file like ?", [f"%{name}"])[0][0]


@pytest.fixture(scope="module")
def corrected_warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("corrections")
    db = base / "fazhi.duckdb"
    run_fazhi("run", "--db", str(db), "--out", str(base / "export"), "--quiet")
    return base, db


@pytest.mark.slow
def test_a_correction_and_a_rejection_survive_rebuilds_and_re_extraction(corrected_warehouse, tmp_path):
    base, db = corrected_warehouse
    rid = _report_id(db, SAMPLE)
    (extracted,) = _facts(db, "select value from marts.fct_report_indicators where report_id = ? "
                              "and indicator_code = 'mediation_cases_accepted'", [rid])[0]
    rejected = _facts(db, "select indicator_code from marts.fct_report_indicators where report_id = ? "
                          "and indicator_code = 'mediation_success_rate'", [rid])
    assert rejected, "the sample states a mediation success rate"
    cli("correct", SAMPLE, "mediation_cases_accepted", str(extracted + 39), "--reason", "test: the table says so",
        "--db", str(db))
    cli("correct", rid, "mediation_success_rate", "--reject", "--reason", "test: not this year's", "--db", str(db))

    def check() -> None:
        row = _facts(db, "select value, provenance, correction_reason, extracted_value from marts.fct_report_indicators "
                         "where report_id = ? and indicator_code = 'mediation_cases_accepted'", [rid])
        assert row == [(extracted + 39, "corrected", "test: the table says so", extracted)]
        assert not _facts(db, "select 1 from marts.fct_report_indicators where report_id = ? "
                              "and indicator_code = 'mediation_success_rate'", [rid])
        mart = _facts(db, "select mediation_cases_accepted, mediation_cases_accepted_provenance, "
                          "mediation_success_rate_report_id from marts.fct_mediation "
                          "where mediation_cases_accepted_report_id = ?", [rid])
        assert mart and mart[0][:2] == (extracted + 39, "corrected") and mart[0][2] != rid
        reasons = {r[0] for r in _facts(db, "select loss_reason from marts.fct_indicator_conflicts "
                                            "where report_id = ? and indicator_code like 'mediation%'", [rid])}
        assert {"corrected", "rejected"} <= reasons
        listed = json.loads(cli("corrections", "--db", str(db), "--json").stdout)["corrections"]
        assert [r["status"] for r in listed] == ["applied", "applied"]

    run_fazhi("build", "--db", str(db), "--quiet")
    check()
    # a new extractor version (here: a changed rule) re-extracts every report; the corrections stay
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    with open(seeds / "units.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    before = _facts(db, "select distinct extractor_version from raw.reports")
    run_fazhi("run", str(SAMPLES), "--db", str(db), "--out", str(base / "export"), "--quiet",
              env={"FAZHI_SEEDS_DIR": str(seeds)})
    assert _facts(db, "select distinct extractor_version from raw.reports") != before
    check()
    # the corrections are labels: the extractor still picks the figures the analyst corrected
    scored = json.loads(cli("corrections", "--score", "--db", str(db), "--json").stdout)
    assert (scored["labels"], scored["wrong_value"], scored["false_positive"]) == (2, 1, 1)
    explained = cli("explain", "洛江区", "2024", "mediation_cases_accepted", "--db", str(db)).stdout
    assert "corrected by an analyst" in explained and "test: the table says so" in explained
    assert "[[" in explained  # the original evidence, its number marked, beside the correction


@pytest.mark.slow
def test_a_correction_for_a_report_not_ingested_waits_then_applies(corrected_warehouse, tmp_path):
    base, db = corrected_warehouse
    report = tmp_path / "未入库的报告.txt"
    report.write_text("某某区2024年法治政府建设年度报告\n2024年，全区共受理行政复议申请12件。\n", encoding="utf-8")
    out = json.loads(cli("correct", str(report), "admin_reconsideration_received", "21", "--reason",
                         "test: the appendix says 21", "--db", str(db), "--json").stdout)
    assert out["landed"] is False
    listed = json.loads(cli("corrections", "--db", str(db), "--json").stdout)["corrections"]
    assert listed[-1]["status"] == "pending" and "not in the warehouse" in listed[-1]["why"]
    moved = tmp_path / "elsewhere" / "renamed.txt"  # the key is the content: a moved file still matches
    moved.parent.mkdir()
    shutil.move(report, moved)
    run_fazhi("run", str(moved), "--db", str(db), "--out", str(base / "export"), "--quiet")
    listed = json.loads(cli("corrections", "--db", str(db), "--json").stdout)["corrections"]
    assert listed[-1]["status"] == "applied" and listed[-1]["source_file"].endswith("renamed.txt")
    rows = _facts(db, "select value, provenance from marts.fct_report_indicators "
                      "where source_file like '%renamed.txt' and indicator_code = 'admin_reconsideration_received'")
    assert rows == [(21.0, "corrected")]


def _append_many(path: Path, worker: int, n: int) -> None:
    for i in range(n):
        corr.append(path, corr.new("0" * 64, f"r{worker}", "r.txt", "mediation_cases_accepted", "set",
                                   float(worker * 1000 + i), "exact", f"worker {worker} row {i}"))


def test_corrections_made_at_the_same_moment_all_land(tmp_path):
    """Two analysts correcting at once: every row is kept (the file is rewritten whole, so
    without a lock the later rewrite dropped the earlier one's row)."""
    import multiprocessing

    path = tmp_path / "fazhi.corrections.csv"
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_append_many, args=(path, w, 15)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
    assert all(p.exitcode == 0 for p in workers)
    values = sorted(r.value for r in corr.read(path))
    assert values == sorted(float(w * 1000 + i) for w in range(4) for i in range(15))
