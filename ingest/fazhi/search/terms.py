"""Search terms: the words of a normalised sentence that the full-text index holds.

Chinese has no spaces, so text is segmented with jieba (jieba-rs through `rjieba`: the same
dictionary and results as Python jieba, ~10x faster, the dictionary inside the wheel, nothing
downloaded). The domain's own words join the dictionary: the catalog's lexicon (seeds/lexicon.csv)
and indicator names of up to four characters (a longer phrase such as 人民调解纠纷案件 would
swallow the words a user searches for), and the gazetteer's place names with their short form.

`index_terms(view)` is applied to the normalised view (simplified script, half-width; see
fazhi.normalise), both to a sentence when it is landed and to a query, so a query in either
script finds text in either script. The terms of a text are:

* its words (jieba's search mode: each word, and the two- and three-character dictionary words
  inside it, 人民调解 -> 人民, 调解, 人民调解), of two or more characters, and Latin/digit tokens;
* the character pairs of a run of single-character words: a word jieba does not know
  (首违不罚 -> 首 违 不 罚) is indexed as 首违 违不 不罚, and a query cut the same way finds it.

Single characters and punctuation are not terms: they are a third of all tokens and find
nothing a user means.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

import rjieba

from fazhi.rules import load_catalog, load_grammar

__all__ = ["domain_words", "index_terms", "query_parts", "segmenter", "term_key"]

MAX_DOMAIN_WORD = 4


def domain_words(place_names: Iterable[str]) -> frozenset[str]:
    """The words added to jieba's dictionary: the catalog's (the lexicon of actions, objects and
    domains that name indicators, seeds/lexicon.csv, and the indicator names) and place names."""
    words = {w for w in load_grammar().words if len(w) <= MAX_DOMAIN_WORD}
    words.update(ind.name_zh for ind in load_catalog().indicators.values() if len(ind.name_zh) <= MAX_DOMAIN_WORD)
    for name in place_names:
        # 洛江区 and 洛江: a report says both, a user types either
        words.update([name, name[:-1]] if len(name) >= 3 and name[-1] in "省市区县旗" else [name])
    return frozenset(w for w in words if len(w) >= 2 and not any(ch.isspace() for ch in w))


@lru_cache(maxsize=2)
def segmenter(words: frozenset[str]) -> rjieba.Jieba:
    """jieba with `words` added (built once per process; forked ingest workers inherit it)."""
    jieba = rjieba.Jieba()
    for word in sorted(words):
        jieba.add_word(word, None, None)
    return jieba


def index_terms(jieba: rjieba.Jieba, view: str) -> str:
    """The terms of a normalised text, space-separated, repeated as often as they occur."""
    return " ".join(_terms(jieba.cut_for_search(view, False)))


def _terms(tokens: list[str]) -> list[str]:
    """Tokens -> terms: words of two or more characters with a letter or digit, then the pairs
    of consecutive single CJK characters. (Every token is tested by C code: str.isalnum, a
    search for a character \\w holds but for _, membership of the set of CJK characters; checked
    against the plain definition in tests/test_fast_paths.py.)"""
    kept = [t for t in tokens if len(t) > 1 and (t.isalnum() or _HAS_ALNUM(t))]
    kept.extend([a + b for a, b in pairwise(tokens) if a in CJK_CHARS and b in CJK_CHARS])
    return kept


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# the single characters _is_cjk holds (a token of two or more characters is never in it)
CJK_CHARS = frozenset(ch for ch in map(chr, range(0x3400, 0xFB00)) if _is_cjk(ch))
# re's \w is str.isalnum() or "_", per character: a search for [^\W_] is any(c.isalnum() for c in t)
_HAS_ALNUM = re.compile(r"[^\W_]").search


def query_parts(jieba: rjieba.Jieba, view: str) -> list[tuple[str, list[str]]]:
    """A normalised query, cut at whitespace: each part with its terms (precise mode, so a part
    that is one word is one term; deduplicated, in order). A part is a phrase the sentence must
    contain; its terms find the candidates in the index."""
    out = []
    for part in view.split():
        terms = _terms(jieba.cut(part, False))
        out.append((part, list(dict.fromkeys(terms))))
    return out


def term_key(term: str) -> int:
    """The index's clustering key: the code points of the term's first two characters. Plain
    arithmetic, so Python, dbt and a DuckDB CLI session compute the same number (the SQL is
    `unicode(term) * 2097152 + greatest(unicode(substr(term, 2, 1)), 0)`)."""
    return ord(term[0]) * 2097152 + (ord(term[1]) if len(term) > 1 else 0)
