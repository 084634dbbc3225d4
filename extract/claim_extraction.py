"""Runs the compiled rule set over the prose → Claim records (SPEC §3).

Claims come from `regex` rules over characters, sentence by sentence; spaCy is not involved here
(sentences.py maps claims onto a spaCy Doc for `xxgk inspect` and the `xxgk_claims` component).

Prose only: the table bodies of sections 二/三/四 and table-like pipe lines are skipped. A sentence is
split on 。 ; ! ? and on line breaks, except that a line which does not end a sentence is joined
with the next one (PDF text wraps lines inside sentences) unless either looks like a heading or a cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from xxgk.models import Claim, NormalizedText, SectionMap

TABLE_SECTIONS = ("二", "三", "四")
_SENT_END = "。;!?；！？"
_SENTENCE = re.compile(r"[^。;!?；！？]+[。;!?；！？]*")   # literal classes: the standard `re` is faster here
_LINE = regex.compile(r"[^\n]*\n?")
# cheap gate before the rules: a digit, a Chinese numeral, or a word of a zero/boolean statement
_PREFILTER = regex.compile(r"[0-9零〇一二两三四五六七八九十百千万]|未|无|没有|均|全部|不存在|不收取|不涉及|办结|答复|规划")
# a line that begins a new paragraph (heading or enumerator), never the continuation of a wrapped line
_NEW_PARA = regex.compile(r"^\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|[0-9]+(?:、|\.(?![0-9]))|第[一二三四五六七八九十]|[•·●■◆-])")
_WRAP_MIN = 18          # a numbered line shorter than this is a heading, never wrapped prose
_NUMBER_ONLY = regex.compile(r"^\s*[0-9.,%()\s-]*\s*$")   # a table cell on its own line
_NUMBERS_ROW = regex.compile(r"[0-9]+(?:\s+[0-9]+){2,}\s*$")   # a table row: label then cells (规章 0 0 3)
_QIZHONG = "其中"
_APPROX_AFTER_UNIT = ("左右", "以上", "上下")
_REPEAT_MIN = 15        # a repeated sentence at least this long is read once


@dataclass(slots=True)
class Sentence:
    text: str
    base: int                       # normalised offset of text[0] when `pos` is None
    pos: list[int] | None = None    # normalised offset of each character when the sentence spans lines

    def offset(self, i: int) -> int:
        if self.pos is None:
            return self.base + i
        if i >= len(self.pos):
            return self.pos[-1] + 1 if self.pos else self.base
        return self.pos[i]

    def end_offset(self, i: int) -> int:
        """Normalised offset one past character i-1 of the sentence."""
        if i <= 0:
            return self.offset(0)
        return self.offset(i - 1) + 1


def _is_table_line(line: str) -> bool:
    """Rows of cells (a | b | c), or one cell per line ending or opening with a pipe (规章 |)."""
    if "|" not in line:
        return False
    t = line.strip()
    return t.count("|") >= 2 or t.endswith("|") or t.startswith("|")


_NUMBER_CHARS = frozenset("0123456789.,%()-")


def _number_only(line: str) -> bool:
    # A line ending in a character outside the cell class cannot match (every \s of `regex` is str.isspace).
    last = line[-1]
    if last not in _NUMBER_CHARS and not last.isspace():
        return False
    return _NUMBER_ONLY.match(line) is not None


_NO_WRAP_AFTER = _SENT_END + ":：|"      # a line ending in one of these is never continued by the next


def _paragraph(buf: list[tuple[int, str]]) -> tuple[str, int, list[int] | None]:
    if len(buf) == 1:
        s, t = buf[0]
        return t, s, None
    parts, pos = [], []
    for s, t in buf:
        parts.append(t)
        pos.extend(range(s, s + len(t)))
    return "".join(parts), buf[0][0], pos


def _paragraphs(text: str, start: int, end: int, cells: bool = True):
    """Yield (paragraph text, base, pos) over text[start:end]; pipe lines dropped, wrapped lines joined.
    A line holding only a number is a paragraph of its own; with `cells` False it is dropped."""
    buf: list[tuple[int, str]] = []
    chunk = text[start:end]
    crlf = "\r" in chunk
    s = start
    prev_number_only = False
    for raw in chunk.split("\n"):
        line_start, s = s, s + len(raw) + 1
        line = raw.rstrip("\r") if crlf else raw
        if not line or line.isspace() or _is_table_line(line):
            if buf:
                yield _paragraph(buf)
                buf = []
            continue
        number_only = _number_only(line)  # a table cell on its own line: never joined
        if number_only and not cells:
            if buf:
                yield _paragraph(buf)
                buf = []
            continue
        ls = line_start
        if buf:
            prev = buf[-1][1].rstrip()
            joins = (not number_only and not prev_number_only and prev[-1] not in _NO_WRAP_AFTER
                     and not _NEW_PARA.match(line)
                     and not (len(prev) < _WRAP_MIN and _NEW_PARA.match(prev))
                     and not _NUMBERS_ROW.search(prev))
            if not joins:
                yield _paragraph(buf)
                buf = []
            else:
                # drop the wrap's own spaces: trailing ones of the previous line, leading ones of this
                ps, pt = buf[-1]
                buf[-1] = (ps, pt.rstrip())
                lead = len(line) - len(line.lstrip())
                ls += lead
                line = line.lstrip()
        buf.append((ls, line))
        prev_number_only = number_only
    if buf:
        yield _paragraph(buf)


def split_sentences(text: str, start: int = 0, end: int | None = None, cells: bool = True) -> list[Sentence]:
    """Sentences of text[start:end], with their offsets in `text` (`cells` False: without the lines that
    hold only a number)."""
    end = len(text) if end is None else end
    out = []
    for ptext, base, pos in _paragraphs(text, start, end, cells):
        for m in _SENTENCE.finditer(ptext):
            raw = m.group()
            st = raw.lstrip()
            i = m.start() + len(raw) - len(st)
            st = st.rstrip()
            if not st:
                continue
            if pos is None and len(st) <= _MAX_SENTENCE:     # the common case: one piece, one line
                out.append(Sentence(st, base + i))
                continue
            for a, b in _pieces(st):
                if pos is None:
                    out.append(Sentence(st[a:b], base + i + a))
                else:
                    out.append(Sentence(st[a:b], pos[i + a], pos[i + a:i + b]))
    return out


_MAX_SENTENCE = 600     # real sentences stay under ~300 characters; a longer run has lost its full stops


def _pieces(st: str) -> list[tuple[int, int]]:
    """A run without sentence ends (navigation, a page that lost its 。) cut at clause commas into pieces of
    at most _MAX_SENTENCE characters, so that the rules' backward context stays bounded (no quadratic time)."""
    if len(st) <= _MAX_SENTENCE:
        return [(0, len(st))]
    out, a = [], 0
    while len(st) - a > _MAX_SENTENCE:
        cut = max(st.rfind(",", a, a + _MAX_SENTENCE), st.rfind("、", a, a + _MAX_SENTENCE))
        b = cut + 1 if cut > a else a + _MAX_SENTENCE
        out.append((a, b))
        a = b
    out.append((a, len(st)))
    return out


def _regions(text: str, sections: SectionMap | None) -> list[tuple[int, int, bool]]:
    """(start, end, strict) regions to read; strict = a table section, where only real sentences count."""
    n = len(text)
    if not sections or not sections.sections:
        return [(0, n, False)]
    out = []
    cur = 0
    for s in sorted(sections.sections, key=lambda s: s.start):
        if s.id in TABLE_SECTIONS:
            if cur < s.body_start:
                out.append((cur, s.body_start, False))
            out.append((s.body_start, s.end, True))
            cur = s.end
    if cur < n:
        out.append((cur, n, False))
    return [r for r in out if r[0] < r[1]]


_CLAUSE = regex.compile(r"\p{Han}[,，]\p{Han}{2,}")
_PROSE_MARK = re.compile(r"[。;!?,，]")   # every real sentence holds one (see _real_sentence)


def _real_sentence(s: Sentence) -> bool:
    """In a table section: prose, not a run of table labels and numbers. Prose ends with 。 or runs in
    clauses (本年度共收到申请17件,均已办结); labels and cells do neither."""
    t = s.text
    if len(t) > 300 or "|" in t:
        return False
    return t.endswith(("。", ";", "!", "?")) or (("," in t or "，" in t) and bool(_CLAUSE.search(t)))


@dataclass(slots=True)
class _Hit:
    """One pattern's match in a sentence's text (offsets within the sentence)."""
    pattern: object
    mstart: int
    mend: int
    vstart: int
    vend: int
    numeric: bool
    value: object
    unit: str | None
    approximate: bool
    subject: str | None
    order: int

    def fresh(self) -> _Hit:
        """A copy for one more use of a remembered reading (a list value copied too)."""
        value = list(self.value) if isinstance(self.value, list) else self.value
        return _Hit(self.pattern, self.mstart, self.mend, self.vstart, self.vend, self.numeric, value,
                    self.unit, self.approximate, self.subject, self.order)


def _field_value(spec, m):
    if spec is None:
        return None
    if spec.has_const:
        return spec.const
    return m.group(spec.group)


def _hits(text: str, groups) -> list[_Hit]:
    """Hits of the patterns in `groups` (those the sentence's gate words open) in the sentence's text."""
    from xxgk.extract import numbers
    out = []
    for pats in groups:
        for order, p in pats:
            for m in p.regex.finditer(text):
                hit = _hit(p, order, m, numbers)
                if hit is not None:
                    out.append(hit)
    return out


def _hit(p, order: int, m, numbers) -> _Hit | None:
    if m.end() == m.start():
        return None
    unit = _field_value(p.unit, m)
    approx = False
    spec = p.value
    if spec.has_const:
        value, numeric = spec.const, False
        vs, ve = m.span()
    else:
        raw = m.group(spec.group)
        if raw is None:
            return None
        vs, ve = m.span(spec.group)
        numeric = spec.normalize in ("count", "amount")
        if spec.normalize:
            try:
                value, approx = numbers.normalizer(spec.normalize)(raw, unit)
            except (numbers.NumberError, ValueError):
                return None
        else:
            value = raw
    if "approx" in p.regex.groupindex:
        approx = approx or any(c for c in m.captures("approx"))
    if numeric and m.string.startswith(_APPROX_AFTER_UNIT, m.end()):
        approx = True           # 300条左右 / 50件以上: the marker follows the unit
    subject = _field_value(p.subject, m)
    if isinstance(subject, str):
        subject = subject.strip() or None
    if isinstance(unit, str):
        unit = unit.strip() or None
    return _Hit(p, m.start(), m.end(), vs, ve, numeric, value, unit, approx, subject, order)


def _overlap(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Keep one reading where rules compete for the same words: higher priority, then the longer match."""
    hits = sorted(hits, key=lambda h: (-h.pattern.priority, -(h.mend - h.mstart), h.order))
    kept: list[_Hit] = []
    for h in hits:
        clash = False
        for k in kept:
            if k.pattern.type == h.pattern.type and _overlap(k.mstart, k.mend, h.mstart, h.mend):
                clash = True
            elif k.numeric and h.numeric and _overlap(k.vstart, k.vend, h.vstart, h.vend):
                clash = True
            if clash:
                break
        if not clash:
            kept.append(h)
    return sorted(kept, key=lambda h: (h.vstart, h.mstart))


# units that count the same kind of thing: a part and its total are measured alike
_MEASURES = ({"条", "件", "篇", "份", "项", "个", "则", "宗", "起"}, {"期"}, {"场", "次"}, {"元", "万元"})


def _is_count(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _same_measure(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return any(a in m and b in m for m in _MEASURES)


def _per_report(found: list[tuple[Sentence, list[_Hit]]], rs) -> None:
    """Types a report states once (rule file `per_report: best`): keep the hit of the highest priority,
    then the largest value; the others are parts of it (主动公开的公文类信息…) or passing mentions."""
    for rf in rs.files:
        if rf.per_report != "best":
            continue
        mine = [(i, h) for i, (_, hs) in enumerate(found) for h in hs if h.pattern.type == rf.type]
        if len(mine) < 2:
            continue
        best = max(mine, key=lambda ih: (ih[1].pattern.priority,
                                         ih[1].value if isinstance(ih[1].value, (int, float)) else 0))[1]
        for i, (_, hs) in enumerate(found):
            hs[:] = [h for h in hs if h.pattern.type != rf.type or h is best]


# Readings depend on a sentence's text alone, and headings and boilerplate recur in report after report:
# the rule set remembers the readings of up to this many sentences (all forgotten when it is full).
_MEMO_SIZE = 4096


def _readings(text: str, gates) -> tuple[_Hit, ...]:
    """The resolved hits of one sentence's text (none when the pre-filter or the gates rule it out)."""
    if not _PREFILTER.search(text):
        return ()
    groups = gates.fired(text)      # cheap literal gate before costly patterns
    if not groups:
        return ()
    hits = _hits(text, groups)
    return tuple(_resolve(hits)) if hits else ()


def _claims_from_sentences(sentences: list[Sentence], rs, norm: NormalizedText | None,
                           sections: SectionMap | None) -> list[Claim]:
    gates = rs.gated()
    memo = rs.readings
    found: list[tuple[Sentence, list[_Hit]]] = []
    seen: set[str] = set()
    for sent in sentences:
        text = sent.text
        readings = memo.get(text)
        if readings is None:
            readings = _readings(text, gates)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[text] = readings
        if not readings:
            continue
        if len(text) >= _REPEAT_MIN:
            # the same long sentence twice is the page repeating itself (print view, mirror), not a restatement
            if text in seen:
                continue
            seen.add(text)
        found.append((sent, [h.fresh() for h in readings]))
    _per_report(found, rs)
    claims: list[Claim] = []
    for sent, hits in found:
        first = len(claims)
        qz = [m.start() for m in regex.finditer(_QIZHONG, sent.text)] if _QIZHONG in sent.text else []
        for h in hits:
            start, end = sent.offset(h.mstart), sent.end_offset(h.mend)
            parent = None
            before = [q for q in qz if q < h.vstart]
            if before and _is_count(h.value):
                q = sent.offset(before[-1])
                # the total: the last claim of this sentence that ends before this 其中, counted in a
                # compatible unit (政府公报6期 after 主动公开文件100件, 其中… is a channel, not a part)
                for j in range(len(claims) - 1, first - 1, -1):
                    if claims[j].end <= q:
                        if _is_count(claims[j].value) and _same_measure(claims[j].unit, h.unit):
                            parent = j
                        break
            c = Claim(type=h.pattern.type, value=h.value, unit=h.unit, approximate=bool(h.approximate),
                      parent=parent, subject=h.subject, sentence=sent.text, start=start, end=end,
                      rule=h.pattern.id, text=sent.text[h.mstart:h.mend])
            if sections is not None:
                c.section = sections.at(start)
            if norm is not None:
                c.line, c.col = norm.line_col(start)
            claims.append(c)
    return claims


def extract_from_text(text: str, rs=None) -> list[Claim]:
    """Claims of a piece of already-normalised text, read as prose throughout (rule examples use this)."""
    from xxgk.extract.ruleset import load_ruleset
    rs = rs or load_ruleset()
    return _claims_from_sentences(split_sentences(text), rs, None, None)


def prose_sentences(text: str, sections: SectionMap | None) -> list[Sentence]:
    """The sentences claims are read from: prose sections whole, table sections' real sentences only."""
    out = []
    for start, end, strict in _regions(text, sections):
        if strict and not _PROSE_MARK.search(text, start, end):
            continue        # a real sentence ends with 。;!? or has a clause comma: none here
        # in a table section a cell on its own line is never a real sentence: not even split off
        for s in split_sentences(text, start, end, cells=not strict):
            if not strict or _real_sentence(s):
                out.append(s)
    return out


def extract_claims(norm: NormalizedText, sections: SectionMap, rules=None) -> list[Claim]:
    from xxgk.extract.ruleset import load_ruleset
    rs = rules or load_ruleset()
    return _claims_from_sentences(prose_sentences(norm.text, sections), rs, norm, sections)
