"""`fazhi remove` and `fazhi repair`: the commands that change landed reports without new files.
cli.py registers them on its app (`register`); the helpers they share come from cli.py at call time."""
from __future__ import annotations

from typing import Annotated

import typer

from fazhi.cli_options import Db, Json, NoWait, Quiet, writing


def register(app: typer.Typer, guarded) -> None:
    app.command("remove")(guarded(remove_cmd))
    app.command("repair")(guarded(repair_cmd))


def remove_cmd(
    sources: Annotated[list[str], typer.Argument(
        help="report to take out: its file (path as given, or now), URL, report_id, or a unique file name")],
    db: Db = None, quiet: Quiet = False, as_json: Json = False, no_wait: NoWait = False,
) -> None:
    """Take reports out of the warehouse (kept in marts.dim_report_history); `fazhi build` publishes."""
    from fazhi.cli import _db, _emit, _fail
    from fazhi.pipeline import extractor_version
    from fazhi.warehouse.build import prepare_work_db
    from fazhi.warehouse.upkeep import remove_reports

    serving = _db(db)
    with writing(serving, "remove", no_wait, quiet, creates=False):
        work = prepare_work_db(serving)
        if not work.exists():
            _fail(f"no warehouse at {serving}: nothing to remove")
        result = remove_reports(work, sources, extractor_version())
    summary = {"removed": [{"report_id": r, "source_file": f} for r, f in result.removed],
               "not_found": result.not_found, "work_db": str(work)}
    _emit(summary, quiet, as_json, [
        *[f"removed {f} (report {r})" for r, f in result.removed],
        *[f"  not found: {s}" for s in result.not_found],
        f"into {work}; run `fazhi build` to publish" if result.removed else "nothing removed",
    ])
    if result.not_found and not result.removed:
        _fail(f"no current report matches {', '.join(result.not_found)}")


def repair_cmd(db: Db = None, quiet: Quiet = False, as_json: Json = False, no_wait: NoWait = False) -> None:
    """Remove duplicate report rows (identical copies left by concurrent ingests of an older fazhi)."""
    from fazhi.cli import _db, _emit, _fail
    from fazhi.warehouse.build import prepare_work_db
    from fazhi.warehouse.land import connect
    from fazhi.warehouse.upkeep import repair_duplicates

    serving = _db(db)
    with writing(serving, "repair", no_wait, quiet, creates=False):
        work = prepare_work_db(serving)
        if not work.exists():
            _fail(f"no warehouse at {serving}: nothing to repair")
        con = connect(work)
        try:
            reports, candidates = repair_duplicates(con)
        finally:
            con.close()
    _emit({"duplicate_report_rows": reports, "duplicate_candidate_rows": candidates, "work_db": str(work)},
          quiet, as_json,
          [f"repair: {reports} duplicate report rows and {candidates} duplicate candidate rows removed"
           + ("; run `fazhi build` to publish" if reports else " (the raw layer was sound)")])
