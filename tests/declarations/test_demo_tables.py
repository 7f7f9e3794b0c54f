"""The demo tables are the reference tables: every cell, in the printed order."""

import re
from pathlib import Path

import pytest

from declarations.demo.tables import CENTRAL_2023, HEBEI_2020

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference"


def _squeeze(text):
    # Word's export wraps multi-line cells in quotes and breaks lines anywhere.
    return re.sub(r'[\s"]', "", text)


def printed_cells(table, *, level2_every_row):
    """The cells as the paper prints them: merged level cells appear once."""
    cells = [table.get("project_code", ""), table["project_name"], table["total"]]
    cells += [table.get("fund_use", ""), *table["goals"]]
    previous = (None, None)
    for row in table["rows"]:
        if row[0] != previous[0]:
            cells.append(row[0])
        if level2_every_row or tuple(row[:2]) != previous:
            cells.append(row[1])
        previous = tuple(row[:2])
        cells += row[2:]
    return [c for c in cells if c]


def _missing_in_order(text, cells):
    text, position, missing = _squeeze(text), 0, []
    for cell in cells:
        found = text.find(_squeeze(cell), position)
        if found < 0:
            missing.append(cell)
        else:
            position = found + len(_squeeze(cell))
    return missing


@pytest.mark.parametrize(
    ("filename", "tables", "level2_every_row"),
    [
        ("000_6965312b4b27b041.txt", HEBEI_2020, True),
        ("002_7ebfdcad82a08165.txt", CENTRAL_2023, False),
    ],
)
def test_demo_tables_match_the_reference_text(filename, tables, level2_every_row):
    text = (REFERENCE / filename).read_text(encoding="utf-8")
    for table in tables:
        cells = printed_cells(table, level2_every_row=level2_every_row)
        assert _missing_in_order(text, cells) == [], table["project_name"]
