"""Report metadata and jurisdiction resolution on real report openings."""
from __future__ import annotations

from conftest import SAMPLES

from fazhi.normalise import normalise
from fazhi.place.metadata import extract_metadata, issuer_kind
from fazhi.place.resolve import resolve


def meta_and_place(text: str):
    norm = normalise(text)
    meta = extract_metadata(norm.text, norm.script)
    match, place = resolve(norm.text, meta)
    return meta, match, place


def sample(prefix: str) -> str:
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_labelled_header_gives_issuer_doc_number_dates_and_year():
    meta, match, place = meta_and_place(sample("001"))
    assert meta.issuer == "泉州市洛江区人民政府"
    assert meta.issuer_kind == "government"
    assert meta.doc_number == "泉洛政文〔2025〕14号"
    assert meta.index_number == "QZ030101-0200-2025-00004"
    assert meta.published_on == "2025-02-13"
    assert meta.report_year == 2024  # published 2025, covers 2024
    assert (match.status, place.adcode, place.name) == ("resolved", "350504", "洛江区")


def test_report_year_is_the_year_covered_not_the_year_published():
    meta, _, _ = meta_and_place("关于2023年法治政府建设情况的报告\n区委、区政府:\n2023年,我区坚持……\n\n2024年1月31日")
    assert meta.report_year == 2023
    assert meta.published_on == "2024-01-31"


def test_a_department_report_belongs_to_its_governments_jurisdiction():
    meta, _match, place = meta_and_place(sample("003"))
    assert meta.issuer_kind == "department"
    assert meta.script == "traditional"
    assert (place.name, place.adcode, place.level) == ("鲤城区", "350502", "district")


def test_a_bare_high_tech_zone_is_resolved_from_the_places_the_text_names():
    meta, match, place = meta_and_place(sample("004"))
    assert meta.issuer == "高新区综治局"
    assert meta.issuer_kind == "department"
    assert match.status == "resolved" and place.name == "珠海高新区"


def test_a_bare_high_tech_zone_without_context_stays_unresolved_with_candidates():
    _meta, match, place = meta_and_place("高新区综治局2024年法治政府建设年度报告\n2024年,高新区综治局坚持依法行政。")
    assert place is None and match.jurisdiction_id is None
    assert match.status == "ambiguous" and len(match.candidates) >= 2


def test_a_homonym_district_is_decided_by_its_city_or_left_ambiguous():
    _, match, _ = meta_and_place("鼓楼区人民政府关于2024年法治政府建设情况的报告\n2024年,鼓楼区坚持依法行政。")
    assert match.status == "ambiguous" and match.jurisdiction_id is None
    assert len(match.candidates) == 4
    _, match, place = meta_and_place("鼓楼区人民政府关于2024年法治政府建设情况的报告\n2024年,在福州市委、市政府领导下,鼓楼区坚持依法行政。")
    assert (match.status, place.adcode) == ("resolved", "350102")


def test_the_document_number_prefix_names_city_and_county():
    _, match, place = meta_and_place("区人民政府关于2024年法治政府建设情况的报告\n文号:泉洛政文〔2025〕14号\n区人大常委会:\n2024年,区政府坚持依法行政。")
    assert place is not None and place.adcode == "350504"
    assert match.method == "doc_number"


def test_a_township_gets_an_id_derived_from_its_parent():
    _, match, place = meta_and_place("仁和镇人民政府\n关于2024年度法治政府建设工作的报告\n2024年,仁和镇在宁远县委、县政府的坚强领导下……")
    assert place.level == "township" and place.name == "仁和镇"
    assert place.parent_id == "431126" and match.jurisdiction_id == "431126-仁和镇"


def test_issuer_kinds():
    assert issuer_kind("泉州经济技术开发区管理委员会") == "government"
    assert issuer_kind("深圳市福田区司法局") == "department"
    assert issuer_kind("中共黎侯镇委员会 黎侯镇人民政府") == "government"
    assert issuer_kind("中共某某区委") == "other"
    assert issuer_kind("某某市人民政府办公室") == "department"


def test_a_span_since_an_earlier_year_does_not_date_a_report_written_late_in_the_year():
    # published in December about "今年以来"; "2021年以来累计" only says where a total starts
    text = ("县司法局法治建设工作情况报告\n发布时间:2022年12月20日\n今年以来,县司法局坚持依法行政。"
            "2021年以来累计办理法律援助案件六百余件,自2021年起推行公证便民服务。")
    assert extract_metadata(text).report_year == 2022


def test_the_years_a_report_plans_for_do_not_date_it():
    # no year in the title; the plan names the new year three times, the past year is never named
    text = ("镇法治建设工作报告\n一年来,镇政府坚持依法行政,调处纠纷四十余起。\n"
            "下一步工作打算:2025年春季完成法律顾问续聘,2025年年中建成法治广场,2025年底前培训完毕。\n"
            "镇人民政府\n2025年1月6日")
    assert extract_metadata(text).report_year == 2024
