"""`make run REPLICAS=N`'s configuration (scripts/replicas.py, deploy/haproxy.cfg): the filled template is a configuration
Debian's HAProxy accepts, with one server line per replica, and the shared cookie secret is kept private."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from commands import script

replicas = script("replicas")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def test_the_template_filled_for_three_replicas_is_accepted_by_haproxy(tmp_path: Path):
    servers = [replicas.Replica(f"app{i}", 20000 + i) for i in (1, 2, 3)]
    text = replicas.render_config(replicas.TEMPLATE.read_text(encoding="utf-8"), port=18501, replicas=servers, stats_port=18502, assets_port=18503)
    assert "{{" not in text
    assert [line.split()[1] for line in text.splitlines() if line.strip().startswith("server ")] == ["app1", "app2", "app3", "assets"]
    policy = replicas.csp()
    assert f'Content-Security-Policy "{policy}"' in text
    # no origin outside this server but the map tiles
    assert [s for _, sources in replicas.CSP_DIRECTIVES for s in sources if s.startswith("http")] == list(replicas.TILES)
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(text, encoding="utf-8")
    check = subprocess.run([HAPROXY, "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_cookie_secret_is_made_once_with_mode_0600_or_taken_from_the_environment(tmp_path: Path):
    path = tmp_path / "state" / "cookie_secret"
    first = replicas.cookie_secret(path, env={})
    assert len(first) == 64 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert replicas.cookie_secret(path, env={}) == first
    assert replicas.cookie_secret(path, env={replicas.SECRET_ENV: "from-the-environment"}) == "from-the-environment"


def test_the_assets_server_sends_streamlits_files_compressed_once_at_the_best_level_and_nothing_else():
    import gzip
    import threading
    import urllib.error
    import urllib.request

    assets = script("assets_server")
    files = assets.Files()
    server = assets.serve(0, files=files)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        bundle = max(files.root.glob("static/js/*.js"), key=lambda f: f.stat().st_size)  # Plotly's, the largest
        url = f"http://127.0.0.1:{port}/static/js/{bundle.name}"

        def get(u: str, **headers: str):
            return urllib.request.urlopen(urllib.request.Request(u, headers=headers), timeout=10)

        with get(url, **{"Accept-Encoding": "gzip, deflate"}) as r:
            packed = r.read()
            assert r.headers["Content-Encoding"] == "gzip" and "immutable" in r.headers["Cache-Control"]
            assert r.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
        plain = bundle.read_bytes()
        assert gzip.decompress(packed) == plain
        assert len(packed) <= len(gzip.compress(plain, compresslevel=6)) < len(plain)  # at least as small as gzip's default level
        with get(url) as r:  # a client that does not take gzip gets the file as it is
            assert r.headers.get("Content-Encoding") is None and r.read() == plain
        with get(f"http://127.0.0.1:{port}/healthz") as r:
            assert r.read() == b"ok"
        for outside in ("/static/../config.py", "/static/%2e%2e/%2e%2e/__init__.py", "/index.html", "/_stcore/health", "/static/js/no-such.js"):
            try:
                get(f"http://127.0.0.1:{port}{outside}")
                raise AssertionError(f"{outside} was served")
            except urllib.error.HTTPError as e:
                assert e.code == 404, outside
    finally:
        server.shutdown()
        server.server_close()
