"""One rule per field: how an id, a year, an amount, a percentage, a 分值 or
a date is read from what a person typed, whichever door it comes through.

The entry pages, the spreadsheet import (and the Word import, whose rows go
through it), the admin and the views' query strings all call these, so a
value one door refuses every other door refuses too, in the same words: a
budget of -5 万元 is refused by the import as by the funds page. Each rule
raises a ValidationError with its message; the forms show it under the
field, the import in the row and column it is in.

What every number rule accepts: ASCII digits, full-width digits (０-９, as a
Chinese input method types them), a decimal point, thousands separators in
threes (1,234.50; "1,5" is refused rather than read as 15), an exponent
(Excel writes 1e-05). Refused: NaN, Infinity, other scripts' digits, ², a
value the database column cannot hold.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

# A row's id, as a BigAutoField holds it.
MAX_ID = 2**63 - 1
# The years a declaration, a deadline or a book may be of.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# The years a typed date may fall in (an own field or a side table's cell).
FIRST_DATE_YEAR, LAST_DATE_YEAR = 1900, 2100

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
_DIGITS = re.compile(r"[0-9]+")
# Linear: the two forms of the whole part cannot both match a prefix for long.
_NUMBER = re.compile(
    r"[+-]?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)"
    r"(?P<fraction>\.[0-9]*)?(?:[eE][+-]?[0-9]{1,5})?"
)


def _typed(value) -> str:
    """The text of a value as typed: full-width forms made ASCII, the
    blanks around it dropped. A float (a spreadsheet's number) is written
    as Excel shows it, to 15 significant digits, so that 0.1 + 0.2 is 0.3."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value).translate(_FULL_WIDTH).strip()


def whole_number(value, low: int, high: int) -> int | None:
    """The whole number in `value` if it is ASCII digits between `low` and
    `high`, else None. (`"²".isdigit()` is true and `int("²")` fails; a
    5,000-digit id fails `int()` and overflows the database.)"""
    text = value.strip() if isinstance(value, str) else ""
    if not text.isascii() or not _DIGITS.fullmatch(text) or len(text) > 19:
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """A row's id from a form or a query string, or None if it is none."""
    return whole_number(value, 1, MAX_ID)


YEAR_MESSAGE = f"年度请填写 {FIRST_YEAR}–{LAST_YEAR} 之间的四位数字，如 2025。"


def parse_year(value) -> int | None:
    """A year of 2000–2100, or None if blank."""
    text = _typed(value)
    if not text:
        return None
    year = whole_number(text, FIRST_YEAR, LAST_YEAR)
    if year is None or len(text) != 4:
        raise ValidationError(YEAR_MESSAGE, code="invalid")
    return year


@dataclass(frozen=True)
class Number:
    """A decimal number that a column holds: not negative, at most `places`
    decimals and `whole_digits` digits before the point (or at most `most`),
    each refusal in its own words. `scale` turns what is typed into what is
    kept (10000: 万元 typed into a layout that keeps 元)."""

    invalid: str
    negative: str
    too_precise: str
    too_big: str
    whole_digits: int
    places: int = 2
    most: Decimal | None = None
    scale: Decimal = Decimal(1)
    percent: bool = False  # a trailing % is allowed

    def parse(self, value) -> Decimal | None:
        """The number kept (with exactly two decimals), or None if blank."""
        text = _typed(value)
        if self.percent:
            text = text.removesuffix("%").rstrip()
        if not text:
            return None
        match = _NUMBER.fullmatch(text)
        if match is None or not (match["whole"] or (match["fraction"] or "")[1:]):
            raise ValidationError(self.invalid, code="invalid")
        number = Decimal(text.replace(",", ""))
        if number < 0:
            raise ValidationError(self.negative, code="min_value")
        if number >= Decimal(10) ** self.whole_digits or (
            self.most is not None and number > self.most
        ):
            raise ValidationError(self.too_big, code="max_value")
        step = Decimal(1).scaleb(-self.places)
        if number != number.quantize(step):
            raise ValidationError(self.too_precise, code="max_decimal_places")
        kept = (number * self.scale).quantize(Decimal("0.01"))
        return kept + 0  # -0 is 0


# money() in the models: 14 digits, two of them decimals.
MONEY_WHOLE_DIGITS = 12


def money(unit: str = "万元", *, typed_per_kept: Decimal = Decimal(1)) -> Number:
    """An amount typed in `unit` ("" when the field's label names it).
    `typed_per_kept`: how many typed units one kept unit is (0.0001 when 万元
    are typed for a layout that keeps 元, as the spreadsheet does)."""
    shift = -typed_per_kept.normalize().adjusted()  # 0, or 4 for 元
    places, whole = 2 + shift, MONEY_WHOLE_DIGITS - shift
    paren = f"（{unit}）" if unit else ""
    return Number(
        invalid=f"请填写数字{f'（单位：{unit}）' if unit else ''}，如 3.50。",
        negative=f"金额不能为负数，请填写 0 或正数{paren}。",
        too_precise=f"金额最多保留两位小数{paren}。"
        if not shift
        else f"金额最多保留 {places} 位小数（{unit}，即到分）。",
        too_big=f"金额太大：整数部分最多 {whole} 位。"
        + (f"请核对单位是否为{unit}。" if unit else "请核对。"),
        whole_digits=whole,
        places=places,
        scale=Decimal(1).scaleb(shift),
    )


PERCENT_MESSAGE = "请填写 0–100 之间的数字。"
# A checkpoint of the spending plan: the share spent by then, 0–100.
PERCENT = Number(
    invalid=PERCENT_MESSAGE,
    negative=PERCENT_MESSAGE,
    too_precise="百分比最多保留两位小数。",
    too_big=PERCENT_MESSAGE,
    whole_digits=3,
    most=Decimal(100),
    percent=True,
)
# 分值 of an indicator row (IndicatorRow.weight: six digits, two decimals).
WEIGHT = Number(
    invalid="分值请填写数字，如 10 或 2.5。",
    negative="分值不能为负数。",
    too_precise="分值最多保留两位小数。",
    too_big="分值太大：最多 9999.99，请核对。",
    whole_digits=4,
)


DATE_MESSAGE = "请填写日期，如 2026-03-31。"
DATE_RANGE_MESSAGE = (
    f"日期应在 {FIRST_DATE_YEAR}–{LAST_DATE_YEAR} 年之间，请核对，如 2026-03-31。"
)
_DATE = re.compile(
    r"(?P<y>[0-9]{4})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*日?"
)


def parse_date(value) -> date | None:
    """A date written 2026-03-31, 2026/3/31, 2026.3.31 or 2026年3月31日; None
    if blank."""
    if isinstance(value, datetime):  # a spreadsheet's date cell
        value = value.date()
    text = value.isoformat() if isinstance(value, date) else _typed(value)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except (TypeError, ValueError):  # no match, or 2026-02-30
        raise ValidationError(DATE_MESSAGE, code="invalid") from None
    if not FIRST_DATE_YEAR <= day.year <= LAST_DATE_YEAR:
        raise ValidationError(DATE_RANGE_MESSAGE, code="invalid")
    return day


MONTHS_MESSAGE = "支出计划的节点月份须由早到晚排列且不重复。"
MONTH_MESSAGE = "支出计划的节点月份应为 1–12 月。"


def parse_plan(pairs) -> list[list]:
    """The spending plan from (month, percent) pairs: months 1–12, each
    later than the one before, percentages as PERCENT reads them; kept as
    [[3, "25.00"], [12, None], …]. Whether the shares grow and end at 100
    is for the checks (a draft may be unfinished)."""
    plan = []
    for month, percent in pairs:
        number = month if isinstance(month, int) else whole_number(month, 1, 12)
        if isinstance(month, bool) or number is None or not 1 <= number <= 12:
            raise ValidationError(MONTH_MESSAGE, code="invalid")
        value = _item(PERCENT, percent, f"{number}月底：")
        plan.append([number, None if value is None else f"{value:.2f}"])
    months = [m for m, _ in plan]
    if months != sorted(set(months)):
        raise ValidationError(MONTHS_MESSAGE, code="invalid")
    return plan


SPLIT_LABEL_LIMIT = 50  # the label field of the department-wide funds page


def parse_split(pairs, rule: Number) -> list[list]:
    """A department's budget split from (label, amount) pairs, the amounts
    as `rule` reads them; kept as [["公共财政拨款", "834.02"], …]."""
    split = []
    for label, amount in pairs:
        label = str(label or "").strip()
        if len(label) > SPLIT_LABEL_LIMIT:
            raise ValidationError(
                f"“{label[:10]}…”最多 {SPLIT_LABEL_LIMIT} 个字。", code="max_length"
            )
        value = _item(rule, amount, f"“{label}”：")
        split.append([label, None if value is None else f"{value:.2f}"])
    return split


def _item(rule: Number, value, where: str) -> Decimal | None:
    """One of several numbers kept together, a refusal saying which."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | None):
        raise ValidationError(where + rule.invalid, code="invalid")
    try:
        return rule.parse(value)
    except ValidationError as error:
        raise ValidationError(where + error.messages[0], code=error.code) from None


# A layout's own money field or side-table column: its label names the unit.
OWN_MONEY = money("")


def _own(kind: str, value):
    """An own field's value as the entry form keeps it: an amount with two
    decimals, a date as 2026-03-31, anything else as it is."""
    if kind == "money" and (amount := OWN_MONEY.parse(value)) is not None:
        return f"{amount:.2f}"
    if kind == "date" and (day := parse_date(value)) is not None:
        return day.isoformat()
    return "" if kind in {"money", "date"} else value


def own_values(definition, extra: dict) -> dict:
    """`extra` (Declaration.extra) with the layout's own fields and side
    tables read by their kinds' rules, as the entry pages and the import read
    them; every refusal, named by field (and row), in one ValidationError."""
    extra, problems = dict(extra), []
    for own in definition.fields:
        if own.key in extra:
            try:
                extra[own.key] = _own(own.kind, extra[own.key])
            except ValidationError as error:
                problems.append(f"{own.label}：{error.messages[0]}")
    for part in definition.side_tables():
        rows = extra.get(part.key)
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            problems.append(f"{part.text}：应为各行的列表，如 [{{…}}, {{…}}]")
            continue
        kept = []
        for n, row in enumerate(rows, start=1):
            row = dict(row)
            for column in part.columns:
                try:
                    row[column.key] = _own(column.kind, row.get(column.key, ""))
                except ValidationError as error:
                    problems.append(
                        f"{part.text}：第 {n} 行“{column.label}”：{error.messages[0]}"
                    )
            kept.append(row)
        extra[part.key] = kept
    if problems:
        raise ValidationError(problems)
    return extra


# Characters no text in the database may hold: PostgreSQL refuses a NUL in
# text and in jsonb, and no UTF-8 encodes a lone surrogate (JSON can write
# both as \u0000 and \ud800).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def unstorable(text: str) -> str:
    """A description of the first character of `text` that cannot be kept,
    or ""."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return ""
    char = found[0]
    name = "空字符" if char == "\x00" else "不成对的代理字符"
    return f"U+{ord(char):04X}（{name}）"


def unstorable_in(document) -> str:
    """Where the JSON `document` holds a character no text may hold, and
    which: `parts[2].label：含有 U+0000（空字符）`, or "". Walked without
    recursion, so that a deeply nested document cannot exhaust the stack."""
    stack = [("", document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if found := unstorable(value):
                return f"{where or '定义'}：含有 {found}，请删去这个字符"
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                path = f"{where}.{key}" if where else str(key)
                if found := unstorable(str(key)):
                    return f"{where or '定义'}：有一个名称含有 {found}，请删去这个字符"
                stack.append((path, item))
        elif isinstance(value, list):
            items = reversed(list(enumerate(value)))
            stack.extend((f"{where}[{i}]", item) for i, item in items)
    return ""
