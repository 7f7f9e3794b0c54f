"""What recognising a Word file finds: the tables read as declarations,
those that are not performance tables, the cells no field took, and the
class of each row of an indicator block."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unplaced:
    """A cell (or line) the import could not place."""

    table: int  # 1-based, in the file's order; 0 for text outside tables
    row: int  # 1-based within its table
    text: str


@dataclass(frozen=True)
class Skipped:
    """A table that is not a performance table (机构设置, 三公经费, 政府采购 …):
    listed at preview as 不是绩效目标表，未导入, never imported."""

    number: int  # 1-based, in the file's order
    opening: str  # its first cells, for a person to know it by


# The classes of the rows of an indicator block, as the preview names them.
ROW_KINDS = {
    "head": "表头",
    "indicator": "指标",
    "continuation": "接上行",
    "note": "说明（并入指标值确定依据）",
    "spare": "空行",
    "form": "表格固定内容",
}


@dataclass(frozen=True)
class RowKind:
    """What one row of an indicator block was read as."""

    row: int  # 1-based within its table (after a page-break split is joined)
    kind: str  # a key of ROW_KINDS
    text: str = ""  # its cells' text, shortened, for a person to find it

    @property
    def label(self) -> str:
        return ROW_KINDS[self.kind]


@dataclass
class Found:
    """One table recognised as a declaration."""

    number: int  # 1-based, in the file's order
    kind: str  # project (Hebei), central, department_wide
    fields: dict[str, str] = field(default_factory=dict)
    goals: str = ""
    plan: list[list] = field(default_factory=list)  # [[month, percent], …]
    rows: list[list[str]] = field(default_factory=list)  # in columns.ROW order
    # Per row, the values of the columns some layouts add (中期指标值 …).
    more: list[dict[str, str]] = field(default_factory=list)
    term_goals: str | None = None
    unit_code: str = ""
    unit_name: str = ""
    heading_name: str = ""
    in_yuan: bool = False  # its amounts are in 元 (单位：元, 项目资金（元）)
    # Each row of its indicator block, classified (see ROW_KINDS).
    row_kinds: list[RowKind] = field(default_factory=list)
    # Why it cannot be read, when it speaks of targets but has none.
    trouble: str = ""

    @property
    def project_name(self) -> str:
        return self.fields.get("project_name") or self.heading_name

    @property
    def kind_label(self) -> str:
        return {
            "project": "项目绩效目标表",
            "central": "项目支出绩效目标申报表",
            "department_wide": "部门整体支出绩效目标申报表",
        }[self.kind]


@dataclass
class Seen:
    """What the paragraphs before a table said of it."""

    heading_name: str = ""
    unit_code: str = ""
    unit_name: str = ""
    in_yuan: bool = False
