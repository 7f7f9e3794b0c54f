"""Reading and writing the spreadsheet files, within limits: .xlsx and .csv
(UTF-8 or the GBK that Excel in China saves), at most IMPORT_MAX_BYTES and
IMPORT_MAX_ROWS, with no merged cells, parsed in a child process with its
own memory and time limits.

An .xlsx is a zip, and a small one can unpack to gigabytes or hold one
cell at XFD1048576, which a reader would fill out to 17 billion cells. It
is sized before it is parsed: what the zip says it unpacks to, then how
far its filled cells reach, scanned from the sheet's XML. Only then is it
read, and that in a child process (declarations.bounded).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.conf import settings
from python_calamine import CalamineWorkbook

from declarations.bounded import OverLimit, run_bounded
from declarations.spreadsheet import xlsx
from declarations.spreadsheet.columns import REQUIRED_HEADERS

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORMATS = tuple(CONTENT_TYPES)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says what to do."""


def human_size(size: int) -> str:
    """10 MB, 1.5 MB, 800 KB: sizes as people say them."""
    if size >= 2**20:
        return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def too_large_message(size: int) -> str | None:
    limit = settings.IMPORT_MAX_BYTES
    if size <= limit:
        return None
    return (
        f"文件有 {human_size(size)}，超过了 {human_size(limit)} 的上限。"
        "请按年度或单位分成几个文件分别导入。"
    )


def write_file(title: str, headers: list[str], rows, file_format: str) -> bytes:
    """A sheet of `headers` and `rows` (any iterable of lists), written as
    they come."""
    if file_format == "xlsx":
        return xlsx.write(title, headers, rows)
    text = io.StringIO()
    # A byte-order mark lets Excel open the UTF-8 CSV in Chinese.
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def read_rows(content: bytes, filename: str) -> list[dict]:
    """The rows of the first sheet as {column: text}; refuses what it cannot read.

    The file is parsed in a child process, within IMPORT_PARSE_MEMORY and
    IMPORT_PARSE_SECONDS, so that no file can bloat or stall the worker."""
    if message := too_large_message(len(content)):
        raise ImportFileError(message)
    try:
        return run_bounded(
            _parse,
            content,
            filename,
            memory=settings.IMPORT_PARSE_MEMORY,
            seconds=settings.IMPORT_PARSE_SECONDS,
        )
    except OverLimit as over:
        raise ImportFileError(
            "这个文件太复杂，读取它需要的"
            f"{'内存' if over.memory else '时间'}超过了上限"
            f"（{human_size(settings.IMPORT_PARSE_MEMORY)}、"
            f"{settings.IMPORT_PARSE_SECONDS} 秒）。"
            "请把数据复制到一个新的工作簿中另存为 .xlsx，或分成几个文件导入。"
        ) from None


def _parse(content: bytes, filename: str) -> list[dict]:
    if not content.strip():
        raise ImportFileError(
            "文件是空的。请上传从本系统导出、再填写好的 .xlsx 或 .csv 文件。"
        )
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx":
        lines = _xlsx_lines(content)
    elif suffix == "csv":
        lines = _csv_lines(content)
    else:
        raise ImportFileError(
            "只能导入 .xlsx 或 .csv 文件。请在 Excel 中“另存为”这两种格式之一。"
        )
    return _rows(lines)


def _rows(lines) -> list[dict]:
    """The lines after the header as {header: value}, blank lines skipped.

    A declaration's columns repeat on each of its indicator rows: equal
    texts are kept once, which halves what a large file takes in memory."""
    headers = [str(h).strip() for h in next(lines, [])]
    while headers and not headers[-1]:
        headers.pop()
    if missing := [h for h in REQUIRED_HEADERS if h not in headers]:
        raise ImportFileError(
            f"表头缺少这些列：{'、'.join(missing)}。请先导出一份申报表作为模板，"
            "在模板上填写后再导入（第一行是表头，不要改动）。"
        )
    rows, seen = [], {}
    for values in lines:
        if not any(v not in (None, "") for v in values[: len(headers)]):
            continue
        if len(rows) == settings.IMPORT_MAX_ROWS:
            raise ImportFileError(_too_many_rows(len(rows) + 1))
        rows.append(
            {
                header: seen.setdefault(value, value)
                for header, value in zip(headers, values, strict=False)
            }
        )
    return rows


_NOT_XLSX = (
    "无法读取这个文件：它不是有效的 Excel（.xlsx）表格。"
    "请在 Excel 中打开后“另存为 .xlsx”再上传。"
)
# Columns of the sheet that are read: the format has 38, and the export adds
# one for each own field, side table and indicator column of its layouts.
MAX_COLUMNS = 200


def _xlsx_lines(content: bytes):
    archive = sized_archive(content)
    limit = settings.IMPORT_MAX_ROWS + 1  # and the header
    extent = _scan_sheet(archive, _first_sheet(archive), limit)
    if extent.merged:
        raise ImportFileError(
            f"表格中有合并单元格（{'、'.join(extent.merged[:5])}）。"
            "请取消合并，并在每一行都填写完整后再导入。"
        )
    if extent.uncomputed:
        raise ImportFileError(
            f"表格中有公式还没有计算结果（{'、'.join(extent.uncomputed[:5])}）。"
            "请在 Excel 中打开文件并保存一次后再导入，或把公式改为直接填写的数值。"
        )
    if extent.rows > limit:
        raise ImportFileError(
            f"表格的行数超过了一次最多 {settings.IMPORT_MAX_ROWS} 行的上限。"
            "请删除多余的行（包括只有格式的空行），或分成几个文件导入。"
        )
    if extent.last_row > limit:
        raise ImportFileError(
            f"表格一直用到第 {extent.last_row} 行，超过了一次最多 "
            f"{settings.IMPORT_MAX_ROWS} 行的上限。请删除下方多余的行"
            "（包括只有格式的空行），或分成几个文件导入。"
        )
    if extent.last_column > MAX_COLUMNS:
        raise ImportFileError(
            f"表格第 {extent.last_column} 列（{extent.far_column} 列）还有内容，"
            f"超出了可导入的 {MAX_COLUMNS} 列。请删除表格右侧多余的内容后再导入。"
        )
    # calamine (Rust) reads a sheet seven times as fast as openpyxl; a
    # formula cell reads as the value Excel last showed for it.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return workbook.get_sheet_by_index(0).iter_rows()
    except Exception:
        raise ImportFileError(_NOT_XLSX) from None


def sized_archive(
    content: bytes, *, unreadable: str = "", kind: str = "Excel", advice: str = ""
) -> zipfile.ZipFile:
    """The zip (an .xlsx or a .docx), once what it unpacks to is known to be
    within the limit; `unreadable` is the message for what is no zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(unreadable or _NOT_XLSX) from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise ImportFileError(
            f"这个 {kind} 文件解压后有 {human_size(unpacked)}，超过了 "
            f"{human_size(limit)} 的上限"
            + (
                advice
                or "（可能含有大量空白格式或图片）。"
                "请把数据复制到一个新的工作簿中另存为 .xlsx，或分成几个文件导入。"
            )
        )
    return archive


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHEETS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheets"
_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path in the zip of the workbook's first sheet."""
    try:
        workbook = _part(archive, "", _relationships(archive, "_rels/.rels")[0])
        folder = workbook.rpartition("/")[0]
        rels = _relationships(
            archive, f"{folder}/_rels/{workbook.rpartition('/')[2]}.rels"
        )
        with archive.open(workbook) as source:
            sheets = ElementTree.parse(source).getroot().find(_SHEETS)
        first = sheets[0].get(_ID)
        return _part(archive, folder, next(r for r in rels if r.get("Id") == first))
    except Exception:
        raise ImportFileError(_NOT_XLSX) from None


def _relationships(archive, path):
    with archive.open(path) as source:
        return list(
            ElementTree.parse(source).getroot().iter(f"{_RELATIONSHIPS}Relationship")
        )


def _part(archive, folder, relationship) -> str:
    target = relationship.get("Target")
    path = (
        target.lstrip("/")
        if target.startswith("/")
        else f"{folder}/{target}".lstrip("/")
    )
    archive.getinfo(path)  # KeyError when it is missing
    return path


@dataclass
class Extent:
    """How far a sheet reaches, and its merged ranges."""

    last_row: int = 0
    # Rows counted, positions or none: a sheet may leave out the optional r=.
    rows: int = 0
    last_column: int = 0
    far_column: str = ""
    merged: list = field(default_factory=list)
    uncomputed: list = field(default_factory=list)


# Patterns that start with plain text are found fastest (a prefix of "<x:"
# may come before them).
_MERGE = re.compile(rb'mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_ROW = re.compile(rb'row r="([0-9]{1,7})"')
# A formula cell without the value it computes (written by a program, not
# by Excel, which keeps the last result): it would read as empty.
_UNCOMPUTED = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)'
    rb"\s*(?:<v\s*/>|<v></v>)?\s*</c>"
)
# The column of a cell with content: <c r="A9" s="1"/> is formatting only.
_FILLED_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>/]*>')


def _scan_sheet(archive: zipfile.ZipFile, path: str, max_rows: int) -> Extent:
    """The sheet's extent, read from its XML a megabyte at a time (0.2 s for
    20,000 full rows), before a reader fills out the whole rectangle up to
    its farthest cell. It stops once more than `max_rows` rows are counted:
    a sheet of 95 MB of rows without positions is refused in 0.1 s, where
    parsing it held a worker 1.5 s before a limit stopped it."""
    extent, tail, columns = Extent(), b"", set()
    with archive.open(path) as source:
        while chunk := source.read(2**20):
            text = tail + chunk
            # Keep an unfinished element for the next chunk.
            cut = text.rfind(b"<")
            if cut >= 0 and b">" not in text[cut:]:
                text, tail = text[:cut], text[cut:]
            else:
                tail = b""
            extent.merged += [m.decode() for m in _MERGE.findall(text)]
            columns.update(_FILLED_COLUMN.findall(text))
            if b"<f" in text:
                extent.uncomputed += [m.decode() for m in _UNCOMPUTED.findall(text)]
            if rows := _ROW.findall(text):
                extent.last_row = max(extent.last_row, int(rows[-1]))
            extent.rows += text.count(b"<row>") + text.count(b"<row ")
            if extent.rows > max_rows:
                break
    if columns:
        far = max(columns, key=lambda letters: (len(letters), letters)).decode()
        extent.last_column, extent.far_column = _column_number(far), far
    return extent


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _too_many_rows(count: int) -> str:
    return (
        f"文件有 {count} 行，超过了一次最多 {settings.IMPORT_MAX_ROWS} 行的上限。"
        "请分成几个文件导入。"
    )


def _csv_lines(content: bytes):
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            "无法识别文件的文字编码。请在 Excel 中另存为“CSV UTF-8”后再上传。"
        )
    if "\x00" in text:
        raise ImportFileError("这不是 CSV 文本文件。请上传 .xlsx 或 .csv 文件。")
    return _csv_reading(csv.reader(io.StringIO(text, newline="")))


def _csv_reading(reader):
    try:
        yield from reader
    except csv.Error:
        raise ImportFileError(
            "无法读取这个 CSV 文件，请检查是否为逗号分隔的表格。"
        ) from None
