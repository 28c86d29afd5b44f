"""The analyst's commands of `fazhi`: search, correct, corrections.

`register(cli)` adds them to fazhi.cli's app, with its options and error handling (it is called
at the end of fazhi.cli, so this module never imports fazhi.cli itself, which may be `__main__`).
"""
import json
import sys
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
