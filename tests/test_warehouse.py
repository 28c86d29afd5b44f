"""End to end: the sample reports become a queryable warehouse that honours the contract."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, ROOT, SAMPLES, cli, read_csv, run_fazhi

CONTRACT_TABLES = {
    "dim_report": ["report_id", "source_file", "title", "issuer", "issuer_kind", "jurisdiction_id",
                   "report_year", "published_on", "doc_number", "script", "is_garbled"],
    "dim_jurisdiction": ["jurisdiction_id", "name", "level", "adcode", "parent_id", "province", "city"],
    "fct_report_indicators": ["report_id", "source_file", "jurisdiction_id", "report_year", "indicator_code",
                              "value", "unit", "qualifier", "evidence", "char_start", "char_end", "confidence"],
    "fct_jurisdiction_year": ["jurisdiction_id", "report_year"],
    "ingest_files": ["source_file", "sha256", "status", "reason", "report_id"],
}


def test_contract_tables_exist_with_their_columns_and_rows(sample_con):
    for table, columns in CONTRACT_TABLES.items():
        have = [r[0] for r in sample_con.execute(
            "select column_name from information_schema.columns where table_schema='marts' and table_name=?",
            [table]).fetchall()]
        assert set(columns) <= set(have), (table, set(columns) - set(have))
        assert sample_con.execute(f"select count(*) from marts.{table}").fetchone()[0] > 0, table


def test_every_sample_report_lands_once(sample_con):
    files = sorted(p.name for p in SAMPLES.glob("*.txt"))
    landed = sorted(Path(r[0]).name for r in sample_con.execute("select source_file from marts.dim_report").fetchall())
    assert landed == files
    statuses = dict(sample_con.execute("select status, count(*) from marts.ingest_files group by 1").fetchall())
    assert statuses == {"landed": 5}


def test_evidence_is_the_exact_substring_of_the_original_text(sample_con):
    rows = sample_con.execute("""
        select f.evidence, substr(r.original_text, f.char_start + 1, f.char_end - f.char_start), f.char_start, f.char_end
        from marts.fct_report_indicators f join raw.reports r using (report_id)
        union all
        select c.evidence, substr(r.original_text, c.char_start + 1, c.char_end - c.char_start), c.char_start, c.char_end
        from raw.indicator_candidates c join raw.reports r using (report_id)
    """).fetchall()
    assert rows
    bad = [(ev, got) for ev, got, s, e in rows if ev != got or not ev]
    assert not bad, bad[:5]


def test_sample_metadata_matches_the_hand_checked_reports(sample_con):
    gold = {r["file"]: r for r in read_csv(FIXTURES / "sample_reports.csv")}
    rows = sample_con.execute("""
        select r.source_file, r.report_year, r.issuer_kind, j.name, j.adcode, r.doc_number, r.script, r.is_garbled
        from marts.dim_report r left join marts.dim_jurisdiction j using (jurisdiction_id)
    """).fetchall()
    for source, year, kind, name, adcode, doc_number, script, garbled in rows:
        g = gold[Path(source).name]
        assert str(year) == g["report_year"], source
        assert g["jurisdiction"] in (name or ""), (source, name)
        if g["adcode"]:
            assert adcode == g["adcode"], (source, adcode)
        assert kind == g["issuer_kind"], (source, kind)
        assert script == g["script"], source
        assert garbled == (g["garbled"] == "yes"), source
        if g["doc_number"]:
            assert doc_number == g["doc_number"], source


def _score(con) -> tuple[float, float]:
    gold = [g for g in read_csv(FIXTURES / "sample_gold.csv") if g["scope"] == "total"]
    facts = con.execute("select source_file, indicator_code, value from marts.fct_report_indicators").fetchall()
    used, tp = set(), 0
    for source, code, value in facts:
        for i, g in enumerate(gold):
            tol = 0.005 if g["unit"] == "percent" else 1e-6 * abs(float(g["value"])) + 1e-9
            if i not in used and g["file"] == Path(source).name and g["indicator"] == code \
                    and abs(value - float(g["value"])) <= tol:
                used.add(i)
                tp += 1
                break
    return tp / max(len(facts), 1), tp / len(gold)


def test_sample_facts_precision_and_recall(sample_con):
    precision, recall = _score(sample_con)
    assert precision >= 0.97 and recall >= 0.95, (precision, recall)


def test_duckdb_cli_opens_the_warehouse_read_only(sample_warehouse):
    cli = shutil.which("duckdb", path=str(Path(ROOT / ".venv" / "bin"))) or shutil.which("duckdb")
    assert cli, "the pinned duckdb CLI is not installed"
    out = subprocess.run([cli, "-readonly", str(sample_warehouse), "-csv", "-noheader", "-c",
                          "select count(*) from marts.fct_report_indicators"],
                         capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) > 0


def test_ingesting_the_same_files_twice_changes_no_counts(tmp_path):
    db = tmp_path / "w.duckdb"
    counts = []
    for _ in range(2):
        cli("ingest", str(SAMPLES), "--db", str(db), "--quiet")
        work = db.with_name("w.work.duckdb")
        con = duckdb.connect(str(work), read_only=True)
        counts.append(con.execute("""
            select (select count(*) from raw.reports), (select count(*) from raw.indicator_candidates),
                   (select count(distinct source_file) from raw.ingest_attempts)
        """).fetchone())
        con.close()
    assert counts[0] == counts[1]
    assert counts[0][0] == 5


@pytest.mark.slow
def test_run_prints_a_summary(tmp_path):
    proc = run_fazhi("run", "--db", str(tmp_path / "w.duckdb"), "--out", str(tmp_path / "out"))
    assert "reports landed: 5" in proc.stdout
    assert "jurisdictions:" in proc.stdout
    assert str(tmp_path / "w.duckdb") in proc.stdout


def test_export_writes_parquet_for_every_mart(sample_warehouse):
    out = sample_warehouse.parent / "export"
    assert (out / "dim_report.parquet").is_file()
    assert list((out / "fct_report_indicators").glob("report_year=*/*.parquet"))
    con = duckdb.connect()
    n = con.execute(f"select count(*) from read_parquet('{out}/fct_report_indicators/**/*.parquet', hive_partitioning=true)").fetchone()[0]
    assert n > 0


def test_a_missing_path_is_a_clear_error_not_a_crash(tmp_path):
    proc = cli("export", "--db", str(tmp_path / "nothing.duckdb"), check=False)
    assert proc.returncode != 0
    assert "no warehouse" in proc.stderr
    assert proc.stderr.count("\n") == 1
