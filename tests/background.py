"""Running the background tasks in a test, as the workers would."""

from unittest import mock

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


def run_tasks() -> int:
    """Run every task that is due, as a `db_worker` would; how many ran.

    The worker runs in the test's own transaction here, so it must not close
    the connection between tasks as a worker process does."""
    before = DBTaskResult.objects.finished().count()
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return DBTaskResult.objects.finished().count() - before
