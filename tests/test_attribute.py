"""Attribution and scope on real sentences from the sample reports (and their traditional-script twins)."""
from __future__ import annotations

import opencc
import pytest

from fazhi.extract.attribute import attribute, to_candidates
from fazhi.extract.quantities import find_quantities
from fazhi.normalise import normalise

S2T = opencc.OpenCC("s2t")


def facts(text: str, year: int = 2024) -> list[tuple[str, float, str, str]]:
    """(indicator, value, qualifier, scope) for every attributed quantity in `text`."""
    norm = normalise(text)
    found = attribute(norm.text, find_quantities(norm.text), year)
    out = []
    for c in to_candidates(found, norm):
        assert norm.original[c.char_start:c.char_end] == c.evidence
        out.append((c.indicator_code, c.value, c.qualifier, c.scope))
    return out


MEDIATION = "2024年,全区人民调解纠纷案件共受理1661件,调处成功1661件,调解成功率100%,涉及金额5484.1213万元。"


def test_a_mediation_sentence_gives_its_four_indicators():
    assert facts(MEDIATION) == [
        ("mediation_cases_accepted", 1661, "exact", "total"),
        ("mediation_cases_resolved", 1661, "exact", "total"),
        ("mediation_success_rate", 100, "exact", "total"),
        ("mediation_amount_involved", 54841213, "exact", "total"),
    ]


@pytest.mark.parametrize("sentence", [
    MEDIATION,
    "年度共收到行政复议申请80件,受理56件,实质性化解行政争议4件。",
    "2023年共办理各类法律援助案件367件,为群众挽回损失约502.4万元,为受援人节约律师费用约269.65万元。",
    "累计开展各类普法活动283场,覆盖8万余人次。",
])
def test_traditional_script_gives_the_same_facts_as_simplified(sentence):
    assert facts(S2T.convert(sentence), 2023) == facts(sentence, 2023)


def test_the_same_cue_means_different_things_in_different_domains():
    reconsideration = facts("年度共收到行政复议申请80件,受理56件。", 2023)
    mediation = facts("今年以来共组织开展矛盾纠纷排查171次,受理各类矛盾纠纷972宗,成功化解969宗。")
    assert ("admin_reconsideration_accepted", 56, "exact", "total") in reconsideration
    assert ("mediation_cases_accepted", 972, "exact", "total") in mediation
    assert ("mediation_cases_resolved", 969, "exact", "total") in mediation


def test_the_section_heading_supplies_the_domain_when_the_sentence_does_not():
    text = "(五)行政复议工作\n全年审结82件,纠错率12.5%。"
    got = facts(text)
    assert ("admin_reconsideration_concluded", 82, "exact", "total") in got


def test_a_count_cue_before_a_share_gives_the_matching_rate():
    got = facts("年度共收到行政复议申请80件,受理56件,作出撤销、变更、确认违法、责令履行职责决定等占15.18%,"
                "全区行政诉讼案件出庭应诉率达100%。", 2023)
    assert ("admin_reconsideration_correction_rate", 15.18, "exact", "total") in got
    assert ("admin_litigation_appearance_rate", 100, "exact", "total") in got


def test_qualifiers_survive_attribution():
    got = facts("通过多种形式开展法治宣传讲座70余场,发放宣传资料3万多份(册)。")
    assert ("publicity_events", 70, "at_least", "total") in got
    assert ("publicity_materials", 30000, "at_least", "total") in got


def test_the_head_noun_after_the_number_decides():
    got = facts("共评查7家行政执法单位30件行政处罚卷宗。", 2023)
    assert ("enforcement_files_reviewed", 30, "exact", "total") in got
    assert not any(f[0] == "enforcement_penalties" for f in got)
    assert not any(f[1] == 7 for f in got), "7家 counts bodies, not files"


# ---- scope labels ---------------------------------------------------------------------

def test_scope_subunit_one_platform_after_the_jurisdiction_total():
    text = MEDIATION + "运行“一站式”矛盾纠纷多元化解平台,共受理各类矛盾纠纷783件,已化解726件。"
    got = facts(text)
    totals = [f for f in got if f[0] == "mediation_cases_accepted"]
    assert totals[0] == ("mediation_cases_accepted", 1661, "exact", "total")


def test_scope_subunit_one_judicial_office():
    got = facts("树立“一街一品”调解工作模式,其中鲤中司法所特色品牌“老兵调解室”,2023年已成功调解201件,涉及金额456.73万余元。", 2023)
    assert ("mediation_cases_resolved", 201, "exact", "subunit") in got
    assert ("mediation_amount_involved", 4567300, "at_least", "subunit") in got


def test_scope_subunit_a_subset_of_people():
    got = facts("年度共受理民营企业困难员工法律援助案件67件,挽回损失190万元。", 2023)
    assert ("legal_aid_cases", 67, "exact", "subunit") in got


def test_scope_subunit_a_volunteer_group_but_not_when_it_is_the_counted_thing():
    got = facts("共培育“法律明白人”97名,“法律明白人”深入参与各类普法活动105场。")
    assert ("legal_literates", 97, "exact", "total") in got
    assert ("publicity_events", 105, "exact", "subunit") in got


def test_qizhong_breakdown_into_other_indicators_stays_total():
    got = facts("2024年,我区各执法单位在平台累计录入案件数6288件,其中行政检查5757件,行政处罚526件,行政强制5件。")
    assert ("enforcement_inspections", 5757, "exact", "total") in got
    assert ("enforcement_penalties", 526, "exact", "total") in got


def test_qizhong_subset_of_the_same_indicator_is_subunit():
    got = facts("全年共办理法律援助案件300件,其中农民工法律援助案件120件。")
    assert ("legal_aid_cases", 300, "exact", "total") in got
    assert ("legal_aid_cases", 120, "exact", "subunit") in got


def test_scope_other_period_prior_year():
    got = facts("2023年共受理行政复议案件66件,2024年新受理行政复议案件151件。")
    assert ("admin_reconsideration_accepted", 66, "exact", "other_period") in got
    assert ("admin_reconsideration_accepted", 151, "exact", "total") in got


def test_scope_other_period_since_a_month():
    got = facts("2024年12月以来累计调解矛盾纠纷5件。")
    assert got and all(f[3] == "other_period" for f in got)


def test_scope_other_period_a_year_on_year_change():
    got = facts("新收行政复议申请121件,同比增长128.78%。")
    assert ("admin_reconsideration_received", 121, "exact", "total") in got
    assert not any(f[1] == 128.78 and f[3] == "total" for f in got)


def test_scope_other_a_combined_count_of_several_indicators():
    got = facts("2021年共审查各类重大决策事项、各类规范性文件、涉法文件262件。", 2021)
    assert not any(f[3] == "total" for f in got)


def test_scope_other_party_documents():
    got = facts("清理废止和失效政府规范性文件6件,备案审查党内规范性文件7件。")
    assert ("normative_doc_repealed", 6, "exact", "total") in got
    assert not any(f[1] == 7 and f[3] == "total" for f in got)


def test_names_and_hotline_numbers_are_not_facts():
    got = facts("“12348”公共法律服务热线年度接受法律咨询2657人次,构建“1+6+N”工作体系,落实“三官一律”进企业。", 2023)
    assert [f[1] for f in got] == [2657]


def test_a_book_title_does_not_make_a_cue_or_a_marker():
    got = facts("制定并完善《司法所法制审查工作规定》等文件,共提供专业法律意见187份。")
    assert ("legal_opinions", 187, "exact", "total") in got


def test_a_zero_stated_in_words_is_a_fact():
    got = facts("2024年街道诉讼案件72起,其中民事诉讼50起,行政诉讼14起。累计收到法院判决书41份(无行政败诉)。")
    assert ("admin_litigation_lost", 0, "exact", "total") in got
    assert ("admin_litigation_cases", 14, "exact", "total") in got


def test_a_leadership_bodys_own_study_sessions_are_not_the_jurisdictions_training_count():
    own = facts("落实镇党委理论学习中心组学法制度,全年围绕宪法和民法典组织专题学习6次。")
    assert ("training_sessions", 6, "exact", "subunit") in own
    staff = facts("落实镇党委理论学习中心组学法制度,组织全体干部职工开展专题学习5次。")
    assert ("training_sessions", 5, "exact", "total") in staff, "the audience is named: everyone's study"
    unnamed = facts("今年共开展专题学习4次。")
    assert ("training_sessions", 4, "exact", "total") in unnamed, "no body is named"
    everyone = facts("开展区委理论学习中心组集体学习,全区各单位组织专题学习60余场次。", 2021)
    assert ("training_sessions", 60, "at_least", "total") in everyone


def test_a_count_that_looks_like_a_year_does_not_make_later_figures_another_period():
    got = facts("2024年,全县人民调解纠纷案件共受理1942件,调处成功1940件,调解成功率99.9%。")
    assert ("mediation_cases_resolved", 1940, "exact", "total") in got
    assert ("mediation_success_rate", 99.9, "exact", "total") in got


def test_counted_committees_are_not_a_sub_unit_but_one_named_committee_is():
    got = facts("全区256个人民调解委员会共受理矛盾纠纷3120件,调解成功3100件。"
                "其中,城关镇人民调解委员会受理矛盾纠纷50件。")
    assert ("mediation_cases_accepted", 3120, "exact", "total") in got
    assert ("mediation_cases_accepted", 50, "exact", "subunit") in got


def test_settlement_by_mediation_in_a_reconsideration_paragraph_is_reconsideration():
    # 调解 names the manner of closing, not the mediation domain; the domain is the paragraph's
    got = facts("全区行政复议工作稳步推进，全年办理行政复议案件120件。其中，以调解、和解方式结案31件。")
    assert ("admin_reconsideration_settled", 31, "exact", "total") in got
    assert not [f for f in got if f[0].startswith("mediation_")]


def test_a_bare_level_word_before_a_compound_office_name_is_the_reports_own_office():
    got = facts("街道公共法律服务工作站全年接待群众法律咨询1260人次。")
    assert ("hotline_consultations", 1260, "exact", "total") in got


def test_a_named_or_counted_office_is_still_one_of_many():
    got = facts("全区接待群众法律咨询8600人次，其中各街道公共法律服务工作站接待群众法律咨询1260人次。")
    assert ("hotline_consultations", 8600, "exact", "total") in got
    assert ("hotline_consultations", 1260, "exact", "total") not in got
