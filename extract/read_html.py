"""HTML → the text a person reads, with block structure kept as lines and <table>s as `a | b | c |` rows.

Spans are expanded as `xxgk.extract.read` describes: every rendered row has the table's true column count.
A table used only for page layout (it holds other tables, every row is one cell, or a cell holds paragraphs)
is rendered as ordinary text, not as table rows.
"""
from __future__ import annotations

import re

from xxgk.models import SourceTable

# Never content.
_DROP_TAGS = {"script", "style", "noscript", "iframe", "template", "svg", "button", "select", "input",
              "textarea", "object", "embed", "canvas", "map", "head", "link", "meta"}
# Page chrome by element name.
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
# Page chrome by class/id token (navigation bars, breadcrumbs, share widgets, footers, side columns).
_CHROME_ATTR = re.compile(r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumb|crumbs?|footer|foot|header|topbar|share|"
                          r"bdshare|sidebar|side|fontsize|font-size|position|location|dqwz|top|bottom|"
                          r"links?_con|copyright)(?:$|[-_\s\d])", re.I)
_META_CELL = re.compile(r"^(?:索\s?引\s?号|发布机构|发布日期|发布时间|成文日期|生成日期|名\s?称|标\s?题|文\s?号|发文字号|"
                        r"主题分类|体裁分类|所属主题|公开方式|公开范围|有效性|发文机关|來源|来源)\s*[:：]?$")
_REPORT_WORDS = re.compile(r"总体情况|總體情況|主动公开|主動公開|依申请公开|依申請公開")
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "blockquote", "pre", "form", "center", "main", "table", "tr", "tbody", "thead",
               "tfoot", "caption", "address", "figure", "figcaption", "hr", "body", "html", "fieldset"}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
# <meta name=…> keys that pages use for the article title and publication time.
_META_KEYS = {
    "articletitle": "title", "title": "title", "og:title": "title", "dc.title": "title",
    "pubdate": "published", "publishdate": "published", "article:published_time": "published",
    "dc.date": "published", "firstpublishedtime": "published", "publishtime": "published",
    "contentsource": "source", "source": "source", "author": "author", "sitename": "site",
}


class _Renderer:
    def __init__(self, drop_chrome: bool):
        self.drop_chrome = drop_chrome
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.tables: list[tuple[int, int, list[list[str]]]] = []  # first line, last line + 1, rows
        self.chrome: list[str] = []  # text of dropped page chrome (it may hold 发布时间, the title …)

    def flush(self):
        line = "".join(self.cur).strip()
        self.cur = []
        if line:
            self.lines.append(line)

    def is_chrome(self, tag) -> bool:
        if tag.name in _CHROME_TAGS:
            return True
        attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        return bool(attrs.strip()) and bool(_CHROME_ATTR.search(attrs))

    def walk(self, node):
        from bs4 import Comment, NavigableString, ProcessingInstruction, Declaration, Doctype
        for child in node.children:
            if isinstance(child, NavigableString):
                if isinstance(child, (Comment, ProcessingInstruction, Declaration, Doctype)):
                    continue
                s = _WS.sub(" ", str(child))
                if s:
                    self.cur.append(s)
                continue
            name = child.name
            if name in _DROP_TAGS:
                continue
            if self.drop_chrome and self.is_chrome(child):
                if sum(map(len, self.chrome)) < 4000:
                    self.chrome.append(_WS.sub(" ", child.get_text(" ")).strip())
                continue
            if name == "br":
                self.flush()
                continue
            if name == "table" and self.table(child):
                continue
            block = name in _BLOCK_TAGS or name in ("td", "th")
            if block:
                self.flush()
            self.walk(child)
            if block:
                self.flush()

    def table(self, table) -> bool:
        """Render a data table as rows; return False for a layout table (walked as ordinary blocks)."""
        if table.find("table"):
            return False
        grid = expand_spans(table)
        grid = [r for r in grid if any(c for c in r)]
        if not grid:
            return True
        if all(len({c for c in r if c}) <= 1 for r in grid) and max(len(r) for r in grid) <= 2:
            return False
        if max(len(c) for r in grid for c in r) > 200:  # a cell holding paragraphs: page layout
            return False
        self.flush()
        first = len(self.lines)
        from xxgk.extract.read import render_row
        for r in grid:
            self.lines.append(render_row(r))
        # a page-metadata box (索引号 | … | 发布日期 | …) is rendered for normalisation to remove, not a report table
        if sum(1 for r in grid for c in r if _META_CELL.match(c)) < 2:
            self.tables.append((first, len(self.lines), grid))
        return True


def _cell_text(cell) -> str:
    parts = []
    for s in cell.find_all(string=True):
        if s.parent is not None and s.parent.name in _DROP_TAGS:
            continue
        parts.append(_WS.sub(" ", str(s)).strip())
    return _WS.sub(" ", "".join(parts)).strip()


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or 1), 200))
    except ValueError:
        return 1


def expand_spans(table) -> list[list[str]]:
    """Rows of cell texts with spans expanded: see `xxgk.extract.read` (rowspan repeats, colspan pads)."""
    occupied: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in occupied:
                c += 1
            text = _cell_text(cell)
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rs):
                for dc in range(cs):
                    occupied[(r + dr, c + dc)] = text if dc == 0 else ""
            c += cs
            width = max(width, c)
    width = max([width] + [k[1] + 1 for k in occupied])
    return [[occupied.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _meta(soup) -> dict[str, str]:
    meta: dict[str, str] = {}
    t = soup.find("title")
    if t and t.get_text(strip=True):
        meta["page_title"] = _WS.sub(" ", t.get_text()).strip()
    for m in soup.find_all("meta"):
        key = (m.get("name") or m.get("property") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key in _META_KEYS and val and _META_KEYS[key] not in meta:
            meta[_META_KEYS[key]] = val
    return meta


def html_to_text(html: str) -> tuple[str, list[SourceTable], dict[str, str]]:
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "lxml")
    meta = _meta(soup)
    root = soup.body or soup
    r = _Renderer(drop_chrome=True)
    r.walk(root)
    r.flush()
    kept = "\n".join(r.lines)
    if len(kept) < 20 or not _REPORT_WORDS.search(kept):
        # chrome filtering may have taken the report with it (a content box classed like a header): compare
        full = _Renderer(drop_chrome=False)
        full.walk(root)
        full.flush()
        if len(kept) < 20 or _REPORT_WORDS.search("\n".join(full.lines)):
            r = full
    starts, pos = [], 0
    for line in r.lines:
        starts.append(pos)
        pos += len(line) + 1
    starts.append(pos)
    text = "\n".join(r.lines) + ("\n" if r.lines else "")
    chrome = "\n".join(c for c in r.chrome if c)[:4000]
    if chrome:
        meta["chrome_text"] = chrome
    tables = [SourceTable(rows=rows, start=starts[a], end=starts[b] - 1 if b > a else starts[a])
              for a, b, rows in r.tables]
    return text, tables, meta
