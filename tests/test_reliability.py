"""Issue 14, the eight situations that lost or corrupted data, each reproduced with real processes:
an edited file, an inconsistent report, two ingests at once, stray files, NUL bytes and
encodings, a killed export, escape sequences and formulas, and the machine's own failures.
The report texts are written here (a small invented county report), never taken from the corpus.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import FAZHI, ROOT, nested_folders, remove_nested, run_fazhi

pytestmark = pytest.mark.slow


def report(county: str = "清河县", accepted: int = 520, resolved: int = 498, extra: str = "") -> str:
    rate = round(100 * resolved / accepted, 2)
    return (f"{county}人民政府关于2023年度法治政府建设情况的报告\n{county[:-1]}政〔2024〕7号\n\n"
            f"2023年，{county}全面推进依法行政。\n一、矛盾纠纷化解\n"
            f"{extra}全县人民调解组织共受理矛盾纠纷{accepted}件，调解成功{resolved}件，调解成功率{rate}%。\n"
            "二、行政复议\n全年共收到行政复议申请35件，审结29件。\n"
            f"{county}人民政府\n2024年2月10日\n")


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def fazhi(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return run_fazhi(*args, check=check, env={"FAZHI_DB": ""} | kwargs.pop("env", {}), **kwargs)


# 1 ------------------------------------------------------------------------------------------


def test_an_edited_report_supersedes_its_earlier_version_and_remove_takes_it_out(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "w.duckdb"
    docs.mkdir()
    (docs / "qinghe.txt").write_text(report(accepted=520), encoding="utf-8")
    (docs / "nanhe.txt").write_text(report("南和区", 300, 280), encoding="utf-8")
    fazhi("run", str(docs), "--db", str(db), "--quiet")
    old_id = query(db, "select report_id from marts.dim_report where source_file like '%qinghe%'")[0][0]

    (docs / "qinghe.txt").write_text(report(accepted=530), encoding="utf-8")  # corrected in place
    fazhi("run", str(docs), "--db", str(db), "--quiet")
    rows = query(db, "select report_id from marts.dim_report where source_file like '%qinghe%'")
    assert len(rows) == 1 and rows[0][0] != old_id
    assert query(db, "select mediation_cases_accepted from marts.fct_mediation where jurisdiction_id = '130534'") \
        == [(530.0,)]
    assert query(db, "select report_id, change, superseded_by, is_current_again from marts.dim_report_history") \
        == [(old_id, "superseded", rows[0][0], False)]

    (docs / "qinghe.txt").write_text(report(accepted=520), encoding="utf-8")  # the correction reverted
    fazhi("run", str(docs), "--db", str(db), "--quiet")
    assert query(db, "select report_id from marts.dim_report where source_file like '%qinghe%'") == [(old_id,)]
    assert query(db, "select report_id, is_current_again from marts.dim_report_history order by retired_at") \
        == [(old_id, True), (rows[0][0], False)]

    removed = fazhi("remove", str(docs / "nanhe.txt"), "--db", str(db))
    assert "removed" in removed.stdout
    fazhi("build", "--db", str(db), "--quiet")
    assert [r[0] for r in query(db, "select source_file from marts.dim_report")] == [str(docs / "qinghe.txt")]
    assert query(db, "select status from marts.ingest_files where source_file like '%nanhe%'") == [("removed",)]
    missing = fazhi("remove", "nowhere.txt", "--db", str(db), check=False)
    assert missing.returncode == 1 and "no current report matches nowhere.txt" in missing.stderr


# 2 ------------------------------------------------------------------------------------------


def test_an_inconsistent_report_is_named_and_left_out_not_a_failed_build(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "w.duckdb"
    docs.mkdir()
    (docs / "qinghe.txt").write_text(report(), encoding="utf-8")
    (docs / "nanhe.txt").write_text(report("南和区", 300, 360), encoding="utf-8")  # resolved > accepted
    proc = fazhi("run", str(docs), "--db", str(db))
    assert "data quality: 1 report(s)" in proc.stdout
    assert "nanhe.txt: mediation_cases_resolved 360.0 > mediation_cases_accepted 300.0" in proc.stdout
    checks = query(db, "select check_name, indicator_code from marts.fct_data_quality order by 1, 2")
    assert ("part_exceeds_whole", "mediation_cases_resolved") in checks
    assert ("rate_out_of_range", "mediation_success_rate") in checks
    assert query(db, "select count(*) from marts.fct_mediation where jurisdiction_id = '130505'") == [(0,)]
    assert query(db, "select count(*) from marts.fct_report_indicators where source_file like '%nanhe%' "
                     "and indicator_code = 'mediation_cases_resolved'") == [(1,)]  # what the report says

    strict = fazhi("build", "--db", str(db), "--strict", check=False)
    assert strict.returncode == 1
    assert "is_false_fct_data_quality_is_excluded" in strict.stderr and strict.stderr.count("\n") == 1


# 3 ------------------------------------------------------------------------------------------


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    counties = ["清河县", "南和区", "临城县", "内丘县", "柏乡县", "隆尧县", "宁晋县", "巨鹿县", "新河县", "广宗县"]
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(report(counties[i % 10], 400 + i, 300 + i), encoding="utf-8")


def test_two_ingests_at_once_wait_for_each_other_and_land_each_report_once(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "w.duckdb"
    _corpus(corpus, 120)
    env = {**os.environ, "FAZHI_DB": "", "FAZHI_INGEST_BATCH": "100000"}
    first = subprocess.Popen([*FAZHI, "ingest", str(corpus), "--db", str(db)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "w.duckdb.lock"
    deadline = time.time() + 60
    while not (lock.exists() and lock.read_text().strip()) and time.time() < deadline:
        time.sleep(0.05)
    second = subprocess.Popen([*FAZHI, "ingest", str(corpus), "--db", str(db)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "waiting for fazhi ingest (pid" in err2
    assert "120 unchanged" in out2
    work = tmp_path / "w.work.duckdb"
    assert query(work, "select count(*), count(distinct report_id) from raw.reports") == [(120, 120)]

    # --no-wait fails at once while a writer holds the warehouse
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from fazhi.warehouse.lock import writer_lock\n"
        f"with writer_lock(Path({str(db)!r}), 'test'):\n    print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    try:
        busy = fazhi("ingest", str(corpus), "--db", str(db), "--no-wait", check=False)
    finally:
        holder.kill()
        holder.wait()
    assert busy.returncode == 75 and "is being written by fazhi test (pid" in busy.stderr


def test_a_raw_layer_with_duplicates_from_an_older_fazhi_is_repaired(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "w.duckdb"
    _corpus(corpus, 3)
    fazhi("ingest", str(corpus), "--db", str(db), "--quiet")
    work = tmp_path / "w.work.duckdb"
    con = duckdb.connect(str(work))  # what two unlocked ingests left behind
    con.execute("insert into raw.reports select * from raw.reports")
    con.execute("insert into raw.indicator_candidates select * from raw.indicator_candidates")
    con.close()
    repaired = fazhi("repair", "--db", str(db))
    assert "3 duplicate report rows" in repaired.stdout
    assert query(work, "select count(*), count(distinct report_id) from raw.reports") == [(3, 3)]
    fazhi("build", "--db", str(db), "--quiet")
    assert query(db, "select count(*) from marts.dim_report") == [(3,)]


# 4 ------------------------------------------------------------------------------------------


def test_every_file_is_accounted_for_and_a_missing_path_is_an_error(tmp_path):
    docs, other, db = tmp_path / "docs", tmp_path / "other", tmp_path / "w.duckdb"
    docs.mkdir()
    other.mkdir()
    (docs / ".hidden.txt").write_text(report("南和区"), encoding="utf-8")
    (docs / "qinghe.txt").write_text(report(), encoding="utf-8")
    (docs / "notes.md").write_text("# 说明\n清河县共受理矛盾纠纷520件。\n", encoding="utf-8")
    (docs / "table.csv").write_text("县,件数\n清河县,520\n", encoding="utf-8")
    (other / "lincheng.txt").write_text(report("临城县"), encoding="utf-8")
    (docs / "linked").symlink_to(other)
    (docs / "loop").mkdir()
    (docs / "loop" / "up").symlink_to(docs)
    deep = docs / "deep"
    deep.mkdir()
    inner = nested_folders(deep, 1500)
    here = os.getcwd()
    try:
        os.chdir(deep)
        os.chdir(inner)
        Path("deep.txt").write_text(report("内丘县"), encoding="utf-8")
    finally:
        os.chdir(here)
    try:
        fazhi("ingest", str(docs), "--db", str(db), "--quiet")
    finally:
        remove_nested(deep)
    rows = dict(query(tmp_path / "w.work.duckdb",
                      "select regexp_extract(source_file, '[^/]+$'), status || ': ' || coalesce(reason, '') "
                      "from raw.ingest_attempts"))
    assert rows[".hidden.txt"].startswith("landed")
    assert rows["lincheng.txt"].startswith("landed")  # through the symlinked folder
    assert rows["deep.txt"].startswith("landed")
    assert rows["notes.md"].startswith("quarantined: unsupported Markdown note (.md)")
    assert rows["table.csv"].startswith("quarantined: unsupported table (CSV) (.csv)")
    assert rows["up"].startswith("quarantined: symlink loop")

    for command in (["ingest"], ["run"]):
        typo = fazhi(*command, str(tmp_path / "typo"), "--db", str(tmp_path / "t.duckdb"), check=False)
        assert typo.returncode == 2 and typo.stderr.startswith("fazhi: no such file or folder: ")
        assert typo.stderr.count("\n") == 1
        assert not list(tmp_path.glob("t.*"))  # nothing written


# 5 ------------------------------------------------------------------------------------------


def test_nul_bytes_are_removed_and_one_text_in_two_encodings_is_one_report(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "w.duckdb"
    docs.mkdir()
    text = report()
    (docs / "a_utf8.txt").write_text(text, encoding="utf-8")
    (docs / "b_gbk.txt").write_bytes(text.encode("gbk"))
    raw = report("南和区").encode()
    cut = raw.index("二、".encode())
    (docs / "c_nul.txt").write_bytes(raw[:cut] + b"\x00\x00" + raw[cut:] + b"\x00")
    fazhi("run", str(docs), "--db", str(db), "--quiet")
    files = {r[0].rsplit("/", 1)[1]: r[1:] for r in query(
        db, "select source_file, status, reason, duplicate_of from marts.ingest_files")}
    assert files["b_gbk.txt"][0] == "duplicate"
    assert files["b_gbk.txt"][2].endswith("a_utf8.txt") and "same text" in files["b_gbk.txt"][1]
    assert files["c_nul.txt"][:2] == ("landed", "removed 3 NUL bytes")
    assert query(db, "select count(*) from marts.dim_report") == [(2,)]


# 6 ------------------------------------------------------------------------------------------


def test_each_format_has_its_folder_and_a_killed_export_leaves_the_previous_one(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "fazhi.duckdb"
    docs.mkdir()
    (docs / "qinghe.txt").write_text(report(), encoding="utf-8")
    fazhi("run", str(docs), "--db", str(db), "--quiet")
    fazhi("export", "--db", str(db), "--format", "csv", "--quiet")
    parquet, csv = tmp_path / "export", tmp_path / "export-csv"
    assert not list(parquet.glob("*.csv")) and not list(csv.glob("*.parquet"))
    assert (parquet / "manifest.json").is_file() and (csv / "manifest.json").is_file()

    before = {p.relative_to(parquet): p.stat().st_mtime_ns for p in parquet.rglob("*")}
    proc = subprocess.Popen([*FAZHI, "export", "--db", str(db), "--quiet"], cwd=ROOT,
                            env={**os.environ, "FAZHI_DB": ""})
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:  # kill it once it has written files
        tmp = [p for p in tmp_path.glob(".export.tmp-*") if any(p.iterdir())]
        if tmp and len(list(tmp[0].iterdir())) >= 3:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    if proc.returncode != -signal.SIGKILL:
        pytest.skip("the export finished before it could be killed")
    assert {p.relative_to(parquet): p.stat().st_mtime_ns for p in parquet.rglob("*")} == before
    assert list(tmp_path.glob(".export.tmp-*"))  # the temporary of the killed run
    fazhi("export", "--db", str(db), "--quiet")
    assert not list(tmp_path.glob(".export.*"))  # cleaned by the next export


# 7 ------------------------------------------------------------------------------------------


def test_escape_sequences_never_reach_the_terminal_and_csv_cells_are_not_formulas(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "w.duckdb"
    docs.mkdir()
    (docs / "qinghe.txt").write_text(report(extra="\x1b]0;pwned\x07\x1b[2J\n-2+3"), encoding="utf-8")
    fazhi("run", str(docs), "--db", str(db), "--quiet")
    plain = fazhi("explain", "清河县", "2023", "mediation_cases_accepted", "--db", str(db))
    assert "\x1b" not in plain.stdout and "␛]0;pwned␇␛[2J" not in plain.stdout  # the sentence starts after
    shown = fazhi("explain", "清河县", "2023", "--db", str(db)).stdout
    assert "\x1b" not in shown and "\x07" not in shown
    if shutil.which("script"):  # on a terminal (rich): the same
        tty = subprocess.run(["script", "-qc", " ".join([*FAZHI, "explain", "清河县", "--db", str(db)]), "/dev/null"],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert "]0;pwned" not in tty.stdout.replace("␛]0;pwned", "")

    fazhi("export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "csv"), "--quiet")
    cells = (tmp_path / "csv" / "fct_report_indicators.csv").read_text(encoding="utf-8-sig")
    assert ",'-2+3全县" in cells and ",-2+3全县" not in cells
    fazhi("export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "raw"), "--csv-raw", "--quiet")
    assert ",-2+3全县" in (tmp_path / "raw" / "fct_report_indicators.csv").read_text(encoding="utf-8-sig")


# 8 ------------------------------------------------------------------------------------------


def _in_small_tmpfs(size: str, script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a shell script with a tmpfs of `size` at ./mnt, in a private mount namespace (no mount
    outlives it): as root `unshare -m`, else an unprivileged user namespace `unshare -rm`."""
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
        if probe.returncode == 0:
            full = f"mkdir -p mnt && mount -t tmpfs -o size={size} tmpfs mnt && {script}"
            return subprocess.run([*prefix, "sh", "-c", full], cwd=cwd, capture_output=True, text=True,
                                  timeout=600, env={**os.environ, "FAZHI_DB": ""})
    pytest.skip("no tmpfs: cannot mount one here (needs root or user namespaces)")


def test_a_full_disk_is_one_line_naming_the_place(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qinghe.txt").write_text(report(), encoding="utf-8")
    cli = " ".join(FAZHI)
    proc = _in_small_tmpfs("6m", f"cd {ROOT} && {cli} ingest {docs} --db {tmp_path}/mnt/w.duckdb --quiet && "
                                 f"{cli} build --db {tmp_path}/mnt/w.duckdb --quiet", tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1, proc.stderr[:2000]
    assert proc.stderr.startswith(f"fazhi: disk full: no space left on the device holding {tmp_path}/mnt")

    exported = _in_small_tmpfs("200k", f"cd {ROOT} && {cli} export --db {_built(tmp_path)} --out {tmp_path}/mnt/x",
                               tmp_path)
    assert exported.returncode == 1 and exported.stderr.count("\n") == 1
    assert exported.stderr.startswith("fazhi: disk full: no space left on the device holding")
    assert "cannot open the warehouse" not in exported.stderr


def _built(tmp_path: Path) -> Path:
    db = tmp_path / "built" / "w.duckdb"
    if not db.exists():
        docs = tmp_path / "docs"
        docs.mkdir(exist_ok=True)
        (docs / "qinghe.txt").write_text(report(), encoding="utf-8")
        fazhi("run", str(docs), "--db", str(db), "--quiet")
    return db


def test_ctrl_c_during_build_says_interrupted(tmp_path):
    db = _built(tmp_path)
    (tmp_path / "docs" / "nanhe.txt").write_text(report("南和区"), encoding="utf-8")
    fazhi("ingest", str(tmp_path / "docs"), "--db", str(db), "--quiet")
    proc = subprocess.Popen([*FAZHI, "build", "--db", str(db)], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "FAZHI_DB": ""})
    log = db.parent / ".dbt-target" / "logs" / "dbt.log"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:  # once dbt is running models
        if log.exists() and "Running with dbt" in log.read_text(errors="replace")[-200000:]:
            break
        time.sleep(0.1)
    time.sleep(2)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the build finished before Ctrl-C")
    assert proc.returncode == 130, err
    assert err.startswith("fazhi: interrupted by the user") and err.count("\n") == 1


def test_the_hint_names_the_real_cli_quoted_and_run_without_path_keeps_the_demo_apart(tmp_path):
    spaced = tmp_path / "my warehouse"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qinghe.txt").write_text(report(), encoding="utf-8")
    proc = fazhi("run", str(docs), "--db", str(spaced / "w.duckdb"))
    hint = proc.stdout.split("open read-only: ")[1].split(")\n")[0]
    cli, *rest = __import__("shlex").split(hint)
    assert Path(cli).is_file() and rest == ["-readonly", str(spaced / "w.duckdb")]

    mine = tmp_path / "fazhi.duckdb"
    shutil.copy(spaced / "w.duckdb", mine)
    project = tmp_path / "project"  # a project folder of its own, so the demo lands in it
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "warehouse", "bench", "target"))
    demo = run_fazhi("run", "--quiet", env={"FAZHI_DB": str(mine), "FAZHI_PROJECT_DIR": str(project)})
    assert demo.returncode == 0
    assert query(mine, "select count(*) from marts.dim_report") == [(1,)]  # untouched
    assert query(project / "warehouse" / "demo.duckdb", "select count(*) from marts.dim_report") == [(5,)]
