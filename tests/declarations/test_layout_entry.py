"""The entry steps follow the declaration's layout: only the fields it
prints, its labels and money unit, its own fields and columns, the value
split into 符号 / 指标值 / 计量单位, and goals of the 中期 beside the year's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations.models import Period
from declarations.services import drafts
from indicators.taxonomy import Taxonomy
from tests.declarations.test_department import make_department_declaration
from tests.factories import formset_data, make_declaration, make_user, use_layout


def step_url(declaration, step):
    return reverse("declaration_step", args=[declaration.pk, step])


@pytest.fixture
def levels(db):
    taxonomy = Taxonomy.load()
    output = taxonomy.find_level1("产出指标")
    return output, taxonomy.find_level2(output, "数量指标")


@pytest.fixture
def department_preparer(department):
    return make_user("dept-preparer", "preparer", department)


def _department_wide(department, user, layout):
    department.department_wide_layout_id = layout
    department.save()
    return make_department_declaration(department, user)


def _post_one_row(client, declaration, levels, **fields):
    """Post the indicator step with one 数量指标 row 参保人数 and `fields`."""
    output, count = levels
    row = {"level1": output.pk, "level2": count.pk, "level3": "参保人数"}
    return client.post(
        step_url(declaration, "indicators"),
        {
            "version": declaration.version,
            **formset_data("indicators", [{**row, **fields, "ORDER": 1}]),
        },
    )


def test_a_split_value_is_typed_in_three_boxes_and_kept_as_one_text(
    client, department, department_preparer, levels
):
    declaration = _department_wide(department, department_preparer, "tianjin")
    client.force_login(department_preparer)
    page = client.get(step_url(declaration, "indicators")).content.decode()
    assert "<th>符号</th><th>指标值</th><th>计量单位</th>" in page
    assert 'name="indicators-0-operator"' in page
    assert 'name="indicators-0-value"' not in page
    output, count = levels
    response = client.post(
        step_url(declaration, "indicators"),
        {
            "version": declaration.version,
            **formset_data(
                "indicators",
                [
                    {
                        "level1": output.pk,
                        "level2": count.pk,
                        "level3": "参保人数",
                        "operator": "≥",
                        "number": "30",
                        "unit": "万人",
                        "ORDER": 1,
                    },
                    {
                        "level1": output.pk,
                        "level2": count.pk,
                        "level3": "经办能力",
                        "operator": "",
                        "number": "显著提升",
                        "unit": "",
                        "ORDER": 2,
                    },
                ],
            ),
        },
    )
    assert response.status_code == 302
    quantitative, qualitative = declaration.indicators.all()
    assert (quantitative.value, quantitative.value_number) == ("≥30万人", 30)
    assert qualitative.value == "显著提升"
    assert qualitative.operator_label == "定性"
    # The page shows the parts back as they were typed.
    page = client.get(step_url(declaration, "indicators")).content.decode()
    assert 'name="indicators-0-number" value="30"' in page
    assert 'value="显著提升"' in page


def test_an_operator_with_text_for_a_number_is_refused_and_kept(
    client, department, department_preparer, levels
):
    declaration = _department_wide(department, department_preparer, "tianjin")
    client.force_login(department_preparer)
    response = _post_one_row(
        client, declaration, levels, operator="≥", number="三十", unit="万人"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "选了计算符号时，指标值应为数字" in page
    assert 'value="三十"' in page
    declaration.refresh_from_db()
    assert declaration.version == 1


def test_weights_and_a_layouts_own_columns_are_entered_and_kept(
    client, department, department_preparer, levels
):
    declaration = _department_wide(department, department_preparer, "zhejiang")
    client.force_login(department_preparer)
    page = client.get(step_url(declaration, "indicators")).content.decode()
    for heading in [
        "指标重要性",
        "分值",
        "赋分原则",
        "计算符号",
        "历史指标值",
        "是否与预算挂钩",
    ]:
        assert f"<th>{heading}</th>" in page
    response = _post_one_row(
        client,
        declaration,
        levels,
        x_importance="核心",
        weight="12.5",
        scoring="完成得满分",
        operator="≥",
        number="30",
        unit="万人",
        history="28万人",
        x_budget_linked="是",
    )
    assert response.status_code == 302
    (row,) = declaration.indicators.all()
    assert row.weight == Decimal("12.5")
    assert (row.scoring, row.history, row.value) == ("完成得满分", "28万人", "≥30万人")
    assert row.extra == {"importance": "核心", "budget_linked": "是"}


def test_a_weight_that_is_not_a_number_is_said_in_chinese(
    client, department, department_preparer, levels
):
    declaration = _department_wide(department, department_preparer, "zhejiang")
    client.force_login(department_preparer)
    response = _post_one_row(client, declaration, levels, weight="十分")
    page = response.content.decode()
    assert "分值请填写数字" in page and 'value="十分"' in page


def test_the_basic_step_shows_only_what_the_layout_prints(client, preparer, unit):
    hebei = make_declaration(use_layout(unit, "hebei"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(hebei, "basic")).content.decode()
    assert 'name="project_code"' in page
    assert 'name="implementing_unit"' not in page  # the Hebei table has none
    use_layout(unit, "central")
    central = make_declaration(unit, preparer, project_code="B")
    page = client.get(step_url(central, "basic")).content.decode()
    assert 'name="implementing_unit"' in page and 'name="attribute"' in page
    assert 'name="project_code"' not in page


def test_a_layout_in_yuan_asks_for_yuan_and_the_terms_funds(client, preparer, unit):
    declaration = make_declaration(use_layout(unit, "shanxi"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(declaration, "funds")).content.decode()
    assert "预算规模（元）" in page
    assert "实施期资金总额" in page and 'name="term_total"' in page
    assert 'name="fund_use"' not in page and "资金支出计划" not in page
    response = client.post(
        step_url(declaration, "funds"),
        {"version": 1, "term_total": "一百万", "total": "350000"},
    )
    assert "请填写数字（单位：元）" in response.content.decode()
    response = client.post(
        step_url(declaration, "funds"),
        {
            "version": 1,
            "term_total": "1050000",
            "total": "350000",
            "fiscal": "350000",
            "term_fiscal": "1050000",
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert (declaration.term_total, declaration.total) == (1050000, 350000)
    # The spending plan, which this layout does not print, is left as it was.
    assert [m for m, _ in declaration.spending_plan] == [3, 6, 10, 12]


def test_the_terms_goals_are_a_list_of_their_own(client, preparer, unit):
    declaration = make_declaration(use_layout(unit, "central_full"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(declaration, "goals")).content.decode()
    assert "中期目标" in page and "年度目标" in page
    assert 'name="term_goals-TOTAL_FORMS"' in page
    (annual,) = declaration.goals.all()
    response = client.post(
        step_url(declaration, "goals"),
        {
            "version": 1,
            **formset_data(
                "term_goals", [{"text": "三年内全面实现应保尽保", "ORDER": 1}]
            ),
            **formset_data(
                "goals",
                [
                    {"id": annual.pk, "text": annual.text, "ORDER": 1},
                    {"text": "年内结算差错为零", "ORDER": 2},
                ],
                initial=1,
            ),
        },
    )
    assert response.status_code == 302
    by_period = {
        period: list(
            declaration.goals.filter(period=period).values_list("text", flat=True)
        )
        for period in Period.values
    }
    assert by_period == {
        Period.ANNUAL: ["确保医保业务正常办理", "年内结算差错为零"],
        Period.TERM: ["三年内全面实现应保尽保"],
    }
    # A layout with one list of goals leaves the term's goals alone.
    drafts.replace_content(declaration, goals=["只改年度"])
    assert declaration.goals.filter(period=Period.TERM).count() == 1


def test_a_layouts_own_field_is_entered_on_its_step(client, preparer, unit):
    from declarations.models import TableLayout
    from declarations.services.layouts import save_definition

    document = TableLayout.objects.get(code="hebei").definition
    document = {**document, "name": "河北样式（加可行性）"}
    document["fields"] = [{"key": "feasibility", "label": "可行性", "kind": "text"}]
    info = next(p for p in document["parts"] if p["kind"] == "info")
    info["rows"] = [
        *info["rows"],
        [{"label": "可行性"}, {"field": "feasibility", "span": 24}],
    ]
    save_definition(TableLayout(code="hebei-plus"), document, by=None)
    declaration = make_declaration(use_layout(unit, "hebei-plus"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(declaration, "basic")).content.decode()
    assert 'name="x_feasibility"' in page
    response = client.post(
        step_url(declaration, "basic"),
        {
            "version": 1,
            "year": 2024,
            "project_code": "450-0101-TEST",
            "project_name": "医保经办工作经费",
            "x_feasibility": "已论证，可行",
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.extra == {"feasibility": "已论证，可行"}
    detail = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert "已论证，可行" in detail.content.decode()


def test_a_reviewer_sees_a_changed_weight_in_the_changes(preparer, unit):
    from declarations.snapshots import diff, snapshot

    declaration = make_declaration(use_layout(unit, "hebei"), preparer)
    before = snapshot(declaration)
    assert all(len(row) == 6 for row in before["rows"])  # as kept before layouts
    row = declaration.indicators.first()
    row.weight, row.extra = Decimal("12"), {"importance": "核心"}
    row.save()
    changes = diff(before, snapshot(declaration))
    (changed,) = changes["rows"]
    assert changed["columns"] == [("其他栏目", "", "分值：12；importance：核心")]
