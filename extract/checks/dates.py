"""D001, D002: the report's year against its own prose, and its publication date against the deadline."""
from __future__ import annotations

from datetime import date

import regex

from xxgk.extract.checks import register
from xxgk.extract.checks.context import Context

YEAR = regex.compile(r"(?<!\d)(20\d\d)\s*年")
# a clause that opens with a year: "2021年，…", "2021年度，…", "2021年全年…", "(二)2021年…"
LEADING_YEAR = regex.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]\s*)?"
                             r"(?:[^\d,，。;；]{0,8}?)?(?P<y>20\d\d)\s*年(?!\s*\d{1,2}\s*月|底|末|初)"
                             r"(?:度|全年|内|共|以来)?\s*[,，]?")
# any year written with 年, as a sentence can open with it
YEAR_MENTION = regex.compile(r"(20\d\d)\s*年")
# prose that compares with, or accumulates over, an earlier year legitimately names it
COMPARATIVE = regex.compile(r"较|同比|比上年|相比|上年|去年|上一年|截至|截止|以来|累计|至今|期间|结转|自\s*20\d\d")
# claim types that state this year's statistics
YEAR_STATISTICS = ("request.", "proactive.", "review.", "litigation.", "fee.")
SENTENCE_END = "。；;\n!?！？"


# the stretch before a position back to the last sentence end, read backwards
SENTENCE_TAIL = regex.compile(r"(?r)[^" + SENTENCE_END + "]*")


def _sentence_start(text: str, i: int) -> int:
    return SENTENCE_TAIL.match(text, 0, i).start()


@register("D001")
def year_mismatch(ctx: Context):
    rep = ctx.report
    # the title's year against the statistics period
    title_year = None
    if rep.title:
        m = YEAR.search(rep.title)
        title_year = int(m.group(1)) if m else None
    period_years = {d.year for d in (rep.period_start, rep.period_end) if d is not None}
    if title_year and period_years and period_years != {title_year}:
        found = sorted(period_years - {title_year})[0]
        span = rep.evidence.get("period_start") or rep.evidence.get("period") or rep.evidence.get("period_end")
        ev = [ctx.span(*span)] if span else []
        yield ctx.finding("D001", variant="period", expected=title_year, found=found, evidence=ev,
                          offset=span[0] if span else 0)
    year = rep.year
    if not year or ctx.norm is None:
        return
    # statistics sentences that open with an earlier year, e.g. last year's text left in
    text, seen = ctx.norm.text, set()
    if not _earlier_year_written(text, year):
        return
    for claim in ctx.claims:
        if not claim.type.startswith(YEAR_STATISTICS) or claim.parent is not None \
                or claim.type == "request.carried_over":  # by nature about last year's applications
            continue
        s = _sentence_start(text, claim.start)
        if s in seen:
            continue
        head = text[s:claim.start]
        m = LEADING_YEAR.match(head)
        if not m:
            continue
        y = int(m.group("y"))
        if y >= year or COMPARATIVE.search(head):
            continue
        seen.add(s)
        yield ctx.finding("D001", variant="statement", expected=year, found=y,
                          evidence=[ctx.span(s + m.start("y"), s + m.end("y") + 1), ctx.prose(claim)])


def _earlier_year_written(text: str, year: int) -> bool:
    """Does the text write a year before `year` with 年 anywhere (so a sentence may open with it)?"""
    try:
        return min(map(int, YEAR_MENTION.findall(text)), default=year) < year
    except ValueError:  # digits int() does not read: the sentences themselves decide
        return True


@register("D002")
def published_late(ctx: Context):
    rep = ctx.report
    if rep.published is None or not rep.year:
        return
    # 条例第四十九条: departments by 31 January, a people's government's own report by 31 March
    deadline = date(rep.year + 1, 3 if rep.is_government else 1, 31)
    if rep.published > deadline:
        span = rep.evidence.get("published")
        yield ctx.finding("D002", expected=deadline.isoformat(), found=rep.published.isoformat(),
                          evidence=[ctx.span(*span)] if span else [], offset=span[0] if span else 0)
