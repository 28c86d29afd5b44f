"""Which place and year a report is about: one test per way it used to go wrong (issue 13).

Every text here is written for the test; the places are real so the lists can be checked.
"""
from __future__ import annotations

import pytest

from fazhi.place.metadata import extract_metadata
from fazhi.place.resolve import resolve
from fazhi.place.urls import url_evidence


def place_of(text: str, url: str | None = None):
    meta = extract_metadata(text)
    match, place = resolve(text, meta, url)
    return meta, match, place


# A. a township or 街道 report gets its county and province from the township list


def test_a_township_named_only_by_itself_gets_its_county_and_province():
    _, match, place = place_of("灰汤镇2024年法治政府建设工作报告\n2024年,灰汤镇坚持依法行政,全镇……")
    assert (match.status, place.level, place.name) == ("resolved", "township", "灰汤镇")
    assert place.parent_id == "430182" and place.province == "湖南省" and place.city == "长沙市"
    assert place.jurisdiction_id == "430182-灰汤镇"


def test_a_townships_id_uses_the_county_code_in_force_in_the_report_year():
    _, _, place = place_of("灰汤镇2016年法治政府建设工作报告\n2016年,灰汤镇坚持依法行政。")
    assert place.parent_id == "430124"  # 宁乡县 until 2017, 宁乡市 after


def test_a_homonym_township_is_decided_by_a_county_named_anywhere():
    text = ("大同镇人民政府\n2024年度法治政府建设年度报告\n2024年以来,我镇认真贯彻落实……\n"
            "组织干部参加彭水县法治培训。")
    _, match, place = place_of(text)
    assert match.status == "resolved" and place.province == "重庆市" and place.parent_id == "500243"


def test_a_homonym_township_with_nothing_to_decide_it_stays_ambiguous_with_its_name():
    _, match, place = place_of("大同镇人民政府\n2024年度法治政府建设年度报告\n2024年以来,我镇依法行政。")
    assert place is None and match.jurisdiction_id is None
    assert match.status == "ambiguous" and match.name == "大同镇" and len(match.candidates) >= 5


def test_a_township_of_a_named_county_is_not_its_homonym_elsewhere():
    _, _match, place = place_of("宁乡市新立乡人民政府关于2024年法治政府建设情况的报告\n2024年,新立乡依法行政。")
    assert place.jurisdiction_id == "430182-新立乡" and place.province == "湖南省"


# C. the township that issued the report, not the county around it


def test_a_township_title_beats_the_county_sites_red_header():
    text = ("宁乡市人民政府\n政府信息公开\n灰汤镇2024年法治政府建设情况报告\n发布时间:2025-03-01\n"
            "2024年,在市委、市政府的坚强领导下,灰汤镇坚持依法行政。")
    _, _match, place = place_of(text)
    assert place.name == "灰汤镇" and place.parent_id == "430182"


def test_a_township_named_as_the_subject_of_the_opening_clause():
    text = ("一、2023年度法治政府建设的主要举措\n2023年,在市委、市政府的正确领导下,灰汤镇紧紧围绕中心工作,"
            "结合本镇实际推进依法行政。全镇开展普法活动12场。")
    _, _match, place = place_of(text)
    assert place.name == "灰汤镇" and place.province == "湖南省"


def test_a_township_named_in_the_contact_line():
    text = ("本报告依据《中华人民共和国政府信息公开条例》编制。如对本报告有疑问,请与宁乡市灰汤镇人民政府党政办公室联系。\n"
            "一、总体情况\n2023年度,我镇政府信息公开工作……")
    meta, _match, place = place_of(text)
    assert place.name == "灰汤镇" and meta.issuer == "宁乡市灰汤镇人民政府"


# D. names glued to neighbouring words


def test_a_label_without_a_colon_does_not_glue_into_the_name():
    text = "索引号 11-2026-00001\n发布机构 宁乡市灰汤镇人民政府\n发布日期 2026-01-20\n灰汤镇2025年法治政府建设工作情况报告"
    meta, _match, place = place_of(text)
    assert meta.issuer == "宁乡市灰汤镇人民政府"
    assert place.jurisdiction_id == "430182-灰汤镇"


def test_a_self_reference_is_not_a_township_name():
    text = "本年度报告根据《中华人民共和国政府信息公开条例》要求,结合本街道政府信息公开工作情况编制而成。"
    _, match, _ = place_of(text)
    assert "本街道" not in (match.name or "") and "结合" not in (match.name or "")


# E. homonym districts and generic names


def test_a_homonym_district_follows_the_city_named_elsewhere_or_stays_ambiguous():
    _, match, place = place_of("2023年,通州区法治政府建设取得新成效。\n一、行政复议\n区政府共收到申请100件。")
    assert match.status == "ambiguous" and place is None and match.name == "通州区"
    _, match, place = place_of("2023年,通州区法治政府建设取得新成效,北京市城市副中心建设……\n区政府共收到申请100件。")
    assert place.province == "北京市"


def test_generic_county_names_and_words_running_into_a_name_are_not_places():
    text = "2024年,我街道召开县委全面依法治县会议,城区范围内开展巡查。滨海新区胡家园街道办事处作为执法主体。"
    _, _match, place = place_of(text)
    assert place is not None and place.name == "胡家园街道" and place.province == "天津市"


# F. a cited national document never makes a report national


def test_a_cited_state_council_notice_does_not_make_a_county_bureau_national():
    text = ("根据《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
            "(国办公开办函〔2021〕30号)要求,现发布《同心县司法局2023年政府信息公开工作年度报告》。\n一、总体情况")
    meta, _match, place = place_of(text)
    assert place.name == "同心县" and place.province == "宁夏回族自治区"
    assert meta.doc_number is None  # the cited notice's number is not the report's


def test_a_national_ministry_naming_itself_is_national():
    _, _match, place = place_of("发布机构:司法部\n司法部2022年法治政府建设年度报告\n2022年,司法部坚持……")
    assert place.level == "national"


# G. development zones and new areas


def test_a_new_area_run_by_a_committee_is_its_own_jurisdiction_under_its_city():
    text = ("2025年,我区深入推进法治政府建设。现将临河新区2025年度法治政府建设情况报告如下:\n"
            "制定《郑州市地方立法条例》配套制度。")
    _, _match, place = place_of(text)
    assert place.level == "development_zone" and place.name == "临河新区"
    assert place.parent_id == "410100" and place.province == "河南省"


def test_a_generic_district_name_inside_a_zone_name_is_not_the_district():
    _, _match, place = place_of("郑东新区管理委员会\n2025年法治政府建设情况报告\n郑州市……")
    assert place.name == "郑东新区" and place.province == "河南省"


# H. self-references tied to the nearest named place of that level


def test_self_references_resolve_to_the_nearest_named_place_of_their_level():
    text = ("中共红河州委、红河州人民政府:\n2025年,县委、县政府坚持依法行政。印发《金平县领导干部应知应会法律法规清单》。"
            "我县全年办理行政复议案件10件。")
    _, _match, place = place_of(text)
    assert place.adcode == "532530" and place.province == "云南省"


def test_an_autonomous_region_speaking_of_itself_as_wo_qu():
    text = "2022年,我区坚持依法行政。自治区人民政府常务会议专题研究法治政府建设。编写《法治内蒙古建设发展报告》。"
    _, _match, place = place_of(text)
    assert place.level == "province" and place.name == "内蒙古自治区"


# I. the report year


def test_the_year_is_the_year_covered_not_a_prior_year_talked_about_more():
    text = ("今年以来,市司法局坚持依法行政。2021年本局满意度列全省第四,2021年度考评排名第三,2021年获评先进。\n"
            "一、2022年工作开展情况\n(一)推进依法治市")
    assert extract_metadata(text).report_year == 2022


def test_the_year_is_never_after_publication():
    text = "关于2025年法治政府建设工作计划的报告\n发布日期:2024-02-01\n2023年,我县坚持依法行政。"
    assert extract_metadata(text).report_year <= 2024


def test_the_year_is_never_after_the_latest_date_written_in_the_text():
    text = "2023年,我县坚持依法行政,2024年将继续推进。2025年目标如下。\n县人民政府\n2024年1月10日"
    assert extract_metadata(text).report_year == 2023


def test_the_heading_of_next_years_plan_does_not_name_the_year():
    text = ("2023年,我县坚持依法行政。\n二、2024年工作打算\n2024年,我县将继续推进依法行政。"
            "2024年重点抓好三项工作。2024年力争实现新突破。")
    assert extract_metadata(text).report_year == 2023
    text = ("一、2023年法治政府建设工作情况和2024年工作计划\n2024年,我县将继续推进依法行政。"
            "2024年重点抓好三项工作。\n县人民政府\n2024年2月1日")
    assert extract_metadata(text).report_year == 2023


def test_a_signature_date_in_chinese_numerals_is_the_publication_date():
    meta = extract_metadata("我县坚持依法行政,全年办理案件10件。\n县人民政府\n二〇二四年二月十一日")
    assert meta.published_on == "2024-02-11" and meta.report_year == 2023
    meta = extract_metadata("二〇二二年度法治政府建设工作报告\n我县坚持依法行政。\n县人民政府\n二〇二三年十二月三十日")
    assert meta.published_on == "2023-12-30" and meta.report_year == 2022


@pytest.mark.parametrize("title", [
    "某县2019—2020年度法治政府建设工作报告", "某县2019年—2020年法治政府建设工作报告", "某县2016年至2020年法治政府建设工作总结",
])
def test_a_range_of_years_covers_up_to_its_last_year(title):
    assert extract_metadata(title + "\n我县坚持依法行政。").report_year == 2020


def test_a_statistics_period_names_the_year():
    text = "本报告所列数据统计期限为2023年1月1日至2023年12月31日。对2019年以来制定的文件进行清理。"
    assert extract_metadata(text).report_year == 2023


# the issuer: a clean organ or None with a reason


@pytest.mark.parametrize("text", [
    "2023年,我县坚持依法行政,推进法治政府建设。",
    "2022年,全市司法行政系统在市委、市政府的正确领导下,坚持依法行政。",
    "2022年,汉中县法治政府建设工作取得新进展。",
])
def test_a_phrase_is_not_an_issuer(text):
    meta = extract_metadata(text)
    assert meta.issuer is None and meta.issuer_basis


def test_a_signature_organ_is_the_issuer():
    text = "2022年度深圳市坪山区法律援助中心共办理法律援助案件100宗。\n深圳市坪山区法律援助中心\n2023年6月20日"
    meta, _match, place = place_of(text)
    assert meta.issuer == "深圳市坪山区法律援助中心" and meta.issuer_kind == "department"
    assert place.name == "坪山区" and meta.published_on == "2023-06-20" and meta.report_year == 2022


# the web address as evidence


def test_a_gov_cn_address_decides_a_homonym_township():
    text = "莲花街道2023年法治政府建设年度报告\n今年以来,莲花街道坚持依法行政。"
    _, match, place = place_of(text)
    assert match.status == "ambiguous"
    _, match, place = place_of(text, "https://www.szft.gov.cn/bmxx/content/post_1.html")
    assert place.parent_id == "440304" and place.province == "广东省"


def test_a_mirror_domain_names_no_place():
    assert url_evidence("http://www.szft-mirror.com/a/1.html") is None
    assert url_evidence("http://liandu.gov.cn.example.com/") is None


def test_a_province_domain_and_a_county_domain():
    assert {"310000"} <= set(url_evidence("http://sfj.sh.gov.cn/2020/a.html").alone)
    assert "331102" in url_evidence("http://www.liandu.gov.cn/art/1.html").alone


def test_a_county_that_speaks_as_itself_is_not_the_township_it_names_first():
    text = ("2023年,我县坚持依法行政,全县法治建设取得新成效。城关镇积极推进综合执法改革。"
            "宁陕县委、县政府高度重视法治建设。")
    _, _, place = place_of(text)
    assert place.level == "county" and place.adcode == "610923"


def test_a_listed_new_area_district_is_not_taken_for_a_development_zone():
    _, _, place = place_of("上海市浦东新区市场监督管理局2023年法治政府建设情况报告\n2023年,区市场监管局坚持依法行政。")
    assert place.adcode == "310115" and place.level == "district"


def test_an_organ_named_by_its_level_word_gets_the_resolved_places_name():
    from fazhi.place.resolve import complete_issuer

    text = "发布机构:县司法局\n2023年,县司法局坚持依法行政。全年办理法律援助案件。宁陕县委、县政府重视。"
    meta, _, place = place_of(text)
    complete_issuer(meta, place)
    assert meta.issuer == "宁陕县司法局" and "label" in meta.issuer_basis


def test_a_year_in_chinese_numerals_and_a_signature_date_that_is_not_the_year_covered():
    assert extract_metadata("关于二〇二三年度法治政府建设情况的报告\n二〇二三年,我市坚持依法行政。").report_year == 2023
    text = "一年来,我县坚持依法行政,2022年度考核获评优秀。\n县人民政府\n2024年2月5日"
    meta = extract_metadata(text)
    assert meta.published_on == "2024-02-05" and meta.report_year == 2023


# found by the blind place challenge (tests/fixtures/place_challenge.yaml)


def test_a_district_under_a_city_that_once_was_a_county_level_city_of_the_same_name():
    # 宿迁市 was a county-level city until 1996: "宿迁市宿城区" is the district, not the city
    _, match, place = place_of("宿迁市宿城区人民政府关于2023年法治政府建设情况的报告\n2023年,宿城区坚持依法行政。")
    assert (match.status, place.name, place.province) == ("resolved", "宿城区", "江苏省")
    # with no year in the text, the name's current level counts
    _, _, place = place_of("泰州市海陵区人民政府法治政府建设工作报告\n全区坚持依法行政,推进法治建设。")
    assert place.name == "海陵区" and place.city == "泰州市"


def test_a_prefectures_administrative_office_is_its_government():
    text = ("和田地区行政公署\n关于2023年度法治政府建设情况的报告\n2023年,地区行署坚持依法行政,"
            "各县市扎实推进法治建设。\n和田地区行政公署\n2024年2月1日")
    meta, match, place = place_of(text)
    assert meta.issuer == "和田地区行政公署" and meta.issuer_kind == "government"
    assert (match.status, place.name, place.province) == ("resolved", "和田地区", "新疆维吾尔自治区")


def test_an_ethnic_township_written_without_its_nationalities_is_the_listed_one():
    text = ("康平县沙金台乡人民政府2023年法治建设工作报告\n2023年,沙金台乡在县委、县政府领导下依法行政,"
            "乡村两级调解组织化解纠纷。")
    _, match, place = place_of(text)
    assert (match.status, place.name, place.province) == ("resolved", "沙金台蒙古族满族乡", "辽宁省")
    assert place.parent_id == "210123"


def test_a_demonstration_zone_coextensive_with_its_city_is_that_city():
    text = "济源示范区2023年法治政府建设情况报告\n2023年,示范区管委会坚持依法行政,推进法治建设。"
    _, match, place = place_of(text)
    assert (match.status, place.name, place.province) == ("resolved", "济源市", "河南省")


def test_a_place_the_report_visits_works_with_or_ranks_against_is_not_its_own():
    visited = ("2023年,我县坚持依法行政。县政府组织干部赴德清县考察数字法治建设经验。\n"
               "县人民政府\n2024年1月5日")
    _, match, place = place_of(visited)
    assert place is None and match.status != "resolved"
    peers = "2024年,我区法治建设评估成绩位居前列,仅次于鄞州区、余杭区。区政府坚持依法行政。"
    _, match, place = place_of(peers)
    assert place is None and match.status != "resolved"
    helped = "2023年,我县坚持依法行政,认真做好对口帮扶紫云县工作,县政府常务会议会前学法。"
    _, match, place = place_of(helped)
    assert place is None and match.status != "resolved"
    merged = "2022年,我镇坚持依法治镇。原灰汤镇并入后,做好档案移交。镇党委重视法治建设。"
    _, match, place = place_of(merged)
    assert place is None and match.status != "resolved"
    # named as itself, the same county still resolves the report
    own = "2023年,我县坚持依法行政。德清县委、县政府高度重视法治建设。"
    _, _, place = place_of(own)
    assert place.name == "德清县" and place.province == "浙江省"


def test_a_generic_district_name_standing_as_the_issuer_is_decided_by_its_city_or_left_ambiguous():
    text = ("市中区人民政府关于2024年法治政府建设情况的报告\n2024年,在内江市委、市政府领导下,"
            "全区坚持依法行政。\n市中区人民政府\n2025年1月9日")
    _, match, place = place_of(text)
    assert (match.status, place.name, place.city) == ("resolved", "市中区", "内江市")  # not 内江市 itself
    _, match, place = place_of("城区人民政府2023年法治政府建设工作报告\n2023年,全区坚持依法行政。")
    assert place is None and (match.status, match.name) == ("ambiguous", "城区") and len(match.candidates) >= 2
    # inside running text the generic word names nothing
    _, match, _ = place_of("2023年,我县加强城区执法,全县坚持依法行政。")
    assert match.status == "unresolved"


def test_a_homonym_is_decided_by_its_own_parent_not_by_a_place_it_visits():
    text = ("朝阳区2023年法治政府建设情况报告\n2023年,朝阳区在长春市委、市政府领导下依法行政。"
            "区司法局组织干部赴北京市学习基层治理经验。\n朝阳区人民政府\n2024年1月3日")
    _, match, place = place_of(text)
    assert (match.status, place.province, place.city) == ("resolved", "吉林省", "长春市")


def test_a_place_helped_far_away_does_not_give_an_unnamed_county_its_province():
    text = "2023年,我县对标全省考核要求,依法行政,认真做好对口帮扶紫云县工作。县委、县政府重视法治建设。"
    _, match, _ = place_of(text)
    assert match.status == "unresolved" and match.province is None


def test_a_bare_zone_not_in_the_seed_is_the_zone_of_the_city_the_text_names():
    text = ("经开区管委会2023年法治政府建设工作报告\n2023年,经开区管委会在芜湖市委、市政府的坚强领导下,"
            "坚持依法行政,推行包容审慎监管。\n经开区管委会\n2024年1月8日")
    _, match, place = place_of(text)
    assert (match.status, place.name, place.province, place.city) == ("resolved", "芜湖经开区", "安徽省", "芜湖市")
    assert place.level == "development_zone" and place.parent_id == "340200"


def test_an_undecided_report_that_names_its_province_itself_lies_in_it():
    text = ("区司法局2023年法治建设工作报告\n2023年,区司法局在区委、区政府领导下,在绍兴市司法局指导下,"
            "认真落实浙江省法治建设部署,坚持依法行政。\n区司法局\n2024年1月4日")
    _, match, place = place_of(text)
    assert place is None and match.status != "resolved" and match.province == "浙江省"
    # a province the report only visits says nothing of its own
    visited = "2023年,区司法局坚持依法行政,组织干部赴浙江省绍兴市学习基层治理经验。区委重视法治建设。"
    _, match, _ = place_of(visited)
    assert match.province is None


def test_a_city_bureaus_branch_named_by_a_districts_short_name_reports_for_that_district():
    text = ("南京市公安局玄武分局2023年法治政府建设工作报告\n2023年,分局坚持依法行政,规范执法办案。\n"
            "南京市公安局玄武分局\n2024年1月10日")
    _, match, place = place_of(text)
    assert (match.status, place.name, place.city) == ("resolved", "玄武区", "南京市")
    # a branch that names no district of the city leaves the city
    _, _, place = place_of("南京市公安局交通管理局高速分局2023年法治建设工作报告\n2023年,分局坚持依法行政。")
    assert place.name == "南京市"


@pytest.mark.parametrize("label", ["公开主体", "所属机构", "填报单位", "报送单位", "编制单位", "发布部门"])
def test_the_organ_in_a_pages_or_forms_label_names_the_report(label):
    text = f"{label}:宜兴市人民政府办公室\n年度法治政府建设情况报告\n2023年,我市坚持依法行政,推进法治建设。"
    meta, match, place = place_of(text)
    assert (match.status, place.name, place.province) == ("resolved", "宜兴市", "江苏省")
    assert meta.issuer == "宜兴市人民政府办公室"


def test_a_county_level_city_saying_wo_shi_is_not_the_prefecture_it_works_under():
    text = ("年度法治政府建设情况报告\n2023年,在无锡市委、市政府的坚强领导下,宜兴市委、市政府坚持依法行政。"
            "我市重大行政决策全部经过合法性审查。")
    _, match, place = place_of(text)
    assert (match.status, place.name, place.city) == ("resolved", "宜兴市", "无锡市")


def test_a_department_works_under_its_own_government_which_stays_its_place():
    text = "区司法局2023年法治建设工作总结\n2023年,区司法局在江宁区委、区政府的坚强领导下,坚持依法行政。我局推进法治建设。"
    _, match, place = place_of(text)
    assert (match.status, place.name, place.city) == ("resolved", "江宁区", "南京市")


def test_the_own_court_after_yu_and_the_own_government_a_department_reports_to_are_the_reports_place():
    court = "2023年,我县坚持依法行政。县政府与永和县人民法院建立府院联动机制,化解行政争议。"
    _, match, place = place_of(court)
    assert (match.status, place.name) == ("resolved", "永和县")
    reports_up = "区司法局2024年法治建设工作报告\n2024年,区司法局每季度向雁塔区人民政府报告法治建设进展。我局坚持依法行政。"
    _, match, place = place_of(reports_up)
    assert (match.status, place.name) == ("resolved", "雁塔区")
    # another county's government the report signs an agreement with stays another place
    other = "2023年,我县坚持依法行政。县政府与永和县人民政府签订边界联调协议。"
    _, match, place = place_of(other)
    assert place is None and match.status != "resolved"


def test_a_government_working_under_its_own_named_party_committee_is_that_place():
    text = "2024年法治建设工作总结\n2024年,镇政府在许家湖镇党委的坚强领导下,扎实推进依法治镇。我镇党委重视法治。"
    _, match, place = place_of(text)
    assert (match.status, place.name) == ("resolved", "许家湖镇")
    text = "2022年法治政府建设情况报告\n2022年,区政府在郴州市委、市政府和苏仙区委的坚强领导下依法行政。我区推进法治建设。"
    _, match, place = place_of(text)
    assert (match.status, place.name) == ("resolved", "苏仙区")
