"""`fazhi search`: BM25-ranked sentences of every report.

A query is cut at whitespace into parts; each part is normalised like the text (simplified
script, half-width), so 人民調解 finds 人民调解 and the reverse. A sentence is a hit when it
contains every part (in its normalised form); the index (search.search_sentence_terms) finds the
candidates from the parts' terms, and BM25 (k1 = 1.2, b = 0.75, over the terms of the query)
ranks them. Hits carry the exact offsets of the sentence in the original text and the offsets of
each highlighted part inside the sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

from fazhi.normalise import normalise
from fazhi.normalise.sentences import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN
from fazhi.paths import missing_warehouse
from fazhi.search.terms import domain_words, query_parts, segmenter, term_key
from fazhi.serve.evidence import ExplainError, resolve_jurisdictions, table_exists

__all__ = ["Hit", "SearchError", "SearchResult", "search"]

K1, B = 1.2, 0.75
# Candidates ranked before the (costly) join with the sentences when filters apply; a query
# whose filters leave fewer hits than asked for falls back to ranking every candidate.
_PREFETCH = 50


class SearchError(ExplainError):
    """A query that cannot run; the message is one line, for stderr."""


@dataclass(slots=True)
class Hit:
    report_id: str
    source_file: str
    jurisdiction_id: str | None
    report_year: int | None
    sentence: str  # original_text[char_start:char_end], exactly
    char_start: int
    char_end: int
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets inside `sentence`

    def marked(self, open_: str = HIGHLIGHT_OPEN, close: str = HIGHLIGHT_CLOSE) -> str:
        """The sentence with each highlighted part between brackets: `…全区[[人民调解]]纠纷…`."""
        out, pos = [], 0
        for a, b in self.highlights:
            out += [self.sentence[pos:a], open_, self.sentence[a:b], close]
            pos = b
        out.append(self.sentence[pos:])
        return "".join(out)

    def as_json(self) -> dict:
        return {
            "report_id": self.report_id, "source_file": self.source_file,
            "jurisdiction_id": self.jurisdiction_id, "report_year": self.report_year,
            "sentence": self.sentence, "char_start": self.char_start, "char_end": self.char_end,
            "score": round(self.score, 4), "highlighted": self.marked(),
            "highlights": [list(h) for h in self.highlights],
        }


@dataclass(slots=True)
class SearchResult:
    query: str
    parts: list[str]
    hits: list[Hit]

    def as_json(self) -> dict:
        return {"query": self.query, "parts": self.parts, "hits": [h.as_json() for h in self.hits]}


def search(db: Path, query: str, jurisdiction: str | None = None, year: int | None = None,
           limit: int = 20) -> SearchResult:
    """The `limit` best sentences for `query` (see the module doc). Raises SearchError."""
    if limit < 1:
        raise SearchError("--limit must be at least 1")
    if not db.exists():
        raise SearchError(missing_warehouse(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not table_exists(con, "search", "search_sentence_terms"):
            raise SearchError(f"{db} has no search index (built by an older fazhi): run `fazhi build`")
        jieba = segmenter(_warehouse_words(con))
        view = normalise(query).text
        parts = query_parts(jieba, view)
        terms = list(dict.fromkeys(t for _, ts in parts for t in ts))
        if not terms:
            raise SearchError(f"{query.strip()!r} is too short to search: give a word of two or more characters")
        # a part that is exactly one term is contained in every sentence that has the term
        phrases = [p for p, ts in parts if ts != [p]]
        filters, params = _filters(con, jurisdiction, year)
        rows = _ranked(con, terms, phrases, filters, params, limit)
    finally:
        con.close()
    hits = [_hit(row, [p for p, _ in parts]) for row in rows]
    return SearchResult(query, [p for p, _ in parts], hits)


def _warehouse_words(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The dictionary ingest segmented with: catalog words and the landed gazetteer's names."""
    names = tuple(r[0] for r in con.execute(
        "select name from raw.places where origin = 'gazetteer' and name is not null order by 1").fetchall())
    return _words(names)


@lru_cache(maxsize=2)
def _words(names: tuple[str, ...]) -> frozenset[str]:
    return domain_words(names)


def _filters(con: duckdb.DuckDBPyConnection, jurisdiction: str | None, year: int | None) -> tuple[list[str], list]:
    filters: list[str] = []
    params: list = []
    if year is not None:
        filters.append("s.report_year = ?")
        params.append(year)
    if jurisdiction:
        try:
            found = resolve_jurisdictions(con, jurisdiction)
        except ExplainError as exc:
            raise SearchError(str(exc)) from exc
        ids = [j["jurisdiction_id"] for j in found if j["jurisdiction_id"]]
        if ids:
            filters.append(f"s.jurisdiction_id in ({_marks(ids)})")
            params.extend(ids)
        else:  # reports that name a place they could not be resolved to
            names = [j["name"] for j in found]
            filters.append("s.report_id in (select report_id from marts.dim_report "
                           f"where jurisdiction_name in ({_marks(names)}))")
            params.extend(names)
    return filters, params


def _marks(values: list) -> str:
    """One placeholder per value (scalar parameters: a Python list parameter costs the first query
    of a process about a second of conversion set-up)."""
    return ", ".join("?" for _ in values)


def _ranked(con: duckdb.DuckDBPyConnection, terms: list[str], phrases: list[str],
            filters: list[str], params: list, limit: int) -> list[tuple]:
    keys = ", ".join(str(term_key(t)) for t in sorted(set(terms)))  # integers: safe to inline
    conditions = [*filters, *("contains(s.search_text, ?)" for _ in phrases)]
    where = ("where " + " and ".join(conditions)) if conditions else ""
    scored = f"""
        with hits as (
            select report_key, sentence_seq, term, term_frequency, sentence_term_count
            from search.search_sentence_terms
            where term_key in ({keys}) and term in ({_marks(terms)})
        ),
        frequencies as (select term, count(*) as df from hits group by term),
        stats as (select count(*) as n, avg(term_count) as avgdl from marts.report_sentences),
        matched as (
            select h.report_key, h.sentence_seq,
                sum(ln((stats.n - f.df + 0.5) / (f.df + 0.5) + 1) * h.term_frequency * ({K1} + 1)
                    / (h.term_frequency + {K1} * (1 - {B} + {B} * h.sentence_term_count / stats.avgdl))) as score
            from hits as h
            inner join frequencies as f using (term)
            cross join stats
            group by h.report_key, h.sentence_seq
            having count(*) = ?
        )"""
    select = f"""
        select s.report_id, s.source_file, s.jurisdiction_id, s.report_year, s.sentence,
            s.char_start, s.char_end, m.score
        from candidates as m
        inner join marts.report_sentences as s using (report_key, sentence_seq)
        {where}
        order by m.score desc, s.report_id, s.sentence_seq
        limit {int(limit)}"""
    base = [*terms, len(terms)]

    def run(candidates: str, extra: list) -> list[tuple]:
        return con.execute(f"{scored}, candidates as ({candidates}) {select}", base + extra).fetchall()

    if not conditions:
        return _top_rows(con, con.execute(
            f"{scored} select report_key, sentence_seq, score from matched "
            f"order by score desc, report_key, sentence_seq limit {int(limit)}", base).fetchall())
    prefetch = max(limit * _PREFETCH, 1000)
    rows = run(f"select * from matched order by score desc limit {prefetch}", [*params, *phrases])
    if len(rows) >= limit:
        return rows
    if con.execute(f"{scored} select count(*) from matched", base).fetchone()[0] <= prefetch:
        return rows
    return run("select * from matched", [*params, *phrases])


def _top_rows(con: duckdb.DuckDBPyConnection, top: list[tuple]) -> list[tuple]:
    """The sentences of the top hits, fetched by their report keys as literal integers: the zone
    maps of marts.report_sentences (ordered by report_key) skip every other row group, where a
    join would scan the whole table."""
    if not top:
        return []
    keys = ", ".join(str(int(k)) for k in sorted({k for k, _, _ in top}))
    rows = con.execute(
        "select report_key, sentence_seq, report_id, source_file, jurisdiction_id, report_year, sentence, "
        f"char_start, char_end from marts.report_sentences where report_key in ({keys})").fetchall()
    by_key = {(r[0], r[1]): r[2:] for r in rows}
    return [(*by_key[(k, seq)], score) for k, seq, score in top if (k, seq) in by_key]


def _hit(row: tuple, parts: list[str]) -> Hit:
    report_id, source_file, jurisdiction_id, report_year, sentence, start, end, score = row
    return Hit(report_id, source_file, jurisdiction_id, report_year, sentence, start, end, score,
               _highlights(sentence, parts))


def _highlights(sentence: str, parts: list[str]) -> list[tuple[int, int]]:
    """Offsets (inside the sentence) of every occurrence of every part, found in the sentence's
    normalised view and mapped back to the original characters; overlaps merged."""
    norm = normalise(sentence)
    spans = []
    for part in parts:
        i = norm.text.find(part)
        while i >= 0:
            spans.append(norm.to_original(i, i + len(part)))
            i = norm.text.find(part, i + len(part))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
