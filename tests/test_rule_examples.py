"""Every example and counterexample of every shipped rule file, one test id each (`proactive.wechat_posts[3]`;
counterexamples are `[!n]`)."""
from __future__ import annotations

import pytest

from xxgk.extract import ruleset


def _cases():
    try:
        rs = ruleset.load_ruleset()
    except ruleset.RuleFileError as e:      # an invalid file is one failing case that names it
        return [pytest.param(None, None, None, str(e), id="rule-files-load")]
    cases = []
    for rf in rs.files:
        for i, ex in enumerate(rf.examples, 1):
            cases.append(pytest.param(rs, rf, ex.text, ex.claims, id=f"{rf.type}[{i}]"))
        for i, text in enumerate(rf.counterexamples, 1):
            cases.append(pytest.param(rs, rf, text, [], id=f"{rf.type}[!{i}]"))
    return cases


@pytest.mark.parametrize("rs, rf, text, wanted", _cases())
def test_rule_example(rs, rf, text, wanted):
    if rs is None:
        pytest.fail(f"rule files do not load: {wanted}")
    ok, message, _ = ruleset.check_example(rs, rf, text, wanted)
    assert ok, f"{text}: {message}"
