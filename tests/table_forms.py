"""Test helper: one logical table written out in each flattened form web pages use.

A table is a list of rows; a row is a list of cells; a cell is a string, or a tuple
(text, colspan, rowspan). "" is an empty cell. `render(table, form)` gives the text a page
mirror would show (or, for "html", the <table> element).
"""
from __future__ import annotations

import html

FORMS = ("rows", "closed_cells", "separated_cells", "lines", "spaced", "html")
TEXT_FORMS = FORMS[:-1]


def _cell(c):
    if isinstance(c, str):
        return c, 1, 1
    return c[0], c[1] if len(c) > 1 else 1, c[2] if len(c) > 2 else 1


def dense(table) -> list[list[str]]:
    """The grid with spans expanded: a covered slot is an empty cell, as flattening leaves it."""
    grid: dict[tuple[int, int], str] = {}
    for r, col, text, colspan, rowspan in span_cells(table):
        for dr in range(rowspan):
            for dc in range(colspan):
                grid[(r + dr, col + dc)] = text if dr == dc == 0 else ""
    rows = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(rows)]


def span_cells(table) -> list[tuple[int, int, str, int, int]]:
    """(row, column, text, colspan, rowspan) of the table's own cells, placed as HTML places them."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table):
        col = 0
        for c in row:
            text, colspan, rowspan = _cell(c)
            while (r, col) in taken:
                col += 1
            taken.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            out.append((r, col, text, colspan, rowspan))
            col += colspan
    return out


def own_cells(table) -> list[str]:
    """The cells a page actually has (spans not expanded), in reading order."""
    return [_cell(c)[0] for row in table for c in row]


def render(table, form: str) -> str:
    if form == "rows":  # one row per line, covered slots as empty cells: "X | ||"
        return "\n".join(" | ".join(row) + " |" for row in dense(table))
    if form == "closed_cells":  # one cell per line closed by " |", runs of empty cells as "|||"
        lines: list[str] = []
        for row in dense(table):
            empties = 0
            for text in row:
                if not text:
                    empties += 1
                    continue
                if empties:
                    lines.append("|" * empties)
                    empties = 0
                lines.append(f"{text} |")
            if empties:
                lines.append("|" * empties)
        return "\n".join(lines)
    if form == "separated_cells":  # the page's own cells, one per line, lone "|" lines between
        return "\n|\n".join(own_cells(table))
    if form == "lines":  # non-empty cells one per line, blank lines between
        return "\n\n".join(t for t in own_cells(table) if t)
    if form == "spaced":  # rows as lines, cells apart by runs of spaces, "-" for an empty cell
        return "\n".join("    ".join(t or "-" for t in row) for row in dense(table))
    if form == "html":
        body = "".join(
            "<tr>" + "".join(f'<td colspan="{cs}" rowspan="{rs}">{html.escape(t)}</td>'
                             for t, cs, rs in map(_cell, row)) + "</tr>" for row in table)
        return f"<table>{body}</table>"
    raise ValueError(form)


def page(title: str, body_html: str) -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='content'><h1>{title}</h1>{body_html}</div></body></html>")


# --------------------------------------------------------------------------
# the standard 政府信息公开工作年度报告 tables, laid out as the two templates print them

APPLICANT_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
OUTCOME_ROWS_COMMON = [
    ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                       "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                       "7.属于行政执法案卷", "8.属于行政查询事项"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                       "5.要求行政机关确认或重新出具已获取信息"]),
]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]


def _value(v) -> str:
    """A value cell: None is a cell left blank (as many reports leave zeros)."""
    return "" if v is None else str(v)


def active_2021(rules, docs, licensing, penalties, coercive, fees):
    """二、主动公开政府信息情况 (2021): rules/docs = (issued, repealed, in force); None = blank."""
    return [
        [("第二十条第（一）项", 4)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", *map(_value, rules)],
        ["行政规范性文件", *map(_value, docs)],
        [("第二十条第（五）项", 4)],
        ["信息内容", ("本年处理决定数量", 3)],
        ["行政许可", (_value(licensing), 3)],
        [("第二十条第（六）项", 4)],
        ["信息内容", ("本年处理决定数量", 3)],
        ["行政处罚", (_value(penalties), 3)],
        ["行政强制", (_value(coercive), 3)],
        [("第二十条第（八）项", 4)],
        ["信息内容", ("本年收费金额（单位：万元）", 3)],
        ["行政事业性收费", (_value(fees), 3)],
    ]


def active_2019(rules, docs, licensing, services, penalties, coercive):
    """二、主动公开政府信息情况 (2019): rules/docs = (made, published, total); the decision
    sections = (items last year, change, decisions)."""
    return [
        [("第二十条第（一）项", 4)],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", *map(str, rules)],
        ["规范性文件", *map(str, docs)],
        [("第二十条第（五）项", 4)],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", *map(str, licensing)],
        ["其他对外管理服务事项", *map(str, services)],
        [("第二十条第（六）项", 4)],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", *map(str, penalties)],
        ["行政强制", *map(str, coercive)],
    ]


def requests_table(new, carried_over, outcomes, carried_forward, version="2021", fill="0"):
    """三、收到和处理政府信息公开申请情况. `new` has the 7 applicant columns; the other rows give
    the 总计 column only (the other columns `fill`: 0, or "" for blank cells). `outcomes` lists
    the outcome rows' totals in template order, ending with (七)总计. None = a blank cell."""
    def row(total):
        return [fill] * 6 + [_value(total)]
    table = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 7)],
        [("自然人", 1, 2), ("法人或其他组织", 5), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 3), *map(_value, new)],
        [("二、上年结转政府信息公开申请数量", 3), *row(carried_over)],
    ]
    values = iter(outcomes)
    groups = [("（一）予以公开", []), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
              *OUTCOME_ROWS_COMMON, ("（六）其他处理", OTHER_2021 if version == "2021" else []), ("（七）总计", [])]
    outcome_rows = []
    for parent, subs in groups:
        if not subs:
            outcome_rows.append([(parent, 2), *row(next(values))])
            continue
        outcome_rows.append([(parent, 1, len(subs)), subs[0], *row(next(values))])
        outcome_rows.extend([sub, *row(next(values))] for sub in subs[1:])
    outcome_rows[0] = [("三、本年度办理结果", 1, len(outcome_rows)), *outcome_rows[0]]
    return [*table, *outcome_rows, [("四、结转下年度继续办理", 3), *row(carried_forward)]]


def appeals_table(reconsideration, direct, after):
    """四、政府信息公开行政复议、行政诉讼情况: three groups of (维持, 纠正, 其他, 尚未审结, 总计)."""
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 5), ("行政诉讼", 10)],
        [*((r, 1, 2) for r in results), ("未经复议直接起诉", 5), ("复议后起诉", 5)],
        [*results, *results],
        [str(v) for v in (*reconsideration, *direct, *after)],
    ]


# the outcome rows' totals of the report below, in template order; None = a blank cell
OUTCOMES_WITH_BLANKS = [5, 2, None, 1, None, None, None, 1, None, None, 3, None, 1, 1, None, None, None, None,
                        None, None, 1, 15]


def disclosure_report_2021() -> list[tuple[str, object]]:
    """A made-up 2021-template report as (heading, paragraph or table) parts, its tables with the
    blank cells many reports leave for zero and the template's merged cells (法人或其他组织 over
    five columns, 三、本年度办理结果 over all outcome rows)."""
    return [
        ("一、总体情况", "本机关2023年政府信息公开工作总体情况如下。"),
        ("二、主动公开政府信息情况", active_2021((1, None, 7), (4, 2, 31), 126, 58, None, 12.5)),
        ("三、收到和处理政府信息公开申请情况",
         requests_table((9, 3, None, 1, 2, None, 15), 2, OUTCOMES_WITH_BLANKS, 2, fill="")),
        ("四、政府信息公开行政复议、行政诉讼情况", appeals_table((1, 0, 0, 0, 1), (0, 1, 0, 1, 2), (0, 0, 0, 0, 0))),
        ("五、存在的主要问题及改进情况", "下一步将继续提升公开质量。"),
    ]


def report_html(parts, title: str = "某镇人民政府政府信息公开工作年度报告") -> str:
    """The parts as a web page, tables with borders (as printed)."""
    body = "".join(
        f"<p>{heading}</p>" + (f"<p>{content}</p>" if isinstance(content, str) else
                               render(content, "html").replace("<table>", '<table border="1" style="border-collapse:collapse">'))
        for heading, content in parts)
    return page(title, body)
