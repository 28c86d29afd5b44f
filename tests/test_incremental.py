"""Incremental, parallel ingest: already-landed files cost a hash, new ones are processed once,
the process pool lands exactly what a single process lands, a changed extractor re-extracts
everything without duplicates, and a file that kills its worker is quarantined, not fatal."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLES, cli, run_fazhi

sys.path.insert(0, str(ROOT / "scripts"))
import synth_corpus

from fazhi import pipeline


def _corpus(base: Path, n: int, start: int = 0) -> Path:
    synth_corpus.generate(base, n, seed=3, start=start)
    return base / "reports"


def _tables(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "reports": con.execute(
                "select report_id, sha256, source_file, char_count, title, issuer, jurisdiction_id, "
                "report_year, extractor_version from raw.reports order by all").fetchall(),
            "candidates": con.execute(
                "select report_id, candidate_seq, indicator_code, value, unit, qualifier, scope, "
                "char_start, char_end, confidence from raw.indicator_candidates order by all").fetchall(),
            "places": con.execute("select * from raw.places order by all").fetchall(),
            "files": con.execute("""
                select source_file, sha256, status, reason, report_id from raw.ingest_attempts
                qualify row_number() over (partition by source_file order by attempt_seq desc) = 1
                order by all""").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture()
def count_processing(monkeypatch):
    """Counts the files that go through extraction (serial ingest: in this process)."""
    calls: list[str] = []
    real = pipeline.process_bytes

    def counting(data, source_file, sha256, **kwargs):
        calls.append(source_file)
        return real(data, source_file, sha256, **kwargs)

    monkeypatch.setattr(pipeline, "process_bytes", counting)
    return calls


def test_adding_reports_costs_only_the_new_ones(tmp_path, count_processing):
    reports = _corpus(tmp_path / "c", 30)
    db = tmp_path / "w.duckdb"
    first = pipeline.ingest(db, [reports], workers=1)
    assert (first.landed, first.unchanged) == (30, 0)
    assert len(count_processing) == 30
    synth_corpus.generate(tmp_path / "c", 3, seed=3, start=30)  # +10%
    count_processing.clear()
    second = pipeline.ingest(db, [reports], workers=1)
    assert (second.files, second.landed, second.unchanged, second.quarantined) == (33, 3, 30, 0)
    assert sorted(Path(p).name[:7] for p in count_processing) == ["0000030", "0000031", "0000032"]
    count_processing.clear()
    third = pipeline.ingest(db, [reports], workers=1)
    assert (third.landed, third.unchanged) == (0, 33)
    assert count_processing == []
    t = _tables(db)
    assert len(t["reports"]) == 33 and len({r[0] for r in t["reports"]}) == 33
    assert {s for _, _, s, _, _ in t["files"]} == {"landed"}


def test_the_pool_lands_exactly_what_one_process_lands(tmp_path):
    reports = _corpus(tmp_path / "c", 40)
    shutil.copytree(SAMPLES, reports / "samples")
    shutil.copy(SAMPLES / "000_a44ea1f110f4de42.txt", reports / "zz_same_bytes.txt")
    (reports / "zz_empty.txt").write_bytes(b"")
    serial = pipeline.ingest(tmp_path / "one.duckdb", [reports], workers=1)
    pooled = pipeline.ingest(tmp_path / "two.duckdb", [reports], workers=2)
    assert (serial.landed, serial.duplicate, serial.quarantined) == (45, 1, 1)
    assert (pooled.landed, pooled.duplicate, pooled.quarantined, pooled.candidates) == \
        (serial.landed, serial.duplicate, serial.quarantined, serial.candidates)
    assert _tables(tmp_path / "one.duckdb") == _tables(tmp_path / "two.duckdb")


def test_a_changed_extractor_re_extracts_every_report_once(tmp_path, monkeypatch, count_processing):
    reports = _corpus(tmp_path / "c", 12)
    db = tmp_path / "w.duckdb"
    pipeline.ingest(db, [reports], workers=1)
    before = _tables(db)
    monkeypatch.setattr(pipeline, "extractor_version", lambda: "changed-rule")
    count_processing.clear()
    summary = pipeline.ingest(db, [reports], workers=1)
    assert summary.landed == 12 and len(count_processing) == 12
    after = _tables(db)
    assert len(after["reports"]) == 12
    assert {r[-1] for r in after["reports"]} == {"changed-rule"}
    assert [r[:-1] for r in after["reports"]] == [r[:-1] for r in before["reports"]]
    assert after["candidates"] == before["candidates"]


def test_a_file_that_kills_its_worker_is_quarantined_and_the_rest_land(tmp_path, monkeypatch):
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs fork: the workers inherit the patched function")
    reports = _corpus(tmp_path / "c", 24)
    bomb = reports / "0000" / "0000007_bomb.txt"
    bomb.write_bytes(next(SAMPLES.glob("001_*.txt")).read_bytes() + b"\n")
    real = pipeline.process_bytes

    def crashing(data, source_file, sha256, **kwargs):
        if "bomb" in source_file:
            os._exit(3)  # a segfault in a C extension, the OOM killer ...
        return real(data, source_file, sha256, **kwargs)

    monkeypatch.setattr(pipeline, "process_bytes", crashing)
    summary = pipeline.ingest(tmp_path / "w.duckdb", [reports], workers=2)
    assert (summary.files, summary.landed, summary.quarantined) == (25, 24, 1)
    assert summary.quarantine_reasons == [(str(bomb), "the worker process died while reading this file")]


def test_cli_reingest_reports_unchanged_files(tmp_path):
    reports = _corpus(tmp_path / "c", 20)
    db = tmp_path / "w.duckdb"
    cli("ingest", str(reports), "--db", str(db), "--quiet")
    synth_corpus.generate(tmp_path / "c", 2, seed=3, start=20)
    import json

    out = json.loads(cli("ingest", str(reports), "--db", str(db), "--json").stdout)
    assert (out["files"], out["landed"], out["unchanged"]) == (22, 2, 20)


def test_a_warehouse_with_the_old_primary_keys_is_migrated(tmp_path):
    """raw.reports / raw.indicator_candidates used to carry PRIMARY KEYs (slow landing at scale);
    an existing warehouse is rebuilt without them on the next ingest, rows and views intact."""
    from fazhi.warehouse.land import connect

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("""
        create schema raw;
        create table raw.reports (report_id varchar primary key, sha256 varchar not null,
            source_file varchar not null, original_text varchar not null, extractor_version varchar);
        create table raw.indicator_candidates (report_id varchar not null, candidate_seq integer not null,
            indicator_code varchar not null, value double, primary key (report_id, candidate_seq));
        insert into raw.reports values ('r1', 'aa', 'a.txt', '全区受理5件', 'v0');
        insert into raw.indicator_candidates values ('r1', 0, 'mediation_cases_accepted', 5);
        create schema staging;
        create view staging.stg as select * from raw.reports;
    """)
    con.close()
    con = connect(db)
    try:
        keys = con.execute("select table_name from duckdb_constraints() where schema_name = 'raw' "
                           "and constraint_type = 'PRIMARY KEY'").fetchall()
        assert keys == [("places",)]
        assert con.execute("select report_id, sha256, source_file, extractor_version from raw.reports").fetchall() == \
            [("r1", "aa", "a.txt", "v0")]
        assert con.execute("select report_id, value from raw.indicator_candidates").fetchall() == [("r1", 5.0)]
        assert con.execute("select count(*) from staging.stg").fetchone() == (1,)
    finally:
        con.close()
    pipeline.ingest(db, [SAMPLES], workers=1)  # and it ingests normally afterwards
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from raw.reports").fetchone() == (6,)
    con.close()


def test_a_file_given_twice_is_one_file(tmp_path):
    """`fazhi ingest DIR DIR/a.txt`: a.txt is one file, landed once, not a duplicate of itself."""
    one = next(SAMPLES.glob("000_*.txt"))
    summary = pipeline.ingest(tmp_path / "w.duckdb", [SAMPLES, one, SAMPLES], workers=1)
    assert (summary.files, summary.landed, summary.duplicate) == (5, 5, 0)


@pytest.mark.slow
def test_an_incremental_dbt_build_equals_a_full_one(tmp_path):
    """int_candidates_ranked re-ranks only reports landed since the last build: building in two
    steps must give the same marts as building once."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(sorted(SAMPLES.glob("*.txt"))):
        shutil.copy(path, (first if i < 2 else second) / path.name)
    stepwise, once = tmp_path / "stepwise.duckdb", tmp_path / "once.duckdb"
    run_fazhi("run", str(first), "--db", str(stepwise), "--out", str(tmp_path / "e1"), "--quiet")
    run_fazhi("run", str(first), str(second), "--db", str(stepwise), "--out", str(tmp_path / "e2"), "--quiet")
    run_fazhi("run", str(first), str(second), "--db", str(once), "--out", str(tmp_path / "e3"), "--quiet")
    query = """select r.sha256, f.indicator_code, f.value, f.qualifier, f.evidence
               from marts.fct_report_indicators f join marts.dim_report r using (report_id) order by all"""
    ranked = "select candidate_id, candidate_rank from intermediate.int_candidates_ranked order by all"
    results = []
    for db in (stepwise, once):
        con = duckdb.connect(str(db), read_only=True)
        results.append((con.execute(query).fetchall(), con.execute(ranked).fetchall()))
        con.close()
    assert results[0] == results[1]
    assert len(results[0][0]) > 40
