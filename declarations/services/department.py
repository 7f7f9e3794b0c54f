"""Part one of the department book: the department's goals, their numbered
items and the safeguard measures."""

from declarations.models import (
    DepartmentGoals,
    GoalItem,
    Organization,
    SafeguardMeasure,
)
from declarations.printing import tasks as printing
from declarations.services.versioning import save_versioned


def start_goals(department: Organization, *, year: int, by) -> DepartmentGoals:
    """The department's goals of the year, created empty the first time."""
    goals, _ = DepartmentGoals.objects.get_or_create(
        organization=department, year=year, defaults={"updated_by": by}
    )
    return goals


def save_goals(
    pk: int,
    *,
    expected_version: int,
    by,
    overall: str,
    items: list[tuple[str, str]],
    measures: list[str],
) -> DepartmentGoals:
    """Replace part one: the overall goal, the (goal, indicators) items and
    the measures, numbered in the order given."""

    def apply(goals: DepartmentGoals):
        goals.overall = overall
        goals.items.all().delete()
        GoalItem.objects.bulk_create(
            GoalItem(goals=goals, position=i, goal=goal, indicators=indicators)
            for i, (goal, indicators) in enumerate(items, start=1)
        )
        goals.measures.all().delete()
        SafeguardMeasure.objects.bulk_create(
            SafeguardMeasure(goals=goals, position=i, text=text)
            for i, text in enumerate(measures, start=1)
        )
        # Part one of the book changed: lay the book out in the background.
        printing.book_changed(goals.organization, goals.year)

    return save_versioned(
        DepartmentGoals, pk=pk, expected_version=expected_version, by=by, apply=apply
    )
