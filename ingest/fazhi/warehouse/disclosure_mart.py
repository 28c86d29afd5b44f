"""marts.fct_info_disclosure, generated from the template seed (part of `python -m
fazhi.warehouse.generate`, beside the domain fact tables whose column definitions it shares): one
column per indicator of seeds/disclosure_template.csv in template order (the 2021 version's, then
those only 2019 has), through macros/domain_fact.sql, with the sums the template prints under its
tables as warning tests.
"""
from __future__ import annotations

from pathlib import Path

from fazhi.rules import read_seed
from fazhi.warehouse.generate import EXPORT_META, HEADER, UNIT_WORDS, CatalogIndicator, _column

SQL_PATH = Path("models/marts/domains/fct_info_disclosure.sql")
SECTIONS = ("active_20_1", "active_20_5", "active_20_6", "active_20_8", "active_20_9", "requests", "appeals")
APPEAL_GROUPS = ("info_disclosure_reconsideration", "info_disclosure_litigation_direct",
                 "info_disclosure_litigation_after_reconsideration")
OUTCOME_PREFIXES = ("info_disclosure_granted", "info_disclosure_partly", "info_disclosure_refused_",
                    "info_disclosure_unavailable_", "info_disclosure_not_processed_", "info_disclosure_other_")


def template_codes(seeds: Path) -> list[str]:
    cells = sorted(read_seed("disclosure_template.csv", seeds),
                   key=lambda r: (r["version"] != "2021", r["version"], SECTIONS.index(r["section"]),
                                  int(r["row_order"]), int(r["column_order"])))
    return list(dict.fromkeys(r["indicator_code"] for r in cells if r["indicator_code"]))


def disclosure_sql(codes: list[str]) -> str:
    listed = "\n".join(f"        '{c}'," for c in codes)
    return f"""-- {HEADER}
-- One row per jurisdiction and report year with the standard 政府信息公开工作年度报告 template:
-- every template cell as a column (seeds/disclosure_template.csv, both the 2019 and the 2021
-- version), the figure chosen by the conflict rule (a template cell beats a prose figure of the
-- same report; disagreements are in fct_indicator_conflicts). A row exists where a template cell
-- was read or a disclosure figure was stated (a penalty count of an enforcement report alone
-- makes no row here). See macros/domain_fact.sql.
{{{{ domain_fact(
    indicators=[
{listed}
    ],
    companions=false,
    row_figures={{
        'template_version': 'max(template_version)',
        'template_cells': 'count(*) filter (where template_version is not null)',
    }},
    row_filter="count(*) filter (where template_version is not null or domain = 'info_disclosure') > 0",
) }}}}
"""


def _sum_test(name: str, parts: list[str], wholes: list[str], codes: list[str]) -> str:
    if not parts or not all(c in codes for c in parts + wholes):
        return ""
    return (f"      - parts_sum_to_whole:\n          name: fct_info_disclosure_{name}\n          arguments:\n"
            f"            parts: [{', '.join(parts)}]\n            wholes: [{', '.join(wholes)}]\n"
            "          config:\n            severity: warn\n")


def _sum_tests(codes: list[str]) -> str:
    flows = ("info_disclosure_requests_carried_over", "info_disclosure_requests_concluded",
             "info_disclosure_requests_carried_forward")
    applicants = [c for c in codes if c.startswith("info_disclosure_requests_") and c not in flows]
    outcomes = [c for c in codes if c.startswith(OUTCOME_PREFIXES) and c != "info_disclosure_other_handling"]
    tests = _sum_test("new_plus_carried_over_equals_concluded_plus_carried_forward",
                      ["info_disclosure_requests", flows[0]], list(flows[1:]), codes)
    tests += _sum_test("requests_by_applicant_sum_to_total", applicants, ["info_disclosure_requests"], codes)
    tests += _sum_test("outcomes_sum_to_concluded", outcomes, [flows[1]], codes)
    for group in APPEAL_GROUPS:
        tests += _sum_test(f"{group.removeprefix('info_disclosure_')}_results_sum_to_total",
                           [f"{group}_{s}" for s in ("upheld", "corrected", "other", "pending")],
                           [f"{group}_total"], codes)
    return tests


def disclosure_properties(codes: list[str], by_code: dict[str, CatalogIndicator]) -> str:
    """The model's entry in the domain facts' YAML (it uses that file's column anchors)."""
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise ValueError(f"seeds/disclosure_template.csv names codes not in seeds/indicators.csv: {missing}")
    columns = "".join(
        _column(c, "double", f"{by_code[c].name_zh} ({c}): {by_code[c].name_en}; the chosen figure, in "
                f"{UNIT_WORDS.get(by_code[c].unit, by_code[c].unit)}. See dim_indicator.")
        for c in codes)
    return f"""  - name: fct_info_disclosure
    description: "The standard 政府信息公开工作年度报告 (templates of 国办公开办函〔2019〕60号 and 〔2021〕30号): one row per jurisdiction and report year with every cell of the template as a column (主动公开: 规章 and 行政规范性文件 issued, repealed, in force; 行政许可, 行政处罚, 行政强制 decisions; fees. 依申请公开: requests received by applicant, carried over, every outcome, concluded, carried forward. Disclosure-related 行政复议 and 行政诉讼 by result, apart from all reconsideration and litigation). A column the report's template version lacks is null. A row exists where a template cell was read or a disclosure figure was stated. {{{{ doc('conflict_rule') }}}} A template cell beats a prose figure of the same report. The sums the template prints under its tables are checked as warnings. Grain: jurisdiction_id, report_year."
    config:
      contract: {{enforced: true}}
{EXPORT_META}    data_tests:
      - unique_combination:
          arguments:
            columns: [jurisdiction_id, report_year]
{_sum_tests(codes)}    columns:
      - *jurisdiction_id
      - *report_year
      - *jurisdiction_name
      - *jurisdiction_level
      - name: template_version
        data_type: varchar
        description: "Version of the template the row's table cells were read with: 2019 or 2021; null when every figure came from prose."
        data_tests:
          - accepted_values:
              arguments:
                values: ['2019', '2021']
      - name: template_cells
        data_type: bigint
        description: "How many of the row's figures are template cells (the rest were read from prose)."
{columns}      - *source_report_ids
      - *source_issuer_kinds
      - *conflict_count
"""


def disclosure_model(seeds: Path, indicators: list[CatalogIndicator]) -> tuple[Path, str, str]:
    """(SQL path, SQL, YAML entry) of fct_info_disclosure."""
    codes = template_codes(seeds)
    return SQL_PATH, disclosure_sql(codes), disclosure_properties(codes, {i.code: i for i in indicators})
