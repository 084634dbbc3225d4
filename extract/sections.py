"""The six sections of the template and the sub-headings of section 一 (also of 五 and 六).

Headings are looked for in order (一 … 六). A heading is a numeral (一、 一. 一． 第一部分) followed by a title of
that section's family (总体情况 / 概述, 主动公开政府信息情况, 收到和处理政府信息公开申请情况, …). A heading at the start
of a line is preferred; one run into the text (pages flattened onto one line) is accepted only when no line-start
heading of that number follows. A numeral-less mention in prose ("本报告包括总体情况、主动公开…") is never a
heading, nor are table rows such as 三、本年度办理结果 (their titles are not of a section's family).
"""
from __future__ import annotations

from itertools import chain

import regex

from xxgk.models import Section, SectionMap

NUMERALS = "一二三四五六"
_CN = "一二三四五六七八九十"

# Title families per section (normalised, Simplified text).
_TITLES: dict[str, str] = {
    "一": r"(?:政府信息公开(?:工作)?)?(?:总体情况|总体概况|基本情况|概述|概况|总述|总体)",
    "二": r"(?:行政机关)?(?:主动公开(?:政府信息)?|政府信息主动公开)(?:工作)?(?:的)?(?:情况|方面)",
    "三": r"(?:行政机关)?(?:(?:收到和处理|收到及处理|受理和处理|依申请公开)[^\n。|]{0,14}?|"
          r"政府信息公开申请(?:的)?(?:办理|处理|受理)?|政府信息依申请公开(?:办理)?)(?:情况|方面)|"
          r"(?:收到和处理|收到及处理)政府信息公开申请(?=[ \t]*\n)",  # "情况" wrapped onto the next line
    "四": r"(?:因)?(?:政府信息公开(?:工作)?)?(?:被申请|申请)?(?:(?:行政复议[^\n。|]{0,16}?|复议(?:和|及|、|与)?诉讼)"
          r"(?:情况|方面)|行政复议[、和及与]?(?:提起)?行政诉讼(?=[ \t]*\n))",
    "五": r"(?:政府信息公开)?(?:工作)?(?:中)?(?:存在的|存在)?(?:主要)?(?:问题|不足)(?:及|和|与|以及)[^\n。|]{0,8}?"
          r"(?:改进|整改|措施|意见|方向|下一步)[^\n。|]{0,6}?(?:情况|措施|意见|打算|计划|安排)?",
    "六": r"其他需(?:要)?(?:报告|说明)的?(?:事项|情况)|其他事项",
}
_SEP = r"(?:[ \t]*[、.,:．,?][ \t]*|[ \t]+)"
_LINE_START = r"(?:(?<=^[ \t#*>|]*)|(?<=\n))"
_HEADING = {
    n: regex.compile(rf"(?P<num>(?:第{n}部分[ \t]*[、.,:]?[ \t]*)|(?:{n}{_SEP}))(?P<title>{_TITLES[n]})", regex.M)
    for n in NUMERALS
}
# (一) with the brackets mirror sites garble or swap: [一] 【一】 〔一〕 ?一?
# Some reports number the six parts (一) … (六): used only when section 一 itself is numbered so.
_HEADING_BRACKET = {
    n: regex.compile(rf"(?P<num>\([ \t]*{n}[ \t]*\)[ \t]*)(?P<title>{_TITLES[n]})", regex.M) for n in NUMERALS
}
_BARE_TITLE = {n: regex.compile(rf"^[ \t#*]*(?P<title>{_TITLES[n]})[ \t*]*$", regex.M) for n in NUMERALS}
_SUB_BRACKET = regex.compile(rf"(?:^|(?<=[。;:!?.]))[ \t#*]*[(\[【〔﹝?][ \t]*(?P<n>[{_CN}]{{1,2}})[ \t]*[)\]】〕﹞?]"
                             rf"[ \t]*(?P<title>[^\n。;:(\[【〔﹝\d]{{0,40}})", regex.M)
_SUB_BRACKET_ANYWHERE = regex.compile(rf"(?<![第条款项])[(\[【〔﹝][ \t]*(?P<n>[{_CN}]{{1,2}})[ \t]*[)\]】〕﹞]"
                                      rf"[ \t]*(?P<title>[^\n。;:(\[【〔﹝\d]{{0,40}})")
# what a bracketed sub-heading opens with (_SUB_BRACKET_ANYWHERE: one of the first five); a numbered one has 、
# or . after its number
_SUB_OPENERS = "([【〔﹝?"
_SUB_DIGIT_AFTER_SENTENCE = regex.compile(r"(?<=[。;])[ \t]*(?P<n>\d{1,2})[ \t]*[、.](?!\d)[ \t]*(?P<title>[^\n。;:(\[【〔﹝\d]{0,40})")
_SUB_DIGIT = regex.compile(r"^[ \t#*]*(?P<n>\d{1,2})[ \t]*[、.](?!\d)[ \t]*(?P<title>[^\n。;:(\[【〔﹝\d]{0,40})", regex.M)
# labels only the 2019 template's tables carry (a plain substring test each; one needs a regex)
_OLD_TEMPLATE_WORDS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "本年增减")
_OLD_TEMPLATE_PURCHASE = regex.compile(r"第二十条第\(九\)项[^\n]{0,40}采购")
# labels only the 2021 template's tables carry
_NEW_TEMPLATE = regex.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|本年新收政府信息公开申请|"
                              r"上年结转政府信息公开申请|三安全一稳定|结转下年度继续办理")
_DIGIT = regex.compile(r"\d")
_ANNUAL = regex.compile(r"年度报告|年报|工作报告|年度工作报告")


def _old_template(text: str) -> bool:
    """Does the text carry a label of the 2019 template's tables?"""
    if any(w in text for w in _OLD_TEMPLATE_WORDS):
        return True
    return "第二十条第(九)项" in text and bool(_OLD_TEMPLATE_PURCHASE.search(text))


def _is_line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t#*>|":
        i -= 1
    return i < 0 or text[i] == "\n"


def _heading_end(text: str, m) -> int:
    """Where the body starts: end of a short heading line, else just after the title (run-together pages)."""
    nl = text.find("\n", m.end())
    line_end = len(text) if nl < 0 else nl
    rest = text[m.end():line_end]
    if len(rest) <= 12 and "。" not in rest and not _DIGIT.search(rest):
        return line_end + (1 if nl >= 0 else 0)
    return m.end()


_CN_VALUE = {c: i for i, c in enumerate(_CN, 1)}


def _cn_value(s: str) -> int:
    """一 … 十九 → 1 … 19 (sub-heading numbers)."""
    d = _CN_VALUE
    if len(s) == 1:
        return d.get(s, 0)
    if s[0] == "十":
        return 10 + d.get(s[1], 0)
    return d.get(s[0], 0) * 10 + (d.get(s[1], 0) if s[1] != "十" else 0)


_CN_OF = {i: c for i, c in enumerate(_CN, 1)}


def _numbered(body: str, rx, digits: bool) -> list[tuple[int, int, str, str]]:
    found, last = [], 0
    for m in rx.finditer(body):
        v = int(m.group("n")) if digits else _cn_value(m.group("n"))
        if v <= last or v > last + 3 or (digits and v > 10):  # numbering goes up; a gap is tolerated
            continue
        last = v
        label = f"({_CN_OF[v]})" if digits else f"({m.group('n')})"
        found.append((m.start(), m.end(), label, m.group("title").strip()))
    return found


def _children(text: str, parent: Section) -> list[Section]:
    lo, hi = parent.body_start, parent.end
    body = text[lo:hi]
    flat = body.count("\n") <= 3  # a page flattened onto one line: sub-headings follow any character
    found = []
    if any(b in body for b in _SUB_OPENERS):
        options = [_numbered(body, _SUB_BRACKET, False)]
        if flat:
            options.append(_numbered(body, _SUB_BRACKET_ANYWHERE, False))
        found = max(options, key=len)
    if not found and ("、" in body or "." in body):
        options = [_numbered(body, _SUB_DIGIT, True)]
        if flat:
            options.append(_numbered(body, _SUB_DIGIT_AFTER_SENTENCE, True))
        found = max(options, key=len)
    out: list[Section] = []
    for i, (s, e, label, title) in enumerate(found):
        start = lo + s + (len(body[s:e]) - len(body[s:e].lstrip("。;:!? \t#*")))
        end = lo + found[i + 1][0] if i + 1 < len(found) else hi
        out.append(Section(id=f"{parent.id}.{label}", title=title, start=start, body_start=lo + e, end=end))
    return out


# what follows the numeral of a numbered heading: the first character of _SEP, or 部分 of 第一部分
_SEP_FIRST = frozenset(" \t、.,:．?")


def _numbered_headings(text: str, n: str, pos: int):
    """`_HEADING[n].finditer(text, pos)`, tried only where the numeral stands before a separator (一、) or in
    第一部分: every match starts so, and the numerals are rare enough to find with str.find."""
    rx, bound = _HEADING[n], pos
    i = text.find(n, pos)
    while i >= 0:
        m = None
        if i - 1 >= bound and text[i - 1] == "第" and text.startswith("部分", i + 1):
            m = rx.match(text, i - 1)
        elif text[i + 1:i + 2] in _SEP_FIRST:
            m = rx.match(text, i)
        if m:
            yield m
            bound = m.end()
            i = text.find(n, bound)
        else:
            i = text.find(n, i + 1)


def _choose(text: str, pos: int) -> tuple[list[tuple[str, object]], list[str]]:
    """The headings 一 … 六 in order from `pos`: a numbered heading at a line start, else one run into the
    text, else (no numeral at all) a line that is exactly a section title."""
    notes: list[str] = []
    chosen: list[tuple[str, object]] = []
    bracketed = False
    ones = _numbered_headings(text, "一", pos)
    first_one = next(ones, None)
    if first_one is None:
        first = _HEADING_BRACKET["一"].search(text, pos)
        if first and _is_line_start(text, first.start()):
            bracketed = True
            notes.append("the six sections are numbered (一) … (六)")
    for n in NUMERALS:
        if bracketed:
            cands = _HEADING_BRACKET[n].finditer(text, pos)
        elif n == "一":  # the first of them is already found
            cands = chain((first_one,), ones) if first_one else ()
        else:
            cands = _numbered_headings(text, n, pos)
        first = m = None
        for c in cands:  # the first at a line start, else the first of all
            first = first or c
            if _is_line_start(text, c.start()):
                m = c
                break
        if m is None and first is not None:
            m = first
            notes.append(f"section {n} heading is run into the text")
        elif m is None:
            m = _BARE_TITLE[n].search(text, pos)
            if m is None:
                continue
            notes.append(f"section {n} heading has no number")
        chosen.append((n, m))
        pos = m.end()
    return chosen, notes


def _is_contents_list(text: str, chosen) -> bool:
    """Three or more headings back to back at the start: a table of contents, not the sections."""
    empty = 0
    for (_, m), (_, nxt) in zip(chosen, chosen[1:]):
        if text[m.end():nxt.start()].strip():
            break
        empty += 1
    return empty >= 2


def find_sections(text: str) -> SectionMap:
    chosen, notes = _choose(text, 0)
    if len(chosen) >= 3 and _is_contents_list(text, chosen):
        block_end = chosen[0][1].end()
        for _, m in chosen:
            if text[block_end:m.start()].strip():
                break
            block_end = m.end()
        again, notes2 = _choose(text, block_end)
        if len(again) >= len(chosen):
            chosen, notes = again, notes2 + ["a list of the section headings precedes the sections"]
    sections: list[Section] = []
    for i, (n, m) in enumerate(chosen):
        end = chosen[i + 1][1].start() if i + 1 < len(chosen) else len(text)
        start = m.start()
        sections.append(Section(id=n, title=m.group("title"), start=start, body_start=_heading_end(text, m),
                                end=end))
    for s in sections:
        s.body_start = min(s.body_start, s.end)
        if s.id in ("一", "五", "六"):
            s.children = _children(text, s)
    ids = {s.id for s in sections}
    missing = [n for n in NUMERALS if n not in ids]
    template = "2019" if _old_template(text) else "2021" if _NEW_TEMPLATE.search(text) else "unknown"
    disclosure = "政府信息公开" in text or "政务公开" in text
    is_report = len(sections) >= 2 or (disclosure and (bool(sections) or bool(_ANNUAL.search(text[:3000]))))
    if not is_report:
        notes.append("no annual-report title and fewer than two template sections: not an annual report")
    return SectionMap(sections=sections, missing=missing, template=template, is_annual_report=is_report,
                      notes=notes)
