"""Read stage, HTML: the main text of a page (boilerplate dropped, blocks as lines, table rows
as lines with cells joined by ' | ')."""
from __future__ import annotations

import re

from fazhi.normalise.chars import CJK_RE, WIDE_CLASS

__all__ = ["html_to_text"]

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
    return _tidy("".join(lines))


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
            cells = []
            for cell in cur.find_all(("td", "th"), recursive=False):
                buf: list[str] = []
                _render_children(cell, buf)
                txt = _WS_RE.sub(" ", "".join(buf).replace(_EDGE, " ")).strip()
                if txt:
                    cells.append(txt)
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


def _tidy(text: str) -> str:
    """Strip lines, collapse spaces and runs of blank lines."""
    text = _EDGE_RE.sub("\n", text)
    lines = []
    blank = False
    for line in text.split("\n"):
        line = re.sub(r"[ \t\u00a0]{2,}", " ", line).strip(" \t\u00a0\u3000")
        if not line:
            blank = bool(lines)
            continue
        if blank:
            lines.append("")
            blank = False
        lines.append(line)
    return "\n".join(lines)
