"""Full-text search: terms, sentences with exact offsets, BM25 ranking, either script, filters."""
from __future__ import annotations

import json

import duckdb
import pytest
from conftest import cli

from fazhi.normalise import normalise
from fazhi.normalise.sentences import sentence_spans
from fazhi.search.query import Hit
from fazhi.search.sentences import report_key, report_sentences
from fazhi.search.terms import domain_words, index_terms, query_parts, segmenter, term_key


@pytest.fixture(scope="module")
def jieba():
    return segmenter(domain_words(["洛江区", "鲤城区"]))


# ---------------------------------------------------------------- terms (fast)


def test_a_word_and_its_parts_are_terms_so_either_finds_the_other(jieba):
    terms = index_terms(jieba, "全区人民调解委员会受理纠纷。").split()
    assert {"人民调解", "人民", "调解", "受理", "纠纷"} <= set(terms)
    assert "。" not in terms and "区" not in terms  # punctuation and single characters are not terms


def test_an_unknown_word_is_indexed_and_queried_as_character_pairs(jieba):
    # a made-up four-character phrase jieba cannot know: cut into characters, paired
    assert {"桉柘", "柘楝", "楝榉"} <= set(index_terms(jieba, "推行桉柘楝榉制度").split())
    assert query_parts(jieba, "桉柘楝榉") == [("桉柘楝榉", ["桉柘", "柘楝", "楝榉"])]


def test_place_names_and_their_short_form_join_the_dictionary(jieba):
    assert "洛江区" in index_terms(jieba, "泉州市洛江区司法局").split()
    assert "洛江" in index_terms(jieba, "泉州市洛江区司法局").split()
    assert query_parts(jieba, "洛江区") == [("洛江区", ["洛江区"])]


def test_a_query_is_cut_into_parts_at_whitespace(jieba):
    parts = query_parts(jieba, "人民调解  受理")
    assert [p for p, _ in parts] == ["人民调解", "受理"]


def test_term_key_is_the_same_arithmetic_in_python_and_sql():
    con = duckdb.connect()
    for term in ["人民调解", "a", "12348", "𠀀字"]:
        sql = con.execute("select unicode(?)::bigint * 2097152 + greatest(unicode(substr(?, 2, 1)), 0)",
                          [term, term]).fetchone()[0]
        assert sql == term_key(term)


def test_sentences_slice_the_original_text_exactly_in_either_script(jieba):
    text = "  一、總體情況\n2024年，全區人民調解組織共受理糾紛100件；調解成功率100%！\n\n其他。"
    rows = report_sentences("r1", normalise(text), "v1", jieba)
    pieces = [text[a:b] for a, b in zip(rows.char_start, rows.char_end)]
    assert pieces == ["一、總體情況", "2024年，全區人民調解組織共受理糾紛100件；調解成功率100%！", "其他。"]
    assert rows.search_text[1].startswith("2024年,全区人民调解")  # simplified, half-width
    assert "人民调解" in rows.index_terms[1].split()
    assert rows.report_key == report_key("r1", "v1") != report_key("r1", "v2")
    assert 0 < rows.report_key < 2 ** 63


def test_a_sentence_longer_than_the_limit_is_cut_at_semicolons_then_commas():
    text = "甲" * 10 + "；" + "乙" * 10 + "，" + "丙" * 10 + "。"
    assert [text[a:b] for a, b in sentence_spans(text, limit=12)] == ["甲" * 10 + "；", "乙" * 10 + "，", "丙" * 10 + "。"]
    assert sentence_spans(text) == [(0, len(text))]


def test_highlights_are_offsets_in_the_original_sentence():
    hit = Hit("r", "f.txt", None, None, "做優做實人民調解工作", 0, 10, 1.0, [(4, 8)])
    assert hit.marked() == "做優做實[[人民調解]]工作"
    assert hit.as_json()["highlights"] == [[4, 8]]


# ---------------------------------------------------------------- on the sample warehouse (slow)


def _search(db, *args) -> dict:
    return json.loads(cli("search", *args, "--db", str(db), "--json").stdout)


def _originals(con) -> dict[str, str]:
    return dict(con.execute("select report_id, original_text from raw.reports").fetchall())


@pytest.mark.parametrize("query", ["人民调解", "人民調解"])
def test_either_script_finds_the_term_with_exact_offsets(sample_warehouse, sample_con, query):
    result = _search(sample_warehouse, query)
    assert result["query"] == query and result["hits"]
    texts = _originals(sample_con)
    scripts = set()
    for hit in result["hits"]:
        sentence = texts[hit["report_id"]][hit["char_start"]:hit["char_end"]]
        assert sentence == hit["sentence"]
        assert "人民调解" in normalise(sentence).text  # the term, in the sentence's simplified view
        assert "[[人民调解]]" in hit["highlighted"] or "[[人民調解]]" in hit["highlighted"]
        scripts.add("調" in sentence)
    assert scripts == {True, False}  # hits from simplified and from traditional reports
    scores = [h["score"] for h in result["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_all_parts_must_occur_and_filters_narrow(sample_warehouse, sample_con):
    both = _search(sample_warehouse, "行政复议 受理")
    assert both["hits"]
    for hit in both["hits"]:
        view = normalise(hit["sentence"]).text
        assert "行政复议" in view and "受理" in view
    year = sample_con.execute("select min(report_year) from marts.dim_report").fetchone()[0]
    for hit in _search(sample_warehouse, "法治", "--year", str(year))["hits"]:
        assert hit["report_year"] == year
    jid, name = sample_con.execute(
        "select j.jurisdiction_id, j.name from marts.dim_report r join marts.dim_jurisdiction j "
        "using (jurisdiction_id) order by 1 limit 1").fetchone()
    narrowed = _search(sample_warehouse, "法治", "--jurisdiction", name, "--limit", "50")["hits"]
    assert narrowed and {h["jurisdiction_id"] for h in narrowed} == {jid}
    assert len(_search(sample_warehouse, "法治", "--limit", "3")["hits"]) == 3


def test_no_hit_is_an_empty_list_and_a_too_short_query_an_error(sample_warehouse):
    assert _search(sample_warehouse, "量子纠缠计算机")["hits"] == []
    out = cli("search", "罚", "--db", str(sample_warehouse), check=False)
    assert out.returncode == 1 and "too short" in out.stderr


def test_report_sentences_mart_slices_the_text_and_the_index_covers_it(sample_con):
    bad = sample_con.execute(
        "select count(*) from marts.report_sentences s join raw.reports r using (report_id) "
        "where s.sentence <> substring(r.original_text, s.char_start + 1, s.char_end - s.char_start)").fetchone()[0]
    assert bad == 0
    markers = sample_con.execute(
        "select count(*) from search.search_sentence_terms where term_key = 0").fetchone()[0]
    assert markers == sample_con.execute("select count(distinct report_key) from marts.report_sentences").fetchone()[0]
