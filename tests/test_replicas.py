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
    text = replicas.render_config(replicas.TEMPLATE.read_text(encoding="utf-8"), port=18501, replicas=servers, stats_port=18502)
    assert "{{" not in text
    assert [line.split()[1] for line in text.splitlines() if line.strip().startswith("server ")] == ["app1", "app2", "app3"]
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
