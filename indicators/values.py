"""Indicator values (指标值): one parser used by forms, checks, import and PDFs.

A value is either quantitative — an optional operator, a number and an optional
unit (``≥90%``, ``≤16.48万元``, ``31.7万``, ``≧2次``) — or a qualitative target
(``效果显著``, ``按时完成``, ``不晚于12月底``). ``parse`` never fails: text it
cannot read as a number is qualitative, and the checks decide what to warn of.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

# Canonical operators, as the central template prints them.
GE, LE, GT, LT, EQ = "≥", "≤", "＞", "＜", "="
OPERATORS = [GE, LE, EQ, GT, LT]
POSITIVE = {GE, GT, EQ}
NEGATIVE = {LE, LT}

# Spellings after NFKC (which turns ＞ into >, ％ into %, full-width digits into
# ASCII) mapped to the canonical operator. Longest first so ">=" beats ">".
_OPERATORS = [
    (">=", GE),
    ("<=", LE),
    ("=>", GE),
    ("=<", LE),
    ("›=", GE),
    ("‹=", LE),
    ("≥", GE),
    ("≧", GE),
    ("⩾", GE),
    ("≤", LE),
    ("≦", LE),
    ("⩽", LE),
    (">", GT),
    ("<", LT),
    ("==", EQ),
    ("=", EQ),
    ("不低于", GE),
    ("不少于", GE),
    ("大于等于", GE),
    ("不高于", LE),
    ("不超过", LE),
    ("不多于", LE),
    ("小于等于", LE),
    ("大于", GT),
    ("高于", GT),
    ("小于", LT),
    ("低于", LT),
    ("等于", EQ),
]
_OPERATOR_PATTERN = "|".join(re.escape(spelling) for spelling, _ in _OPERATORS)
_QUANTITATIVE = re.compile(
    rf"^(?P<op>{_OPERATOR_PATTERN})?\s*"
    r"(?P<number>[+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<unit>[^\d\s][^\d]*)?$"
)
_OPERATOR_ONLY = re.compile(rf"^(?P<op>{_OPERATOR_PATTERN})\s*(?P<unit>[^\d]*)$")

PERCENT_UNITS = {"%", "百分比", "百分点"}
# Units a value may name without a number by mistake ("%" alone).
KNOWN_UNITS = PERCENT_UNITS | {
    "元",
    "万元",
    "亿元",
    "千元",
    "万",
    "人",
    "人次",
    "万人",
    "万人次",
    "个",
    "次",
    "户",
    "家",
    "天",
    "日",
    "月",
    "年",
    "项",
    "份",
    "台",
    "套",
    "件",
    "条",
    "所",
    "场",
    "期",
    "篇",
    "本",
    "册",
    "辆",
    "吨",
    "米",
    "公里",
    "平方米",
    "小时",
    "工作日",
    "分",
}
# Money units and their worth in 万元, for comparing cost indicators with budgets.
_WAN_PER_UNIT = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
}


@dataclass(frozen=True)
class IndicatorValue:
    operator: str = ""
    number: Decimal | None = None
    unit: str = ""
    qualitative: str = ""

    @property
    def is_quantitative(self) -> bool:
        return self.number is not None

    @property
    def names_unit_without_number(self) -> bool:
        """``%`` or ``≥万元``: a unit (or operator) was typed but no number."""
        if self.number is not None:
            return False
        return bool(self.operator) or self.qualitative in KNOWN_UNITS

    @property
    def is_percent(self) -> bool:
        return self.unit in PERCENT_UNITS

    @property
    def is_upper_bound(self) -> bool:
        """The value caps the quantity: ≤, ＜, = or a bare number."""
        return self.is_quantitative and self.operator in {LE, LT, EQ, ""}

    def amount_in_wan(self) -> Decimal | None:
        """The value in 万元 when it is a sum of money, else None."""
        if self.number is None or self.unit not in _WAN_PER_UNIT:
            return None
        return self.number * _WAN_PER_UNIT[self.unit]

    def canonical(self) -> str:
        """The text of the value with canonical operators (``≧`` becomes ``≥``)."""
        if self.number is None:
            return f"{self.operator}{self.unit}{self.qualitative}"
        return f"{self.operator}{_format_number(self.number)}{self.unit}"

    def __str__(self):
        return self.canonical()


# Ways to type ≥ and ≤ on a keyboard without them, in either width: stored
# as ≥ and ≤. Words (不低于, 不超过) and the rest of the text stay as typed.
_TYPED_GE = re.compile(r"[>＞›]\s*[=＝]|[=＝]\s*[>＞]|[≧⩾]")
_TYPED_LE = re.compile(r"[<＜‹]\s*[=＝]|[=＝]\s*[<＜]|[≦⩽]")


def normalised(text: str) -> str:
    """A value as it is stored: ``>=90%``, ``＞＝90％`` and ``≧90%`` become
    ``≥90%`` and ``≥90％``; nothing else of what was typed changes."""
    return _TYPED_LE.sub(LE, _TYPED_GE.sub(GE, text or ""))


def _format_number(number: Decimal) -> str:
    # Keep the digits as written: 25.00 stays 25.00, 31.7 stays 31.7.
    return format(number, "f")


def compose(operator: str, number: Decimal | None, unit: str, text: str = "") -> str:
    """The text of a value from its parts (符号, 指标值, 计量单位): ``≥90%``.
    Without a number the value is qualitative and its text is ``text``."""
    if number is None:
        return (text or "").strip()
    return f"{operator or ''}{_format_number(number)}{(unit or '').strip()}"


def _operator(spelling: str | None) -> str:
    if not spelling:
        return ""
    return dict(_OPERATORS)[spelling]


def parse(text: str | None) -> IndicatorValue:
    """Read the text of a value; blank text gives a blank value."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    if not cleaned:
        return IndicatorValue()
    match = _QUANTITATIVE.match(cleaned)
    if match:
        return IndicatorValue(
            operator=_operator(match["op"]),
            number=Decimal(match["number"].replace(",", "")),
            unit=(match["unit"] or "").strip(),
        )
    match = _OPERATOR_ONLY.match(cleaned)
    if match and (match["unit"].strip() in KNOWN_UNITS or not match["unit"].strip()):
        return IndicatorValue(
            operator=_operator(match["op"]), unit=match["unit"].strip()
        )
    return IndicatorValue(qualitative=cleaned)
