"""HTML → the text a person reads, with block structure kept as lines and <table>s as `a | b | c |` rows.

Spans are expanded as `xxgk.extract.read` describes: every rendered row has the table's true column count.
A table used only for page layout (it holds other tables, every row is one cell, or a cell holds paragraphs)
is rendered as ordinary text, not as table rows.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain, repeat

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
_META_CELL_FIRST = "索发成生名标文主体所公有來来"  # what a _META_CELL match starts with
_REPORT_WORDS = re.compile(r"总体情况|總體情況|主动公开|主動公開|依申请公开|依申請公開")
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "blockquote", "pre", "form", "center", "main", "table", "tr", "tbody", "thead",
               "tfoot", "caption", "address", "figure", "figcaption", "hr", "body", "html", "fieldset"}
_CELL_TAGS = ("td", "th")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
# <meta name=…> keys that pages use for the article title and publication time.
_META_KEYS = {
    "articletitle": "title", "title": "title", "og:title": "title", "dc.title": "title",
    "pubdate": "published", "publishdate": "published", "article:published_time": "published",
    "dc.date": "published", "firstpublishedtime": "published", "publishtime": "published",
    "contentsource": "source", "source": "source", "author": "author", "sitename": "site",
}


def _texts(el):
    """Text pieces under `el` in document order, skipping never-content tags (their tails still count)."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _DROP_TAGS:
            yield from _texts(child)
        if child.tail:
            yield child.tail


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

    def text(self, s: str):
        if not s.isprintable() or "  " in s:  # else its only whitespace is single spaces, kept as they are
            s = _WS.sub(" ", s)
        if s:
            self.cur.append(s)

    def is_chrome(self, el) -> bool:
        if el.tag in _CHROME_TAGS:
            return True
        attrs = f"{el.get('id') or ''} {el.get('class') or ''}"
        return bool(attrs.strip()) and bool(_CHROME_ATTR.search(attrs))

    def walk(self, node):
        if node.text:
            self.text(node.text)
        for child in node:
            name = child.tag
            if not isinstance(name, str):  # comment, processing instruction
                pass
            elif name in _DROP_TAGS:
                pass
            elif self.drop_chrome and self.is_chrome(child):
                if sum(map(len, self.chrome)) < 4000:
                    self.chrome.append(_WS.sub(" ", " ".join(_texts(child))).strip())
            elif name == "br":
                self.flush()
            elif name == "table" and self.table(child):
                pass
            else:
                block = name in _BLOCK_TAGS or name in _CELL_TAGS
                if block:
                    self.flush()
                self.walk(child)
                if block:
                    self.flush()
            if child.tail:
                self.text(child.tail)

    def table(self, table) -> bool:
        """Render a data table as rows; return False for a layout table (walked as ordinary blocks)."""
        if table.find(".//table") is not None:
            return False
        grid = expand_spans(table)
        grid = [r for r in grid if any(r)]
        if not grid:
            return True
        if max(map(len, grid)) <= 2 and all(len(set(r) - {""}) <= 1 for r in grid):
            return False
        if max(map(len, chain.from_iterable(grid))) > 200:  # a cell holding paragraphs: page layout
            return False
        self.flush()
        first = len(self.lines)
        from xxgk.extract.read import render_row
        self.lines += map(render_row, grid)
        # a page-metadata box (索引号 | … | 发布日期 | …) is rendered for normalisation to remove, not a report table
        if not _is_metadata_box(grid):
            self.tables.append((first, len(self.lines), grid))
        return True


def _is_metadata_box(grid: list[list[str]]) -> bool:
    """Two or more of the cells name a page-metadata key. Each distinct cell is tried once (most repeat)."""
    cells = list(chain.from_iterable(grid))
    keys = [c for c in set(cells) if c[:1] in _META_CELL_FIRST and _META_CELL.match(c)]
    return sum(map(cells.count, keys)) >= 2


def _cell_text(cell) -> str:
    if len(cell) == 0:  # the common cell: text only, no child elements
        text = cell.text
        if text is None:
            return ""
        # printable and without a space: it holds no whitespace at all (every other one is unprintable)
        return text if text.isprintable() and " " not in text else _WS.sub(" ", text).strip()
    return _WS.sub(" ", "".join(_WS.sub(" ", s).strip() for s in _texts(cell))).strip()


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), 200))
    except ValueError:
        return 1


def expand_spans(table) -> list[list[str]]:
    """Rows of cell texts with spans expanded: see `xxgk.extract.read` (rowspan repeats, colspan pads)."""
    rows = list(table.iter("tr"))
    if table.find(".//table") is not None:  # only its own rows, not those of a table inside
        rows = [tr for tr in rows if next(tr.iterancestors("table"), None) is table]
    carried: list[dict[int, str]] = [{} for _ in rows]  # per row, column → text of a span from above
    grid: list[list[str] | dict[int, str]] = []
    width = 0  # spans reaching below the last row count for the width only
    for r, tr in enumerate(rows):
        line = carried[r]
        if line:  # columns taken from above: each cell goes to the next free one
            c = 0
            for cell in tr:
                if cell.tag not in _CELL_TAGS:
                    continue
                while c in line:
                    c += 1
                text = _cell_text(cell)
                if not cell.attrib:  # the common cell: no attributes, so no spans
                    line[c] = text
                    c += 1
                    continue
                cs = _span(cell.get("colspan"))
                _place(carried[r:r + _span(cell.get("rowspan"))], c, text, cs)
                c += cs
            grid.append(line)
        else:  # nothing reaches into the row: its cells fill the columns in order
            line = []
            for cell in tr:
                if cell.tag not in _CELL_TAGS:
                    continue
                text = _cell_text(cell)
                if cell.attrib:
                    cs = _span(cell.get("colspan"))
                    _place(carried[r + 1:r + _span(cell.get("rowspan"))], len(line), text, cs)
                    line += [text] + [""] * (cs - 1)
                else:
                    line.append(text)
            c = len(line)
            grid.append(line)
        width = max(width, c)
    return [line + [""] * (width - len(line)) if isinstance(line, list)
            else list(map(line.get, range(width), repeat(""))) for line in grid]


def _place(lines: list[dict[int, str]], c: int, text: str, colspan: int) -> None:
    """A spanning cell in each row it covers: its text in column c, empty strings in the columns it pads."""
    for line in lines:
        line[c] = text
        for dc in range(1, colspan):
            line[c + dc] = ""


def _meta(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    t = root.find(".//title")
    if t is not None:
        title = _WS.sub(" ", "".join(_texts(t))).strip()
        if title:
            meta["page_title"] = title
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key in _META_KEYS and val and _META_KEYS[key] not in meta:
            meta[_META_KEYS[key]] = val
    return meta


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(html: str):
    # lxml directly (bs4 on top of it costs ~10x): an HTML parser that recovers like browsers do. Its plain
    # elements, as lxml.html.document_fromstring parses, without the lookup of an HtmlElement class per element.
    from lxml import etree
    html = _XML_DECL.sub("", html)  # lxml refuses str input that declares an encoding
    try:
        return _document(html)
    except (etree.ParserError, ValueError):
        return _document(f"<html><body><pre>{html}</pre></body></html>")


def _document(html: str):
    from lxml import etree
    root = etree.fromstring(html, _html_parser())
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


@lru_cache(maxsize=1)
def _html_parser():
    from lxml import etree
    return etree.HTMLParser(collect_ids=False)  # no id index: nothing looks elements up by id


def html_to_text(html: str) -> tuple[str, list[SourceTable], dict[str, str]]:
    root = _parse(html)
    meta = _meta(root)
    body = root.find("body")
    root = body if body is not None else root
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
