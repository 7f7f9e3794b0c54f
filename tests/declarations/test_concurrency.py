"""Two people acting on one declaration at the same moment."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from declarations.models import DeclarationEvent, Status
from declarations.services import drafts, errors, workflow
from tests.factories import make_declaration, make_department, make_unit, make_user

needs_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (SQLite locks the whole database); "
    "CI runs this with DATABASE_URL set",
)


def _race(*actions):
    """Start the actions together, each on its own connection."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("ok", action())
        except Exception as error:  # the loser's error is what we assert on
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@needs_postgres
@pytest.mark.postgres
def test_two_reviewers_approving_at_once_give_one_approval(transactional_db):
    department = make_department("450", "秦皇岛市北戴河区医疗保障局")
    unit = make_unit(department, "450002", "秦皇岛市北戴河区医疗保障局")
    preparer = make_user("preparer", "preparer", unit)
    first = make_user("reviewer1", "reviewer", department)
    second = make_user("reviewer2", "reviewer", department)
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)

    outcomes = _race(
        lambda: workflow.approve(declaration, by=first, grade="优"),
        lambda: workflow.approve(declaration, by=second, grade="良"),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, errors.InvalidTransition)
    assert "已审核" in str(error) and "审核通过" in str(error)
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED
    assert DeclarationEvent.objects.filter(action="approve").count() == 1


@needs_postgres
@pytest.mark.postgres
def test_two_preparers_saving_the_same_version_at_once_never_both_win(
    transactional_db,
):
    department = make_department("450", "秦皇岛市北戴河区医疗保障局")
    unit = make_unit(department, "450002", "秦皇岛市北戴河区医疗保障局")
    alice = make_user("alice", "preparer", unit)
    bob = make_user("bob", "preparer", unit)
    declaration = make_declaration(unit, alice)

    def save(user, name):
        return drafts.save_changes(
            declaration.pk,
            expected_version=1,
            by=user,
            changes=drafts.DraftChanges(fields={"project_name": name}),
        )

    outcomes = _race(lambda: save(alice, "甲改的"), lambda: save(bob, "乙改的"))
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    winner = next(v for k, v in outcomes if k == "ok")
    loser = next(v for k, v in outcomes if k == "error")
    assert isinstance(loser, errors.StaleVersion)
    declaration.refresh_from_db()
    assert (declaration.version, declaration.project_name) == (2, winner.project_name)
