"""Rule files: shipped set complete and consistent; loader errors name file and pattern id; VERBOSE rules."""
from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest
import regex

from xxgk.extract import ruleset
from xxgk.extract.claim_extraction import extract_from_text

SPEC_TYPES = {
    "proactive.total", "proactive.regulations", "proactive.normative_documents",
    "proactive.normative_repealed", "proactive.gazette_issues", "proactive.website_posts",
    "proactive.wechat_posts", "proactive.weibo_posts", "proactive.new_media_posts",
    "proactive.interpretations", "proactive.press_conferences",
    "request.received", "request.carried_over", "request.completed", "request.carried_forward",
    "request.all_completed", "request.granted", "request.partial", "request.denied",
    "request.unable", "request.refused", "review.cases", "litigation.cases",
    "fee.amount", "fee.none", "plans.listed", "proposals.npc", "proposals.cppcc",
}


@pytest.fixture(scope="module")
def shipped():
    return ruleset.load_ruleset()


def write(d: Path, name: str, body: str) -> Path:
    p = d / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


GOOD = """\
    type: demo.count
    patterns:
      - id: demo.count/posts
        pattern: '样例发布{gap}{number}\\s*(?P<unit>条)'
    examples:
      - text: 样例发布信息12条。
        claims: [{value: 12, unit: 条}]
    counterexamples:
      - 样例关注12人。
    """


def test_every_spec_claim_type_has_a_rule_file(shipped):
    assert SPEC_TYPES - {f.type for f in shipped.files} == set()


def test_rule_ids_are_unique_and_prefixed_by_their_type(shipped):
    ids = [p.id for p in shipped.patterns]
    assert len(ids) == len(set(ids))
    for f in shipped.files:
        for p in f.patterns:
            assert p.id.startswith(f.type + "/")
            assert Path(f.path).stem == f.type


def test_every_placeholder_resolves(shipped):
    for p in shipped.patterns:
        assert not regex.search(r"(?<!\\)(?<!\\[pPN])\{[A-Za-z_]\w*\}", p.expanded), p.id


def test_every_file_has_examples_and_counterexamples(shipped):
    for f in shipped.files:
        assert f.examples, f.type
        assert f.counterexamples, f.type


def test_shipped_ruleset_is_compiled_once(shipped):
    assert ruleset.load_ruleset() is shipped


def test_expand_keeps_quantifiers_and_property_classes():
    out = ruleset.expand(r"{a}[0-9]{1,3}x{2}\p{Han}\{a}", {"a": "A|B"})
    assert out == "(?:A|B\n)[0-9]{1,3}x{2}\\p{Han}\\{a}"


def test_fragments_expand_recursively_and_cycles_are_errors():
    assert regex.fullmatch(ruleset.expand("{x}", {"x": "a{y}", "y": "b"}), "ab", regex.VERBOSE)
    with pytest.raises(ruleset.RuleFileError, match="refers to itself"):
        ruleset.expand("{x}", {"x": "{y}", "y": "{x}"}, path="r.yaml", rule_id="t/a")


def test_a_users_directory_passes(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD)
    out = io.StringIO()
    assert ruleset.test_rules([tmp_path], "text", out) == 0
    assert "2/2 examples pass" in out.getvalue()


def test_a_failing_example_exits_1_and_names_it(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD.replace("{value: 12, unit: 条}", "{value: 13, unit: 条}"))
    out = io.StringIO()
    assert ruleset.test_rules([tmp_path], "json", out) == 1
    res = json.loads(out.getvalue())
    failed = [r for r in res["results"] if not r["ok"]]
    assert [r["name"] for r in failed] == ["demo.count[1]"]
    assert "13" in failed[0]["message"] and "12" in failed[0]["message"]


def test_a_counterexample_that_matches_fails(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD.replace("样例关注12人。", "样例发布3条。"))
    out = io.StringIO()
    assert ruleset.test_rules([tmp_path], "text", out) == 1
    assert "demo.count[!1]" in out.getvalue()


@pytest.mark.parametrize("change, message, rule_id", [
    (("{gap}", "{nosuch}"), "unknown fragment {nosuch}", "demo.count/posts"),
    (("(?P<unit>条)'", "(?P<unit>条'"), "does not compile", "demo.count/posts"),
    (("type: demo.count", "type: demo.other"), "does not match the file name", None),
    (("demo.count/posts", "other.type/posts"), "must start with demo.count/", "other.type/posts"),
    (("(?P<unit>条)'", "(?P<unit>条)'\n        value: {group: value, normalize: weird}"), "unknown normalize",
     "demo.count/posts"),
    (("(?P<unit>条)'", "(?P<unit>条)'\n        subject: {group: who}"), "does not define", "demo.count/posts"),
    (("patterns:", "patterns: [\n"), "not valid YAML", None),
])
def test_bad_files_are_errors_naming_file_and_rule(tmp_path, change, message, rule_id):
    write(tmp_path, "demo.count.yaml", GOOD.replace(*change))
    with pytest.raises(ruleset.RuleFileError) as e:
        ruleset.load_ruleset([tmp_path])
    assert message in str(e.value)
    assert e.value.path.endswith("demo.count.yaml")
    assert str(e.value).startswith("demo.count.yaml")
    assert e.value.rule_id == rule_id
    assert ruleset.test_rules([tmp_path], "text", io.StringIO()) == 2


def test_duplicate_ids_are_errors(tmp_path):
    body = GOOD.replace("    examples:", "      - id: demo.count/posts\n        pattern: 'x'\n    examples:")
    write(tmp_path, "demo.count.yaml", body)
    with pytest.raises(ruleset.RuleFileError, match="duplicate pattern id"):
        ruleset.load_ruleset([tmp_path])


def test_a_directorys_fragments_override_the_shared_ones(tmp_path):
    write(tmp_path, "fragments.yaml", "fragments:\n  gap: '[^。]{0,2}?'\n")
    write(tmp_path, "demo.count.yaml", GOOD)
    rs = ruleset.load_ruleset([tmp_path])
    assert [c.value for c in extract_from_text("样例发布信息12条。", rs)] == [12]
    assert extract_from_text("样例发布了很多很多信息12条。", rs) == []


def test_verbose_mode_ignores_spaces_and_comments_unless_escaped(tmp_path):
    write(tmp_path, "demo.count.yaml", """\
        type: demo.count
        patterns:
          - id: demo.count/escaped
            pattern: |-
              编号\\#\\ 发布   # a comment: the spaces before it are ignored
              \\s* {number} \\s* (?P<unit>条)
        examples:
          - text: '编号# 发布 7 条。'
            claims: [{value: 7}]
        counterexamples:
          - 编号#发布7条。
          - 编号 发布7条。
        """)
    rs = ruleset.load_ruleset([tmp_path])
    assert [c.value for c in extract_from_text("编号# 发布 7 条。", rs)] == [7]
    assert extract_from_text("编号#发布7条。", rs) == []
    assert ruleset.test_rules([tmp_path], "text", io.StringIO()) == 0


def test_const_values_and_units(tmp_path):
    write(tmp_path, "demo.flag.yaml", """\
        type: demo.flag
        patterns:
          - id: demo.flag/none
            pattern: '未收到样例'
            value: {const: 0}
            unit: {const: 件}
        examples:
          - text: 本年度未收到样例。
            claims: [{value: 0, unit: 件}]
        counterexamples: [收到样例3件。]
        """)
    rs = ruleset.load_ruleset([tmp_path])
    [c] = extract_from_text("本年度未收到样例。", rs)
    assert (c.value, c.unit, c.rule) == (0, "件", "demo.flag/none")


def test_cli_rules_test_on_a_directory(tmp_path):
    from typer.testing import CliRunner

    from xxgk.extract.cli import app
    write(tmp_path, "demo.count.yaml", GOOD)
    r = CliRunner().invoke(app, ["rules", "test", str(tmp_path)])
    assert r.exit_code == 0, r.output
    write(tmp_path, "demo.count.yaml", GOOD.replace("{gap}", "{nosuch}"))
    r = CliRunner().invoke(app, ["rules", "test", str(tmp_path)])
    assert r.exit_code == 2


def test_rules_list_names_every_type(shipped):
    out = io.StringIO()
    assert ruleset.list_rules("json", out) == 0
    data = json.loads(out.getvalue())
    assert {t["type"] for t in data["claim_types"]} == {f.type for f in shipped.files}


def test_explain_a_claim_type_and_a_rule():
    out = io.StringIO()
    assert ruleset.explain_type("proactive.wechat_posts", "text", out) == 0
    text = out.getvalue()
    assert "proactive.wechat_posts/account-published" in text and "examples:" in text
    out = io.StringIO()
    assert ruleset.explain_type("proactive.total/active-disclosure", "json", out) == 0
    data = json.loads(out.getvalue())
    assert [r["id"] for r in data["rules"]] == ["proactive.total/active-disclosure"]
    assert not regex.search(r"(?<!\\)(?<!\\[pPN])\{[A-Za-z_]\w*\}", data["rules"][0]["expanded"])
    assert ruleset.explain_type("proactive.nosuch", "text", io.StringIO()) == 2
    assert ruleset.explain_type("proactive.total/nosuch", "text", io.StringIO()) == 2


def test_requires_gates_a_pattern(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", "requires: [样例]\n    patterns:").replace(
        "样例发布{gap}", "(?:样例|示例)发布{gap}"))
    rs = ruleset.load_ruleset([tmp_path])
    assert [c.value for c in extract_from_text("样例发布信息12条。", rs)] == [12]
    assert extract_from_text("示例发布信息12条。", rs) == []     # the pattern alone would match


def test_also_requires_adds_a_clause_to_the_files_words(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", "requires: [样例, 示例]\n    patterns:").replace(
        "样例发布{gap}", "(?:样例|示例)发布{gap}").replace(
        "id: demo.count/posts", "id: demo.count/posts\n        also_requires: [发布信息]"))
    rs = ruleset.load_ruleset([tmp_path])
    assert rs.patterns[0].requires == (("样例", "示例"), ("发布信息",))
    assert [c.value for c in extract_from_text("示例发布信息12条。", rs)] == [12]
    assert extract_from_text("示例发布 信息12条。", rs) == []     # the first clause alone is not enough


def test_requires_as_clauses_and_bad_forms(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", "requires: [[样例], [条, 件]]\n    patterns:"))
    rs = ruleset.load_ruleset([tmp_path])
    assert rs.patterns[0].requires == (("样例",), ("条", "件"))
    assert [c.value for c in extract_from_text("样例发布信息12条。", rs)] == [12]
    write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", "requires: []\n    patterns:"))
    assert ruleset.load_ruleset([tmp_path]).patterns[0].requires == ()     # an empty list: no gate
    for bad in ("[[样例], []]", "[样例, [条]]", "[1]"):
        write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", f"requires: {bad}\n    patterns:"))
        with pytest.raises(ruleset.RuleFileError, match="requires"):
            ruleset.load_ruleset([tmp_path])


def test_a_word_inside_a_longer_word_still_opens_its_gate(tmp_path):
    # the gate scanner reports the longest word at each place: 公开 must still fire inside 公开平台
    write(tmp_path, "demo.count.yaml", GOOD.replace(
        "id: demo.count/posts", "id: demo.count/posts\n        requires: [公开平台]").replace(
        "      - text: 样例发布信息12条。", "      - text: 公开平台样例发布信息12条。"))
    (tmp_path / "demo.other.yaml").write_text(textwrap.dedent("""\
        type: demo.other
        requires: [公开]
        patterns:
          - id: demo.other/open
            pattern: '公开{gap}{number}\\s*(?P<unit>项)'
        examples:
          - text: 公开平台上线3项。
            claims: [{value: 3, unit: 项}]
        counterexamples:
          - 公开平台上线。
        """), encoding="utf-8")
    rs = ruleset.load_ruleset([tmp_path])
    got = {(c.type, c.value) for c in extract_from_text("公开平台样例发布信息12条,公开平台上线3项。", rs)}
    assert got == {("demo.count", 12), ("demo.other", 3)}


def test_the_gate_scan_agrees_with_looking_for_every_word(shipped):
    """Texts made of the gate words' own characters (so words overlap and nest, 专栏目 = 专栏 + 栏目): the one
    scan must open exactly the groups whose every clause has a word in the text."""
    import random
    gates = shipped.gated()
    words = sorted({w for g in gates.groups for _, p in g[:1] for c in p.requires for w in c})
    rnd = random.Random(7)
    pieces = words + sorted({ch for w in words for ch in w})
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8)))
        want = [g for g in gates.groups if all(any(w in text for w in c) for c in g[0][1].requires)]
        assert gates.fired(text) == want, text


def test_requires_words_are_implied_by_their_patterns(shipped):
    """A gate may only skip sentences the pattern cannot match: run every gated pattern without its gate over
    every example and counterexample, and require a word of each clause wherever it matches."""
    from xxgk.extract.claim_extraction import split_sentences
    texts = [ruleset.prepare_text(t) for f in shipped.files
             for t in [e.text for e in f.examples] + f.counterexamples]
    wrong = []
    for text in texts:
        for s in split_sentences(text):
            for p in shipped.patterns:
                if p.requires and any(m.end() > m.start() for m in p.regex.finditer(s.text)):
                    wrong += [(p.id, s.text, c) for c in p.requires if not any(w in s.text for w in c)]
    assert not wrong


def test_per_report_best_keeps_one_claim(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", "per_report: best\n    patterns:"))
    rs = ruleset.load_ruleset([tmp_path])
    assert [c.value for c in extract_from_text("样例发布信息12条。样例发布信息30条。样例发布信息7条。", rs)] == [30]
    write(tmp_path, "demo.count.yaml", GOOD.replace("patterns:", "per_report: all\n    patterns:"))
    with pytest.raises(ruleset.RuleFileError, match="per_report"):
        ruleset.load_ruleset([tmp_path])


def test_priority_decides_between_types_reading_the_same_number(tmp_path):
    write(tmp_path, "demo.count.yaml", GOOD)
    write(tmp_path, "demo.other.yaml", """\
        type: demo.other
        priority: 5
        patterns:
          - id: demo.other/posts
            pattern: '发布{gap}{number}\\s*(?P<unit>条)'
        """)
    rs = ruleset.load_ruleset([tmp_path])
    assert [(c.type, c.value) for c in extract_from_text("样例发布信息12条。", rs)] == [("demo.other", 12)]


def test_units_found_in_examples_are_the_files_declared_units(shipped):
    files = {f.type: f for f in shipped.files}
    for f in shipped.files:
        for ex in f.examples:
            for c in extract_from_text(ruleset.prepare_text(ex.text), shipped):
                declared = files[c.type].units
                assert not (c.unit and declared) or c.unit in declared, (c.type, c.unit, ex.text)


def test_a_comment_in_a_folded_pattern_is_named_at_load(tmp_path):
    write(tmp_path, "demo.count.yaml", """\
        type: demo.count
        patterns:
          - id: demo.count/folded
            pattern: >-
              样例发布   # the verb
              {number} \\s* (?P<unit>条)
        """)
    with pytest.raises(ruleset.RuleFileError, match=r"folded \(>-\) pattern \(line 4\)"):
        ruleset.load_ruleset([tmp_path])


@pytest.mark.parametrize("text, has", [
    ("a#b", True), ("a \\# b", False), ("[#]", False), ("[]#]x", False), ("[^#]#", True), ("\\\\#", True),
])
def test_comment_detection(text, has):
    assert ruleset._has_comment(text) is has


def test_a_rule_file_is_tested_beside_the_other_shipped_files(tmp_path):
    """Extraction runs the whole set, so a file's counterexamples may rely on other types' rules
    (主动公开规章0件 is proactive.regulations, not a proactive.total); testing one file keeps that context."""
    import io
    import shutil

    from xxgk.extract import ruleset
    shutil.copy(ruleset.shipped_rules_dir() / "proactive.total.yaml", tmp_path / "proactive.total.yaml")
    rs, types = ruleset.with_shipped([tmp_path])
    assert types == {"proactive.total"}
    assert {f.type for f in rs.files} >= {"proactive.total", "proactive.regulations"}
    assert sum(f.type == "proactive.total" for f in rs.files) == 1
    out = io.StringIO()
    assert ruleset.test_rules([tmp_path], "text", out) == 0, out.getvalue()
