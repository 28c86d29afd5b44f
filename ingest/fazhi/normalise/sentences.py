"""The one notion of sentence and clause, for attribution, explain and full-text search.

Three levels, by the punctuation that ends them (full-width and ASCII forms alike, so the same
definitions hold on the original text and on the normalised view):

* a SENTENCE ends at 。！？ or a line end;
* a STATEMENT is a sentence, or a part of one ended by a semicolon (；): reports list separate
  facts with semicolons, so a number's context (its cue, its year, its scope markers) stops there;
* a CLAUSE is a part of a statement ended by a comma or colon (，：).

Attribution works on statements and clauses; `sentence_around` shows a whole sentence and falls
back to the statement when the sentence is too long to read; `sentence_spans` cuts a whole text
into sentences (the rows of marts.report_sentences, which full-text search ranks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CLAUSE_END_RE", "COMMAS", "FULL_STOPS", "SEMICOLONS", "STATEMENT_END_RE",
    "Sentence", "sentence_around", "sentence_spans",
]

FULL_STOPS = "。！!？?\n"
SEMICOLONS = "；;"
COMMAS = "，,：:"

STATEMENT_END_RE = re.compile(f"[{re.escape(FULL_STOPS + SEMICOLONS)}]")
# the comma of a thousands separator (3,416名) ends no clause; tested after the character, so that
# the pattern starts with a character class (a scan for it is several times faster)
NOT_THOUSANDS = r"(?!(?<=\d,)\d{3}(?!\d))"
CLAUSE_END_RE = re.compile(f"[{re.escape(COMMAS)}]{NOT_THOUSANDS}")

MAX_SENTENCE = 220
_SENTENCE_END_RE = re.compile(f"[{re.escape(FULL_STOPS)}]")
_CLAUSE_OR_STATEMENT_END_RE = re.compile(f"[{re.escape(FULL_STOPS + SEMICOLONS + COMMAS)}]{NOT_THOUSANDS}")
HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "[[", "]]"


@dataclass(slots=True)
class Sentence:
    text: str
    start: int  # offset of text[0] in the original text
    end: int
    value_start: int  # offsets of the number inside `text`
    value_end: int
    evidence_start: int  # offsets of the evidence inside `text`
    evidence_end: int
    clipped_left: bool = False
    clipped_right: bool = False

    def marked(self, open_: str = HIGHLIGHT_OPEN, close: str = HIGHLIGHT_CLOSE) -> str:
        """The sentence with the number between brackets: `…共受理[[1661件]]…`."""
        t = self.text
        body = t[: self.value_start] + open_ + t[self.value_start: self.value_end] + close + t[self.value_end:]
        return ("…" if self.clipped_left else "") + body + ("…" if self.clipped_right else "")


def sentence_around(text: str, char_start: int, char_end: int,
                    value_start: int | None = None, value_end: int | None = None,
                    limit: int = MAX_SENTENCE) -> Sentence:
    """The sentence of `text` that holds [char_start, char_end): from the previous sentence end
    to the next one, inclusive. A sentence longer than `limit` is cut to its statement (；), then
    to a window around the evidence."""
    n = len(text)
    char_start = max(0, min(char_start, n))
    char_end = max(char_start, min(char_end, n))
    if value_start is None or value_end is None or not (char_start <= value_start <= value_end <= char_end):
        value_start, value_end = char_start, char_end

    def bounds(stops: str, lo: int, hi: int) -> tuple[int, int]:
        s = char_start
        while s > lo and text[s - 1] not in stops:
            s -= 1
        e = char_end
        while e < hi and text[e] not in stops:
            e += 1
        if e < hi and text[e] != "\n":
            e += 1  # keep the full stop
        return s, e

    s, e = bounds(FULL_STOPS, 0, n)
    if e - s > limit:
        s, e = bounds(FULL_STOPS + SEMICOLONS, s, e)
    clipped_left = clipped_right = False
    if e - s > limit:
        room = max(limit - (char_end - char_start), 20) // 2
        if char_start - s > room:
            s, clipped_left = char_start - room, True
        if e - char_end > room:
            e, clipped_right = char_end + room, True
    # trim whitespace at the edges (reports indent paragraphs)
    while s < char_start and text[s].isspace():
        s += 1
    while e > char_end and text[e - 1].isspace():
        e -= 1
    return Sentence(text[s:e], s, e, value_start - s, value_end - s, char_start - s, char_end - s,
                    clipped_left, clipped_right)


def sentence_spans(text: str, limit: int = 4 * MAX_SENTENCE) -> list[tuple[int, int]]:
    """Every sentence of `text` as (start, end) offsets, in order, whitespace trimmed at both
    edges, the full stop kept, empty ones left out. A sentence longer than `limit` (a paragraph
    with no full stop, a table flattened into one line) is cut at its statements (；), and a
    statement still longer at its clauses (，：), so a search hit stays readable."""
    spans: list[tuple[int, int]] = []
    for s, e in _cut(text, 0, len(text), _SENTENCE_END_RE):
        if e - s <= limit:
            spans.append((s, e))
            continue
        for s2, e2 in _cut(text, s, e, STATEMENT_END_RE):
            spans.extend([(s2, e2)] if e2 - s2 <= limit else _cut(text, s2, e2, _CLAUSE_OR_STATEMENT_END_RE))
    return spans


def _cut(text: str, lo: int, hi: int, ends: re.Pattern) -> list[tuple[int, int]]:
    """[lo, hi) cut after each match of `ends` (a line end is not kept), trimmed, non-empty."""
    out = []
    start = lo
    for m in ends.finditer(text, lo, hi):
        out.append((start, m.start() if m.group() == "\n" else m.end()))
        start = m.end()
    out.append((start, hi))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed
