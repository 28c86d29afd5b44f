"""Structural rules of the clause grammar that make it hold on reports nobody tuned it for, each on
sentences written for this test: wrapped lines, breakdowns without their sum, per-unit figures,
several years, a law's theme, lists that go on, zeros of listed nouns, a rate's level in the next
clause, every unit of a kind, the domain of a statement or paragraph."""
from __future__ import annotations

import pytest

from fazhi.extract.candidates import extract_candidates
from fazhi.extract.quantities import find_quantities
from fazhi.extract.wraps import wraps
from fazhi.normalise import normalise
from fazhi.rules import load_grammar


def facts(text: str, year: int = 2024) -> list[tuple[str, float, str]]:
    norm = normalise(text)
    out = []
    for c in extract_candidates(norm, year):
        assert norm.original[c.char_start:c.char_end] == c.evidence
        out.append((c.indicator_code, c.value, c.scope))
    return out


def totals(text: str, year: int = 2024) -> set[tuple[str, float]]:
    return {(code, value) for code, value, scope in facts(text, year) if scope == "total"}


# ---- a sentence wrapped across lines (a PDF exported as text) -----------------------------------

@pytest.mark.parametrize("text, expected", [
    ("全年共受理法律援\n助案件312件。", ("legal_aid_cases", 312)),  # a word cut in two
    ("全年审结行政复议案件46\n件。", ("admin_reconsideration_concluded", 46)),  # a number cut from its unit
    ("全年共办理行政处罚\n案件905件。", ("enforcement_penalties", 905)),  # the number on the next line
    ("全年共受理法律援助案件\n— 12 —\n388件。", ("legal_aid_cases", 388)),  # a page number between
])
def test_a_wrapped_sentence_is_read_as_one(text, expected):
    assert expected in totals(text)


def test_the_evidence_of_a_wrapped_sentence_keeps_the_line_break():
    text = "全年共办理行政处罚\n案件905件。"
    norm = normalise(text)
    (c,) = [c for c in extract_candidates(norm, 2024) if c.indicator_code == "enforcement_penalties"]
    assert "\n" in c.evidence and text[c.char_start:c.char_end] == c.evidence


def test_headings_and_flattened_tables_are_not_joined():
    grammar, units = load_grammar(), ("件", "人次")
    assert wraps("（一）行政复议\n全年收到申请20件。", grammar, units) == []
    assert wraps("项目\n数量\n受理案件\n12\n审结案件\n10\n", grammar, units) == []
    assert wraps("行政复议 | 行政诉讼\n12 | 3\n", grammar, units) == []


# ---- parts, units, periods, themes ---------------------------------------------------------------

def test_parts_of_a_breakdown_without_their_sum_are_no_total():
    got = totals("全年审结复议案件40件，其中维持30件，撤销4件，确认违法2件。")
    assert ("admin_reconsideration_concluded", 40) in got
    assert not any(code == "admin_reconsideration_corrected" for code, _ in got)


def test_a_figure_per_unit_is_no_sum():
    assert not totals("每个村(社区)配备法律顾问1名。")
    assert not totals("普法经费按每人每年1元列入预算。")


@pytest.mark.parametrize("sentence", [
    "近五年来全县累计调解纠纷8000余件。",
    "“八五”普法以来全区开展普法活动900余场。",
    "“法律援助月”期间受理法律援助案件30件。",
])
def test_several_years_or_a_part_of_the_year_are_no_total(sentence):
    assert not totals(sentence)


def test_a_year_of_its_own_since_the_start_is_the_year():
    assert ("legal_aid_cases", 50) in totals("2024年以来受理法律援助案件50件。")


def test_one_laws_theme_is_a_subset():
    assert not any(code == "publicity_events" for code, _ in totals("开展《宪法》专题宣传活动12场。"))


def test_a_list_that_goes_on_past_the_known_nouns_is_combined():
    assert not totals("审查合同、协议及其他文件等150件。")


def test_a_noun_of_an_act_not_done_counts_nothing():
    assert not totals("依法作出不予处罚决定26件。")


# ---- every unit of a kind, several kinds -------------------------------------------------------

def test_every_unit_of_a_kind_is_the_whole():
    assert ("publicity_events", 60) in totals("全区各社区共开展普法宣传活动60场。")
    assert ("publicity_events", 30) in totals("开展法治进机关、进社区宣传活动30场。")
    assert ("publicity_events", 8) not in totals("其中1个社区开展普法宣传活动8场。")


# ---- zeros ----------------------------------------------------------------------------------------

def test_each_noun_of_a_denied_list_is_a_zero():
    got = totals("全年未发生行政复议和行政诉讼案件。")
    assert {("admin_reconsideration_received", 0), ("admin_litigation_cases", 0)} <= got


def test_not_a_single_one_is_a_zero_not_a_one():
    got = totals("全年行政诉讼无一起败诉。")
    assert ("admin_litigation_lost", 1) not in got


def test_a_verb_inside_the_denied_noun_says_which_cases():
    assert ("admin_reconsideration_corrected", 0) in totals("全年未发生复议纠错案件。")


# ---- rates, numbers, domains ----------------------------------------------------------------------

def test_a_rates_level_in_the_next_clause():
    assert ("admin_litigation_appearance_rate", 95) in totals("出庭应诉率较上年提高10个百分点，达到95%。")


def test_a_bare_ten_thousand_with_a_qualifier_is_a_number():
    assert [(q.value, q.qualifier) for q in find_quantities("发放宣传资料万余份")] == [(10000, "at_least")]
    assert [q.value for q in find_quantities("挽回损失超千万元")] == [10_000_000]
    assert find_quantities("千家万户") == []


def test_the_other_domains_of_the_statement_and_paragraph():
    assert ("admin_reconsideration_settled", 4) in totals("行政复议案件中，以调解、和解方式结案4件。")
    got = totals("全年收到行政复议申请88件；审结80件。")
    assert ("admin_reconsideration_concluded", 80) in got


def test_dui_with_a_list_and_a_light_verb():
    got = totals("对规范性文件6件、重大行政决策2件开展合法性审查。")
    assert {("normative_doc_reviews", 6), ("major_decision_reviews", 2)} <= got


# ---- second round ---------------------------------------------------------------------------------

def test_a_number_cut_in_two_in_a_line_of_prose_but_not_a_column_of_cells():
    assert ("admin_reconsideration_received", 56) in totals("2023年，县政府共收到行政复议申请5\n6件。", 2023)
    assert wraps("合计\n12\n3\n", load_grammar(), ("件",)) == []


def test_the_jurisdictions_own_office_and_its_partners_are_no_subunit():
    assert ("mediation_cases_accepted", 75) in totals("乡司法所全年调解纠纷75件。")
    assert ("mediation_cases_accepted", 75) not in totals("城关镇司法所全年调解纠纷75件。")
    assert ("publicity_events", 14) in totals("乡司法所联合派出所开展普法活动14场。")


def test_success_after_a_mediation_count():
    assert ("mediation_cases_resolved", 61) in totals("全年调处矛盾纠纷64件，成功61件。")


def test_an_exam_for_the_newly_promoted_is_not_the_annual_exam():
    assert not totals("组织36名新提任领导干部参加任前法律知识考试。")


def test_a_verbs_share_is_its_rate():
    assert ("admin_reconsideration_correction_rate", 9.5) in totals("全年审结行政复议案件200件，纠错19件，纠错为9.5%。")


def test_cases_with_the_head_in_court_are_appearances_not_lawsuits():
    got = totals("全县行政机关负责人出庭应诉案件57件。")
    assert ("admin_litigation_appearances", 57) in got and ("admin_litigation_cases", 57) not in got


def test_a_count_or_rate_stated_as_nought():
    assert ("admin_reconsideration_received", 0) in totals("全年行政复议申请数为零。")
    assert ("admin_litigation_loss_rate", 0) in totals("全年行政诉讼败诉率为0。")
    assert not totals("信访总量同比增长为零。")


# ---- third round ----------------------------------------------------------------------------------

def test_a_commitment_is_a_target():
    assert not totals("确保全年开展普法活动不少于50场，培训不少于6期。")


def test_a_party_branchs_study_is_party_study():
    assert not totals("各党支部开展集中学习研讨30次。")


def test_a_lecture_is_training_when_its_people_are_trainees():
    got = totals("全年举办法治讲座5场，累计参训600余人次。")
    assert {("training_sessions", 5), ("training_participants", 600)} <= got


def test_the_event_after_the_measure_word_is_counted_not_the_subjects_noun():
    assert ("publicity_events", 21) in totals("法律服务队深入企业开展了21场法治讲座。")


def test_reviews_of_penalty_decisions_are_not_the_penalties():
    assert not any(code == "enforcement_penalties" for code, _ in totals("法制审核重大行政处罚决定46件。"))


def test_online_petitions_are_one_channel():
    assert ("petitions_received", 90) not in totals("受理网上信访90件。")


def test_a_meeting_or_rule_of_a_work_is_not_the_work():
    assert not totals("全年召开普法工作推进会2次，制定复议工作制度8项。")
    assert ("training_sessions", 3) in totals("开展人民调解工作培训3期。")


def test_another_places_figure_is_a_subunit_in_the_reports_own_place():
    from fazhi.place.gazetteer import gazetteer, townships

    county = next(p for p in gazetteer().values() if p.name == "洛江区")
    town = next(t.name for t in townships().values()
                if t.parent_adcode == county.jurisdiction_id and t.name.endswith("镇"))
    text = f"{town}全年调解矛盾纠纷120件。洛江区全年调解矛盾纠纷900件。"
    got = {(c.indicator_code, c.value, c.scope) for c in extract_candidates(normalise(text), 2024, place=county)}
    assert ("mediation_cases_accepted", 120, "subunit") in got
    assert ("mediation_cases_accepted", 900, "total") in got


def test_awards_and_power_lists_are_no_counts_of_the_years_work():
    assert not totals("5人被评为全省普法先进个人。")
    assert not totals("梳理行政职权1200项，其中行政许可96项、行政处罚880项。")


def test_a_legislatures_inspection_of_one_law_is_not_an_administrative_inspection():
    assert not totals("配合人大常委会开展《食品安全法》执法检查2次。")


def test_penalty_decisions_counted_in_copies_are_cases():
    assert ("enforcement_penalties", 218) in totals("全年共作出行政处罚决定218份。")


def test_a_denial_of_being_respondent_or_defendant_is_the_bodys_own_zero():
    got = totals("本年度未发生被申请行政复议和被提起行政诉讼的情况。")
    assert ("admin_litigation_cases", 0) in got
    assert not totals("行政处罚被申请行政复议7宗。")
