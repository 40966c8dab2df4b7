"""Presenter rooms: codes, moves and what followers see, shared through one SQLite file by separate processes."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pakcoe import rooms
from pakcoe.rooms import Rooms, is_code


def test_a_new_room_has_a_readable_code_and_the_stop_it_was_opened_on(tmp_path):
    store = Rooms(tmp_path / "rooms.sqlite")
    room = store.open("1.5.0", 3)
    assert is_code(room.code) and not set(room.code) & set("01IO")
    assert store.get(room.code) == room
    assert (room.release, room.stop, room.seq) == ("1.5.0", 3, 1)
    assert len({store.open("1.5.0", 1).code for _ in range(50)}) == 50


def test_every_move_counts_once_and_a_repeat_is_no_move(tmp_path):
    store = Rooms(tmp_path / "rooms.sqlite")
    code = store.open("1.5.0", 1).code
    seqs = [store.move(code, "1.5.0", n).seq for n in (2, 2, 3, 3, 3, 1)]
    assert seqs == [2, 2, 3, 3, 3, 4]
    assert store.move(code, "1.4.0", 1).seq == 5  # another release is a move too
    assert store.get(code).stop == 1 and store.get(code).release == "1.4.0"


def test_a_presenter_link_with_a_code_makes_its_room(tmp_path):
    store = Rooms(tmp_path / "rooms.sqlite")
    assert store.get("ABCDEF") is None
    assert store.move("ABCDEF", "1.5.0", 4).stop == 4


@pytest.mark.parametrize("bad", ["", "abcdef", "ABCDE", "ABCDEFG", "ABCDE0", "ABC'--", "ABCDE\n", None, 123456])
def test_a_malformed_code_finds_no_room_and_cannot_be_moved(tmp_path, bad):
    store = Rooms(tmp_path / "rooms.sqlite")
    assert not is_code(bad) and store.get(bad) is None
    with pytest.raises(ValueError):
        store.move(bad, "1.5.0", 1)


def test_a_room_untouched_for_a_day_is_forgotten(tmp_path, monkeypatch):
    store = Rooms(tmp_path / "rooms.sqlite")
    old = store.open("1.5.0", 1).code
    now = time.time()
    monkeypatch.setattr(rooms.time, "time", lambda: now + rooms.KEEP_SECONDS + 60)
    store.open("1.5.0", 1)
    assert store.get(old) is None


def test_another_process_sees_the_presenters_move(tmp_path):
    """The room lives in the file, not in a process: a second Python process reads and moves it."""
    path = tmp_path / "rooms.sqlite"
    store = Rooms(path)
    code = store.open("1.5.0", 1).code
    store.move(code, "1.5.0", 5)
    script = "import sys; from pakcoe.rooms import Rooms; s = Rooms(sys.argv[1]); r = s.get(sys.argv[2]); print(r.stop, r.seq); s.move(sys.argv[2], '1.5.0', 6)"
    out = subprocess.run([sys.executable, "-c", script, str(path), code], capture_output=True, text=True, check=True, cwd=rooms.ROOT)
    assert out.stdout.split() == ["5", "2"]
    assert store.get(code).stop == 6 and store.get(code).seq == 3


def test_the_store_is_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.setenv("PAKCOE_ROOMS", str(tmp_path / "x" / "r.sqlite"))
    assert Rooms().path == tmp_path / "x" / "r.sqlite" and (tmp_path / "x" / "r.sqlite").exists()
    monkeypatch.delenv("PAKCOE_ROOMS")
    assert rooms.store_path() == rooms.DEFAULT_PATH
