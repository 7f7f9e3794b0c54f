"""The rows an upload brings to the import, whatever its kind: a
spreadsheet's as they are, a Word file's from the tables recognised in it."""

from dataclasses import dataclass

from declarations.access import preparing_units
from declarations.spreadsheet import files
from declarations.wordfiles.reading import OLE_SIGNATURE, read_blocks
from declarations.wordfiles.recognise import WordBook, import_rows, recognise

WORD_SUFFIXES = ("docx", "doc")


@dataclass
class Upload:
    rows: list[dict]
    word: WordBook | None = None  # what was recognised, for a Word file
    year: int | None = None


def is_word(content: bytes, filename: str) -> bool:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    return suffix in WORD_SUFFIXES or content.startswith(OLE_SIGNATURE)


def read_upload(
    content: bytes, filename: str, *, user, year: int | None = None
) -> Upload:
    """The import rows of an uploaded file. A Word file's year is the one
    given (to start a new year from last year's book) or else the one it
    states; a table without a unit line belongs to the user's unit when
    the user prepares in one only."""
    if not is_word(content, filename):
        return Upload(files.read_rows(content, filename))
    book = recognise(read_blocks(content))
    if not book.found:
        raise files.ImportFileError(
            "文件中没有找到绩效目标表。请确认上传的是含有项目绩效目标表（或项目支出"
            "绩效目标申报表）的 Word 文件，表中应有“项目名称”“一级指标”等栏目。"
        )
    year = year or book.year
    if year is None:
        raise files.ImportFileError(
            "文件中没有写明年度（如“2024年部门预算绩效信息”或“（2024年度）”），"
            "请在“导入为年度”中填写年度后重新上传。"
        )
    units = (
        list(preparing_units(user).values_list("code", flat=True)[:2]) if user else []
    )
    default_unit = units[0] if len(units) == 1 else ""
    return Upload(import_rows(book, year=year, unit_code=default_unit), book, year)
