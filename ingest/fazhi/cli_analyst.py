"""The analyst's commands of `fazhi`: search, correct, corrections.

`register(cli)` adds them to fazhi.cli's app, with its options and error handling (it is called
at the end of fazhi.cli, so this module never imports fazhi.cli itself, which may be `__main__`).
"""
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer


def plain(text: str) -> str:
    """Report text for a terminal: control characters (escape sequences) shown as spaces, one
    for one, so offsets into the text still hold."""
    return "".join(" " if (ord(c) < 32 and c != "\t") or 0x7F <= ord(c) < 0xA0 else c for c in text)


def register(cli: ModuleType) -> None:
    app, guarded, resolve_db = cli.app, cli._guarded, cli._db

    @app.command("search")
    @guarded
    def search_cmd(
        query: Annotated[str, typer.Argument(help="words or phrases, either script (人民调解 / 人民調解); "
                                                   "several, separated by spaces, must all occur")],
        jurisdiction: Annotated[str | None, typer.Option(
            "--jurisdiction", help="only reports of this jurisdiction (a name, or part of one)")] = None,
        year: Annotated[int | None, typer.Option("--year", help="only reports covering this year")] = None,
        limit: Annotated[int, typer.Option("--limit", help="number of hits")] = 20,
        db: cli.Db = None, quiet: cli.Quiet = False, as_json: cli.Json = False,
    ) -> None:
        """Full-text search: the sentences of every report that contain the query, ranked by BM25.

        Each hit: the sentence (terms highlighted), its report, source file, jurisdiction, year and
        its exact offsets in the original text. --json: {"query", "hits": [...]}."""
        from fazhi.search.query import search

        result = search(resolve_db(db), query, jurisdiction=jurisdiction, year=year, limit=limit)
        if as_json:
            print(json.dumps(result.as_json(), ensure_ascii=False))
            return
        tty = sys.stdout.isatty()
        for hit in result.hits:
            hit.sentence = plain(hit.sentence)
            where = f"{hit.jurisdiction_id or '?'} {hit.report_year or '?'}"
            print(f"{hit.score:7.3f}  {where}  {plain(hit.source_file)} [{hit.char_start}:{hit.char_end}]")
            print("         " + (hit.marked("\x1b[30;43m", "\x1b[0m") if tty else hit.marked()))
        if not quiet:
            n = len(result.hits)
            print(f"search: {n} hit{'s' if n != 1 else ''} for {' + '.join(result.parts)} in {resolve_db(db)}")

    Corrections = Annotated[Path | None, typer.Option(
        "--corrections", envvar="FAZHI_CORRECTIONS", show_envvar=True,
        help="the corrections file (default: <warehouse>.corrections.csv beside the --db file)")]

    @app.command("correct")
    @guarded
    def correct_cmd(
        source: Annotated[str, typer.Argument(help="the report: a report_id, or the file's name or path "
                                                    "(a file not ingested yet is fine)")],
        indicator_code: Annotated[str, typer.Argument(help="indicator code, e.g. mediation_cases_accepted")],
        value: Annotated[str | None, typer.Argument(
            help="the right figure in the catalog's unit: a count, a rate in percent (99.5), money in yuan")] = None,
        reason: Annotated[str, typer.Option("--reason", help="why (required): what the report says, where")] = "",
        reject: Annotated[bool, typer.Option("--reject", help="the report states no such figure: take it out")] = False,
        qualifier: Annotated[str, typer.Option("--qualifier", help="exact, approx, at_least or at_most")] = "exact",
        corrections: Corrections = None,
        db: cli.Db = None, quiet: cli.Quiet = False, as_json: cli.Json = False,
    ) -> None:
        """Correct a figure (or --reject it): kept in the corrections file, applied by every build.

        The correction is keyed by the report's content, so it survives re-extraction, moved
        files and rebuilds; run `fazhi build` to apply it."""
        from fazhi.warehouse.corrections import correct

        serving = resolve_db(db)
        made, path, source_info = correct(serving, source, indicator_code, value, reason=reason, reject=reject,
                                          qualifier=qualifier, corrections=corrections)
        what = "reject" if made.action == "reject" else f"{made.value:g} ({made.qualifier})"
        where = source_info.report_id or f"{source_info.source_file} (not in the warehouse yet: pending)"
        cli._emit({"correction": _asdict(made), "file": str(path), "landed": source_info.landed}, quiet, as_json, [
            f"correct: {made.indicator_code} of {where}: {what} — {made.reason}",
            f"saved as {made.correction_id} in {path}; `fazhi build` applies it",
        ])

    @app.command("corrections")
    @guarded
    def corrections_cmd(
        score: Annotated[bool, typer.Option(
            "--score", help="score the extractor against the corrections in force (they are labelled data)")] = False,
        corrections: Corrections = None,
        db: cli.Db = None, quiet: cli.Quiet = False, as_json: cli.Json = False,
    ) -> None:
        """Every correction made, with its status: applied, pending (the report is not in the
        warehouse, or not built since) or superseded (a later one is in force)."""
        from fazhi.warehouse.corrections import listing
        from fazhi.warehouse.corrections import score as score_extractor

        if score:
            result = score_extractor(resolve_db(db))
            cli._emit(result, False, as_json, [
                f"extractor against {result['labels']} corrections in force: precision {result['precision']}, "
                f"recall {result['recall']} (agreed {result['agreed']}, wrong value {result['wrong_value']}, "
                f"missed {result['missed']}, still extracted though rejected {result['false_positive']}, "
                f"no longer extracted {result['fixed']})"])
            return
        path, rows = listing(resolve_db(db), corrections)
        if as_json:
            print(json.dumps({"file": str(path), "corrections": rows}, ensure_ascii=False, default=str))
            return
        for r in rows:
            what = "reject" if r["action"] == "reject" else f"{r['value']:g} ({r['qualifier']})"
            print(f"{r['status']:<10} {r['correction_id']}  {r['report_id'] or '-'}  {r['indicator_code']} = {what}"
                  f"  — {plain(r['reason'])}")
            print(f"{'':<10} {plain(r['source_file'])}" + (f"  [{r['why']}]" if r["why"] else ""))
        if not quiet:
            counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("applied", "pending", "superseded")}
            print(f"corrections: {len(rows)} in {path} ({', '.join(f'{n} {s}' for s, n in counts.items())})")


def _asdict(obj) -> dict:
    from dataclasses import asdict

    return asdict(obj)
