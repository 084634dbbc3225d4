"""The digit-split search for cells that ran together, on invented digit strings and invented tables."""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from xxgk.extract import table_runtogether as rt
from xxgk.extract.table_parsing import parse_tables
from xxgk.models import NormalizedText, SectionMap

_spec = importlib.util.spec_from_file_location("tables_builder",
                                               Path(__file__).parent / "fixtures" / "tables" / "builder.py")
B = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(B)


@pytest.mark.parametrize("digits, want", [
    ("801000081", [(80, 1, 0, 0, 0, 0, 81)]),
    ("0000000", [(0,) * 7]),
    ("130000013", [(13, 0, 0, 0, 0, 0, 13)]),
    ("220000325", [(2, 20, 0, 0, 0, 3, 25), (22, 0, 0, 0, 0, 3, 25)]),
    ("12", []),                      # too few digits for seven cells
])
def test_row_with_total(digits, want):
    assert sorted(rt.row_with_total([digits], 7)) == sorted(want)


def test_separated_tokens_are_forced_cuts():
    # `500000 5`: the space forbids reading 5|0|0|0|0|0|05 or 50|…
    assert rt.row_with_total(["500000", "5"], 7) == [(5, 0, 0, 0, 0, 0, 5)]
    assert rt.free_splits(["12", "3"], 3) == [(1, 2, 3)]


def test_table4_groups_each_end_in_their_total():
    assert rt.grouped_rows(["210141000100101"], 3, 5) == [(2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1)]
    assert rt.grouped_rows(["0" * 15], 3, 5) == [(0,) * 15]


def test_a_zero_stands_alone():
    # 1005 → 1|0|05 and 1|00|5 are no readings: a cell does not start with 0
    assert rt.free_splits(["1005"], 3) == [(10, 0, 5)]


def test_closest_when_the_report_sum_is_wrong():
    assert rt.row_with_total(["120000114"], 7) == []
    assert rt.closest(["120000114"], 1, 7) == [(12, 0, 0, 0, 0, 1, 14)]


def test_closest_gives_up_on_too_many_cuts():
    assert rt.closest(["1234567891234567891234567"], 1, 7) == []


def _random_tables(rng: random.Random):
    result_rows = [k for k, _ in B.T3_LABELS
                   if k not in ("new_received", "carried_over", "results_total", "carried_forward")]
    t3 = {}
    scale = rng.choice([3, 10, 60, 400])
    for k in result_rows:
        v = [rng.randint(0, scale) if rng.random() < 0.7 else 0 for _ in range(6)]
        if rng.random() < 0.6:
            v = [0] * 6
        t3[k] = tuple(v + [sum(v)])
    total = [sum(t3[k][i] for k in result_rows) for i in range(7)]
    forward = [rng.randint(0, 3) if rng.random() < 0.3 else 0 for _ in range(6)]
    forward.append(sum(forward))
    t3["results_total"], t3["carried_over"], t3["carried_forward"] = tuple(total), (0,) * 7, tuple(forward)
    t3["new_received"] = tuple(a + b for a, b in zip(total, forward))
    t4: list[int] = []
    for _ in range(3):
        v = [rng.randint(0, 6) if rng.random() < 0.4 else 0 for _ in range(4)]
        t4 += v + [sum(v)]
    t2 = {"regulations": (rng.randint(0, 3), rng.randint(0, 2), rng.randint(3, 40)),
          "normative_documents": (rng.randint(0, 30), rng.randint(0, 10), rng.randint(30, 900)),
          "licensing": (rng.randint(0, 5000),), "penalty": (rng.randint(0, 900),),
          "coercion": (rng.randint(0, 50),),
          "fees": (rng.choice([0, 1.5, 23.75]),)}
    return t2, t3, tuple(t4)


def test_run_together_tables_are_read_right_or_flagged(monkeypatch):
    """Random invented tables that add up, printed with no separators: every cell is right or in an S006."""
    rng = random.Random(20231)
    for _ in range(40):
        t2, t3, t4 = _random_tables(rng)
        monkeypatch.setattr(B, "T2", t2)
        monkeypatch.setattr(B, "T3", t3)
        monkeypatch.setattr(B, "T4", t4)
        text = B.report(B.run_together, t2=t2, t3=t3, t4=t4)
        result = parse_tables(NormalizedText(text=text, offsets=list(range(len(text) + 1)), original=text),
                              SectionMap(sections=[]), [])
        got = {c.key: c.value for c in result.cells}
        flagged = {k for i in result.issues if i.code == "S006" for a in i.alternatives for k in a}
        wrong = [k for k, v in B.expected().items() if got.get(k, "absent") != v and k not in flagged]
        assert wrong == [], wrong
        for i in result.issues:
            assert i.code == "S006", i
            truth = B.expected()
            assert i.alternatives and any(all(truth[k] == v for k, v in a.items()) for a in i.alternatives)


def test_row_with_subtotal_in_either_place():
    # 自然人 41, five organisation columns 3 0 1 2 0 (subtotal 6), 总计 47
    assert rt.row_with_subtotal(["4130120647"], subtotal_first=False) == [(41, 3, 0, 1, 2, 0, 6, 47)]
    assert rt.row_with_subtotal(["4163012047"], subtotal_first=True) == [(41, 6, 3, 0, 1, 2, 0, 47)]


def test_run_together_eight_column_table3():
    def eight(rows):
        return B.run_together(B.with_organisations(rows, header=True))
    text = B.report(eight)
    result = parse_tables(NormalizedText(text=text, offsets=list(range(len(text) + 1)), original=text),
                          SectionMap(sections=[]), [])
    got = {c.key: c.value for c in result.cells}
    for k, v in B.expected().items():
        if k.startswith("t3/"):
            assert got[k] == v, k
    assert got["t3/new_received/organisations"] == 6
