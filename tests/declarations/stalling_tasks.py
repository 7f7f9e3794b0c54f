"""Tasks for the tests of recovering workers: the first run of each stalls
until its worker is killed; a run after it is done at once."""

import os
import time
from pathlib import Path

from declarations.leases import idempotent

try:
    from django.tasks import task
except ImportError:
    from django_tasks import task


@idempotent
@task()
def stall_once(folder: str) -> int:
    """May run again, as printing and packing may."""
    return _stall(folder)


@task()
def stall_once_unsafe(folder: str) -> int:
    """May not run twice."""
    return _stall(folder)


def _stall(folder: str) -> int:
    """Leaves `run-N` (holding the worker's pid) in `folder`; how many runs
    it took."""
    runs = Path(folder)
    run = len(list(runs.glob("run-*"))) + 1
    (runs / f"run-{run}").write_text(str(os.getpid()))
    if run == 1:
        time.sleep(600)
    return run
