"""Work done beside the build: the same answer from a forked process as from the main one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FORK
from report_fixtures import make_config

from packbuilder.processes import BackgroundCall
from packbuilder.reports.chart_worker import ChartWorker
from packbuilder.reports.charts import ChartData, draw_chart_images


def _pid_and_sum(a: int, b: int) -> tuple[int, int]:
    return os.getpid(), a + b


def _refuse(reason: str) -> None:
    raise ValueError(reason)


def test_a_forked_call_answers_from_another_process_or_here_without_fork() -> None:
    pid, total = BackgroundCall(_pid_and_sum, 2, 3).result()
    assert total == 5
    assert (pid != os.getpid()) is FORK  # without fork (Windows) the call is made here


def test_a_failing_forked_call_raises_its_error_in_the_main_process() -> None:
    call = BackgroundCall(_refuse, "no tracker today")
    with pytest.raises(ValueError, match="no tracker today"):
        call.result()


DATA = ChartData(
    areas=["Area 1", "Area 2"],
    progress=[{"blue": 1, "green": 2, "amber": 1, "red": 0}, {"red": 2}],
    impact=[{"green": 1, "not_yet_rated": 3}, {"amber": 1, "red": 1}],
    periods=["Jun 2023", "Jul 2023"],
    trend=[{"green": 3, "amber": 2}, {"green": 2, "amber": 2, "red": 1}],
)


def test_the_chart_worker_draws_the_same_bytes_as_the_main_process(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    worker = ChartWorker(config)
    try:
        worker.submit(DATA)
        assert worker.images() == draw_chart_images(config, DATA)
    finally:
        worker.close()


def test_the_charts_are_drawn_here_when_the_worker_is_gone(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    worker = ChartWorker(config)
    worker.close()  # as if it had died
    worker.submit(DATA)
    assert worker.images() == draw_chart_images(config, DATA)


def _pid_and_words(prefix: str, rest: str) -> tuple[int, str]:
    return os.getpid(), f"{prefix} {rest}"


def test_a_call_waiting_for_its_data_warms_up_first_and_answers_once_it_is_sent() -> None:
    call = BackgroundCall(_pid_and_words, "ratings:", warm_up=os.getpid, more_to_come=True)
    try:
        call.send("Red, Amber")
        pid, words = call.result()
    finally:
        call.close()
    assert words == "ratings: Red, Amber"
    assert (pid != os.getpid()) is FORK


def test_a_call_whose_data_never_came_says_so_rather_than_guessing() -> None:
    call = BackgroundCall(_pid_and_words, "ratings:", more_to_come=True)
    call.close()
    with pytest.raises(RuntimeError, match="never sent"):
        call.result()


def test_a_call_whose_process_was_stopped_is_made_here_with_the_data_sent_later() -> None:
    call = BackgroundCall(_pid_and_words, "ratings:", more_to_come=True)
    call.close()  # as if it had died
    call.send("Green")
    assert call.result() == (os.getpid(), "ratings: Green")
