"""The steps of the guided entry, in the order of the paper table: each
step's tab, page and form. The last step, 核对, is the declaration's page."""

from collections.abc import Callable
from dataclasses import dataclass

from declarations.forms.basic import BasicInfoForm, DepartmentWideBasicForm
from declarations.forms.funds import DepartmentWideFundsForm, FundsForm
from declarations.forms.goals import DutiesForm, GoalLists
from declarations.forms.indicators import indicator_formset
from declarations.forms.side_tables import SideTables
from declarations.layouts.versions import definition_of
from declarations.models import Period
from indicators.taxonomy import Taxonomy

CHECK = "check"
TABLES = "tables"


@dataclass(frozen=True)
class Step:
    """One editing step: its tab, its page, and its form or formset (`build`
    returns it as "form" or "formset", with what else the page needs), whose
    `changes()` the step saves."""

    name: str
    label: str
    template: str = ""
    build: Callable[[object, object], dict] | None = None


def _form(form_class):
    return lambda declaration, data: {
        "form": form_class(
            data, instance=declaration, definition=definition_of(declaration)
        )
    }


def _goals(declaration, data):
    """One list of goals a period the layout prints, labelled as it prints
    them (中期目标, 年度目标), and the layout's own fields of the step."""
    definition = definition_of(declaration)
    labels = definition.goal_labels()
    periods = [
        (
            period,
            labels[period]
            or (Period(period).label + "目标" if len(labels) > 1 else ""),
        )
        for period in (Period.TERM, Period.ANNUAL)
        if period in labels
    ] or [(Period.ANNUAL, "")]
    return {"formset": GoalLists(data, declaration, periods, definition=definition)}


def _indicators(declaration, data):
    taxonomy = Taxonomy.load()
    formset_class = indicator_formset(definition_of(declaration))
    formset = formset_class(
        data, instance=declaration, prefix="indicators", taxonomy=taxonomy
    )
    return {"formset": formset, "taxonomy": taxonomy}


_CHECK_STEP = Step(CHECK, "核对")
# The labels are those of catalogue.ENTRY_STEPS, which the layout definition's
# messages name (a test holds the two together).
PROJECT_STEPS = [
    Step("basic", "基本信息", "declarations/step_basic.html", _form(BasicInfoForm)),
    Step("funds", "资金与支出计划", "declarations/step_funds.html", _form(FundsForm)),
    Step("goals", "绩效目标", "declarations/step_goals.html", _goals),
    Step("indicators", "绩效指标", "declarations/step_indicators.html", _indicators),
    _CHECK_STEP,
]
DEPARTMENT_WIDE_STEPS = [
    Step(
        "basic",
        "基本信息",
        "declarations/step_basic_department_wide.html",
        _form(DepartmentWideBasicForm),
    ),
    Step(
        "funds",
        "年度预算申请",
        "declarations/step_funds_department_wide.html",
        _form(DepartmentWideFundsForm),
    ),
    Step("duties", "职能职责", "declarations/step_duties.html", _form(DutiesForm)),
    Step("goals", "年度总体目标", "declarations/step_goals.html", _goals),
    Step("indicators", "绩效指标", "declarations/step_indicators.html", _indicators),
    _CHECK_STEP,
]


def _side_tables(declaration, data):
    parts = definition_of(declaration).side_tables()
    return {"formset": SideTables(data, declaration, parts)}


def steps_for(declaration) -> list[Step]:
    """The steps of a declaration; a layout with side tables (项目实施进度计划
    …) has a step for them after the goals."""
    steps = DEPARTMENT_WIDE_STEPS if declaration.is_department_wide else PROJECT_STEPS
    parts = definition_of(declaration).side_tables()
    if not parts:
        return steps
    label = parts[0].text if len(parts) == 1 else "附表"
    at = [s.name for s in steps].index("goals") + 1
    tables = Step(TABLES, label, "declarations/step_tables.html", _side_tables)
    return [*steps[:at], tables, *steps[at:]]


def step_tabs(declaration) -> list[tuple[str, str]]:
    return [(step.name, step.label) for step in steps_for(declaration)]


def next_step(declaration, name) -> str:
    names = [step.name for step in steps_for(declaration)]
    return names[names.index(name) + 1]


def editing_step(declaration, name) -> Step | None:
    """The editable step of that name, if the declaration has one."""
    return {s.name: s for s in steps_for(declaration) if s.build}.get(name)


# Where the field a finding names is typed: its step, and the id of the
# control there (Django's id_<name>, formset rows id_<prefix>-<row>-<field>).
_FIELD_STEPS = {
    "total": ("funds", "id_total"),
    "spending_plan": ("funds", "id_percent_0"),
    "income_split": ("funds", "id_income_amount_0"),
    "spending_split": ("funds", "id_spending_amount_0"),
    "goals": ("goals", "id_goals-0-text"),
    "indicators": ("indicators", "indicator-rows"),
}


def finding_target(finding) -> tuple[str, str] | None:
    """The step and the control where a finding is put right, if any."""
    if finding.row is not None and finding.field in {"level2", "level3", "value"}:
        return "indicators", f"id_indicators-{finding.row}-{finding.field}"
    return _FIELD_STEPS.get(finding.field)
