"""Forked helper processes that never outlive the process they work for."""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Call first thing in a forked child: the kernel kills it when `parent`
    dies, even by SIGKILL, instead of leaving it blocked on a pipe that no one
    writes to. Linux only; elsewhere nothing happens.

    The signal comes when the *thread* that forked the child ends, so fork
    from a thread that outlives the child (the worker's main thread does)."""
    if _prctl is None:
        return
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # died before the request was made
        os._exit(1)


def _find_prctl():
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _find_prctl()
