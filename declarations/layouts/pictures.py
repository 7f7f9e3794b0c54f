"""A picture of each layout's first page, for the gallery of the layout
guide: a made-up declaration printed by the layout's definition, its first
page drawn by PDFium (pypdfium2) as a PNG.

A picture is kept in storage under the layout's code and version, drawn
once a version: after an administrator saves the layout (a background task)
or when it is first shown. A layout whose page cannot be drawn keeps a note
of why instead, so that the guide says so rather than drawing it again on
every visit. Nothing is shipped as a file."""

import contextlib
import io
import logging
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.html import escape

from declarations import leases
from declarations.bounded import OverLimit, time_limit
from declarations.layouts.definition import Definition, read
from declarations.models import (
    Declaration,
    Goal,
    Grade,
    IndicatorRow,
    Organization,
    Period,
    ProjectAttribute,
    TableLayout,
    default_year,
)
from declarations.printing.cells import printed_parts
from declarations.printing.layout import PrintedTable, indicator_table
from indicators.models import IndicatorLevel1, IndicatorLevel2

try:  # Django 6 has the tasks framework built in; 5.2 uses its backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

logger = logging.getLogger(__name__)

FOLDER = "layout-pictures"
WIDTH = 600  # pixels: a portrait A4 page is then 849 high
# PDFium is not safe to call from two threads at once (the development
# server serves the gallery's pictures in parallel); one drawing at a time
# also spares the CPU when a gallery is first shown.
_drawing = threading.Lock()


class NotDrawn(Exception):
    """The layout's first page could not be drawn; the message says why."""


def picture_name(layout: TableLayout) -> str:
    return f"{FOLDER}/{layout.code}-{layout.version}.png"


def _failure_name(layout: TableLayout) -> str:
    return f"{FOLDER}/{layout.code}-{layout.version}.failed.txt"


def failure(layout: TableLayout) -> str:
    """Why the picture of the layout's current version could not be drawn,
    or "" if it was, or has not been tried."""
    name = _failure_name(layout)
    if not default_storage.exists(name):
        return ""
    with default_storage.open(name, "rb") as kept:
        return kept.read().decode()


def picture(layout: TableLayout) -> bytes:
    """The PNG of the first page of the layout's current version, drawn and
    kept if it is not yet; NotDrawn if it cannot be."""
    name = picture_name(layout)
    with _drawing:
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as kept:
                return kept.read()
        if why := failure(layout):
            raise NotDrawn(why)
        try:
            data = draw(layout.definition)
        except NotDrawn as error:
            # A page too slow to lay out now may be drawn at a quieter time;
            # any other failure stays until the layout is saved again.
            if not isinstance(error.__cause__, OverLimit):
                _keep(layout, _failure_name(layout), str(error).encode())
            raise
        _keep(layout, name, data)
        return data


def _keep(layout: TableLayout, name: str, data: bytes) -> None:
    """Keep a picture or a note, and drop those of the layout's earlier
    versions (never shown again)."""
    if not default_storage.exists(name):  # another process may have kept it
        default_storage.save(name, ContentFile(data))
    own = re.compile(rf"{re.escape(layout.code)}-(\d+)\.(png|failed\.txt)")
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for other in files:
        found = own.fullmatch(other)
        if found and int(found[1]) != layout.version:
            default_storage.delete(f"{FOLDER}/{other}")


def draw(document) -> bytes:
    """The first page of a made-up declaration printed by `document`, as a
    PNG WIDTH pixels wide; NotDrawn says why it could not be drawn."""
    from declarations.printing.render import html_to_pdf  # WeasyPrint

    try:
        definition = read(document, stored=True)
        table = sample_table(definition)
        html = render_to_string(
            "pdf/declaration.html",
            {"table": table, "title": definition.name, "watermark": "样例"},
        )
        with time_limit(settings.PRINT_SECONDS):
            pdf = html_to_pdf(html)
        return first_page(pdf)
    except Exception as error:
        # Whatever a definition makes the renderer do, the guide shows a
        # note in its place, and the log says what it was.
        logger.warning("layout picture not drawn: %r", error, exc_info=True)
        raise NotDrawn(
            "这个样式的第一页没有画出来：用它打印样例申报表时出错"
            f"（{type(error).__name__}）。请检查定义，或下载定义后在测试单位中试打印。"
        ) from error


def first_page(pdf: bytes, width: int = WIDTH) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=width / page.get_width(), grayscale=True)
        out = io.BytesIO()
        bitmap.to_pil().save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()


def note(text: str, width: int = WIDTH) -> bytes:
    """An SVG picture of a note, shown where a layout's page is not drawn:
    the browser shows the note, not a broken image."""
    lines = [text[i : i + 34] for i in range(0, len(text), 34)]
    body = "".join(
        f'<text x="16" y="{32 + 24 * i}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{24 * len(lines) + 24}" font-size="16" fill="#ba2121">{body}</svg>'
    ).encode()


@leases.idempotent
@task()
def draw_saved(layout_id: int, version: int) -> None:
    """Draw the picture of a version an administrator has just saved."""
    layout = TableLayout.objects.filter(pk=layout_id, version=version).first()
    if layout is None:  # saved again since: that version's task draws it
        return
    with contextlib.suppress(NotDrawn):  # kept as a note, which the guide shows
        picture(layout)


def saved(layout: TableLayout) -> None:
    """Call as a layout is saved: its picture is drawn in the background."""
    draw_saved.enqueue(layout.pk, layout.version)


# The made-up declaration the pictures print.


@dataclass
class SampleTable(PrintedTable):
    """A printed table of a declaration that is not in the database: its
    goals are given, not loaded."""

    sample_goals: list = field(default_factory=list)

    @cached_property
    def parts(self):
        return printed_parts(
            self.declaration, self.definition, self.sample_goals, self.rows
        )


_GOALS = {
    Period.TERM: ["建成统一的医疗保障信息平台，实现业务全流程网上办理"],
    Period.ANNUAL: [
        "保障医疗保障信息系统全年稳定运行",
        "完成参保数据治理，提高数据质量",
    ],
}
_LEVEL1 = ["产出指标", "效益指标", "满意度指标"]
# (一级, 二级, 必填, 硬性, 三级, 指标值, 分值)
_ROWS = [
    (0, "数量指标", True, True, "系统运行维护次数", "≥12次", 20),
    (0, "质量指标", True, False, "系统正常运行率", "≥99%", 20),
    (0, "时效指标", True, False, "问题处理及时率", "≥95%", 15),
    (0, "成本指标", True, True, "项目总成本", "≤120万元", 15),
    (1, "社会效益指标", True, False, "参保群众办事便利程度", "明显提高", 15),
    (2, "服务对象满意度指标", True, False, "参保群众满意度", "≥90%", 15),
]


def _sample_value(kind: str, label: str):
    return {
        "money": "10.00",
        "date": "2026-03-31",
        "short": "（示例）",
    }.get(kind, f"此处填写{label}。")


def sample_table(definition: Definition) -> SampleTable:
    """A made-up declaration, every field the definition prints filled."""

    def money(wan: str) -> Decimal:  # in the layout's unit
        return (Decimal(wan) / definition.wan_per_unit).quantize(Decimal("0.01"))

    wide = definition.kind == "department_wide"
    checkpoints = definition.checkpoints
    declaration = Declaration(
        organization=Organization(code="450002", name="某市医疗保障局"),
        year=default_year(),
        kind=definition.kind,
        project_code="450-0101-JBN-GZ2I",
        project_name="某市医疗保障局" if wide else "医疗保障信息化建设",
        department_name="某市医疗保障局",
        department_code="450",
        implementing_unit="某市医疗保障事务中心",
        attribute=ProjectAttribute.CONTINUING,
        period="3年期",
        total=money("120.00"),
        fiscal=money("100.00"),
        other=money("20.00"),
        term_total=money("360.00"),
        term_fiscal=money("300.00"),
        term_other=money("60.00"),
        fund_use="用于医疗保障信息系统的运行维护和数据安全防护。",
        spending_plan=[
            [m, Decimal(100 * (i + 1) // len(checkpoints))]
            for i, m in enumerate(checkpoints)
        ],
        income_split=[["公共财政拨款", money("100.00")], ["其他资金", money("20.00")]],
        spending_split=[["基本支出", money("80.00")], ["项目支出", money("40.00")]],
        duties="1. 拟订医疗保障制度政策。\n2. 监督管理医疗保障基金。",
        extra={f.key: _sample_value(f.kind, f.label) for f in definition.fields}
        | {
            part.key: [{c.key: _sample_value(c.kind, c.label) for c in part.columns}]
            for part in definition.side_tables()
        },
    )
    goals = [
        Goal(text=text, period=period)
        for period in (Period.TERM, Period.ANNUAL)
        for text in _GOALS[period]
    ]
    table = indicator_table(_sample_rows(definition))
    return SampleTable(
        declaration=declaration,
        rows=table,
        goals=[g.text for g in goals],
        grade_boxes=[(g, False) for g in Grade.values],
        definition=definition,
        sample_goals=goals,
    )


def _sample_rows(definition: Definition) -> list[IndicatorRow]:
    level1 = [IndicatorLevel1(pk=i + 1, name=name) for i, name in enumerate(_LEVEL1)]
    own = {f.key: "（示例）" for f in definition.row_fields}
    # A table of the term's indicators apart has rows of its own; one table
    # of both periods prints the term's value in a column of the row.
    periods = [Period.ANNUAL]
    if any(
        p.kind == "indicators" and p.period == Period.TERM for p in definition.parts
    ):
        periods.insert(0, Period.TERM)
    rows = []
    for period in periods:
        for i, (first, second, mandatory, hard, name, value, weight) in enumerate(
            _ROWS
        ):
            row = IndicatorRow(
                level1=level1[first],
                level2=IndicatorLevel2(
                    pk=i + 1,
                    level1=level1[first],
                    name=second,
                    mandatory=mandatory,
                    hard=hard,
                ),
                level3=name,
                description=f"{name}的计算方法和口径",
                value=value,
                basis="历史数据和行业标准",
                period=period,
                term_value=value,
                explanation=f"{name}按年末数据计算",
                scoring="达到指标值得满分，未达到按比例扣分",
                weight=Decimal(weight),
                history=value,
                extra=own,
            )
            row.fill_parsed_value()
            rows.append(row)
    return rows
