"""A narrative claim: one fact stated in prose (SPEC §3)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(slots=True)
class Claim:
    type: str                       # SPEC §3 claim type, e.g. proactive.wechat_posts
    value: Any                      # int | float | bool | list[str]
    unit: str | None = None         # 件 期 条 篇 场 次 起 元 … as written
    approximate: bool = False       # 余 多 近 约 …
    parent: int | None = None       # index (in the report's claim list) of the claim this is a part of
    subject: str | None = None      # e.g. the WeChat account name
    section: str | None = None      # e.g. "一.(一)"
    sentence: str | None = None     # the sentence the claim was found in
    start: int = 0                  # offsets in the normalised text
    end: int = 0
    rule: str = ""                  # id of the rule that matched, <type>/<slug>
    text: str = ""                  # the matched text
    line: int | None = None         # 1-based line:col of `start` in the original
    col: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
