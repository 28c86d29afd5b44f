"""The `fazhi` command: ingest, build, export, run, explain, report, quantities; search, correct and
corrections (cli_analyst.py). See CONTRACT.md."""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from fazhi.messages import describe_io_failure, one_line, terminal_safe
from fazhi.paths import SAMPLES_DIR, default_db, default_export_dir, demo_db

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

from fazhi.cli_options import (  # noqa: E402  (shared with cli_upkeep)
    Db,
    Format,
    Json,
    ManifestOpt,
    NoWait,
    Quiet,
    open_hint,
    require_paths,
    writing,
)


def _fail(message: str, code: int = 1) -> None:
    print(f"fazhi: {terminal_safe(one_line(message))}", file=sys.stderr)
    raise typer.Exit(code)


def _guarded(func: Callable) -> Callable:
    """Every command: a known failure is one line on stderr and exit status 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import duckdb

        from fazhi.serve.evidence import ExplainError
        from fazhi.warehouse.build import BuildFailed
        from fazhi.warehouse.export import ExportFailed
        from fazhi.warehouse.lock import BUSY_EXIT, WarehouseBusy

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except WarehouseBusy as exc:
            _fail(str(exc), BUSY_EXIT)
        except (BuildFailed, ExplainError, ExportFailed, FileNotFoundError, ValueError) as exc:
            _fail(str(exc))
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                _fail(f"the warehouse is busy: another process holds it open for writing ({text})")
            _fail(describe_io_failure(exc) or f"cannot open the warehouse: {text}")
        except duckdb.Error as exc:
            _fail(describe_io_failure(exc) or f"warehouse error: {type(exc).__name__}: {exc}")
        except OSError as exc:
            _fail(describe_io_failure(exc) or f"{exc.strerror or exc}: {exc.filename or ''}")
        except KeyboardInterrupt:
            _fail("interrupted by the user; what was landed or published before stays, "
                  "the previous warehouse keeps serving; run the command again to finish", 130)

    return wrapper


def _db(db: Path | None) -> Path:
    return (db or default_db()).expanduser().resolve()


def _unread_lines(ingested: dict) -> list[str]:
    """Landed reports with pages nothing could read (blank or damaged): said, not hidden."""
    return [f"  unread pages in {u['file']}: {', '.join(map(str, u['pages']))} (the rest landed)"
            for u in ingested.get("unread_pages", [])[:20]]


def _emit(summary: dict, quiet: bool, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
    elif not quiet:
        for line in lines:
            print(terminal_safe(line))




def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


class _Status:
    """A spinner on stderr while a step runs (only on a terminal, never with --quiet/--json)."""

    def __init__(self, message: str, show: bool):
        self.message, self.show, self._status = message, show, None

    def __enter__(self):
        if self.show:
            self._status = _stderr_console().status(self.message)
            self._status.__enter__()
        return self

    def __exit__(self, *exc):
        if self._status is not None:
            self._status.__exit__(*exc)
        return False


def _do_ingest(
    paths: list[str], serving: Path, quiet: bool, as_json: bool, *, show_progress: bool | None = None,
    manifest_path: Path | None = None,
) -> dict:
    from fazhi.pipeline import ingest
    from fazhi.read.manifest import ManifestError, read_manifest
    from fazhi.warehouse.build import prepare_work_db

    manifest = None
    if manifest_path is not None:
        try:
            manifest = read_manifest(manifest_path)
        except ManifestError as exc:
            _fail(str(exc))

    if show_progress is None:
        show_progress = not quiet and not as_json
    work = prepare_work_db(serving)
    progress = None
    bar = None
    if show_progress:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(SpinnerColumn(), TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("files"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                       console=_stderr_console(), transient=True)
        task = bar.add_task("ingest", total=None)
        bar.start()

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

    try:
        summary = ingest(work, paths, progress=progress, manifest=manifest)
    finally:
        if bar is not None:
            bar.stop()
    result = {
        "files": summary.files, "landed": summary.landed, "unchanged": summary.unchanged,
        "duplicate": summary.duplicate, "quarantined": summary.quarantined,
        "candidates": summary.candidates, "work_db": str(work),
        "quarantine": [{"file": f, "reason": r} for f, r in summary.quarantine_reasons],
        "superseded": summary.superseded,
        "repaired": [{"file": f, "repair": r} for f, r in summary.repaired],
        "unread_pages": [{"file": f, "pages": p} for f, p in summary.unread_pages],
    }
    lines = [
        f"ingest: {summary.files} files: {summary.landed} landed, {summary.unchanged} unchanged, "
        f"{summary.duplicate} duplicate, {summary.quarantined} quarantined; "
        f"{summary.candidates} indicator candidates",
        *[f"  quarantined {f}: {r}" for f, r in summary.quarantine_reasons[:20]],
        *[f"  repaired {f}: {r}" for f, r in summary.repaired[:20]],
        *_unread_lines(result),
    ]
    if summary.superseded:
        lines.append(f"  {summary.superseded} earlier version(s) superseded by changed files "
                     "(marts.dim_report_history)")
    lines.append(f"into {work}; run `fazhi build` to publish")
    _emit(result, quiet, as_json, lines)
    return result


def _do_build(serving: Path, quiet: bool, as_json: bool, *, show_progress: bool | None = None,
              strict: bool = False) -> dict:
    from fazhi.warehouse.build import build
    from fazhi.warehouse.quality import quality_lines, quality_summary

    if show_progress is None:
        show_progress = not quiet and not as_json
    with _Status("dbt build: models and data tests…", show_progress):
        result = build(serving, strict=strict)  # BuildFailed -> one line on stderr, exit 1 (see _guarded)
    summary = _warehouse_summary(serving)
    summary |= {"models": result.models, "tests": result.tests, "warnings": result.warnings,
                "repaired_duplicate_rows": result.repaired, "data_quality": quality_summary(serving)}
    _emit(summary, quiet, as_json, [
        f"build: {result.models} models and seeds, {result.tests} tests passed"
        + (f" ({result.warnings} warnings)" if result.warnings else ""),
        *([f"repaired: {result.repaired} duplicate report rows removed (left by concurrent ingests)"]
          if result.repaired else []),
        f"warehouse: {serving} — {summary['reports']} reports, {summary['facts']} facts, "
        f"{summary['jurisdictions']} jurisdictions (published; readers reconnect to see it)",
        *quality_lines(summary["data_quality"]),
    ])
    return summary




def _warehouse_summary(serving: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(serving), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "warehouse": str(serving),
            "reports": one("select count(*) from marts.dim_report"),
            "facts": one("select count(*) from marts.fct_report_indicators"),
            "jurisdictions": one("select count(distinct jurisdiction_id) from marts.dim_report"),
        }
    finally:
        con.close()


def _do_export(serving: Path, out: Path | None, fmt: str, quiet: bool, as_json: bool,
               *, show_progress: bool | None = None, csv_raw: bool = False) -> dict:
    from fazhi.warehouse.export import export

    if show_progress is None:
        show_progress = not quiet and not as_json
    target = (out or default_export_dir(serving, fmt)).expanduser().resolve()
    with _Status(f"export: {fmt}…", show_progress):
        counts = export(serving, target, fmt, csv_raw=csv_raw)
    rows = sum(counts.values())
    _emit({"export": str(target), "format": fmt, "tables": counts}, quiet, as_json,
          [f"export: {len(counts)} tables, {rows} rows as {fmt} in {target} (manifest.json lists them)"])
    return {"export": str(target), "format": fmt, "tables": counts}


@app.command("ingest")
@_guarded
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="report files or folders")],
    manifest: ManifestOpt = None,
    db: Db = None, quiet: Quiet = False, as_json: Json = False, no_wait: NoWait = False,
) -> None:
    """Land report files (text/HTML in any supported encoding, PDF, scans, images, DOCX, Word
    .doc/.wps); bad files are quarantined. A manifest (file,url) gives each file's web page."""
    require_paths(paths)
    serving = _db(db)
    with writing(serving, "ingest", no_wait, quiet):
        _do_ingest(paths, serving, quiet, as_json, manifest_path=manifest)


@app.command("build")
@_guarded
def build_cmd(
    db: Db = None, quiet: Quiet = False, as_json: Json = False, no_wait: NoWait = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="refuse to publish while a report's figures contradict each other")] = False,
) -> None:
    """Run the dbt project (models and tests) and publish the warehouse (atomically; readers never block).

    Figures of one report that cannot all be true are listed (marts.fct_data_quality) and left out
    of the comparison marts; --strict makes them an error instead."""
    serving = _db(db)
    with writing(serving, "build", no_wait, quiet, creates=False):
        _do_build(serving, quiet, as_json, strict=strict)


@app.command("export")
@_guarded
def export_cmd(
    fmt: Format = "parquet",
    out: Annotated[Path | None, typer.Option(
        "--out", help="the folder of this format, replaced whole (default warehouse/export/FORMAT)")] = None,
    db: Db = None, quiet: Quiet = False, as_json: Json = False,
    csv_raw: Annotated[bool, typer.Option(
        "--csv-raw", help="CSV: keep text cells starting with = + - @ as they are (default: prefixed with ')",
    )] = False,
) -> None:
    """Write every mart as Parquet (zstd; facts partitioned by report_year) or CSV (UTF-8 with BOM)."""
    _do_export(_db(db), out, fmt, quiet, as_json, csv_raw=csv_raw)


@app.command("run")
@_guarded
def run_cmd(
    ctx: typer.Context,
    paths: Annotated[list[str] | None, typer.Argument(help="report files or folders (default: the samples)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="export folder (default warehouse/export)")] = None,
    fmt: Format = "parquet",
    manifest: ManifestOpt = None,
    db: Db = None, quiet: Quiet = False, as_json: Json = False, no_wait: NoWait = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="refuse to publish while a report's figures contradict each other")] = False,
) -> None:
    """Ingest, build and export in one go. With no PATH: the 5 sample reports, into a separate demo
    warehouse (warehouse/demo.duckdb) unless --db is given, so the demo never mixes into real data."""
    from fazhi.warehouse.export import FORMATS
    from fazhi.warehouse.quality import quality_lines

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}: use parquet or csv")
    require_paths(paths or [])
    # the demo goes to its own warehouse unless --db itself (not $FAZHI_DB, the user's data) says where
    source = ctx.get_parameter_source("db")
    demo = not paths and getattr(source, "name", "") != "COMMANDLINE"
    serving = demo_db() if demo else _db(db)
    sources = paths or [str(SAMPLES_DIR)]
    show = not quiet and not as_json
    with writing(serving, "run", no_wait, quiet):
        ingested = _do_ingest(sources, serving, True, False, show_progress=show, manifest_path=manifest)
        built = _do_build(serving, True, False, show_progress=show, strict=strict)
        exported = _do_export(serving, out, fmt, True, False, show_progress=show)
    summary = {**built, "ingest": ingested, "export": exported["export"], "export_tables": exported["tables"]}
    _emit(summary, quiet, as_json, [
        f"ingest: {ingested['files']} files, {ingested['landed']} landed, {ingested['unchanged']} unchanged, "
        f"{ingested['duplicate']} duplicate, {ingested['quarantined']} quarantined",
        *[f"  quarantined {q['file']}: {q['reason']}" for q in ingested["quarantine"][:20]],
        *_unread_lines(ingested),
        f"build: {built['models']} models and seeds, {built['tests']} tests passed",
        f"reports landed: {built['reports']}, facts: {built['facts']}, jurisdictions: {built['jurisdictions']}",
        *quality_lines(built["data_quality"]),
        f"warehouse: {serving}{' (the demo warehouse: the bundled samples)' if demo else ''}  "
        f"(open read-only: {open_hint(serving)})",
        f"export: {exported['export']}",
    ])


@app.command("explain")
@_guarded
def explain_cmd(
    jurisdiction: Annotated[str, typer.Argument(help="jurisdiction name (exact, else a part of it), e.g. 洛江区")],
    year: Annotated[str | None, typer.Argument(help="report year, e.g. 2024 (optional)")] = None,
    indicator: Annotated[
        str | None, typer.Argument(help="indicator code or part of its Chinese name (optional)")] = None,
    db: Db = None, quiet: Quiet = False, as_json: Json = False,
) -> None:
    """The values of a jurisdiction with their evidence sentences, sources, offsets and conflicts.

    On a terminal: a table, the number highlighted. In a pipe: one block per value, the number
    marked [[like this]]. --json: {"query", "jurisdictions", "count", "facts": [...]} with every
    offset (sentence_start/end, highlight = the number's offsets inside the sentence)."""
    from fazhi.serve.explain import explain, for_terminal, render, render_plain, split_year_indicator, to_json

    y, ind = split_year_indicator(year, indicator)
    result = explain(_db(db), jurisdiction, y, ind)
    if as_json:
        print(json.dumps(to_json(result), ensure_ascii=False, default=str))
        return
    result = for_terminal(result)  # report text must not drive the terminal (escape sequences)
    if sys.stdout.isatty():
        from rich.console import Console

        render(result, Console(highlight=False), highlight=True)
    else:
        print(render_plain(result))
    if not quiet:
        n_conf = sum(1 for f in result.facts if f["conflicts"])
        n = len(result.facts)
        print(f"explain: {n} value{'s' if n != 1 else ''}, {n_conf} with conflicting candidates, "
              f"from {len({f['report_id'] for f in result.facts})} report(s) in {_db(db)}")


@app.command("report")
@_guarded
def report_cmd(
    out: Annotated[
        Path | None, typer.Option("--out", help="HTML file to write (default warehouse/report.html)")] = None,
    year: Annotated[int | None, typer.Option("--year", help="only this report year")] = None,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="only jurisdictions whose name contains this")] = None,
    db: Db = None, quiet: Quiet = False, as_json: Json = False,
) -> None:
    """Write a self-contained HTML report: charts per indicator, all facts with evidence, a page per report."""
    from fazhi.serve.report import write_report

    serving = _db(db)
    target = (out or serving.parent / "report.html").expanduser().resolve()
    show = not quiet and not as_json
    with _Status("report: rendering…", show):
        summary = write_report(serving, target, year=year, jurisdiction=jurisdiction)
    _emit(summary, quiet, as_json, [
        f"report: {summary['reports']} reports, {summary['facts']} facts, {summary['charts']} indicator charts "
        f"-> {target} ({summary['bytes'] // 1024} KiB, self-contained; open it in any browser)",
    ])


@app.command("quantities")
@_guarded
def quantities_cmd(
    file: Annotated[str, typer.Argument(help="a text file, or - for standard input")] = "-",
    db: Annotated[Path | None, typer.Option(
        "--db", help="accepted for uniformity; quantities reads no warehouse")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no summary on stderr")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="the output is always JSON lines")] = False,
) -> None:
    """Every quantity in a text, one JSON object a line (offsets into the input text; for a PDF,
    scan, DOCX or Word file, into the text fazhi extracts from it)."""
    from fazhi.extract.quantities import find_quantities
    from fazhi.normalise import normalise
    from fazhi.read import UnreadableFile, read_document

    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        text = read_document(data, file if file != "-" else "stdin.txt").text if data else ""
    except (OSError, UnreadableFile) as exc:
        _fail(f"cannot read {file}: {exc}")
    norm = normalise(text)
    n = 0
    for q in find_quantities(norm.text):
        if not norm.is_clean(q.start, q.end):
            continue
        start, end = norm.to_original(q.start, q.end)
        print(json.dumps({"surface": text[start:end], "value": q.value, "unit": q.unit,
                          "qualifier": q.qualifier, "start": start, "end": end}, ensure_ascii=False))
        n += 1
    # stdout is the data; the summary goes to a person's terminal only
    if not quiet and not as_json and sys.stderr.isatty():
        print(f"quantities: {n} in {len(text)} characters", file=sys.stderr)


from fazhi.cli_analyst import register  # noqa: E402  (search, correct, corrections: they use the helpers above)

register(sys.modules[__name__])

from fazhi.cli_upkeep import register as register_upkeep  # noqa: E402

register_upkeep(app, _guarded)  # `remove` and `repair`


def main() -> None:
    app()


if __name__ == "__main__":
    main()
