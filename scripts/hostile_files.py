"""Spreadsheets built to bloat or stall the worker that parses them, for
`make bench` and `make loadtest`."""

import io
import zipfile


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
