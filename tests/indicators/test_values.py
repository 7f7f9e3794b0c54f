from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.values import GE, GT, LE, LT, compose, normalised, parse

# Every indicator value printed in the three reference tables, with what it says.
REFERENCE_VALUES = [
    ("≥90百分比", GE, "90", "百分比"),
    ("31.7万", "", "31.7", "万"),
    ("≥200人", GE, "200", "人"),
    ("≥500人", GE, "500", "人"),
    ("100%", "", "100", "%"),
    ("≥90%", GE, "90", "%"),
    ("≥80%", GE, "80", "%"),
    ("≤35万元", LE, "35", "万元"),
    ("≥1元", GE, "1", "元"),
    ("11个", "", "11", "个"),
    ("136个", "", "136", "个"),
    ("2400元", "", "2400", "元"),
    ("15000元", "", "15000", "元"),
    ("72人", "", "72", "人"),
    ("24", "", "24", ""),
    ("186", "", "186", ""),
    ("≧2次", GE, "2", "次"),
    ("≧10次", GE, "10", "次"),
    ("≦100%", LE, "100", "%"),
    ("≦677.56万元", LE, "677.56", "万元"),
    ("≦50.46万元", LE, "50.46", "万元"),
    ("≦25万元", LE, "25", "万元"),
    ("≦8万元", LE, "8", "万元"),
    ("≦10万元", LE, "10", "万元"),
    ("≦20万元", LE, "20", "万元"),
    ("≧95%", GE, "95", "%"),
    ("≧90%", GE, "90", "%"),
]
REFERENCE_QUALITATIVE = [
    "效果显著",
    "显著提升",
    "显著",
    "予以保障",
    "常态化",
    "及时完成",
    "按时完成",
    "不晚于12月底",
]


@pytest.mark.parametrize(("text", "operator", "number", "unit"), REFERENCE_VALUES)
def test_every_quantitative_reference_value_parses_without_loss(
    text, operator, number, unit
):
    value = parse(text)
    assert (value.operator, value.number, value.unit) == (
        operator,
        Decimal(number),
        unit,
    )
    # Only the full-width operator spellings change in the canonical text.
    assert value.canonical() == text.replace("≧", "≥").replace("≦", "≤")
    assert parse(value.canonical()) == value


@pytest.mark.parametrize("text", REFERENCE_QUALITATIVE)
def test_qualitative_reference_values_are_kept_as_written(text):
    value = parse(text)
    assert not value.is_quantitative
    assert value.qualitative == text
    assert value.canonical() == text


@pytest.mark.parametrize(
    ("text", "operator"),
    [
        (">=5个", GE),
        ("＞3次", GT),
        ("<1%", LT),
        ("不低于95%", GE),
        ("不超过10万元", LE),
    ],
)
def test_other_spellings_of_operators_are_read(text, operator):
    assert parse(text).operator == operator


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (">=2次", "≥2次"),
        ("<=60分钟", "≤60分钟"),
        ("＞＝90％", "≥90％"),
        ("‹=60分钟", "≤60分钟"),
        ("≧95%", "≥95%"),
        ("=<10万元", "≤10万元"),
        ("> = 3 个", "≥ 3 个"),
        ("满意度>=90%", "满意度≥90%"),
        # Words, other operators and the rest of the text stay as typed.
        ("不低于95%", "不低于95%"),
        ("＞3次", "＞3次"),
        ("不晚于12月底", "不晚于12月底"),
    ],
)
def test_typed_operators_are_stored_as_ge_and_le(typed, stored):
    assert normalised(typed) == stored


def test_a_stored_value_reads_as_what_was_typed():
    assert parse(normalised("‹=60分钟")).operator == LE
    assert parse(normalised("＞＝90％")).number == 90


def test_full_width_digits_and_percent_are_read():
    value = parse("≥９５％")
    assert (value.number, value.unit) == (Decimal(95), "%")


def test_a_unit_alone_is_recognised_as_missing_its_number():
    assert parse("%").names_unit_without_number
    assert parse("≥万元").names_unit_without_number
    assert not parse("效果显著").names_unit_without_number


def test_money_is_converted_to_wan_yuan():
    assert parse("≤15.87万元").amount_in_wan() == Decimal("15.87")
    assert parse("2400元").amount_in_wan() == Decimal("0.24")
    assert parse("≥90%").amount_in_wan() is None


operators = st.sampled_from(["", "≥", "≤", "＞", "＜", "="])
numbers = st.decimals(
    min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=2
)
units = st.sampled_from(["", "%", "万元", "元", "人", "次", "个", "百分比", "万人次"])


@given(operators, numbers, units)
def test_round_trip_of_quantitative_values(operator, number, unit):
    text = f"{operator}{number}{unit}"
    value = parse(text)
    assert (value.operator, value.number, value.unit) == (operator, number, unit)
    assert value.canonical() == text
    assert parse(value.canonical()) == value


@given(st.text(max_size=30))
def test_any_text_parses_and_its_canonical_form_is_stable(text):
    value = parse(text)
    assert parse(value.canonical()) == value


@given(operators, numbers, units)
def test_parts_written_as_text_read_back_as_the_same_parts(operator, number, unit):
    value = parse(compose(operator, number, unit))
    assert (value.operator, value.number, value.unit) == (operator, number, unit)


def test_without_a_number_the_parts_are_the_qualitative_text():
    assert compose("", None, "", " 效果显著 ") == "效果显著"
    assert parse(compose("≥", None, "%", "按时完成")).qualitative == "按时完成"
