"""Declarations and the department book as Word (.docx) files in the
official layout, for a bureau to paste into its 预算公开 document.

Drawn from the parts the PDF prints (printing.cells), so every layout,
those defined as data included, comes out as on paper. Each part's rows are
placed on a grid as a browser places an HTML table's; a cell spanning
columns is one w:tc with w:gridSpan, a cell spanning rows is a w:vMerge
"restart" with a "continue" below it in each row it covers: the merges Word
writes itself. They are written directly, not with python-docx's
Cell.merge, whose Table.cell() walks every cell of the table on each call.
"""

import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.table import _Cell

from declarations.models import Declaration, Status
from declarations.printing import book
from declarations.printing import declaration as printed_declaration
from declarations.printing.cells import PrintedCell, PrintedPart
from declarations.printing.layout import PrintedTable, printed_table
from declarations.text import clean_text

# Word substitutes a face it lacks, so naming the usual ones is enough.
BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
BODY_SIZE = Pt(10.5)  # 五号, the PDF's body size
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(16), "right": Mm(14), "bottom": Mm(18), "left": Mm(14)}
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
# print.css: th, td.num and the level cells are centred; the signers' line
# of a review opinion sits bottom right.
ALIGN = {"num": CENTER, "level": CENTER, "signers": RIGHT}
TOC_INSTRUCTION = r' TOC \o "1-2" \h \z \u '
TOC_PLACEHOLDER = "右键单击此处，选择“更新域”生成目录"
NOT_FILLED = "（未填写）"
NO_TABLES = "本年度尚无审核通过的项目绩效目标表。"
# What XML 1.0 cannot hold (text.clean_text has dropped the controls already).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What follows w:updateFields in w:settings, which Word reads in schema order.
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat")


def declaration_docx(declaration: Declaration) -> bytes:
    table = printed_table(declaration)
    writer = _Writer(declaration.title, table.definition.orientation)
    if declaration.status != Status.APPROVED:  # the PDF's watermark
        writer.section.header.paragraphs[0].text = "草稿"
        writer.section.header.paragraphs[0].alignment = RIGHT
    _write_table(writer, table)
    return writer.saved()


def book_docx(department, year: int) -> bytes:
    """The book as the PDF orders and numbers it: cover, contents, part
    one, then each approved table under its heading N、…绩效目标表."""
    contents = book.book_contents(department, year)
    writer = _Writer(f"{year}年部门预算绩效信息 · {department.name}", "portrait")
    big = {"bold": True, "font": HEADING_FONT, "align": CENTER}
    writer.paragraph(department.name, size=Pt(18), before=Pt(220), **big)
    writer.paragraph(f"{year}年部门预算绩效信息", size=Pt(30), before=Pt(24), **big)
    writer.paragraph("目　录", size=Pt(18), page_break=True, **big)
    writer.contents_field()
    _part_one(writer, contents.goals)
    divider = book.TITLES[book.PART_TWO]
    writer.heading(divider, 1, align=CENTER, before=Pt(200), page_break=True)
    if not contents.tables:
        writer.paragraph(NO_TABLES, align=CENTER)
    for item in contents.tables:
        orientation = item.table.definition.orientation
        new_section = writer.orient(orientation)
        writer.heading(item.heading, 2, page_break=not new_section)
        _write_table(writer, item.table)
    return writer.saved()


def filename(declaration: Declaration) -> str:
    return printed_declaration.filename(declaration).removesuffix(".pdf") + ".docx"


def book_filename(department, year: int) -> str:
    return book.filename(department, year).removesuffix(".pdf") + ".docx"


def _part_one(writer: "_Writer", goals) -> None:
    """第一部分 as book_front.html prints it."""
    writer.heading(book.TITLES[book.PART_ONE], 1, page_break=True)
    writer.part_heading("（一）总体绩效目标：")
    writer.text((goals.overall if goals else "") or NOT_FILLED)
    writer.part_heading("（二）分项绩效目标：")
    items = list(goals.items.all()) if goals else []
    for number, item in enumerate(items, start=1):
        writer.text(f"{number}. {item.goal}")
        if item.indicators:
            writer.text(f"绩效指标：{item.indicators}")
    if not items:
        writer.paragraph(NOT_FILLED)
    writer.part_heading("（三）工作保障措施：")
    measures = list(goals.measures.all()) if goals else []
    for number, measure in enumerate(measures, start=1):
        writer.text(f"{number}. {measure.text}")
    if not measures:
        writer.paragraph(NOT_FILLED)


@dataclass
class _Row:
    cells: list[PrintedCell]
    split: bool = False  # a long row may continue on the next page
    head: bool = False  # repeated at the top of each page
    height: Length | None = None  # at least this tall
    notes: dict[int, str] = field(default_factory=dict)  # cell index: a small line


def _write_table(writer: "_Writer", table: PrintedTable) -> None:
    """Every part of a declaration's table, as pdf/table.html prints it."""
    # printed_parts gives one printed part for each part of the definition.
    for part, defined in zip(table.parts, table.definition.parts, strict=True):
        if part.kind == "heading":
            if not table.in_book:  # the book prints the numbered heading
                writer.heading(part.text, 2)
        elif part.kind == "title":
            writer.paragraph(
                part.text, size=Pt(16), bold=True, font=HEADING_FONT, align=CENTER
            )
        elif part.kind == "subtitle":
            writer.paragraph(part.text, align=CENTER, after=Pt(6))
        elif part.kind == "line":
            writer.spread(part.items)
        elif part.kind == "info":
            rows = [_Row(r.cells, split=r.long) for r in part.rows]
            writer.table(rows, part.widths)
        elif part.kind == "indicators":
            if part.caption:
                writer.part_heading(part.caption)
            writer.table(_indicator_rows(part, defined, table), part.widths)
        elif part.kind == "side_table":
            writer.part_heading(part.text)
            head = _Row([PrintedCell(label, header=True) for label in part.head])
            rows = [_Row(r.cells) for r in part.rows] or [
                _Row([PrintedCell() for _ in part.head], height=Pt(16))
            ]
            writer.table([head, *rows], part.widths)
        else:  # review: an opinion box under each item, its signers below right
            if part.text:
                writer.part_heading(part.text)
            signers = PrintedCell(part.style, css="signers")
            rows = [
                _Row([PrintedCell(item, header=True), signers], height=Pt(52))
                for item in part.items
            ]
            writer.table(rows, ["19", "81"])


def _indicator_rows(part: PrintedPart, defined, table: PrintedTable) -> list[_Row]:
    """The head, the rows and the grade. A lead (绩效指标) is one cell down
    the left of head and rows, as on paper; the PDF draws it a group at a
    time so that each group can move to the next page whole."""
    body = [row for group in part.groups for row in group]
    head = [PrintedCell(label, header=True) for label in part.head]
    if part.lead:
        head[0].rowspan = 1 + len(body)
    # A head row whose lead reaches into the rows cannot repeat on each page.
    rows = [_Row(head, head=not part.lead)]
    marks = any(c.field == "level2" and c.mark for c in defined.columns)
    for row in body:
        notes = {}
        level2 = row.item.row.level2 if marks and row.item else None
        if level2 and level2.mark:
            notes = {
                i: level2.mark for i, c in enumerate(row.cells) if c.name == "level2"
            }
        rows.append(_Row(row.cells, notes=notes))
    if part.grade_colspan:
        boxes = " ".join(
            f"{grade}{'■' if chosen else '□'}" for grade, chosen in table.grade_boxes
        )
        grade = [
            PrintedCell("综合评定等级", header=True),
            PrintedCell(boxes, colspan=part.grade_colspan),
        ]
        rows.append(_Row(grade))
    return rows


@dataclass
class _Slot:
    column: int
    span: int
    cell: PrintedCell | None = None  # None: the cell above continues here
    index: int = -1  # the cell's place in its row


def _placed(rows: list[list[PrintedCell]]) -> list[list[_Slot]]:
    """Each row's cells on the grid, as a browser places an HTML table's: a
    cell takes the first column that no cell from above reaches into, and a
    cell spanning rows leaves a continuation in each row below it."""
    reaching: dict[int, list[int]] = {}  # column: [rows still covered, span]
    placed = []
    for cells in rows:
        slots, column, waiting = [], 0, list(enumerate(cells))
        while waiting or any(c >= column for c in reaching):
            if column in reaching:
                slots.append(_Slot(column, reaching[column][1]))
            elif waiting:
                index, cell = waiting.pop(0)
                slots.append(_Slot(column, max(1, cell.colspan), cell, index))
            else:  # a gap before a cell that reaches down from above
                gap = min(c for c in reaching if c > column) - column
                slots.append(_Slot(column, gap, PrintedCell()))
            column += slots[-1].span
        for c in list(reaching):
            reaching[c][0] -= 1
            if not reaching[c][0]:
                del reaching[c]
        for slot in slots:
            if slot.cell is not None and slot.cell.rowspan > 1:
                reaching[slot.column] = [slot.cell.rowspan - 1, slot.span]
        placed.append(slots)
    return placed


def _clean(text: str) -> str:
    return _NOT_XML.sub("", clean_text(text))


def _set_fonts(rPr, east_asian: str) -> None:
    """Latin and East Asian faces, replacing the template's theme fonts
    (which would win over a named face)."""
    fonts = rPr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")  # “”：and the like in the Chinese face


class _Writer:
    """A Word document written block by block, in the PDF's page and faces."""

    def __init__(self, title: str, orientation: str):
        self.doc = Document()
        self.doc.core_properties.title = _clean(title)
        self.doc.core_properties.author = ""
        self.doc.core_properties.comments = ""
        self._styles()
        self._settings()
        self.section = self.doc.sections[0]
        self.orientation = ""
        self._page(orientation)
        self.after_table = False

    def saved(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    @property
    def width(self) -> int:
        s = self.section
        return s.page_width - s.left_margin - s.right_margin

    def orient(self, orientation: str) -> bool:
        """A new section when the page turns; whether one was begun."""
        if orientation == self.orientation:
            return False
        self.section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(orientation)
        self.after_table = False
        return True

    def paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        size: Length | None = None,
        bold: bool = False,
        font: str = BODY_FONT,
        align=None,
        before: Length | None = None,
        after: Length | None = None,
        page_break: bool = False,
    ):
        p = self.doc.add_paragraph(style=style)
        if text:
            self.run(p, text, bold=bold, size=size, font=font)
        if align is not None:
            p.alignment = align
        if before is not None:
            p.paragraph_format.space_before = before
        if after is not None:
            p.paragraph_format.space_after = after
        if page_break:
            p.paragraph_format.page_break_before = True
        self.after_table = False
        return p

    def run(self, paragraph, text: str, *, bold=False, size=None, font=BODY_FONT):
        run = paragraph.add_run(_clean(text))
        if font:
            _set_fonts(run._element.get_or_add_rPr(), font)
        if bold:
            run.bold = True
        if size is not None:
            run.font.size = size
        return run

    def heading(self, text: str, level: int, **options):
        """A heading the contents lists (Heading 1 or 2)."""
        return self.paragraph(
            text, style=f"Heading {level}", font=HEADING_FONT, **options
        )

    def part_heading(self, text: str) -> None:
        p = self.paragraph(text, bold=True, font=HEADING_FONT, size=Pt(11))
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(3)
        p.paragraph_format.keep_with_next = True

    def text(self, text: str) -> None:
        """Free text, a paragraph a line, indented two characters."""
        for line in _clean(text).split("\n"):
            p = self.paragraph(line, after=Pt(3))
            p.paragraph_format.first_line_indent = BODY_SIZE * 2

    def spread(self, items: list[str]) -> None:
        """Items across the line (the unit left, 单位：万元 right), with tab
        stops where the PDF spreads them."""
        p = self.paragraph(after=Pt(3))
        p.paragraph_format.keep_with_next = True
        count = len(items)
        for i in range(1, count):
            align = (
                WD_TAB_ALIGNMENT.RIGHT if i == count - 1 else WD_TAB_ALIGNMENT.CENTER
            )
            p.paragraph_format.tab_stops.add_tab_stop(
                Emu(self.width * i // (count - 1)), align
            )
        self.run(p, "\t".join(items))

    def contents_field(self) -> None:
        """A TOC field for Word to fill on opening (settings: updateFields)."""
        p = self.doc.add_paragraph()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = TOC_INSTRUCTION
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instruction, separate):
            p.add_run()._element.append(element)
        self.run(p, TOC_PLACEHOLDER)
        p.add_run()._element.append(end)
        self.after_table = False

    def table(self, rows: list[_Row], widths: list[str]) -> None:
        placed = _placed([row.cells for row in rows])
        columns = max([len(widths), *(s.column + s.span for r in placed for s in r)])
        if len(widths) != columns or not columns:
            widths = ["1"] * max(columns, 1)
        for slots in placed:  # a short row is filled out to the grid
            end = slots[-1].column + slots[-1].span if slots else 0
            if end < len(widths):
                slots.append(_Slot(end, len(widths) - end, PrintedCell()))
        weights = [float(w) for w in widths]
        grid = [int(self.width * w / sum(weights)) for w in weights]
        if self.after_table:  # two tables in a row would join into one
            self.doc.add_paragraph().paragraph_format.line_spacing = Pt(6)
        table = self.doc.add_table(rows=0, cols=len(grid))
        table.style = "Table Grid"
        table.autofit = False  # the PDF's table-layout: fixed
        tbl = table._tbl
        for column, width in zip(tbl.tblGrid.gridCol_lst, grid, strict=True):
            column.w = Emu(width)
        tbl_width = tbl.tblPr.find(qn("w:tblW"))
        tbl_width.set(qn("w:type"), "dxa")
        tbl_width.set(qn("w:w"), str(Emu(sum(grid)).twips))
        for row, slots in zip(rows, placed, strict=True):
            tr = tbl.add_tr()
            self._row_properties(tr, row)
            for slot in slots:
                tc = tr.add_tc()
                tc.width = Emu(sum(grid[slot.column : slot.column + slot.span]))
                if slot.span > 1:
                    tc.grid_span = slot.span
                cell = slot.cell
                if cell is None:
                    tc.vMerge = "continue"
                    continue
                if cell.rowspan > 1:
                    tc.vMerge = "restart"
                tc.get_or_add_tcPr().vAlign_val = (
                    WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
                    if cell.css == "signers"
                    else WD_CELL_VERTICAL_ALIGNMENT.CENTER
                )
                self._fill(_Cell(tc, table), cell, row.notes.get(slot.index, ""))
        self.after_table = True

    def _fill(self, cell: _Cell, printed: PrintedCell, note: str) -> None:
        """The cell's text, a paragraph a line; a note smaller below it."""
        align = CENTER if printed.header else ALIGN.get(printed.css)
        lines = _clean(printed.text).split("\n") if printed.text else []
        lines += [note] if note else []
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            if align is not None:
                p.alignment = align
            if line:
                small = bool(note) and i == len(lines) - 1
                self.run(
                    p,
                    line,
                    bold=printed.header and not small,
                    size=Pt(8.5) if small else None,
                )

    @staticmethod
    def _row_properties(tr, row: _Row) -> None:
        trPr = tr.get_or_add_trPr()
        if not row.split:  # print.css: tr { break-inside: avoid }
            trPr.append(OxmlElement("w:cantSplit"))
        if row.height is not None:
            tr.trHeight_val = row.height
            tr.trHeight_hRule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if row.head:
            trPr.append(OxmlElement("w:tblHeader"))

    def _page(self, orientation: str) -> None:
        """A4 with print.css's margins, turned for a landscape layout."""
        width, height = A4
        landscape = orientation == "landscape"
        s = self.section
        s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = (height, width) if landscape else (width, height)
        s.top_margin, s.right_margin = MARGINS["top"], MARGINS["right"]
        s.bottom_margin, s.left_margin = MARGINS["bottom"], MARGINS["left"]
        self.orientation = orientation

    def _styles(self) -> None:
        """Body in 宋体 五号, headings in black 黑体 (the template's are blue
        Calibri), no spacing the official tables do not have."""
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.size = BODY_SIZE
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        rPr = normal.element.get_or_add_rPr()
        language = rPr.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            rPr.append(language)
        language.set(qn("w:eastAsia"), "zh-CN")
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0
        for name, size in (("Heading 1", Pt(16)), ("Heading 2", Pt(13))):
            style = styles[name]
            style.font.size = size
            style.font.bold = True
            style.font.color.rgb = RGBColor(0, 0, 0)
            _set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.space_after = Pt(6)

    def _settings(self) -> None:
        """Word updates the fields (the contents) on opening, and takes the
        theme's East Asian text as Chinese."""
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        after = [settings.find(qn(tag)) for tag in _AFTER_UPDATE_FIELDS]
        after = [element for element in after if element is not None]
        if after:
            after[0].addprevious(update)
        else:
            settings.append(update)
        language = settings.find(qn("w:themeFontLang"))
        if language is not None:
            language.set(qn("w:eastAsia"), "zh-CN")
