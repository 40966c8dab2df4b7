"""Presenter rooms: the stop a presenter shows, shared with the audience windows that follow it (pure, SQLite).

A presenter opens a room and gets a short code; an audience window opened with `?follow=CODE` shows the room's
stop and moves when the presenter moves. The room's state (release, stop, a change counter) lives in a small SQLite
file, not in process memory, so several server processes serving the same app share it. A room untouched for a day
is forgotten.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / ".state" / "rooms.sqlite"  # git-ignored; PAKCOE_ROOMS names another file
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: a code is read aloud and typed
CODE_LENGTH = 6
CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
KEEP_SECONDS = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    release TEXT NOT NULL,
    stop INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    updated REAL NOT NULL
)
"""


@dataclass(frozen=True)
class Room:
    """A room's state: the release and stop the presenter shows; `seq` grows by one with every move."""

    code: str
    release: str
    stop: int
    seq: int
    updated: float


def is_code(text: object) -> bool:
    """Whether `text` has the form of a room code (six letters and digits of ALPHABET)."""
    return isinstance(text, str) and CODE.fullmatch(text) is not None


def store_path() -> Path:
    """Where the rooms live: $PAKCOE_ROOMS, else .state/rooms.sqlite in the checkout."""
    return Path(os.environ.get("PAKCOE_ROOMS") or DEFAULT_PATH)


class Rooms:
    """The rooms of one SQLite file. Each call opens its own short connection, so any thread or process may call."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5.0, isolation_level=None)

    def open(self, release: str, stop: int) -> Room:
        """A new room showing `stop` of `release`, with a fresh code; rooms untouched for a day are removed."""
        now = time.time()
        with self._connect() as db:
            db.execute("DELETE FROM rooms WHERE updated < ?", (now - KEEP_SECONDS,))
            while True:
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
                try:
                    db.execute("INSERT INTO rooms VALUES (?, ?, ?, 1, ?)", (code, release, int(stop), now))
                except sqlite3.IntegrityError:  # the code is taken: draw another
                    continue
                return Room(code, release, int(stop), 1, now)

    def move(self, code: str, release: str, stop: int) -> Room:
        """Show `stop` of `release` in the room (created under this code if it is not there); a repeat is no move."""
        if not is_code(code):
            raise ValueError(f"{code!r} is not a room code ({CODE_LENGTH} of {ALPHABET})")
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT INTO rooms VALUES (?, ?, ?, 1, ?) ON CONFLICT(code) DO UPDATE SET "
                "seq = seq + (release != excluded.release OR stop != excluded.stop), "
                "release = excluded.release, stop = excluded.stop, updated = excluded.updated",
                (code, release, int(stop), now),
            )
        room = self.get(code)
        assert room is not None
        return room

    def get(self, code: str) -> Room | None:
        """The room's state, or None when there is no such room (or the code is malformed)."""
        if not is_code(code):
            return None
        with self._connect() as db:
            row = db.execute("SELECT code, release, stop, seq, updated FROM rooms WHERE code = ?", (code,)).fetchone()
        return Room(row[0], row[1], int(row[2]), int(row[3]), float(row[4])) if row else None
