"""`manage.py db_worker`: django-tasks-db's worker, with leases.

It replaces the command of the same name of django-tasks-db (declarations
comes first in INSTALLED_APPS) and takes the same arguments. As it starts it
recovers what a crash left: the tasks of the dead workers of its machine at
once, and every task whose lease ran out. While it runs, a heartbeat thread
renews the lease of its task and recovers the tasks of workers that died
elsewhere (declarations/leases.py).
"""

import logging
import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from declarations import leases

logger = logging.getLogger("django_tasks_db")


class Worker(db_worker.Worker):
    heartbeat: leases.Heartbeat

    def run(self) -> None:
        recovered = leases.recover_dead_here() + leases.recover()
        if recovered:
            logger.warning("Recovered %d tasks of workers that died", recovered)
        self.heartbeat = leases.Heartbeat(self.worker_id)
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result) -> None:
        leases.take(db_task_result, self.worker_id)
        self.heartbeat.task_id = db_task_result.pk
        try:
            super().run_task(db_task_result)
        finally:
            self.heartbeat.task_id = None


class Command(db_worker.Command):
    help = "Run a database background worker that recovers the tasks of dead workers"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        reload: bool,
        batch: bool,
        **options,
    ) -> None:
        # As django-tasks-db's own handle (0.13), with our Worker.
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            batch=batch,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # in the reloaded child only
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
