"""The `fazhi` command: ingest, build, export, run, quantities (see CONTRACT.md)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from fazhi.paths import SAMPLES_DIR, default_db, default_export_dir

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

DbOption = typer.Option(None, "--db", help="serving warehouse file (default warehouse/fazhi.duckdb or $FAZHI_DB)")
QuietOption = typer.Option(False, "--quiet", "-q", help="no progress bar, no summary")
JsonOption = typer.Option(False, "--json", help="print the summary as one JSON object")


def _fail(message: str, code: int = 1) -> None:
    print(f"fazhi: {message}", file=sys.stderr)
    raise typer.Exit(code)


def _db(db: Optional[Path]) -> Path:
    return (db or default_db()).resolve()


def _emit(summary: dict, quiet: bool, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
    elif not quiet:
        for line in lines:
            print(line)


def _do_ingest(paths: list[str], serving: Path, quiet: bool, as_json: bool) -> dict:
    from fazhi.build import prepare_work_db
    from fazhi.pipeline import ingest

    work = prepare_work_db(serving)
    missing = [p for p in paths if not Path(p).exists()]
    progress = None
    bar = None
    if not quiet and not as_json:
        from rich.progress import Progress

        bar = Progress(transient=True)
        task = bar.add_task("ingest", total=None)
        bar.start()

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

    try:
        summary = ingest(work, paths, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    result = {
        "files": summary.files, "landed": summary.landed, "unchanged": summary.unchanged,
        "duplicate": summary.duplicate, "quarantined": summary.quarantined,
        "candidates": summary.candidates, "work_db": str(work),
        "quarantine": [{"file": f, "reason": r} for f, r in summary.quarantine_reasons],
    }
    lines = [
        f"ingest: {summary.files} files: {summary.landed} landed, {summary.unchanged} unchanged, "
        f"{summary.duplicate} duplicate, {summary.quarantined} quarantined; "
        f"{summary.candidates} indicator candidates",
        *[f"  quarantined {f}: {r}" for f, r in summary.quarantine_reasons[:20]],
    ]
    if missing:
        lines.append(f"  {len(missing)} path(s) not found (recorded as quarantined)")
    _emit(result, quiet, as_json, lines)
    return result


def _do_build(serving: Path, quiet: bool, as_json: bool) -> dict:
    from fazhi.build import BuildFailed, build

    try:
        result = build(serving)
    except BuildFailed as exc:
        _fail(str(exc))
    summary = _warehouse_summary(serving)
    summary |= {"models": result.models, "tests": result.tests, "warnings": result.warnings}
    _emit(summary, quiet, as_json, [
        f"build: {result.models} models and seeds, {result.tests} tests passed"
        + (f" ({result.warnings} warnings)" if result.warnings else ""),
        f"warehouse: {serving} — {summary['reports']} reports, {summary['facts']} facts, "
        f"{summary['jurisdictions']} jurisdictions",
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


def _do_export(serving: Path, out: Optional[Path], fmt: str, quiet: bool, as_json: bool) -> dict:
    from fazhi.export import export

    target = (out or default_export_dir(serving)).resolve()
    try:
        counts = export(serving, target, fmt)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    _emit({"export": str(target), "format": fmt, "tables": counts}, quiet, as_json,
          [f"export: {len(counts)} tables as {fmt} in {target}"])
    return {"export": str(target), "tables": counts}


@app.command("ingest")
def ingest_cmd(
    paths: list[str] = typer.Argument(..., help="report files or folders"),
    db: Optional[Path] = DbOption, quiet: bool = QuietOption, as_json: bool = JsonOption,
) -> None:
    """Land report files (.txt/.html in any supported encoding); bad files are quarantined."""
    _do_ingest(paths, _db(db), quiet, as_json)


@app.command("build")
def build_cmd(db: Optional[Path] = DbOption, quiet: bool = QuietOption, as_json: bool = JsonOption) -> None:
    """Run the dbt project (models and tests) and publish the warehouse."""
    _do_build(_db(db), quiet, as_json)


@app.command("export")
def export_cmd(
    fmt: str = typer.Option("parquet", "--format", help="parquet or csv"),
    out: Optional[Path] = typer.Option(None, "--out", help="output folder (default warehouse/export)"),
    db: Optional[Path] = DbOption, quiet: bool = QuietOption, as_json: bool = JsonOption,
) -> None:
    """Write every mart as Parquet (zstd) or CSV (UTF-8 with BOM)."""
    _do_export(_db(db), out, fmt, quiet, as_json)


@app.command("run")
def run_cmd(
    paths: Optional[list[str]] = typer.Argument(None, help="report files or folders (default: the samples)"),
    out: Optional[Path] = typer.Option(None, "--out", help="export folder (default warehouse/export)"),
    fmt: str = typer.Option("parquet", "--format", help="parquet or csv"),
    db: Optional[Path] = DbOption, quiet: bool = QuietOption, as_json: bool = JsonOption,
) -> None:
    """Ingest, build and export in one go (with no PATH: the 5 sample reports)."""
    serving = _db(db)
    sources = paths or [str(SAMPLES_DIR)]
    inner_quiet = quiet or as_json
    ingested = _do_ingest(sources, serving, True, False)
    built = _do_build(serving, True, False)
    exported = _do_export(serving, out, fmt, True, False)
    summary = {**built, "ingest": ingested, "export": exported["export"]}
    _emit(summary, inner_quiet and not as_json, as_json, [
        f"ingest: {ingested['files']} files, {ingested['landed']} landed, {ingested['unchanged']} unchanged, "
        f"{ingested['duplicate']} duplicate, {ingested['quarantined']} quarantined",
        *[f"  quarantined {q['file']}: {q['reason']}" for q in ingested["quarantine"][:20]],
        f"build: {built['models']} models and seeds, {built['tests']} tests passed",
        f"reports landed: {built['reports']}, facts: {built['facts']}, jurisdictions: {built['jurisdictions']}",
        f"warehouse: {serving}  (open read-only: duckdb -readonly {serving})",
        f"export: {exported['export']}",
    ])


@app.command("quantities")
def quantities_cmd(
    file: str = typer.Argument("-", help="a text file, or - for standard input"),
) -> None:
    """Every quantity in a text, one JSON object a line (offsets into the input text)."""
    from fazhi.normalise import normalise
    from fazhi.quantities import find_quantities
    from fazhi.read import UnreadableFile, decode_bytes

    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        text = decode_bytes(data, file if file != "-" else "stdin.txt").text if data else ""
    except (OSError, UnreadableFile) as exc:
        _fail(f"cannot read {file}: {exc}")
    norm = normalise(text)
    for q in find_quantities(norm.text):
        if not norm.is_clean(q.start, q.end):
            continue
        start, end = norm.to_original(q.start, q.end)
        print(json.dumps({"surface": text[start:end], "value": q.value, "unit": q.unit,
                          "qualifier": q.qualifier, "start": start, "end": end}, ensure_ascii=False))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
