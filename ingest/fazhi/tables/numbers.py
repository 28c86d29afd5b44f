"""Numbers in table cells. A cell is a number when the whole cell is one: "0", "1,753.79",
"75件", "49.66%", "1.2万"; a blank cell ("", "-", "/", "—", "无") has no value."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from fazhi.rules import load_catalog

_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_BLANK = re.compile(r"^[\s\-—–/／\\]*$|^(?:无|空)$")


@dataclass(frozen=True, slots=True)
class CellNumber:
    value: float
    unit: str  # the measure word written in the cell (件, 元, % …), or ""
    num_start: int  # offsets of the numeral inside the cell's text
    num_end: int


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    words = sorted(load_catalog().unit_class, key=len, reverse=True)
    units = "|".join(map(re.escape, [*words, "万元", "亿元"]))
    return re.compile(
        r"^\s*(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<mult>万|亿)?\s*"
        rf"(?P<unit>%|‰|{units})?\s*$"
    )


def parse_number(text: str) -> CellNumber | None:
    """The number a cell holds, or None (words, dates, blanks)."""
    m = _pattern().match(text)
    if m is None:
        return None
    value = Decimal(m.group("num").replace(",", ""))
    unit = m.group("unit") or ""
    if m.group("mult"):
        value *= _MULTIPLIER[m.group("mult")]
    if unit in ("万元", "亿元"):
        value, unit = value * _MULTIPLIER[unit[0]], "元"
    return CellNumber(float(value), unit, m.start("num"), m.end("num"))


def is_blank(text: str) -> bool:
    return bool(_BLANK.match(text))
