"""Agency, report year, publication date, statistics period.

Sources, most trusted first:
- agency and year: the report's title (page <title>/标题:/名称: metadata, a title line near the top, a title
  named in the opening sentence: "现公布XX2023年度政府信息公开工作年度报告"), then who compiled the report
  ("本报告由XX编制"), then the subject of section 一's first sentence ("2023年,XX认真贯彻…"), then contact lines;
- year, when no title gives it: the statistics period (统计期限为2022年1月1日至2022年12月31日, also damaged
  forms such as 202211日起到20221231日);
- published: page metadata (发布时间/发布日期, never 生效日期 or 成文日期), else the date line closing the report.

The agency is reported as the source writes it (Traditional on Traditional pages, without inserted pinyin).
"""
from __future__ import annotations

import re
from datetime import date
from functools import cached_property, lru_cache

import regex

from xxgk.extract.normalize import _fold_table, _opencc
from xxgk.models import Document, NormalizedText, Report, SectionMap

# the year in digits, or in Chinese numerals (二〇二三年)
_YEAR = r"(?P<year>(?:19|20)\d{2}|[一二][〇零○O][一二三四五六七八九〇零○O]{2})\s?年度?"
_CN_DIGITS = str.maketrans("〇零○O一二三四五六七八九", "0000123456789")
# a title wrapped onto two lines ("…政府信息公开工作\n年度报告") is still one title
_REPORT = r"(?:政府)?(?:信息公开|政务公开)(?:工作)?\n?(?:年度)?\n?(?:报告|年报)|公开年度报告"
# "<agency><year>年度政府信息公开工作年度报告" or "<year>年<agency>政府信息公开工作年度报告"
_TITLE = regex.compile(rf"(?P<before>[^\n。;!?]{{0,60}}?){_YEAR}(?P<after>[^\n。;!?\d]{{0,30}}?)(?:{_REPORT})")
# "<agency>政府信息公开工作2023年度报告"
_TITLE_YEAR_LATE = regex.compile(r"(?P<before>[^\n。;!?]{0,60}?)(?:政府)?信息公开(?:工作)?(?P<year>(?:19|20)\d{2})\s?年度?"
                                 r"(?P<after>)(?:工作)?(?:年度)?(?:报告|年报)")
# what every _TITLE_YEAR_LATE match holds: a text without it has none (a rare title form, a costly scan)
_YEAR_LATE = regex.compile(r"信息公开(?:工作)?(?:19|20)\d{2}")
_NOT_TITLE_AFTER = regex.compile(r"^[^\n]{0,3}(?:有关|的通知|通知|编制和|编制工作|编制与|发布工作|工作的|格式)")
# words before the agency inside a sentence: cut the candidate after the last of them
_LEAD = regex.compile(r"^.*(?:现公布|现予公布|予以公布|向社会公布|公布|现公开|公开|特编制|编制了|编制完成|编制|制作|发布|印发|"
                      r"现将|特将|形成|完成|关于|根据|按照|依据|为|由|是|对|将|把|了|[,、:《》<>“”\"'|_\-—])")
_TRAILING = regex.compile(r"(?:关于|的|之)\s*$")
_PAGE_WORDS = regex.compile(r"政府信息公开|政务公开|信息公开|门户网站|网站|首页|年报|通知|报告|专栏|目录|栏目")
_BAD_AGENCY = regex.compile(r"^(?:我|本|全|该|各|贵|上级|下级|年度|其他)|报告|条例|通知|年报|工作|规定|办法|意见|网站|门户|"
                            r"\d|政府信息|信息公开|政务公开|要求")
_AGENCY_SUFFIX = regex.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|管委会|管理委员会|局|厅|部|署|委|办|院|中心|街道办事处|"
                               r"街道|办事处|镇|乡|苏木|分局|公司|所|站|队|会|处|区|县|市|州|盟|旗|馆|台|社|团|校|园|场|组|室|"
                               r"集团|银行|医院|大学|学院)$")
_COMPILED_BY = regex.compile(r"由(?!于)(?P<agency>[^\n。,;:《》()]{2,30}?)(?:根据|按照|依据|依照|结合|综合|负责|组织|编制|制作|会同)")
_SUBJECT = regex.compile(r"(?:^|[。\n]|(?<=总体情况|概述))[ \t]*(?:\d{4}年度?(?:以来|内|里)?|今年以来|本年度|全年),(?P<agency>[^\n,。;:《》()]{2,25}?)"
                         r"(?:坚持|认真|深入|全面|以|按照|在|紧紧|严格|进一步|高度|持续|积极|始终|紧扣|围绕|根据|贯彻|落实|扎实|"
                         r"不断|立足|聚焦|继续|着力|大力|依法|切实|紧密|紧跟|主动|通过|结合|对照|重视|牢固|加强|强化|推进|"
                         r"共|累计|全力|有序|稳步|精心|不折不扣)")
_WORK_OF = regex.compile(r"结合(?:\d{4}年度?)?(?P<agency>[^\n。,;:《》()]{2,30}?)(?:政府信息公开|政务公开|信息公开)?工作"
                         r"(?:实际|情况|编制)")
_CONTACT = regex.compile(r"(?:请与|请联系|联系单位[:为]?)(?P<agency>[^\n。,;:《》()]{2,30}?)(?:联系|\(|,|。|;|$)")

_DATE = (r"(?P<y>(?:19|20)\d{2})\s?(?:[-/.]|年)\s?(?P<m>\d{1,2})\s?(?:[-/.]|月)\s?(?P<d>\d{1,2})日?"
         r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_RX = regex.compile(_DATE)
_PUBLISHED = regex.compile(rf"(?:(?<![生成印失废])(?:发布|公开|发表|上传|更新)(?:时间|日期)|(?:^|(?<=[\s|•·\-]))(?:时间|日期))"
                           rf"[ \t]*(?:[:：]|\|)[ \t|]*(?:\n[ \t]*){{0,2}}{_DATE}", regex.M)
_BARE_DATE_LINE = regex.compile(r"^[ \t]*(?P<y>(?:19|20)\d{2})\s?[-/.年]\s?(?P<m>\d{1,2})\s?[-/.月]\s?(?P<d>\d{1,2})日?"
                             r"(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?[ \t]*$", regex.M)
_GENERATED = regex.compile(rf"生成日期[ \t]*(?:[:：]|\|)[ \t|]*{_DATE}")
_META_WORDS = "来源|浏览|点击|访问|字体|字号|作者|编辑|阅读"
_META_LINE_WORDS = regex.compile(rf"(?:{_META_WORDS})[ \t]*(?:[:：]|次|量)")
_TITLE_LINE = regex.compile(r"(?:标[ \t]?题|名[ \t]?称)[ \t]*(?:[:：]|\|)[ \t|]*(?P<t>[^\n|]{4,80})")
# the Chinese words the page-metadata lookups above start at
_PUBLISHED_KEYS = ("时间", "日期")
_GENERATED_KEYS = ("生成日期",)
_META_WORD_KEYS = re.compile(_META_WORDS)
_TITLE_LINE_KEYS = ("题", "称")
_CLOSING_DATE = regex.compile(r"^[ \t]*(?P<y>(?:19|20)\d{2})\s?年\s?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?日[ \t]*$",
                              regex.M)
_PERIOD = regex.compile(
    r"(?:统计|数据|期限|时限|时间|区间|周期)[^。\n]{0,16}?(?P<y1>(?:19|20)\d{2})\s?年\s?(?P<m1>\d{1,2})\s?月\s?(?P<d1>\d{1,2})\s?日"
    r"[^。\n\d]{0,4}?(?:至|到|—|-|~)\s?(?:(?P<y2>(?:19|20)\d{2})\s?年)?\s?(?P<m2>\d{1,2})\s?月\s?(?P<d2>\d{1,2})\s?日")
# the same with 年/月 lost: 202211日起到20221231日, 202511日至20251231日
_PERIOD_DAMAGED = regex.compile(
    r"(?P<y1>(?:19|20)\d{2})(?P<md1>\d{2,4})日[^。\n\d]{0,4}?(?:至|到|—|-|~)\s?(?P<y2>(?:19|20)\d{2})(?P<md2>\d{2,4})日")
_YEAR_OPENING = regex.compile(r"(?:(?<=^)|(?<=[。\n])|(?<=总体情况|概述))[ \t]*(?P<y>(?:19|20)\d{2})\s?年度?(?:以来)?,", regex.M)
_AS_OF = regex.compile(r"(?:核定|截至|截止)[^。\n]{0,10}?(?P<y>(?:19|20)\d{2})\s?年\s?12\s?月\s?31\s?日")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = regex.compile(rf"\([a-zü{_TONED}]{{1,6}}\)")
_END_ASIDE = regex.compile(r"\([^()]*\)$")
_HAN_END_ASIDE = regex.compile(r"\p{Han}{2,}\([^()]*\)$")
_SPACES = regex.compile(r"\s+")
_HAN = regex.compile(r"\p{Han}")
_NON_BLANK_LINE = regex.compile(r"[^\n]*\S[^\n]*")
_SENTENCE_MARK = regex.compile(r"[。,;:\d]")
# a government (or a bare place name, which stands for its government: 云溪综合实验区, 青禾县)
_GOVERNMENT = regex.compile(r"(?:人民政府|(?<![办])政府|管委会|管理委员会|(?<![局委办厅处室所队站])(?:省|自治区|市|区|县|州|盟|旗))$")


def _safe_date(y, m, d) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _split_md(s: str) -> tuple[int, int] | None:
    """Month and day digits run together: 11 → 1-1, 1231 → 12-31, 131 → 1-31 (or 13-1, invalid)."""
    options = {2: [(1, 1)], 3: [(1, 2), (2, 1)], 4: [(2, 2)]}.get(len(s), [])
    for a, b in options:
        m, d = int(s[:a]), int(s[a:a + b])
        if 1 <= m <= 12 and 1 <= d <= 31:
            return m, d
    return None


_CRLF = regex.compile(r"\r\n?")


@lru_cache(maxsize=1)
def _foldable() -> tuple[re.Pattern, dict[str, str]]:
    """The characters normalize's fold table folds, as one character class, and their folds. A page holds a
    few dozen of them: replacing those is cheaper than translating every character."""
    fold = _fold_table()
    return re.compile("[" + "".join(map(re.escape, fold)) + "]"), fold


def _fold(text: str) -> str:
    """`text` folded as normalize folds it (each character of _fold_table replaced by its fold)."""
    foldable, fold = _foldable()
    return foldable.sub(lambda m: fold[m.group()], text)


class _Head:
    """The top of the document in three views: normalised text, original, and page-metadata text.

    The page-metadata text (the original folded like the normalised text) is made only as far as a lookup
    needs it: each lookup starts at a Chinese key word, and folding leaves Chinese characters as they are."""

    def __init__(self, doc: Document, norm: NormalizedText):
        self.doc, self.norm = doc, norm
        head = doc.text[:6000]
        self.unfolded = _CRLF.sub("\n", head) if "\r" in head else head
        # pinyin removal and Traditional conversion do change Chinese text: key words are found after them
        self.keyed = not ({"pinyin-garbled", "traditional"} & set(norm.flags))
        self._fold_start, self._fold = len(self.unfolded), ""

    def _folded(self, start: int) -> str:
        """The folded text from `start` on, each character folded once however many lookups ask for it."""
        if start < self._fold_start:
            self._fold = _fold(self.unfolded[start:self._fold_start]) + self._fold
            self._fold_start = start
        return self._fold[start - self._fold_start:]

    @cached_property
    def raw(self) -> str:
        head = self._folded(0)
        return _PINYIN.sub("", head) if "pinyin-garbled" in self.norm.flags else head

    @cached_property
    def meta_text(self) -> str:
        return _opencc().convert(self.raw) if "traditional" in self.norm.flags else self.raw

    def lines_from(self, words: tuple[str, ...] | re.Pattern, end: int | None = None) -> str:
        """meta_text[:end] from the start of the line holding the first of `words` ("" when none occurs): all
        a lookup of a pattern that starts at one of the words, on its line, needs. Many words come as one re
        alternation, which finds the first of them faster than a str.find each."""
        if not self.keyed:
            return self.meta_text[:end]
        head = self.unfolded[:end]
        if isinstance(words, re.Pattern):
            m = words.search(head)
            first = m.start() if m else -1
        else:
            first = min((i for i in map(head.find, words) if i >= 0), default=-1)
        if first < 0:
            return ""
        start = head.rfind("\n", 0, first) + 1
        return self._folded(start)[:None if end is None else end - start]

    def as_written(self, agency: str) -> str:
        return _written_in(self.raw, self.meta_text, agency)


def _written_in(raw: str, converted: str, found: str) -> str:
    """`found` (in the Simplified `converted` text) as `raw` writes it: the same stretch of the raw text."""
    if raw == converted or len(raw) != len(converted):
        return found
    i = converted.find(found)
    return raw[i:i + len(found)] if i >= 0 else found


def _clean_agency(s: str) -> str | None:
    s = _LEAD.sub("", s.strip()) if _LEAD.search(s) else s.strip()
    s = s.strip(" \t-—_|:,、“”\"'《》<>()#*>【】[]")
    if s.count("(") > s.count(")"):  # an unclosed aside: "青禾区人民政府(青禾区政务服务中心" → the part before it
        s = s[:s.rfind("(")]
    s = _END_ASIDE.sub("", s) if _HAN_END_ASIDE.search(s) else s
    s = _SPACES.sub("", s)
    if not (2 <= len(s) <= 30) or _BAD_AGENCY.search(s) or not _HAN.search(s):
        return None
    return s


def _as_written(norm: NormalizedText, start: int, end: int, agency: str) -> str:
    """The agency in the source's own script (Traditional pages keep Traditional), without inserted pinyin.

    `start`/`end` is the stretch the agency was cut from; the agency is its last occurrence there."""
    if not ({"traditional", "pinyin-garbled"} & set(norm.flags)):
        return agency
    i = norm.text.rfind(agency, start, end)
    if i >= 0:
        start, end = i, i + len(agency)
    a, b = norm.original_offset(start), norm.original_offset(max(start, end - 1)) + 1
    raw = _PINYIN.sub("", norm.original[a:b])
    raw = _SPACES.sub("", raw)
    return raw if 2 <= len(raw) <= 40 else agency


_TITLE_REACH = 130  # no title match is longer: before 60 + year 7 + after 30 + report words 15
_OPEN_REACH = 15    # 公开 starts at most this far before the report word (工作 + year 年度 + 工作 + 年度 between)


def _report_words(text: str):
    """Where 报告 or 年报 starts, as the alternation 报告|年报 finds them (leftmost first, none overlapping the
    one before: 年报告 holds 年报 only), found from the 报 they share."""
    pos, i = 0, text.find("报")
    while i >= 0:
        if i > pos and text[i - 1] == "年":
            yield i - 1
            pos = i + 1
        elif text.startswith("告", i + 1):
            yield i
            pos = i + 2
        i = text.find("报", max(pos, i + 1))


def _near_report_words(rx, text: str):
    """`rx.finditer(text)`, scanning only the stretches that end in 报告/年报 (every title match does).

    A title match lies within _TITLE_REACH characters before its report word, so scanning the merged windows
    finds exactly the matches of a full scan, without trying the lazy 60-character prefix at every position."""
    windows: list[list[int]] = []
    for start in _report_words(text):
        if "公开" not in text[max(0, start - _OPEN_REACH):start]:
            continue        # every title ends in …公开[工作][年度]报告 (or …公开…年度报告): not this word
        a, b = max(0, start - _TITLE_REACH), start + 2
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    for a, b in windows:
        yield from rx.finditer(text, a, b)


def _titles(text: str, limit: int):
    """Title-like matches in text[:limit]: (agency or None, year, start, end)."""
    head = text[:limit]
    late = _near_report_words(_TITLE_YEAR_LATE, head) if _YEAR_LATE.search(head) else ()
    matches = sorted([*_near_report_words(_TITLE, head), *late], key=lambda m: m.start("year"))
    for m in matches:
        if _NOT_TITLE_AFTER.search(text[m.end():m.end() + 8]):
            continue
        before, after = _TRAILING.sub("", m.group("before")), m.group("after")
        cand, span = None, None
        if after.strip():
            cand = _clean_agency(after)
            span = m.span("after")
        if cand is None and before.strip():
            cand = _clean_agency(before)
            if cand is None:  # page words run into the title ("…政府信息公开青禾区2023年…"): keep what follows them
                tail = _PAGE_WORDS.split(before)[-1]
                cand = _clean_agency(tail) if tail != before else None
            span = m.span("before")
        yield cand, int(m.group("year").translate(_CN_DIGITS)), m, span


def _neighbour_agency(text: str, m) -> tuple[str, int, int] | None:
    """A title line without agency: the agency stands alone on the nearest non-blank line before or after it."""
    ls = text.rfind("\n", 0, m.start()) + 1
    le = text.find("\n", m.end())
    le = len(text) if le < 0 else le
    spans = []
    before = [x for x in _NON_BLANK_LINE.finditer(text[:max(0, ls - 1)])]
    if before:
        spans.append(before[-1].span())
    after = _NON_BLANK_LINE.search(text, le)
    if after:
        spans.append(after.span())
    for a, b in spans:
        line = text[a:b].strip()
        if 2 <= len(line) <= 30 and _AGENCY_SUFFIX.search(line) and not _SENTENCE_MARK.search(line):
            c = _clean_agency(line)
            if c:
                off = a + text[a:b].find(line)
                return c, off, off + len(line)
    return None


def extract_metadata(doc: Document, norm: NormalizedText, sections: SectionMap) -> Report:
    r = Report()
    text = norm.text
    head = _Head(doc, norm)
    title_year = None

    # 1. titles: page <title>/meta, 标题:/名称: lines, title lines at the top, titles named in the opening
    meta_titles = [doc.meta.get(k) for k in ("title", "page_title", "pdf_title") if doc.meta.get(k)]
    for mt in meta_titles:
        conv = _opencc().convert(mt) if "traditional" in norm.flags else mt
        for cand, year, m, _ in _titles(conv, 300):
            title_year = title_year or year
            if cand and not r.agency:
                r.agency, r.title = _written_in(mt, conv, cand), mt
            break
    for m in _TITLE_LINE.finditer(head.lines_from(_TITLE_LINE_KEYS, 3000)):
        for cand, year, _, _ in _titles(m.group("t"), 200):
            title_year = title_year or year
            if cand and not r.agency:
                r.agency, r.title = head.as_written(cand), m.group("t").strip()
            break
    prose_year = None  # a title named inside a sentence may be another year's report ("与2021年…报告相比")
    for cand, year, m, span in _titles(text, 3000):
        if title_year is None and prose_year is None:
            ls = text.rfind("\n", 0, m.start()) + 1
            if text[ls:m.start()].strip() or "。" in text[m.end():m.end() + 3] or "," in text[m.end():m.end() + 3]:
                prose_year = year
            else:
                title_year = year
            r.evidence["year"] = m.span("year")
        # the title as a title: from the agency (or the year) to 报告, not the sentence around it
        r.title = r.title or ((cand or "") + text[m.start("year"):m.end()]).replace("\n", "")
        if r.agency:
            break
        if cand:
            r.agency = _as_written(norm, span[0], span[1], cand)
            r.evidence["agency"] = span
            break
        nb = _neighbour_agency(text, m)
        if nb:
            r.agency = _as_written(norm, nb[1], nb[2], nb[0])
            r.evidence["agency"] = (nb[1], nb[2])
            break
    # 2. who compiled it, the subject of the first sentence, "结合XX工作实际", contact lines
    if not r.agency:
        for rx in (_COMPILED_BY, _WORK_OF, _SUBJECT, _CONTACT):
            for m in rx.finditer(text[:4000]):
                cand = _clean_agency(m.group("agency"))
                if cand and _AGENCY_SUFFIX.search(cand):
                    r.agency = _as_written(norm, m.start("agency"), m.end("agency"), cand)
                    r.evidence["agency"] = m.span("agency")
                    break
            if r.agency:
                break
    r.is_government = bool(r.agency and _GOVERNMENT.search(r.agency))

    # 3. statistics period and year
    m = _PERIOD.search(text[:6000])
    if m:
        y2 = m.group("y2") or m.group("y1")
        r.period_start = _safe_date(m.group("y1"), m.group("m1"), m.group("d1"))
        r.period_end = _safe_date(y2, m.group("m2"), m.group("d2"))
        r.evidence["period"] = m.span()
    else:
        m = _PERIOD_DAMAGED.search(text[:6000])
        if m:
            a, b = _split_md(m.group("md1")), _split_md(m.group("md2"))
            if a and b:
                r.period_start = _safe_date(m.group("y1"), *a)
                r.period_end = _safe_date(m.group("y2"), *b)
                r.evidence["period"] = m.span()
    r.year = title_year or (r.period_end.year if r.period_end else None) or prose_year
    if r.year is None:
        m = _AS_OF.search(text[:6000])
        if m:
            r.year = int(m.group("y"))
    if r.year is None:
        sec = sections.get("一")
        lo = sec.body_start if sec else 0
        m = _YEAR_OPENING.search(text, lo, lo + 3000)
        if m:
            r.year = int(m.group("y"))

    # 4. publication date
    m = (_PUBLISHED.search(head.lines_from(_PUBLISHED_KEYS))
         or _PUBLISHED.search(doc.meta.get("chrome_text", "")))
    if m is None:  # catalogue pages name it 生成日期
        m = _GENERATED.search(head.lines_from(_GENERATED_KEYS))
    if m is None:  # a date on a page-metadata line without its key: "2024-01-22 来源:青禾区 浏览次数:12"
        block = head.lines_from(_META_WORD_KEYS, 2000)
        for ln in block.splitlines() if _META_LINE_WORDS.search(block) else ():
            if _META_LINE_WORDS.search(ln):
                m = _DATE_RX.search(ln)
                if m:
                    break
    if m:
        r.published = _safe_date(m.group("y"), m.group("m"), m.group("d"))
    if r.published is None and doc.meta.get("published"):
        mm = _DATE_RX.search(doc.meta["published"])
        if mm:
            r.published = _safe_date(mm.group("y"), mm.group("m"), mm.group("d"))
    if r.published is None:  # a date alone on a line between the title and section 一 (a page's byline)
        sec = sections.get("一")
        head_end = sec.start if sec else min(len(text), 600)
        for dm in _BARE_DATE_LINE.finditer(text, 0, head_end):
            d = _safe_date(dm.group("y"), dm.group("m"), dm.group("d"))
            if d and (r.year is None or d.year in (r.year, r.year + 1)):
                r.published = d
                r.evidence["published"] = dm.span()
                break
    if r.published is None:
        tail_start = max(0, len(text) - 600)
        closing = list(_CLOSING_DATE.finditer(text, tail_start))
        if closing:
            c = closing[-1]
            d = _safe_date(c.group("y"), c.group("m"), c.group("d"))
            if d and (r.year is None or d.year in (r.year, r.year + 1)):
                r.published = d
                r.evidence["published"] = c.span()
    return r
