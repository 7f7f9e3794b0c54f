"""The rows an upload brings to the import, whatever its kind: a
spreadsheet's as they are, a Word file's from the tables recognised in it."""

from dataclasses import dataclass, field

from django.db import transaction

from declarations.access import preparing_departments, preparing_units
from declarations.models import DepartmentGoals, Organization
from declarations.services import department as department_goals
from declarations.spreadsheet import files, importing
from declarations.wordfiles import converting
from declarations.wordfiles.recognise import WordBook, import_rows, read_book

WORD_SUFFIXES = ("docx", "doc", "wps", "rtf")
SPREADSHEET_SUFFIXES = ("xlsx", "xls", "csv")


@dataclass(frozen=True)
class Place:
    """Where an import row of a Word file is in the document, as a person
    finds it there."""

    table: int  # the table's number, 1-based in the file's order
    name: str = ""  # its project
    indicator: int | None = None  # 1-based; None for a table without any

    def __str__(self) -> str:
        where = f"第 {self.indicator} 条指标" if self.indicator else "表头"
        return f"第 {self.table} 个表格{where}"


@dataclass
class Upload:
    rows: list[dict]
    word: WordBook | None = None  # what was recognised, for a Word file
    year: int | None = None
    # Where a book's part one goes (the department's goals of the year),
    # or why it does not.
    goals_of: Organization | None = None
    goals_refused: str = ""
    # For a Word file: an import row's number (header = 1) to the place in
    # the document a person finds it, 第 2 个表格第 3 条指标.
    places: dict[int, Place] = field(default_factory=dict)
    # An older format (.doc, .wps, RTF …) as LibreOffice made it a .docx:
    # what the confirm reads again, without converting it twice.
    converted: bytes | None = None


def is_word(content: bytes, filename: str) -> bool:
    """A file with a Word name (.docx, .doc, .wps, .rtf), or one without a
    spreadsheet's name that holds a Word 97, Works or RTF document. (An old
    Excel .xls is an OLE file too: it gets the spreadsheet's message.)"""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in WORD_SUFFIXES:
        return True
    return suffix not in SPREADSHEET_SUFFIXES and converting.kind_of(content) in (
        converting.WORD_97,
        converting.WORKS,
        converting.RTF,
    )


def read_upload(
    content: bytes,
    filename: str,
    *,
    user,
    year: int | None = None,
    leave_out: frozenset[int] = frozenset(),
) -> Upload:
    """The import rows of an uploaded file. A Word file's year is the one
    given (to start a new year from last year's book) or else the one it
    states; a table without a unit line belongs to the user's unit when
    the user prepares in one only."""
    if not is_word(content, filename):
        return Upload(files.read_rows(content, filename))
    docx = converting.as_docx(content)
    book = read_book(docx)
    book.found = [f for f in book.found if f.number not in leave_out]
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
    default_unit = _only_code(preparing_units(user)) if user else ""
    rows = import_rows(
        book,
        year=year,
        unit_code=default_unit,
        department_code=_only_code(preparing_departments(user)) if user else "",
    )
    read = Upload(rows, book, year, places=_places(book))
    if docx is not content:
        read.converted = docx
    if book.part_one:
        _place_part_one(read, user, default_unit)
    return read


def _only_code(organizations) -> str:
    """The code of the one organization, or blank if there are several."""
    codes = list(organizations.values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else ""


def _place_part_one(read: Upload, user, default_unit: str):
    """A book's part one goes to the department of its tables' unit, if the
    user prepares that department's goals."""
    codes = [f.unit_code for f in read.word.found if f.unit_code] or [default_unit]
    unit = Organization.objects.filter(code=codes[0]).select_related("parent").first()
    department = unit.department if unit else None
    if department is None:
        read.goals_refused = (
            "文件中的第一部分（部门整体绩效目标）找不到所属主管部门，本次不导入；"
            "请在“部门绩效信息”中填写。"
        )
    elif (
        user is not None
        and not preparing_departments(user).filter(pk=department.pk).exists()
    ):
        read.goals_refused = (
            f"文件中的第一部分（部门整体绩效目标）需由{department.name}的填报人导入，"
            "本次不导入。"
        )
    else:
        read.goals_of = department


@transaction.atomic
def apply(import_plan, read: Upload, user):
    """Write the declarations and, for a book, its part one, all or none."""
    importing.apply(import_plan, user)
    part = read.word.part_one if read.word else None
    if part and read.goals_of is not None:
        goals = department_goals.start_goals(read.goals_of, year=read.year, by=user)
        department_goals.save_goals(
            goals.pk,
            expected_version=goals.version,
            by=user,
            overall="\n".join(part.overall),
            items=[
                (text, part.indicators.get(i, "")) for i, text in enumerate(part.items)
            ],
            measures=part.measures,
        )


def goals_exist(read: Upload) -> bool:
    """The department already has goals of the year, which the import replaces."""
    if read.goals_of is None:
        return False
    goals = DepartmentGoals.objects.filter(organization=read.goals_of, year=read.year)
    return (
        goals.exclude(overall="").exists() or goals.filter(items__isnull=False).exists()
    )


def _places(book: WordBook) -> dict[int, Place]:
    places, number = {}, 2  # the rows import_rows makes, after its header
    for found in book.found:
        for i in range(max(len(found.rows), 1)):
            indicator = i + 1 if found.rows else None
            places[number] = Place(found.number, found.project_name, indicator)
            number += 1
    return places


def troubles(read: Upload) -> list[importing.Problem]:
    """A blocking problem for each table that speaks of targets but could
    not be read, at its first row."""
    if read.word is None:
        return []
    first_rows = {}
    for row, place in sorted(read.places.items()):
        first_rows.setdefault(place.table, row)
    return [
        importing.Problem(first_rows.get(found.number), "表格", found.trouble)
        for found in read.word.found
        if found.trouble
    ]
