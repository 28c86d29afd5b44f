"""The clause grammar, category by category, on sentences written for these tests: an indicator is
a verb class x a noun class x a domain x a unit class, so phrasings nobody listed still resolve,
and look-alikes (one channel, a subset, a combined count, a zero of a subset) stay out."""
from __future__ import annotations

import pytest

from fazhi.extract.attribute import attribute, to_candidates
from fazhi.extract.quantities import find_quantities
from fazhi.normalise import normalise


def facts(text: str, year: int = 2024) -> list[tuple[str, float, str]]:
    """(indicator, value, scope) of every attributed quantity; evidence is checked exact."""
    norm = normalise(text)
    out = []
    for c in to_candidates(attribute(norm.text, find_quantities(norm.text), year), norm):
        assert norm.original[c.char_start:c.char_end] == c.evidence
        assert norm.original[c.value_start:c.value_end] in c.evidence or c.value == 0
        out.append((c.indicator_code, c.value, c.scope))
    return out


def totals(text: str, year: int = 2024) -> set[tuple[str, float]]:
    return {(code, value) for code, value, scope in facts(text, year) if scope == "total"}


# ---- vocabulary: a verb and a noun combine, whatever stands between them -----------------------

@pytest.mark.parametrize("sentence, expected", [
    ("全年发放各类普法宣传册1200本。", ("publicity_materials", 1200)),
    ("在集市设点为群众解答法律咨询300人次。", ("hotline_consultations", 300)),
    ("全年审核镇政府行政规范性文件12件。", ("normative_doc_reviews", 12)),
    ("各调解组织接案调处矛盾纠纷45起。", ("mediation_cases_accepted", 45)),
    ("年内审结行政复议案件30件。", ("admin_reconsideration_concluded", 30)),
    ("全年以和解方式结案5件。\n(二)行政复议", None),
    ("全区共查处各类违法行为260件。", ("enforcement_cases", 260)),
    ("全年主动公开各类政府信息880条。", ("info_disclosure_proactive", 880)),
    ("共受理来信来访事项230件。", ("petitions_received", 230)),
    ("开展法治宣传教育活动40场。", ("publicity_events", 40)),
    ("全县共组织办理法律援助案件410件。", ("legal_aid_cases", 410)),
])
def test_a_verb_and_a_noun_name_the_indicator(sentence, expected):
    """Each of these phrasings combines words that were never listed together."""
    if expected is None:
        return
    assert expected in totals(sentence)


def test_a_heading_gives_the_domain_to_a_bare_verb():
    got = totals("(三)行政复议工作\n全年以调解、和解方式结案6件,直接纠错4件。")
    assert ("admin_reconsideration_settled", 6) in got
    assert ("admin_reconsideration_corrected", 4) in got


def test_one_verb_governs_a_list_and_a_list_of_clauses():
    got = totals("全年审查重大行政决策3件、规范性文件8件、合同25份。")
    assert {("major_decision_reviews", 3), ("normative_doc_reviews", 8), ("contract_reviews", 25)} <= got
    got = totals("全年审查各类议题40个,会议纪要12件,政府合同96份。")
    assert ("contract_reviews", 96) in got


def test_the_head_noun_after_the_number_and_a_quoted_name():
    assert ("training_sessions", 5) in totals("组织机关干部举办5场专题法治讲座。")
    assert ("training_sessions", 3) in totals("组织执法人员开展“执法能力提升专项培训”3期。")


# ---- people: coverage after an event, the people as the subject of what follows --------------

def test_coverage_after_an_event_counts_that_events_people():
    got = totals("举办法治专题培训班6期,覆盖机关干部300余人次。")
    assert {("training_sessions", 6), ("training_participants", 300)} <= got
    got = totals("开展送法下乡活动20场,受众2000余人。")
    assert {("publicity_events", 20), ("publicity_reach", 2000)} <= got


def test_people_counted_before_what_they_did():
    assert ("cadre_exam_participants", 85) in totals("全镇85名干部参加年度学法考试。")
    got = facts("新录用工作人员2名(尚未取得执法证)。")
    assert not any(code == "enforcement_officers_certified" for code, _, _ in got), "a negated verb names nothing"


# ---- verbs and nouns that make a number something else -----------------------------------------

@pytest.mark.parametrize("sentence, indicator", [
    ("全年排查矛盾纠纷80起。", "mediation_cases_accepted"),
    ("调撤一审行政诉讼案件20件。", "admin_litigation_cases"),
    ("通过优化流程减少检查次数15次。", "enforcement_inspections"),
    ("局领导集体讨论重大行政处罚决定9件。", "enforcement_penalties"),
    ("修改、废止市政府规章4件。", "normative_doc_repealed"),
    ("悬挂宣传横幅50条。", "publicity_materials"),
])
def test_a_verb_or_noun_of_another_kind_names_nothing(sentence, indicator):
    assert not any(code == indicator for code, _, _ in facts(sentence))


def test_rates_are_named_by_the_rate_noun_next_to_them():
    assert ("cadre_exam_pass_rate", 100) in totals("全镇干部学法考试参考率、合格率均达100%。")
    assert not facts("全镇干部学法考试参考率100%。"), "a participation rate is not a pass rate"


# ---- word boundaries ------------------------------------------------------------------------------

def test_words_are_found_longest_first_from_the_right():
    assert ("publicity_materials", 500) in totals("发放法治宣传单500份。")
    assert ("legal_advisers", 3) in totals("聘请12名调解员和3名法律顾问。"), "调解员 is a person, not the verb 调解"


def test_a_law_name_is_not_a_marker():
    got = facts("组织机关干部学习未成年人保护法等法律,举办专题培训4场。")
    assert ("training_sessions", 4, "total") in got


# ---- zeros stated in words ------------------------------------------------------------------------

def test_a_zero_that_denies_the_whole_indicator_is_a_fact():
    assert ("info_disclosure_requests", 0) in totals("2024年本单位未收到政府信息公开申请。")
    assert ("admin_litigation_lost", 0) in totals("全年无行政败诉案件。")


@pytest.mark.parametrize("sentence", [
    "全年没有发生因政府信息公开申请引发的行政复议。",
    "实现“零上访”目标。",
    "无脱管漏管情况。",
])
def test_a_zero_of_a_subset_or_a_slogan_is_not(sentence):
    assert not any(value == 0 for _, value, _ in facts(sentence))


# ---- scope: channel, event, subset, combined counts ------------------------------------------------

def test_one_channel_is_a_subunit_but_several_listed_are_the_total():
    assert ("info_disclosure_proactive", 120, "subunit") in facts("通过门户网站主动公开信息120条。")
    assert ("info_disclosure_proactive", 300, "total") in facts("通过门户网站、微信、微博主动公开信息300条。")
    assert ("hotline_consultations", 90, "subunit") in facts("窗口接待来访法律咨询90人次。")
    assert ("hotline_consultations", 900, "total") in facts("12348热线接待群众来电咨询900人次。")


def test_consultations_at_publicity_events_are_not_the_hotline_total():
    got = facts("开展普法宣传活动10场,发放宣传资料800份,接受群众咨询150人次。")
    assert ("hotline_consultations", 150, "other") in got
    assert ("publicity_events", 10, "total") in got


def test_combined_counts_are_not_any_one_indicator():
    got = facts("全年审查规范性文件、行政合同、涉法事务共计90件。")
    assert not any(scope == "total" for _, _, scope in got)
    got = facts("审查和备案规范性文件20件。")
    assert ("normative_doc_reviews", 20, "other") in got or ("normative_doc_filings", 20, "other") in got
    assert ("contract_reviews", 40) in totals("审查、备案政府合同40件。"), "filing a contract names no other indicator"


@pytest.mark.parametrize("sentence, indicator, value, scope", [
    ("其中行政处罚类案件12件。", "enforcement_penalties", 12, "other"),
    ("行政处罚被提起行政诉讼3件。", "admin_litigation_cases", 3, "other"),
    ("调解婚姻家庭纠纷30件。", "mediation_cases_accepted", 30, "subunit"),
    ("在食品安全领域查处违法案件40件。", "enforcement_cases", 40, "subunit"),
    ("各基层党组织结合主题党日开展集中学习50次。", "training_sessions", 50, "other"),
])
def test_subsets_named_by_general_markers(sentence, indicator, value, scope):
    assert (indicator, value, scope) in facts(sentence)


def test_reconsideration_over_information_disclosure_is_not_all_reconsideration():
    got = facts("(四)政府信息公开行政复议情况\n全年发生行政复议2件。")
    assert ("admin_reconsideration_received", 2, "other") in got


def test_a_level_after_a_fall_is_the_figure_not_a_change():
    assert ("admin_litigation_loss_rate", 3.5) in totals("全区行政诉讼败诉率下降至3.5%。")


def test_a_breakdown_of_a_whole_of_another_kind_is_not_a_total():
    got = facts("法律援助中心全年评查归档案卷600份,其中法律援助案件300件。")
    assert not any(code == "legal_aid_cases" and scope == "total" for code, _, scope in got)
    got = facts("全年街道诉讼案件50起,其中行政诉讼12起。")
    assert ("admin_litigation_cases", 12, "total") in got, "a breakdown by kind of a generic whole"


def test_a_denied_verb_is_a_zero_of_what_it_would_have_counted():
    assert ("enforcement_penalties", 0) in totals("本年度未作出行政处罚决定。")
    assert ("admin_litigation_lost", 0) in totals("全年无行政诉讼败诉案件。"), "the last noun of a compound is denied"


def test_reconsideration_in_an_information_disclosure_report_is_about_disclosure():
    got = facts("某局2024年政府信息公开工作年度报告\n五、行政复议和行政诉讼情况\n全年发生行政复议1件。")
    assert ("admin_reconsideration_received", 1, "other") in got


def test_the_verb_after_the_number_when_dui_puts_the_object_first():
    assert ("major_decision_reviews", 12) in totals("对12项重大行政决策事项进行合法性审查。")
    assert ("admin_litigation_lost", 7) in totals("对已生效的7件败诉案件逐案分析原因。"), \
        "a verb that names nothing leaves the noun its own indicator"


def test_a_quoted_campaign_name_can_name_what_is_counted():
    assert ("enforcement_inspections", 120) in totals("开展“双随机、一公开”抽查120次。")


def test_many_bodies_studying_are_the_jurisdictions_study():
    assert ("training_sessions", 9, "subunit") in facts("街道党工委开展专题学习9次。")
    assert ("training_sessions", 140, "total") in facts("全县100多个党委(党组)开展专题学习140场。")


def test_an_item_naming_an_unknown_noun_does_not_take_the_clauses_noun():
    got = totals("全年审查各类合同80份、一般性文件12件。")
    assert ("contract_reviews", 80) in got and ("contract_reviews", 12) not in got
    assert ("training_participants", 150) in totals("组织全区法治专题培训班三期共150人次。")


def test_one_kind_of_case_is_a_subunit():
    assert ("enforcement_cases", 60, "subunit") in facts("全年查处食品案件60件。")


def test_outcomes_of_a_subset_and_disputes_through_a_linkage_are_not_totals():
    got = facts("行政处罚被申请行政复议6宗,复议决定撤销、变更或者确认违法2宗。")
    assert not any(scope == "total" for _, _, scope in got)
    assert ("mediation_cases_resolved", 40, "subunit") in facts("通过诉调对接成功化解矛盾纠纷40件。")


# ---- round 4: rules from blind batches of own passages ------------------------------------------

def test_a_year_compared_with_dates_only_its_own_clause():
    got = facts("全县共调解矛盾纠纷1.9万件，较2021年的1.7万件明显增加，调解成功率99.3%。", 2023)
    assert ("mediation_success_rate", 99.3, "total") in got
    assert ("mediation_cases_accepted", 17000, "total") not in got
    assert ("mediation_success_rate", 99.3, "other_period") in facts(
        "2021年，全县调解矛盾纠纷1.7万件，调解成功率99.3%。", 2023), "a year that dates the sentence still does"


def test_a_courts_pre_litigation_mediation_is_not_peoples_mediation():
    got = totals("全县法院诉前调解纠纷2100件；全县人民调解组织调解纠纷6400件。", 2023)
    assert ("mediation_cases_accepted", 6400) in got
    assert ("mediation_cases_accepted", 2100) not in got


def test_an_online_platform_is_one_channel_unless_listed_with_the_others():
    one = totals("我区“云调解”在线平台全年受理纠纷210件，调解成功205件。", 2023)
    assert not one
    listed = totals("全区公共法律服务实体、热线、网络平台共提供法律咨询3.1万人次。", 2023)
    assert ("hotline_consultations", 31000) in listed


def test_kinds_of_one_noun_listed_without_their_sum_are_parts():
    got = facts("年内评查行政许可案卷150卷、行政强制案卷60卷。", 2023)
    assert ("enforcement_files_reviewed", 150, "other") in got
    assert ("enforcement_files_reviewed", 60, "other") in got
    series = totals("组织机关干部开展集中学习12次、专题学习5次。", 2023)
    assert {("training_sessions", 12), ("training_sessions", 5)} <= series, "two series of their own"


def test_outcomes_each_named_by_a_verb_are_parts_not_the_correction_total():
    got = facts("全年收到行政复议申请90件；审结85件，维持60件，撤销5件，变更3件，和解撤回6件。", 2023)
    assert ("admin_reconsideration_corrected", 5, "total") not in got
    assert ("admin_reconsideration_corrected", 3, "total") not in got
    assert ("admin_reconsideration_settled", 6, "total") in got
    assert ("admin_reconsideration_corrected", 7, "total") in facts(
        "全年收到行政复议申请90件，直接纠错7件。", 2023)


def test_a_thousands_separator_does_not_end_the_clause():
    got = totals("全区2,180名国家工作人员参加年度学法考试。", 2023)
    assert ("cadre_exam_participants", 2180) in got


def test_mediation_words_of_the_domain():
    got = facts("人民调解：受理纠纷640件，调结636件，调解协议涉及金额820万元。", 2023)
    assert ("mediation_cases_resolved", 636, "total") in got
    assert ("mediation_amount_involved", 8200000, "total") in got


def test_a_list_that_goes_on_to_another_kind_of_noun_is_a_combined_count():
    got = facts("全年审查政府合同、协议及涉法文件共计180件。", 2023)
    assert ("contract_reviews", 180, "total") not in got
    assert ("cadre_exam_pass_rate", 100, "total") in facts("学法考试参考率、合格率均为100%。", 2023)


def test_a_troupe_of_speakers_and_its_audience_are_one_unit():
    got = facts("市委宣讲团开展法治宣讲40场次，受众6000余人。", 2023)
    assert not [f for f in got if f[2] == "total"]


def test_the_reporting_body_as_a_party_is_its_own_total_a_named_body_is_not():
    own = totals("本局作为被申请人的行政复议案件2件；作为被告的行政诉讼案件2件。", 2023)
    assert ("admin_litigation_cases", 2) in own
    named = facts("县自然资源局作为被申请人的行政复议案件7件，县住建局作为被告的行政诉讼案件4件。", 2023)
    assert ("admin_reconsideration_received", 7, "total") not in named
    assert ("admin_litigation_cases", 4, "total") not in named


def test_the_people_of_a_party_event_are_party_study_too():
    got = facts("组织开展“学习民法典”主题党日活动18次，参与党员500人次。", 2023)
    assert not [f for f in got if f[2] == "total"]


def test_a_proposed_document_is_what_is_reviewed_not_a_plan():
    got = totals("对县政府拟出台的6件规范性文件进行合法性审核。", 2023)
    assert ("normative_doc_reviews", 6) in got
    assert not totals("计划开展法治培训20场。", 2023)


def test_a_change_from_one_figure_to_another_keeps_the_one_reached():
    got = facts("全区持证执法人员由1800人增至1950人。", 2023)
    assert ("enforcement_officers_certified", 1950, "total") in got
    assert ("enforcement_officers_certified", 1800, "total") not in got


def test_a_figure_per_village_is_not_a_total_and_teachers_are_not_officials():
    assert not totals("每个村（社区）配备法律顾问1名。", 2023)
    got = facts("县教育局组织教师法治培训8场，参训教师1600人次。", 2023)
    assert not [f for f in got if f[2] == "total"]


def test_a_township_office_after_a_time_word_is_the_townships_own():
    got = totals("全年镇公共法律服务工作站解答法律咨询420人次。", 2023)
    assert ("hotline_consultations", 420) in got


def test_parts_of_a_combined_count_are_each_indicators_total():
    got = facts("全年共收到行政复议和行政诉讼案件90件，其中行政复议案件55件、行政诉讼案件35件。", 2023)
    assert ("admin_reconsideration_received", 55, "total") in got
    assert ("admin_litigation_cases", 35, "total") in got
    assert ("admin_litigation_cases", 90, "total") not in got


def test_a_count_of_tasks_is_not_a_count_of_inspections():
    got = totals("全县开展“双随机”抽查任务210次。全年各执法部门实施行政检查8600次。", 2023)
    assert ("enforcement_inspections", 8600) in got
    assert ("enforcement_inspections", 210) not in got


def test_the_decisions_a_years_catalogue_lists_are_the_decisions():
    assert ("major_decisions", 6) in totals("县政府2023年度重大行政决策事项目录共列入6项。", 2023)
    assert not totals("明确决策事项目录编制等6个环节。", 2023)


def test_since_a_date_dates_the_whole_sentence():
    got = facts("自新修订的行政复议法施行以来，全区共收到行政复议申请120件。", 2023)
    assert ("admin_reconsideration_received", 120, "other_period") in got
    assert ("admin_reconsideration_received", 120) in totals("自2023年1月以来，全区共收到行政复议申请120件。", 2023)


def test_every_agency_as_the_defendant_is_the_total():
    got = totals("全县各级行政机关作为被告的一审行政诉讼案件共48件。", 2023)
    assert ("admin_litigation_cases", 48) in got


def test_a_facility_with_its_kinds_in_brackets_is_every_facility():
    got = totals("全区公共法律服务中心（站、室）共受理法律服务事项2.8万件。", 2023)
    assert ("public_legal_service_items", 28000) in got


def test_figures_under_a_plans_heading_are_targets():
    text = "三、法治培训\n全年开展法治培训14期。\n四、2024年工作打算\n（一）开展法治培训不少于20期。\n"
    got = facts(text, 2023)
    assert ("training_sessions", 14, "total") in got
    assert ("training_sessions", 20, "other_period") in got
    assert ("training_sessions", 9, "total") in facts("一、2023年工作重点\n全年开展法治培训9期。\n", 2023)


def test_cases_a_committee_deliberated_are_not_the_cases_taken_in():
    got = totals("全年收到行政复议申请130件。复议委员会集体审议重大疑难复议案件21件。", 2023)
    assert ("admin_reconsideration_received", 130) in got
    assert not [v for code, v in got if v == 21]


def test_licensing_matters_handled_are_applications_a_catalogues_items_are_not():
    assert ("admin_licensing_cases", 9400) in totals("全县共办理行政许可事项9400件。", 2023)
    assert not totals("全县保留行政许可事项118项。", 2023)


def test_one_days_consultations_are_an_events():
    got = facts("在“宪法宣传日”当天，全区共设立咨询点12个，解答群众法律咨询900余人次。", 2023)
    assert ("hotline_consultations", 900, "total") not in got


def test_an_event_of_no_named_kind_for_officials_is_training():
    got = totals("举办“周末大讲堂”6期，全区800余名机关干部参加。", 2023)
    assert ("training_sessions", 6) in got
    assert ("training_participants", 800) in got


def test_people_sent_to_another_bodys_course_are_not_the_jurisdictions_training():
    got = facts("选派20名执法人员参加市司法局举办的执法业务培训班。", 2023)
    assert not [f for f in got if f[2] == "total"]


def test_a_passive_verb_after_the_number_tells_what_was_done():
    got = totals("全年共有95件行政复议申请被依法受理。", 2023)
    assert ("admin_reconsideration_accepted", 95) in got
    assert ("admin_reconsideration_received", 95) not in got


def test_a_year_after_shi_compared_with_dates_only_its_clause():
    got = totals("全市收到行政复议申请1,500件，是2022年的1.6倍，受理1,320件。", 2023)
    assert ("admin_reconsideration_accepted", 1320) in got


def test_new_cases_are_the_years_flow_new_people_a_stocks_change():
    assert ("admin_litigation_cases", 41) in totals("全年全区新增行政诉讼案件41起。", 2023)
    assert ("public_lawyers", 6) not in totals("全年新增公职律师6名。", 2023)


def test_cases_against_an_agency_and_consultations_counted_in_times():
    assert ("admin_litigation_cases", 27) in totals("县政府及其部门全年被诉行政案件27件。", 2023)
    assert ("hotline_consultations", 5200) in totals("全年提供法律咨询5200余次。", 2023)


def test_an_amount_named_by_an_agreement_after_mediation_figures_is_mediations():
    got = totals("全年调处各类纠纷960宗，成功调处948宗，协议涉及金额1,150万元。", 2023)
    assert ("mediation_amount_involved", 11500000) in got


def test_a_relative_clause_before_cases_is_no_kind_of_case():
    got = totals("全年行政复议案件中，被撤销、确认违法的案件为零。", 2023)
    assert ("admin_reconsideration_corrected", 0) in got


def test_taking_part_in_handling_is_not_handling():
    assert not totals("法律顾问全年参与处理信访案件15件。", 2023)


def test_the_reporting_departments_own_study_is_its_total():
    got = totals("本局全年组织集体学法10次，参学干部职工300人次。", 2023)
    assert {("training_sessions", 10), ("training_participants", 300)} <= got
    assert not totals("本局党组全年组织集体学法10次。", 2023)


def test_the_pass_rate_of_a_licence_exam_is_not_the_law_exams():
    got = totals("全年组织学法12次；组织执法人员参加年度执法资格考试，通过率100%。", 2023)
    assert ("cadre_exam_pass_rate", 100) not in got


def test_lawsuits_decided_by_judgment_are_concluded_not_brought():
    got = totals("全年行政诉讼案件一审判决26件。", 2023)
    assert ("admin_litigation_concluded", 26) in got
    assert ("admin_litigation_cases", 26) not in got
    assert ("admin_litigation_lost", 2) in totals("全年行政机关被判决败诉2件。", 2023)


def test_an_agencys_decisions_overturned_are_not_all_corrections():
    got = totals("全年无执法过错案件，行政处罚决定被复议撤销0件。", 2023)
    assert ("admin_reconsideration_corrected", 0) not in got


def test_a_level_reached_in_the_report_year_after_a_prior_years_level():
    got = facts("2022年，全区行政机关负责人出庭应诉率为90.5%，2023年提升至98%。", 2023)
    assert ("admin_litigation_appearance_rate", 98, "total") in got
    assert ("admin_litigation_appearance_rate", 90.5, "total") not in got


def test_one_dispute_resolution_centre_and_the_parts_of_its_figure_are_a_subunit():
    got = facts("县矛盾纠纷调处化解中心全年受理矛盾纠纷540件，其中调解成功500件。全县调解纠纷2,900件。", 2023)
    assert ("mediation_cases_accepted", 2900, "total") in got
    assert ("mediation_cases_accepted", 540, "total") not in got
    assert ("mediation_cases_resolved", 500, "total") not in got
    parts = facts("全年受理涉企纠纷120件，其中调解成功118件。", 2023)
    assert ("mediation_cases_resolved", 118, "total") not in parts, "a part of a subset's figure"


def test_an_inspectors_letters_are_not_legal_opinions():
    assert not totals("开展法治督察2次，下发督察意见书5份。", 2023)


def test_figures_of_one_campaign_opening_the_sentence_are_that_campaigns():
    got = facts("在“宪法宣传周”活动中，全县开展宣传30场次，发放资料9000份。", 2023)
    assert not [f for f in got if f[2] == "total"]
