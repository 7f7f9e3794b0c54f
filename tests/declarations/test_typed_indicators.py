"""An indicator row holds its value as typed and as parts (符号, 数值,
计量单位, 定量/定性); editing either keeps the other in step."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declarations.models import IndicatorRow
from tests.factories import make_declaration, make_department, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def declaration():
    unit = make_unit(make_department("301", "测试局"), "301001", "测试中心")
    return make_declaration(unit)


def test_typing_the_text_updates_the_parts(declaration):
    row = declaration.indicators.first()
    row.value = "不低于95%"
    row.save()
    row.refresh_from_db()
    assert (row.value_kind, row.value_operator, row.value_number, row.value_unit) == (
        "quantitative",
        "≥",
        Decimal("95"),
        "%",
    )
    row.value = "效果显著"
    row.save()
    row.refresh_from_db()
    assert (row.value_kind, row.value_operator, row.value_number) == (
        "qualitative",
        "",
        None,
    )
    assert row.operator_label == "定性" and row.number_text == "效果显著"


def test_editing_the_parts_updates_the_text(declaration):
    row = declaration.indicators.first()
    row.with_parts("≤", Decimal("16.48"), "万元").save()
    row.refresh_from_db()
    assert row.value == "≤16.48万元"
    assert (row.operator_label, row.number_text, row.value_unit) == (
        "≤",
        "16.48",
        "万元",
    )
    row.with_parts("", None, "", "按时完成").save()
    row.refresh_from_db()
    assert (row.value, row.value_kind, row.value_unit) == (
        "按时完成",
        "qualitative",
        "",
    )


def test_a_blank_value_has_no_kind(declaration):
    row = declaration.indicators.first()
    row.value = ""
    row.save()
    assert row.value_kind == "" and row.operator_label == ""


BEFORE = [("declarations", "0010_row_comment_answers")]


def test_the_migration_reads_the_parts_of_every_stored_value(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldRow = old.get_model("declarations", "IndicatorRow")
    Level1 = old.get_model("indicators", "IndicatorLevel1")
    Organization = old.get_model("declarations", "Organization")
    OldDeclaration = old.get_model("declarations", "Declaration")
    unit = Organization.objects.create(code="9901", name="旧单位", kind="unit")
    old_declaration = OldDeclaration.objects.create(
        organization=unit, year=2020, project_name="旧项目"
    )
    level1 = Level1.objects.first()
    # Stored before the parts were kept for every spelling: parts blank.
    for position, value in enumerate(["≧95%", "＜＝30万元", "效果显著", ""]):
        OldRow.objects.create(
            declaration=old_declaration,
            position=position,
            level1=level1,
            level3=f"指标{position}",
            value=value,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = IndicatorRow.objects.filter(declaration_id=old_declaration.pk)
    assert [
        (r.value, r.value_kind, r.value_operator, r.value_number, r.value_unit)
        for r in rows.order_by("position")
    ] == [
        ("≥95%", "quantitative", "≥", Decimal("95"), "%"),
        ("≤30万元", "quantitative", "≤", Decimal("30"), "万元"),
        ("效果显著", "qualitative", "", None, ""),
        ("", "", "", None, ""),
    ]
