"""Shared fixtures: one warehouse built from the sample reports for the whole session."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "fazhi" / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
FAZHI = [sys.executable, "-m", "fazhi.cli"]


def pytest_collection_modifyitems(items) -> None:
    """A test that needs the dbt-built sample warehouse is slow (dbt build, ~30 s once per session):
    `make test-fast` (-m "not slow") leaves it out, `make test` runs it."""
    for item in items:
        if "sample_warehouse" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class CliResult:
    """What a command left: its exit status and its two streams (like subprocess.CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, check: bool = True, env: dict | None = None, input: bytes | str | None = None) -> CliResult:
    """The `fazhi` command in this process (Typer's CliRunner): for behaviour that needs no real
    process. Crash safety, serving and the end-to-end runs use `run_fazhi`."""
    from typer.testing import CliRunner

    from fazhi.cli import app

    result = CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)
    out = CliResult(result.exit_code, result.stdout, result.stderr)
    if check and out.returncode != 0:
        raise AssertionError(f"fazhi {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


def run_fazhi(*args: str, check: bool = True, env: dict | None = None, timeout: int = 600):
    """The real CLI in a subprocess, as a user runs it."""
    proc = subprocess.run(
        [*FAZHI, *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"fazhi {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """`fazhi run` on the bundled samples, into a temporary warehouse."""
    base = tmp_path_factory.mktemp("warehouse")
    db = base / "fazhi.duckdb"
    run_fazhi("run", "--db", str(db), "--out", str(base / "export"))
    return db


@pytest.fixture()
def sample_con(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    yield con
    con.close()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
