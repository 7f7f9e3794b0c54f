"""Work run in a child process within memory and time limits: an upload
that needs too much of either gets a message, and the worker is unharmed."""

import multiprocessing
import os
import resource
import signal
import time
from pathlib import Path

import pytest

from declarations.bounded import OverLimit, run_bounded
from declarations.spreadsheet import files
from tests.declarations.test_exchange import _row, _sheet


def _allocate(size):
    block = bytearray(size)
    return len(block)


def _sleep(seconds):
    time.sleep(seconds)


def _refuse(message):
    raise files.ImportFileError(message)


def _peak_memory():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def test_work_within_its_limits_returns_its_result():
    assert run_bounded(_allocate, 10 * 2**20, memory=100 * 2**20, seconds=10) == (
        10 * 2**20
    )


def test_work_past_its_memory_is_stopped_and_the_worker_does_not_grow():
    before = _peak_memory()
    with pytest.raises(OverLimit) as raised:
        run_bounded(_allocate, 2 * 2**30, memory=50 * 2**20, seconds=10)
    assert raised.value.memory
    assert _peak_memory() - before < 20 * 2**20


def test_work_past_its_time_is_killed_when_the_time_is_up():
    start = time.monotonic()
    with pytest.raises(OverLimit) as raised:
        run_bounded(_sleep, 30, memory=50 * 2**20, seconds=0.5)
    assert not raised.value.memory
    assert time.monotonic() - start < 5


def test_a_refusal_inside_the_work_reaches_the_caller():
    with pytest.raises(files.ImportFileError, match="请改正"):
        run_bounded(_refuse, "请改正", memory=50 * 2**20, seconds=10)


def test_a_file_that_needs_more_memory_than_allowed_gets_a_message(
    db, settings, monkeypatch
):
    # Freed memory of this process counts as room: a parse that needs a
    # gigabyte is past any slack the test process may hold.
    settings.IMPORT_PARSE_MEMORY = 50 * 2**20
    monkeypatch.setattr(files, "_parse", lambda content, name: _allocate(2**30))
    with pytest.raises(files.ImportFileError, match="读取它需要的内存超过了上限"):
        files.read_rows(_sheet([_row()]), "large.xlsx")


def test_a_file_that_takes_longer_than_allowed_gets_a_message(db, settings):
    settings.IMPORT_PARSE_SECONDS = 0
    with pytest.raises(files.ImportFileError, match="读取它需要的时间超过了上限"):
        files.read_rows(_sheet([_row()]), "small.xlsx")


def test_a_time_limit_stops_work_in_the_main_thread():
    from declarations.bounded import time_limit

    start = time.monotonic()
    with pytest.raises(OverLimit), time_limit(0.3):
        time.sleep(5)
    assert time.monotonic() - start < 2


def test_a_time_limit_outside_the_main_thread_lets_the_work_finish():
    import threading

    from declarations.bounded import time_limit

    finished = []

    def work():
        with time_limit(0.1):
            time.sleep(0.3)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]


def _spin_and_tell(path):
    path.write_text(str(os.getpid()))
    while True:
        pass


def _wait_in_bounded(path):
    run_bounded(_spin_and_tell, path, memory=50 * 2**20, seconds=600)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_the_child_of_a_worker_killed_while_it_waits_dies_with_it(tmp_path):
    """gunicorn kills a worker past its timeout: the child reading the
    upload must not spin on for its own."""
    told = tmp_path / "pid"
    worker = multiprocessing.get_context("fork").Process(
        target=_wait_in_bounded, args=(told,)
    )
    worker.start()
    for _ in range(100):
        if told.exists() and told.read_text():
            break
        time.sleep(0.05)
    child = int(told.read_text())
    assert not _gone(child)
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()
    for _ in range(100):
        if _gone(child):
            break
        time.sleep(0.05)
    assert _gone(child)
