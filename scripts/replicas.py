"""Serve the app as N Streamlit processes behind HAProxy: `make run REPLICAS=N` (N >= 1).

1. One shared `server.cookieSecret` for every replica (so XSRF tokens and signed cookies hold whichever replica a
   request reaches): `$PAKCOE_COOKIE_SECRET` when set, else a random secret generated once and kept in
   `.state/cookie_secret` (git-ignored, mode 0600). XSRF protection stays on.
2. N servers, each started as `make run` starts one (`scripts/serve.py`), on free loopback ports, each in its own
   process group; the launcher waits for every `/_stcore/health`.
3. The HAProxy configuration is written from the template `deploy/haproxy.cfg` (the servers, the port, the
   Content-Security-Policy below) into `.state/haproxy.cfg`, checked (`haproxy -c`), and HAProxy runs in the
   foreground on `--port` (`PORT`, default 8501).
4. Ctrl-C or SIGTERM stops everything (each process group: TERM, then KILL). A replica that dies is reported and left
   down (HAProxy's health check takes it out and sends its sessions to the others); when every replica or HAProxy
   itself has died, the launcher says so, stops the rest and exits 1.

Every line a replica prints is prefixed with its name (app1, app2, ...). The config helpers (`csp`,
`render_config`, `cookie_secret`) are pure and used by the tests.

Usage: python scripts/replicas.py --replicas N [--port 8501] [--bind *] [--stats-port P]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "scripts" / "serve.py"
ASSETS = ROOT / "scripts" / "assets_server.py"
TEMPLATE = ROOT / "deploy" / "haproxy.cfg"
STATE = ROOT / ".state"  # git-ignored
SECRET_FILE = STATE / "cookie_secret"
SECRET_ENV = "PAKCOE_COOKIE_SECRET"
COOKIE = "PAKCOE_SRV"  # HAProxy's affinity cookie (deploy/haproxy.cfg)
HAPROXY = "haproxy"

# The Content-Security-Policy HAProxy adds to every response: the tightest under which every page works (each source
# was removed in turn and every page loaded through the proxy in Chromium; README "Deploying" says what broke). No origin
# outside this server but the map tiles.
#   script-src 'unsafe-inline': Streamlit runs the scripts of st.html(unsafe_allow_javascript=True) as inline scripts
#     (the page's language and direction, the section scroll, the presenter's keys); the map's frame runs folium's
#     generated map script inline. Without it the map stays blank.
#   script-src 'wasm-unsafe-eval': Streamlit's protobuf code (long.js) compiles a tiny WebAssembly module for 64-bit
#     integers on every page (it falls back to JavaScript, but each page then reports a violation).
#   style-src 'unsafe-inline': Streamlit's React styles (emotion), Plotly and Leaflet insert <style> elements and style
#     attributes.
#   img-src / font-src data:: Streamlit's favicon (the page icon as an SVG data: URL), icons of Streamlit's
#     widgets and a font of its own inlined as data: URLs.
TILES = ("https://tile.openstreetmap.org",)  # components/hubmap.py OSM_TILES
CSP_DIRECTIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'self'",)),
    ("script-src", ("'self'", "'unsafe-inline'", "'wasm-unsafe-eval'")),
    ("style-src", ("'self'", "'unsafe-inline'")),
    ("img-src", ("'self'", "data:", *TILES)),
    ("font-src", ("'self'", "data:")),
    ("connect-src", ("'self'",)),
    ("frame-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'self'",)),
)


def csp(directives: tuple[tuple[str, tuple[str, ...]], ...] = CSP_DIRECTIVES) -> str:
    """The Content-Security-Policy header's value."""
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


@dataclass(frozen=True)
class Replica:
    name: str  # app1, app2, ... (also its affinity cookie's value)
    port: int


def render_config(
    template: str, *, port: int, replicas: list[Replica], stats_port: int, bind: str = "*", policy: str | None = None, assets_port: int | None = None
) -> str:
    """The HAProxy configuration: the template with its {{...}} fields filled (without `assets_port`, the assets backend
    has no server and the replicas serve Streamlit's files themselves)."""
    servers = "\n".join(f"    server {r.name} 127.0.0.1:{r.port} check cookie {r.name}" for r in replicas)
    assets = f"    server assets 127.0.0.1:{assets_port} check" if assets_port else "    # no assets server: the replicas serve /static/"
    fields = {
        "BIND": bind,
        "PORT": str(port),
        "STATS_PORT": str(stats_port),
        "SERVERS": servers,
        "ASSETS": assets,
        "CSP": policy if policy is not None else csp(),
    }
    out = template
    for key, value in fields.items():
        out = out.replace("{{" + key + "}}", value)
    if "{{" in out:
        raise ValueError(f"the HAProxy template has a field this launcher does not fill: {out[out.index('{{') :].splitlines()[0]}")
    return out


def cookie_secret(path: Path = SECRET_FILE, env: dict[str, str] | None = None) -> str:
    """The replicas' shared cookie secret: the environment's, else the file's (made once, mode 0600)."""
    env = os.environ if env is None else env
    if env.get(SECRET_ENV):
        return env[SECRET_ENV]
    if path.exists():
        text = path.read_text(encoding="ascii").strip()
        if text:
            os.chmod(path, 0o600)
            return text
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    return path.read_text(encoding="ascii").strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------
# Processes


def _pipe(proc: subprocess.Popen, name: str) -> None:
    """Copy a child's output to ours, each line prefixed with its name."""
    for line in iter(proc.stdout.readline, b""):
        sys.stdout.write(f"[{name}] {line.decode(errors='replace')}")
        sys.stdout.flush()


def _start(name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    threading.Thread(target=_pipe, args=(proc, name), name=f"pipe-{name}", daemon=True).start()
    return proc


def _stop(procs: list[subprocess.Popen]) -> None:
    """TERM every process group, then KILL what lingers after 10 s."""
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _healthy(port: int, proc: subprocess.Popen, timeout: float, path: str = "/_stcore/health") -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            if r.read().decode().strip() == "ok":
                return True
        time.sleep(0.2)
    return False


class Stop(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, required=True, help="app processes (N >= 1)")
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")), help="HAProxy's port (default $PORT or 8501)")
    ap.add_argument("--bind", default="*", help="HAProxy's address (default every interface, as `make run`)")
    ap.add_argument("--stats-port", type=int, default=0, help="HAProxy's status page on 127.0.0.1 (default a free port)")
    ap.add_argument("--config", type=Path, default=STATE / "haproxy.cfg", help="where the HAProxy configuration is written")
    ap.add_argument("--health-timeout", type=float, default=120.0, help="seconds to wait for each replica's health check")
    a = ap.parse_args(argv)
    if a.replicas < 1:
        ap.error("--replicas must be at least 1")
    haproxy = shutil.which(HAPROXY) or next((p for p in ("/usr/sbin/haproxy",) if os.access(p, os.X_OK)), None)
    if haproxy is None:
        print("replicas: haproxy is not installed (`make proxy-deps` installs Debian's package)", file=sys.stderr)
        return 2

    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret()  # in the environment, not on a command line others can read
    env["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] = "true"
    replicas = [Replica(f"app{i + 1}", free_port()) for i in range(a.replicas)]
    stats_port = a.stats_port or free_port()
    procs: dict[str, subprocess.Popen] = {}

    def on_signal(signum: int, _frame: object) -> None:
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        for r in replicas:
            cmd = [sys.executable, str(SERVE), "--server.port", str(r.port), "--server.address", "127.0.0.1", "--server.headless", "true"]
            procs[r.name] = _start(r.name, cmd, env)
            print(f"replicas: {r.name} pid {procs[r.name].pid} on 127.0.0.1:{r.port}", flush=True)
        assets_port = free_port()
        procs["assets"] = _start("assets", [sys.executable, str(ASSETS), "--port", str(assets_port)], env)
        for r in replicas:
            if not _healthy(r.port, procs[r.name], a.health_timeout):
                print(f"replicas: {r.name} did not answer /_stcore/health within {a.health_timeout:g} s; stopping", file=sys.stderr, flush=True)
                return 1
        if not _healthy(assets_port, procs["assets"], a.health_timeout, path="/healthz"):
            print("replicas: the assets server did not start; the replicas serve Streamlit's files themselves", file=sys.stderr, flush=True)
            assets_port = None
        config = render_config(
            TEMPLATE.read_text(encoding="utf-8"), port=a.port, replicas=replicas, stats_port=stats_port, bind=a.bind, assets_port=assets_port
        )
        a.config.parent.mkdir(parents=True, exist_ok=True)
        a.config.write_text(config, encoding="utf-8")
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(a.config)], capture_output=True, text=True)
        if check.returncode != 0:
            print(f"replicas: HAProxy rejects {a.config}:\n{check.stdout}{check.stderr}", file=sys.stderr, flush=True)
            return 1
        procs["haproxy"] = _start("haproxy", [haproxy, "-db", "-f", str(a.config)], env)
        print(
            f"replicas: HAProxy pid {procs['haproxy'].pid} serves {len(replicas)} replica(s) on port {a.port}; status page http://127.0.0.1:{stats_port}/",
            flush=True,
        )
        down: set[str] = set()
        while True:
            time.sleep(0.5)
            for name, proc in procs.items():
                if name in down or proc.poll() is None:
                    continue
                down.add(name)
                if name == "haproxy":
                    print(f"replicas: HAProxy exited unexpectedly (code {proc.returncode}); stopping the replicas", file=sys.stderr, flush=True)
                    return 1
                if name == "assets":
                    print(f"replicas: the assets server exited (code {proc.returncode}); the replicas serve Streamlit's files", file=sys.stderr, flush=True)
                    continue
                print(
                    f"replicas: {name} exited unexpectedly (code {proc.returncode}); HAProxy takes it out and sends its sessions to the others",
                    file=sys.stderr,
                    flush=True,
                )
                if all(r.name in down for r in replicas):
                    print("replicas: every replica has exited; stopping HAProxy", file=sys.stderr, flush=True)
                    return 1
    except Stop as stop:
        print(f"replicas: {stop} received; stopping HAProxy and the replicas", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second Ctrl-C must not leave the process groups running
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _stop(list(procs.values()))


if __name__ == "__main__":
    sys.exit(main())
