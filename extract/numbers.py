"""Value normalisers named by rule files (`normalize: count | amount | plan_list`).

Each normaliser takes the raw text a rule captured (and, for `amount`, the unit written after it) and
returns `(value, approximate)`. They accept what reports write: Arabic digits, full-width digits,
thousands separators, decimals with 万/亿, Chinese numerals (二十三, 一千二百五十六, 两千), approximations
(300余, 2000多, 近千, 约50, 超过100) and bracketed numbers ((1386)).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Markers of an approximate number, before or after the digits.
APPROX_BEFORE = ("近", "约", "超过", "逾", "达到", "大约", "将近", "接近", "超")
APPROX_AFTER = ("余", "多", "左右", "以上", "余个", "来")
_APPROX_ONLY = {"达到"}   # 达到 is not an approximation by itself; kept out of the flag below

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_ARABIC = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
_MULT = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}


class NumberError(ValueError):
    """The text is not a number any normaliser understands."""


_BEFORE_LONGEST_FIRST = sorted(APPROX_BEFORE, key=len, reverse=True)
_AFTER_LONGEST_FIRST = sorted(APPROX_AFTER, key=len, reverse=True)


def _strip(raw: str) -> tuple[str, bool]:
    s = unicodedata.normalize("NFKC", raw).strip()
    s = s.replace(" ", "").replace("\u3000", "")
    s = s.strip("()[]【】〔〕")
    approx = False
    changed = True
    while changed:
        changed = False
        for p in _BEFORE_LONGEST_FIRST:
            if s.startswith(p) and len(s) > len(p):
                s = s[len(p):]
                approx = approx or p not in _APPROX_ONLY
                changed = True
        for p in _AFTER_LONGEST_FIRST:
            if s.endswith(p) and len(s) > len(p):
                s = s[: -len(p)]
                approx = True
                changed = True
        if s[:1] == "上" and s[1:2] in ("百", "千", "万"):     # 上千条: a thousand or so
            s, approx, changed = s[1:], True, True
        t = s.strip("()[]【】〔〕")
        if t != s:
            s, changed = t, True
    return s, approx


def _to_number(s: str) -> float:
    if not s:
        raise NumberError("empty number")
    s = s.replace(",", "")
    if not s:
        raise NumberError("empty number")
    if _ARABIC.match(s):
        return float(s)
    # 4.14万, 1.2亿, 3千 (digits followed by a multiplier)
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿]+)", s)
    if m:
        v = float(m.group(1))
        for ch in m.group(2):
            v *= _MULT.get(ch, 10)
        return v
    if all(ch in _CN_DIGITS for ch in s):
        return float(_chinese(s))
    raise NumberError(f"not a number: {s!r}")


@lru_cache(maxsize=4096)
def _chinese(s: str) -> int:
    # 千, 百, 万 standing alone (近千, 上百) mean one thousand / hundred / ten thousand
    if s[0] in "十百千万亿":
        s = "一" + s
    # digit-by-digit forms like 二〇二一 are years, not counts; cn2an reads them as digits too
    import cn2an
    try:
        return int(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError) as e:
        raise NumberError(f"not a Chinese numeral: {s!r}") from e


def _as_int_if_whole(v: float):
    return int(v) if float(v).is_integer() else v


def count(raw: str, unit: str | None = None) -> tuple[int | float, bool]:
    """A count: 297, 1,256, １２３, 4.14万 → 41400, 二十三, 300余 / 近千 → approximate."""
    if raw.isascii() and raw.isdigit():     # the common case, plain digits
        return int(raw), False
    s, approx = _strip(raw)
    return _as_int_if_whole(_to_number(s)), approx


def amount(raw: str, unit: str | None = None) -> tuple[int | float, bool]:
    """Money in yuan: 380元 → 380, 1.5万元 → 15000, 0.2万 → 2000."""
    s, approx = _strip(raw)
    for suffix in ("人民币", "元"):
        if s.endswith(suffix):
            s = s[: -len(suffix)]
    v = _to_number(s)
    if unit and unit.replace(" ", "").startswith("万"):
        v *= 10_000
    elif unit and unit.replace(" ", "").startswith("亿"):
        v *= 100_000_000
    return _as_int_if_whole(round(v, 2)), approx


def plan_list(raw: str, unit: str | None = None) -> tuple[list[str], bool]:
    """A 、-separated list of plan names → list of names (quotes and 《》 stripped, trailing 等… cut)."""
    s = unicodedata.normalize("NFKC", raw).strip()
    s = re.sub(r"^(?:了|包括|主要有|有)", "", s)
    s = re.sub(r"》\s*《", "》、《", s)     # 《A规划》《B规划》 lists the titles without a separator
    items = []
    depth = 0
    cur = []
    # split on separators outside brackets, so 文化发展规划(2021-2035) stays whole
    for ch in s:
        if ch in "(（《“":
            depth += 1
        elif ch in ")）》”" and depth:
            depth -= 1
        if depth == 0 and ch in "、,;，；":
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    out = []
    for it in items:
        it = it.strip().strip("《》\"'")
        it = re.sub(r"等(?:[0-9一二三四五六七八九十]+[项个部件])?(?:专项|重点专项|各类|多项)?规划$", "", it)
        it = re.sub(r"等$", "", it).strip().strip("《》")
        # names are written with full-width brackets; NFKC made them half-width
        it = it.replace("(", "（").replace(")", "）")
        if it:
            out.append(it)
    return out, False


NORMALIZERS = {"count": count, "amount": amount, "plan_list": plan_list}


def normalizer(name: str):
    try:
        return NORMALIZERS[name]
    except KeyError:
        raise KeyError(f"unknown normalizer {name!r} (known: {', '.join(sorted(NORMALIZERS))})") from None
