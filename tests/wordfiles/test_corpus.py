"""Property tests over the corpus of Word files as bureaus keep them
(tests/wordfiles/corpus.py): whatever idiom a file uses, through the whole
import (read, analyse, apply) every cell of every performance table in it
is stored, no other table makes a declaration, and nothing else is written.

Each variant fixes one idiom and draws the tables and the rest. A variant
that the import does not read yet is marked xfail (strict) with what goes
wrong, so that it flips loudly once it does. CI draws a few examples per
variant (EXAMPLES, from the "ci" profile of tests/conftest.py). Shrinking is
off: a failure lists every cell the first failing file lost, which says
more than a smaller file would, and each example is a whole import.

At the end of the module a line per variant counts the files, the
performance tables and the cells it checked.
"""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import Phase, given, settings

from declarations.models import (
    Declaration,
    DepartmentGoals,
    Goal,
    IndicatorRow,
    Membership,
)
from declarations.spreadsheet import importing
from declarations.spreadsheet.files import ImportFileError
from declarations.wordfiles import importing as word_import
from indicators.values import normalised
from tests.wordfiles.corpus import VARIANTS, Expected, Sample

CENT = Decimal("0.01")
ROW_CELLS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "指标值确定依据",
)
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
# An example is a whole import (a file built, read in a child process,
# written): each variant draws a third of the profile's examples, five in
# CI, 166 with HYPOTHESIS_PROFILE=thorough.
EXAMPLES = max(2, settings.default.max_examples // 3)


def _param(variant):
    return pytest.param(variant, id=variant.name)


@pytest.fixture
def importer(preparer, department):
    """A preparer of the unit (450002) and of its department, who may write
    the department's goals and a department-wide table."""
    Membership.objects.create(user=preparer, organization=department, role="preparer")
    return preparer


@pytest.fixture(scope="module")
def census(request):
    """Files, tables and cells checked per variant, printed at the end."""
    counts: dict[str, Counter] = {}
    yield counts
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    if reporter is None or not counts:
        return
    # Past the capture of output, which would keep it for failures only.
    with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
        reporter.write_sep("-", "Word corpus: per variant, what was checked")
        for name, count in counts.items():
            reporter.write_line(
                f"{name}: {count['files']} files, {count['tables']} tables, "
                f"{count['cells']} cells, {count['others']} other tables"
            )


@pytest.mark.parametrize("variant", [_param(v) for v in VARIANTS])
def test_every_cell_of_every_performance_table_is_stored_and_nothing_else(
    variant, importer, census
):
    @settings(max_examples=EXAMPLES, phases=NO_SHRINK)
    @given(variant.options)
    def check(options):
        sample = variant.make(options)
        count = census.setdefault(variant.name, Counter())
        count.update(
            files=1,
            tables=len(sample.tables),
            cells=sample.cells,
            others=sample.others,
        )
        problems = _imported(sample, importer)
        assert not problems, "\n".join(problems)

    check()


def _imported(sample: Sample, user) -> list[str]:
    """What the import of `sample` got wrong; written, compared, rolled back
    (every example starts from the same database)."""
    with transaction.atomic():
        problems = _import_and_compare(sample, user)
        transaction.set_rollback(True)
    return problems


def _counts() -> dict:
    return {
        model: model.objects.count()
        for model in (Declaration, IndicatorRow, Goal, DepartmentGoals)
    }


def _import_and_compare(sample: Sample, user) -> list[str]:
    before = _counts()
    try:
        read = word_import.read_upload(
            sample.content, "绩效目标.docx", user=user, year=sample.year
        )
    except ImportFileError as refused:
        return [f"file refused: {refused}"]
    plan = importing.analyse(read.rows, user)
    if plan.blocking:
        return [f"import blocked: {problem}" for problem in plan.blocking]
    word_import.apply(plan, read, user)
    problems = []
    stored = {d.project_name: d for d in Declaration.objects.filter(year=sample.year)}
    for table in sample.tables:
        declaration = stored.pop(table.name, None)
        if declaration is None:
            problems.append(f"{table.name}: no declaration of this name")
            continue
        problems += [f"{table.name}: {p}" for p in _missing(table, declaration)]
    problems += [f"a declaration from another table: {name}" for name in stored]
    after = _counts()
    wanted = {
        Declaration: len(sample.tables),
        IndicatorRow: sum(len(t.rows) for t in sample.tables),
        Goal: sum(len(t.goals) for t in sample.tables),
        DepartmentGoals: 1 if sample.part_one else 0,
    }
    for model, count in wanted.items():
        if after[model] - before[model] != count:
            problems.append(
                f"{after[model] - before[model]} {model.__name__} written, "
                f"{count} expected"
            )
    if sample.part_one:
        problems += _part_one_missing(sample)
    return problems


def _missing(table: Expected, declaration: Declaration) -> list[str]:
    """The cells of `table` that `declaration` does not hold."""
    problems = []
    for key, text in table.fields.items():
        if key == "attribute":
            stored = declaration.get_attribute_display()
        else:
            stored = getattr(declaration, key)
        if stored != text:
            problems.append(f"{key} {text!r} stored as {stored!r}")
    for key, amount in table.amounts.items():
        stored = getattr(declaration, key)
        if stored is None or stored.quantize(CENT) != amount.quantize(CENT):
            problems.append(f"{key} {amount} 万元 stored as {stored}")
    plan = {
        month: Decimal(str(share))
        for month, share in declaration.spending_plan
        if share not in (None, "")
    }
    if plan != dict(table.plan):
        problems.append(f"spending plan {dict(table.plan)} stored as {plan}")
    for key, items in table.splits.items():
        stored = {label: Decimal(str(a)) for label, a in getattr(declaration, key)}
        for label, amount in items:
            if stored.get(label) != Decimal(amount):
                problems.append(f"{key} {label}:{amount} stored as {stored}")
    goals = [goal.text for goal in declaration.goals.all()]
    if goals != table.goals:
        problems.append(f"goals {table.goals} stored as {goals}")
    return problems + _rows_missing(table.rows, _stored_rows(declaration))


def _stored_rows(declaration) -> list[tuple[str, ...]]:
    return [
        (
            row.level1.name if row.level1 else "",
            row.level2.name if row.level2 else "",
            row.level3,
            row.description,
            row.value,
            row.basis,
        )
        for row in declaration.indicators.select_related("level1", "level2")
    ]


def _rows_missing(expected: list[tuple], stored: list[tuple]) -> list[str]:
    """Rows matched whole first; each left over is compared cell by cell
    with the stored row most like it, and stored rows left over are
    indicators no row of the table made."""
    left = list(stored)
    unmatched = []
    # A value is stored with its operators made canonical (≧ is ≥), as
    # every door stores it: the same value, written alike.
    expected = [(*row[:4], normalised(row[4]), *row[5:]) for row in expected]
    for row in expected:
        if row in left:
            left.remove(row)
        else:
            unmatched.append(row)
    problems = []
    for row in unmatched:
        if not left:
            problems.append(f"indicator row not stored: {row}")
            continue
        nearest = max(
            left, key=lambda s: sum(a == b for a, b in zip(row, s, strict=True))
        )
        left.remove(nearest)
        for name, want, got in zip(ROW_CELLS, row, nearest, strict=True):
            if want != got:
                problems.append(f"{row[2]}: {name} {want!r} stored as {got!r}")
    problems += [f"an indicator no row made: {row}" for row in left]
    return problems


def _part_one_missing(sample: Sample) -> list[str]:
    goals = DepartmentGoals.objects.filter(year=sample.year).first()
    if goals is None:
        return ["the department's goals (part one) not stored"]
    problems = []
    if goals.overall != sample.part_one["overall"]:
        problems.append(f"part one overall stored as {goals.overall!r}")
    items = [item.goal for item in goals.items.all()]
    if items != sample.part_one["items"]:
        problems.append(f"part one items stored as {items}")
    measures = [measure.text for measure in goals.measures.all()]
    if measures != sample.part_one["measures"]:
        problems.append(f"part one measures stored as {measures}")
    return problems
