"""The pieces behind issue 14, in-process and fast: the walker, the format list, NUL repair, the
writer lock, report versions, terminal-safe text, honest I/O errors, the folder swap, CSV guard."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import nested_folders, remove_nested

from fazhi import pipeline
from fazhi.messages import describe_io_failure, terminal_safe
from fazhi.read import decode_bytes
from fazhi.read.formats import unsupported_reason
from fazhi.read.walk import walk
from fazhi.warehouse.export import csv_guard_sql
from fazhi.warehouse.lock import WarehouseBusy, writer_lock
from fazhi.warehouse.swap import clean_stale_temporaries, replace_folder, temporary_sibling

TEXT = "清河县人民政府关于2023年度法治政府建设情况的报告\n全县人民调解组织共受理矛盾纠纷{n}件，调解成功{m}件。\n"


def test_the_walk_lists_hidden_files_follows_links_once_and_reports_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".hidden.txt").write_text("x")
    (tmp_path / "a" / "b.txt").write_text("x")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.txt").write_text("x")
    (tmp_path / "a" / "link").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "a" / "back").symlink_to(tmp_path / "a")
    listed = list(walk([tmp_path / "a", tmp_path / "a", tmp_path / "elsewhere"]))
    files = [Path(e.path).name for e in listed if not e.problem]
    assert files == [".hidden.txt", "b.txt", "c.txt"]
    problems = {Path(e.path).name: e.problem for e in listed if e.problem}
    assert problems["back"].startswith("symlink loop")
    assert problems["elsewhere"].startswith("folder already walked as")


def test_the_walk_goes_deeper_than_the_recursion_limit(tmp_path):
    top = tmp_path / "top"
    top.mkdir()
    inner = nested_folders(top, sys.getrecursionlimit() + 100)
    here = os.getcwd()
    try:
        os.chdir(top)
        os.chdir(inner)
        Path("deep.txt").write_text("x")
        os.chdir(here)
        assert [Path(e.path).name for e in walk([top])] == ["deep.txt"]
    finally:
        os.chdir(here)
        remove_nested(top)


@pytest.mark.parametrize(("name", "read"), [
    ("a.txt", True), ("a.HTM", True), ("index.shtml", True), ("no_extension", True), ("报告(2023.12)", True),
    ("scan.pdf", True), ("scan.TIF", True), ("a.docx", True),
    ("notes.md", False), ("table.csv", False), ("sheet.xlsx", False), ("x.foo", False),
])
def test_one_list_of_supported_extensions_decides_what_is_read(name, read):
    assert (unsupported_reason(name) is None) == read


def test_a_few_nul_bytes_are_removed_and_named_but_a_binary_stays_out():
    data = TEXT.format(n=520, m=498).encode()
    decoded = decode_bytes(data[:30] + b"\x00\x00" + data[30:] + b"\x00", "r.txt")
    assert decoded.text == data.decode() and decoded.notes == ("removed 3 NUL bytes",)
    with pytest.raises(ValueError, match=r"NUL|binary"):
        decode_bytes(b"\x00\x01\x02\x03" * 400 + data, "r.txt")


def test_a_second_writer_waits_with_a_message_or_fails_fast(tmp_path):
    db = tmp_path / "w.duckdb"
    messages: list[str] = []
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from fazhi.warehouse.lock import writer_lock\n"
        f"with writer_lock(Path({str(db)!r}), 'ingest'):\n    print('held', flush=True); time.sleep(1.5)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(WarehouseBusy, match=r"being written by fazhi ingest \(pid \d+"), \
            writer_lock(db, "build", wait=False):
        pass
    t0 = time.perf_counter()
    with writer_lock(db, "build", notify=messages.append, poll=0.05), writer_lock(db, "nested"):
        waited = time.perf_counter() - t0
    holder.wait()
    assert waited > 0.3 and len(messages) == 1 and messages[0].startswith("waiting for fazhi ingest (pid")


@pytest.mark.parametrize("command", [["build"], ["remove", "r.txt"], ["repair"]])
def test_a_command_on_a_mistyped_warehouse_folder_fails_and_creates_nothing(tmp_path, command):
    from conftest import cli

    db = tmp_path / "typo" / "w.duckdb"
    result = cli(*command, "--db", str(db), check=False)
    assert result.returncode == 1
    assert result.stderr == f"fazhi: no warehouse at {db}: nothing to {command[0]}\n"
    assert not (tmp_path / "typo").exists()  # no folder, no lock file


def test_the_lock_is_released_by_an_exception():
    db = Path("/tmp") / f"fazhi-lock-test-{os.getpid()}.duckdb"
    with pytest.raises(RuntimeError), writer_lock(db, "x"):
        raise RuntimeError
    with writer_lock(db, "y", wait=False):
        pass
    Path(str(db) + ".lock").unlink()


def test_an_edited_file_supersedes_and_a_copy_keeps_the_old_version(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "w.duckdb"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT.format(n=520, m=498), encoding="utf-8")
    (docs / "b.txt").write_bytes(TEXT.format(n=300, m=280).encode("gbk"))
    (docs / "c.txt").write_text(TEXT.format(n=300, m=280), encoding="utf-8")  # b's text in UTF-8
    first = pipeline.ingest(db, [docs], workers=1)
    assert (first.landed, first.duplicate) == (2, 1)
    (docs / "a.txt").write_text(TEXT.format(n=530, m=498), encoding="utf-8")
    (docs / "b.txt").write_text(TEXT.format(n=310, m=280), encoding="utf-8")
    second = pipeline.ingest(db, [docs], workers=1)
    assert (second.landed, second.superseded) == (2, 1)  # a's old version goes; b's lives on in c
    con = duckdb.connect(str(db), read_only=True)
    try:
        current = dict(con.execute("select source_file, report_id from raw.reports").fetchall())
        history = con.execute("select source_file, change from raw.report_history").fetchall()
    finally:
        con.close()
    assert sorted(Path(f).name for f in current) == ["a.txt", "b.txt", "c.txt"]
    assert [(Path(f).name, c) for f, c in history] == [("a.txt", "superseded")]


def test_landing_the_same_report_twice_keeps_one_copy(tmp_path):
    from fazhi.warehouse import land

    processed = pipeline.process_bytes(TEXT.format(n=1, m=1).encode(), "r.txt", "2" * 64)
    con = land.connect(tmp_path / "w.duckdb")
    try:
        for _ in range(2):  # as two writers that both believed the report new would
            land.land_batch(con, [processed], [{"source_file": "r.txt", "sha256": "2" * 64, "status": "landed",
                                                "report_id": processed.report_id}], replace_ids=[])
        assert con.execute("select count(*) from raw.reports").fetchone()[0] == 1
        assert con.execute("select count(*) from raw.indicator_candidates").fetchone()[0] == len(processed.candidates)
    finally:
        con.close()


def test_terminal_text_shows_controls_one_symbol_each():
    text = "共受理\x1b]0;x\x07\x1b[2J\u202e520件\t\n"
    safe = terminal_safe(text)
    assert len(safe) == len(text) and safe == "共受理␛]0;x␇␛[2J\ufffd520件\t\n"


def test_io_failures_name_the_problem_and_the_place(tmp_path):
    assert describe_io_failure(OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "f"))) \
        == f"disk full: no space left on the device holding {tmp_path}"
    assert describe_io_failure('IO Error: Could not write file "/x/y.tmp": Read-only file system') \
        == "cannot write /x/y.tmp: the file system is read-only"
    assert describe_io_failure("Binder Error: no such column") is None


def test_a_folder_is_replaced_whole_and_leftovers_of_dead_runs_go(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.parquet").write_text("old")
    new = temporary_sibling(target)
    (new / "new.parquet").write_text("new")
    replace_folder(new, target)
    assert [p.name for p in target.iterdir()] == ["new.parquet"]
    dead = tmp_path / ".out.tmp-999999999"
    dead.mkdir()
    assert clean_stale_temporaries(target) == [dead] and not dead.exists()


def test_csv_cells_that_start_like_formulas_get_a_quote():
    con = duckdb.connect()
    rows = con.execute(f"select {csv_guard_sql('x')} from (values ('=1+1'), ('-2+3件'), ('@A'), ('共受理'), "
                       "(null)) t(x)").fetchall()
    assert [r[0] for r in rows] == ["'=1+1", "'-2+3件", "'@A", "共受理", None]


def test_a_reader_pointed_at_no_warehouse_is_told_where_the_demo_is(tmp_path, monkeypatch):
    from conftest import cli

    import fazhi.paths

    demo = tmp_path / "warehouse" / "demo.duckdb"
    monkeypatch.setattr(fazhi.paths, "demo_db", lambda: demo)
    mine = tmp_path / "warehouse" / "fazhi.duckdb"
    for command in (["explain", "清河县"], ["search", "调解"], ["export"], ["report"]):
        assert cli(*command, "--db", str(mine), check=False).stderr \
            == f"fazhi: no warehouse at {mine}: run `fazhi run PATH` or `fazhi build` first\n"
    demo.parent.mkdir()
    demo.touch()  # what `make run` (fazhi run without PATH) built
    shown = cli("explain", "清河县", "--db", str(mine), check=False)
    assert shown.returncode == 1
    assert f"(the demo of the bundled samples is at {demo}: --db {demo})" in shown.stderr


def test_parquet_goes_to_the_contracts_default_folder_and_csv_to_its_own():
    from fazhi.paths import default_export_dir

    db = Path("/data/warehouse/fazhi.duckdb")
    assert default_export_dir(db) == Path("/data/warehouse/export")  # CONTRACT.md: warehouse/export/
    assert default_export_dir(db, "csv") == Path("/data/warehouse/export-csv")
    demo = Path("/data/warehouse/demo.duckdb")
    assert {default_export_dir(demo), default_export_dir(demo, "csv")}.isdisjoint(
        {default_export_dir(db), default_export_dir(db, "csv")})
