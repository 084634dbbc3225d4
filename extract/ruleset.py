"""Rule files: load, validate, compile (once per process), list, and run their embedded examples.

A rule file is YAML (DESIGN §3): one file per SPEC claim type, named after it. Patterns are `regex`
VERBOSE patterns over NFKC-normalised text with `{name}` placeholders for fragments (shared ones in
rules/fragments.yaml, local ones in the file's `fragments`). See rules/README.md.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import regex

from xxgk.extract import numbers

# {name} placeholders; numeric quantifiers ({3}, {1,20}) never match, escaped \{ is literal, and the
# property classes \p{Han} / \P{Han} / named characters \N{…} are left to the regex module
_PLACEHOLDER = regex.compile(r"(?<!\\)(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")
NOT_RULE_FILES = {"fragments.yaml", "checks.yaml"}
FLAGS = regex.VERBOSE | regex.V0


class RuleFileError(Exception):
    """An invalid rule file; the message names the file and, where it applies, the pattern id."""

    def __init__(self, path: str | Path, message: str, rule_id: str | None = None):
        self.path, self.rule_id, self.detail = str(path), rule_id, message
        where = f"{Path(path).name}: {rule_id}" if rule_id else Path(path).name
        super().__init__(f"{where}: {message}")


Requires = tuple[tuple[str, ...], ...]    # clauses, all needed; a clause is met by any one of its words


@dataclass(slots=True)
class FieldSpec:
    """How a claim field gets its value: from a named group (optionally normalised) or a constant."""
    group: str | None = None
    normalize: str | None = None
    const: Any = None
    has_const: bool = False


@dataclass(slots=True)
class Pattern:
    id: str
    type: str
    source: str
    expanded: str
    regex: Any
    value: FieldSpec
    unit: FieldSpec | None = None
    subject: FieldSpec | None = None
    priority: int = 0
    requires: Requires = ()          # the pattern runs only on sentences holding a word of every clause


@dataclass(slots=True)
class Example:
    text: str
    claims: list[dict]


@dataclass(slots=True)
class RuleFile:
    path: str
    type: str
    value_kind: str = "int"
    units: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    summary: str = ""
    patterns: list[Pattern] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    counterexamples: list[str] = field(default_factory=list)
    priority: int = 0
    per_report: str | None = None     # "best": a report states this once; keep one claim (see README)
    requires: Requires = ()           # default `requires` of the file's patterns


@dataclass(slots=True)
class Gates:
    """Which patterns a sentence can fire, found with one scan of the sentence for every `requires` word
    (instead of one search per clause).

    `groups` keeps the patterns in rule-set order (with their index), grouped by their `requires`;
    `needs[i]` are the clauses group i needs (none: always run). The scanner is a plain alternation, longest
    word first, run without overlaps (the standard `re` does that ~4x faster than `regex` overlapped): a word
    hidden inside a reported one meets its clauses through `meets` (every word contained in it), and a word
    that straddles the end of a reported one is covered by adding their merge as a word of its own (专栏目 for
    专栏 + 栏目), repeated until no merge brings a clause the reported word does not already meet."""
    groups: list[list[tuple[int, Pattern]]]
    needs: list[frozenset[int]]
    scanner: Any
    meets: dict[str, frozenset[int]]
    always: list[list[tuple[int, Pattern]]]
    memo: dict[frozenset[int], list[list[tuple[int, Pattern]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, patterns: list[Pattern]) -> "Gates":
        import re
        by_requires: dict[Requires, list[tuple[int, Pattern]]] = {}
        for i, p in enumerate(patterns):
            by_requires.setdefault(p.requires, []).append((i, p))
        clause_ids: dict[tuple[str, ...], int] = {}
        for req in by_requires:
            for clause in req:
                clause_ids.setdefault(clause, len(clause_ids))
        needs = [frozenset(clause_ids[c] for c in req) for req in by_requires]
        owners: dict[str, set[int]] = {}
        for clause, ci in clause_ids.items():
            for w in clause:
                owners.setdefault(w, set()).add(ci)
        meets = _merged_words(owners)
        words = sorted(meets, key=lambda w: (-len(w), w))
        scanner = re.compile("|".join(map(re.escape, words))) if words else None
        groups = list(by_requires.values())
        always = [g for g, need in zip(groups, needs) if not need]
        return cls(groups, needs, scanner, meets, always)

    def fired(self, text: str) -> list[list[tuple[int, Pattern]]]:
        """The groups whose patterns may match `text`, in rule-set order."""
        met: set[int] = set()
        if self.scanner is not None:
            for w in self.scanner.findall(text):
                met |= self.meets[w]
        if not met:
            return self.always
        key = frozenset(met)
        groups = self.memo.get(key)
        if groups is None:      # few distinct sets of clauses occur: each is worked out once
            groups = self.memo[key] = [g for g, need in zip(self.groups, self.needs) if need <= met]
        return groups


def _merged_words(owners: dict[str, set[int]]) -> dict[str, frozenset[int]]:
    """Scanner words → the clauses they meet: the `requires` words, plus the merges needed so that a scan
    without overlaps misses no clause (see Gates). Each merge meets strictly more clauses than the word it
    extends, so the closure ends."""
    def meeting(w: str) -> frozenset[int]:
        return frozenset(c for v, cs in owners.items() if v in w for c in cs)

    meets = {w: meeting(w) for w in owners}
    todo = list(meets)
    while todo:
        u = todo.pop()
        for v, cs in owners.items():
            if cs <= meets[u]:
                continue
            for k in range(1, min(len(u), len(v))):
                if u.endswith(v[:k]):
                    m = u + v[k:]
                    if m not in meets:
                        meets[m] = meeting(m)
                        todo.append(m)
    return meets


@dataclass(slots=True)
class RuleSet:
    files: list[RuleFile]
    fragments: dict[str, str]
    digest: str = ""
    _gates: Gates | None = None
    readings: dict = field(default_factory=dict)   # sentence text → its resolved hits (claim_extraction)

    @property
    def patterns(self) -> list[Pattern]:
        return [p for f in self.files for p in f.patterns]

    def gated(self) -> "Gates":
        """The patterns grouped by their `requires` words, with one scanner for all the words (see Gates)."""
        if self._gates is None:
            self._gates = Gates.build(self.patterns)
        return self._gates

    def file(self, claim_type: str) -> RuleFile | None:
        for f in self.files:
            if f.type == claim_type:
                return f
        return None


def shipped_rules_dir() -> Path:
    from importlib.resources import files
    return Path(str(files("xxgk.rules")))


# --- loading --------------------------------------------------------------------------------------

def _safe_loader():
    """libyaml's safe loader when PyYAML was built with it (10x faster), else the pure-Python one."""
    import yaml
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    import yaml
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_safe_loader())
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise RuleFileError(path, f"not valid YAML{at}: {getattr(e, 'problem', None) or e}") from None
    except OSError as e:
        raise RuleFileError(path, f"cannot read: {e.strerror or e}") from None


def load_fragments(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    data = _read_yaml(path) or {}
    frags = data.get("fragments", data) if isinstance(data, dict) else None
    if not isinstance(frags, dict) or not all(isinstance(v, str) for v in frags.values()):
        raise RuleFileError(path, "fragments must be a mapping of name: pattern text")
    return dict(frags)


def expand(pattern: str, fragments: dict[str, str], *, path: str | Path = "?",
           rule_id: str | None = None) -> str:
    """Replace {name} placeholders by their fragments, recursively. Each is wrapped in a group so that an
    alternation inside a fragment stays inside it; the newline ends any VERBOSE comment in the fragment."""
    def sub(text: str, stack: tuple[str, ...]) -> str:
        def repl(m):
            name = m.group(1)
            if name not in fragments:
                raise RuleFileError(path, f"unknown fragment {{{name}}}", rule_id)
            if name in stack:
                chain = " → ".join(stack + (name,))
                raise RuleFileError(path, f"fragment {{{name}}} refers to itself ({chain})", rule_id)
            return "(?:" + sub(fragments[name], stack + (name,)) + "\n)"
        return _PLACEHOLDER.sub(repl, text)
    return sub(pattern, ())


def _has_comment(text: str) -> bool:
    """Does VERBOSE regex text hold a `#` comment (not escaped, not inside a character class)?"""
    i, in_class = 0, False
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if text[i + 1:i + 2] == "]":      # []…] keeps a literal ] first
                i += 1
        elif ch == "#":
            return True
        i += 1
    return False


def _folded_comments(path: Path) -> list[str]:
    """Patterns and fragments written as folded (>-) blocks that hold a `#` comment: folding joins the
    lines, so the comment would swallow the rest of the pattern."""
    import yaml
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_safe_loader())
    except (yaml.YAMLError, OSError):
        return []
    found = []

    def walk(node, where):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, where + [str(k.value)])
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                walk(v, where)
        elif isinstance(node, yaml.ScalarNode) and node.style == ">" and _has_comment(node.value):
            if where and (where[-1] == "pattern" or "fragments" in where):
                found.append(f"line {node.start_mark.line + 1}")
    walk(root, [])
    return found


def _field(spec: Any, path: Path, rule_id: str, name: str, groups: dict) -> FieldSpec | None:
    if spec is None:
        return None
    if isinstance(spec, str):           # shorthand: a group name
        spec = {"group": spec}
    if not isinstance(spec, dict):
        raise RuleFileError(path, f"`{name}` must be a mapping ({{group: …}} or {{const: …}})", rule_id)
    unknown = set(spec) - {"group", "normalize", "const"}
    if unknown:
        raise RuleFileError(path, f"`{name}` has unknown keys: {', '.join(sorted(unknown))}", rule_id)
    if "const" in spec:
        return FieldSpec(const=spec["const"], has_const=True)
    g = spec.get("group")
    if not g:
        raise RuleFileError(path, f"`{name}` needs `group` or `const`", rule_id)
    if g not in groups:
        raise RuleFileError(path, f"`{name}` names group {g!r}, which the pattern does not define", rule_id)
    norm = spec.get("normalize")
    if norm is not None and norm not in numbers.NORMALIZERS:
        known = ", ".join(sorted(numbers.NORMALIZERS))
        raise RuleFileError(path, f"unknown normalize {norm!r} (known: {known})", rule_id)
    return FieldSpec(group=g, normalize=norm)


def _requires(spec: Any, path: Path, rule_id: str | None, key: str = "requires") -> Requires:
    """`requires: [a, b]` is one clause (a or b); `requires: [[a, b], [c]]` needs every clause; `[]` none."""
    if spec is None or spec == []:
        return ()
    if isinstance(spec, str):
        spec = [spec]
    clauses = spec if isinstance(spec, list) and spec and all(isinstance(c, list) for c in spec) else [spec]
    import unicodedata as ud
    out = []
    for clause in clauses:
        if not isinstance(clause, list) or not clause or not all(isinstance(w, str) and w for w in clause):
            raise RuleFileError(path, f"`{key}` must be a list of words (or a list of such lists)", rule_id)
        out.append(tuple(ud.normalize("NFKC", w) for w in clause))
    return tuple(out)


def load_rule_file(path: Path, shared: dict[str, str]) -> RuleFile:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(path, "a rule file is a YAML mapping with type, patterns, examples")
    folded = _folded_comments(path)
    if folded:
        raise RuleFileError(path, f"a # comment in a folded (>-) pattern ({', '.join(folded)}) would hide the "
                                  "rest of the pattern: write it as a |- block, or escape the # as \\#")
    ctype = data.get("type")
    if not isinstance(ctype, str) or not ctype:
        raise RuleFileError(path, "missing `type`")
    if path.name.endswith((".yaml", ".yml")) and path.stem != ctype:
        raise RuleFileError(path, f"type {ctype!r} does not match the file name (expected {ctype}.yaml)")
    local = data.get("fragments") or {}
    if not isinstance(local, dict):
        raise RuleFileError(path, "`fragments` must be a mapping")
    frags = {**shared, **{k: str(v) for k, v in local.items()}}
    rf = RuleFile(path=str(path), type=ctype, value_kind=str(data.get("value", "int")),
                  units=list(data.get("units") or []), sections=list(data.get("sections") or []),
                  summary=str(data.get("summary") or ""), priority=int(data.get("priority") or 0),
                  per_report=data.get("per_report"), requires=_requires(data.get("requires"), path, None))
    if rf.per_report not in (None, "best"):
        raise RuleFileError(path, f"per_report must be `best` (got {rf.per_report!r})")
    pats = data.get("patterns")
    if not isinstance(pats, list) or not pats:
        raise RuleFileError(path, "`patterns` must be a non-empty list")
    seen: set[str] = set()
    for i, p in enumerate(pats):
        if not isinstance(p, dict):
            raise RuleFileError(path, f"pattern #{i + 1} is not a mapping")
        pid = p.get("id")
        if not isinstance(pid, str) or not pid:
            raise RuleFileError(path, f"pattern #{i + 1} has no id")
        if not pid.startswith(ctype + "/"):
            raise RuleFileError(path, f"id must start with {ctype}/", pid)
        if pid in seen:
            raise RuleFileError(path, "duplicate pattern id", pid)
        seen.add(pid)
        src = p.get("pattern")
        if not isinstance(src, str) or not src.strip():
            raise RuleFileError(path, "missing `pattern`", pid)
        expanded = expand(src, frags, path=path, rule_id=pid)
        try:
            rx = regex.compile(expanded, FLAGS)
        except regex.error as e:
            raise RuleFileError(path, f"pattern does not compile: {e}", pid) from None
        groups = rx.groupindex
        value = _field(p.get("value", {"group": "value", "normalize": "count"}), path, pid, "value", groups)
        unit = _field(p.get("unit"), path, pid, "unit", groups)
        if unit is None and "unit" in groups:
            unit = FieldSpec(group="unit")
        subject = _field(p.get("subject"), path, pid, "subject", groups)
        if subject is None and "subject" in groups:
            subject = FieldSpec(group="subject")
        rf.patterns.append(Pattern(id=pid, type=ctype, source=src, expanded=expanded, regex=rx, value=value,
                                   unit=unit, subject=subject,
                                   priority=int(p.get("priority", rf.priority) or 0),
                                   requires=(_requires(p.get("requires"), path, pid) if "requires" in p
                                             else rf.requires)
                                   + _requires(p.get("also_requires"), path, pid, "also_requires")))
    for i, ex in enumerate(data.get("examples") or []):
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
            raise RuleFileError(path, f"example #{i + 1} needs `text`")
        claims = ex.get("claims") or []
        if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
            raise RuleFileError(path, f"example #{i + 1}: `claims` must be a list of mappings")
        rf.examples.append(Example(text=ex["text"], claims=claims))
    for i, ce in enumerate(data.get("counterexamples") or []):
        text = ce.get("text") if isinstance(ce, dict) else ce
        if not isinstance(text, str):
            raise RuleFileError(path, f"counterexample #{i + 1} is not text")
        rf.counterexamples.append(text)
    return rf


def _rule_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(rule files, fragments files) among the given files and directories."""
    files, frags = [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            frags += [f for f in [p / "fragments.yaml"] if f.is_file()]
            files += sorted(f for f in p.glob("*.yaml") if f.name not in NOT_RULE_FILES)
        elif p.name == "fragments.yaml":
            frags.append(p)
        elif p.name not in NOT_RULE_FILES:
            files.append(p)
    return files, frags


def load_ruleset(paths: Iterable[Path] | None = None) -> RuleSet:
    """Load and compile rule files. Without paths: the shipped rules, compiled once per process.

    A user's directory is loaded with the shipped shared fragments, overridden by its own fragments.yaml."""
    if not paths:
        return _shipped()
    return _load(tuple(Path(p) for p in paths))


@lru_cache(maxsize=1)
def _shipped() -> RuleSet:
    return _load((shipped_rules_dir(),))


def _load(paths: tuple[Path, ...]) -> RuleSet:
    for p in paths:
        if not p.exists():
            raise RuleFileError(p, "no such file or directory")
    files, frag_files = _rule_paths(paths)
    shared = load_fragments(shipped_rules_dir() / "fragments.yaml")
    for f in frag_files:
        shared.update(load_fragments(f))
    rfs = [load_rule_file(f, shared) for f in files]
    seen: dict[str, str] = {}
    types: dict[str, str] = {}
    for rf in rfs:
        if rf.type in types:
            raise RuleFileError(rf.path, f"type {rf.type} is already defined in {Path(types[rf.type]).name}")
        types[rf.type] = rf.path
        for p in rf.patterns:
            if p.id in seen:
                raise RuleFileError(rf.path, f"duplicate pattern id (also in {Path(seen[p.id]).name})", p.id)
            seen[p.id] = rf.path
    h = hashlib.sha256()
    for f in sorted(list(files) + list(frag_files)):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return RuleSet(files=rfs, fragments=shared, digest=h.hexdigest()[:16])


# --- examples ------------------------------------------------------------------------------------

@dataclass(slots=True)
class ExampleResult:
    name: str                 # proactive.wechat_posts[3] (examples), …[!1] (counterexamples)
    type: str
    text: str
    ok: bool
    message: str = ""
    expected: list[dict] = field(default_factory=list)
    found: list[dict] = field(default_factory=list)


def prepare_text(text: str) -> str:
    """What rule examples are matched against: the NFKC form the normalising stage produces."""
    return unicodedata.normalize("NFKC", text)


def _claim_view(c) -> dict:
    d = {"value": c.value, "unit": c.unit, "approximate": c.approximate, "rule": c.rule}
    if c.subject is not None:
        d["subject"] = c.subject
    return d


def _same_value(want, got) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got or (isinstance(want, bool) and isinstance(got, bool) and want == got)
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return abs(float(want) - float(got)) < 1e-6
    if isinstance(want, list) and isinstance(got, list):
        return [str(x) for x in want] == [str(x) for x in got]
    return want == got


def _matches(want: dict, got) -> bool:
    if "value" in want and not _same_value(want["value"], got.value):
        return False
    if "unit" in want and want["unit"] != got.unit:
        return False
    if "subject" in want and want["subject"] != got.subject:
        return False
    if "approximate" in want and bool(want["approximate"]) != bool(got.approximate):
        return False
    if "rule" in want and want["rule"] != got.rule:
        return False
    if "parent" in want and want["parent"] != got.parent:
        return False
    return True


def check_example(rs: RuleSet, rf: RuleFile, text: str, wanted: list[dict]) -> tuple[bool, str, list]:
    from xxgk.extract.claim_extraction import extract_from_text
    found = [c for c in extract_from_text(prepare_text(text), rs) if c.type == rf.type]
    remaining = list(found)
    missing = []
    for w in wanted:
        for g in remaining:
            if _matches(w, g):
                remaining.remove(g)
                break
        else:
            missing.append(w)
    if not missing and not remaining:
        return True, "", found
    parts = []
    if missing:
        parts.append("missing " + json.dumps(missing, ensure_ascii=False, default=str))
    if remaining:
        parts.append("unexpected " + json.dumps([_claim_view(c) for c in remaining], ensure_ascii=False,
                                                default=str))
    return False, "; ".join(parts), found


def with_shipped(paths: Iterable[Path]) -> tuple[RuleSet, set[str]]:
    """The given rule files in place of the shipped files of the same types, beside the other shipped files.

    Examples are tested this way because extraction runs the whole set: a counterexample such as
    主动公开规章0件 yields no proactive.total only because proactive.regulations claims those words."""
    user = _load(tuple(Path(p) for p in paths))
    types = {f.type for f in user.files}
    ids = {p.id for f in user.files for p in f.patterns}
    others = [f for f in _shipped().files if f.type not in types and not ids & {p.id for p in f.patterns}]
    return RuleSet(files=others + user.files, fragments=user.fragments, digest=user.digest), types


def run_examples(rs: RuleSet, types: set[str] | None = None) -> list[ExampleResult]:
    """Every example and counterexample of the set's files (only of `types`, when given)."""
    out = []
    for rf in rs.files:
        if types is not None and rf.type not in types:
            continue
        for i, ex in enumerate(rf.examples, 1):
            ok, msg, found = check_example(rs, rf, ex.text, ex.claims)
            out.append(ExampleResult(f"{rf.type}[{i}]", rf.type, ex.text, ok, msg, ex.claims,
                                     [_claim_view(c) for c in found]))
        for i, text in enumerate(rf.counterexamples, 1):
            ok, msg, found = check_example(rs, rf, text, [])
            out.append(ExampleResult(f"{rf.type}[!{i}]", rf.type, text, ok, msg, [],
                                     [_claim_view(c) for c in found]))
    return out


# --- CLI -----------------------------------------------------------------------------------------

def test_rules(paths: list[Path], fmt: str, out) -> int:
    """`xxgk rules test`: 0 every example passes, 1 some fail, 2 a rule file is invalid."""
    try:
        rs, types = with_shipped(paths) if paths else (load_ruleset(), None)
    except RuleFileError as e:
        if fmt == "json":
            out.write(json.dumps({"ok": False, "error": str(e), "file": e.path, "rule": e.rule_id},
                                 ensure_ascii=False) + "\n")
        else:
            import sys
            print(f"xxgk: invalid rule file: {e}", file=sys.stderr)
        return 2
    results = run_examples(rs, types)
    failed = [r for r in results if not r.ok]
    n_files = len(types) if types is not None else len(rs.files)
    if fmt == "json":
        out.write(json.dumps({"ok": not failed, "ruleset": rs.digest, "files": n_files,
                              "examples": len(results), "failed": len(failed),
                              "results": [{"name": r.name, "ok": r.ok, "text": r.text, "message": r.message}
                                          for r in results]},
                             ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        for r in failed:
            out.write(f"FAIL {r.name}: {r.text}\n     {r.message}\n")
        out.write(f"{len(results) - len(failed)}/{len(results)} examples pass in {n_files} rule files"
                  f"{'' if not failed else f'; {len(failed)} fail'}\n")
    return 1 if failed else 0


def list_rules(fmt: str, out) -> int:
    """`xxgk rules list`: every claim type and rule id with a one-line summary, then the check codes."""
    try:
        rs = load_ruleset()
    except RuleFileError as e:
        import sys
        print(f"xxgk: invalid rule file: {e}", file=sys.stderr)
        return 2
    checks = _check_codes()
    if fmt == "json":
        out.write(json.dumps({"ruleset": rs.digest,
                              "claim_types": [{"type": f.type, "value": f.value_kind, "units": f.units,
                                               "summary": f.summary, "rules": [p.id for p in f.patterns],
                                               "examples": len(f.examples),
                                               "counterexamples": len(f.counterexamples)} for f in rs.files],
                              "checks": checks}, ensure_ascii=False, indent=1) + "\n")
        return 0
    for f in rs.files:
        out.write(f"{f.type}\t{f.value_kind}\t{f.summary}\n")
        for p in f.patterns:
            out.write(f"  {p.id}\n")
    for c in checks:
        out.write(f"{c['code']}\t{c.get('severity', '')}\t{c.get('title', '')}\n")
    return 0


def _check_codes() -> list[dict]:
    """Check codes from rules/checks.yaml, when that file is there."""
    path = shipped_rules_dir() / "checks.yaml"
    if not path.is_file():
        return []
    try:
        data = _read_yaml(path) or {}
    except RuleFileError:
        return []
    entries = data.get("checks", data) if isinstance(data, dict) else data
    out = []
    if isinstance(entries, dict):
        for code, d in entries.items():
            d = d if isinstance(d, dict) else {}
            out.append({"code": str(code), "severity": d.get("severity", ""), "title": d.get("title", "")})
    elif isinstance(entries, list):
        for d in entries:
            if isinstance(d, dict) and "code" in d:
                out.append({"code": str(d["code"]), "severity": d.get("severity", ""),
                            "title": d.get("title", "")})
    return out


def explain_type(name: str, fmt: str, out) -> int:
    """`xxgk explain TYPE` (or a rule id TYPE/slug): summary, units, patterns, examples of a claim type."""
    import sys
    try:
        rs = load_ruleset()
    except RuleFileError as e:
        print(f"xxgk: invalid rule file: {e}", file=sys.stderr)
        return 2
    ctype, _, slug = name.partition("/")
    rf = rs.file(ctype)
    if rf is None:
        print(f"xxgk: unknown check code or claim type {name!r} (see `xxgk rules list`)", file=sys.stderr)
        return 2
    pats = [p for p in rf.patterns if not slug or p.id == name]
    if not pats:
        print(f"xxgk: {ctype} has no rule {name!r} (rules: {', '.join(p.id for p in rf.patterns)})",
              file=sys.stderr)
        return 2
    data = {"type": rf.type, "value": rf.value_kind, "units": rf.units, "sections": rf.sections,
            "summary": rf.summary, "file": Path(rf.path).name,
            "rules": [{"id": p.id, "priority": p.priority, "pattern": p.source.strip(),
                       **({"expanded": p.expanded} if slug else {})} for p in pats],
            "examples": [{"text": e.text, "claims": e.claims} for e in rf.examples],
            "counterexamples": rf.counterexamples}
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
        return 0
    lines = [f"{rf.type}  ({rf.value_kind}; units {' '.join(rf.units) or '-'})", rf.summary,
             f"expected in section {', '.join(rf.sections) or '-'}; rule file rules/{data['file']}", ""]
    for r in data["rules"]:
        lines.append(f"rule {r['id']}  (priority {r['priority']})")
        lines += ["    " + ln for ln in r["pattern"].splitlines()]
        if slug:
            lines += ["  expanded:"] + ["    " + ln for ln in r["expanded"].splitlines()]
    lines += ["", "examples:"]
    for e in rf.examples:
        got = ", ".join(str(c.get("value")) + (c.get("unit") or "") for c in e.claims) or "(none)"
        lines.append(f"  {e.text}  →  {got}")
    if rf.counterexamples:
        lines += ["", "not claims:"] + [f"  {t}" for t in rf.counterexamples]
    out.write("\n".join(lines) + "\n")
    return 0
