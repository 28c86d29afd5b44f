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

Mojibake: a '?' (the byte the mirror could not decode) or U+FFFD before
sentence punctuation or before rare chars starts a run; the run goes on to
the first ASCII char, which is swallowed when it is a GBK trail byte
(0x40-0x7E), e.g. `區` = 85 5E shows as `螀^`. The run is re-encoded (ASCII
`,!:;()` back to full-width), shifted by one byte and decoded; the reading is
kept if >= 85% of its ideographs are common (GB2312 level 1 after t2s).
Without a '?', clusters of >= 3 uncommon chars are repaired the same way,
the start chosen by the document's own char frequencies. A '?'+digits next
to such a span is garbled too (`?2348`: the '?' ate the 1 of 12348).

API: normalise(original) -> Normalised with .text, .offsets,
.garbled_spans, .repaired_spans, .script, .is_garbled, and
.to_original(start, end), .to_view(start, end), .is_clean(start, end),
.repaired_text(start, end).
"""
from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

import opencc

__all__ = ["Normalised", "normalise", "common_share", "is_common", "text_quality"]

# --------------------------------------------------------------------------
# character tables

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))

# Chinese punctuation that real text uses; a repair that yields these is fine.
_PUNCT_OK = frozenset(
    "。，、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·　"
    + "".join(chr(c) for c in range(0xFF01, 0xFF5F)
              if not (0xFF21 <= c <= 0xFF3A or 0xFF41 <= c <= 0xFF5A))
)

_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_SPACES = {c: 0x20 for c in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B))}
_VIEW_TABLE = {**_FULLWIDTH, **_SPACES}

# ASCII punctuation that these mirrors made out of full-width mojibake
# (，！：；（）); inside a garbled run it stands for the GBK A3xx pair.
_MAPPED_PUNCT = frozenset(",!:;()")

_ZW_RE = re.compile("[\u200b-\u200d\u2060\ufeff]")

# Pinyin gloss after a CJK char, or after the ASCII trail byte that ends a
# mojibake run (`?,F(xiàn)將`). Tone-marked letters never occur in genuine
# English, so any such parenthesised run of 1-7 letters is a gloss.
_TONED = rf"[(（](?=[a-z{_TONES}]*[{_TONES}])[a-z{_TONES}]{{1,7}}[)）]"
# ASCII-only glosses must be one valid syllable followed by CJK, so `(PPP)`,
# `(app)` or `(wechat)` survive.
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|"
    r"ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ve|vn|a|o|e|i|u|v)"
)
# The pattern starts with the bracket so the scan is fast; what precedes it
# is checked in _glosses().
_GLOSS_RE = re.compile(rf"{_TONED}|[(（]{_SYLLABLE}[)）](?=[{_CJK_CLASS}])")
_CJK_CHAR_RE = re.compile(f"[{_CJK_CLASS}]")
_TONED_RE = re.compile(_TONED)


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
    esc = lambda c: "\\U%08x" % c  # noqa: E731 - escapes keep the class ASCII
    return esc(a) if a == b else esc(a) + "-" + esc(b)


@cache
def _tables():
    """Build (level1, common, bad_re) once; ~50 ms."""
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
    conv = _cc().convert("\n".join(cjk)).split("\n")
    common = set(level1)
    if len(conv) == len(cjk):
        common.update(t for t, s in zip(cjk, conv) if s in level1)
    common = frozenset(common)

    # "Bad" chars, looked for in the simplified view: everything wide that is
    # neither a level-1 char nor a symbol real reports use. Mojibake is made
    # of level-2 chars and the GBK symbol rows (ㄒ ﹫ ǘ ≡ ∷ ぷ ...).
    ok = set(range(0x00, 0x80)) | {ord(c) for c in level1} | {ord(c) for c in _PUNCT_OK}
    for a, b in _NEUTRAL:
        ok.update(range(a, b + 1))
    ok.discard(0xFFFD)
    bad_re = re.compile("[^" + _ranges_class(sorted(ok)) + "]")
    return frozenset(level1), common, bad_re


@cache
def _cc() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def is_common(ch: str) -> bool:
    """True for a common Chinese char (GB2312 level 1, either script)."""
    return ch in _tables()[1]


def common_share(s: str) -> float | None:
    """Share of the non-ASCII, non-space chars of `s` that are common Chinese
    chars or Chinese punctuation; None if there are none."""
    common = _tables()[1]
    good = total = 0
    for ch in s:
        if ch <= "\x7f" or (ch.isspace() and ch != "\u3000"):
            continue
        total += 1
        if ch in common or ch in _PUNCT_OK:
            good += 1
    return good / total if total else None


def text_quality(s: str) -> float | None:
    """How much `s` reads like Chinese: common chars and punctuation over
    those plus mojibake-like chars (rare ideographs, GBK symbol rows);
    ASCII and everyday symbols (• ① ℃) do not count. None if no wide char."""
    level1, _, bad_re = _tables()
    simp = _cc().convert(s)
    bad = len(bad_re.findall(simp))
    good = sum(1 for ch in simp if ch in level1 or ch in _PUNCT_OK)
    return good / (good + bad) if good + bad else None


# --------------------------------------------------------------------------
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

    def repaired_text(self, start: int, end: int) -> str:
        """The view's reading (simplified, repairs applied) of ORIGINAL span
        [start, end); e.g. a mojibake heading line -> `(一)坚持...`."""
        a, b = self.to_view(start, end)
        return self.text[a:b]


def _lower(offs: array, x: int) -> int:
    """First view index whose original offset is >= x (offsets is sorted)."""
    lo, hi = 0, len(offs) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if offs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


# --------------------------------------------------------------------------
# the stage


def normalise(original: str) -> Normalised:
    """Build the normalised view of `original` (see module docstring)."""
    simp = _t2s_1to1(original)
    script = _script(original, simp)

    deletions = [(m.start(), m.end()) for m in _ZW_RE.finditer(original)]
    glosses = _glosses(original)
    garbled, repaired = _find_garbled(original, simp, glosses)
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

    base = simp.translate(_VIEW_TABLE)
    n = len(original)
    if not edits:
        text, offsets, ends = base, array("i", range(n + 1)), {}
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


def _glosses(o: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses: after a CJK char, or after an ASCII char that
    follows a wide one (the trail byte closing a mojibake run)."""
    out = []
    for m in _GLOSS_RE.finditer(o):
        a = m.start()
        prev = o[a - 1] if a else ""
        if _CJK_CHAR_RE.match(prev) or (
            "\x21" <= prev <= "\x7e" and a >= 2 and o[a - 2] > "\x7f"
        ):
            out.append((a, m.end()))
    return out


def _view(s: str) -> str:
    """The view of a short string (used for repaired text)."""
    return _ZW_RE.sub("", _cc().convert(s)).translate(_VIEW_TABLE)


def _apply(base: str, n: int, edits) -> tuple[str, array, dict[int, int]]:
    """Splice deletions/replacements into the view and build the map."""
    parts: list[str] = []
    offsets = array("i")
    ends: dict[int, int] = {}
    pos = 0
    for a, b, rep in edits:
        if a < pos:  # overlapping edit (should not happen): keep the first
            continue
        parts.append(base[pos:a])
        offsets.extend(range(pos, a))
        if rep:
            k = len(offsets)
            parts.append(rep)
            offsets.extend([a] * len(rep))
            for i in range(k, k + len(rep)):
                ends[i] = b
        pos = b
    parts.append(base[pos:])
    offsets.extend(range(pos, n + 1))  # includes the sentinel n
    return "".join(parts), offsets, ends


def _t2s_1to1(s: str) -> str:
    """t2s that never changes the length, so offsets stay 1:1."""
    cc = _cc()
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


_CJK_RE = re.compile(f"[{_CJK_CLASS}]")


def _script(original: str, simp: str) -> str:
    """'traditional' if t2s changed more than 1% of the CJK chars."""
    if original == simp:
        return "simplified"
    changed = 0
    for lo, ls in zip(original.split("\n"), simp.split("\n")):
        if lo != ls:
            changed += sum(1 for x, y in zip(lo, ls) if x != y)
    cjk = len(_CJK_RE.findall(original))
    return "traditional" if cjk and changed / cjk > 0.01 else "simplified"


# --------------------------------------------------------------------------
# mojibake


_SEED_RE = re.compile("[?\ufffd]")
_DIGITS_AFTER_Q = re.compile("[?\ufffd][0-9]+")
_SENTENCE_PUNCT = frozenset("。，、；：！？）」』”’…—")
# Each pair the mirror dropped leaves one wrong char in an otherwise right
# reading; a wrong alignment scores about 0.4. Punctuation is not scored,
# so a short run like `(此槛動筥` cannot pass on its brackets.
_REPAIR_MIN = 0.85


def _find_garbled(o: str, simp: str, glosses):
    """Find mojibake spans; return (garbled, repaired) in original offsets."""
    if "?" not in o and "\ufffd" not in o:
        # fast path: without a lost-byte marker only dense clusters count
        if not _tables()[2].search(simp):
            return [], []
    d = simp
    if glosses:
        # blank glosses out (their tone letters look like mojibake); a space
        # is a natural end of a run
        chars = list(d)
        for a, b in glosses:
            chars[a:b] = " " * (b - a)
        d = "".join(chars)

    garbled: list[tuple[int, int]] = []
    repaired: list[tuple[int, int, str]] = []
    taken_until = -1

    for m in _SEED_RE.finditer(o):
        i = m.start()
        if i < taken_until:
            continue
        j = _run_end(o, d, i + 1)
        run = o[i + 1:j]
        nxt = o[i + 1] if i + 1 < len(o) else ""
        after = o[i + 2] if i + 2 < len(o) else ""
        # '?' right before sentence punctuation never happens in real text
        punct_signal = nxt in _SENTENCE_PUNCT or (
            nxt in _MAPPED_PUNCT and after != ""
            and (after > "\x7f" or after in "?\ufffd" or "\x40" <= after <= "\x7e")
        )
        nbad, nall = _count_bad(d, i + 1, j)
        if not punct_signal and (nbad < 2 or nbad < 0.3 * nall):
            continue  # an ordinary question mark
        rep = _repair(run, lost_byte=True) if run else None
        if rep is not None:
            repaired.append((i, j, rep))
            taken_until = j
        elif nall and nbad >= 0.25 * nall:
            garbled.append((i, j))
            taken_until = j
        else:
            # only the marker (and, after '?', the punctuation it mangled)
            k = i + 1
            while o[i] == "?" and k < len(o) and (o[k] in _SENTENCE_PUNCT or o[k] in _MAPPED_PUNCT):
                k += 1
            garbled.append((i, k))
            taken_until = k

    # dense clusters of uncommon chars without a '?' in front; a seed span
    # inside a cluster (the U+FFFD that closes a run) clips it
    spans = sorted(garbled + [(a, b) for a, b, _ in repaired])
    model = None
    for a, b in _clusters(d):
        for x, y in spans:
            if x <= a < y:
                a = y
            elif a < x < b:
                b = x
        if b - a < 2:
            continue
        if model is None:
            model = _Unigram(d)
        found = _repair_cluster(o, d, a, b, spans, model)
        if found is not None:
            repaired.append(found)
        else:
            garbled.append((a, b))
        spans = sorted(garbled + [(x, y) for x, y, _ in repaired])

    # U+FFFD is never text: whatever else happens it is garbled
    if "\ufffd" in o:
        inside = _covers(spans)
        for m in re.finditer("\ufffd", o):
            i = m.start()
            if not inside(i):
                garbled.append((i, i + 1))

    # `?2348` next to a garbled run: the '?' swallowed a digit
    if garbled or repaired:
        spans = sorted(garbled + [(a, b) for a, b, _ in repaired])
        inside = _covers(spans)
        edges = {x for s in spans for x in s}
        for m in _DIGITS_AFTER_Q.finditer(o):
            a, b = m.span()
            if a in edges or b in edges or inside(a):
                garbled.append((a, b))

    repaired.sort()
    return _merge(garbled, repaired), repaired


def _covers(spans):
    """Membership test for sorted (possibly overlapping) spans, O(log n)."""
    starts = [a for a, _ in spans]
    reach = []
    top = -1
    for _, b in spans:
        top = max(top, b)
        reach.append(top)

    def inside(i: int) -> bool:
        k = bisect_right(starts, i) - 1
        return k >= 0 and reach[k] > i

    return inside


def _merge(garbled, repaired) -> list[tuple[int, int]]:
    """Merge overlapping garbled spans; trim the parts inside repaired ones
    (those are disjoint and sorted)."""
    out: list[list[int]] = []
    for a, b in sorted(garbled):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    rstarts = [x for x, _, _ in repaired]
    res = []
    for a, b in out:
        k = bisect_right(rstarts, a) - 1
        if k >= 0 and a < repaired[k][1]:
            a = repaired[k][1]
        k = bisect_right(rstarts, b - 1) - 1
        if k >= 0 and repaired[k][0] < b <= repaired[k][1] and repaired[k][0] >= a:
            b = repaired[k][0]
        if a < b:
            res.append((a, b))
    return res


def _run_end(o: str, d: str, i: int) -> int:
    """End of the misaligned run starting at i: it goes on over non-ASCII
    chars (and mirror-made ASCII punctuation) and ends at the first ASCII
    char, which is swallowed when it is a valid GBK trail byte (0x40-0x7E)."""
    n = len(o)
    j = i
    while j < n:
        c = d[j]
        if c > "\x7f":
            if c == "\ufffd" or (c.isspace() and c != "\u3000") or o[j] == "\ufffd":
                break
            j += 1
            continue
        prev_wide = j > i and (d[j - 1] > "\x7f" or o[j - 1] in _MAPPED_PUNCT)
        if c in _MAPPED_PUNCT and j + 1 < n and (d[j + 1] > "\x7f" or "\x40" <= d[j + 1] <= "\x7e"):
            j += 1
            continue
        if "\x40" <= c <= "\x7e" and prev_wide:
            j += 1  # the realigning trail byte belongs to the run
        break
    return j


def _count_bad(d: str, a: int, b: int) -> tuple[int, int]:
    bad_re = _tables()[2]
    seg = d[a:b]
    nall = sum(1 for ch in seg if ch > "\x7f")
    return len(bad_re.findall(seg)), nall


def _encode_run(run: str) -> bytes | None:
    """GBK bytes the mirror decoded into `run` (ASCII punct back to A3xx)."""
    chars = []
    last = len(run) - 1
    for k, ch in enumerate(run):
        if ch in _MAPPED_PUNCT and k < last:
            ch = chr(ord(ch) + 0xFEE0)
        chars.append(ch)
    try:
        return "".join(chars).encode("gbk")
    except UnicodeEncodeError:
        return None


def _repair(run: str, lost_byte: bool) -> str | None:
    """Re-decode a misaligned run one byte later; None if the reading is not
    convincing. Lost chars (PUA) come back as U+FFFD.

    Prepending any lead byte X only changes the first char ([X b0][b1 b2]...)
    so the reading of the observed bytes is the same for every X: decode
    b1.. once. After a '?' the lost lead was nearly always A1 (。“（　),
    so the first char is kept when A1+b0 gives such punctuation.
    """
    raw = _encode_run(run)
    if not raw or len(raw) < 3:
        return None
    tail = raw[1:]
    if len(tail) % 2:
        tail = tail[:-1]  # lead byte of a char lost at the junction
    try:
        s = tail.decode("gb18030")
    except UnicodeDecodeError:
        return None
    score = _repair_score(s)
    if score is None or score < _REPAIR_MIN:
        return None
    if lost_byte:
        try:
            first = bytes((0xA1, raw[0])).decode("gb18030")
        except UnicodeDecodeError:
            first = ""
        if first in _PUNCT_OK:
            s = first + s
    return re.sub("[\ue000-\uf8ff]", "\ufffd", s)


def _repair_score(s: str) -> float | None:
    """Share of common ideographs among the non-punctuation wide chars.

    Private-use chars are not held against a reading: they mark the junction
    where the mirror dropped a user-defined GBK pair, not a wrong alignment.
    """
    common = _tables()[1]
    good = bad = 0
    for ch in s:
        if ch <= "\x7f" or ch in _PUNCT_OK or ch.isspace() or "\ue000" <= ch <= "\uf8ff":
            continue
        if ch in common:
            good += 1
        else:
            bad += 1
    return good / (good + bad) if good else None


def _clusters(d: str):
    """Yield [a, b) clusters of >= 3 bad chars with gaps <= 3 chars and no
    ASCII in between: a lone rare place name (鲤, 澧, 獬豸) never qualifies."""
    bad_re = _tables()[2]
    pos = [m.start() for m in bad_re.finditer(d)]
    if len(pos) < 3:
        return
    group = [pos[0]]
    for p in pos[1:]:
        q = group[-1]
        if p - q <= 4 and all(ch > "\x7f" and not ch.isspace() for ch in d[q + 1:p]):
            group.append(p)
            continue
        yield from _cluster_ok(group)
        group = [p]
    yield from _cluster_ok(group)


def _cluster_ok(group):
    if len(group) >= 3:
        a, b = group[0], group[-1] + 1
        if len(group) / (b - a) >= 0.35:
            yield a, b


class _Unigram:
    """Char frequencies of the document itself: the cheapest language model
    that tells `导致法治` from `导路ㄖ谓` when both are made of common chars."""

    __slots__ = ("counts", "total")

    def __init__(self, d: str):
        self.counts = Counter(d)
        self.total = len(d) + 1

    def logp(self, s: str) -> float:
        common = _tables()[1]
        counts, total = self.counts, self.total
        out = 0.0
        for ch in _cc().convert(s):
            prior = 1.0 if ch in common or ch in _PUNCT_OK or ch <= "\x7f" else 0.02
            out += math.log((counts.get(ch, 0) + prior) / total)
        return out


def _repair_cluster(o: str, d: str, a: int, b: int, spans, model: _Unigram):
    """Repair a '?'-less cluster: the byte vanished silently somewhere
    between the previous boundary and `a`, so try every start there and keep
    the one whose prefix + reading is most likely under the document's own
    char frequencies (ties: the later start, keeping more original text)."""
    start = a
    floor = max([y for x, y in spans if y <= a], default=0)
    while start > floor and a - start < 40 and d[start - 1] > "\x7f" and not d[start - 1].isspace():
        start -= 1
    end = _run_end(o, d, a)
    # a U+FFFD or '?' right after the run is the char lost at the junction
    marker = end < len(o) and o[end] in "?\ufffd"
    best = None
    for s in range(start, min(a, end - 1) + 1):
        rep = _repair(o[s:end], lost_byte=False)
        if rep is None:
            continue
        n = (s - start) + len(rep)
        score = (model.logp(o[start:s]) + model.logp(rep)) / max(n, 1)
        if best is None or score >= best[0]:
            best = (score, s, rep)
    if best is None:
        return None
    _, s, rep = best
    return (s, end + 1, rep + "\ufffd") if marker else (s, end, rep)
