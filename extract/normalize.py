"""Width folding, Traditional → Simplified, pinyin and page-chrome removal, whitespace — with an offset map.

Every pass is a regex substitution that also carries `offsets` (normalised index → index in
`Document.text`), so later stages can report line:col in the user's file.

Facts rule authors rely on (see rules/README.md): full-width ASCII is folded (，；：（）１２３ → ,;:()123),
ideographic space becomes a space, but 。、“” and 〔〕﹝﹞ stay as written; a single space between Chinese
characters and digits (PDF layout: "2023 年") is removed; newlines are kept as line structure.
"""
from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache

import regex

from xxgk.models import Document, NormalizedText, RemovedSpan

# ------------------------------------------------------------------------------------------- the machinery


class _Text:
    """Text plus its map into the original; `sub` rewrites both."""

    def __init__(self, text: str, original: str):
        self.text = text
        self.offs = _identity_map(len(text))
        self.original = original
        self.removed: list[RemovedSpan] = []

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        a = self.offs[start] if start < len(self.offs) else len(self.original)
        b = self.offs[end - 1] + 1 if end > start else a
        return a, b

    def offsets(self) -> list[int]:
        """The map, ending with one past the last original character."""
        self.offs.append(len(self.original))
        return self.offs

    def sub(self, pattern, repl, kind: str | None = None, when=None) -> int:
        """Replace matches of `pattern`; `repl(m)` (or a str) gives the new text. With `kind`, deletions are
        recorded as RemovedSpan (`kind` may be a function of the match). `when(m)` may veto a match.
        Returns the number of replacements."""
        return self.replace(pattern.finditer(self.text), repl, kind, when)

    def replace(self, matches, repl, kind: str | None = None, when=None) -> int:
        """`sub` for matches found otherwise (in order, not overlapping, on the current text)."""
        if isinstance(repl, str) and len(repl) <= 1 and kind is None and when is None:
            return self._cut(matches, repl)
        text, offs = self.text, self.offs
        out: list[str] = []
        new_offs: list[int] = []
        pos = n = 0
        for m in matches:
            if when is not None and not when(m):
                continue
            s, e = m.span()
            if s == e:
                continue
            rep = repl(m) if callable(repl) else repl
            if rep == m.group(0):
                continue
            out.append(text[pos:s])
            new_offs.extend(offs[pos:s])
            if len(rep) == e - s:
                new_offs.extend(offs[s:e])
            else:
                new_offs.extend([offs[s]] * len(rep))
            out.append(rep)
            if kind and not rep:
                a, b = self.orig_span(s, e)
                shown = m.group(0).strip()
                if shown:
                    k = kind(m) if callable(kind) else kind
                    self.removed.append(RemovedSpan(start=a, end=b, text=self.original[a:b].strip(), kind=k))
            pos = e
            n += 1
        if n:
            out.append(text[pos:])
            new_offs.extend(offs[pos:])
            self.text = "".join(out)
            self.offs = new_offs
        return n

    def _cut(self, matches, rep: str) -> int:
        text = self.text
        spans = [(s, e) for s, e in map(_span, matches) if e > s and (e - s != len(rep) or text[s:e] != rep)]
        if spans:
            self.splice(spans, [rep] * len(spans))
        return len(spans)

    def splice(self, spans: list[tuple[int, int]], reps: list[str]) -> None:
        """Replace each span (ascending, apart) by its rep of at most one character, with less work per span than
        `replace`: a new character maps to the first one it replaces, so the map keeps offs[kept_from:start + len(rep)]."""
        text, offs = self.text, self.offs
        out: list[str] = []
        new_offs: list[int] = []
        kept_from = 0
        for (start, end), rep in zip(spans, reps):
            out += text[kept_from:start], rep
            new_offs += offs[kept_from:start + len(rep)]
            kept_from = end
        out.append(text[kept_from:])
        new_offs += offs[kept_from:]
        self.text = "".join(out)
        self.offs = new_offs


_span = operator.methodcaller("span")


@lru_cache(maxsize=1)
def _indices() -> list[int]:
    return list(range(1 << 16))


def _identity_map(n: int) -> list[int]:
    """[0, 1, … n-1], copied from ints made once: making a new int per character of every report costs ~5x more."""
    table = _indices()
    offs = table[:n]
    if n > len(table):
        offs += range(len(table), n)
    return offs


# ------------------------------------------------------------------------------------------- width folding

def _fold_table() -> dict[str, str]:
    t: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII → ASCII
        t[cp] = chr(cp - 0xFEE0)
    for cp in range(0xFE50, 0xFE6C):  # small form variants (﹐﹔﹕﹙﹚) → their NFKC form, 1 char
        ch = chr(cp)
        if cp in (0xFE5D, 0xFE5E):     # ﹝﹞ around document numbers: keep
            continue
        n = unicodedata.normalize("NFKC", ch)
        if len(n) == 1 and n != ch:
            t[cp] = n
    t.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ",
              0x2236: ":", 0xFF5F: "(", 0xFF60: ")"})
    return {chr(cp): ch for cp, ch in t.items()}


_FOLD = _fold_table()
_NUMERALS = r"\u3220-\u3243\u2474-\u249b"
_PAREN_IDEOGRAPH = regex.compile(rf"[{_NUMERALS}]")  # ㈠ → (一), ⑴ → (1), ⒈ → 1.
# One scan finds each foldable character present, and whether any parenthesised numeral is.
_FOLD_SCAN = re.compile(f"[{re.escape(''.join(_FOLD))}{_NUMERALS}]")
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"
_ZERO_WIDTH = regex.compile(rf"[{_ZERO_WIDTH_CHARS}]+")
_NEWLINE_CHARS = "\r\u2028\u2029\x0b\x0c\x85"  # one of them is in every match of _NEWLINES
_NEWLINES = regex.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def _fold_width(t: _Text) -> bool:
    """Fold widths 1:1 (offsets unchanged) by replacing each foldable character present: str.translate with a
    dict costs ~40 ns a character on CJK text. Returns whether a parenthesised numeral was seen."""
    text, pos, numerals = t.text, 0, False
    while m := _FOLD_SCAN.search(text, pos):
        ch = m.group()
        if ch in _FOLD:
            text = text.replace(ch, _FOLD[ch])  # no folded character is foldable itself
        else:
            numerals = True
        pos = m.end()
    t.text = text
    return numerals


def _holds_any(text: str, chars) -> bool:
    return any(c in text for c in chars)

# ------------------------------------------------------------------------------------------- pinyin, Traditional

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = regex.compile(rf"(?<=\p{{Han}})\(([a-zü{_TONED}]{{1,6}})\)")
_HAN_RUN = regex.compile(r"\p{Han}+")


@lru_cache(maxsize=1)
def _opencc():
    from opencc import OpenCC
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters that OpenCC's t2s table changes, read once from its character dictionary."""
    from importlib.resources import files
    path = files("opencc") / "dictionary" / "TSCharacters.txt"
    out = set()
    for line in path.read_text("utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        if len(trad) == 1 and simp and simp.split()[0] != trad:
            out.add(trad)
    return frozenset(out)


@lru_cache(maxsize=1)
def _traditional_scan() -> re.Pattern:
    """Finds a character the t2s table changes, or any beyond the BMP (rare, and `re` is slow with a class of many
    of them)."""
    bmp = "".join(sorted(c for c in _traditional_chars() if c <= "\uffff"))
    return re.compile(f"[{re.escape(bmp)}\U00010000-\U0010ffff]")


def _is_traditional(text: str) -> bool:
    # Counting characters against the t2s table is ~100x cheaper than converting the text to compare; a text
    # without any of them (most) is not even counted.
    if not _traditional_scan().search(text, 0, 20000):
        return False
    sample = "".join(_HAN_RUN.findall(text[:20000]))
    if len(sample) < 8:
        return False
    trad = _traditional_chars()
    changed = sum(map(trad.__contains__, sample))
    return changed >= 2 and changed / len(sample) > 0.03


# ------------------------------------------------------------------------------------------- page chrome

_SEP = r"[:：]"
# Page metadata keys (after folding; letter-spaced forms such as 索 引 号 are allowed).
_META_KEYS = ["发布时间", "发布日期", "成文日期", "印发日期", "信息来源", "文章来源", "来源", "索引号", "发布机构",
              "发文机关", "生效日期", "废止日期", "失效日期", "文号", "发文字号", "所属主题", "主题分类", "体裁分类",
              "组配分类", "信息分类", "文件分类", "所属机构", "公开方式", "公开范围", "公开时限", "有效性",
              "浏览次数", "点击数", "访问次数", "阅读次数", "浏览量", "责任编辑", "审核人", "作者", "编辑", "时间",
              "日期", "标题", "名称", "栏目", "原文链接", "本地目录", "关键词", "主题词", "字体", "字号",
              "字体大小", "分享到", "信息类别", "统一编号", "发布单位", "信息索引号", "公开日期", "更新时间",
              "生成日期", "发文日期", "公开形式", "公开类别", "公开属性", "信息名称", "内容概述", "责任部门",
              "公开责任部门", "发布机关", "服务对象", "文件编号", "效力状态", "效力状况", "时效性", "信息时效期",
              "所属类别", "主题分类", "登记号", "阅读量", "访问量", "点击量", "点击率"]
_KEY = "(?:" + "|".join(r"[ \t]?".join(map(regex.escape, k)) for k in sorted(_META_KEYS, key=len, reverse=True)) + ")"
# first characters of the keys: a line start that holds none of them cannot open a key/value line (a cheap test
# before the 80-key alternation)
_KEY_FIRST = "".join(sorted({regex.escape(k[0]) for k in _META_KEYS}))
_DATE = r"\d{4}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_VALUE = rf"(?:{_DATE}|https?://[^\s|]+|[^\s|:,;。]{{1,60}}(?:[ \t](?!{_KEY}[ \t]?(?:{_SEP}|\|))[^\s|:,;。]{{1,60}})*)"
_BULLET = r"[ \t•·●▪◆■\-*|]*"
_KV = rf"【?{_KEY}[ \t]?(?:{_SEP}|\|)[ \t|]*(?:{_VALUE})?】?[ \t|]*"
_LINE_END = r"[ \t|]*(?:\n|\Z)"

_TOKEN = (r"[【\[]?[ \t]*(?:字[体号](?:大小)?[ \t]*[:：]?[ \t]*[【\[(]?[ \t]*(?:大[ \t]*中[ \t]*小|小[ \t]*中[ \t]*大|[+\-Aa ]*)"
          r"[ \t]*[】\])]?|大[ \t]+中[ \t]+小|打印(?:本页|此页|页面|文章|正文)?|关闭(?:窗口|本页|页面)?|返回(?:顶部|列表|首页)|"
          r"保存(?:本页)?|收藏(?:本页)?|加入收藏|设为首页|无障碍(?:阅读|浏览)?|长者版|手机版|适老化|全文检索|站群导航|附件下载|"
          r"相关附件|相关链接|相关文章|相关文件|文件下载|全真版|文字版|简体版|繁体版|English|微信|微博|QQ空间|朋友圈|QQ好友|"
          r"新浪微博|腾讯微博|QQ|上一篇[^\n]{0,60}|下一篇[^\n]{0,60})[ \t]*[】\]]?")
_FOOTER_WORDS = ["网站标识码", "公网安备", "ICP备", "ICP证", "版权所有", "主办单位", "承办单位", "技术支持", "网站地图",
                 "Copyright", "©"]


def _at_trigger(words: list[str], triggers: str) -> dict[str, str]:
    """Per trigger character, a `re` pattern that matches at it where it stands inside one of `words` (what
    precedes it in the word is a lookbehind)."""
    return {t: "|".join((f"(?<={re.escape(w[:k])})" if k else "") + re.escape(w[k:])
                        for w in words for k, c in enumerate(w) if c == t) for t in triggers}


# Each pattern comes with characters of which every match holds one — on its first line, for the line patterns —
# so that one scan for all of them finds the only places worth trying it (most lines, and most pages, have none),
# and, for some, what every match also holds at one of them (per character, a `re` pattern matched there: a cheap
# test that rules out most of the places before the pattern itself is tried).
# Key/value lines are found by their head instead (_KV_HEAD): any key character is common in prose.
_CHROME_LINES: list[tuple[str, str, str, dict[str, str]]] = [
    # a line made only of widget words: 【字体: 大 中 小】 打印本页 关闭窗口 微信 微博 …
    ("widgets", rf"{_BULLET}{_TOKEN}(?:[ \t|]+{_TOKEN})*{_LINE_END}", "字小打闭返存藏页碍版老索航载相E微朋Q篇", {}),
    # a key alone on its line with its value on the next one (发布时间:\n2023-01-18 10:36)
    ("metadata", rf"{_BULLET}(?:(?:发布|公开|更新)?(?:时间|日期)[ \t]?{_SEP}[ \t]*\n\n?[ \t]*{_DATE}|"
                 rf"(?:信息来源|文章来源|来源|发布机构|发布单位|作者|责任编辑)[ \t]?{_SEP}[ \t]*\n\n?[ \t]*"
                 rf"(?![一二三四五六七八九十]+[、.]|\(|第)[^\n。,;:]{{1,30}}){_LINE_END}", ":：",
     dict.fromkeys(":：", r"[:：][ \t]*\n")),
    # one or more 发布时间:/来源:/索引号:… pairs and nothing else on the line
    ("metadata", rf"(?={_BULLET}【?[{_KEY_FIRST}])(?=[^\n]{{0,240}}(?:\n|\Z)){_BULLET}(?:{_KV})+(?:{_TOKEN}[ \t|]*)*"
                 rf"{_LINE_END}", "", {}),
    ("breadcrumb", rf"{_BULLET}(?:当前位置|您的位置|你的位置|您现在的位置|您当前的位置|所在位置)[ \t]?{_SEP}?[^\n。]{{0,80}}"
                   rf"{_LINE_END}", "置", {}),
    ("breadcrumb", rf"{_BULLET}首页[ \t]*(?:[>›»/]|&gt;)[^\n。]{{0,120}}{_LINE_END}", "首", {}),
    ("share", rf"{_BULLET}(?:分享到|分享至)[ \t]*{_SEP}?[^\n]{{0,40}}{_LINE_END}", "享", {}),
    ("share", rf"{_BULLET}(?:用?微信[ \t]*扫(?:一扫|描)[^\n]{{0,30}}|扫一扫[^\n]{{0,30}}|[^\n]{{0,10}}手机(?:扫描|上?查看|打开)"
              rf"[^\n]{{0,20}}){_LINE_END}", "扫手", {}),
    ("footer", rf"{_BULLET}[^\n。]{{0,60}}(?:{'|'.join(_FOOTER_WORDS)})[^\n。]{{0,120}}{_LINE_END}", "识备I版单技图C©",
     _at_trigger(_FOOTER_WORDS, "识备I版单技图C©")),
    ("page-number", r"[ \t]*(?:[-—–][ \t]*\d{1,3}[ \t]*[-—–]|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}"
                    r"[ \t]*页)?|\d{1,3}[ \t]*/[ \t]*\d{1,3})[ \t]*(?:\n|\Z)", "-—–页/", {}),
    ("separator", r"[ \t]*[=*_~-]{5,}[ \t]*(?:正文|内容)?[ \t]*[=*_~-]*[ \t]*(?:\n|\Z)", "=*_~-", {}),
]
# One regex per kind: a single alternation of all of them is about four times slower in `regex`.
_CHROME_LINE_RES = [(k, regex.compile(f"^{p}", regex.M)) for k, p, _, _ in _CHROME_LINES]
_KV_LINE = 2
# What a key/value line starts with: bullets, 【, then a key's first three characters, or two and the separator
# (found after each newline; the scan runs in `re`, which skips ahead to a literal several times faster).
_KV_HEAD = re.compile("\n(?={}【?[{}][ \t]?[{}][ \t]?[{}])".format(
    _BULLET, *("".join(sorted({re.escape(k[i]) if i < len(k) else ":：|" for k in _META_KEYS})) for i in (0, 1, 2))))

# Chrome inside a long line (pages flattened onto one line). Each pattern comes with its trigger characters and
# what a match holds at one, as above, and how far before one of them a match may start (nearest, farthest).
_INLINE_TOKENS = (r"(?:微信|微博|QQ空间|QQ|朋友圈|全真版|文字版|文件下载|相关链接\s?{sep}?|-->|<!--|打印(?:本页)?|"
                  r"关闭(?:窗口)?|分享到\s?{sep}?|【?字[体号]\s?{sep}?\s?大\s?中\s?小】?|大\s中\s小)").format(sep=_SEP)
_INLINE_KEYS = ["来源", "信息来源", "发布时间", "发布日期", "时间", "浏览次数", "点击数", "索引号", "文号"]
_AFTER_SPACE = r"(?<=^|\s)"  # a start that the pattern's first test rules out unless a blank (or a line start) precedes
_CHROME_INLINE: list[tuple[str, str, str, tuple[int, int], dict[str, str]]] = [
    ("breadcrumb", rf"(?:当前位置|您的位置|您现在的位置|所在位置)\s?{_SEP}\s?首页[^\s]{{0,80}}", "置", (3, 5),
     {"置": rf"置\s?{_SEP}\s?首页"}),
    ("metadata", rf"{_AFTER_SPACE}(?:{'|'.join(_INLINE_KEYS)}){_SEP}\s?(?:{_DATE}|[^\s]{{0,30}})(?=\s|$)", ":：", (2, 4),
     dict.fromkeys(":：", rf"(?<={'|'.join(sorted({k[-2:] for k in _INLINE_KEYS}))}){_SEP}")),
    ("share", rf"{_AFTER_SPACE}{_INLINE_TOKENS}(?:\s+{_INLINE_TOKENS})+(?=\s|$)", "微Q朋版载链><打闭享字小", (0, 4), {}),
    ("footer", r"(?:[\p{Han}]{1,4}公网安备\s?\d{6,}号|[\p{Han}]ICP备\d{6,}号(?:-\d+)?|网站标识码\s?[:：]?\s?[0-9A-Za-z]{6,})",
     "备识", (3, 7), _at_trigger(["公网安备", "ICP备", "网站标识码"], "备识")),
]
_CHROME_INLINE_RES = [(k, regex.compile(p, regex.M), reach, p.startswith(_AFTER_SPACE))
                      for k, p, _, reach, _ in _CHROME_INLINE]

_TRIGGERED: dict[str, list[int]] = {}  # trigger character → the patterns it may start (line ones, then inline ones)
_TRIGGER_TESTS: list[dict[str, re.Pattern]] = []  # per pattern, trigger character → its test
for _i, (_chars, _test) in enumerate([(c, t) for _, _, c, t in _CHROME_LINES] +
                                     [(c, t) for _, _, c, _, t in _CHROME_INLINE]):
    for _c in _chars:
        _TRIGGERED.setdefault(_c, []).append(_i)
    _TRIGGER_TESTS.append({c: re.compile(test) for c, test in _test.items()})
_CHROME_TRIGGER = re.compile("[{}]".format(re.escape("".join(sorted(_TRIGGERED)))))

# ------------------------------------------------------------------------------------------- whitespace

_C = r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’《》〈〉「」『』【】〔〕、。,;:()!?…—%]"
_SINGLE_SPACE = regex.compile(rf"(?<={_C})[ \t](?=[{_C[1:-1]}0-9])|(?<=[0-9])[ \t](?={_C})")
# Runs of blanks, blanks at a line's start or end, and single blanks that may sit between Chinese characters or
# digits, found in one scan; _NEAR holds _C and 0-9 (all non-ASCII characters among them). A text without tabs is
# scanned for spaces alone: `re` skips ahead to one literal several times faster than to a class.
_NEAR = r"[!%(),0-9:;?\x80-\U0010ffff]"
_BLANK_SCAN, _SPACE_SCAN = (re.compile(rf"{b}(?:{b}+|(?=\n|\Z)|(?<![^\n]{b})|(?<={_NEAR}{b})(?={_NEAR}))")
                            for b in ("[ \t]", " "))
_LEAD_BULLET = regex.compile(r"^[•·●▪◆■][ \t]*", regex.M)
_BLANKS = regex.compile(r"\n{3,}")

# A line that starts a heading or an enumerated item: never glued to the line before.
_HEADING_START = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十\d]{1,3}\s*\)|"
                               r"第[一二三四五六七八九十百\d]+[章节条部分]|\d{1,2}\s*[、.](?!\d)|[0-9]{1,2}\))")


def _squeeze_blanks(t: _Text) -> None:
    """Blanks at a line's start or end → "", then _SINGLE_SPACE → "", then each run of blanks → " ", as one edit:
    each of them takes whole runs of blanks, and leaves the other runs, and the characters beside them, as they were."""
    text = t.text
    last = len(text)
    spans: list[tuple[int, int]] = []
    reps: list[str] = []
    for s, e in map(_span, (_BLANK_SCAN if "\t" in text else _SPACE_SCAN).finditer(text)):
        if s == 0 or e == last or text[s - 1] == "\n" or text[e] == "\n":
            reps.append("")
        elif e - s > 1:
            reps.append(" ")
        elif _SINGLE_SPACE.match(text, s):
            reps.append("")
        else:
            continue
        spans.append((s, e))
    if spans:
        t.splice(spans, reps)


def _width(s: str) -> int:
    return sum(1 if c.isascii() and (c.isalnum() or c == " ") else 2 for c in s)


def _remove_running_headers(t: _Text) -> int:
    """PDF pages repeat a header or footer line (the report's name, the agency): drop a short line seen on three
    or more pages. Table rows and section headings are never taken for one."""
    from collections import Counter
    lines = [ln for ln in t.text.split("\n") if ln and not ln.endswith(" |") and len(ln) <= 40]
    counts = Counter(lines)
    # at least 7 characters: short table labels (总计, 其他, 结果维持) repeat too
    repeated = {ln for ln, c in counts.items() if c >= 3 and len(ln) >= 7 and not _HEADING_START.match(ln)
                and not regex.fullmatch(r"[\d\s.,%()-]+", ln)}
    if not repeated:
        return 0
    rx = regex.compile(r"^(?:" + "|".join(regex.escape(ln) for ln in sorted(repeated, key=len, reverse=True))
                       + r")\n", regex.M)
    return t.sub(rx, "", kind="running-header")


def _join_wrapped_lines(t: _Text) -> int:
    """PDF text wraps inside sentences: remove the newline after a line that fills the text width."""
    lines = t.text.split("\n")
    prose = [_width(ln) for ln in lines if ln and not ln.endswith(" |")]
    if len(prose) < 5:
        return 0
    full = sorted(prose)[int(len(prose) * 0.9)]
    if full < 30:
        return 0
    joins: set[int] = set()
    pos = 0
    for i, ln in enumerate(lines[:-1]):
        pos += len(ln)
        nxt = lines[i + 1]
        if (ln and nxt and not ln.endswith(" |") and not nxt.endswith(" |")
                and _width(ln) >= full - 6 and ln[-1] not in "。!?;:" and not _HEADING_START.match(nxt)):
            joins.add(pos)
        pos += 1
    if not joins:
        return 0
    return t.sub(regex.compile(r"\n"), "", when=lambda m: m.start() in joins)


# ------------------------------------------------------------------------------------------- normalise

def normalize(doc: Document) -> NormalizedText:
    t = _Text(doc.text, doc.text)
    flags: list[str] = []
    # Each pass runs only if the text holds what every one of its matches holds (a cheap `in`).
    if _holds_any(t.text, _NEWLINE_CHARS):
        t.sub(_NEWLINES, "\n")
    if _holds_any(t.text, _ZERO_WIDTH_CHARS):
        t.sub(_ZERO_WIDTH, "")
    # pinyin readings inserted after characters on spam mirrors: 機(jī)關(guān) → 機關
    toned = sum(1 for m in _PINYIN.finditer(t.text) if any(c in _TONED for c in m.group(1)))
    if toned >= 2:
        if t.sub(_PINYIN, "", kind="pinyin"):
            flags.append("pinyin-garbled")
    if _is_traditional(t.text):
        flags.append("traditional")
        _to_simplified(t)
    if _fold_width(t):
        t.sub(_PAREN_IDEOGRAPH, lambda m: unicodedata.normalize("NFKC", m.group(0)))
    if _holds_any(t.text, "•·●▪◆■"):
        t.sub(_LEAD_BULLET, "")
    n = _remove_chrome(t)
    if n:
        flags.append("chrome-removed")
    _squeeze_blanks(t)
    if doc.format == "pdf":
        if _remove_running_headers(t) and "chrome-removed" not in flags:
            flags.append("chrome-removed")
        if _join_wrapped_lines(t):
            flags.append("pdf-lines-joined")
    if "\n\n\n" in t.text:
        t.sub(_BLANKS, "\n\n")
    return NormalizedText(text=t.text, offsets=t.offsets(), original=doc.text, removed=t.removed, flags=flags)


def _to_simplified(t: _Text) -> None:
    cc = _opencc()
    line = regex.compile(r"[^\n]+")

    def conv(m):
        s = m.group(0)
        out = cc.convert(s)
        if len(out) != len(s):  # a phrase changed length: fall back to character by character
            out = "".join(cc.convert(ch) if len(cc.convert(ch)) == 1 else ch for ch in s)
        return out
    t.sub(line, conv)


def _remove_chrome(t: _Text) -> int:
    """The chrome patterns in turn, each tried only at its candidates. Triggers are looked for once: removing
    chrome only deletes characters (whole lines, for the line patterns), so the triggers, moved past each removal,
    still cover every place where a later pattern can match. A trigger's test is made when its pattern's turn
    comes, on the text as it is then."""
    marks = _chrome_triggers(t.text)
    n = 0
    for i, (kind, rx) in enumerate(_CHROME_LINE_RES):
        text = t.text
        found = _matches_at(rx, text, [text.rfind("\n", 0, q) + 1 for q in _passing(i, marks[i], text)])
        if found:
            n += t.replace(found, "", kind=kind)
            _after_removal(marks[i + 1:], found)
    for i, (kind, rx, (near, far), after_space) in enumerate(_CHROME_INLINE_RES, len(_CHROME_LINES)):
        text = t.text
        starts = sorted({p for q in _passing(i, marks[i], text) for p in range(max(q - far, 0), q - near + 1)
                         if not after_space or p == 0 or text[p - 1].isspace()})  # str's blanks hold regex's \s
        found = _matches_at(rx, text, starts)
        if found:
            n += t.replace(found, "", kind=kind)
            _after_removal(marks[i + 1:], found)
    t.removed.sort(key=lambda r: r.start)
    return n


def _chrome_triggers(text: str) -> list[list[int]]:
    """Per chrome pattern (line patterns, then inline ones), where its triggers are; the key/value lines' heads
    stand for their line's triggers. All ascending."""
    marks: list[list[int]] = [[] for _ in _TRIGGER_TESTS]
    for m in _CHROME_TRIGGER.finditer(text):
        at = m.start()
        for i in _TRIGGERED[m.group()]:
            marks[i].append(at)
    marks[_KV_LINE] = [0, *(m.end() for m in _KV_HEAD.finditer(text))]
    return marks


def _passing(i: int, marks: list[int], text: str) -> list[int]:
    """The triggers of pattern i that pass their test."""
    tests = _TRIGGER_TESTS[i]
    if not tests:
        return marks
    return [q for q in marks if (test := tests.get(text[q])) is None or test.match(text, q)]


def _matches_at(rx, text: str, starts: list[int]) -> list:
    """What rx.finditer(text) finds, given that no match starts outside `starts` (ascending, maybe repeated)."""
    found = []
    end = 0
    for s in starts:
        if s >= end:
            m = rx.match(text, s)
            if m:
                found.append(m)
            end = m.end() if m else s + 1
    return found


def _after_removal(positions: list[list[int]], removed: list) -> None:
    """Move ascending positions (in place) past the removal of the matched spans; those inside one go."""
    spans = [m.span() for m in removed]
    for ps in positions:
        kept = []
        i = shift = 0
        for p in ps:
            while i < len(spans) and spans[i][1] <= p:
                shift += spans[i][1] - spans[i][0]
                i += 1
            if i == len(spans) or p < spans[i][0]:
                kept.append(p - shift)
        ps[:] = kept
