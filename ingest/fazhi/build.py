"""Stage "build": run the dbt project on the working database, then atomically replace the
serving file. A reader holding the serving file open keeps its (old) copy; it never sees a
half-built warehouse, and it never blocks the build, because the build never writes to it.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from fazhi.paths import project_dir, work_db


class BuildFailed(RuntimeError):
    """dbt build failed; the previous warehouse keeps serving."""


@dataclass(slots=True)
class BuildResult:
    models: int
    tests: int
    warnings: int
    serving: Path


def prepare_work_db(serving: Path) -> Path:
    """The working copy ingest and dbt write into; seeded from the serving file if missing."""
    work = work_db(serving)
    work.parent.mkdir(parents=True, exist_ok=True)
    if not work.exists() and serving.exists():
        shutil.copyfile(serving, work)
    return work


def run_dbt(args: list[str], db: Path):
    """dbt in-process against `db`; returns the dbtRunnerResult."""
    from dbt.cli.main import dbtRunner

    project = project_dir()
    os.environ["FAZHI_DBT_PATH"] = str(db.resolve())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    target = db.parent / ".dbt-target"
    return dbtRunner().invoke(
        [*args, "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(target), "--log-path", str(target / "logs"), "--quiet"]
    )


def build(serving: Path) -> BuildResult:
    """dbt build (models + tests) on the working db; on success publish it as the serving file."""
    work = prepare_work_db(serving)
    if not work.exists():
        raise BuildFailed(f"nothing to build: no reports ingested into {work}")
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
        reason = "; ".join(failures[:5]) or str(result.exception or "dbt build failed")
        raise BuildFailed(f"dbt build failed, the previous warehouse keeps serving: {reason}")
    publish(work, serving)
    return BuildResult(models, tests, warnings, serving)


def publish(work: Path, serving: Path) -> None:
    """Copy the built working db next to the serving file, then rename over it (atomic)."""
    import duckdb

    # dbt-duckdb may still hold its connection in this process: fold the WAL into the file
    # first, or the copy would miss the last writes.
    con = duckdb.connect(str(work))
    con.execute("checkpoint")
    con.close()
    staging = serving.with_name(serving.name + ".publish")
    shutil.copyfile(work, staging)
    with open(staging, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, serving)
