"""Character tables shared by every stage: what a CJK ideograph is, which characters are common
Chinese (GB2312 level 1, either script), the view's character mapping, and the one t2s converter.

`gb_tables()` is built once (~50 ms) and cached; forked ingest workers inherit it.
"""
from __future__ import annotations

import re
from functools import cache

import opencc

__all__ = [
    "CJK_CLASS", "CJK_RE", "MAPPED_PUNCT", "PUNCT_OK", "TONES", "VIEW_TABLE", "WIDE_CLASS", "ZERO_WIDTH_RE",
    "gb_tables", "t2s", "text_quality", "to_simplified", "to_view_chars",
]

# The CJK ideographs, as a regex class body: Extension A, the URO and the compatibility block.
# The one definition every pattern uses (`[{CJK_CLASS}]`).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")
# Characters written without spaces between them: CJK punctuation and ideographs, full-width forms.
WIDE_CLASS = "\u3000-\u9fff\uff00-\uffef"

# Chinese punctuation that real text uses; a repair that yields these is fine.
PUNCT_OK = frozenset(
    "。，、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·　"
    + "".join(chr(c) for c in range(0xFF01, 0xFF5F)
              if not (0xFF21 <= c <= 0xFF3A or 0xFF41 <= c <= 0xFF5A))
)

# Tone-marked pinyin letters (glosses inserted by mirror sites).
TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_SPACES = dict.fromkeys((160, 5760, 8239, 8287, 12288, *range(8192, 8203)), 32)
# str.translate table of the normalised view: full-width ASCII forms -> ASCII, odd spaces -> ' '.
VIEW_TABLE = {**_FULLWIDTH, **_SPACES}
_VIEW_CHARS = {chr(k): chr(v) for k, v in VIEW_TABLE.items()}
_VIEW_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_VIEW_CHARS)) + "]")


def to_view_chars(text: str) -> str:
    """`text.translate(VIEW_TABLE)`, about ten times faster: str.translate looks every character of a
    non-ASCII text up in the table, while a report holds only a few distinct characters to map."""
    for c in set(_VIEW_RE.findall(text)):
        text = text.replace(c, _VIEW_CHARS[c])
    return text

# ASCII punctuation that mirrors made out of full-width mojibake (，！：；（）); inside a garbled
# run it stands for the GBK A3xx pair.
MAPPED_PUNCT = frozenset(",!:;()")

ZERO_WIDTH_RE = re.compile("[\u200b-\u200d\u2060\ufeff]")

# Symbols real reports use; never evidence of mojibake.
_NEUTRAL = (
    (0x0080, 0x00BF),  # Latin-1 punctuation: NBSP ° ± · ² ½ ...
    (0x00D7, 0x00D7), (0x00F7, 0x00F7),  # × ÷
    (0x2000, 0x206F),  # spaces, dashes, quotes, bullets, ‰ ※
    (0x2100, 0x21FF),  # ℃ № ™, Ⅰ ⅰ, arrows
    (0x221A, 0x221A), (0x221E, 0x221E), (0x2248, 0x2248),  # √ ∞ ≈
    (0x2260, 0x2260), (0x2264, 0x2265),  # ≠ ≤ ≥
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x25A0, 0x27BF),  # ■ □ ▲ ● ★ ☆ ✓
    (0x3000, 0x303F),  # CJK punctuation
    (0x3200, 0x33FF),  # ㈠ ㎡
    (0xFF01, 0xFF5E), (0xFFE0, 0xFFEF),  # full-width forms, ￥
    (0x1F000, 0x1FAFF),  # emoji
)


@cache
def t2s() -> opencc.OpenCC:
    """The one traditional -> simplified converter (OpenCC 't2s')."""
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return t2s().convert(text)


def _ranges_class(codes) -> str:
    """Compact a sorted iterable of code points into a regex class body."""
    out: list[str] = []
    start = prev = None
    for c in codes:
        if prev is not None and c == prev + 1:
            prev = c
            continue
        if start is not None:
            out.append(_rng(start, prev))
        start = prev = c
    if start is not None:
        out.append(_rng(start, prev))
    return "".join(out)


def _rng(a: int, b: int) -> str:
    def esc(c: int) -> str:  # escapes keep the class ASCII
        return f"\\U{c:08x}"

    return esc(a) if a == b else esc(a) + "-" + esc(b)


@cache
def gb_tables() -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """(level1, common, bad_re), built once; ~50 ms.

    level1: GB2312 level-1 chars; common: those plus the traditional forms t2s maps onto them;
    bad_re: a char that is neither level 1 nor a symbol real reports use (what mojibake is made of).
    """
    level1 = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                level1.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    # Traditional forms count as common when t2s maps them onto level 1.
    # Joining with '\n' stops OpenCC from converting phrases.
    cjk = [chr(c) for c in range(0x4E00, 0xA000)]
    conv = t2s().convert("\n".join(cjk)).split("\n")
    common = set(level1)
    if len(conv) == len(cjk):
        common.update(t for t, s in zip(cjk, conv) if s in level1)

    # "Bad" chars, looked for in the simplified view: everything wide that is
    # neither a level-1 char nor a symbol real reports use. Mojibake is made
    # of level-2 chars and the GBK symbol rows (ㄒ ﹫ ǘ ≡ ∷ ぷ ...).
    ok = set(range(0x00, 0x80)) | {ord(c) for c in level1} | {ord(c) for c in PUNCT_OK}
    for a, b in _NEUTRAL:
        ok.update(range(a, b + 1))
    ok.discard(0xFFFD)
    bad_re = re.compile("[^" + _ranges_class(sorted(ok)) + "]")
    return frozenset(level1), frozenset(common), bad_re


def text_quality(s: str) -> float | None:
    """How much `s` reads like Chinese: common chars and punctuation over
    those plus mojibake-like chars (rare ideographs, GBK symbol rows);
    ASCII and everyday symbols (• ① ℃) do not count. None if no wide char."""
    _, _, bad_re = gb_tables()
    simp = to_simplified(s)
    bad = len(bad_re.findall(simp))
    good = sum(map(_level1_or_punct().__contains__, simp))
    return good / (good + bad) if good + bad else None


@cache
def _level1_or_punct() -> frozenset[str]:
    """The chars text_quality counts as good: level-1 chars and the punctuation reports use."""
    return gb_tables()[0] | PUNCT_OK
