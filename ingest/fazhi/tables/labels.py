"""Table labels: how they compare, and the words that give a row or column its role.

The words are data (seeds/table_labels.csv): 合计/总计 (a total), 小计 (a sub-total), 序号 (a
column that numbers the rows), 同比/增减 (a change, another period), 省直/市州 (a tier of
sub-units).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fazhi.rules import read_seed, to_simplified

ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))"
)
# a unit in a header: "（宗）", "(单位：万元)"
UNIT_IN_LABEL = re.compile(r"[(（](?:单位[:：]?)?\s*(万元|亿元|元|宗|件|个|人次|人|次|项|份|户|家|场|%)\s*[)）]")
_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_NOISE = re.compile(r"[\s“”\"'‘’「」『』:：,，、。;；|]")
ROLES = ("total", "subtotal", "index", "change", "share", "tier", "negation")


def label_key(text: str) -> str:
    """What a label says, for comparing: numbering, bracketed notes, quotes, punctuation and
    spaces dropped ("（二）部分公开（区分处理的…）" -> "部分公开")."""
    s = text.strip()
    while (m := ENUMERATOR.match(s)) is not None:
        s = s[m.end():].lstrip()
    return _NOISE.sub("", _PAREN.sub("", s))


def same_label(cell_key: str, label: str) -> bool:
    """Equal keys, or one is the other with words before or after it ("行政规范性文件" and
    "规范性文件"), when the shorter has at least four characters."""
    if not cell_key or not label:
        return False
    if cell_key == label:
        return True
    short, long_ = sorted((cell_key, label), key=len)
    return len(short) >= 4 and (long_.endswith(short) or long_.startswith(short))


@dataclass(frozen=True, slots=True)
class LabelWords:
    words: dict[str, tuple[str, ...]]  # role -> words (simplified)

    def starts(self, role: str, text: str) -> bool:
        """The label begins with a word of the role (合计(宗), 总计)."""
        key = label_key(text)
        return any(key.startswith(w) for w in self.words.get(role, ()))

    def contains(self, role: str, text: str) -> bool:
        return any(w in text for w in self.words.get(role, ()))

    def negated(self, before: str) -> bool:
        """A negation word ends the text before a word (不予 in 不予许可, 未 in 尚未审结)."""
        return any(before.endswith(w) for w in self.words.get("negation", ()))

    def is_index(self, text: str) -> bool:
        return label_key(text) in self.words.get("index", ())


@lru_cache(maxsize=1)
def label_words() -> LabelWords:
    words: dict[str, list[str]] = {}
    for row in read_seed("table_labels.csv"):
        if row["role"] not in ROLES:
            raise ValueError(f"seeds/table_labels.csv: {row['label']!r} has an unknown role {row['role']!r}")
        words.setdefault(row["role"], []).append(to_simplified(row["label"]))
    return LabelWords({role: tuple(ws) for role, ws in words.items()})
