"""What the `fazhi` commands share (cli.py, cli_upkeep.py): their options, the writer lock around
a writing command, the check that the paths given exist, the hint to open the warehouse."""
from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from fazhi.messages import one_line, terminal_safe

Db = Annotated[Path | None, typer.Option(
    "--db", envvar="FAZHI_DB", show_envvar=True, help="serving warehouse file (default warehouse/fazhi.duckdb)")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar, no summary")]
Json = Annotated[bool, typer.Option("--json", help="print the result as one JSON object (no progress bar)")]
Format = Annotated[str, typer.Option("--format", help="parquet or csv")]
NoWait = Annotated[bool, typer.Option(
    "--no-wait", envvar="FAZHI_NO_WAIT",
    help="fail at once if another fazhi is writing this warehouse (default: wait for it)")]
ManifestOpt = Annotated[Path | None, typer.Option(
    "--manifest", help="CSV with file,url columns: the web page each report came from (kept as "
    "dim_report.source_url; a gov.cn address is evidence for the jurisdiction)")]


def require_paths(paths: list[str]) -> None:
    """A path that does not exist is an error before anything is written (a typo, not a file)."""
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        print(f"fazhi: {terminal_safe(one_line(f'no such file or folder: {shown}; nothing was ingested'))}",
              file=sys.stderr)
        raise typer.Exit(2)


@contextmanager
def writing(serving: Path, command: str, no_wait: bool, quiet: bool, *, creates: bool = True) -> Iterator[None]:
    """The warehouse's writer lock for the whole command (warehouse/lock.py). A command that only
    changes an existing warehouse (creates=False) fails before the lock when its folder is missing,
    so a mistyped --db leaves no folder and no lock file behind."""
    from fazhi.warehouse.lock import writer_lock

    if not creates and not serving.parent.is_dir():
        print(f"fazhi: {terminal_safe(one_line(f'no warehouse at {serving}: nothing to {command}'))}",
              file=sys.stderr)
        raise typer.Exit(1)

    def notify(message: str) -> None:
        if not quiet:
            print(f"fazhi: {terminal_safe(message)}", file=sys.stderr, flush=True)

    with writer_lock(serving, command, wait=not no_wait, notify=notify):
        yield


def open_hint(serving: Path) -> str:
    """The command that opens the warehouse read-only: the DuckDB CLI installed beside this
    Python (it is rarely on PATH), the path quoted for the shell."""
    import shutil

    beside = Path(sys.executable).with_name("duckdb")
    cli = str(beside) if beside.exists() else (shutil.which("duckdb") or "duckdb")
    return f"{shlex.quote(cli)} -readonly {shlex.quote(str(serving))}"
