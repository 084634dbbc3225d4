"""The check catalogue: rules/checks.yaml loaded once (title, severity, message templates, explanation)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

CODE_ORDER = "STPCDX"


@dataclass(frozen=True, slots=True)
class CheckDoc:
    code: str
    title: str
    severity: str
    message: str
    messages: dict[str, str] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    explanation: str = ""
    example: str = ""

    def template(self, variant: str | None = None) -> str:
        if variant and variant in self.messages:
            return self.messages[variant]
        return self.message or next(iter(self.messages.values()), self.title)

    def render(self, variant: str | None, values: dict) -> str:
        """The message for `values` in the variant's template."""
        return self.template(variant).format_map(_Lenient({k: _show(v) for k, v in values.items()}))

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "severity": self.severity, "message": self.message,
                "messages": dict(self.messages), "fields": list(self.fields),
                "explanation": self.explanation, "example": self.example}


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, CheckDoc]:
    import yaml
    text = resources.files("xxgk.rules").joinpath("checks.yaml").read_text("utf-8")
    raw = yaml.safe_load(text) or {}
    out = {}
    for code, d in raw.items():
        out[code] = CheckDoc(code=code, title=d["title"], severity=d["severity"], message=d.get("message", ""),
                             messages=dict(d.get("messages") or {}), fields=tuple(d.get("fields") or ()),
                             explanation=_unfold(str(d.get("explanation", ""))),
                             example=str(d.get("example", "")))
    return dict(sorted(out.items(), key=lambda kv: (CODE_ORDER.find(kv[0][0]), kv[0])))


def _unfold(text: str) -> str:
    """YAML folding joins lines with a space; Chinese text takes none between two CJK characters."""
    text = " ".join(text.split())
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


class _Lenient(dict):
    """Template fields a check did not fill show as "?" instead of raising."""

    def __missing__(self, key):
        return "?"


def render(code: str, variant: str | None = None, **values) -> str:
    return catalogue()[code].render(variant, values)


def _show(v) -> str:
    if v is None:
        return "空"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
