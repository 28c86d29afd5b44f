"""Mojibake: find text that a mirror decoded with a misaligned GBK byte stream, and repair it.

A '?' (the byte the mirror could not decode) or U+FFFD before sentence punctuation or before
rare chars starts a run; the run goes on to the first ASCII char, which is swallowed when it is
a GBK trail byte (0x40-0x7E), e.g. `區` = 85 5E shows as `螀^`. The run is re-encoded (ASCII
`,!:;()` back to full-width), shifted by one byte and decoded; the reading is kept if >= 85% of
its ideographs are common (GB2312 level 1 after t2s). Without a '?', clusters of >= 3 uncommon
chars are repaired the same way, the start chosen by the document's own char frequencies.
A '?'+digits next to such a span is garbled too (`?2348`: the '?' ate the 1 of 12348).

`find_garbled(original, simplified, glosses)` -> (garbled spans, repaired spans) in original
offsets; `normalise()` (view.py) puts the repairs into the view and keeps numbers out of both.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter

from fazhi.normalise.chars import MAPPED_PUNCT, PUNCT_OK, gb_tables, to_simplified

__all__ = ["find_garbled"]

_SEED_RE = re.compile("[?\ufffd]")
_DIGITS_AFTER_Q = re.compile("[?\ufffd][0-9]+")
_SENTENCE_PUNCT = frozenset("。，、；：！？）」』”’…—")
# Each pair the mirror dropped leaves one wrong char in an otherwise right
# reading; a wrong alignment scores about 0.4. Punctuation is not scored,
# so a short run like `(此槛動筥` cannot pass on its brackets.
_REPAIR_MIN = 0.85


Span = tuple[int, int]


def find_garbled(
    o: str, simp: str, glosses: list[Span],
) -> tuple[list[Span], list[tuple[int, int, str]]]:
    """Find mojibake spans; return (garbled, repaired) in original offsets."""
    # fast path: without a lost-byte marker only dense clusters count
    if "?" not in o and "\ufffd" not in o and not gb_tables()[2].search(simp):
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
            nxt in MAPPED_PUNCT and after != ""
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
            while o[i] == "?" and k < len(o) and (o[k] in _SENTENCE_PUNCT or o[k] in MAPPED_PUNCT):
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
        prev_wide = j > i and (d[j - 1] > "\x7f" or o[j - 1] in MAPPED_PUNCT)
        if c in MAPPED_PUNCT and j + 1 < n and (d[j + 1] > "\x7f" or "\x40" <= d[j + 1] <= "\x7e"):
            j += 1
            continue
        if "\x40" <= c <= "\x7e" and prev_wide:
            j += 1  # the realigning trail byte belongs to the run
        break
    return j


def _count_bad(d: str, a: int, b: int) -> tuple[int, int]:
    bad_re = gb_tables()[2]
    seg = d[a:b]
    nall = sum(1 for ch in seg if ch > "\x7f")
    return len(bad_re.findall(seg)), nall


def _encode_run(run: str) -> bytes | None:
    """GBK bytes the mirror decoded into `run` (ASCII punct back to A3xx)."""
    chars = []
    last = len(run) - 1
    for k, ch in enumerate(run):
        if ch in MAPPED_PUNCT and k < last:
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
        if first in PUNCT_OK:
            s = first + s
    return re.sub("[\ue000-\uf8ff]", "\ufffd", s)


def _repair_score(s: str) -> float | None:
    """Share of common ideographs among the non-punctuation wide chars.

    Private-use chars are not held against a reading: they mark the junction
    where the mirror dropped a user-defined GBK pair, not a wrong alignment.
    """
    common = gb_tables()[1]
    good = bad = 0
    for ch in s:
        if ch <= "\x7f" or ch in PUNCT_OK or ch.isspace() or "\ue000" <= ch <= "\uf8ff":
            continue
        if ch in common:
            good += 1
        else:
            bad += 1
    return good / (good + bad) if good else None


def _clusters(d: str):
    """Yield [a, b) clusters of >= 3 bad chars with gaps <= 3 chars and no
    ASCII in between: a lone rare place name (鲤, 澧, 獬豸) never qualifies."""
    bad_re = gb_tables()[2]
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
        common = gb_tables()[1]
        counts, total = self.counts, self.total
        out = 0.0
        for ch in to_simplified(s):
            prior = 1.0 if ch in common or ch in PUNCT_OK or ch <= "\x7f" else 0.02
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
