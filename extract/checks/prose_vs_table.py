"""P201, P202, P301–P303, P401: a count stated in prose against its table cell.

Only stated totals are compared (no 其中 part, nothing approximate such as 10余件). When the table's own total
cell disagrees with its parts (a T code), a prose count equal to the parts is the table's fault, not the
prose's, and is not reported again here.
"""
from __future__ import annotations

from xxgk.extract.checks import register
from xxgk.extract.checks.context import T4_PARTS, Context
from xxgk.models.table import T3_APPLICANT_COLS, T3_GROUPS, T3_RESULT_ROWS

RESULT_LABELS = {"granted": "予以公开", "partial": "部分公开", "denied": "不予公开", "unable": "无法提供",
                 "refused": "不予处理"}
# the claim type stating each result group, the group and its label
RESULT_CLAIMS = tuple((f"request.{group}", group, label) for group, label in RESULT_LABELS.items())


def _num(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return v
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return None


def _same(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-6


def _known_sum(values: list) -> float | None:
    """Sum of the values when every one is known, else None."""
    return None if not values or None in values else sum(values)


def _row_parts(ctx: Context, table: str, row: str):
    return _known_sum(ctx.row_values(table, row, T3_APPLICANT_COLS if table == "t3" else T4_PARTS))


def _compare_claims(ctx: Context, code: str, ctype: str, key: tuple[str, str, str], *, accepted=tuple,
                    variant=None, extra_cells=(), **fields):
    """Yield a finding for each stated claim of `ctype` whose value is neither the cell at `key` nor an
    accepted value. `accepted()` gives the other values a claim may state; it is asked only when there are
    claims."""
    claims = ctx.claims_of(ctype)
    if not claims:
        return
    expected = ctx.value(*key)
    if expected is None:
        return
    others = None  # the accepted values, worked out for the first claim that is not the cell's value
    for _, claim in claims:
        v = _num(claim.value)
        if v is None or _same(v, expected):
            continue
        if others is None:
            others = [a for a in accepted() if a is not None]
        if any(_same(v, a) for a in others):
            continue
        cell = ctx.cell(*key)
        yield ctx.finding(code, variant=variant, expected=expected, found=claim.value,
                          evidence=[ctx.prose(claim), ctx.cell_ev(cell), *ctx.cells_ev(extra_cells)], **fields)


@register("P201")
def normative_documents(ctx: Context):
    if ctx.old_template:
        return
    yield from _compare_claims(ctx, "P201", "proactive.normative_documents",
                               ("t2", "normative_documents", "issued"))


@register("P202")
def regulations(ctx: Context):
    if ctx.old_template:
        return
    yield from _compare_claims(ctx, "P202", "proactive.regulations", ("t2", "regulations", "issued"))


@register("P301")
def received(ctx: Context):
    new = ctx.value("t3", "new_received", "total")
    over = ctx.value("t3", "carried_over", "total")
    received = ctx.claims_of("request.received")
    if received and new is not None:
        with_over = new + over if over is not None else None
        accepted = None  # the other ways of counting, worked out for the first claim that is not `new`
        for _, claim in received:
            v = _num(claim.value)
            if v is None or _same(v, new):
                continue
            if accepted is None:
                new_parts = _row_parts(ctx, "t3", "new_received")
                accepted = [new_parts, with_over]
                if new_parts is not None and over is not None:
                    accepted.append(new_parts + over)
            if any(_same(v, a) for a in accepted):
                continue
            cells = ctx.column("t3", ("new_received", "carried_over"), "total")
            yield ctx.finding("P301", expected=new, found=claim.value,
                              evidence=[ctx.prose(claim), *ctx.cells_ev(cells)],
                              new_received=new, with_carried_over=with_over)
    yield from _compare_claims(ctx, "P301", "request.carried_over", ("t3", "carried_over", "total"),
                               variant="carried_over",
                               accepted=lambda: [_row_parts(ctx, "t3", "carried_over")])


@register("P302")
def completed(ctx: Context):
    fwd = ctx.value("t3", "carried_forward", "total")
    if fwd is not None and fwd > 0:
        for _, claim in ctx.claims_of("request.all_completed"):
            if claim.value is True:
                cell = ctx.cell("t3", "carried_forward", "total")
                yield ctx.finding("P302", variant="all_completed", expected=0, found=fwd,
                                  evidence=[ctx.prose(claim), ctx.cell_ev(cell)])
    # 办结N件 = 三(七)总计: every application the year's results row counts was closed, 其他处理 included;
    # only 结转下年度 is still open.
    yield from _compare_claims(ctx, "P302", "request.completed", ("t3", "results_total", "total"),
                               variant="completed", accepted=lambda: [
                                   _row_parts(ctx, "t3", "results_total"),
                                   _known_sum(ctx.column_values("t3", T3_RESULT_ROWS, "total"))])
    yield from _compare_claims(ctx, "P302", "request.carried_forward", ("t3", "carried_forward", "total"),
                               variant="carried_forward",
                               accepted=lambda: [_row_parts(ctx, "t3", "carried_forward")])


@register("P303")
def results(ctx: Context):
    for ctype, group, label in RESULT_CLAIMS:
        claims = ctx.claims_of(ctype)
        if not claims:
            continue
        rows = T3_GROUPS[group]
        known = [v for v in ctx.column_values("t3", rows, "total") if v is not None]
        if not known:
            continue
        complete = len(known) == len(rows)
        total = sum(known)
        for _, claim in claims:
            v = _num(claim.value)
            if v is None:
                continue
            if complete and not _same(v, total) and not _same(v, _applicants_sum(ctx, rows)):
                yield ctx.finding("P303", expected=total, found=claim.value,
                                  evidence=[ctx.prose(claim), *_known_cells_ev(ctx, rows)],
                                  result_label=label)
            elif not complete and total > v:
                yield ctx.finding("P303", variant="at_least", expected=total, found=claim.value,
                                  evidence=[ctx.prose(claim), *_known_cells_ev(ctx, rows)],
                                  result_label=label)


def _applicants_sum(ctx: Context, rows: tuple[str, ...]):
    """The rows' applicant columns added up: their totals may themselves disagree with them (T301)."""
    return _known_sum([v for r in rows for v in ctx.row_values("t3", r, T3_APPLICANT_COLS)])


def _known_cells_ev(ctx: Context, rows: tuple[str, ...]):
    return ctx.cells_ev(c for c in ctx.column("t3", rows, "total") if c is not None and c.value is not None)


@register("P401")
def review_and_litigation(ctx: Context):
    yield from _compare_claims(ctx, "P401", "review.cases", ("t4", "review", "total"), variant="review",
                               accepted=lambda: [_row_parts(ctx, "t4", "review")])
    litigation = ctx.claims_of("litigation.cases")
    if not litigation:
        return
    direct = ctx.value("t4", "litigation_direct", "total")
    after = ctx.value("t4", "litigation_after_review", "total")
    if direct is None or after is None:
        return
    total = direct + after
    accepted = None  # totals from the rows' parts, worked out for the first claim that is not `total`
    for _, claim in litigation:
        v = _num(claim.value)
        if v is None or _same(v, total):
            continue
        if accepted is None:
            pd = _row_parts(ctx, "t4", "litigation_direct")
            pa = _row_parts(ctx, "t4", "litigation_after_review")
            accepted = [pd + pa, pd + after, direct + pa] if pd is not None and pa is not None else []
        if any(_same(v, a) for a in accepted):
            continue
        cells = ctx.column("t4", ("litigation_direct", "litigation_after_review"), "total")
        yield ctx.finding("P401", variant="litigation", expected=total, found=claim.value,
                          evidence=[ctx.prose(claim), *map(ctx.cell_ev, cells)])
