"""Reading and writing the spreadsheet files, within limits: .xlsx and .csv
(UTF-8 or the GBK that Excel in China saves), at most IMPORT_MAX_BYTES and
IMPORT_MAX_ROWS, with no merged cells."""

import io

import tablib
from django.conf import settings
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import load_workbook

from declarations.spreadsheet.columns import HEADERS

FORMATS = {"xlsx": XLSX(), "csv": CSV()}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


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


def write_file(dataset: tablib.Dataset, file_format: str) -> bytes:
    data = FORMATS[file_format].export_data(dataset)
    if isinstance(data, str):
        # A byte-order mark lets Excel open the UTF-8 CSV in Chinese.
        return "\ufeff".encode() + data.encode("utf-8")
    return data


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
        raise ImportFileError(
            f"文件有 {len(dataset)} 行，"
            f"超过了一次最多 {settings.IMPORT_MAX_ROWS} 行的上限。"
            "请分成几个文件导入。"
        )
    return [dict(zip(dataset.headers, values, strict=False)) for values in dataset]


def _read_xlsx(content: bytes) -> tablib.Dataset:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=False, data_only=False)
    except Exception:
        raise ImportFileError(
            "无法读取这个文件：它不是有效的 Excel（.xlsx）表格。"
            "请在 Excel 中打开后“另存为 .xlsx”再上传。"
        ) from None
    sheet = workbook.worksheets[0]
    if sheet.merged_cells.ranges:
        cells = "、".join(str(r) for r in list(sheet.merged_cells.ranges)[:5])
        raise ImportFileError(
            f"表格中有合并单元格（{cells}）。请取消合并，并在每一行都填写完整后再导入。"
        )
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    dataset = tablib.Dataset(headers=headers)
    for values in rows:
        if any(v not in (None, "") for v in values):
            dataset.append(list(values) + [None] * (len(headers) - len(values)))
    return dataset


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
