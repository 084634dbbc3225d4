"""Cells that ran together with no separator: recover them with a small search over digit splits.

A flattened page may print a table row as one digit string (`801000081` = 80, 1, 0, 0, 0, 0, 81). Only the
template arithmetic can cut it: a row's 总计 is the sum of the cells before it (table 3 rows, the three
groups of table 4). The search cuts one group at a time and prunes on that sum, so it never enumerates the
splits of a whole table. Tokens that the page did separate (by spaces) are forced cuts.
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate

MAX_DIGITS = 7          # no cell of these tables has more digits than this
MAX_READINGS = 64       # more readings than this is as good as "ambiguous"


def _boundaries(tokens: list[str]) -> tuple[str, list[int]]:
    """The digit string and, for every position, the next forced cut at or after it."""
    s = "".join(tokens)
    cuts = list(accumulate(map(len, tokens)))
    nxt: list[int] = []
    for k, cut in enumerate(cuts):
        if len(nxt) <= cut:   # an empty token adds no cut
            nxt += [cut] * (cut - len(nxt))   # inside the token: its end
            nxt.append(cuts[k + 1] if k + 1 < len(cuts) else len(s))   # at its end: the next token's end
    return s, nxt


def _parts(s: str, nxt: list[int], i: int) -> Iterator[tuple[int, int]]:
    """Numbers that may start at i: (value, end). A leading zero stands alone."""
    if i >= len(s):
        return
    if s[i] == "0":
        yield 0, i + 1
        return
    limit = min(nxt[i], i + MAX_DIGITS)
    for j in range(i + 1, limit + 1):
        yield int(s[i:j]), j


def group_splits(s: str, nxt: list[int], start: int, n: int,
                 reserve: int = 0) -> Iterator[tuple[tuple[int, ...], int]]:
    """Cuts of s[start:] into n numbers whose last is the sum of the others: (values, end position).

    `reserve` digits must stay for the cells after this group. The total is at least as long as any part.
    """
    vals: list[int] = []
    limit = len(s) - reserve

    def rec(i: int, acc: int, longest: int) -> Iterator[tuple[tuple[int, ...], int]]:
        if len(vals) == n - 1:
            want = str(acc)
            j = i + len(want)
            if j <= limit and s.startswith(want, i) and j <= nxt[i]:
                yield tuple(vals) + (acc,), j
            return
        left = n - 1 - len(vals)          # parts still to cut before the total
        for v, j in _parts(s, nxt, i):
            width = j - i
            if limit - j < (left - 1) + max(longest, width):
                break
            vals.append(v)
            yield from rec(j, acc + v, max(longest, width))
            vals.pop()

    yield from rec(start, 0, 1)


def _exact_sum(s: str, nxt: list[int], start: int, stop: int, n: int, total: int) -> list[tuple[int, ...]]:
    """Cuts of s[start:stop] into exactly n numbers adding up to total, pruned as the sum passes it."""
    width = len(str(total))
    out: list[tuple[int, ...]] = []
    vals: list[int] = []

    def rec(i: int, rest: int, left: int) -> None:
        room = stop - i
        if room < left or room > left * width or len(out) > MAX_READINGS:
            return
        if left == 1:
            # the last number is all the digits left: it must be a number and make up the rest of the sum
            longest = 1 if s[i] == "0" else min(nxt[i] - i, MAX_DIGITS)
            if room <= longest and int(s[i:stop]) == rest:
                out.append((*vals, rest))
            return
        if s[i] == "0":
            vals.append(0)
            rec(i + 1, rest, left - 1)
            vals.pop()
            return
        # the numbers after this one need at least one digit each and at most `width`
        first, last = max(i + 1, stop - (left - 1) * width), min(nxt[i], i + MAX_DIGITS, stop - left + 1)
        for j in range(first, last + 1):
            v = int(s[i:j])
            if v > rest:
                break
            vals.append(v)
            rec(j, rest - v, left - 1)
            vals.pop()

    if n == 0:
        return [()] if start == stop and total == 0 else []
    rec(start, total, n)
    return out


def _suffix_totals(s: str, nxt: list[int], first: int):
    """(start, value) of every number that may close the digits after position `first`."""
    for tl in range(1, min(MAX_DIGITS, len(s) - first) + 1):
        ts = len(s) - tl
        if nxt[ts] < len(s) or (s[ts] == "0" and tl > 1):
            continue          # the total may not run over a forced cut, nor start with 0
        yield ts, int(s[ts:])


def row_with_total(tokens: list[str], n: int) -> list[tuple[int, ...]]:
    """Readings of one row of n cells whose last cell is the total of the others (table 3).

    The total is a suffix of the digits; for each possible length, the prefix is cut into n-1 numbers that
    must add up to it.
    """
    s, nxt = _boundaries(tokens)
    out: list[tuple[int, ...]] = []
    for ts, total in _suffix_totals(s, nxt, n - 1):
        out += [head + (total,) for head in _exact_sum(s, nxt, 0, ts, n - 1, total)]
        if len(out) > MAX_READINGS:
            break
    return out


def grouped_rows(tokens: list[str], groups: int, n: int) -> list[tuple[int, ...]]:
    """Readings of `groups` consecutive groups of n cells, each ending in its total (table 4)."""
    s, nxt = _boundaries(tokens)
    out: list[tuple[int, ...]] = []

    def rec(i: int, acc: tuple[int, ...], g: int) -> None:
        if len(out) > MAX_READINGS:
            return
        if g == groups:
            if i == len(s):
                out.append(acc)
            return
        for vals, j in group_splits(s, nxt, i, n, reserve=(groups - g - 1) * n):
            rec(j, acc + vals, g + 1)

    rec(0, (), 0)
    return out


def _cuts(s: str, nxt: list[int], n: int):
    """Every cut of the digit string into n numbers, in order (the bound on the count is the caller's)."""
    vals: list[int] = []

    def rec(i: int):
        if len(vals) == n:
            if i == len(s):
                yield tuple(vals)
            return
        for v, j in _parts(s, nxt, i):
            if len(s) - j < n - len(vals) - 1:
                break
            vals.append(v)
            yield from rec(j)
            vals.pop()

    yield from rec(0)


def free_splits(tokens: list[str], n: int) -> list[tuple[int, ...]]:
    """Every cut of the digits into n numbers (rows without arithmetic, e.g. table 2's three counts)."""
    from itertools import islice
    s, nxt = _boundaries(tokens)
    return list(islice(_cuts(s, nxt, n), MAX_READINGS + 1))


MAX_SPLITS = 20000      # how many plain cuts the fallback may try


def closest(tokens: list[str], groups: int, n: int) -> list[tuple[int, ...]]:
    """When no cut satisfies the arithmetic (the report's own sums are wrong): the cuts that miss it least.

    Each group of n cells ends in its total; the miss is the summed |total − sum of the others|. Returns the
    readings with the smallest miss (one when the choice is clear), or [] when there are too many cuts to try.
    """
    import math
    s, nxt = _boundaries(tokens)
    cells = groups * n
    if len(s) < cells or math.comb(len(s) - 1, cells - 1) > MAX_SPLITS:
        return []
    best: list[tuple[int, ...]] = []
    best_miss = None
    for vals in _cuts(s, nxt, cells):
        miss = sum(abs(sum(vals[g * n:g * n + n - 1]) - vals[g * n + n - 1]) for g in range(groups))
        if best_miss is None or miss < best_miss:
            best, best_miss = [vals], miss
        elif miss == best_miss:
            best.append(vals)
    return best


def row_with_subtotal(tokens: list[str], subtotal_first: bool) -> list[tuple[int, ...]]:
    """Readings of an eight-cell table-3 row with a 法人或其他组织 subtotal column.

    Cells: 自然人, then the subtotal and the five organisation columns (subtotal_first) or the five and then
    the subtotal, then 总计; the subtotal is the sum of the five and 总计 = 自然人 + subtotal.
    """
    s, nxt = _boundaries(tokens)
    out: list[tuple[int, ...]] = []
    for ts, total in _suffix_totals(s, nxt, 7):
        for np_, i in _parts(s, nxt, 0):
            org = total - np_
            if org < 0:
                break
            if subtotal_first:
                want = str(org)
                if s.startswith(want, i) and i + len(want) <= nxt[i]:
                    out += [(np_, org) + five + (total,)
                            for five in _exact_sum(s, nxt, i + len(want), ts, 5, org)]
            else:
                want = str(org)
                k = ts - len(want)
                if k > i and s.startswith(want, k) and nxt[k] >= ts:
                    out += [(np_,) + five + (org, total) for five in _exact_sum(s, nxt, i, k, 5, org)]
        if len(out) > MAX_READINGS:
            break
    return out
