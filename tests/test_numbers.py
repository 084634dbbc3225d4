"""Value normalisers: digits, full-width, separators, 万, Chinese numerals, approximations, money, plan lists."""
from __future__ import annotations

import pytest

from xxgk.extract import numbers


@pytest.mark.parametrize("raw, value, approx", [
    ("297", 297, False),
    ("１２３", 123, False),
    ("1,234", 1234, False),
    ("12,345,678", 12345678, False),
    ("4.14万", 41400, False),
    ("１．２万", 12000, False),
    ("3 万", 30000, False),
    ("二十三", 23, False),
    ("一千二百五十六", 1256, False),
    ("两千", 2000, False),
    ("十二", 12, False),
    ("零", 0, False),
    ("近千", 1000, True),
    ("300余", 300, True),
    ("2000多", 2000, True),
    ("约50", 50, True),
    ("超过100", 100, True),
    ("(1386)", 1386, False),
    ("（1386）", 1386, False),
    ("三百余", 300, True),
    ("上千", 1000, True),
    ("1.2万余", 12000, True),
])
def test_count(raw, value, approx):
    got, is_approx = numbers.count(raw)
    assert got == value and isinstance(got, int)
    assert is_approx is approx


@pytest.mark.parametrize("raw", ["", ",", "()", "余", "abc", "十四五规划", "1.2.3"])
def test_count_rejects_what_is_not_a_number(raw):
    with pytest.raises(numbers.NumberError):
        numbers.count(raw)


@pytest.mark.parametrize("raw, unit, value", [
    ("380", "元", 380),
    ("380元", None, 380),
    ("1.5", "万元", 15000),
    ("0.25", "万元", 2500),
    ("12.5", "元", 12.5),
    ("0", "元", 0),
    ("二百", "元", 200),
])
def test_amount_in_yuan(raw, unit, value):
    assert numbers.amount(raw, unit)[0] == value


def test_plan_list_splits_names_and_drops_the_trailing_etc():
    names, approx = numbers.plan_list("“十四五”青禾区数字经济发展规划、《青禾区工业发展规划》、生态保护规划（2021-2030）、"
                                      "村庄规划等专项规划")
    assert names == ["“十四五”青禾区数字经济发展规划", "青禾区工业发展规划", "生态保护规划（2021-2030）", "村庄规划"]
    assert approx is False


def test_plan_list_keeps_separators_inside_brackets():
    names, _ = numbers.plan_list("云溪县交通规划(2021、2022年度)、云溪县水利规划")
    assert names == ["云溪县交通规划（2021、2022年度）", "云溪县水利规划"]


def test_normalizer_lookup():
    assert numbers.normalizer("count") is numbers.count
    with pytest.raises(KeyError, match="unknown normalizer"):
        numbers.normalizer("nosuch")
