"""Stage "attribute": a sentence wrapped across lines in a plain text is read as one line.

PDFs are reflowed by the reader (read/layout.py), but a text exported or copied from a PDF keeps
the layout's line breaks: "共受理矛盾纠\\n纷2310件", "审结行政复议案件\\n132件", a page number
between the two halves. A line end is a statement end for the grammar, so the number would lose
its words. A break is taken for a wrap, and joined for the reading of prose only (the tables are
read from the text as it is), when the line before ends inside a sentence (a CJK character or a
digit, no heading, no table row) and
  * it cuts a word of the lexicon in two halves that are no words themselves (纠|纷, 培|训); or
  * it cuts a number from its measure word (87|件), or a number in two in a long line (4|5件); or
  * the line before holds a verb and no number in its last clause, and the next line gives a
    number within its first words (审结行政复议案件|132件, 发放各类法治宣传|资料6800余份).
"""
from __future__ import annotations

import re

from fazhi.extract.quantities import default_rules
from fazhi.extract.words import scan
from fazhi.normalise import Normalised
from fazhi.normalise.chars import CJK_CLASS, CJK_RE
from fazhi.read.layout import PAGE_NUMBER_RE
from fazhi.rules import Grammar, load_grammar

__all__ = ["prose_view", "wraps"]

CONTINUES = re.compile(rf"[{CJK_CLASS}\d]")
HEADING = re.compile(r"[ \t]*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]"
                     r"|\d{1,2}[.、](?!\d)|第[一二三四五六七八九十]{1,3}[章节部分])")
NUMBER_SOON = re.compile(r"[^，,。；;:：\n\d]{0,8}\d")
CLAUSE_END = re.compile(r"[，,。；;:：]")
LONG_LINE = 15  # a line of prose, not a table cell
WINDOW = 8  # characters on each side of a break looked at for a cut word


def prose_view(norm: Normalised) -> Normalised:
    """The view with wrapped sentences joined (the view itself when nothing is wrapped)."""
    return norm.without(wraps(norm.text, load_grammar(), default_rules().units))


def wraps(text: str, grammar: Grammar, units: tuple[str, ...]) -> list[tuple[int, int]]:
    """The spans (line break, the spaces around it, a page-number line between) to take out of
    `text` so that wrapped sentences are one line again; sorted and disjoint."""
    out: list[tuple[int, int]] = []
    pos = text.find("\n")
    while pos >= 0:
        a = pos
        while a > 0 and text[a - 1] in " \t\r":
            a -= 1
        b, nxt = _next_content(text, pos + 1)
        if b < len(text) and a > 0 and _joins(text, a, b, grammar, units):
            out.append((a, b))
        pos = text.find("\n", max(nxt, pos + 1))
    return out


def _next_content(text: str, i: int) -> tuple[int, int]:
    """Where the next line's text starts, past spaces and one page-number line; and where to look
    for the next break from."""
    b = _skip_spaces(text, i)
    end = text.find("\n", b)
    end = len(text) if end < 0 else end
    if b < end and PAGE_NUMBER_RE.match(text[b:end].strip()):
        b2 = _skip_spaces(text, end + 1)
        if b2 < len(text):
            return b2, b2
    return b, b


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\u3000":
        i += 1
    return i


def _joins(text: str, a: int, b: int, grammar: Grammar, units: tuple[str, ...]) -> bool:
    if not (CONTINUES.match(text, a - 1) and CONTINUES.match(text, b)) or HEADING.match(text, b):
        return False
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end < 0 else line_end
    if "|" in text[line_start:a] or "|" in text[b:line_end]:
        return False  # a table row
    if _cuts_word(text, max(line_start, a - WINDOW), a, b, min(line_end, b + WINDOW), grammar):
        return True
    if HEADING.match(text, line_start):
        return False  # a heading ends where its line ends
    if text[a - 1].isdigit():
        if text[b].isdigit():  # 审结4|5件: a number cut in two, in a line of prose (not a column of cells)
            i, j = a, b
            while i > line_start and text[i - 1].isdigit():
                i -= 1
            while j < line_end and text[j].isdigit():
                j += 1
            return a - line_start >= LONG_LINE and CJK_RE.match(text, i - 1) is not None and text.startswith(units, j)
        return text.startswith(units, b)  # 87|件
    clause = text[line_start:a]
    last = CLAUSE_END.split(clause)[-1]
    if len(clause) < 8 or any(c.isdigit() for c in last):
        return False
    verbs = [t for t in scan(last, grammar) if t.role == "action"]
    return bool(verbs) and NUMBER_SOON.match(text, b, line_end) is not None


def _cuts_word(text: str, lo: int, a: int, b: int, hi: int, grammar: Grammar) -> bool:
    """A lexicon word across the break whose two halves are no words (纠|纷, 规范性文|件)."""
    left, right = text[lo:a], text[b:hi]
    for t in scan(left + right, grammar):
        if t.start < len(left) < t.end:
            head, tail = t.text[:len(left) - t.start], t.text[len(left) - t.start:]
            return head not in grammar.words and tail not in grammar.words
    return False
