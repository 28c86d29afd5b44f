"""The lexicon words of a text (seeds/lexicon.csv), found once per document.

Words never overlap. They are matched longest-first from the RIGHT (backward maximum matching):
法治宣传单 is 法治 + 宣传单 and 行政执法检查 is 行政 + 执法检查, where a left-to-right scan would
take 法治宣传 and 行政执法 and lose the head noun. The lexicon is the word boundary: a word
never matches across a longer word of the lexicon (处罚 is not found inside 不予处罚 when
不予处罚 is a row).
"""
from __future__ import annotations

import bisect
from itertools import pairwise
from typing import NamedTuple

from fazhi.rules import Grammar, Word

__all__ = ["Token", "TokenIndex", "scan"]


class Token(NamedTuple):
    """A lexicon word found in the text, at [start, end) of the normalised view (a named tuple:
    a document has tens of thousands)."""

    start: int
    end: int
    word: Word

    @property
    def text(self) -> str:
        return self.word.text

    @property
    def role(self) -> str:
        return self.word.role

    @property
    def cls(self) -> str:
        return self.word.cls

    @property
    def domain(self) -> str:
        return self.word.domain


def scan(text: str, grammar: Grammar, spans: list[tuple[int, int]] | None = None) -> list[Token]:
    """Every lexicon word of `text` (or of its `spans`, sorted and disjoint, which must not cut a
    word: statements, headings), in order."""
    new = tuple.__new__  # a named tuple without its keyword-argument wrapper: twice as fast
    out: list[Token] = []
    for lo, hi in spans if spans is not None else [(0, len(text))]:
        last = hi - 1
        found = [new(Token, (last - end, last - end + len(word.text), word))
                 for end, word in grammar.reversed_words.iter_long(text[lo:hi][::-1])]
        found.reverse()
        out += found
    return out


class TokenIndex:
    """The tokens of a document, sorted, with range queries."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]
        # words found by `scan` never overlap: then the tokens inside a range are one slice
        self.disjoint = all(t.start < t.end for t in tokens) and \
            all(a.end <= b.start for a, b in pairwise(tokens))

    def between(self, lo: int, hi: int) -> list[Token]:
        """The tokens wholly inside [lo, hi)."""
        i = bisect.bisect_left(self.starts, lo)
        if self.disjoint:  # from the first starting at lo or later to the last ending at hi or before
            return self.tokens[i:bisect.bisect_right(self.ends, hi, i)]
        out = []
        while i < len(self.tokens) and self.tokens[i].start < hi:
            if self.tokens[i].end <= hi:
                out.append(self.tokens[i])
            i += 1
        return out

    def covering(self, pos: int) -> Token | None:
        """The token that covers character `pos`, if any."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.tokens[i] if i >= 0 and self.tokens[i].end > pos else None
