"""Rebuild while serving: readers holding the serving file never block a rebuild and never see a
half-built warehouse; a failed build leaves the previous warehouse serving, byte for byte."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLES, run_fazhi

pytestmark = pytest.mark.slow

SNAPSHOT_SQL = """
select (select count(*) from marts.dim_report),
       (select count(*) from marts.fct_report_indicators),
       (select count(*) from marts.fct_jurisdiction_year),
       (select count(*) from marts.ingest_files),
       (select count(*) from raw.reports)
"""

# A reader as a BI tool or a CLI session is one: its own process, read-only.
#   hold:  one connection opened at start and kept; query it again and again
#   fresh: a new connection for every query (what a new dashboard load does)
READER = r"""
import json, os, sys, time
import duckdb
db, mode, stop, out = sys.argv[1:5]
sql = sys.argv[5]
held = duckdb.connect(db, read_only=True) if mode == "hold" else None
with open(out, "w") as log:
    while not os.path.exists(stop):
        t = time.time()
        try:
            con = held or duckdb.connect(db, read_only=True)
            row = list(con.execute(sql).fetchone())
            if held is None:
                con.close()
            rec = {"t": t, "counts": row}
        except Exception as exc:  # any error is a failure of the serving promise
            rec = {"t": t, "error": f"{type(exc).__name__}: {exc}"}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        time.sleep(0.03)
"""


def snapshot(db: Path) -> list[int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return list(con.execute(SNAPSHOT_SQL).fetchone())
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _wait_for_lines(path: Path, n: int, timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if path.exists() and len(path.read_text().splitlines()) >= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"reader wrote no output to {path}")


def test_rebuild_while_readers_hold_the_warehouse(tmp_path):
    first, more = tmp_path / "first", tmp_path / "more"
    first.mkdir()
    more.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for p in samples[:3]:
        shutil.copy(p, first / p.name)
    for p in samples[3:]:
        shutil.copy(p, more / p.name)
    # a re-issue of a report with a line added, in another encoding: one more report, more facts
    # (the same text in another encoding would be a duplicate of it, not a report)
    text = samples[1].read_text(encoding="utf-8") + "\n附件：本报告的修订说明。\n"
    (more / "gb18030_reissue.txt").write_bytes(text.encode("gb18030"))

    db = tmp_path / "wh" / "fazhi.duckdb"
    run_fazhi("run", str(first), "--db", str(db), "--out", str(tmp_path / "export"), "--quiet")
    old = snapshot(db)
    assert old[0] == 3

    stop = tmp_path / "stop"
    logs = {mode: tmp_path / f"reader-{mode}.jsonl" for mode in ("hold", "fresh")}
    readers = {
        mode: subprocess.Popen([sys.executable, "-c", READER, str(db), mode, str(stop), str(log), SNAPSHOT_SQL])
        for mode, log in logs.items()
    }
    # and one more reader in this very process, holding its connection across the rebuild
    here = duckdb.connect(str(db), read_only=True)
    try:
        for log in logs.values():
            _wait_for_lines(log, 3)
        started = time.time()
        proc = run_fazhi("run", str(more), "--db", str(db), "--out", str(tmp_path / "export"), check=False)
        finished = time.time()
        assert proc.returncode == 0, proc.stderr
        assert "reports landed: 6" in proc.stdout, proc.stdout
        time.sleep(0.5)  # let the fresh reader open the new file a few times
        assert list(here.execute(SNAPSHOT_SQL).fetchone()) == old  # a held connection keeps its version
    finally:
        stop.touch()
        for r in readers.values():
            r.wait(timeout=30)
        here.close()

    new = snapshot(db)
    assert new[0] == 6 and new[1] > old[1], (old, new)

    held = _read_log(logs["hold"])
    fresh = _read_log(logs["fresh"])
    assert not [r for r in held + fresh if "error" in r], [r for r in held + fresh if "error" in r][:3]
    during = [r for r in fresh if started <= r["t"] <= finished]
    assert len(during) >= 20, f"the fresh reader queried only {len(during)} times during the rebuild"
    # never a partial warehouse: every observation is exactly the old or the new complete set
    assert {tuple(r["counts"]) for r in fresh} <= {tuple(old), tuple(new)}
    assert tuple(fresh[0]["counts"]) == tuple(old)
    assert tuple(fresh[-1]["counts"]) == tuple(new), "a new connection after the rebuild must see the new warehouse"
    # the held connection never changed under its reader, and never blocked the rebuild
    assert {tuple(r["counts"]) for r in held} == {tuple(old)}
    assert any(r["t"] > finished for r in held)
    # no leftovers of the publish step
    assert not list(db.parent.glob("*.publish"))


def _project_copy(tmp_path: Path) -> Path:
    """A copy of the dbt project that FAZHI_PROJECT_DIR can point at."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, project / name)
    for name in ("models", "macros", "seeds"):
        shutil.copytree(ROOT / name, project / name)
    if (ROOT / "tests" / "dbt").is_dir():  # dbt's singular tests (may be empty, so untracked)
        shutil.copytree(ROOT / "tests" / "dbt", project / "tests" / "dbt")
    (project / "tests" / "dbt").mkdir(parents=True, exist_ok=True)
    return project


@pytest.mark.parametrize("breakage", ["failing_data_test", "bad_sql_model"])
def test_a_failed_build_leaves_the_previous_warehouse_serving(sample_warehouse, tmp_path, breakage):
    db = tmp_path / "fazhi.duckdb"
    shutil.copy(sample_warehouse, db)
    before_hash, before = sha256(db), snapshot(db)
    project = _project_copy(tmp_path)
    if breakage == "failing_data_test":
        # the models build fine, a data test fails: the built warehouse must not be published
        (project / "tests" / "dbt" / "assert_always_fails.sql").write_text(
            "select report_id from {{ ref('dim_report') }}\n")
    else:
        (project / "models" / "intermediate" / "int_zz_broken.sql").write_text(
            "select * from this_table_does_not_exist\n")

    reader = duckdb.connect(str(db), read_only=True)  # a reader is connected while the build fails
    try:
        proc = run_fazhi("build", "--db", str(db), check=False, env={"FAZHI_PROJECT_DIR": str(project)})
        assert list(reader.execute(SNAPSHOT_SQL).fetchone()) == before
    finally:
        reader.close()

    assert proc.returncode != 0
    assert "previous warehouse keeps serving" in proc.stderr, proc.stderr
    assert str(db) in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    expected = "assert_always_fails" if breakage == "failing_data_test" else "int_zz_broken"
    assert expected in proc.stderr
    assert sha256(db) == before_hash, "a failed build changed the serving file"
    assert snapshot(db) == before
    assert not list(tmp_path.glob("*.publish"))


def test_a_build_with_nothing_ingested_is_a_clear_error(tmp_path):
    proc = run_fazhi("build", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert proc.returncode != 0
    assert "nothing to build" in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert not (tmp_path / "none.duckdb").exists()


def test_publish_replaces_the_file_atomically_and_removes_a_stale_wal(tmp_path):
    """Unit level: publish() renames a checked copy over the serving file; a WAL left behind by an
    earlier read-write session of the old file is not replayed onto the new one."""
    from fazhi.warehouse.build import publish

    work, serving = tmp_path / "w.work.duckdb", tmp_path / "w.duckdb"
    for path, n in ((work, 2), (serving, 1)):
        con = duckdb.connect(str(path))
        con.execute("create schema marts; create table marts.dim_report as select range as id from range(?)", [n])
        con.close()
    (tmp_path / "w.duckdb.wal").write_bytes(b"stale")
    reader = duckdb.connect(str(serving), read_only=True)
    try:
        publish(work, serving)
        assert reader.execute("select count(*) from marts.dim_report").fetchone()[0] == 1
    finally:
        reader.close()
    assert not (tmp_path / "w.duckdb.wal").exists()
    assert not (tmp_path / "w.duckdb.publish").exists()
    con = duckdb.connect(str(serving), read_only=True)
    assert con.execute("select count(*) from marts.dim_report").fetchone()[0] == 2
    con.close()


def test_publish_refuses_while_another_process_writes_the_serving_file(tmp_path):
    from fazhi.warehouse.build import BuildFailed, publish

    work, serving = tmp_path / "w.work.duckdb", tmp_path / "w.duckdb"
    for path in (work, serving):
        con = duckdb.connect(str(path))
        con.execute("create schema marts; create table marts.dim_report(id int)")
        con.close()
    before = sha256(serving)
    writer = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(serving)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        with pytest.raises(BuildFailed, match="open read-write by another process"):
            publish(work, serving)
    finally:
        writer.kill()
        writer.wait()
    assert sha256(serving) == before
    assert os.path.exists(work)
