"""Zeros stated in words ("无行政败诉案件"): seeds/zero_phrases.csv, read as quantities of 0 that
attribution gives to the phrase's own indicator (the phrase is its own cue)."""
from __future__ import annotations

import re
from functools import lru_cache

from fazhi.records import Quantity
from fazhi.rules import load_catalog

__all__ = ["zero_quantities"]


@lru_cache(maxsize=2)
def _zero_re() -> re.Pattern[str] | None:
    phrases = load_catalog().zero_phrases
    if not phrases:
        return None
    return re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True))))


def zero_quantities(text: str) -> list[Quantity]:
    """Every zero stated in words in a normalised text, as a Quantity of 0 with the phrase's unit."""
    zero_re = _zero_re()
    if zero_re is None:
        return []
    phrases = load_catalog().zero_phrases
    return [
        Quantity(m.group(), 0.0, phrases[m.group()][1], "exact", m.start(), m.end(), m.start(), m.end())
        for m in zero_re.finditer(text)
    ]
