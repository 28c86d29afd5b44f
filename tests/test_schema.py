"""The raw schema has one source (fazhi.warehouse.schema): the tables ingest creates, the Arrow
batches it lands, the records the pipeline produces and dbt's sources all agree with it."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import duckdb

from fazhi.pipeline import process_bytes
from fazhi.records import Candidate
from fazhi.warehouse import land, schema

ROOT = Path(__file__).resolve().parents[1]
REPORT = "关于2024年法治政府建设情况的报告\n2024年，全区人民调解委员会共受理矛盾纠纷120件，调解成功118件。\n".encode()


def test_the_created_tables_are_the_schema(tmp_path):
    con = land.connect(tmp_path / "w.duckdb")
    try:
        for table in schema.TABLES:
            columns = con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' "
                "and table_name = ? order by ordinal_position", [table.name]).fetchall()
            assert [c for (c,) in columns] == table.names, table.name
    finally:
        con.close()


def test_a_processed_report_fills_exactly_the_schema_columns():
    processed = process_bytes(REPORT, "r.txt", "0" * 64)
    assert set(processed.report_row) == set(schema.REPORTS.names) - {"landed_at"}
    assert processed.candidates, "the test report has figures"
    assert [f.name for f in fields(Candidate)] == schema.CANDIDATES.names[2:]  # after report_id, candidate_seq


def test_a_landed_batch_reads_back(tmp_path):
    processed = process_bytes(REPORT, "r.txt", "1" * 64)
    con = land.connect(tmp_path / "w.duckdb")
    try:
        land.land_batch(con, [processed], [{"source_file": "r.txt", "sha256": "1" * 64, "status": "landed",
                                            "reason": None, "report_id": processed.report_id}])
        assert con.execute("select count(*) from raw.reports").fetchone()[0] == 1
        assert con.execute("select count(*) from raw.indicator_candidates").fetchone()[0] == len(processed.candidates)
        assert con.execute("select attempt_seq from raw.ingest_attempts").fetchone()[0] >= 1
    finally:
        con.close()


def test_dbt_sources_name_the_schema_tables():
    text = (ROOT / "models" / "staging" / "raw" / "_raw__sources.yml").read_text(encoding="utf-8")
    named = {line.split("name:")[1].strip() for line in text.splitlines()
             if line.strip().startswith("- name:")} - {"raw"}
    assert named == {t.name for t in schema.TABLES}
    con = duckdb.connect()
    con.execute(schema.SCHEMA_SQL)  # the DDL is valid on its own
    con.close()
