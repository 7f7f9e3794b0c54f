"""Reading and writing the spreadsheet files, within limits: .xlsx and .csv
(UTF-8 or the GBK that Excel in China saves), at most IMPORT_MAX_BYTES and
IMPORT_MAX_ROWS, with no merged cells.

An .xlsx is a zip, and a small one can unpack to gigabytes or declare a
sheet of 16,384 × 1,048,576 cells. It is sized before it is parsed (what
the zip says it unpacks to), then read in openpyxl's read-only mode, which
streams the sheet row by row, only as wide as the header row and stopping
at the row limit, instead of building every cell of the declared sheet.
"""

import csv
import io
import re
import zipfile

import tablib
from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from declarations.spreadsheet.columns import HEADERS

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
    they come: openpyxl's write-only mode keeps no cell once written."""
    if file_format == "xlsx":
        out = io.BytesIO()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([_bold(sheet, header, bold) for header in headers])
        for row in rows:
            sheet.append(row)
        workbook.save(out)
        return out.getvalue()
    text = io.StringIO()
    # A byte-order mark lets Excel open the UTF-8 CSV in Chinese.
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _bold(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def read_rows(content: bytes, filename: str) -> list[dict]:
    """The rows of the first sheet as {column: text}; refuses what it cannot read."""
    if message := too_large_message(len(content)):
        raise ImportFileError(message)
    if not content.strip():
        raise ImportFileError(
            "文件是空的。请上传从本系统导出、再填写好的 .xlsx 或 .csv 文件。"
        )
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx":
        dataset = _read_xlsx(content)
    elif suffix == "csv":
        dataset = _read_csv(content)
    else:
        raise ImportFileError(
            "只能导入 .xlsx 或 .csv 文件。请在 Excel 中“另存为”这两种格式之一。"
        )
    missing = [h for h in HEADERS if h not in (dataset.headers or [])]
    if missing:
        raise ImportFileError(
            f"表头缺少这些列：{'、'.join(missing)}。请先导出一份申报表作为模板，"
            "在模板上填写后再导入（第一行是表头，不要改动）。"
        )
    if len(dataset) > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(_too_many_rows(len(dataset)))
    return [dict(zip(dataset.headers, values, strict=False)) for values in dataset]


_NOT_XLSX = (
    "无法读取这个文件：它不是有效的 Excel（.xlsx）表格。"
    "请在 Excel 中打开后“另存为 .xlsx”再上传。"
)


def _read_xlsx(content: bytes) -> tablib.Dataset:
    archive = _sized_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:
        raise ImportFileError(_NOT_XLSX) from None
    try:
        if merged := _merged_cells(archive, sheet):
            raise ImportFileError(
                f"表格中有合并单元格（{'、'.join(merged[:5])}）。"
                "请取消合并，并在每一行都填写完整后再导入。"
            )
        # The declared size may be a lie; the rows read are what counts.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        headers = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        while headers and not headers[-1]:
            headers.pop()
        dataset = tablib.Dataset(headers=headers)
        for values in sheet.iter_rows(
            min_row=2, max_col=len(headers) or 1, values_only=True
        ):
            if any(v not in (None, "") for v in values):
                dataset.append(list(values) + [None] * (len(headers) - len(values)))
                if len(dataset) > settings.IMPORT_MAX_ROWS:
                    raise ImportFileError(_too_many_rows(None))
        return dataset
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_NOT_XLSX) from None
    finally:
        workbook.close()


def _sized_archive(content: bytes) -> zipfile.ZipFile:
    """The zip, once what it unpacks to is known to be within the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_NOT_XLSX) from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise ImportFileError(
            f"这个 Excel 文件解压后有 {human_size(unpacked)}，超过了 "
            f"{human_size(limit)} 的上限（可能含有大量空白格式或图片）。"
            "请把数据复制到一个新的工作簿中另存为 .xlsx，或分成几个文件导入。"
        )
    return archive


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_cells(archive: zipfile.ZipFile, sheet) -> list[str]:
    """The merged ranges of the sheet (read-only mode does not list them),
    read a megabyte at a time."""
    found, tail = [], b""
    with archive.open(sheet._worksheet_path) as source:
        while chunk := source.read(2**20):
            text = tail + chunk
            found += [m.decode() for m in _MERGE.findall(text)]
            # Keep an unfinished element for the next chunk.
            cut = text.rfind(b"<")
            tail = text[cut:] if cut >= 0 and b">" not in text[cut:] else b""
    return found


def _too_many_rows(count: int | None) -> str:
    """`count` is None when reading stopped at the limit."""
    rows = f"有 {count} 行，" if count is not None else ""
    return (
        f"文件{rows}超过了一次最多 {settings.IMPORT_MAX_ROWS} 行的上限。"
        "请分成几个文件导入。"
    )


def _read_csv(content: bytes) -> tablib.Dataset:
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
    try:
        return tablib.Dataset().load(text, format="csv")
    except Exception:
        raise ImportFileError(
            "无法读取这个 CSV 文件，请检查是否为逗号分隔的表格。"
        ) from None
