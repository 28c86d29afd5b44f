"""Whose figure is it: a sector bureau's figure inside a government's report is one part of the
jurisdiction's (subunit); the same figure in the bureau's own report is its total; an organ that
carries a function for the whole jurisdiction (legal aid, reconsideration, petitions) gives the
total; every body of the jurisdiction named after the bureau makes the figure theirs. Sentences
written for this test."""
from __future__ import annotations

import pytest

from fazhi.extract.candidates import extract_candidates
from fazhi.extract.scope import sector_organs
from fazhi.normalise import normalise
from fazhi.pipeline import read_front
from fazhi.rules import load_organs

COUNTY = "平阳县人民政府"


def scopes(text: str, issuer: str | None) -> dict[tuple[str, float], str]:
    norm = normalise(text)
    return {(c.indicator_code, c.value): c.scope for c in extract_candidates(norm, 2024, issuer=issuer)}


@pytest.mark.parametrize("text, fact", [
    ("县市场监管局全年查处行政处罚案件143件。", ("enforcement_penalties", 143)),
    ("区城管局立案处罚违法行为67件。", ("enforcement_cases", 67)),
    ("市生态环境局全年罚款金额共计980万元。", ("enforcement_penalty_amount", 9800000)),
    ("县应急管理局对全县企业开展执法检查412次。", ("enforcement_inspections", 412)),  # 全县 qualifies the firms
    ("县人社局开展劳动保障法治培训3期。", ("training_sessions", 3)),
    ("縣市場監管局全年查處行政處罰案件143件。", ("enforcement_penalties", 143)),
])
def test_a_sector_bureaus_figure_in_a_government_report_is_a_subunit(text, fact):
    assert scopes(text, COUNTY)[fact] == "subunit"


@pytest.mark.parametrize("issuer, text, fact", [
    ("平阳县市场监督管理局", "县市场监管局全年查处行政处罚案件143件。", ("enforcement_penalties", 143)),
    ("平阳县城市管理局", "县城管局全年立案处罚违法行为67件。", ("enforcement_cases", 67)),
    ("平阳县应急管理局", "县应急管理局联合县市场监管局开展执法检查55次。", ("enforcement_inspections", 55)),
])
def test_the_bureaus_own_report_gives_its_total(issuer, text, fact):
    assert scopes(text, issuer)[fact] == "total"


@pytest.mark.parametrize("text, fact", [
    ("县法律援助中心全年受理法律援助案件233件。", ("legal_aid_cases", 233)),
    ("县司法局全年收到行政复议申请41件。", ("admin_reconsideration_received", 41)),
    ("县行政复议局全年受理行政复议案件38件。", ("admin_reconsideration_accepted", 38)),
    ("县信访局全年受理信访事项905件。", ("petitions_received", 905)),
    ("县司法局全年审核规范性文件17件。", ("normative_doc_reviews", 17)),
    ("县政府办公室全年主动公开政府信息730条。", ("info_disclosure_proactive", 730)),
])
def test_an_organ_carrying_the_function_for_the_whole_county_gives_the_total(text, fact):
    assert scopes(text, COUNTY)[fact] == "total"


def test_a_carrier_gives_the_total_only_of_what_it_carries():
    got = scopes("县信访局全年开展法治培训2期。", COUNTY)
    assert got[("training_sessions", 2)] == "subunit"


@pytest.mark.parametrize("text, fact", [
    ("县司法局组织全县各行政执法单位开展案卷评查，评查案卷310卷。", ("enforcement_files_reviewed", 310)),
    ("县市场监管局牵头开展专项整治，全县共查处违法案件520件。", ("enforcement_cases", 520)),
    ("县市场监管局、县城管局等部门全年共查处违法案件520件。", ("enforcement_cases", 520)),
    ("按照县市场监管局统一部署，全年查处违法案件520件。", ("enforcement_cases", 520)),
])
def test_the_jurisdiction_or_all_its_bodies_named_after_the_bureau_make_the_total(text, fact):
    assert scopes(text, COUNTY)[fact] == "total"


def test_a_county_sum_stays_total_and_the_bureaus_part_after_it_is_a_subunit():
    got = scopes("全县执法部门共查处违法案件2100件，县城管局查处760件。", COUNTY)
    assert got[("enforcement_cases", 2100)] == "total"
    assert got[("enforcement_cases", 760)] == "subunit"


def test_a_townships_own_enforcement_team_gives_the_townships_total():
    got = scopes("镇综合行政执法队全年查处违法建设26起。", "平阳县鳌江镇人民政府")
    assert got[("enforcement_cases", 26)] == "total"


def test_a_department_without_a_name_keeps_every_organs_figure():
    """我局 and no issuer named: which organ is the report's own cannot be told, so none is cut."""
    got = scopes("我局坚持严格执法。县市场监管局全年查处行政处罚案件143件。", None)
    assert got[("enforcement_penalties", 143)] == "total"


def test_the_organ_a_title_names_is_the_issuer_when_the_metadata_found_none():
    text = "首页 > 信息公开\n平阳县法律援助处2024年度工作情况公示\n县法律援助处全年提供法律咨询880人次。"
    assert scopes(text, None)[("hotline_consultations", 880)] == "total"


def test_the_pipeline_gives_the_issuer_it_reads_to_the_extraction():
    text = "平阳县市场监督管理局2024年法治政府建设年度报告\n县市场监管局全年查处行政处罚案件143件。"
    norm = normalise(text)
    meta, _, place = read_front(norm)
    assert meta.issuer and meta.issuer.endswith("市场监督管理局")
    got = {(c.indicator_code, c.value): c.scope for c in extract_candidates(norm, 2024, place=place, issuer=meta.issuer)}
    assert got[("enforcement_penalties", 143)] == "total"


@pytest.mark.parametrize("text, names", [
    ("县住房和城乡建设局、县卫生健康委员会", ["县住房和城乡建设局", "县卫生健康委员会"]),
    ("县公安局交警大队", ["县公安局"]),
    ("省司法厅举办培训班", ["省司法厅"]),  # 举办 is no office
    ("全市共办理案件，围绕县委县政府中心工作", []),  # 办理, 中心工作: no organ
    ("城关镇综合执法队", []),  # a township's office is no sector of the county
])
def test_organs_are_told_by_their_head_words(text, names):
    found = sector_organs(text, "某县人民政府", load_organs())
    assert [o.name for o in found.found] == names


def test_a_bureaus_own_brigade_gives_the_bureaus_figure_in_its_report():
    got = scopes("县交通运输综合行政执法大队全年查处违法行为212起。", "平阳县交通运输局")
    assert got[("enforcement_cases", 212)] == "total"
    got = scopes("县交通运输综合行政执法大队全年查处违法行为212起。", "平阳县应急管理局")
    assert got[("enforcement_cases", 212)] == "subunit"
