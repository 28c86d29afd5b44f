"""Stage "normalise": original text -> a normalised view for matching.

Evidence and offsets always refer to the ORIGINAL text; the view exists only
to make matching simple. Every view char maps back to the original char it
came from (`Normalised.offsets`, plus a sentinel == len(original)).

What the view does, all 1:1 unless noted:
  * traditional -> simplified with OpenCC 't2s' (whole text at once; a line
    whose length changes is redone per character so the map stays 1:1);
  * full-width ASCII forms U+FF01..U+FF5E -> ASCII, so `１６６１` -> `1661`,
    `（` -> `(`, `，` -> `,`, `；` -> `;`, `：` -> `:`, `？` -> `?`, `！` -> `!`,
    `％` -> `%`. CJK punctuation outside that block stays as it is:
    。、“”‘’《》【】〔〕「」—…· (downstream relies on this split);
  * U+3000, NBSP and the other odd spaces -> ' ';
  * deletions (no map entry): zero-width chars U+200B-U+200D, U+2060, U+FEFF
    and pinyin glosses inserted by mirror sites, `領(lǐng)` -> `领`;
  * GBK-misaligned mojibake (`?。ㄒ唬﹫猿秩...` for `（一）堅持...`) is
    detected; where the bytes allow, the span is re-decoded and the view holds
    the repaired text (every repaired char maps to the whole original span),
    otherwise the garbled chars stay. Either way `is_clean()` is False there,
    so no number is ever read from such a span.
Digit grouping (`1 661`, `1,661`) is left to the quantity reader.
Mojibake detection and repair: mojibake.py. Character tables: chars.py.

API: normalise(original) -> Normalised with .text, .offsets,
.garbled_spans, .repaired_spans, .script, .is_garbled, and
.to_original(start, end), .to_view(start, end), .is_clean(start, end),
.repaired_text(start, end).
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import ne

from fazhi.normalise.chars import CJK_CLASS, CJK_RE, TONES, ZERO_WIDTH_RE, t2s, to_simplified, to_view_chars
from fazhi.normalise.mojibake import find_garbled

__all__ = ["Normalised", "normalise"]

# Pinyin gloss after a CJK char, or after the ASCII trail byte that ends a
# mojibake run (`?,F(xiàn)將`). Tone-marked letters never occur in genuine
# English, so any such parenthesised run of 1-7 letters is a gloss.
_TONED = rf"[(（](?=[a-z{TONES}]*[{TONES}])[a-z{TONES}]{{1,7}}[)）]"
# ASCII-only glosses must be one valid syllable followed by CJK, so `(PPP)`,
# `(app)` or `(wechat)` survive.
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|"
    r"ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ve|vn|a|o|e|i|u|v)"
)
# The pattern starts with the bracket so the scan is fast; what precedes it
# is checked in _glosses().
_GLOSS_RE = re.compile(rf"{_TONED}|[(（]{_SYLLABLE}[)）](?=[{CJK_CLASS}])")
_TONED_RE = re.compile(_TONED)
_CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")

# the result


@dataclass(slots=True)
class Normalised:
    """Normalised view of `original` with the map back to it."""

    original: str
    text: str
    offsets: array  # offsets[i] = original index of text[i]; offsets[-1] = len(original)
    garbled_spans: list[tuple[int, int]] = field(default_factory=list)
    repaired_spans: list[tuple[int, int, str]] = field(default_factory=list)
    script: str = "simplified"
    is_garbled: bool = False
    # view index -> original end, for repaired chars that stand for a whole span
    _ends: dict[int, int] = field(default_factory=dict, repr=False)
    _dirty_starts: list[int] = field(default_factory=list, repr=False)
    _dirty_ends: list[int] = field(default_factory=list, repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map view span [start, end) to the original span that produced it."""
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise IndexError(f"span ({start}, {end}) outside 0..{n}")
        a = self.offsets[start]
        if end == start:
            return a, a
        last = end - 1
        b = self._ends.get(last)
        if b is None:
            b = self.offsets[last] + 1
        return a, b

    def to_view(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span to the smallest view span covering it."""
        offs = self.offsets
        return _lower(offs, start), _lower(offs, end)

    def is_clean(self, start: int, end: int) -> bool:
        """False if view span [start, end) touches a garbled or repaired span."""
        a, b = self.to_original(start, end)
        b = max(b, a + 1)
        i = bisect_right(self._dirty_starts, b - 1) - 1
        return i < 0 or self._dirty_ends[i] <= a

    def without(self, spans: list[tuple[int, int]]) -> Normalised:
        """The view with the view spans `spans` (sorted, disjoint) taken out; the map back to the
        original is kept, so evidence still cuts the original (line breaks included)."""
        if not spans:
            return self
        keep: list[int] = []
        pos = 0
        for a, b in spans:
            keep.extend(range(pos, a))
            pos = b
        keep.extend(range(pos, len(self.text)))
        text = "".join(self.text[i] for i in keep)
        offsets = array("i", (self.offsets[i] for i in keep))
        offsets.append(self.offsets[-1])
        ends = {j: self._ends[i] for j, i in enumerate(keep) if i in self._ends}
        return Normalised(self.original, text, offsets, self.garbled_spans, self.repaired_spans, self.script,
                          self.is_garbled, ends, self._dirty_starts, self._dirty_ends)

    def repaired_text(self, start: int, end: int) -> str:
        """The view's reading (simplified, repairs applied) of ORIGINAL span
        [start, end); e.g. a mojibake heading line -> `(一)坚持...`."""
        a, b = self.to_view(start, end)
        return self.text[a:b]


def _lower(offs: array, x: int) -> int:
    """First view index whose original offset is >= x (offsets is sorted), at most the last
    index: the binary search of bisect_left, run in C (tests/test_fast_paths.py)."""
    return bisect_left(offs, x, 0, len(offs) - 1)


# --------------------------------------------------------------------------
# the stage


def normalise(original: str) -> Normalised:
    """Build the normalised view of `original` (see module docstring)."""
    simp = _t2s_1to1(original)
    script = _script(original, simp)

    deletions = [(m.start(), m.end()) for m in ZERO_WIDTH_RE.finditer(original)]
    glosses = _glosses(original)
    garbled, repaired = find_garbled(original, simp, glosses)
    if garbled or repaired:
        # a gloss right after a mojibake run (`?,F(xiàn)將`) follows no CJK
        seen = {a for a, _ in glosses}
        for end in sorted({b for _, b in garbled} | {b for _, b, _ in repaired}):
            m = _TONED_RE.match(original, end)
            if m and end not in seen:
                glosses.append(m.span())

    repaired = [(a, b, _view(rep)) for a, b, rep in repaired]
    edits: list[tuple[int, int, str | None]] = [(a, b, None) for a, b in deletions]
    edits += [(a, b, None) for a, b in glosses]
    edits += repaired
    edits.sort()

    base = to_view_chars(simp)
    n = len(original)
    if not edits:
        text, offsets, ends = base, _identity(n + 1), {}
    else:
        text, offsets, ends = _apply(base, n, edits)

    dirty = sorted([(a, b) for a, b in garbled] + [(a, b) for a, b, _ in repaired])
    return Normalised(
        original=original,
        text=text,
        offsets=offsets,
        garbled_spans=garbled,
        repaired_spans=repaired,
        script=script,
        is_garbled=bool(dirty),
        _ends=ends,
        _dirty_starts=[a for a, _ in dirty],
        _dirty_ends=[b for _, b in dirty],
    )


_IDENTITY_CACHED = 1 << 22  # offsets of texts up to 4 M chars are cut from one cached array
_identity_cache = [array("i")]


def _identity(n: int) -> array:
    """array("i", range(n)), copied from a cached longer one when it can be (a copy is a memcpy;
    building it makes a Python int per element)."""
    if n > _IDENTITY_CACHED:
        return array("i", range(n))
    if len(_identity_cache[0]) < n:
        _identity_cache[0] = array("i", range(1 << (n - 1).bit_length()))  # grows by powers of two
    return _identity_cache[0][:n]


def _glosses(o: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses: after a CJK char, or after an ASCII char that
    follows a wide one (the trail byte closing a mojibake run)."""
    out = []
    for m in _GLOSS_RE.finditer(o):
        a = m.start()
        prev = o[a - 1] if a else ""
        if CJK_RE.match(prev) or (
            "\x21" <= prev <= "\x7e" and a >= 2 and o[a - 2] > "\x7f"
        ):
            out.append((a, m.end()))
    return out


def _view(s: str) -> str:
    """The view of a short string (used for repaired text)."""
    return to_view_chars(ZERO_WIDTH_RE.sub("", to_simplified(s)))


def _apply(base: str, n: int, edits) -> tuple[str, array, dict[int, int]]:
    """Splice deletions/replacements into the view and build the map."""
    parts: list[str] = []
    offsets = array("i")
    ends: dict[int, int] = {}
    identity = _identity(n + 1)  # (slices of it: the kept runs of the map, copied whole)
    pos = 0
    for a, b, rep in edits:
        if a < pos:  # overlapping edit (should not happen): keep the first
            continue
        parts.append(base[pos:a])
        offsets.extend(identity[pos:a])
        if rep:
            k = len(offsets)
            parts.append(rep)
            offsets.extend([a] * len(rep))
            for i in range(k, k + len(rep)):
                ends[i] = b
        pos = b
    parts.append(base[pos:])
    offsets.extend(identity[pos:])  # includes the sentinel n
    return "".join(parts), offsets, ends


def _t2s_1to1(s: str) -> str:
    """t2s that never changes the length, so offsets stay 1:1."""
    cc = t2s()
    conv = cc.convert(s)
    if len(conv) == len(s):
        return conv
    out = []
    for line in s.split("\n"):
        c = cc.convert(line)
        if len(c) != len(line):
            # per char, with '\n' separators so phrases cannot merge
            pieces = cc.convert("\n".join(line)).split("\n")
            if len(pieces) != len(line):
                pieces = [cc.convert(ch) for ch in line]
            c = "".join(p if len(p) == 1 else ch for p, ch in zip(pieces, line))
        out.append(c)
    return "\n".join(out)


def _script(original: str, simp: str) -> str:
    """'traditional' if t2s changed more than 1% of the CJK chars."""
    if original == simp:
        return "simplified"
    changed = 0
    for lo, ls in zip(original.split("\n"), simp.split("\n")):
        if lo != ls:
            changed += sum(map(ne, lo, ls))
    cjk = sum(map(len, _CJK_RUN_RE.findall(original)))  # (runs: fewer matches than characters)
    return "traditional" if cjk and changed / cjk > 0.01 else "simplified"


