"""Spreadsheets built to bloat or stall the worker that parses them, for
`make bench` and `make loadtest`."""

import io
import zipfile
from xml.sax.saxutils import escape


def far_cell(cell: str, header: list[str]) -> bytes:
    """A real .xlsx with a header row and one cell at `cell`."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(header)
    workbook.active[cell] = "远处"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_of(content: bytes, megabytes: int) -> bytes:
    """`content` with its sheet's data replaced by `megabytes` of rows."""
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(content))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in base.infolist():
            data = base.read(member)
            if not member.filename.startswith("xl/worksheets/"):
                bomb.writestr(member, data)
                continue
            head, _, rest = data.partition(b"<sheetData>")
            tail = rest.split(b"</sheetData>", 1)[1]
            with bomb.open(member.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                # Rows and cells without their optional positions: the
                # same bytes again and again, which deflate shrinks a
                # thousandfold and no scan for positions sees.
                row = (
                    b"<row>"
                    + b'<c t="inlineStr"><is><t>x</t></is></c>' * 25
                    + b"</row>"
                )
                for _ in range(megabytes * 2**20 // len(row)):
                    sheet.write(row)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


# Word files whose few kilobytes make recognition work hard: long lines for
# the patterns, wide or many tables, deep nesting.
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
}


def docx_of(body_parts) -> bytes:
    """A .docx whose body is the XML pieces of `body_parts` (str or bytes,
    written as they come, so that a large body is never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        for name, text in _DOCX_PARTS.items():
            docx.writestr(name, text)
        with docx.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(f"<w:document {_W}><w:body>".encode())
            for part in body_parts:
                document.write(part.encode() if isinstance(part, str) else part)
            document.write(b"</w:body></w:document>")
    return out.getvalue()


def paragraph_xml(text: str) -> str:
    """A paragraph of `text` (tabs and line breaks kept as characters)."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def table_xml(rows: list[list[str]]) -> str:
    """A table of `rows`, a cell a text, each row as wide as it is."""
    cell = '<w:tc><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>'
    return (
        "<w:tbl>"
        + "".join(
            "<w:tr>" + "".join(cell.format(escape(text)) for text in row) + "</w:tr>"
            for row in rows
        )
        + "</w:tbl>"
    )


def word_tabs(count: int = 100_000) -> bytes:
    """One paragraph of `count` tabs."""
    return docx_of(["<w:p><w:r>", "<w:tab/>" * count, "</w:r></w:p>"])


def word_spaces(count: int = 100_000) -> bytes:
    """部门名称：a, `count` spaces and a full stop, in one paragraph."""
    return docx_of([paragraph_xml("部门名称：a" + " " * count + "。")])


def word_line(text: str) -> bytes:
    """One paragraph of `text`."""
    return docx_of([paragraph_xml(text)])


def word_wide_table(columns: int = 20_000) -> bytes:
    """A table of two rows, `columns` cells wide, labelled like a form."""
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    labels = ["一级指标", "二级指标", "三级指标", "指标值"]
    head = "".join(cell.format(labels[i % 4]) for i in range(columns))
    row = "".join(cell.format(i) for i in range(columns))
    return docx_of(["<w:tbl><w:tr>", head, "</w:tr><w:tr>", row, "</w:tr></w:tbl>"])


def word_unpacking_text(megabytes: int = 50) -> bytes:
    """One paragraph of `ab⇥` (a tab character in the text) repeated to
    `megabytes`."""
    count = megabytes * 2**20 // 3

    def body():
        yield b"<w:p><w:r><w:t>"
        for _ in range(count // 10_000):
            yield b"ab\t" * 10_000
        yield b"</w:t></w:r></w:p>"

    return docx_of(body())


def word_many_tables(count: int = 13_000) -> bytes:
    """`count` small project tables, each a name and one indicator row."""
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    rows = [
        ["项目名称", "项目{}"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "人数", "≥1人"],
    ]

    def body():
        for number in range(count):
            yield "<w:tbl>"
            for row in rows:
                cells = "".join(cell.format(text.format(number)) for text in row)
                yield f"<w:tr>{cells}</w:tr>"
            yield "</w:tbl>" + paragraph_xml("")

    return docx_of(body())


def word_nested_controls(depth: int = 2_000) -> bytes:
    """A paragraph inside `depth` content controls, each in the one before."""
    return docx_of(
        [
            "<w:sdt><w:sdtContent>" * depth,
            paragraph_xml("第一部分"),
            "</w:sdtContent></w:sdt>" * depth,
        ]
    )


WORST_WORD_FILES = {
    "100,000 tabs": word_tabs,
    "部门名称 + 100,000 spaces": word_spaces,
    "table 20,000 columns wide": word_wide_table,
    "50 MB of ab⇥": word_unpacking_text,
    "13,000 tables": word_many_tables,
    "2,000 nested content controls": word_nested_controls,
}
