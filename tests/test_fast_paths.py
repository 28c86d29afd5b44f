"""The extractor's fast paths read exactly what their plain definitions read.

Extraction speed (scripts/bench_extraction.py) rests on shortcuts: a pattern tried only where it
can match, a range of tokens taken as one slice, a map applied with str.replace. Each is checked
here against the plain definition it stands for, on many seeded random texts made of the pieces
that matter to it, so that a rule changed on one side and not the other fails here.
"""
from __future__ import annotations

import random
import re

import pytest

from fazhi.extract import attribute, zeros
from fazhi.extract.attribute import _heading_domains, _plan_headings
from fazhi.extract.grammar import History
from fazhi.extract.words import Token, TokenIndex
from fazhi.normalise import sentences
from fazhi.normalise.chars import VIEW_TABLE, to_view_chars
from fazhi.place.evidence import CREDIT_CODE, Evidence, compact
from fazhi.records import Quantity

TEXTS = 10_000


def _texts(pieces: list[str], longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(TEXTS)]


def test_the_view_map_is_the_translation_table():
    pieces = [chr(c) for c in VIEW_TABLE] + list("中文。，、 a1")
    for text in _texts(pieces, 30, 1):
        assert to_view_chars(text) == text.translate(VIEW_TABLE)


def test_plan_headings_are_every_match_of_the_pattern():
    pieces = ["。", "\n", " ", "\t", "四、", "二", "下一步", "今后", "明年", "2024年", "2023年度", "工作", "的",
              "打算", "计划", "重点", "思路", "，", ";", "3", "x"]
    found = 0
    for text in _texts(pieces, 25, 2):
        expected = [m.span() for m in attribute.PLAN_HEADING.finditer(text)]
        assert [m.span() for m in _plan_headings(text)] == expected, text
        found += len(expected)
    assert found > 300  # the texts do hold plan headings


def test_stated_zeros_are_every_match_of_the_pattern():
    pieces = ["率", "为", "是", "零", "0", "均", "都", "仍", "件", "1", ".", "%", "数", "a", " ", "。"]
    found = 0
    for text in _texts(pieces, 20, 3):
        expected = [m.span() for m in zeros.STATED_ZERO.finditer(text)]
        assert [m.span() for m in zeros._stated_zero_matches(text)] == expected, text
        found += len(expected)
    assert found > 300


@pytest.mark.parametrize(("ends", "chars"), [
    (sentences.CLAUSE_END_RE, sentences.COMMAS),
    (sentences._CLAUSE_OR_STATEMENT_END_RE, sentences.FULL_STOPS + sentences.SEMICOLONS + sentences.COMMAS),
])
def test_a_thousands_separator_ends_no_clause(ends, chars):
    # the plain definition: one of the characters, unless a comma between a digit and exactly three
    def plain(text: str) -> list[int]:
        return [i for i, c in enumerate(text) if c in chars and not (
            c == "," and i and text[i - 1].isdigit() and re.fullmatch(r"\d{3}", text[i + 1:i + 4])
            and not text[i + 4:i + 5].isdigit())]
    for text in _texts(list("1234,，:：;。\n a中"), 30, 4):
        assert [m.start() for m in ends.finditer(text)] == plain(text), text


def test_tokens_between_are_those_wholly_inside():
    rng = random.Random(5)
    for _ in range(TEXTS // 10):
        tokens, pos = [], 0
        for _ in range(rng.randint(0, 12)):
            pos += rng.randint(0, 3)
            length = rng.randint(1, 4)
            tokens.append(Token(pos, pos + length, None))
            pos += length
        index = TokenIndex(tokens)
        for _ in range(10):
            lo, hi = rng.randint(-2, pos + 2), rng.randint(-2, pos + 2)
            assert index.between(lo, hi) == [t for t in tokens if lo <= t.start and t.end <= hi]


def test_a_heading_without_a_domain_takes_its_parents():
    def plain(headings):  # walk back to the nearest heading of a higher level, and on
        out = []
        for i, (_, _, named) in enumerate(headings):
            j, domain = i, named
            while not domain and j >= 0:
                parents = [k for k in range(j) if headings[k][1] < headings[j][1]]
                j = parents[-1] if parents else -1
                domain = headings[j][2] if j >= 0 else ""
            out.append(domain)
        return out
    rng = random.Random(6)
    for _ in range(TEXTS // 10):
        headings = [(k, rng.randint(1, 3), rng.choice(["", "", "training", "mediation"])) for k in range(15)]
        assert _heading_domains(headings) == plain(headings)


def test_cited_means_inside_one_citation():
    rng = random.Random(7)
    for _ in range(TEXTS // 10):
        cuts = sorted(rng.sample(range(60), 8))
        citations = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
        ev = Evidence(text="", citations=citations)
        for _ in range(10):
            start = rng.randint(0, 60)
            end = start + rng.randint(0, 5)
            assert ev.cited(start, end) == any(a <= start and end <= b for a, b in citations)


def test_credit_codes_need_no_code_character_before_them():
    code = "11330100002494870Q"  # an organ's code, made up for the test
    for before, found in (("", True), ("：", True), (" ", True), ("9", False), ("X", False), ("a", True)):
        assert (CREDIT_CODE.search(before + code) is not None) == found, before


def test_compact_drops_every_space_kind():
    for text in _texts(list(" \t\u3000\xa0ab\n中"), 30, 8):
        assert compact(text) == re.sub(r"[ \t\u3000\xa0]+", "", text)


def test_the_history_since_a_point_is_the_figures_from_there_on():
    history = History()
    for start in (3, 8, 9, 20, 31):
        history.prior.append((Quantity("1件", 1.0, "件", "exact", start, start + 2, start, start + 1), None))
    for at in range(40):
        assert history.prior_since(at) == [(q, i) for q, i in history.prior if q.start >= at]


def test_text_quality_counts_the_level1_chars_and_the_punctuation_as_good():
    from fazhi.normalise.chars import PUNCT_OK, gb_tables, text_quality, to_simplified

    level1, _, bad_re = gb_tables()
    for text in _texts(["法", "治", "報", "告", "，", "。", "ㄒ", "﹫", "锟", "a", "1", " ", "①", "\ufffd"], 30, 13):
        simp = to_simplified(text)
        good = sum(1 for ch in simp if ch in level1 or ch in PUNCT_OK)
        bad = len(bad_re.findall(simp))
        assert text_quality(text) == (good / (good + bad) if good + bad else None)


def test_the_view_index_of_an_offset_is_the_first_at_or_past_it():
    from array import array

    from fazhi.normalise.view import _lower

    rng = random.Random(14)
    for _ in range(TEXTS // 10):
        offs = array("i", sorted(rng.randint(0, 30) for _ in range(rng.randint(1, 20))))
        for x in range(-2, 34):
            # the plain definition: the first index at or past x, else the last index
            assert _lower(offs, x) == next((i for i in range(len(offs) - 1) if offs[i] >= x), len(offs) - 1)


def test_search_terms_are_the_words_with_a_letter_or_digit_and_the_pairs_of_single_cjk():
    from fazhi.search.terms import _is_cjk, _terms

    def plain(tokens: list[str]) -> list[str]:
        kept = [t for t in tokens if len(t) > 1 and any(c.isalnum() for c in t)]
        singles = [len(t) == 1 and _is_cjk(t) for t in tokens]
        return kept + [tokens[i] + tokens[i + 1] for i in range(len(tokens) - 1) if singles[i] and singles[i + 1]]

    # CJK at the edges of its blocks and just outside, letters and digits of other scripts,
    # numerals, marks, punctuation and the underscore (a word character that is no letter)
    chars = list("中法\u3400\u9fff\uf900\ufaff\u33ff\ua000\uf8ff\ufb00aZ9_０²Ⅷ①\u0301é.%，。 -")
    rng = random.Random(15)
    for _ in range(TEXTS):
        tokens = ["".join(rng.choice(chars) for _ in range(rng.choice((1, 1, 1, 2, 3)))) for _ in range(rng.randint(0, 12))]
        assert _terms(tokens) == plain(tokens), tokens


def test_place_names_scanned_run_by_run_are_those_of_the_whole_text():
    from fazhi.place.gazetteer import automaton_names, name_index

    idx = name_index()
    names = [name for _, name in idx.automaton.items()]
    rng = random.Random(16)
    # names, their beginnings (a match begun and broken off), characters of no name, and text
    pieces = (rng.sample(names, 300) + [n[:len(n) // 2 + 1] for n in rng.sample(names, 100)]
              + list("，。 1a\n") + ["的", "工作"])
    found = 0
    for text in _texts(pieces, 12, 16):
        expected = [(end - len(name) + 1, end + 1, name) for end, name in idx.automaton.iter_long(text)]
        assert automaton_names(idx, text) == expected, text
        found += len(expected)
    assert found > 10_000


def test_a_candidate_pickled_as_its_values_comes_back_equal():
    import pickle
    from dataclasses import astuple

    from fazhi.records import Candidate

    rng = random.Random(17)
    for _ in range(TEXTS // 10):
        c = Candidate(rng.choice(["mediation_cases_accepted", "x"]), rng.random() * 1e6, rng.choice(["件", ""]),
                      "exact", "total", rng.choice(["", "marker"]), "全区共受理1件", rng.randint(0, 99),
                      rng.randint(100, 200), 3, 4, rng.random(), "受理", rng.choice(["", "mediation"]),
                      rng.choice(["prose", "table"]), rng.choice([None, "2019"]), rng.choice([None, 1, 7]))
        back = pickle.loads(pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is Candidate and back == c and astuple(back) == astuple(c)
