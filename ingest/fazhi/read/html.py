"""Read stage, HTML: the main text of a page (boilerplate dropped, blocks as lines, table rows
as lines with cells joined by ' | '), and the structure of its tables.

A table row is flattened into one line of its non-empty cells, which loses empty cells and
merged (rowspan/colspan) headers. So the tables are also read from the elements themselves, with
their spans, and every cell is found again in its row's line: each cell keeps offsets into the
stored text, empty cells and merged headers included (records.TableGrid, layout "html")."""
from __future__ import annotations

import re

from fazhi.normalise.chars import CJK_RE, WIDE_CLASS
from fazhi.records import TableCell, TableGrid

__all__ = ["html_to_text", "html_to_text_and_tables"]

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside",
              "form", "iframe", "template", "svg", "canvas", "button", "select",
              "object", "embed")
_BOILER_RE = re.compile(r"nav|menu|footer|header|breadcrumb|sidebar|share|copyright", re.I)
_CONTENT_RE = re.compile(
    r"content|article|main|detail|zoom|trs_editor|zhengwen|neirong|wenzhang|text|txt", re.I
)
_BLOCK = frozenset([
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html",
    "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
])
# a line break in the source between two CJK chars is not a space
_CJK_BREAK_RE = re.compile(rf"(?<=[{WIDE_CLASS}])[ \t\r\f\v]*\n\s*(?=[{WIDE_CLASS}])")
_WS_RE = re.compile(r"[ \t\r\n\f\v]+")
# A block edge means "a line break here", however many edges meet; only
# <br><br> inside one block makes a blank line.
_EDGE = "\x1e"
_EDGE_RE = re.compile(r"[ \t\n]*\x1e[\x1e \t\n]*")


def html_to_text(html: str) -> str:
    """Main text of an HTML page: boilerplate dropped, blocks as lines,
    table rows as lines with cells joined by ' | '."""
    return html_to_text_and_tables(html)[0]


def html_to_text_and_tables(html: str) -> tuple[str, tuple[TableGrid, ...]]:
    """The main text, and its tables with cells at their offsets in that text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    body = soup.body or soup
    for tag in body.find_all(_DROP_TAGS):
        if tag.decomposed:
            continue
        # an article's own <header> holds its title: keep it
        if tag.name == "header" and tag.find(("h1", "h2")) and tag.find_parent(("article", "main")):
            continue
        tag.decompose()
    total = _cjk(body)
    # id/class boilerplate, unless it holds most of the page (a wrapper named
    # `content-with-nav` must not take the article with it) or is a title
    # block (`article-header` with an <h1>)
    for tag in body.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        label = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        m = _BOILER_RE.search(label) if label.strip() else None
        if not m or _cjk(tag) > 0.5 * total:
            continue
        if m.group().lower() == "header" and tag.find(("h1", "h2")):
            continue
        tag.decompose()

    root = _main_container(body) or body
    lines: list[str] = []
    _render(root, lines)
    text = _tidy("".join(lines))
    return text, tuple(_locate_tables(root, text))


def _cjk(tag) -> int:
    return len(CJK_RE.findall(tag.get_text()))


def _main_container(body):
    """The article/main/#content-like element, if one clearly dominates."""
    total = _cjk(body)
    if not total:
        return None
    cands = []
    for tag in body.find_all(True):
        if tag.name in ("article", "main") or tag.get("role") == "main":
            pass
        else:
            label = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
            if not (label.strip() and _CONTENT_RE.search(label)):
                continue
        n = _cjk(tag)
        if n:
            cands.append((n, tag))
    if not cands:
        return None
    top = max(n for n, _ in cands)
    if top < 0.5 * total:
        return None  # text is spread out: keep the whole body
    # the deepest candidate that still holds (nearly) all of that text
    best_n, best = max(((n, t) for n, t in cands if n >= 0.9 * top),
                       key=lambda nt: len(list(nt[1].parents)))
    # another content block outside it with comparable text: not dominant
    for n, t in cands:
        if n > 0.5 * best_n and t is not best and best not in t.parents and t not in best.parents:
            return None
    return best


def _render(node, out: list[str]) -> None:
    """Append the text of `node`; '\n' marks block edges (tidied later)."""
    from bs4 import NavigableString, Tag
    from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

    stack = [(node, False)]
    while stack:
        cur, closing = stack.pop()
        if closing:
            out.append(_EDGE)
            continue
        if isinstance(cur, NavigableString):
            if isinstance(cur, (Comment, Declaration, Doctype, ProcessingInstruction, CData)):
                continue
            s = str(cur)
            if any(p.name == "pre" for p in cur.parents):
                out.append(s)
            else:
                out.append(_WS_RE.sub(" ", _CJK_BREAK_RE.sub("", s)))
            continue
        if not isinstance(cur, Tag):
            continue
        name = cur.name
        if name in ("head", "title", "meta", "link"):
            continue
        if name == "br":
            out.append("\n")
            continue
        if name == "tr":
            cells = [txt for cell in cur.find_all(("td", "th"), recursive=False) if (txt := _cell_text(cell))]
            if cells:
                out.append(_EDGE + " | ".join(cells) + _EDGE)
            continue
        if name in _BLOCK:
            out.append(_EDGE)
            stack.append((cur, True))
        for child in reversed(list(cur.children)):
            stack.append((child, False))


def _render_children(tag, out: list[str]) -> None:
    for child in tag.children:
        _render(child, out)


def _cell_text(cell) -> str:
    """A table cell as it is rendered in its row's line."""
    buf: list[str] = []
    _render_children(cell, buf)
    return _WS_RE.sub(" ", "".join(buf).replace(_EDGE, " ")).strip()


# --------------------------------------------------------------------------
# table structure

MAX_SPAN = 60  # a larger rowspan/colspan is a page-layout trick, not a table
_LINE_SPACES = re.compile(r"[ \t\u00a0]{2,}")


def _tidy_line(s: str) -> str:
    """What _tidy does to a line."""
    return _LINE_SPACES.sub(" ", s).strip(" \t\u00a0\u3000")


def _span(tag, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(tag.get(name) or "1").strip() or 1)))
    except ValueError:
        return 1


def _locate_tables(root, text: str) -> list[TableGrid]:
    """The data tables under `root` (not layout tables that hold tables), located in `text`."""
    out: list[TableGrid] = []
    cursor = 0
    for table in root.find_all("table"):
        if table.find("table") is not None or table.find_parent("table") is not None:
            continue
        grid = _locate(table, text, cursor)
        if grid is not None:
            out.append(grid)
            cursor = grid.end
    return out


def _locate(table, text: str, cursor: int) -> TableGrid | None:
    """The table's cells placed on the grid (spans honoured) and found in the rendered text; None
    when a row cannot be found again (the table then is read from the text alone)."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return place_rows([[(_tidy_line(_cell_text(td)), _span(td, "rowspan"), _span(td, "colspan"))
                        for td in tr.find_all(("td", "th"), recursive=False)] for tr in rows], text, cursor)


def place_tables(tables: list[list[list[tuple[str, int, int]]]], text: str, layout: str = "html"
                 ) -> tuple[TableGrid, ...]:
    """Tables given as rows of (cell text, rowspan, colspan), in the order of the text, placed
    (place_rows); a table whose rows cannot be found is left to the text."""
    located, cursor = [], 0
    for rows in tables:
        grid = place_rows(rows, text, cursor, layout)
        if grid is not None:
            located.append(grid)
            cursor = grid.end
    return tuple(located)


def place_rows(rows: list[list[tuple[str, int, int]]], text: str, cursor: int, layout: str = "html"
               ) -> TableGrid | None:
    """A table given as rows of (cell text, rowspan, colspan), its rows rendered in `text` after
    `cursor` as `a | b | c` lines (empty cells left out): its cells on the grid with their
    offsets. None when a row cannot be found in the text. Shared by the HTML, DOCX and Word 97
    readers."""
    occupied: set[tuple[int, int]] = set()
    cells: list[TableCell] = []
    start = None
    pos = cursor
    for r, row in enumerate(rows):
        line = " | ".join(t for t, _, _ in row if t)
        line_start = pos
        if line:
            at = text.find(line, pos)
            if at < 0:
                return None
            line_start, pos = at, at + len(line)
            start = line_start if start is None else start
        col, inner = 0, line_start
        for cell_text, rowspan, colspan in row:
            while (r, col) in occupied:
                col += 1
            occupied.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            a = text.find(cell_text, inner, pos) if cell_text else inner
            if a < 0:
                return None
            inner = a + len(cell_text)
            cells.append(TableCell(cell_text, a, inner, r, col, rowspan, colspan))
            col += colspan
    if start is None:
        return None
    return TableGrid(start, pos, layout, tuple(cells))


def _tidy(text: str) -> str:
    """Strip lines, collapse spaces and runs of blank lines."""
    text = _EDGE_RE.sub("\n", text)
    lines = []
    blank = False
    for line in text.split("\n"):
        line = _tidy_line(line)
        if not line:
            blank = bool(lines)
            continue
        if blank:
            lines.append("")
            blank = False
        lines.append(line)
    return "\n".join(lines)
