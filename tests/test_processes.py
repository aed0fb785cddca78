"""Worker isolation: a reader that crashes, hangs or eats memory fails only its own file."""

from __future__ import annotations

import os
import signal
import time

import pytest
from conftest import CRASHED

from packbuilder.processes import map_isolated, memory_limit_supported


def square_or_die(item: int) -> int:
    if item == 13:
        os.kill(os.getpid(), signal.SIGABRT)  # as a native reader aborting would
    if item == 14:
        raise ValueError("not a return")
    return item * item


def sleepy(item: int) -> int:
    if item == 2:
        time.sleep(30)
    return item


def hungry(item: int) -> int:
    if item == 1:
        block = bytearray(800 * 1024 * 1024)
        return len(block)
    return item


def test_one_aborted_worker_among_fifty_good_files_loses_none_of_them() -> None:
    good_items = list(range(100, 150))
    items = [*good_items[:25], 13, *good_items[25:]]  # one aborting reader among 50 good ones
    outcomes = map_isolated(square_or_die, items, workers=2, timeout=30, memory_mb=512)
    assert [o.value for o in outcomes if o.ok] == [i * i for i in good_items]
    [failed] = [o for o in outcomes if not o.ok]
    assert items[failed.index] == 13
    assert CRASHED.fullmatch(failed.failure), failed.failure


def test_an_exception_in_the_reader_is_that_item_s_failure() -> None:
    outcomes = map_isolated(square_or_die, [2, 14, 3], workers=2, timeout=30)
    assert [(o.value, o.failure) for o in outcomes] == [
        (4, ""),
        (None, "ValueError: not a return"),
        (9, ""),
    ]


def test_a_hanging_reader_is_stopped_and_the_rest_answered() -> None:
    outcomes = map_isolated(sleepy, [1, 2, 3, 4], workers=2, timeout=1.0, memory_mb=512)
    assert [o.value for o in outcomes] == [1, None, 3, 4]
    assert outcomes[1].failure == "took longer than 1 s and was stopped"


@pytest.mark.skipif(not memory_limit_supported(), reason="no RLIMIT_AS on this platform")
def test_a_reader_over_the_memory_ceiling_fails_alone() -> None:
    outcomes = map_isolated(hungry, [0, 1, 2], workers=1, timeout=30, memory_mb=400)
    assert [o.value for o in outcomes] == [0, None, 2]
    assert outcomes[1].failure == "ran out of memory (limit 400 MB)"


def test_results_come_back_in_item_order_with_several_workers() -> None:
    outcomes = map_isolated(square_or_die, list(range(20)), workers=3, timeout=30)
    assert [o.index for o in outcomes] == list(range(20))


def test_no_items_starts_no_workers() -> None:
    assert map_isolated(square_or_die, [], workers=2) == []


def test_aborts_in_one_batch_each_cost_only_their_own_item() -> None:
    good_items = list(range(100, 160))
    items = [*good_items[:20], 13, 13, *good_items[20:21], 13, *good_items[21:]]
    outcomes = map_isolated(square_or_die, items, workers=2, timeout=30, memory_mb=512)
    assert [o.value for o in outcomes if o.ok] == [i * i for i in good_items]
    assert [items[o.index] for o in outcomes if not o.ok] == [13, 13, 13]


def test_a_hang_inside_a_batch_is_stopped_after_its_own_time_limit() -> None:
    items = [1] * 30 + [2] + [3] * 30
    outcomes = map_isolated(sleepy, items, workers=2, timeout=1.0, memory_mb=512)
    assert [o.value for o in outcomes] == [*[1] * 30, None, *[3] * 30]


def test_collection_paused_puts_the_collector_back_as_it_was() -> None:
    import gc

    from packbuilder.processes import collection_paused

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        gc.disable()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # paused by the caller: left paused
        gc.enable()
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("a plan that would not unpickle")
    assert gc.isenabled()


def test_openpyxl_is_imported_without_numpy_and_numpy_stays_importable() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from packbuilder.processes import import_openpyxl_without_numpy\n"
        "import_openpyxl_without_numpy()\n"
        "print('openpyxl' in sys.modules, 'numpy' in sys.modules)\n"
        "import numpy\n"
        "print(numpy.__name__)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert shown.split() == ["True", "False", "numpy"]
