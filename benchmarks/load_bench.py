"""Many visitors at once: N concurrent sessions speaking Streamlit's own websocket protocol against a running app.

Each session connects to `ws://host:port/_stcore/stream` the way Streamlit's browser client does (subprotocol
`streamlit` plus the auth-token placeholder, an `Origin` header, the session id again on a reconnect), then visits
every page of the navigation (pakcoe.registry PAGES) in turn: it sends a `BackMsg` with `rerun_script` (the page's
`page_script_hash` from the server's Navigation message, its url path as `page_name` before that is known, the query
string, the hashes of the large messages it already holds as a browser does) and reads `ForwardMsg`s until
`script_finished`. A session's first visit to a page with charts draws them as placeholders and the page's script
presses a hidden button for the run that draws them (components/deferred.py): the client sends that press too, a rerun
of its own. Each rerun is timed from the send to that message. Between interactions a session waits a fixed
think time; rounds and total time are bounded.

Errors: an exception element, the app's "This page could not be drawn" notice, a compile error, page not found, a run
of another page than the one asked for, a closed socket, a timeout. The client is one asyncio loop in one process
(the `websockets` client Streamlit's server already depends on), so it uses at most one core; its CPU share is
printed. Server memory is read from /proc/PID/status (psutil is not in the venv), the PID found from the listening
port.

Usage (from the checkout):
    .venv/bin/python benchmarks/load_bench.py --sessions 25 --think 2 --rounds 2 [--url http://localhost:8501]
Without --url the app is started as `make run` serves it (tests/harness.py `streamlit_server`, the checkout's
data/releases) on a free port and stopped at the end. `make bench` runs it for 25 and 50 sessions (benchmarks/run.py).
Targets (issue 20) are printed with each figure and whether they are met; the script never fails on them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
for _p in (str(ROOT / "tests"), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

PAGE_FAILED_TEXT = "This page could not be drawn"  # app.py's notice when a page raised (English)
DRAW_BUTTON_KEY = "pak-draw-charts"  # components/deferred.py KEY: in the hidden button's widget id
DEFERRED_KEY = "pak-deferred-"  # components/deferred.py PLACE: in the id of a chart's placeholder (a keyed container)
AUTH_PLACEHOLDER = "PLACEHOLDER_AUTH_TOKEN"  # what Streamlit's browser client sends when it has no XSRF token
WARM_LINE = b"pakcoe: caches warmed in"
# The browser client keeps a large message's hash until it has not been seen for this many script runs (Streamlit's
# global.maxCachedMessageAge, default 2), and sends the hashes it holds with every rerun.
MAX_CACHED_AGE = 2  # scripts/serve.py's line once the server's caches are warm
# Issue 20's targets: sessions -> (p95 rerun limit in s or None, errors limit)
TARGETS: dict[int, tuple[float | None, int]] = {25: (1.0, 0), 50: (None, 0)}
Row = tuple[str, str, str]


@dataclass(frozen=True)
class PageRef:
    url_path: str  # "" for the default page
    title: str


@dataclass
class Rerun:
    """One interaction: a page asked for, how long until script_finished, what went wrong (None: nothing)."""

    session: int
    page: str
    seconds: float | None  # None: no script_finished (timeout, closed socket, no connection)
    error: str | None = None
    messages: int = 0
    nbytes: int = 0
    press: str | None = None  # the hidden button's widget id, when this run drew chart placeholders (charts to come)
    pressed: bool = False  # the run the page's script asks for by pressing it (the charts drawn)


@dataclass
class Report:
    sessions: int
    rounds: int
    think: float
    pages: int
    reruns: list[Rerun] = field(default_factory=list)
    wall: float = 0.0
    client_cpu: float = 0.0
    server_pid: int | None = None
    server_pids: list[int] = field(default_factory=list)  # every app process (one, or the replicas behind the proxy)
    via: str = "one process"  # or "N replicas behind HAProxy"
    rss_before: int | None = None  # kB
    rss_peak: int | None = None
    rss_loaded: int | None = None  # at the end, every session still connected
    rss_after: int | None = None  # a few seconds after every socket closed
    server_cpu: float | None = None  # server CPU seconds during the load
    stopped_by_time: bool = False

    @property
    def finished(self) -> list[float]:
        return [r.seconds for r in self.reruns if r.seconds is not None]

    @property
    def errors(self) -> Counter:
        return Counter(r.error.split(":")[0] for r in self.reruns if r.error)

    def percentile(self, q: float) -> float | None:
        """Nearest-rank percentile of the rerun times (reruns that reached script_finished)."""
        xs = sorted(self.finished)
        return xs[max(0, math.ceil(q * len(xs)) - 1)] if xs else None


def pages_of_app() -> list[PageRef]:
    """The navigation's pages, in order (pakcoe.registry PAGES, which app.py builds its navigation from)."""
    from pakcoe import registry

    return [PageRef(p.url_path, p.title) for p in registry.PAGES]


# ---------------------------------------------------------------------------------------------------
# The server process: PID from the listening port, RSS and CPU from /proc


def listening_pid(port: int) -> int | None:
    """The PID of the process listening on this TCP port (its socket inode in /proc/net/tcp*, then /proc/*/fd)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as f:
            for line in list(f)[1:]:
                cols = line.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{cols[9]}]")
    if not inodes:
        return None
    for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                        return pid
    return None


def rss_kb(pid: int | None) -> int | None:
    if pid is None:
        return None
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def total(values: list[float | int | None]) -> float | int | None:
    """The sum of per-process figures (None when any is unknown)."""
    return None if not values or any(v is None for v in values) else sum(values)


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of the process (all its threads) so far."""
    if pid is None:
        return None
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


# ---------------------------------------------------------------------------------------------------
# One session: Streamlit's browser protocol


class Session:
    """One visitor: a websocket to /_stcore/stream and what the browser client keeps (session id, page hashes, cache)."""

    def __init__(self, index: int, base_url: str, timeout: float) -> None:
        self.index = index
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.timeout = timeout
        self.ws = None
        self.session_id = ""
        self.page_hashes: dict[str, str] = {}  # url path -> page_script_hash (from the Navigation message)
        self.cached: dict[str, int] = {}  # hash of a cacheable message received -> the run it was last seen in
        self.runs = 0  # script runs finished (the browser's cache ages its entries by them)
        self.query_string = ""  # the address's query string, as the app last set it (page_info_changed)
        self.last_page: str | None = None
        self.cookie = ""  # the cookies the page's first response set (behind HAProxy: its affinity cookie)

    def _get_page(self, path: str) -> str:
        """GET the page as a browser does before its websocket; the cookies the response sets ("name=value; ...")."""
        import urllib.request

        with urllib.request.urlopen(f"{self.base_url}/{path}", timeout=self.timeout) as r:
            r.read()
            return "; ".join(c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or [])

    async def connect(self, path: str = "") -> None:
        from websockets.asyncio.client import connect

        if not self.cookie:
            self.cookie = await asyncio.to_thread(self._get_page, path)
        protocols = ["streamlit", AUTH_PLACEHOLDER] + ([self.session_id] if self.session_id else [])
        self.ws = await connect(
            self.ws_url,
            subprotocols=protocols,
            origin=self.origin,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
            max_size=None,
            ping_interval=None,
            proxy=None,
            open_timeout=self.timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        self.ws = None

    def back_msg(self, page: PageRef, press: str | None = None) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        page_hash = self.page_hashes.get(page.url_path)
        if page_hash:
            state.page_script_hash = page_hash
        else:
            state.page_name = page.url_path  # a first visit: the page from the address, as the browser sends it
        state.query_string = self.query_string
        state.cached_message_hashes.extend(sorted(self.cached))
        if press:  # the hidden button pressed, as the page's script does: its trigger value
            state.widget_states.widgets.add(id=press, trigger_value=True)
        info = state.context_info
        info.timezone = "Asia/Karachi"
        info.timezone_offset = -300
        info.locale = "en-US"
        info.url = f"{self.base_url}/{page.url_path}" + (f"?{self.query_string}" if self.query_string else "")
        info.color_scheme = "light"
        return msg.SerializeToString()

    async def visit(self, page: PageRef) -> list[Rerun]:
        """Ask for `page` as a browser does: one run, and when it drew chart placeholders (a session's first visit to a
        page with charts, components/deferred.py), at once the run the page's script asks for by pressing its hidden
        button. Each run is timed on its own."""
        runs = [await self.rerun(page)]
        if runs[0].press and not runs[0].error:
            runs.append(await self.rerun(page, press=runs[0].press))
        return runs

    async def rerun(self, page: PageRef, press: str | None = None) -> Rerun:
        """Ask for `page` (`press`: with that button pressed), read until script_finished; a closed socket or a timeout
        is an error (reconnect next time)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.exceptions import ConnectionClosed, InvalidHandshake

        result = Rerun(self.index, page.url_path or "/", None, pressed=press is not None)
        button, placeholders = None, False
        if self.ws is None:
            try:
                await self.connect(page.url_path)
            except (OSError, InvalidHandshake, TimeoutError, ConnectionClosed) as exc:
                result.error = f"connect: {type(exc).__name__} {exc}"
                self.ws = None
                return result
        if page.url_path != self.last_page:
            self.query_string = ""  # a page change from the navigation starts without the previous page's parameters
        self.last_page = page.url_path
        t0 = time.perf_counter()
        deadline = t0 + self.timeout
        ran_hash = None
        try:
            await self.ws.send(self.back_msg(page, press))
            while True:
                raw = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.perf_counter()))
                result.messages += 1
                result.nbytes += len(raw)
                fm = ForwardMsg()
                fm.ParseFromString(raw)
                kind = fm.WhichOneof("type")
                if fm.metadata.cacheable and fm.hash:
                    self.cached[fm.hash] = self.runs
                if kind == "new_session":
                    self.session_id = fm.new_session.initialize.session_id or self.session_id
                elif kind == "navigation":
                    nav = fm.navigation
                    self.page_hashes.update({p.url_pathname: p.page_script_hash for p in nav.app_pages})
                    ran_hash = nav.page_script_hash
                elif kind == "delta" and fm.delta.WhichOneof("type") == "add_block":
                    if DEFERRED_KEY in fm.delta.add_block.id:
                        placeholders = True
                elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    element = fm.delta.new_element
                    which = element.WhichOneof("type")
                    if which == "button" and DRAW_BUTTON_KEY in element.button.id:
                        button = element.button.id
                    elif which == "exception" and not result.error:
                        result.error = f"exception: {element.exception.type} {element.exception.message[:120]}"
                    elif which == "alert" and PAGE_FAILED_TEXT in element.alert.body and not result.error:
                        result.error = "exception: the page's 'could not be drawn' notice"
                elif kind == "ref_hash":
                    if fm.ref_hash in self.cached:
                        self.cached[fm.ref_hash] = self.runs
                    elif not result.error:
                        result.error = "protocol: a reference to a message this client does not hold"
                elif kind == "page_info_changed":
                    self.query_string = fm.page_info_changed.query_string
                elif kind == "page_not_found" and not result.error:
                    result.error = f"page not found: {page.url_path!r}"
                elif kind == "session_event" and fm.session_event.HasField("script_compilation_exception") and not result.error:
                    result.error = "exception: script compilation"
                elif kind == "script_finished":
                    status = fm.script_finished
                    if status in (ForwardMsg.FINISHED_EARLY_FOR_RERUN, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                        continue  # the script asked for another run (st.rerun), or a fragment ran: wait for the full run's end
                    result.seconds = time.perf_counter() - t0
                    result.press = button if placeholders else None
                    self.runs += 1
                    self.cached = {h: run for h, run in self.cached.items() if self.runs - run <= MAX_CACHED_AGE}
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR and not result.error:
                        result.error = "exception: compile error"
                    break
        except TimeoutError:
            result.error = f"timeout: no script_finished within {self.timeout:g} s"
            await self.close()  # late messages of that run must not be read as the next one's
            return result
        except ConnectionClosed as exc:
            result.error = f"closed: {exc}"
            self.ws = None
            return result
        expected = self.page_hashes.get(page.url_path)
        if not result.error and expected and ran_hash and ran_hash != expected:
            result.error = f"wrong page: asked for {page.url_path!r}, the server ran another"
        return result


# ---------------------------------------------------------------------------------------------------
# The load


async def visitor(
    s: Session, pages: list[PageRef], rounds: int, think: float, start_delay: float, stop_at: float, out: list[Rerun], stopped: list[bool]
) -> None:
    """One session: wait its start offset, then every page in turn (starting at its own offset in the list), `rounds`
    times, with `think` seconds after each interaction; no new interaction once the time bound is reached."""
    await asyncio.sleep(start_delay)
    order = pages[s.index % len(pages) :] + pages[: s.index % len(pages)]
    for _ in range(rounds):
        for page in order:
            if time.perf_counter() >= stop_at:
                stopped[0] = True
                return
            out.extend(await s.visit(page))
            await asyncio.sleep(think)


async def _load(url: str, pages: list[PageRef], sessions: int, rounds: int, think: float, max_time: float, timeout: float, rep: Report) -> None:
    pids = rep.server_pids
    warm = Session(-1, url, timeout)  # one visit of every page first (not counted): every page's caches warm
    for page in pages:
        for r in await warm.visit(page):
            if r.error:
                print(f"  warm-up visit of {page.url_path or '/'}: {r.error}")
    await warm.close()
    await asyncio.sleep(1.0)
    rep.rss_before = total([rss_kb(p) for p in pids])
    cpu0 = total([cpu_seconds(p) for p in pids])
    peak = rep.rss_before or 0
    clients = [Session(i, url, timeout) for i in range(sessions)]
    stopped = [False]
    t0, c0 = time.perf_counter(), time.process_time()
    stop_at = t0 + max_time
    tasks = [asyncio.create_task(visitor(s, pages, rounds, think, think * i / sessions, stop_at, rep.reruns, stopped)) for i, s in enumerate(clients)]
    done = asyncio.gather(*tasks)
    hard_stop = max_time + timeout + 10
    while not done.done():
        await asyncio.wait([done], timeout=1.0)
        peak = max(peak, total([rss_kb(p) for p in pids]) or 0)
        if time.perf_counter() - t0 > hard_stop:
            for t in tasks:
                t.cancel()
            rep.stopped_by_time = True
            with contextlib.suppress(asyncio.CancelledError):
                await done
            break
    rep.wall = time.perf_counter() - t0
    rep.client_cpu = time.process_time() - c0
    rep.stopped_by_time = rep.stopped_by_time or stopped[0]
    rep.rss_loaded = total([rss_kb(p) for p in pids])
    cpu1 = total([cpu_seconds(p) for p in pids])
    rep.server_cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    rep.rss_peak = max(peak, rep.rss_loaded or 0) or None
    await asyncio.gather(*(s.close() for s in clients))
    await asyncio.sleep(3.0)
    rep.rss_after = total([rss_kb(p) for p in pids])


def run_load(
    url: str,
    sessions: int = 25,
    rounds: int = 2,
    think: float = 2.0,
    max_time: float = 240.0,
    timeout: float = 30.0,
    pids: list[int] | None = None,
    via: str = "one process",
) -> Report:
    """The load against the server at `url` (base URL, no trailing slash). `pids`: the app processes whose memory and CPU
    are read (default: the one listening on the URL's port, when local)."""
    pages = pages_of_app()
    rep = Report(sessions, rounds, think, len(pages), via=via)
    host, port = urlsplit(url).hostname, urlsplit(url).port
    if pids:
        rep.server_pids = list(pids)
    elif host in ("localhost", "127.0.0.1", "::1") and port:
        rep.server_pid = listening_pid(port)
        rep.server_pids = [rep.server_pid] if rep.server_pid else []
    rep.server_pid = rep.server_pids[0] if rep.server_pids else None
    asyncio.run(_load(url, pages, sessions, rounds, think, max_time, timeout, rep))
    return rep


@contextlib.contextmanager
def started_server(warm_timeout: float = 120.0) -> Iterator[str]:
    """The app served as `make run` does (tests/harness.py), on a free port; yields its URL once its caches are warm."""
    from harness import streamlit_server

    with tempfile.TemporaryDirectory(prefix="pakcoe-load-") as tmp:
        log = Path(tmp) / "server.log"
        with streamlit_server(log_path=log) as url:
            deadline = time.monotonic() + warm_timeout
            while WARM_LINE not in log.read_bytes() and time.monotonic() < deadline:
                time.sleep(0.2)
            if WARM_LINE not in log.read_bytes():
                print(f"  (the server did not say its caches were warm within {warm_timeout:g} s; measuring anyway)")
            yield url


def run(
    sessions: int = 25, rounds: int = 2, think: float = 2.0, url: str | None = None, max_time: float = 240.0, timeout: float = 30.0, replicas: int = 0
) -> Report:
    """run_load against `url`, or against a server started for it (stopped afterwards); `replicas` >= 1: that many
    app processes behind HAProxy, started as `make run REPLICAS=N` does (the affinity cookie carried by each session)."""
    if url:
        return run_load(url.rstrip("/"), sessions, rounds, think, max_time, timeout)
    if replicas:
        from harness import replicas_proxy

        with replicas_proxy(replicas) as proxy:
            return run_load(proxy.url, sessions, rounds, think, max_time, timeout, pids=list(proxy.pids.values()), via=f"{replicas} replicas behind HAProxy")
    with started_server() as started:
        return run_load(started, sessions, rounds, think, max_time, timeout)


# ---------------------------------------------------------------------------------------------------
# The report


def _mb(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.1f} MB"


def report_lines(rep: Report) -> list[str]:
    done = rep.finished
    p50 = statistics.median(done) if done else None
    p95, worst = rep.percentile(0.95), max(done) if done else None
    errors = rep.errors
    n_err = sum(errors.values())
    expected = rep.sessions * rep.rounds * rep.pages  # page visits; a first visit's second run (its press) comes on top
    visits = [r for r in rep.reruns if not r.pressed]
    visited = sum(1 for r in visits if r.seconds is not None)
    presses = len(rep.reruns) - len(visits)

    def sec(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f} s"

    lines = [
        f"  {rep.sessions} sessions x {rep.rounds} rounds x {rep.pages} pages, think {rep.think:g} s: "
        f"{len(visits)} of {expected} page visits done, and {presses} second runs a first visit's page asked for "
        f"(components/deferred.py): {len(rep.reruns)} reruns in {rep.wall:.1f} s" + (" (stopped by the time bound)" if rep.stopped_by_time else ""),
        f"  rerun time (send to script_finished, {len(done)} finished): p50 {sec(p50)}, p95 {sec(p95)}, max {sec(worst)}",
        f"  reruns per second (finished): {len(done) / rep.wall:.2f}" if rep.wall else "  reruns per second: n/a",
        f"  errors: {n_err}" + (f" ({', '.join(f'{k} {v}' for k, v in errors.most_common())})" if n_err else ""),
    ]
    firsts = {}
    for r in rep.reruns:
        if r.error and r.error.split(":")[0] not in firsts:
            firsts[r.error.split(":")[0]] = r
    lines += [f"    e.g. session {r.session} on {r.page}: {r.error}" for r in firsts.values()]
    per_session = (rep.rss_loaded - rep.rss_before) / rep.sessions if rep.rss_loaded is not None and rep.rss_before is not None else None
    lines += [
        f"  server RSS ({rep.via}, pid {', '.join(map(str, rep.server_pids)) or 'n/a'}): before {_mb(rep.rss_before)}, peak {_mb(rep.rss_peak)}, "
        f"end with sessions connected {_mb(rep.rss_loaded)}, 3 s after they closed {_mb(rep.rss_after)}; "
        + (f"per session {per_session / 1024:.2f} MB" if per_session is not None else "per session n/a"),
        f"  server CPU during the load ({rep.via}): {rep.server_cpu:.1f} s ({100 * rep.server_cpu / rep.wall:.0f}% of one core)"
        if rep.server_cpu is not None and rep.wall
        else "  server CPU: n/a (no local server process found)",
        f"  load client CPU: {rep.client_cpu:.1f} s over {rep.wall:.1f} s wall = {100 * rep.client_cpu / rep.wall:.0f}% of one core (one asyncio process)"
        if rep.wall
        else "  load client CPU: n/a",
    ]
    if done and rep.server_cpu is not None:  # the server's CPU per page visit: steadier than the times on a busy machine
        sizes = [r.messages for r in rep.reruns if r.seconds is not None]
        lines.append(
            f"  server CPU per rerun: {1000 * rep.server_cpu / len(done):.1f} ms; messages per rerun: median {statistics.median(sizes):g}, "
            f"bytes per rerun: median {statistics.median(r.nbytes for r in rep.reruns if r.seconds is not None) / 1024:.1f} KB"
        )
    by_page: dict[str, list[float]] = {}
    for r in rep.reruns:
        if r.seconds is not None:
            by_page.setdefault(r.page, []).append(r.seconds)
    if by_page:
        lines.append("  per page: " + "; ".join(f"{p} p50 {statistics.median(v):.2f} s max {max(v):.2f} s" for p, v in by_page.items()))
    p95_limit, err_limit = TARGETS.get(rep.sessions, (None, None))
    if p95_limit is not None:
        met = p95 is not None and p95 <= p95_limit and visited == expected
        lines.append(f"  target {rep.sessions} sessions p95 <= {p95_limit:g} s: {sec(p95)}: {'met' if met else 'NOT met'}")
    if err_limit is not None:
        met = n_err <= err_limit and len(visits) == expected
        lines.append(
            f"  target {rep.sessions} sessions {err_limit} errors: {n_err} errors, {len(visits)} of {expected} page visits: {'met' if met else 'NOT met'}"
        )
    if rep.sessions not in TARGETS:
        lines.append(f"  (issue 20 sets targets for {' and '.join(str(n) for n in TARGETS)} sessions only)")
    return lines


def bench_rows(sessions: int, rounds: int = 2, think: float = 2.0) -> list[Row]:
    """For benchmarks/run.py: one load against a server started for it; the summary rows."""
    print(f"\n== Load: {sessions} concurrent sessions, Streamlit's websocket protocol (benchmarks/load_bench.py) ==")
    rep = run(sessions, rounds, think)
    for line in report_lines(rep):
        print(line)
    done, n_err = rep.finished, sum(rep.errors.values())
    p95 = rep.percentile(0.95)
    p95_limit, err_limit = TARGETS.get(sessions, (None, None))
    err_note = f"of {len(rep.reruns)} reruns" + (f" (target {err_limit}: {'met' if n_err <= err_limit else 'NOT met'})" if err_limit is not None else "")
    p95_note = f"s (target <= {p95_limit:g} s: {'met' if p95 is not None and p95 <= p95_limit else 'NOT met'})" if p95_limit else "s"
    per_session = (rep.rss_loaded - rep.rss_before) / sessions / 1024 if rep.rss_loaded is not None and rep.rss_before is not None else None
    return [
        (f"load {sessions} sessions: rerun p95", f"{p95:.3f}" if p95 is not None else "n/a", p95_note),
        (f"load {sessions} sessions: rerun p50", f"{statistics.median(done):.3f}" if done else "n/a", "s"),
        (f"load {sessions} sessions: errors", str(n_err), err_note),
        (f"load {sessions} sessions: reruns per second", f"{len(done) / rep.wall:.2f}" if rep.wall else "n/a", "/s"),
        (f"load {sessions} sessions: server RSS per session", f"{per_session:.2f}" if per_session is not None else "n/a", "MB"),
        (f"load {sessions} sessions: client CPU", f"{100 * rep.client_cpu / rep.wall:.0f}" if rep.wall else "n/a", "% of one core"),
    ]


SATURATING_THINK = 0.5  # s: sessions ask faster than one process answers (with 2 s, both serve all the load offered)


def compare_rows(sessions: int = 25, replicas: int = 2, rounds: int = 2, think: float = 2.0, saturating: float = SATURATING_THINK) -> list[Row]:
    """For benchmarks/run.py: the same load against one process, then against `replicas` processes behind HAProxy, in
    one run; throughput, p95, errors, memory per session and the load client's CPU share of each.

    Twice: with `think` (the issue's load; sessions wait that long between interactions, so they can offer only about
    sessions / think reruns a second, which one process already serves: the ratio says nothing of a second process,
    and is reported, not judged), then with `saturating` think time, where they ask faster than one process answers.
    "More throughput than one process" is judged on that second load, the only one where a process can be short."""
    print(f"\n== Load: {sessions} sessions, one process vs {replicas} replicas behind HAProxy (benchmarks/load_bench.py) ==")
    print(f"  {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
    rows: list[Row] = []
    ratios = {}
    for wait in (think, saturating):
        offered = sessions / wait
        print(f"  == think {wait:g} s: {sessions} sessions offer at most ~{offered:.0f} reruns/s (fewer: each rerun's own time adds to the wait)")
        reps = {"one process": run(sessions, rounds, wait), f"{replicas} replicas": run(sessions, rounds, wait, replicas=replicas)}
        for name, rep in reps.items():
            print(f"  -- {name}, think {wait:g} s")
            for line in report_lines(rep):
                print(line)
            done, n_err = rep.finished, sum(rep.errors.values())
            p95 = rep.percentile(0.95)
            per_session = (rep.rss_loaded - rep.rss_before) / sessions / 1024 if rep.rss_loaded is not None and rep.rss_before is not None else None
            what = f"load {sessions} sessions, think {wait:g} s, {name}"
            rows += [
                (f"{what}: reruns per second", f"{len(done) / rep.wall:.2f}" if rep.wall else "n/a", "/s"),
                (f"{what}: rerun p95", f"{p95:.3f}" if p95 is not None else "n/a", "s"),
                (f"{what}: errors", str(n_err), f"of {len(rep.reruns)} reruns"),
                (f"{what}: server RSS per session", f"{per_session:.2f}" if per_session is not None else "n/a", "MB (all app processes)"),
                (f"{what}: client CPU", f"{100 * rep.client_cpu / rep.wall:.0f}" if rep.wall else "n/a", "% of one core"),
            ]
        one, many = reps.values()
        tput = [len(r.finished) / r.wall if r.wall else 0.0 for r in (one, many)]
        ratios[wait] = (tput, tput[1] / tput[0] if tput[0] else float("nan"))
    (b_one, b_many), bounded = ratios[think]
    (s_one, s_many), ratio = ratios[saturating]
    met = s_many > s_one
    note = "bounded by the think time: both serve the load offered; reported, not judged"
    rows.append((f"load {sessions} sessions, think {think:g} s: throughput {replicas} replicas / one process", f"{bounded:.2f}", f"x ({note})"))
    rows.append(
        (
            f"load {sessions} sessions, think {saturating:g} s: throughput {replicas} replicas / one process",
            f"{ratio:.2f}",
            f"x (target > 1: {'met' if met else 'NOT met'})",
        )
    )
    print(f"  throughput {replicas} replicas / one process, think {think:g} s: {b_many:.2f} / {b_one:.2f} reruns/s = {bounded:.2f}x ({note})")
    print(
        f"  throughput {replicas} replicas / one process, think {saturating:g} s: {s_many:.2f} / {s_one:.2f} reruns/s = {ratio:.2f}x (target > 1: {'met' if met else 'NOT met'})"
    )
    print(f"  1-min load average now {os.getloadavg()[0]:.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=25, help="concurrent sessions (default 25)")
    ap.add_argument("--think", type=float, default=2.0, help="seconds between a session's interactions (default 2)")
    ap.add_argument("--rounds", type=int, default=2, help="visits of every page per session (default 2)")
    ap.add_argument("--url", help="a running app's base URL (default: start one as `make run` does, on a free port)")
    ap.add_argument("--max-time", type=float, default=240.0, help="no new interaction after this many seconds (default 240)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one rerun's script_finished (default 30)")
    ap.add_argument("--replicas", type=int, default=0, help="N >= 1: N app processes behind HAProxy (as `make run REPLICAS=N`) instead of one")
    ap.add_argument("--compare", action="store_true", help="the same load against one process, then against --replicas (default 2) behind HAProxy")
    ap.add_argument(
        "--saturating", type=float, default=SATURATING_THINK, help=f"with --compare: the think time of the second, judged load (default {SATURATING_THINK:g})"
    )
    a = ap.parse_args(argv)
    if a.compare:
        for name, value, unit in compare_rows(a.sessions, a.replicas or 2, a.rounds, a.think, a.saturating):
            print(f"  {name}: {value} {unit}")
        return 0
    print(f"Load benchmark: {a.sessions} sessions, {a.rounds} rounds, think {a.think:g} s, {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
    rep = run(a.sessions, a.rounds, a.think, a.url, a.max_time, a.timeout, replicas=a.replicas)
    for line in report_lines(rep):
        print(line)
    print(f"  1-min load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
