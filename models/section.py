"""The six sections of the national template and the sub-headings of section 一."""
from __future__ import annotations

from dataclasses import dataclass, field

# Section numbers in template order and their canonical headings (国办公开办函〔2021〕30号).
SECTION_TITLES: dict[str, str] = {
    "一": "总体情况",
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
    "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}
# Which table lives in which section.
SECTION_TABLE: dict[str, str] = {"二": "t2", "三": "t3", "四": "t4"}


@dataclass(slots=True)
class Section:
    """A section or sub-section. `id` is "一" … "六" or "一.(一)" …; offsets in the normalised text.

    `start` is the heading's first character, `body_start` the first character after the heading line,
    `end` the start of the next section of the same or a higher level (or the end of the text).
    """
    id: str
    title: str
    start: int
    body_start: int
    end: int
    children: list["Section"] = field(default_factory=list)


@dataclass(slots=True)
class SectionMap:
    sections: list[Section]                  # top level, in text order
    missing: list[str] = field(default_factory=list)   # section numbers not found
    template: str = "2021"                   # 2021 | 2019 | unknown
    is_annual_report: bool = True
    notes: list[str] = field(default_factory=list)     # what sectioning met (non-standard headings, …)

    def get(self, sid: str) -> Section | None:
        for s in self.sections:
            if s.id == sid:
                return s
            for c in s.children:
                if c.id == sid:
                    return c
        return None

    def at(self, offset: int) -> str | None:
        """The most specific section id containing `offset`."""
        for s in self.sections:
            if s.start <= offset < s.end:
                for c in s.children:
                    if c.start <= offset < c.end:
                        return c.id
                return s.id
        return None
