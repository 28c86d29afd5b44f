"""`fazhi export`: Parquet (zstd, facts partitioned by report_year), CSV with a BOM for Excel,
and manifest.json with the schema and row counts."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from conftest import cli

BOM = b"\xef\xbb\xbf"


def marts(con) -> dict[str, int]:
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
    return {n: con.execute(f'select count(*) from marts."{n}"').fetchone()[0] for n in names}


@pytest.fixture(scope="module")
def csv_export(sample_warehouse, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("csv")
    proc = cli("export", "--format", "csv", "--out", str(out), "--db", str(sample_warehouse), "--json")
    return out, json.loads(proc.stdout)


def read_bom_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(BOM), f"{path.name} has no UTF-8 BOM"
    assert not data[3:].startswith(BOM), "the BOM is written once"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_for_every_mart_with_a_bom_and_chinese_intact(csv_export, sample_con):
    out, summary = csv_export
    counts = marts(sample_con)
    assert summary["format"] == "csv" and summary["tables"] == counts
    for table, n in counts.items():
        rows = read_bom_csv(out / f"{table}.csv")
        assert len(rows) == n, table
    # round trip: every Chinese string comes back byte for byte
    reports = read_bom_csv(out / "dim_report.csv")
    db_reports = sample_con.execute("select report_id, title, issuer, doc_number from marts.dim_report").fetchall()
    by_id = {r["report_id"]: r for r in reports}
    for rid, title, issuer, doc_number in db_reports:
        assert by_id[rid]["title"] == (title or "")
        assert by_id[rid]["issuer"].encode("utf-8") == (issuer or "").encode("utf-8")
        assert by_id[rid]["doc_number"] == (doc_number or "")
    facts = read_bom_csv(out / "fct_report_indicators.csv")
    db_facts = sample_con.execute(
        "select report_id, indicator_code, evidence, value from marts.fct_report_indicators").fetchall()
    assert sorted((f["report_id"], f["indicator_code"], f["evidence"]) for f in facts) == \
        sorted((r, c, e) for r, c, e, _ in db_facts)
    values = {(r, c): v for r, c, _, v in db_facts}
    for f in facts:
        assert float(f["value"]) == pytest.approx(values[(f["report_id"], f["indicator_code"])])
    assert any("区" in f["evidence"] or "件" in f["evidence"] for f in facts)
    names = {r["name"] for r in read_bom_csv(out / "dim_jurisdiction.csv")}
    assert "洛江区" in names


def test_csv_reads_back_in_duckdb_as_excel_would(csv_export, sample_con):
    out, _ = csv_export
    con = duckdb.connect()
    got = con.execute(
        f"select name from read_csv('{out}/dim_jurisdiction.csv', header=true) where name = '洛江区'").fetchall()
    assert got == [("洛江区",)]
    header = (out / "dim_report.csv").read_bytes()[:40].decode("utf-8-sig")
    assert header.startswith("report_id,")


def test_manifest_has_the_schema_and_row_counts(csv_export, sample_con):
    out, _ = csv_export
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts = marts(sample_con)
    assert manifest["format"] == "csv"
    assert set(manifest["tables"]) == set(counts)
    for table, entry in manifest["tables"].items():
        assert entry["rows"] == counts[table]
        columns = sample_con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position", [table]).fetchall()
        assert [(c["name"], c["type"]) for c in entry["columns"]] == columns
        assert (out / entry["path"]).exists()


def test_parquet_is_zstd_and_facts_are_partitioned_by_report_year(sample_warehouse, sample_con):
    out = sample_warehouse.parent / "export"  # written by `fazhi run` in the session fixture
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "parquet"
    con = duckdb.connect()
    files = list(out.rglob("*.parquet"))
    assert files
    codecs = {r[0] for r in con.execute(
        f"select distinct compression from parquet_metadata('{out}/**/*.parquet')").fetchall()}
    assert codecs == {"ZSTD"}, codecs
    years = {r[0] for r in sample_con.execute("select distinct report_year from marts.fct_report_indicators").fetchall()}
    assert {p.name for p in (out / "fct_report_indicators").iterdir()} == {f"report_year={y}" for y in years}
    assert manifest["tables"]["fct_report_indicators"]["partition_by"] == ["report_year"]
    for table, entry in manifest["tables"].items():
        if table.startswith("fct_") and any(c["name"] == "report_year" for c in entry["columns"]):
            assert entry["partition_by"] == ["report_year"], table
        if entry.get("partition_by"):  # declared in the model's meta (report_sentences too)
            assert (out / table).is_dir(), table
        else:
            assert (out / f"{table}.parquet").is_file(), table
    got = con.execute(
        f"select report_id, indicator_code, value, evidence, report_year from read_parquet("
        f"'{out}/fct_report_indicators/**/*.parquet', hive_partitioning=true)").fetchall()
    want = sample_con.execute(
        "select report_id, indicator_code, value, evidence, report_year from marts.fct_report_indicators").fetchall()
    assert sorted(got) == sorted(want)


def test_re_export_replaces_files_and_leaves_no_temporaries(sample_warehouse, tmp_path):
    for _ in range(2):
        proc = cli("export", "--out", str(tmp_path), "--db", str(sample_warehouse))
        assert "export:" in proc.stdout
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name or p.name.endswith(".old")]
    con = duckdb.connect()
    n = con.execute(f"select count(*) from read_parquet('{tmp_path}/fct_report_indicators/**/*.parquet')").fetchone()[0]
    src = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        assert n == src.execute("select count(*) from marts.fct_report_indicators").fetchone()[0]
    finally:
        src.close()


def test_an_unknown_format_is_a_one_line_error(sample_warehouse, tmp_path):
    proc = cli("export", "--format", "xlsx", "--out", str(tmp_path), "--db", str(sample_warehouse), check=False)
    assert proc.returncode != 0
    assert "unknown format" in proc.stderr and proc.stderr.count("\n") == 1
