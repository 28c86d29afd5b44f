"""The options every `fazhi` command shares (cli.py, cli_upkeep.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
