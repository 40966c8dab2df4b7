"""components.runslots: at most SLOTS script runs at once in a process, the others wait their turn (first come, first
served), so many visitors at once are not all slowed to the pace of the slowest busy period."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from apphelp import APP
from streamlit.testing.v1 import AppTest

from components import runslots


def test_no_more_runs_at_once_than_slots_and_each_waits_its_turn():
    inside, most, lock = [0], [0], threading.Lock()
    order: list[int] = []

    def work(i: int) -> None:
        with runslots.slot():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                order.append(i)
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(runslots.SLOTS * 3)]
    for th in threads:
        th.start()
        time.sleep(0.005)  # in order of arrival
    for th in threads:
        th.join(10)
    assert most[0] == runslots.SLOTS
    assert sorted(order) == list(range(runslots.SLOTS * 3))


def test_a_page_run_waits_while_every_slot_is_taken_and_draws_once_one_is_free(real_releases):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # warm: the run below measures the wait, not the caches
    held = [runslots.slot() for _ in range(runslots.SLOTS)]
    for h in held:
        h.__enter__()
    done = threading.Event()
    runner = threading.Thread(target=lambda: (at.run(), done.set()))
    try:
        runner.start()
        assert not done.wait(1.5), "the run went ahead while every slot was taken"
    finally:
        for h in held:
            h.__exit__(None, None, None)
    assert done.wait(60), "the run did not go ahead once a slot was free"
    runner.join(5)
    assert not at.exception and at.title, "the page was not drawn after its wait"


@pytest.mark.parametrize("text, slots", [(None, runslots.DEFAULT), ("", runslots.DEFAULT), ("3", 3), (" 1 ", 1)])
def test_the_number_of_slots_is_read_from_the_environment_text(text, slots, caplog):
    with caplog.at_level(logging.WARNING, logger="pakcoe.runslots"):
        assert runslots.slots_from(text) == slots
    assert not caplog.records


@pytest.mark.parametrize("text", ["0", "-2", "two", "1.5", "1e3"])
def test_a_bad_number_of_slots_gets_the_default_and_a_warning_naming_the_setting(text, caplog):
    with caplog.at_level(logging.WARNING, logger="pakcoe.runslots"):
        assert runslots.slots_from(text) == runslots.DEFAULT
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert runslots.ENV in message and repr(text) in message
