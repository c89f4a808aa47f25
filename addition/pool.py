"""Worker processes that train networks side by side, and end with the process that started them.

A ``ProcessPoolExecutor``'s workers outlive a parent killed outright (SIGKILL
gives it no chance to shut its pool down): they would go on training and
writing into the run folder while a ``--resume`` starts on it. So each worker,
first thing, asks the Linux kernel to kill it when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``, immediate and needing no thread of its
own); where there is no ``prctl`` a daemon thread polls ``os.getppid()``
instead. The pool's resource tracker, a child of the parent too, then sees its
pipe close and ends by itself.
"""
import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from shared import runtime

PR_SET_PDEATHSIG = 1


def worker_pool(workers):
    """A pool of ``workers`` fresh (spawned) processes, one thread each, that die with this process.

    Spawned, not forked: a fork would copy this process's TensorFlow state. The
    kernel's death signal goes when the *thread* that started a worker ends, so
    use the pool inside one function call, as ``with worker_pool(n) as pool``.
    """
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                               initializer=_start_worker, initargs=(os.getpid(),))


def _start_worker(parent):
    _die_with(parent)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    runtime.setup(threads=1)  # Keras quietly, one thread per worker: the workers share the cores


def _die_with(parent):
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the request was made
                os._exit(1)
            return

    def watch():
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def run_each(function, jobs, workers):
    """``function(*job)`` for every job, ``workers`` at a time in worker processes (in this
    process when ``workers`` is 1); the first error cancels what has not started and is raised."""
    if workers <= 1:
        for job in jobs:
            function(*job)
        return
    with worker_pool(workers) as pool:
        futures = [pool.submit(function, *job) for job in jobs]
        try:
            for future in as_completed(futures):
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
