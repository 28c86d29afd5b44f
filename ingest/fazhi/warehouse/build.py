"""Stage "build": run the dbt project on the working database, then atomically replace the
serving file.

Readers (the DuckDB CLI, a notebook, a BI tool) open the serving file `fazhi.duckdb`, read-only.
Ingest and dbt only ever write the working file `fazhi.work.duckdb` next to it, so a reader never
blocks a build and never sees a half-built warehouse. When `dbt build` (models and their data
tests) has passed, the working file is checkpointed, copied next to the serving file, fsynced,
checked, and renamed over the serving file (`os.replace`: atomic on POSIX and Windows). A reader
that had the old file open keeps reading the old version until it reconnects; a new connection
sees the new one. A failed build publishes nothing: the previous warehouse keeps serving.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from fazhi.messages import one_line
from fazhi.paths import project_dir, work_db
from fazhi.warehouse.corrections import corrections_path, load_into


class BuildFailed(RuntimeError):
    """dbt build failed, or the result could not be published; the previous warehouse keeps serving."""


@dataclass(slots=True)
class BuildResult:
    models: int
    tests: int
    warnings: int
    serving: Path


def prepare_work_db(serving: Path) -> Path:
    """The working copy ingest and dbt write into; seeded from the serving file if missing.

    The seed copy goes through a temporary name, so an interrupted copy never leaves a truncated
    working file behind."""
    work = work_db(serving)
    work.parent.mkdir(parents=True, exist_ok=True)
    if not work.exists() and serving.exists():
        tmp = work.with_name(work.name + ".seed")
        shutil.copyfile(serving, tmp)
        os.replace(tmp, work)
    return work


def run_dbt(args: list[str], db: Path):
    """dbt in-process against `db`; returns the dbtRunnerResult."""
    from dbt.cli.main import dbtRunner

    project = project_dir()
    os.environ["FAZHI_DBT_PATH"] = str(db.resolve())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    target = db.parent / ".dbt-target"
    # dbt's console log would garble our stdout (and --json): it goes to the log file only.
    # FAZHI_DBT_LOG_LEVEL=info shows it on the console again.
    console_level = os.environ.get("FAZHI_DBT_LOG_LEVEL", "none")
    try:
        return dbtRunner().invoke(
            [*args, "--project-dir", str(project), "--profiles-dir", str(project),
             "--target-path", str(target), "--log-path", str(target / "logs"),
             "--log-level", console_level, "--log-level-file", "debug"]
        )
    finally:
        release_dbt_connection()


def release_dbt_connection() -> None:
    """dbt-duckdb keeps its DuckDB instance open in a class attribute after `invoke` returns;
    close it, so the working file is not held (locked, with a WAL) by this process."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if env is not None:
            try:
                env.close()
            except Exception:  # closing is best effort; publish() checkpoints anyway
                pass


def _previous(serving: Path) -> str:
    if serving.exists():
        return f"the previous warehouse keeps serving ({serving})"
    return f"no warehouse is serving yet at {serving}"


def build(serving: Path, corrections: Path | None = None) -> BuildResult:
    """dbt build (models + tests) on the working db; on success publish it as the serving file.
    The analysts' corrections file (warehouse.corrections) is loaded first, so every build applies it."""
    work = prepare_work_db(serving)
    if not work.exists():
        raise BuildFailed(f"nothing to build: no reports ingested into {work} (run `fazhi ingest PATH` first)")
    _load_corrections(work, corrections_path(serving, corrections))
    result = run_dbt(["build"], work)
    models = tests = warnings = 0
    failures = []
    for r in (result.result or []):
        kind = r.node.resource_type
        status = str(r.status)
        if kind in ("model", "seed", "snapshot"):
            models += 1
        elif kind in ("test", "unit_test"):
            tests += 1
        if status in ("warn",):
            warnings += 1
        if status in ("error", "fail", "runtime error"):
            failures.append(f"{r.node.name}: {r.message or status}")
    if not result.success:
        reason = "; ".join(failures[:3]) or str(result.exception or "dbt build failed")
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        log = serving.parent / ".dbt-target" / "logs" / "dbt.log"
        raise BuildFailed(one_line(
            f"dbt build failed, {_previous(serving)}; nothing was published: {one_line(reason, 300)}{more} "
            f"(details: {log})",
            800,
        ))
    try:
        publish(work, serving)
    except BuildFailed:
        raise
    except Exception as exc:
        raise BuildFailed(one_line(f"could not publish the new warehouse, {_previous(serving)}: {exc}", 600)) from exc
    return BuildResult(models, tests, warnings, serving)


def _load_corrections(work: Path, path: Path) -> None:
    from fazhi.warehouse.land import connect

    con = connect(work)
    try:
        load_into(con, path)
    finally:
        con.close()


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _writer_holding(serving: Path) -> str | None:
    """If another process holds the serving file open read-write, DuckDB's lock error (with its
    PID); read-only readers share the lock and are fine."""
    import duckdb

    if not serving.exists():
        return None
    try:
        con = duckdb.connect(str(serving), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return one_line(str(exc), 300)
        return None
    except duckdb.Error:
        return None  # an unreadable old file is about to be replaced anyway
    con.close()
    return None


def publish(work: Path, serving: Path) -> None:
    """Checkpoint the built working db, copy it next to the serving file, fsync, check that the
    copy opens, and rename it over the serving file (atomic). Readers holding the old file keep
    it (the old inode lives on until they close); new connections open the new file."""
    import duckdb

    release_dbt_connection()
    # Fold the WAL into the file, or the copy would miss the last writes.
    con = duckdb.connect(str(work))
    try:
        con.execute("force checkpoint")
    finally:
        con.close()
    holder = _writer_holding(serving)
    if holder:
        raise BuildFailed(
            f"{serving} is open read-write by another process ({holder}); "
            f"{_previous(serving)}; the new build is ready in {work}: open the warehouse with "
            "-readonly (or close that session) and run `fazhi build` again"
        )
    staging = serving.with_name(serving.name + ".publish")
    try:
        shutil.copyfile(work, staging)
        with open(staging, "rb+") as handle:
            os.fsync(handle.fileno())
        check = duckdb.connect(str(staging), read_only=True)
        try:
            check.execute("select count(*) from marts.dim_report").fetchone()
        finally:
            check.close()
        # A WAL left by an earlier read-write session belongs to the old file: replayed onto the
        # new one it would corrupt it. Nobody holds the file read-write (checked above).
        stale_wal = serving.with_name(serving.name + ".wal")
        if stale_wal.exists():
            stale_wal.unlink()
        os.replace(staging, serving)
    except BaseException:
        if staging.exists():
            staging.unlink()
        raise
    _fsync_dir(serving.parent)
