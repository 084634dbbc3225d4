"""C001, C002: the prose against itself.

C001 reads 其中 breakdowns from the text itself as well as from claims linked by `parent`: most breakdowns
list categories (机构职能类信息82条, 政务动态信息(1335)条 …) that are not claim types of their own.
"""
from __future__ import annotations

import regex

from xxgk.extract.checks import register
from xxgk.extract.checks.context import Context

UNITS = "条|件|篇|期|个|项|次|场|起|份|则"
NUM = r"[(（]?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*[)）]?"
# "…共公布政府信息2602条(其中…", "…1386条,其中:…", "…162条。其中,…"
TOTAL_THEN_PARTS = regex.compile(
    NUM + r"\s*(?P<unit>" + UNITS + r")\s*(?P<open>[(（])?\s*[,，;；:：。]?\s*(?P<open2>[(（])?\s*其中\s*(?:包[括含])?\s*[,，:：]?")
# what may stand between a stated total and its 其中 (brackets, spaces, digits, units, punctuation), read
# backwards from the 其中
BEFORE_PARTS = regex.compile(r"(?r)[(（)）\s\d,，;；:：。" + UNITS.replace("|", "") + r"]*")
ITEM = regex.compile(r"(?<![\d.])" + NUM + r"\s*(?P<unit>" + UNITS + r")(?!\s*[%％])")
# a parenthesised aside inside the list that is not a bare number: "(以市政府名义印发7件,…)"
ASIDE = regex.compile(r"[(（](?![\s\d,]*[)）])[^()（）]*[)）]")
OTHER = regex.compile(r"其他|其它")
# an item preceded by one of these is a rate or a comparison, not a part
NOT_A_PART = regex.compile(r"(?:增长|减少|下降|提升|同比|较上年|比上年|占|累计|超过|达到)[^,，、;；]{0,4}$")


# 条 and 篇 both count published items (an article is an item); 期 (issues) and 件 (documents) are other units
UNIT_FAMILY = {"篇": "条"}


def _same_unit(a: str, b: str) -> bool:
    return UNIT_FAMILY.get(a, a) == UNIT_FAMILY.get(b, b)


# each unit with the units counted alike with it
UNIT_KIN = {u: "".join(v for v in UNITS.split("|") if _same_unit(u, v)) for u in UNITS.split("|")}


# by unit: the runs of digits followed by a count in that unit or one counted alike (commas taken out)
COUNT_RUNS = {u: regex.compile(r"\d+(?=\s*[)）]?\s*[" + kin + "])") for u, kin in UNIT_KIN.items()}
OTHER_DIGIT = regex.compile(r"[^\D0-9]")  # a digit other than 0-9


def _int(s: str) -> int:
    return int(s.replace(",", ""))


SUBTOTAL = regex.compile(r"共|合计|小计|总计|共计|累计")
SENTENCE_END = regex.compile(r"[。\n]")
BRACKET = regex.compile(r"[(（)）]")
CLAUSES = regex.compile(r"([,，;；])")  # split keeping the separators
DIGIT = regex.compile(r"\d")
LIST_SEPARATOR = regex.compile(r"[,，、;；]")


def _region_end(text: str, start: int, in_parens: bool) -> int:
    """End of the breakdown: the closing bracket of a (其中 …) aside, else the end of the sentence."""
    if in_parens:
        depth = 1
        for p in BRACKET.finditer(text, start, min(len(text), start + 800)):
            if p.group() in "(（":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return p.start()
        return start
    m = SENTENCE_END.search(text, start, min(len(text), start + 600))
    return m.start() if m else min(len(text), start + 600)


# how applications were handled: a list of these is another breakdown than one by applicant or channel
RESULT_WORDS = regex.compile(r"予以公开|部分公开|不予公开|无法提供|不予处理|办结|答复|结转")


def _list_end(region: str) -> int:
    """The list ends at the first clause with no number at all ("…2件，均已按时办结，…")."""
    pos = 0
    for clause in CLAUSES.split(region):
        if clause in ",，;；":
            pos += len(clause)
            continue
        if clause.strip(" :：") and not DIGIT.search(clause):
            return pos
        pos += len(clause)
    return len(region)


def _other_counts_before(text: str, start: int, unit: str) -> bool:
    """Does the sentence ending at `start` state another count in `unit` before the total?"""
    i = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    sentence = text[i:start]
    if not any(u in sentence for u in UNIT_KIN[unit]):
        return False  # not a count in this unit at all
    return any(_same_unit(it.group("unit"), unit) for it in ITEM.finditer(text, i, start))


class Breakdown:
    """'N单位，其中 a单位、b单位…': the stated total and its parts (same unit), as the text gives them."""

    def __init__(self, total: int, unit: str, total_span: tuple[int, int]):
        self.total, self.unit, self.total_span = total, unit, total_span
        self.parts: list[tuple[int, int, int]] = []        # (value, start, end), subtotals collapsed
        self.first_clause_sum = 0                           # parts before the first ; (a safe scope)
        self.has_later_clauses = False
        self.exhaustive = False                             # the list ends with an 其他 category
        self.ambiguous = False                              # a subtotal that matches nothing before it
        self.results = False                                # the parts are handling results (予以公开 …)

    @property
    def parts_sum(self) -> int:
        return sum(v for v, _, _ in self.parts)


def _totals_then_parts(text: str):
    """`TOTAL_THEN_PARTS.finditer(text)`, tried only in the run of number-like characters before each 其中
    (every match ends in one), not at every position of the text."""
    bound, q = 0, text.find("其中")
    while q >= 0:
        m = None
        for start in range(BEFORE_PARTS.match(text, bound, q).start(), q):
            m = TOTAL_THEN_PARTS.match(text, start)
            if m:
                break
        if m:
            yield m
            bound = m.end()
            q = text.find("其中", bound)
        else:
            q = text.find("其中", q + 1)


def _parts_region(text: str, m, end: int) -> str:
    """The text after the stated total `m` up to where its breakdown can end, asides blanked out so their
    numbers are not counted twice (offsets kept)."""
    region = text[m.end():end]
    if "(" not in region and "（" not in region:
        return region  # no aside
    return ASIDE.sub(lambda a: " " * len(a.group()), region)


def _read_breakdown(m, region: str) -> Breakdown | None:
    """The parts listed in `region` after the stated total `m`; None when there is no part to read."""
    unit = m.group("unit")
    region = region[:_list_end(region)]
    b = Breakdown(_int(m.group("n")), unit, (m.start(), m.end("unit")))
    group_start, prev, last_label, seen_result = 0, 0, "", False
    first_clause_end = min([i for i in (region.find(";"), region.find("；")) if i >= 0] or [len(region)])
    for it in ITEM.finditer(region):
        label = region[prev:it.start()]
        prev = it.end()
        if not _same_unit(it.group("unit"), unit) or NOT_A_PART.search(label):
            continue
        label = LIST_SEPARATOR.split(label)[-1]
        if RESULT_WORDS.search(label) and b.parts and not seen_result:
            break  # "其中自然人10件、法人2件，予以公开8件…": a second list of another dimension begins
        seen_result = seen_result or bool(RESULT_WORDS.search(label))
        value = _int(it.group("n"))
        span = (m.end() + it.start(), m.end() + it.end())
        if SUBTOTAL.search(label):
            # "…、其他3条,共发布102条": a subtotal of the items since the last one replaces them
            pending = b.parts[group_start:]
            if pending and sum(v for v, _, _ in pending) == value:
                b.parts[group_start:] = [(value, *span)]
                group_start = len(b.parts)
                continue
            b.ambiguous = True
            break
        b.parts.append((value, *span))
        last_label = label
        if it.start() < first_clause_end:
            b.first_clause_sum += value
        else:
            b.has_later_clauses = True
    b.exhaustive = bool(OTHER.search(last_label))
    b.results = seen_result
    return b if b.parts and not b.ambiguous else None


def _may_disagree(m, region: str, slack: int) -> bool:
    """Can the breakdown in `region` after the stated total `m` be an exhaustive list (it ends in 其他) or
    exceed the total plus a slack of 0 or `slack`? Only its parts before the first ; can exceed: a list
    without later clauses has all its parts there. A part ends a run of digits and commas and is followed by
    its unit, so it is at most that run read as one number, one part to a run: when such runs add up to no
    more than the total, the parts cannot."""
    if "其他" in region or "其它" in region:
        return True
    if not m.group("n").isascii() or OTHER_DIGIT.search(region):
        return True  # digits beyond 0-9, which int() may not read: the reading itself decides
    first_clause = region.partition(";")[0].partition("；")[0]
    bound = sum(map(int, COUNT_RUNS[m.group("unit")].findall(first_clause.replace(",", ""))))
    return bound > _int(m.group("n")) + min(slack, 0)


@register("C001")
def breakdown_exceeds_total(ctx: Context):
    text = ctx.norm.text if ctx.norm is not None else ""
    linked = list(_linked_excesses(ctx))
    linked_starts = [parent.start for parent, _, _ in linked]
    covered = set()
    carried = [ctx.value("t3", "carried_over", "total")] + [c.value for _, c in ctx.claims_of("request.carried_over")]
    carried_over = max([v for v in carried if isinstance(v, (int, float)) and not isinstance(v, bool)] or [0])
    for m in _totals_then_parts(text):
        ts, te = m.start(), m.end("unit")
        region = _parts_region(text, m, _region_end(text, m.end(), bool(m.group("open") or m.group("open2"))))
        if not _may_disagree(m, region, carried_over) \
                and not any(ts <= p < te for p in linked_starts):
            continue  # neither a finding nor the cover of a linked total below: not worth reading
        if not m.group("open") and _other_counts_before(text, ts, m.group("unit")):
            # "办结32件，结转下年度3件，其中予以公开14件…": after several counts of one unit a 其中 may split
            # any of them (or the sentence as a whole); only "N件(其中…" or a sentence with one count is sure
            continue
        b = _read_breakdown(m, region)
        if b is None:
            continue
        covered.update(range(ts, te))
        s = b.parts_sum
        # results may include applications carried over from last year on top of this year's received count
        slack = carried_over if b.results else 0
        # parts of later ;-clauses may belong to another count: they only settle an exhaustive list
        exceeds = b.first_clause_sum > b.total + slack or (s > b.total + slack and not b.has_later_clauses)
        mismatch = b.exhaustive and s != b.total and not b.results
        if exceeds or mismatch:
            yield ctx.finding("C001", variant="exhaustive" if mismatch else None, expected=b.total, found=s,
                              evidence=[ctx.span(ts, te), *[ctx.span(a, c) for _, a, c in b.parts]],
                              total_text=f"{b.total}{b.unit}", data={"parts": [v for v, _, _ in b.parts],
                                                                     "unit": b.unit})
    # breakdowns the claim extractor linked by `parent` and the text scan did not already cover
    for parent, kids, s in linked:
        if parent.start not in covered:
            yield ctx.finding("C001", expected=parent.value, found=s,
                              evidence=[ctx.prose(parent), *[ctx.prose(k) for k in kids]],
                              total_text=parent.text or str(parent.value))


def _linked_excesses(ctx: Context):
    """Totals whose parts, linked by `parent`, add up to more: (total, parts, their sum)."""
    children: dict[int, list] = {}
    for c in ctx.claims:
        if c.parent is not None and not c.approximate and isinstance(c.value, (int, float)) \
                and not isinstance(c.value, bool):
            children.setdefault(c.parent, []).append(c)
    for pi, kids in children.items():
        if not (0 <= pi < len(ctx.claims)):
            continue
        parent = ctx.claims[pi]
        if parent.approximate or isinstance(parent.value, bool) or not isinstance(parent.value, (int, float)):
            continue
        # only parts of the same fact add up to it (网上申请 and 信函申请 under 收到申请); a count of another
        # type under a total (规范性文件12件 under 主动公开300条) need not be a share of it
        kids = [k for k in kids if k.type == parent.type and (k.unit == parent.unit or not k.unit or not parent.unit)]
        s = sum(k.value for k in kids)
        if kids and s > parent.value:
            yield parent, kids, s


# Facts a report states once; two different exact values of one of them contradict each other.
SINGLE_FACTS = {
    "request.received": "收到申请件数", "request.carried_over": "上年结转件数",
    "request.carried_forward": "结转下年度件数", "request.completed": "办结件数",
    "request.granted": "予以公开件数", "request.partial": "部分公开件数", "request.denied": "不予公开件数",
    "request.unable": "无法提供件数", "request.refused": "不予处理件数",
    "review.cases": "行政复议件数", "litigation.cases": "行政诉讼件数",
}


# The table cells a P check compares each fact with.
TABLE_COUNTERPART = {
    "request.received": [("t3", "new_received", "total")], "request.carried_over": [("t3", "carried_over", "total")],
    "request.carried_forward": [("t3", "carried_forward", "total")],
    "request.completed": [("t3", "results_total", "total")], "request.granted": [("t3", "granted", "total")],
    "request.partial": [("t3", "partial", "total")], "review.cases": [("t4", "review", "total")],
    "litigation.cases": [("t4", "litigation_direct", "total")],
}


@register("C002")
def contradicting_statements(ctx: Context):
    # 未收取信息处理费 vs 收取信息处理费N元
    if ctx.count_of("fee.none") and ctx.count_of("fee.amount"):
        nones = [c for _, c in ctx.claims_of("fee.none", exact=False) if c.value is True]
        amounts = [c for _, c in ctx.claims_of("fee.amount", exact=False)
                   if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.value > 0]
        if nones and amounts:
            yield ctx.finding("C002", variant="fee", expected=0, found=amounts[0].value,
                              evidence=[ctx.prose(nones[0]), ctx.prose(amounts[0])], fact="信息处理费")
    # 已全部办结 vs 结转下年度N件
    if ctx.count_of("request.all_completed") and ctx.count_of("request.carried_forward"):
        done = [c for _, c in ctx.claims_of("request.all_completed") if c.value is True]
        fwd = [c for _, c in ctx.claims_of("request.carried_forward")
               if isinstance(c.value, (int, float)) and c.value > 0]
        if done and fwd:
            yield ctx.finding("C002", variant="all_completed", expected=0, found=fwd[0].value,
                              evidence=[ctx.prose(done[0]), ctx.prose(fwd[0])], fact="办结情况")
    # two different values of one fact
    for ctype, fact in SINGLE_FACTS.items():
        if ctx.count_of(ctype) < 2:
            continue  # stated once at most
        stated = [c for _, c in ctx.claims_of(ctype)
                  if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
        if len({c.value for c in stated}) < 2:
            continue
        if any(ctx.value(*key) is not None for key in TABLE_COUNTERPART.get(ctype, ())):
            continue  # the table settles it: the P check names the statement that disagrees with it
        first = stated[0]
        for other in stated[1:]:
            if other.value == first.value:
                continue
            # 共收到35件 and 新收33件 with 上年结转2件: both ways of counting received are in use
            if ctype == "request.received" and abs(other.value - first.value) in _carried_over(ctx):
                continue
            yield ctx.finding("C002", variant="values", expected=first.value, found=other.value,
                              evidence=[ctx.prose(first), ctx.prose(other)], fact=fact)
            break


def _carried_over(ctx: Context) -> set:
    """The counts of applications carried over from last year that the report states."""
    carried = {c.value for _, c in ctx.claims_of("request.carried_over")}
    over_cell = ctx.value("t3", "carried_over", "total")
    if over_cell is not None:
        carried.add(over_cell)
    return carried
