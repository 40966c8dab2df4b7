"""components.runslots: at most SLOTS script runs at once in a process, the others wait their turn (first come, first
served), so many visitors at once are not all slowed to the pace of the slowest busy period."""

from __future__ import annotations

import threading
import time

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
