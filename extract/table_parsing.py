"""Tables 2, 3 and 4 → canonical cells (SPEC §1–2).

Rows are found by their labels, in template order, in the normalised text; the cells of a row are whatever
stands between its label and the next label. That one rule reads every flattened form a page comes in:
`a | b | c |` rows with or without padding, Markdown, one cell per line (with or without pipes or blank
lines), line breaks inside cells, and cells that ran together (cut by the template arithmetic, see
table_runtogether).
Tables the source delimits itself (HTML, PDF pages: `source_tables`) are rendered to the same pipe rows and
read the same way; the better of the two readings of each table is kept.

The text is folded 1:1 (full-width → ASCII, Traditional label characters → Simplified) so offsets stay those
of the normalised text.

`TableResult.found[t]` says what was met for each table: pipes | lines | run-together | rows (table 4 as three
rows) | html | pdf (read from the source tables) | heading-only (the heading stands, the table is lost) |
unreadable (labels or header without cells: S002) | missing | 2019-template (S005, no cells).
Whether a missing table is an error (a complete report lacks it) is for the checks to judge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain, repeat

from xxgk.extract import table_runtogether as rt
from xxgk.models import NormalizedText, SectionMap, SourceTable, TableResult
from xxgk.models.table import (T2_COLS, T3_APPLICANT_COLS, T3_COLS, T3_ORG_COLS, T3_RESULT_ROWS, T4_COLS,
                               T4_ROWS, Cell, TableIssue)

# --- 1:1 folding ------------------------------------------------------------------------------------
_FOLD = {0xFF01 + i: 0x21 + i for i in range(94)}          # full-width ASCII
_FOLD.update({0x3000: 0x20, 0x0D: 0x20, 0xA0: 0x20, 0x09: 0x20, 0x2002: 0x20, 0x2003: 0x20,
              ord("﹝"): ord("("), ord("﹞"): ord(")"), ord("【"): ord("("), ord("】"): ord(")"),
              ord("〔"): ord("("), ord("〕"): ord(")"), ord("︰"): ord(":"), ord("｜"): ord("|"),
              ord("│"): ord("|"), ord("¦"): ord("|"), ord("＿"): ord("_")})
# Traditional characters of the table labels (mirror sites), generated once with OpenCC s2t/s2tw/s2hk.
_TRAD = "萬業個爲舉於會關內寫決況辦務動區單發號後國處復審對屬應廢開強當總執護報數無術機權條構標沒現確種祕穩籤類糾納組織經結繼續維繳罰範獲補規計認議許訟訪訴詢請讀費轉過這連頁項額為複覆製係檔資訊"
_SIMP = "万业个为举于会关内写决况办务动区单发号后国处复审对属应废开强当总执护报数无术机权条构标没现确种秘稳签类纠纳组织经结继续维缴罚范获补规计认议许讼访诉询请读费转过这连页项额为复复制系档资讯"
_FOLD.update({ord(t): ord(s) for t, s in zip(_TRAD, _SIMP)})

_CJK = "\u4e00-\u9fff"
_FOLDED = "".join(re.escape(chr(c)) for c in _FOLD)
_FOLD_CHARS = re.compile(f"[{_FOLDED}]+")
_UNFOLDED = re.compile(f"[^{_FOLDED}]*")   # a run the regex engine scans fast


def _fold(text: str) -> str:
    """Fold only where needed: normalised text rarely holds a character to fold."""
    if _UNFOLDED.match(text).end() == len(text):
        return text
    return _FOLD_CHARS.sub(lambda m: m.group().translate(_FOLD), text)


def _lab(pattern: str) -> str:
    """Allow any whitespace after each CJK character of a label pattern (labels are often spaced out)."""
    return re.sub(f"([{_CJK}“”])(\\?)?",
                  lambda m: rf"(?:{m.group(1)}\s*)?" if m.group(2) else rf"{m.group(1)}\s*", pattern)


def _num(d: str) -> str:
    """An optional row number such as `1.` `1、` `(一)`."""
    return rf"(?:{d}\s*[.、,]\s*)?" if d.isdigit() else rf"(?:[(]\s*{d}\s*[)]\s*|{d}\s*[、.]\s*)?"


_TAIL = rf"[{_CJK}“”\"'、,]*"   # the rest of a long label (a page may shorten or garble it)


def _syntax(pattern: str) -> list[tuple[int, str, int]]:
    """(position, character, depth) of each `(` `)` `|` of a pattern that is not escaped nor in a class;
    depth counts the groups around it (a bracket's own group not included)."""
    out, depth, i = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i += 2 if pattern.startswith("[^", i) else 1
            i += pattern[i] == "]"   # a `]` first in a class is a member
            while pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c in "()|":
            depth -= c == ")"
            out.append((i, c, depth))
            depth += c == "("
        i += 1
    return out


def _options(pattern: str) -> list[str]:
    """`(?:a|b)?rest` as the alternatives [a rest, b rest, rest]: the same matches, tried in the same order.

    The regex engine skips ahead to a possible first character only when every alternative opens with a
    literal one; behind a leading optional group it tries a match at every position.
    """
    if pattern.startswith("(?:"):
        syntax = _syntax(pattern)
        close = next(i for i, c, depth in syntax if c == ")" and depth == 0)
        bars = [i for i, c, depth in syntax if c == "|" and depth == 1 and i < close]
        rest = pattern[close + 2:]
        if (pattern[close + 1:close + 2] == "?" and rest[:1] not in ("?", "+")
                and not any(c == "|" and depth == 0 for _, c, depth in _syntax(rest))):
            tails = _options(rest)
            cuts = [2, *bars, close]
            return [pattern[a + 1:b] + tail for a, b in zip(cuts, cuts[1:]) for tail in tails] + tails
    return [pattern]


@dataclass(frozen=True)
class RowSpec:
    key: str
    labels: tuple[re.Pattern, ...]   # tried in order near the previous row, then anywhere before `end`
    ncols: int
    fallback: re.Pattern | None = None   # the row number alone (5.…), for a label the page misspelt

    def search(self, text: str, pos: int, end: int):
        near = min(end, pos + _SEGMENT_MAX)
        for label in self.labels:
            m = label.search(text, pos, near)
            if m:
                return m
        if self.fallback is not None:
            m = self.fallback.search(text, pos, min(end, pos + 160))
            if m:
                return m
        for label in self.labels:
            m = label.search(text, pos, end)
            if m:
                return m
        return None


def _spec(key: str, ncols: int, *patterns: str, number: str | None = None) -> RowSpec:
    fallback = None
    if number is not None and number.isdigit():
        fallback = re.compile(rf"(?<![\d.]){number}\s*[.、]\s*(?=[{_CJK}])" + _TAIL)
    elif number is not None:
        fallback = re.compile(rf"\(\s*{number}\s*\)\s*(?=[{_CJK}])" + _TAIL)
    return RowSpec(key, tuple(re.compile("|".join(_options(p))) for p in patterns), ncols, fallback)


T2_SPECS = [
    _spec("regulations", 3, _lab("规章")),
    _spec("normative_documents", 3, _lab("(?:行政)?规范性(?:文件|档案)")),
    _spec("licensing", 1, _lab("行政许可")),
    _spec("penalty", 1, _lab("行政处罚")),
    _spec("coercion", 1, _lab("行政强制")),
    _spec("fees", 1, _lab("行政事业性收费") + r"(?:\s*\([^)|\d]{0,12}\))?"),
]
_P = r"(?:\s*\([^)|\d]{0,40}\))?"   # an explanatory bracket after a label (never across the row's numbers)
T3_SPECS = [
    _spec("new_received", 7, _num("一") + _lab("本年(?:度)?新收") + _TAIL),
    _spec("carried_over", 7, _num("二") + _lab("上年(?:度)?结转") + _TAIL),
    _spec("granted", 7, _num("一") + _lab("予以公开") + _P, number="一"),
    _spec("partial", 7, _num("二") + _lab("部分公开") + _P, number="二"),
    _spec("denied.state_secret", 7, _num("1") + _lab("(?:属于)?国家秘密"), number="1"),
    _spec("denied.law_forbidden", 7, _num("2") + _lab("其他法律") + _TAIL, number="2"),
    _spec("denied.three_safety", 7, _num("3") + _lab("危及") + _TAIL, number="3"),
    _spec("denied.third_party", 7, _num("4") + _lab("(?:保护)?第三方") + _TAIL, number="4"),
    _spec("denied.internal_affairs", 7, _num("5") + _lab("(?:属于)?三类内部") + _TAIL, number="5"),
    _spec("denied.process_info", 7, _num("6") + _lab("(?:属于)?四类过程") + _TAIL, number="6"),
    _spec("denied.enforcement_file", 7, _num("7") + _lab("(?:属于)?行政执法") + _TAIL, number="7"),
    _spec("denied.inquiry", 7, _num("8") + _lab("(?:属于)?行政查询") + _TAIL, number="8"),
    _spec("unable.not_held", 7, _num("1") + _lab("(?:本机关)?不掌握") + _TAIL, number="1"),
    _spec("unable.needs_creation", 7, _num("2") + _lab("没有现成") + _TAIL, number="2"),
    _spec("unable.unclear", 7, _num("3") + _lab("补正后") + _TAIL, number="3"),
    _spec("refused.petition", 7, _num("1") + _lab("信访举报") + _TAIL, number="1"),
    _spec("refused.duplicate", 7, _num("2") + _lab("重复申请"), number="2"),
    _spec("refused.publication", 7, _num("3") + _lab("(?:要求提供)?公开出版物"), number="3"),
    _spec("refused.excessive", 7, _num("4") + _lab("(?:无正当理由)?大量反复") + _TAIL, number="4"),
    _spec("refused.confirm", 7, _num("5") + _lab("(?:要求行政机关)?确认或重新") + _TAIL, number="5"),
    _spec("other.overdue_correction", 7, _num("1") + _lab("(?:申请人)?(?:无正当理由)?逾期不补正") + _TAIL, number="1"),
    _spec("other.overdue_fee", 7, _num("2") + _lab("(?:申请人)?逾期未按收费") + _TAIL, number="2"),
    # `(六)其他处理` standing alone (no sub-rows) is read as this row too
    _spec("other.other", 7, r"3\s*[.、]\s*" + _lab("其他"),
          r"(?:\(\s*六\s*\)\s*)?" + _lab("其他(?!法律)(?:处理)?")),
    _spec("results_total", 7, _num("七") + _lab("(?:总计|合计)"), number="七"),
    _spec("carried_forward", 7, _num("四") + _lab("结转下(?:一)?年度") + _TAIL),
]

# Table 4 printed as three rows of five (the usual print has one row of fifteen).
T4_SPECS = [
    _spec("review", 5, _lab("行政复议")),
    _spec("litigation_direct", 5, r"(?:\(\s*)?" + _lab("(?:未经复议)?直接起诉") + r"(?:\s*\))?"),
    _spec("litigation_after_review", 5, r"(?:\(\s*)?" + _lab("复议后起诉") + r"(?:\s*\))?"),
]
_NCOLS = {sp.key: sp.ncols for sp in T2_SPECS + T3_SPECS + T4_SPECS}   # row → its number of cells

# Where each table starts.
_INFO = "(?:信息|资讯)"   # 资讯: mirrors converted with Taiwan phrasing
_T2_HEADING = re.compile(r"二\s*[、.]\s*" + _lab(f"主动公开政府{_INFO}情况"))
_T3_HEADING = re.compile(r"三\s*[、.]\s*" + _lab(f"收到和处理政府{_INFO}公开申请"))
# Anchors in order of trust: the table's own first labels before the section heading.
_T2_STARTS = (re.compile(_lab(r"第二十条第\s*\(\s*一\s*\)\s*项")),
              re.compile(_lab(f"{_INFO}内容") + r"[\s|]*" + _lab("本年制发")), _T2_HEADING)
_T3_STARTS = (re.compile(_lab("勾稽关系")), _T3_HEADING, re.compile(_lab("申请人情况")),
              re.compile(r"一\s*[、.]\s*" + _lab("本年新收")))
# 四、政府信息公开行政复议、行政诉讼情况 / 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况
_T4_HEADING = re.compile(r"四\s*[、.]\s*[^\n|]{0,16}?" + _lab("行政复议") + rf"[^\n|]{{0,16}}?{_lab('情况')}")
_T4_START = re.compile(_lab("行政复议"))
# The header of table 4, consumed character by character: PDF text layers print its words letter by letter
# down the columns (结 结 其 尚 / 果 果 他 未 …), so only the set of characters is certain.
_T4_HEADER = re.compile(r"[\s|、,:()结果维持纠正其他尚未审总计行政复议诉讼经直接起后情况申请提小合]+")
_T4_TABLE_START = re.compile(_lab("行政复议") + r"[\s|]{0,40}" + _lab("行政诉讼") + "|" + _lab("结果维持") + "|"
                             + r"结\s+结\s+其\s+尚")
_T4_COLUMN_WORDS = re.compile("|".join(_lab(w) for w in ("结果维持", "结果纠正", "其他结果", "尚未审结")))
# 2019 template (国办公开办函〔2019〕60号): its own table 2 columns and items. The column words are searched by
# their first character (本, 对), which the regex engine then skips to.
_OLD_COLUMNS = (re.compile(_lab("本年新制作数量") + "|" + _lab("本年新公开数量")), re.compile(_lab("对外公开总数量")))
_OLD_ITEM = re.compile(_lab(r"第二十条第\s*\(\s*九\s*\)\s*项"))   # 2019 only, unless a page adds it locally
_NEW_COLUMNS = re.compile(_lab("本年制发"))

# Inside a row segment, where the row's cells certainly end.
_STOP = re.compile(
    r"\(\s*[一二三四五六七八九十]\s*\)|[一二三四五六七八九十]\s*、|\d\s*[.、]\s*(?=[" + _CJK + "])|"
    + _lab("第二十条") + "|" + _lab("(?:信息|资讯)内容") + "|" + _lab("本年处理决定") + "|" + _lab("本年收费金额") + "|"
    + _lab("行政复议") + "|" + _lab("申请人情况"))
_STOP_GATE = re.compile("[(、.第内本行申]")   # every stop holds one of these: without them, no stop
_T4_STOP = re.compile(r"[一二三四五六七八九十]\s*、|\(\s*[一二三四五六七八九十]\s*\)|[" + _CJK + "]{2}")
_MD_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*")   # a whole line
_PAGE_NO = re.compile(r"(?<!\S)[-—–]\s*\d{1,3}\s*[-—–](?!\S)|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?")
_PAGE_NO_GATE = re.compile("[-—–页]")
_MARKS = re.compile("[-—–页(、.第内本行申]")   # the characters of both gates
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|(?<![" + _CJK + r"])无(?![" + _CJK + r"])|[—–\-－/\\]+")
_NUMBER = re.compile(r"\(?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\)?(?:件|条|个|次|万元|元|项)?")
_ZERO = re.compile(r"[无—–\-－/\\―]+|0+(?:\.0+)?")
_HAS_CJK = re.compile(f"[{_CJK}]")
_PROSE = re.compile(r"[。;；]|\d\s*(?:件|条|个|次|篇|期|场|份|人次)(?![" + _CJK + "]*[)])")
_PROSE_GATE = re.compile("[。;；件条个次篇期场份人]")

_SEGMENT_MAX = 600


def parse_tables(norm: NormalizedText, sections: SectionMap, source_tables: list[SourceTable]) -> TableResult:
    text = _fold(norm.text)
    result = TableResult()
    # the 2019 table 2 is unmistakable; sectioning's guess is not needed here
    m = _old_column(text) or (None if _NEW_COLUMNS.search(text) else _OLD_ITEM.search(text))
    if m:
        result.issues.append(TableIssue(
            code="S005", table=None, message="本报告使用2019年版年报模板（本年新制作数量等），表格未按2021年模板读取",
            start=m.start(), end=m.end(), raw=m.group()))
        result.found = {t: "2019-template" for t in ("t2", "t3", "t4")}
        return result
    text = _blank_md_rules(text)
    reading = _read_all(text, sections, offsets=True)
    if source_tables and any(p.form in ("missing", "heading-only", "unreadable") or p.issues
                             for p in reading.values()):
        # the rendering in the text normally suffices; read the source tables when it did not
        rendered = _fold(render_source_tables(source_tables))
        other = _read_all(rendered, None, offsets=False)
        kind = "pdf" if any(t.page is not None for t in source_tables) else "html"
        for t in ("t2", "t3", "t4"):
            if other[t].score() > reading[t].score():
                other[t].form = kind
                reading[t] = other[t]
    for t in ("t2", "t3", "t4"):
        part = reading[t]
        result.cells += part.cells
        result.issues += part.issues
        result.found[t] = part.form
    return result


def _old_column(text: str) -> re.Match | None:
    found = [m for m in (p.search(text) for p in _OLD_COLUMNS) if m]
    return min(found, key=re.Match.start) if found else None


def _blank_md_rules(text: str) -> str:
    """Markdown rule lines (`|---|---|`) blanked to spaces of the same length; only a line holding `---` can
    be one."""
    pieces, done = [], 0
    i = text.find("---")
    while i >= 0:
        start = text.rfind("\n", 0, i) + 1
        end = text.find("\n", i)
        end = len(text) if end < 0 else end
        if _MD_RULE.fullmatch(text, start, end):
            pieces += (text[done:start], " " * (end - start))
            done = end
        i = text.find("---", end)
    return "".join(pieces) + text[done:] if pieces else text


def render_source_tables(tables: list[SourceTable]) -> str:
    """Source tables as `a | b | c |` rows; label cells repeated by span expansion are written once."""
    out = []
    for t in tables:
        for row in t.rows:
            cells: list[str] = []
            for c in row:
                c = "" if c is None else " ".join(str(c).split())
                if cells and c and c == cells[-1] and _HAS_CJK.search(c):
                    continue
                cells.append(c)
            out.append(" | ".join(cells) + " |")
    return "\n".join(out) + "\n"


# --- reading one table ------------------------------------------------------------------------------

@dataclass(slots=True)
class _Row:
    key: str
    cells: list[str]          # cell strings as read (None for a cell a ragged row lacks)
    start: int
    end: int
    form: str                 # pipes | lines | run-together
    truncated: bool = False   # the text ends inside this row (an excerpt): missing cells are not shown
    padded: list[str] = field(default_factory=list)   # pipe cells with the trailing empty ones kept
    values: list | None = None
    readings: list[tuple] = field(default_factory=list)   # run-together candidates


@dataclass
class _Part:
    table: str
    cells: list[Cell] = field(default_factory=list)
    issues: list[TableIssue] = field(default_factory=list)
    form: str = "missing"

    def score(self) -> tuple[int, int]:
        return (sum(c.value is not None for c in self.cells) - 3 * len(self.issues), len(self.cells))


def _read_all(text: str, sections: SectionMap | None, *, offsets: bool) -> dict[str, _Part]:
    parts: dict[str, _Part] = {}
    t2_start = _find_start(text, _T2_STARTS, sections, "二", 0)
    t3_anchor = _find_start(text, _T3_STARTS, sections, "三", t2_start if t2_start is not None else 0)
    # table 2 ends where table 3 begins; without a table-3 anchor, at its first label
    t2_end = t3_anchor if t3_anchor is not None else len(text)
    parts["t2"], _ = _read_rows(text, "t2", T2_SPECS, t2_start, t2_end, offsets)
    t3_from = t3_anchor
    t4_heading = _T4_HEADING.search(text, t3_from) if t3_from is not None else None
    parts["t3"], t3_end = _read_rows(text, "t3", T3_SPECS, t3_from,
                                     t4_heading.start() if t4_heading else len(text), offsets)
    if t3_end is None:
        t3_end = t3_from if t3_from is not None else (t2_start or 0)
    if t3_from is None:
        t4_heading = _T4_HEADING.search(text, t3_end)
    # else table 3 ends at or before the heading found after its start: that is the first after its end too
    parts["t4"] = _read_t4(text, sections, t3_end, t4_heading, offsets)
    if len([c for c in parts["t4"].cells if c.value is not None]) < 15 or parts["t4"].issues:
        # some pages print table 4 as three rows (行政复议 / 未经复议直接起诉 / 复议后起诉) of five cells
        from4 = t4_heading.end() if t4_heading else t3_end
        rows4, _ = _read_rows(text, "t4", T4_SPECS, from4, min(len(text), from4 + 4 * _SEGMENT_MAX), offsets)
        if len(rows4.cells) == 15 and not rows4.issues and all(c.value is not None for c in rows4.cells):
            rows4.form = "rows"
            parts["t4"] = rows4
    for t, heading in (("t2", _T2_HEADING), ("t3", _T3_HEADING), ("t4", _T4_HEADING)):
        if parts[t].form == "missing" and heading.search(text):
            parts[t].form = "heading-only"
    return parts


def _find_start(text: str, patterns, sections, sid: str, pos: int) -> int | None:
    for p in patterns:
        m = p.search(text, pos)
        if m:
            return m.start()
    sec = sections.get(sid) if sections is not None else None
    return sec.body_start if sec is not None else None


def _read_rows(text: str, table: str, specs: list[RowSpec], start: int | None, end: int,
               offsets: bool) -> tuple[_Part, int | None]:
    part = _Part(table)
    if start is None:
        return part, None
    hits: list[tuple[RowSpec, int, int]] = []
    pos = start
    for k, spec in enumerate(specs):
        m = spec.search(text, pos, end)
        if m is None or (hits and m.start() - pos > 2 * _SEGMENT_MAX):
            continue
        if hits and k + 1 < len(specs) and specs[k + 1].labels[0].search(text, pos, m.start()):
            continue   # the next row stands before this match: this row is missing, the match is elsewhere
        hits.append((spec, m.start(), m.end()))
        pos = m.end()
    if not hits:
        return part, None
    rows: list[_Row] = []
    text_end = len(text.rstrip())   # nothing but blanks after it
    for i, (spec, s, e) in enumerate(hits):
        seg_end = hits[i + 1][1] if i + 1 < len(hits) else min(end, e + _SEGMENT_MAX)
        seg_end = min(seg_end, e + _SEGMENT_MAX)
        marks = _MARKS.search(text, e, seg_end)   # without one, no stop and no page number
        if marks and _STOP_GATE.search(text, marks.start(), seg_end):
            stop = _STOP.search(text, e, seg_end)
            seg_end = stop.start() if stop else seg_end
        if i + 1 == len(hits) and table == "t3":
            t4 = _T4_START.search(text, e, seg_end)
            seg_end = t4.start() if t4 else seg_end
        cells, form, padded = _cells_padded(text[e:seg_end], spec.ncols, page_numbers=marks is not None)
        rows.append(_Row(spec.key, cells, s, seg_end, form, seg_end >= text_end, padded))
    # digits cut off by the end of an excerpt cannot be split: the row is not shown whole
    rows = [r for r in rows if r.form != "prose" and not (r.truncated and r.form == "run-together")]
    _keep_empty_cells(rows, _NCOLS)
    with_cells = sum(1 for r in rows if r.cells)
    if len(rows) >= 2 and not with_cells:
        part.issues.append(TableIssue("S002", table, f"{_NAMES[table]}的行标签在，但读不出单元格", start=rows[0].start,
                                      end=rows[-1].end))
        part.form = "unreadable"
        return part, rows[-1].end
    # a label with nothing after it is prose or the cut-off end of an excerpt, unless the table is there
    rows = [r for r in rows if r.cells or (with_cells >= 3 and not r.truncated)]
    if not rows:
        return part, None
    last_end = rows[-1].end
    if table == "t3":
        _resolve_t3(rows, part, text[start:hits[0][1]])
    else:
        for r in rows:
            _resolve_plain(table, r, _NCOLS[r.key], part)
    forms = {r.form for r in rows if r.cells}
    part.form = ("run-together" if "run-together" in forms else "pipes" if "pipes" in forms
                 else "lines" if forms else "unreadable")
    if not offsets:
        for c in part.cells:
            c.start = c.end = None
        for iss in part.issues:
            iss.start = iss.end = None
    return part, last_end


_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


def _keep_empty_cells(rows: list[_Row], ncols: dict[str, int]) -> None:
    """On a page that leaves cells empty (`| 0 | | | 0 |`), a row's trailing empty cells are cells too.

    Elsewhere trailing pipes are only padding, and a short row is ragged (S003).
    """
    def interior_empty(r: _Row) -> bool:
        cells = r.padded[:ncols[r.key]]
        return "" in cells and any(cells[cells.index("") + 1:])

    if not any(r.form == "pipes" and interior_empty(r) for r in rows):
        return
    for r in rows:
        n = ncols[r.key]
        if r.form == "pipes" and len(r.cells) < n <= len(r.padded):
            r.cells = r.padded[:n]


def _cells_of(seg: str, ncols: int) -> tuple[list[str], str]:
    """The cell strings of one row and the form met."""
    cells, form, _ = _cells_padded(seg, ncols)
    return cells, form


def _cells_padded(seg: str, ncols: int, page_numbers: bool = True) -> tuple[list[str], str, list[str]]:
    """The cell strings of one row, the form met, and (pipes) the cells with the trailing empty ones kept.

    page_numbers=False: the caller knows that the segment holds no page number."""
    if page_numbers and _PAGE_NO_GATE.search(seg):
        seg = _PAGE_NO.sub(" ", seg)   # a PDF page number between two rows of a split table
    bar = seg.find("|")
    cells = list(map(str.strip, seg[bar + 1:].split("|"))) if bar >= 0 else []
    if bar >= 0 and (any(cells) or not _TOKEN.search(seg, 0, bar)):
        # pipes, unless the numbers stand before the first pipe (padding after a row that has none)
        head = seg[:bar].strip()
        if head and not _HAS_CJK.search(head):
            cells.insert(0, head)
        padded = cells[:]
        while cells and not cells[-1]:
            cells.pop()
        # more cells than the row has: the rest of a long label, or the next label's start
        while len(cells) > ncols and _label_like(cells[0]):
            cells.pop(0)
        while len(cells) > ncols and (not cells[-1] or _label_like(cells[-1])):
            cells.pop()
        while len(cells) > ncols and not cells[0]:
            cells.pop(0)
        # a row the template does not have (行政确认 | 3 |) after a complete row: not this row's cells
        for i in range(ncols, len(cells)):
            if _label_like(cells[i]):
                cells = cells[:i]
                break
        return cells, "pipes", padded
    seg = seg.replace("|", " ")
    tokens = seg.split()
    digits = "".join(tokens)
    digits_only = digits.isdigit() and digits.isascii()   # just numbers between blanks: each is a token
    if not digits_only:
        found = list(_TOKEN.finditer(seg))
        row_end = found[ncols - 1].end() + 2 if len(found) >= ncols else len(seg)   # + a unit after it
        if _PROSE_GATE.search(seg, 0, row_end) and _PROSE.search(seg, 0, row_end):
            return [], "prose", []      # a sentence that names the row (规章3件。), not the table
        tokens = [m.group() for m in found]
        digits_only = bool(tokens) and all(t.isdigit() for t in tokens)
    if len(tokens) < ncols and digits_only and sum(map(len, tokens)) > len(tokens):
        return tokens, "run-together", []
    return tokens, "lines", []


def _label_like(cell: str) -> bool:
    return bool(cell) and bool(_HAS_CJK.search(cell)) and not _is_value(cell)


def _is_value(cell: str) -> bool:
    c = cell.replace(" ", "")
    return bool(_ZERO.fullmatch(c) or _NUMBER.fullmatch(c))


def _value(cell: str | None):
    """SPEC §2: empty → None; 0 无 — / → 0; numbers (thousands separators, decimals). (value, readable)."""
    if cell is None:
        return None, True
    if cell.isdigit() and cell.isascii():  # the common cell, without the regexes
        return int(cell), True
    c = cell.replace(" ", "").replace("\n", "")
    if not c:
        return None, True
    if _ZERO.fullmatch(c):
        return 0, True
    m = _NUMBER.fullmatch(c)
    if m:
        whole = int(m.group(1).replace(",", ""))
        if m.group(2):
            f = float(f"{whole}{m.group(2)}")
            return (int(f) if f.is_integer() else f), True
        return whole, True
    return None, False


def _fixed_values(table: str, r: _Row, ncols: int, part: _Part) -> list | None:
    """Values of a row read cell by cell (not run-together); issues S003/S004 recorded."""
    cells = r.cells[:ncols]
    digits = "".join(cells) if all(cells) else ""
    if digits.isdigit() and digits.isascii():   # the common row: every cell a plain number
        vals = list(map(int, cells))
    else:
        vals = []
        for c in cells:
            v, ok = _value(c)
            if not ok:
                part.issues.append(TableIssue("S004", table, f"{_NAMES[table]} {r.key} 单元格“{c}”不是数字",
                                              row=r.key, start=r.start, end=r.end, raw=c))
            vals.append(v)
    if len(r.cells) > ncols or (len(r.cells) < ncols and not r.truncated):
        part.issues.append(TableIssue(
            "S003", table, f"{_NAMES[table]} {r.key} 行有{len(r.cells)}个单元格，应为{ncols}个；"
                           + ("多出的未读" if len(r.cells) > ncols else "缺的按空值处理"),
            row=r.key, start=r.start, end=r.end, raw=" | ".join(c or "" for c in r.cells)))
    if table == "t3" and 1 < len(vals) < ncols and not r.truncated:
        # a short row whose last number is the sum of the others: that one is the 总计 (zero cells dropped)
        head, last = vals[:-1], vals[-1]
        if last and None not in head and sum(head) == last:
            gap = ncols - len(vals)
            r.cells = r.cells[:len(head)] + [None] * gap + r.cells[len(head):len(vals)]   # raw text per cell
            return head + [None] * gap + [last]
    vals += [None] * (ncols - len(vals))
    return vals


def _emit(table: str, key: str, cols, vals, r: _Row, part: _Part) -> None:
    # a run-together row shows all its digits as the raw text of every cell
    raws = repeat("".join(r.cells)) if r.form == "run-together" else chain(r.cells, repeat(None))
    start, end, cells = r.start, r.end, part.cells
    for col, v, raw in zip(cols, vals, raws):
        cells.append(Cell(table, key, col, v, raw, start, end))


def _resolve_plain(table: str, r: _Row, ncols: int, part: _Part) -> None:
    cols = T2_COLS[r.key] if table == "t2" else T4_COLS
    if r.form == "run-together" and table == "t4":
        readings = rt.row_with_total(r.cells, ncols)
        if len(readings) == 1:
            _emit(table, r.key, cols, readings[0], r, part)
        else:
            _ambiguous(table, r, cols, readings, part)
        return
    if r.form == "run-together":
        readings = rt.free_splits(r.cells, ncols)
        if r.key in ("regulations", "normative_documents"):
            # no arithmetic here: what is in force usually includes what was issued this year
            plausible = [x for x in readings if x[2] >= x[0] and x[2] >= x[1]] or readings
        else:
            plausible = readings
        if len(plausible) == 1:
            _emit(table, r.key, cols, plausible[0], r, part)
        else:
            _ambiguous(table, r, cols, plausible, part)
        return
    if not _trim_lines(table, r, ncols, part):
        _emit(table, r.key, cols, [None] * ncols, r, part)
        return
    _emit(table, r.key, cols, _fixed_values(table, r, ncols, part), r, part)


def _trim_lines(table: str, r: _Row, ncols: int, part: _Part) -> bool:
    """A row read number by number keeps its first ncols numbers; far more means the numbers are not its own
    (a layout that printed the labels apart from the numbers): S003 and no values."""
    if r.form != "lines" or len(r.cells) <= ncols:
        return True
    if ncols > 1 and len(r.cells) >= 2 * ncols:
        part.issues.append(TableIssue(
            "S003", table, f"{_NAMES[table]} {r.key} 行后有{len(r.cells)}个数字，无法对应到单元格", row=r.key,
            start=r.start, end=r.end, raw=" ".join(r.cells[:3 * ncols])))
        return False
    r.cells = r.cells[:ncols]
    return True


def _ambiguous(table: str, r: _Row, cols, readings, part: _Part) -> None:
    alts = [{f"{table}/{r.key}/{c}": v for c, v in zip(cols, x)} for x in readings]
    part.issues.append(TableIssue(
        "S006", table, f"{_NAMES[table]} {r.key} 行数字连写（{''.join(r.cells)}），可拆为{len(readings)}种读法，"
                       "单元格留空", row=r.key, start=r.start, end=r.end, raw="".join(r.cells), alternatives=alts))
    _emit(table, r.key, cols, [None] * len(cols), r, part)


# --- table 3 ------------------------------------------------------------------------------------------

_ORDER_A = ("natural_person", "organisations", *T3_ORG_COLS, "total")   # subtotal right after 自然人
_ORDER_B = ("natural_person", *T3_ORG_COLS, "organisations", "total")   # subtotal after the five


_T3_HEAD_WORDS = {c: re.compile(w) for c, w in (
    ("natural_person", _lab("自然人")), ("organisations", _lab("法人或其他组织")), ("total", _lab("总计")),
    ("commercial", _lab("商业企业")), ("research", _lab("科研机构")), ("social", _lab("社会公益组织")),
    ("legal", _lab("法律服务机构")), ("other", "(?<!或)" + _lab("其他") + "(?!组)"))}


def _t3_header_order(header: str) -> tuple[str, ...] | None:
    """Column order of a two-level table-3 header (自然人 · 法人或其他组织[five] · 总计), when it differs."""
    pos = {}
    for col, word in _T3_HEAD_WORDS.items():
        m = word.search(header)
        if m is None:
            return None
        pos[col] = m.start()
    order: list[str] = []
    for col in sorted(("natural_person", "organisations", "total"), key=pos.get):
        order += sorted(T3_ORG_COLS, key=pos.get) if col == "organisations" else [col]
    return None if tuple(order) == T3_COLS else tuple(order)


def _total_support(rows: list[_Row], cols: tuple[str, ...]) -> int:
    """Rows whose 总计 column (in this order) is the sum of the others, counting only non-zero rows."""
    n = 0
    for r in rows:
        if r.form == "run-together" or len(r.cells) != len(cols):
            continue
        v = dict(zip(cols, (_value(c)[0] for c in r.cells)))
        if None in v.values() or not v["total"]:
            continue
        n += v["total"] == sum(v[c] for c in T3_APPLICANT_COLS)
    return n


def _resolve_t3(rows: list[_Row], part: _Part, header: str = "") -> None:
    _drop_phantom_columns(rows)
    eight = sum(1 for r in rows if r.form != "run-together" and len(r.cells) == 8)
    cols: tuple[str, ...] = T3_COLS
    if eight and eight >= len(rows) / 2:
        cols = _t3_eight_order(rows)
    else:
        # column order from the header, when it differs from the template's and the row sums agree
        order = _t3_header_order(header) if header else None
        if order is not None and _total_support(rows, order) > _total_support(rows, T3_COLS):
            cols = order
    ncols = len(cols)
    if rows and all(r.form == "run-together" for r in rows):
        cols = _run_together_layout(rows, header)
        ncols = len(cols)
    for r in rows:
        if r.form == "run-together":
            if not r.readings and ncols == 7:
                r.readings = rt.row_with_total(r.cells, 7)
        else:
            usable = _trim_lines("t3", r, ncols, part)
            r.values = _fixed_values("t3", r, ncols, part) if usable else [None] * ncols
    _combine_run_together(rows, cols, part)
    for r in rows:
        if r.values is not None:
            _emit("t3", r.key, cols, r.values, r, part)


def _drop_phantom_columns(rows: list[_Row]) -> None:
    """A column empty in every row of a too-wide table is a layout artefact (a hidden HTML cell)."""
    wide = [r for r in rows if r.form == "pipes" and len(r.cells) > 7]
    if not wide or len(wide) < len(rows) / 2:
        return
    width = max(len(r.cells) for r in wide)
    empty = {k for k in range(width) if all(k >= len(r.cells) or not r.cells[k] for r in wide)}
    if empty and width - len(empty) in (7, 8):
        for r in wide:
            r.cells = [c for k, c in enumerate(r.cells) if k not in empty]


def _run_together_layout(rows: list[_Row], header: str) -> tuple[str, ...]:
    """Seven columns, or eight with a 法人或其他组织 subtotal: whichever layout more rows can be cut by.

    The readings found are kept on the rows.
    """
    cuts: dict[tuple[str, ...], list] = {}   # rows often hold the same digits (all zeros): each cut once
    for r in rows:
        if tuple(r.cells) not in cuts:
            cuts[tuple(r.cells)] = rt.row_with_total(r.cells, 7)
    seven = [cuts[tuple(r.cells)] for r in rows]
    fits = sum(bool(x) for x in seven)
    best, best_readings = T3_COLS, seven
    if "小计" in header or fits < len(rows):
        for order, first in ((_ORDER_B, False), (_ORDER_A, True)):
            eight = [rt.row_with_subtotal(r.cells, first) for r in rows]
            if sum(bool(x) for x in eight) > fits:
                best, best_readings, fits = order, eight, sum(bool(x) for x in eight)
    for r, readings in zip(rows, best_readings):
        r.readings = readings
    return best


def _t3_eight_order(rows: list[_Row]) -> tuple[str, ...]:
    """Where the 法人或其他组织 subtotal stands: the layout whose arithmetic the rows satisfy."""
    best, best_score = _ORDER_B, -1
    for order in (_ORDER_B, _ORDER_A):
        score = 0
        for r in rows:
            if len(r.cells) != 8:
                continue
            v = dict(zip(order, (_value(c)[0] for c in r.cells)))
            if any(x is None for x in v.values()):
                continue
            if v["organisations"] == sum(v[c] for c in T3_ORG_COLS) and v["total"] == v["natural_person"] + v[
                    "organisations"]:
                score += 1 + (v["total"] > 0)
        if score > best_score:
            best, best_score = order, score
    return best


def _combine_run_together(rows: list[_Row], cols, part: _Part) -> None:
    """Choose among the readings of run-together rows with the column arithmetic of the template."""
    pending = [r for r in rows if r.form == "run-together"]
    if not pending:
        return
    by_key = {r.key: r for r in rows}
    ncols = len(cols)
    # rows with no reading of their own: try the column arithmetic alone (a report whose row sum is wrong)
    for r in pending:
        if not r.readings:
            exp = _expected_from_columns(r.key, by_key, ncols)
            if exp is not None and "".join(map(str, exp)) == "".join(r.cells):
                r.readings = [tuple(exp)]
    ambiguous = [r for r in pending if len(r.readings) > 1]
    for r in pending:
        if len(r.readings) == 1:
            r.values = list(r.readings[0])
    if ambiguous:
        combos = 1
        for r in ambiguous:
            combos *= len(r.readings)
        if combos <= 20000:
            best: list[tuple] = []
            best_score = -1
            consistent = []
            for choice in _product([r.readings for r in ambiguous]):
                for r, v in zip(ambiguous, choice):
                    r.values = list(v)
                ok, score = _t3_identities(by_key, ncols)
                if ok:
                    consistent.append(choice)
                if score > best_score:
                    best, best_score = [choice], score
            if len(consistent) == 1:
                chosen = consistent[0]
            elif not consistent:
                chosen = best[0]   # the report's own arithmetic is broken: the checks will say where
            else:
                chosen = None
            if chosen is not None:
                for r, v in zip(ambiguous, chosen):
                    r.values = list(v)
                ambiguous = []
            else:
                for i, r in enumerate(ambiguous):
                    options = sorted({c[i] for c in consistent})
                    if len(options) == 1:
                        r.values = list(options[0])
                    else:
                        r.readings = options
                        r.values = None
                ambiguous = [r for r in ambiguous if r.values is None]
        for r in ambiguous:
            _ambiguous("t3", r, cols, r.readings, part)
            r.values = None
    for r in pending:
        if r.values is None and not r.readings:
            # no reading adds up: the report's own sum is wrong; take the reading that misses it least
            digits = "".join(r.cells)
            near = rt.closest(r.cells, 1, ncols) if ncols == 7 else []
            if len(near) == 1:
                r.values = list(near[0])
            elif near:
                _ambiguous("t3", r, cols, near, part)
                part.issues[-1].arithmetic_fails = True
                r.values = [None] * ncols
            else:
                part.issues.append(TableIssue("S003", "t3", f"表三 {r.key} 行数字连写（{digits}），按模板算术无法拆分",
                                              row=r.key, start=r.start, end=r.end, raw=digits,
                                              arithmetic_fails=True))
                r.values = [None] * ncols


def _product(lists):
    if not lists:
        yield ()
        return
    for head in lists[0]:
        for rest in _product(lists[1:]):
            yield (head,) + rest


def _expected_from_columns(key: str, by_key: dict, ncols: int) -> list[int] | None:
    def vals(k):
        r = by_key.get(k)
        return r.values if r is not None and r.values is not None and None not in r.values else None

    if key == "results_total":
        rs = [vals(k) for k in T3_RESULT_ROWS if k in by_key]
        if rs and all(v is not None for v in rs):
            return [sum(v[i] for v in rs) for i in range(ncols)]
    return None


def _t3_identities(by_key: dict, ncols: int) -> tuple[bool, int]:
    """Column arithmetic of table 3 over the rows present: (all hold, how many hold)."""
    def vals(k):
        r = by_key.get(k)
        return r.values if r is not None and r.values is not None else None

    held = failed = 0
    results = [vals(k) for k in T3_RESULT_ROWS if k in by_key]
    total = vals("results_total")
    for i in range(ncols):
        if total is not None and results and all(v is not None and v[i] is not None for v in results) \
                and total[i] is not None:
            if sum(v[i] for v in results) == total[i]:
                held += 1
            else:
                failed += 1
        a, b, c, d = vals("new_received"), vals("carried_over"), total, vals("carried_forward")
        if all(x is not None and x[i] is not None for x in (a, b, c, d)):
            if a[i] + b[i] == c[i] + d[i]:
                held += 1
            else:
                failed += 1
    return failed == 0, held


# --- table 4 ------------------------------------------------------------------------------------------

_T4_KEYS = tuple((g, c) for g in T4_ROWS for c in T4_COLS)


def _read_t4(text: str, sections, t3_end: int, h: re.Match | None, offsets: bool) -> _Part:
    """Table 4 after t3_end; h is its heading, the first after t3_end."""
    part = _Part("t4")
    if h:
        start = h.end()
    else:
        m = _T4_START.search(text, t3_end, t3_end + 3000)
        if m is None:
            sec = sections.get("四") if sections is not None else None
            if sec is None:
                return part
            start = sec.body_start
        else:
            start = m.start()
    # a sentence may stand between the heading and the table (未发生行政复议、行政诉讼): start at the header
    t = _T4_TABLE_START.search(text, start, start + 1500)
    if t:
        start = t.start()
    hm = _T4_HEADER.match(text, start)
    vstart = hm.end() if hm else start
    if vstart == start and not _T4_START.search(text, start, start + 200):
        return part
    # the header match also eats the pipes of empty cells that open the values row: back up to its line
    line = text.rfind("\n", start, vstart)
    if line >= 0 and not text[line + 1:vstart].replace("|", "").strip():
        vstart = line + 1
    stop = _T4_STOP.search(text, vstart, vstart + _SEGMENT_MAX)
    vend = stop.start() if stop else min(len(text), vstart + _SEGMENT_MAX)
    seg = text[vstart:vend]
    n = len(T4_COLS) * len(T4_ROWS)
    if "|" in seg:
        # `| a | b |` (a border pipe first) or `a | b |` (the first cell before the first pipe):
        # take the reading that gives the fifteen cells
        bordered = _cells_of(seg[seg.find("|"):], n)[0] if seg.lstrip().startswith("|") else None
        plain = _cells_of(" |" + seg, n)[0]
        cells = bordered if bordered is not None and (len(bordered) == n or len(plain) != n) else plain
        form = "pipes"
    else:
        cells, form = _cells_of(seg, n)
    if not cells:
        if hm and len(_T4_COLUMN_WORDS.findall(text, start, vstart)) >= 4 and vend < len(text.rstrip()):
            part.issues.append(TableIssue("S002", "t4", "表四的表头在，但读不出单元格", start=start if offsets else None,
                                          end=vend if offsets else None))
            part.form = "unreadable"
        return part
    if form == "run-together" and vend >= len(text.rstrip()):
        return part   # digits cut off by the end of an excerpt
    r = _Row("t4", cells, vstart, vend, form)
    part.form = "run-together" if form == "run-together" else form
    if form == "run-together":
        readings = rt.grouped_rows(cells, len(T4_ROWS), len(T4_COLS))
        if len(readings) == 1:
            vals = list(readings[0])
        elif len(readings) > 1:
            alts = [{f"t4/{g}/{c}": v for (g, c), v in zip(_T4_KEYS, x)} for x in readings]
            part.issues.append(TableIssue("S006", "t4", f"表四数字连写（{''.join(cells)}），可拆为{len(readings)}种读法，"
                                          "单元格留空", start=vstart, end=vend, raw="".join(cells),
                                          alternatives=alts))
            vals = [None] * n
        else:
            digits = "".join(cells)
            near = rt.closest(cells, len(T4_ROWS), len(T4_COLS))
            if len(near) == 1:
                vals = list(near[0])   # the report's own sums are wrong; the checks say where
            else:
                alts = [{f"t4/{g}/{c}": v for (g, c), v in zip(_T4_KEYS, x)} for x in near]
                part.issues.append(TableIssue(
                    "S006" if near else "S003", "t4", f"表四数字连写（{digits}），没有一种拆法合乎总计，" +
                    (f"最接近的有{len(near)}种" if near else "无法拆分"),
                    start=vstart, end=vend, raw=digits, alternatives=alts, arithmetic_fails=True))
                vals = [None] * n
    else:
        if len(cells) > n:
            cells = cells[:n]
            r.cells = cells
        vals = []
        for c in cells:
            v, ok = _value(c)
            if not ok:
                part.issues.append(TableIssue("S004", "t4", f"表四单元格“{c}”不是数字", start=vstart, end=vend, raw=c))
            vals.append(v)
        if len(cells) != n:
            part.issues.append(TableIssue("S003", "t4", f"表四有{len(cells)}个单元格，应为{n}个；缺的按空值处理",
                                          start=vstart, end=vend, raw=" | ".join(cells)))
        vals += [None] * (n - len(vals))
    raws = chain(r.cells, repeat(None)) if form != "run-together" else repeat("".join(cells))
    start, end = (vstart, vend) if offsets else (None, None)
    for (g, c), v, raw in zip(_T4_KEYS, vals, raws):
        part.cells.append(Cell("t4", g, c, v, raw, start, end))
    return part

