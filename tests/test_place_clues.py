"""Weak clues of place (area codes, short names, neighbouring townships, the superior a township
names) and the province/city a report keeps while its county stays undecided.

Every text here is written for the test; the places are real so the lists can be checked.
"""
from __future__ import annotations

import pytest

from fazhi.place.clues import area_codes, county_stems, gather_clues, superior_word
from fazhi.place.evidence import compact
from fazhi.place.gazetteer import mentions, name_index, short_name
from fazhi.place.metadata import extract_metadata
from fazhi.place.resolve import resolve

DATONG = "大同镇人民政府\n2024年度法治政府建设年度报告\n2024年以来,我镇党委、政府坚持依法行政。\n"


def place_of(text: str):
    match, place = resolve(text, extract_metadata(text))
    return match, place


# telephone area codes


@pytest.mark.parametrize("text, codes", [
    ("联系电话:0595-22123456,传真:(0595)22123457", ["0595"]),
    ("咨询电话(023)78441234;举报电话 0755 83071234", ["023", "0755"]),
    ("服务热线0591-12345", ["0591"]),
    ("北京:010-65121234", ["010"]),
])
def test_area_codes_are_read_from_telephone_numbers(text, codes):
    assert area_codes(text) == codes


@pytest.mark.parametrize("text", [
    "索引号:000014349/2024-00123",  # an index number: a dash and digits before it
    "手机13905951234",  # a mobile number names no area
    "文号2024-0595号,共05951234567件",  # no separator: not a telephone number
    "编号0369-2345678",  # 0369 serves no area in the list
])
def test_other_numbers_are_not_area_codes(text):
    assert area_codes(text) == []


def test_an_area_code_decides_a_homonym_township_that_the_names_leave_tied():
    match, place = place_of(DATONG + "联系电话:(023)78441234\n")
    assert match.status == "resolved" and place.parent_id == "500243" and place.province == "重庆市"


def test_a_county_named_in_words_outweighs_an_area_code():
    _match, place = place_of(DATONG + "组织干部赴长汀县学习。联系电话:023-78441234\n")
    assert place.parent_id == "350821" and place.province == "福建省"


def test_an_area_code_decides_a_homonym_district():
    text = "2023年,通州区法治政府建设取得新成效。\n区政府共收到行政复议申请100件。\n咨询电话:010-69541234\n"
    match, place = place_of(text)
    assert match.status == "resolved" and place.adcode == "110112" and place.province == "北京市"


# a county's short name where a name stands


def test_a_countys_short_name_opening_a_source_label_decides_a_homonym():
    _match, place = place_of("大同镇2024年法治政府建设年度报告\n信息来源:长汀发布\n2024年,大同镇坚持依法行政。")
    assert place is not None and place.parent_id == "350821"


def test_a_short_name_running_into_other_words_is_not_read():
    text = compact("推进平安建设,创建平安乡村。来源:平安融媒")
    clues = gather_clues(text, text, mentions(text))
    assert clues.stems == frozenset(county_stems()["平安"])  # only the label's value counts
    text = compact("推进平安建设,创建平安乡村。")
    assert gather_clues(text, text, mentions(text)).stems == frozenset()


# neighbouring townships and the superior a township names


def test_a_neighbouring_township_of_the_same_county_decides_a_homonym():
    match, place = place_of(DATONG + "与郁山镇联合开展法治宣传活动3场。\n")
    assert match.status == "resolved" and place.parent_id == "500243"


def test_a_pair_of_fairly_common_township_names_that_meet_in_one_county_decides_it():
    # 永宁镇 (14 counties) and 旧县镇 (8) lie together only in 延庆区
    text = "永宁镇2023年法治建设工作报告\n2023年,永宁镇坚持依法治镇,与旧县镇建立联调机制。\n"
    match, place = place_of(text)
    assert match.status == "resolved" and place.parent_id == "110119" and place.province == "北京市"


def test_a_township_name_found_in_many_counties_tells_no_county_apart():
    match, place = place_of(DATONG + "与城关镇联合开展法治宣传活动3场。\n")  # 城关镇: 永登县 among 80
    assert place is None and match.status == "ambiguous"


@pytest.mark.parametrize("text, word", [
    ("在区委、区政府的坚强领导下,全镇依法行政,落实区委依法治区委员会部署。", "区"),
    ("按照县委全面依法治县委员会要求,在市委、市政府指导下", "县"),
    ("在市委市政府的坚强领导下,全镇依法行政。", "市"),
    ("区委、县委联合督导", None),
])
def test_the_kind_of_county_a_township_names_above_itself(text, word):
    assert superior_word(text) == word


def test_the_superior_narrows_homonyms_to_those_under_that_kind_of_county():
    # 东冶镇: under 阳城县 and 五台县 (both 县) -> still tied; 南孟镇: 藁城区 or 霸州市
    _match, place = place_of("南孟镇2024年法治政府建设工作报告\n2024年,在区委、区政府的领导下,南孟镇坚持依法行政。")
    assert place is not None and place.parent_id == "130109"


# the province and city kept while the county stays undecided


def test_homonyms_in_one_province_keep_that_province():
    match, place = place_of("东冶镇2024年法治政府建设工作报告\n2024年,东冶镇坚持依法行政。")
    assert place is None and match.status == "ambiguous" and match.name == "东冶镇"
    assert (match.province, match.city) == ("山西省", None)


def test_homonyms_in_several_provinces_keep_none():
    match, _ = place_of(DATONG)
    assert match.status == "ambiguous" and match.province is None and match.city is None


def test_a_resolved_report_carries_its_places_province_and_city():
    match, place = place_of(DATONG + "联系电话:(023)78441234\n")
    assert (match.province, match.city) == (place.province, place.city) == ("重庆市", "重庆市")


def test_an_unresolved_department_report_keeps_the_only_province_it_names():
    text = ("2024年,我局认真落实区委、区政府部署,为全区发展提供保障。我局被省司法厅评为全省先进单位。"
            "聘请江苏某某律师事务所律师担任法律顾问。")
    match, place = place_of(text)
    assert place is None and match.status == "unresolved"
    assert (match.province, match.city) == ("江苏省", None)


@pytest.mark.parametrize("text", [
    "2024年,我局认真落实区委部署,被评为全省先进单位。组织干部赴浙江、江苏学习。",  # two provinces
    "2024年,我局认真落实区委部署。组织干部赴浙江学习。",  # never speaks of a province above it
])
def test_an_unresolved_report_naming_no_single_province_of_its_own_keeps_none(text):
    match, place = place_of(text)
    assert place is None and match.province is None


def test_an_unresolved_report_keeps_the_province_and_city_of_its_area_code():
    text = "2024年,区司法局在区委、区政府和市司法局的指导下依法行政,全省考评优秀。\n联系电话:0595-22123456\n"
    match, _ = place_of(text)
    assert match.status == "unresolved" and (match.province, match.city) == ("福建省", "泉州市")


# autonomous places: the place part of the name


@pytest.mark.parametrize("name, short", [
    ("黔东南苗族侗族自治州", "黔东南"),
    ("西双版纳傣族自治州", "西双版纳"),
    ("积石山保安族东乡族撒拉族自治县", "积石山"),
    ("东乡族自治县", "东乡"),
    ("金平苗族瑶族傣族自治县", "金平"),
    ("管城回族区", "管城"),
])
def test_the_short_name_of_an_autonomous_place_stops_at_its_nationalities(name, short):
    assert short_name(name) == short


def test_an_autonomous_prefectures_short_name_is_found_in_a_text():
    assert "黔东南州" in name_index().by_name
    assert [m.name for m in mentions("黔东南州司法局")] == ["黔东南州"]


# the unified social credit code of the publishing organ (GB 32100-2015)

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(division: str, body: str = "MA1234567") -> str:
    """A well-formed code of an organ (11 = 机构编制, 机关) registered in `division`."""
    code = "11" + division + body
    return code + CREDIT_CHARS[-sum(CREDIT_CHARS.index(c) * w for c, w in zip(code, CREDIT_WEIGHTS)) % 31]


def test_credit_codes_give_the_division_of_their_registering_office():
    from fazhi.place.evidence import credit_divisions

    good = credit_code("350802")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check character
    assert credit_divisions(f"索引号:{good}/2024-00012;{bad}") == ["350802"]
    assert credit_divisions("统一社会信用代码" + credit_code("500243", "MA7654321")[:17]) == []  # cut short


def test_a_bureau_named_only_by_its_level_resolves_through_its_credit_code():
    text = (f"索引号:{credit_code('350802')}/2024-00012\n发布机构:区司法局\n"
            "2023年,区司法局在区委、区政府领导下依法行政,全区办理行政复议案件10件。")
    match, place = place_of(text)
    assert (match.status, match.method, place.name, place.province) == ("resolved", "credit_code", "新罗区", "福建省")


def test_a_credit_code_decides_a_homonym_township():
    _, place = place_of(DATONG.replace("\n2024年以来", f"\n索引号:{credit_code('500243')}/2025-00003\n2024年以来"))
    assert place is not None and place.parent_id == "500243"


def test_a_credit_code_of_another_level_does_not_name_the_report_but_its_province():
    text = (f"索引号:{credit_code('350800')}/2024-00012\n"  # a city's organ
            "2023年,区司法局在区委、区政府领导下依法行政,全区办理行政复议案件10件,全省考评优秀。")
    match, place = place_of(text)
    assert place is None and match.status == "unresolved" and match.province == "福建省"
