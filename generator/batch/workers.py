"""A process pool that survives its workers: crashes, hangs and memory blow-ups.

Workers are forked (so they inherit what the parent already imported and loaded)
and answer one task at a time over a pipe; the parent alone decides what happens.
A worker that dies or overruns the time limit costs only the task it was on
(retried once, alone), the rest of its chunk is requeued, and workers are recycled
after a number of tasks so slow leaks never add up. run.py says what the tasks are.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Callable

from generator.errors import ConfigError, stop_signals

MEMORY_CAP = 1 << 30  # bytes of address space per worker (RLIMIT_AS); MemoryError beyond it
RECYCLE_AFTER = 200  # tasks per worker before a fresh fork (python-docx keeps ~35 KB per brief)
CHUNK_MAX = 8  # tasks per hand-over at most: fewer round trips
CRASH_LIMIT = 2  # a task whose worker dies this often is reported as crashed
STOP_GRACE = 2.0  # seconds a worker gets to clean its temporary file after SIGTERM
ORPHAN_POLL = 0.5  # seconds between checks that the parent is alive, where the kernel cannot tell us
_PR_SET_PDEATHSIG = 1
# A brief allocates a few hundred thousand objects, nearly all freed by reference counting;
# at the default threshold (700) the collector ran 8 times a brief and spent 3 ms scanning
# them. Ten thousand: 1.4 ms.
WORKER_GC_THRESHOLD = (10_000, 50, 50)


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker end when the batch process ends, however it ends (SIGKILL, OOM killer).

    A worker blocked on its pipe would otherwise wait forever: its siblings, forked
    later, inherit copies of the parent's pipe ends, so the pipe never reports EOF.
    Linux kills us with the parent (PR_SET_PDEATHSIG); elsewhere a thread watches
    for the re-parenting that follows the parent's death.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                # the parent may have died between fork and prctl: then nobody would signal us
                if os.getppid() != parent_pid:
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(ORPHAN_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="briefgen-orphan-watch", daemon=True).start()


def _init_worker(memory_cap: int | None, parent_pid: int) -> None:
    # The handlers first: a stop that arrived while _die_with_parent ran a subprocess reached the parent's handler,
    # inherited with the fork, and printed a traceback.
    # Ctrl-C reaches the whole process group; the parent alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM unwinds Python code, so write_atomic removes a half-written temp file.
    for sig in stop_signals():  # SIGTERM, and SIGHUP when the terminal closes on the whole process group
        signal.signal(sig, _exit_on_term)
    _die_with_parent(parent_pid)
    if memory_cap:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory_cap if hard == resource.RLIM_INFINITY else min(memory_cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def check_memory_cap(cap: int | None) -> None:
    """A cap below what a forked worker already maps would fail every profile: say so up front."""
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    # Workers fork from this process after it has loaded the renderers, fonts and one
    # warm-up brief, which it has not yet: hence the margin on top of today's size.
    needed = mapped + (256 << 20)
    if cap and cap < needed:
        raise ConfigError(f"--memory-limit {cap >> 20} MiB is too small: a worker starts with about "
                          f"{mapped >> 20} MiB mapped; allow at least {-(-needed >> 20)} MiB")


def _exit_on_term(signum, frame):
    # Unwinding from wherever the signal landed can leave an object half-built (a ZipFile stopped inside its
    # constructor); its finaliser's complaint is noise after a stop the batch asked for, not a report.
    sys.unraisablehook = lambda unraisable: None
    raise SystemExit(128 + signum)


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _worker_main(conn, inherited: list, run: Callable[[tuple], tuple], memory_cap: int | None,
                 parent_pid: int) -> None:
    _init_worker(memory_cap, parent_pid)
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    # The parent's end of our pipe and of every sibling's came with the fork; holding
    # them would keep those pipes open after the parent is gone.
    for c in inherited:
        c.close()
    try:
        while (chunk := conn.recv()) is not None:
            for task in chunk:
                # the worker's peak memory rides on every answer, for the parent's statistics
                conn.send((*run(task), _maxrss_kib()))
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the parent is gone: nobody left to report to


class _Worker:
    def __init__(self, ctx, args: tuple, siblings: list["_Worker"]):
        parent_end, child_end = ctx.Pipe()
        inherited = [parent_end, *(w.conn for w in siblings)]
        self.proc = ctx.Process(target=_worker_main, args=(child_end, inherited, *args, os.getpid()), daemon=True)
        self.proc.start()
        child_end.close()  # so that the parent sees EOF when the worker dies
        self.conn = parent_end
        self.inflight: deque[int] = deque()  # task ids sent and not yet answered, in order
        self.since = 0.0  # when the task at inflight[0] started
        self.served = 0
        self.retiring = False  # told to exit: recycled after enough briefs
        self.dead = False
        self.peak_kib = 0
        self.first_kib = 0

    def send(self, chunk: list[tuple] | None) -> bool:
        """Hand over a chunk (None: exit); False if the worker already died, chunk not taken."""
        try:
            self.conn.send(chunk)
        except OSError:
            self.dead = True
            return False
        if chunk:
            self.inflight.extend(t[0] for t in chunk)
            self.since = time.monotonic()
        return True

    def stop(self, grace: float) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(grace)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()


@dataclass
class PoolStats:
    workers_started: int = 0
    # per finished worker: (briefs served, ru_maxrss in KiB after its first brief, peak ru_maxrss in KiB)
    workers: list[tuple[int, int, int]] = field(default_factory=list)

    def record(self, w: _Worker) -> None:
        self.workers.append((w.served, w.first_kib, w.peak_kib))


def render_all(tasks: dict[int, tuple], report: Callable[[tuple], None], *, run: Callable[[tuple], tuple],
               jobs: int, timeout: float | None, memory_cap: int | None = MEMORY_CAP,
               recycle_after: int = RECYCLE_AFTER, stats: PoolStats | None = None) -> None:
    """Run ``run(task)`` for ``tasks`` (id -> a tuple whose first item is the id) in forked
    workers; ``report`` each outcome.

    Outcomes are ``run``'s own messages (its tuple plus the worker's peak RSS in KiB), or
    ("timeout", id, message) and ("crashed", id, message) from here. Only the task
    a worker was on when it died or hung is charged; the rest of its chunk is
    requeued. A task that was on a dying worker once is retried alone.
    KeyboardInterrupt stops every worker (SIGTERM first, so temp files go) and propagates.
    """
    ctx = multiprocessing.get_context("fork")
    args = (run, memory_cap)
    stats = stats or PoolStats()
    pending = deque(sorted(tasks))
    crashes: Counter[int] = Counter()
    workers: list[_Worker] = []
    chunk_size = max(1, min(CHUNK_MAX, len(tasks) // (jobs * 4)))

    def give(w: _Worker) -> None:
        # Chunks shrink as the queue empties, so the workers finish together instead of
        # one idling while the other renders a last full chunk (up to half a second).
        size = max(1, min(chunk_size, len(pending) // (jobs * 2)))
        chunk = [pending.popleft()]
        while crashes[chunk[0]] == 0 and pending and len(chunk) < size and crashes[pending[0]] == 0:
            chunk.append(pending.popleft())
        if not w.send([tasks[i] for i in chunk]):
            pending.extendleft(reversed(chunk))

    def bury(w: _Worker, outcome: str, message: str) -> None:
        """Remove a dead or stopped worker; charge its current task with ``outcome``, requeue the rest.

        A worker that died idle (or ``outcome`` "requeue") charges nothing.
        """
        workers.remove(w)
        w.conn.close()
        stats.record(w)
        if outcome == "requeue" or not w.inflight:
            pending.extendleft(reversed(w.inflight))
            return
        culprit = w.inflight.popleft()
        pending.extendleft(reversed(w.inflight))
        if outcome == "crashed":
            crashes[culprit] += 1
            if crashes[culprit] < CRASH_LIMIT:
                pending.appendleft(culprit)
                return
        report((outcome, culprit, message))

    gc.freeze()  # objects inherited by fork stay shared instead of being copied when the GC touches them
    try:
        while pending or any(w.inflight for w in workers):
            for w in workers:
                # The parent decides recycling, between chunks, so no task is ever sent to a worker on its way out.
                if recycle_after and not w.retiring and not w.inflight and w.served >= recycle_after:
                    w.retiring = True
                    w.send(None)
            active = [w for w in workers if not (w.retiring or w.dead)]
            for w in active:
                if not w.inflight and pending:
                    give(w)
            while pending and len(active) < jobs:
                w = _Worker(ctx, args, workers)
                stats.workers_started += 1
                workers.append(w)
                active.append(w)
                give(w)
            busy = [w for w in workers if w.inflight]
            wait_for = None
            if timeout and busy:
                wait_for = max(0.0, min(w.since for w in busy) + timeout - time.monotonic())
            wait([w.conn for w in workers] + [w.proc.sentinel for w in workers], wait_for)
            for w in list(workers):
                _drain(w, report)
                if w.dead or not w.proc.is_alive():
                    w.stop(0)
                    bury(w, "crashed", _death(w.proc.exitcode))
            now = time.monotonic()
            for w in list(workers):
                if timeout and w.inflight and now - w.since > timeout:
                    culprit = w.inflight[0]
                    w.stop(STOP_GRACE)
                    _drain(w, report)  # it may have finished during the grace period
                    late = w.inflight and w.inflight[0] == culprit
                    bury(w, "timeout" if late else "requeue",
                         f"stopped after {timeout:g} s (the time limit per profile; see --timeout)")
    finally:
        for w in workers:
            w.send(None)
        for w in workers:
            w.proc.join(STOP_GRACE if not w.inflight else 0)
            w.stop(STOP_GRACE)
            # on Ctrl-C, briefs finished (and published) before the stop still count
            _drain(w, report)
            w.conn.close()
            stats.record(w)
        gc.unfreeze()


def _take(bounds, lock, from_front: bool) -> int | None:
    """The next index still to do, from the front or the back; None when the two ends have met."""
    with lock:
        if bounds[0] >= bounds[1]:
            return None
        if from_front:
            bounds[0] += 1
            return bounds[0] - 1
        bounds[1] -= 1
        return bounds[1]


def _from_the_back(conn, bounds, lock, work: Callable[[int], object], parent_pid: int) -> None:
    _init_worker(None, parent_pid)
    done = []
    while (i := _take(bounds, lock, from_front=False)) is not None:
        done.append((i, work(i)))
    try:
        conn.send(done)
    except Exception:  # an answer that cannot be pickled: the parent does these itself
        conn.send(None)


def from_both_ends(n: int, work: Callable[[int], object], *, on_front: Callable[[int, object], None] | None = None,
                   helper: bool = True) -> list:
    """``[work(i) for i in range(n)]``, with a forked helper taking indices from the back.

    The parent takes indices from the front and calls ``on_front(i, result)`` for each,
    so it can do other serial work (the batch's warm-up) while the helper goes on; the
    two meet wherever their speeds put them. ``work``'s results must pickle; should the
    helper die or fail, the parent does its share too. Without ``helper``, all in this process.
    """
    results: list = [None] * n
    if not helper or n < 2:
        for i in range(n):
            results[i] = work(i)
            if on_front:
                on_front(i, results[i])
        return results
    ctx = multiprocessing.get_context("fork")
    bounds = ctx.RawArray("q", [0, n])  # [next index from the front, end of what the back has left]
    lock = ctx.Lock()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_from_the_back, args=(send, bounds, lock, work, os.getpid()), daemon=True)
    proc.start()
    send.close()
    try:
        while (i := _take(bounds, lock, from_front=True)) is not None:
            results[i] = work(i)
            if on_front:
                on_front(i, results[i])
        try:
            answer = receive.recv()
        except (EOFError, OSError):
            answer = None
        proc.join()
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
            proc.join()
    done = set(range(bounds[0]))
    for i, result in answer or ():
        results[i] = result
        done.add(i)
    for i in range(n):
        if i not in done:  # the helper died or could not send: do its share here
            results[i] = work(i)
    return results


def _drain(w: _Worker, report: Callable[[tuple], None]) -> None:
    while True:
        try:
            if not w.conn.poll():
                return
            msg = w.conn.recv()
        except Exception:  # EOF, or a message torn by a worker killed while sending it
            w.dead = True
            return
        w.inflight.popleft()
        w.served += 1
        w.since = time.monotonic()
        w.peak_kib = max(w.peak_kib, msg[-1])
        w.first_kib = w.first_kib or msg[-1]
        # Outside the try: a fault in the parent's own bookkeeping is a bug to report, not a worker to bury (a
        # NameError there was taken for a dead worker, and the batch went on without its manifest entries).
        report(msg)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"was killed by signal {-exitcode}"
    else:
        how = f"exited with status {exitcode}"
    return f"the worker process {how} twice while rendering this profile"


def size_text(n: int) -> str:
    return f"{n / (1 << 30):g} GiB" if n >= 1 << 30 else f"{n / (1 << 20):g} MiB"
