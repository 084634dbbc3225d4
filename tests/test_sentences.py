"""spaCy segmentation with jieba and the domain lexicon; the xxgk_claims component in a fresh pipeline."""
from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
pytest.importorskip("jieba")

from xxgk.extract import sentences  # noqa: E402

CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}
TEXT = "全年通过“青禾发布”微信公众号发布信息４１５期。\n政务微博发布信息320条，其中原创信息100条。"


@pytest.fixture(scope="module")
def fresh():
    nlp = spacy.blank("zh", config=CONFIG)
    nlp.add_pipe("xxgk_claims")
    return nlp


def test_component_is_found_through_the_entry_point(fresh):
    assert "xxgk_claims" in fresh.pipe_names
    from importlib.metadata import entry_points
    names = {e.name for e in entry_points(group="spacy_factories")}
    assert "xxgk_claims" in names


def test_claims_become_spans_on_the_doc(fresh):
    doc = fresh(TEXT)
    spans = doc.spans["claims"]
    assert [(s.label_, s._.claim.value) for s in spans] == [("proactive.wechat_posts", 415),
                                                             ("proactive.weibo_posts", 320)]
    # found in the NFKC form, mapped back onto the full-width original
    assert spans[0].text.endswith("４１５期")
    assert spans[1].text == "政务微博发布信息320条"


def test_sentences_follow_the_claim_splitter(fresh):
    doc = fresh(TEXT)
    assert [s.text.strip() for s in doc.sents] == ["全年通过“青禾发布”微信公众号发布信息４１５期。",
                                                   "政务微博发布信息320条，其中原创信息100条。"]


def test_the_lexicon_keeps_domain_words_whole(fresh):
    doc = fresh("通过微信公众号发布信息,制发行政规范性文件,收取信息处理费,召开新闻发布会。")
    words = {t.text for t in doc}
    for w in ("微信公众号", "行政规范性文件", "信息处理费", "新闻发布会"):
        assert w in words


def test_component_with_a_users_rule_directory(tmp_path):
    (tmp_path / "demo.count.yaml").write_text(
        "type: demo.count\npatterns:\n  - id: demo.count/x\n    pattern: '样例{gap}{number}\\s*(?P<unit>条)'\n",
        encoding="utf-8")
    nlp = spacy.blank("zh", config=CONFIG)
    nlp.add_pipe("xxgk_claims", config={"rules": str(tmp_path)})
    doc = nlp("样例发布信息12条。微信公众号发布信息3条。")
    assert [(s.label_, s._.claim.value) for s in doc.spans["claims"]] == [("demo.count", 12)]


def test_build_doc_attaches_given_claims():
    from xxgk.extract.claim_extraction import extract_from_text
    text = "召开新闻发布会6场,发布政策解读45篇。"
    claims = extract_from_text(text)
    doc = sentences.build_doc(text, claims)
    assert [s.text for s in doc.spans["claims"]] == [text[c.start:c.end] for c in claims]
    assert {s.label_ for s in doc.spans["claims"]} == {"proactive.press_conferences", "proactive.interpretations"}


def test_nfkc_map_points_back_to_the_source():
    norm, offsets = sentences.nfkc_with_map("发布１２条（期）")
    assert norm == "发布12条(期)"
    assert len(offsets) == len(norm) + 1
    assert offsets[norm.index("1")] == 2


def test_describe_lists_prose_sentences_with_tokens_and_claims():
    from xxgk.extract import pipeline
    text = ("青禾区2023年政府信息公开工作年度报告\n一、总体情况\n(一)主动公开\n"
            "全年召开新闻发布会6场,发布政策解读45篇。\n加强平台建设。\n")
    a = pipeline.analyse(text.encode("utf-8"), "青禾区.txt", stages=frozenset())
    rows = sentences.describe(a)
    [row] = [r for r in rows if r["claims"]]
    assert [c["type"] for c in row["claims"]] == ["proactive.press_conferences", "proactive.interpretations"]
    assert row["claims"][0]["tokens"][:1] == ["新闻发布会"]
    assert "政策解读" in row["tokens"]
    assert any(r["text"] == "加强平台建设。" and not r["claims"] for r in rows)


def test_a_fresh_process_finds_the_component_through_the_entry_point(tmp_path):
    import subprocess
    import sys
    code = ("import spacy\n"
            "nlp = spacy.blank('zh', config={'nlp': {'tokenizer': {'segmenter': 'jieba'}}})\n"
            "nlp.add_pipe('xxgk_claims')\n"
            "doc = nlp('召开新闻发布会6场。')\n"
            "print([(s.label_, s.text) for s in doc.spans['claims']])\n")
    r = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert r.stdout.strip().splitlines()[-1] == "[('proactive.press_conferences', '新闻发布会6场')]"
