"""Worker processes: the one place packbuilder starts them, and its tricks for speed.

Two shapes cover every stage that needs a second process:

- ``map_isolated`` runs one function over many files in worker processes that may die without
  taking the run. Returns arrive from fifty people by email; one of them will one day crash a
  native reader or eat all the memory. Each item goes to a long-lived worker process with a
  memory ceiling and a time limit. When a worker dies (a native abort, the kernel's OOM killer,
  a time-out), only the item it was working on fails: the worker is replaced and every other
  item still gets its answer. Items are sent a few at a time and answered one by one, so the
  parent always knows which item a worker is on; the rest of a dead worker's batch goes to its
  replacement. ``concurrent.futures.ProcessPoolExecutor`` is not used because one dead worker
  breaks the whole pool (BrokenProcessPool) and fails every pending item. Used by ``check`` (the
  returns), ``returns collect`` (saved replies) and the feedback workbooks.
- ``BackgroundCall`` runs one call in a forked copy of this process while this one does other
  work (the tracker beside the reports, validation.xlsx beside the feedback, the charts while
  the returns are read, half the review pack), and hands back its answer. Where fork does not
  exist, or the call fails or its process dies for any reason, the call is made here instead,
  so a real error is raised exactly where it would be without a second process and the answer
  is always the one this process would have computed.

The memory ceiling uses RLIMIT_AS, which exists on Linux and macOS; Windows has no equivalent
in the standard library, so there the time limit applies and the memory ceiling does not
(``memory_limit_supported()`` says which).

The garbage collector and import tricks live here too, each with what it saves:
``collection_paused`` (a block that makes many objects and no garbage), ``freeze_inherited``
(in a worker, what it inherited), ``keep_out_of_collections`` (answers kept to the end) and
``import_openpyxl_without_numpy``. All of the collector tricks together, on the bundled example
(median of 5, run side by side on a busy two-core machine): ``check 2023-08`` 2.48 s with them,
3.03 s without; ``build 2023-08`` 9.8 s against 10.8 s. openpyxl without numpy: 0.64 s to
import against 0.75 s.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import multiprocessing
import os
import selectors
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_STOP = None
_READY = -1  # the index a worker answers with once it has started
# How long a worker may take to start (spawn starts a new Python and imports the reader: a
# second on a busy laptop) before its first item's time limit starts to count.
_STARTUP_SECONDS = 60.0
_BATCH = 8  # items per message at most


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """One item's answer, or why there is none."""

    index: int
    value: R | None
    failure: str = ""  # empty when the item succeeded

    @property
    def ok(self) -> bool:
        return not self.failure


def memory_limit_supported() -> bool:
    return sys.platform != "win32"


# Windows' multiprocessing.connection.wait watches at most 63 handles (WaitForMultipleObjects),
# and each busy worker is two: its pipe and its process.
_WAIT_HANDLES = 63


def worker_cap(platform: str = "") -> int:
    """The most workers one parent can watch on PLATFORM (this one by default)."""
    return _WAIT_HANDLES // 2 if (platform or sys.platform) == "win32" else 1024


def default_workers(items: int) -> int:
    """As many workers as cores, never more than items or worker_cap(), at least one."""
    return max(1, min(items, os.cpu_count() or 1, worker_cap()))


def _limit_memory(megabytes: int) -> None:
    if not memory_limit_supported() or megabytes <= 0:
        return
    import resource

    # RLIMIT_AS counts the address space a forked worker inherits (libraries, thread stacks
    # reserved by the parent), which may alone exceed the ceiling on a many-core machine; the
    # ceiling is therefore MEGABYTES on top of what the worker already has.
    limit = _address_space() + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """This process's virtual size in bytes (0 where /proc is absent: the ceiling is absolute)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _worker_main(conn: Connection, func: Callable[[Any], Any], memory_mb: int) -> None:
    _limit_memory(memory_mb)
    freeze_inherited()
    # A native crash is reported as the file's finding; its stack dump would read as a traceback.
    faulthandler.disable()
    # A library's warnings would reach the office's console: they are for its developers.
    warnings.simplefilter("ignore")
    # Ready: a spawned worker (Windows) has started Python and unpickled FUNC, which may take
    # longer than the time limit on a busy laptop; the limit counts from here.
    conn.send((_READY, None, ""))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is _STOP:
            return
        for index, item in message:  # a batch: each answer is sent as soon as it is ready
            try:
                conn.send((index, func(item), ""))
            except MemoryError:
                conn.send((index, None, f"ran out of memory (limit {memory_mb} MB)"))
            except Exception as error:  # recorded as the item's failure, never lost
                conn.send((index, None, f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, context: Any, func: Callable[[Any], Any], memory_mb: int) -> None:
        parent, child = context.Pipe()
        self.conn: Connection = parent
        self.process = context.Process(
            target=_worker_main, args=(child, func, memory_mb), daemon=True
        )
        self.process.start()
        child.close()
        self.batch: list[int] = []  # indices given and not yet answered, in order
        self.started = 0.0  # when the item now being worked on (batch[0]) was started
        self.ready = False  # whether the worker has said it has started

    def deadline(self, timeout: float) -> float:
        """When the current item has run out of time (later while the worker starts)."""
        return self.started + (timeout if self.ready else max(timeout, _STARTUP_SECONDS))

    @property
    def index(self) -> int | None:
        """The item being worked on, or None when the worker is idle."""
        return self.batch[0] if self.batch else None

    def give(self, batch: list[tuple[int, Any]]) -> None:
        self.batch = [index for index, _ in batch]
        self.started = time.monotonic()
        self.conn.send(batch)

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(_STOP)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class _Watcher:
    """Waits until a busy worker has an answer or has ended.

    A selector kept for the whole run, changed only when the busy workers change, costs one
    system call a wait; multiprocessing's ``wait`` makes a new selector and registers every
    worker at each call, which for 6,000 answers cost the parent a quarter of a second. Where
    a selector cannot watch pipes (Windows), ``wait`` is used.
    """

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector() if sys.platform != "win32" else None
        # id(worker) -> (the worker, its answer fd, its sentinel). Holding the worker keeps its
        # id from being reused by a replacement while it is still registered.
        self.watched: dict[int, tuple[_Worker, int, int]] = {}

    def wait(self, busy: list[_Worker], timeout: float) -> tuple[set[int], set[int]]:
        """The ids of the BUSY workers with an answer waiting, and of those that ended."""
        if self.selector is None:
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
            return (
                {id(w) for w in busy if w.conn in ready},
                {id(w) for w in busy if w.process.sentinel in ready},
            )
        wanted = {id(w): w for w in busy}
        # Every descriptor no longer wanted goes before any is added: a replacement's pipe
        # may have the number of a dead worker's (a closed descriptor is forgotten quietly).
        for key in [k for k in self.watched if k not in wanted]:
            _worker, answers, sentinel = self.watched.pop(key)
            self.selector.unregister(answers)
            self.selector.unregister(sentinel)
        for key, worker in wanted.items():
            if key not in self.watched:
                answers, sentinel = worker.conn.fileno(), worker.process.sentinel
                self.selector.register(answers, selectors.EVENT_READ, (key, False))
                self.selector.register(sentinel, selectors.EVENT_READ, (key, True))
                self.watched[key] = (worker, answers, sentinel)
        answered: set[int] = set()
        ended: set[int] = set()
        for selected, _events in self.selector.select(timeout):
            key, is_sentinel = selected.data
            (ended if is_sentinel else answered).add(key)
        return answered, ended

    def close(self) -> None:
        if self.selector is not None:
            self.selector.close()


def _context() -> Any:
    # fork is fast and needs nothing picklable but the items; spawn where fork does not exist.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def map_isolated(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int | None = None,
    timeout: float = 60.0,
    memory_mb: int = 1024,
    on_done: Callable[[Outcome[R]], None] | None = None,
) -> list[Outcome[R]]:
    """Apply FUNC to every item in worker processes; one Outcome per item, in item order.

    FUNC must be a module-level function (it is pickled where processes are spawned). A worker
    that dies, runs out of memory or passes TIMEOUT seconds fails only its current item.
    """
    if not items:
        return []
    context = _context()
    count = min(workers or default_workers(len(items)), worker_cap())
    pending = list(range(len(items)))
    pending.reverse()  # pop() from the end gives items in order
    outcomes: dict[int, Outcome[R]] = {}
    pool = [_Worker(context, func, memory_mb) for _ in range(min(count, len(items)))]

    def record(outcome: Outcome[R]) -> None:
        outcomes[outcome.index] = outcome
        if on_done is not None:
            on_done(outcome)

    def feed(worker: _Worker) -> None:
        # Items go in batches, one message for several items, so a worker never waits for
        # the parent between items; smaller near the end, so no worker is left with a long
        # tail. Answers still come one by one, so a crash or time-out is the item's own.
        size = max(1, min(_BATCH, len(pending) // (2 * len(pool))))
        batch = [pending.pop() for _ in range(min(size, len(pending)))]
        worker.batch = []
        if batch:
            worker.give([(index, items[index]) for index in batch])

    watcher = _Watcher()
    try:
        for worker in pool:
            feed(worker)
        while any(w.index is not None for w in pool):
            busy = [w for w in pool if w.index is not None]
            now = time.monotonic()
            wait_for = max(0.0, min(w.deadline(timeout) for w in busy) - now)
            answered, ended = watcher.wait(busy, wait_for)
            for position, worker in enumerate(pool):
                if worker.index is None:
                    continue
                if id(worker) in answered:
                    # One answer a wait: if more were sent, the next wait returns at once.
                    try:
                        index, value, failure = worker.conn.recv()
                    except (EOFError, OSError):
                        pass  # died after sending nothing more: handled as a crash below
                    else:
                        if index == _READY:
                            worker.ready, worker.started = True, time.monotonic()
                            continue
                        record(Outcome(index, None if failure else value, failure))
                        worker.batch.remove(index)
                        worker.started = time.monotonic()
                        if not worker.batch:
                            feed(worker)
                        continue
                if _gone(worker, id(worker) in ended, timeout, memory_mb, record, pending):
                    pool[position] = _Worker(context, func, memory_mb)
                    feed(pool[position])
    finally:
        watcher.close()
        for worker in pool:
            worker.stop()
    return [outcomes[i] for i in range(len(items))]


def _gone(
    worker: _Worker,
    ended: bool,
    timeout: float,
    memory_mb: int,
    record: Callable[[Outcome[Any]], None],
    pending: list[int],
) -> bool:
    """Whether WORKER died or ran out of time (and was stopped): its item then fails, the rest
    of its batch goes back to PENDING, and the caller replaces it."""
    died = ended or not worker.process.is_alive()
    late = time.monotonic() >= worker.deadline(timeout)
    if not (died or late):
        return False
    index = worker.index
    if late and not died:
        failure = f"took longer than {timeout:g} s and was stopped"
    else:
        worker.process.join()
        failure = _death(worker.process.exitcode, memory_mb)
    worker.kill()
    if index is not None:  # None: it died after answering its whole batch
        record(Outcome(index, None, failure))
        pending.extend(reversed(worker.batch[1:]))  # the rest of its batch
    return True


def _death(exitcode: int | None, memory_mb: int) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL":
            return f"the reader was killed (out of memory? limit {memory_mb} MB)"
        return f"the reader crashed ({name})"
    return f"the reader stopped unexpectedly (exit code {exitcode})"


_FAILED = "packbuilder-background-failed"
_PARENT_CHECK_SECONDS = 1.0  # how often a call waiting for its arguments checks its parent


class BackgroundCall(Generic[R]):
    """FUNC(*ARGS), started at once in a forked copy of this process; ``result()`` waits for it.

    The copy shares ARGS without pickling them and holds no thread or lock of this process.
    With ``more_to_come``, the call first runs WARM_UP (an import, say), then waits for the
    rest of its arguments (``send``): a call can start its slow preparation before its input
    is known. When the copy gives no answer (no fork, no process to spare, an exception, a
    death), ``result()`` makes the call here.
    """

    def __init__(
        self,
        func: Callable[..., R],
        *args: Any,
        warm_up: Callable[[], object] | None = None,
        more_to_come: bool = False,
    ) -> None:
        self._func = func
        self._args = args
        self._more: tuple[Any, ...] | None = None if more_to_come else ()
        self._connection: Connection | None = None
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        flush_std_streams()  # or the forked process would write the buffered text again
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        try:
            self._process = context.Process(
                target=_background_main,
                args=(func, args, warm_up, more_to_come, theirs, ours, os.getpid()),
                daemon=True,
            )
            self._process.start()
        except OSError:  # no process to spare: the call is made here, as without fork
            self._process = None
            ours.close()
        else:
            self._connection = ours
        finally:
            theirs.close()

    def send(self, *more: Any) -> None:
        """The rest of the arguments of a call made with ``more_to_come``; returns at once."""
        self._more = more
        if self._connection is None:
            return
        try:
            self._connection.send(more)
        except (OSError, ValueError):
            self.close()

    def result(self) -> R:
        """The call's answer: the forked process's, or computed here if it gave none."""
        if self._more is None:
            raise RuntimeError("the call's arguments were never sent")
        answer: Any = _FAILED
        if self._connection is not None:
            with contextlib.suppress(Exception):  # any failure: the call is made here, below
                answer = self._connection.recv()
        self.close()
        if isinstance(answer, str) and answer == _FAILED:
            return self._func(*self._args, *self._more)
        value: R = answer
        return value

    def close(self) -> None:
        """Stop the forked process if it still runs; idempotent."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


def _background_main(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    warm_up: Callable[[], object] | None,
    more_to_come: bool,
    connection: Connection,
    parent_end: Connection,
    parent: int,
) -> None:
    parent_end.close()
    freeze_inherited()
    more: tuple[Any, ...] = ()
    try:
        if warm_up is not None:
            warm_up()
        if more_to_come:
            while not connection.poll(_PARENT_CHECK_SECONDS):
                if os.getppid() != parent:  # the parent is gone: nobody will send them
                    return
            more = connection.recv()
        answer = func(*args, *more)
    except BaseException:  # the parent makes the call again and meets the error there
        answer = _FAILED
    with contextlib.suppress(Exception):
        connection.send(answer)


def flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def freeze_inherited() -> None:
    """In a worker: leave what it inherited out of every collection, and collect the rest.

    What a worker inherits (the plan, the check context: hundreds of thousands of objects for
    a large programme) lives until it exits; frozen, the collector neither walks it nor
    copies its pages by touching them. Collection is turned on, as the parent may have paused
    it while it gathers answers. A worker exits when done, so nothing needs unfreezing.
    """
    gc.freeze()
    gc.enable()


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection in the block; as it was afterwards.

    For a block that makes many long-lived objects and no cycles of garbage (a plan
    unpickled, the answers of a hundred workers gathered): each collection the growing pile
    sets off walks all of it again, for nothing.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def import_openpyxl_without_numpy() -> None:
    """Import openpyxl without numpy, when nothing has imported either yet.

    openpyxl imports numpy only to recognise numpy number types when it writes a cell, and
    none of packbuilder's are numpy's: in ``build`` and the feedback workers nothing else needs
    numpy (the charts are drawn in another process), and hiding it saves about a tenth of a
    second. numpy stays importable for whatever imports it later.
    """
    if "numpy" in sys.modules or "openpyxl" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


def keep_out_of_collections() -> None:
    """Leave every object alive now out of later collections, for the rest of the process.

    For answers gathered from workers that are kept until the command ends and hold no cycles
    (the check's read returns): each later collection of the oldest generation (the merge,
    the tracker) would walk all of them again. Not undone, on purpose: a frozen object that
    is dropped is still freed by reference counting; only a cycle among frozen objects would
    outlive its use, and these hold none.
    """
    gc.freeze()
