"""A report's sentences for full-text search: offsets into the original text, the normalised
text a phrase is matched against, and the index terms (see terms.py)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba

from fazhi.normalise import Normalised
from fazhi.normalise.sentences import sentence_spans
from fazhi.search.terms import domain_words, index_terms, segmenter

__all__ = ["ReportSentences", "ingest_segmenter", "report_key", "report_sentences"]


@dataclass(slots=True)
class ReportSentences:
    """Columns of raw.report_sentences for one report (one entry per sentence)."""

    report_key: int
    char_start: list[int] = field(default_factory=list)
    char_end: list[int] = field(default_factory=list)
    search_text: list[str] = field(default_factory=list)
    index_terms: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.char_start)


def report_key(report_id: str, version: str = "") -> int:
    """A stable 63-bit integer for a report as extracted by an extractor version: the search
    index's compact join key (a varchar key in 100 million postings would cost ten times the
    space). A re-extracted report gets a new key, which is how the incremental models see it."""
    digest = hashlib.blake2b(f"{report_id}\0{version}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@lru_cache(maxsize=1)
def ingest_segmenter() -> rjieba.Jieba:
    """jieba with the catalog's words and the gazetteer's place names (what ingest indexes with)."""
    from fazhi.place.gazetteer import gazetteer

    return segmenter(domain_words(p.name for p in gazetteer().values() if p.name))


def report_sentences(report_id: str, norm: Normalised, version: str = "",
                     jieba: rjieba.Jieba | None = None) -> ReportSentences:
    """Every sentence of the original text (fazhi.normalise.sentences), with its normalised
    view and its terms; `version` is the extractor version (see report_key)."""
    jieba = jieba or ingest_segmenter()
    rows = ReportSentences(report_key(report_id, version))
    for start, end in sentence_spans(norm.original):
        a, b = norm.to_view(start, end)
        view = norm.text[a:b]
        if not view.strip():
            continue
        rows.char_start.append(start)
        rows.char_end.append(end)
        rows.search_text.append(view)
        rows.index_terms.append(index_terms(jieba, view))
    return rows
