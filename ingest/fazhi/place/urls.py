"""The place a government web address names: `www.szft.gov.cn` is 深圳市福田区.

Only hosts under gov.cn count: mirrors and spam domains name nothing. Each host label (and, to
confirm places the text proposes, each path segment) is matched against pinyin spellings of
place names: the whole syllables (liandu), their initials (psx = 彭水县, with zh/ch/sh kept or
not: bjtzh/bjtz), or a parent's spelling followed by the place's (szft = sz + ft, hbdaye =
hb + daye, cqwx). Trailing `zf`/`rmzf`/`city` (政府, 人民政府) are ignored.
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from fazhi.place.gazetteer import gazetteer, short_name

GENERIC_TAIL = re.compile(r"(?:rmzf|zf|city|gov)$")
MIN_ALONE = 4  # a label this long that spells one place is evidence on its own


def _syllables(name: str) -> list[list[str]]:
    from pypinyin import Style, pinyin

    return [readings[:3] for readings in pinyin(name, style=Style.NORMAL, heteronym=True)]


def spellings(name: str) -> set[str]:
    """Full pinyin and initials of a name, over its characters' readings (长宁: changning, cn, ...)."""
    out: set[str] = set()
    for combo in itertools.islice(itertools.product(*_syllables(name)), 32):
        out.add("".join(combo))
        out.add("".join(s[0] for s in combo))
        out.add("".join(s[:2] if s[:2] in ("zh", "ch", "sh") else s[0] for s in combo))
    return {s for s in out if s.isascii() and s.isalpha()}


def _forms(name: str) -> set[str]:
    short = short_name(name)
    forms = {short, name}
    if short != name and name.endswith(("县", "区", "市", "旗")):
        forms.add(short + name[-1])  # 彭水苗族土家族自治县 -> 彭水县
    return {f for f in forms if len(f) >= 2}


@lru_cache(maxsize=1)
def _spelling_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for pid, p in gazetteer().items():
        if p.level in ("province", "city", "county", "district", "development_zone"):
            for form in _forms(p.name):
                for s in spellings(form):
                    index[s].add(pid)
    return {k: frozenset(v) for k, v in index.items()}


def _ancestor_ids(pid: str) -> set[str]:
    places, out = gazetteer(), set()
    while pid in places and pid not in out:
        out.add(pid)
        pid = places[pid].parent_id or ""
    return out


def _match(token: str) -> set[str]:
    index = _spelling_index()
    token = GENERIC_TAIL.sub("", token) or token
    hits = set(index.get(token, ()))
    for cut in range(2, len(token) - 1):
        for child in index.get(token[cut:], ()):
            if any(parent in _ancestor_ids(child) and parent != child for parent in index.get(token[:cut], ())):
                hits.add(child)
    return hits


@dataclass(frozen=True, slots=True)
class UrlEvidence:
    alone: frozenset[str]  # places a long host label spells on its own
    confirming: frozenset[str]  # places any host label or path segment spells (confirmation only)
    tokens: tuple[str, ...]


def url_evidence(url: str | None) -> UrlEvidence | None:
    if not url:
        return None
    parts = urlsplit(url if "//" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    if not (host.endswith(".gov.cn") or host == "gov.cn"):
        return None
    labels = [t for t in re.split(r"[.\-]", host[: -len(".gov.cn")]) if t and t != "www"]
    segments = [t for t in re.split(r"[/_.\-]", parts.path.lower()) if t.isalpha() and 2 <= len(t) <= 12]
    alone, confirming = set(), set()
    for i, label in enumerate(labels):
        hits = _match(label)
        confirming |= hits
        if len(label) >= MIN_ALONE and hits:
            alone |= hits
        elif i == len(labels) - 1:  # sh.gov.cn, hlj.gov.cn: a province's own domain
            provinces = {pid for pid in hits if gazetteer()[pid].level == "province"}
            if len(provinces) == 1:
                alone |= provinces
    for seg in segments:
        confirming |= _match(seg)
    return UrlEvidence(frozenset(alone), frozenset(confirming), tuple(labels + segments))


def township_spelled(name: str, tokens: tuple[str, ...]) -> bool:
    """A path segment spelling a township (…/tcz/… for 通城镇, qlhjdbsc for 莲花街道办事处)."""
    spelled = spellings(name)
    return any(t in spelled or any(s in t for s in spelled if len(s) >= 4) for t in tokens)
