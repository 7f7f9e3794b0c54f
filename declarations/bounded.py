"""Work that a hostile input could make unbounded: run in a child process
with memory and time limits, or in this one with a time limit.

Parsing an uploaded spreadsheet is the case in point: however the file is
built, the worker that received it must come out as it went in. The child
is forked from the worker, so it shares what is already loaded and starts
in milliseconds; it may grow by at most `memory` bytes and live at most
`seconds`, and is killed past either. Whatever it allocated goes with it.

The child never touches the database: the function it runs takes bytes
and returns plain data (pickled back through a pipe).
"""

import math
import multiprocessing
import os
import resource
import signal
import threading
import traceback
from contextlib import contextmanager

from declarations.processes import die_with_parent

_FORK = multiprocessing.get_context("fork")
NICENESS = 10


class OverLimit(Exception):
    """The work needed more memory or time than it is allowed."""

    def __init__(self, *, memory: bool):
        self.memory = memory
        super().__init__("memory" if memory else "time")


def run_bounded(function, *args, memory: int, seconds: float):
    """function(*args), in a child that may use `memory` more bytes than
    this process does now and run for `seconds`.

    Exceptions the function raises are raised again here (they must pickle);
    running out of either limit raises OverLimit."""
    receiving, sending = _FORK.Pipe(duplex=False)
    child = _FORK.Process(
        target=_child,
        args=(
            sending,
            function,
            args,
            _address_space() + memory,
            seconds,
            os.getpid(),
        ),
    )
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            raise OverLimit(memory=False)
        try:
            outcome, value = receiving.recv()
        except EOFError:  # killed by the kernel or by a failed allocation
            raise OverLimit(memory=True) from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "memory":
        raise OverLimit(memory=True)
    if outcome == "error":
        raise value
    if outcome == "crash":
        raise RuntimeError(f"the bounded work failed:\n{value}")
    return value


def _child(sending, function, args, address_space, seconds, parent):
    # A worker killed while it waits (gunicorn's timeout) takes its child
    # along; and the child stops by itself past its time, whoever waits.
    die_with_parent(parent)
    # Pages come first: when the machine is busy, the heavy work of one
    # upload gets what the requests of everyone else leave (a weight of
    # about a tenth against a worker's), and all of it when the machine is
    # idle.
    os.nice(NICENESS)
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    try:
        result = ("value", function(*args))
    except MemoryError:
        result = ("memory", None)
    except Exception as error:  # noqa: BLE001 - handed back to the parent
        result = ("error", error)
    try:
        sending.send(result)
    except MemoryError:
        sending.send(("memory", None))
    except Exception:  # an exception that does not pickle
        sending.send(("crash", traceback.format_exc()))
    sending.close()


def _address_space() -> int:
    """The bytes of address space this process holds now."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


@contextmanager
def time_limit(seconds: float):
    """Raises OverLimit in the block once `seconds` have passed.

    Work that must stay in this process (laying out a PDF, whose fonts are
    cached here) is stopped by an alarm signal. Signals reach only the main
    thread, where gunicorn's and the task worker's requests run; in another
    thread (the development server) the block runs unlimited."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise OverLimit(memory=False)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
