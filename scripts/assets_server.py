"""Streamlit's own front-end files (its `/static/` bundles), served behind HAProxy already compressed at gzip's best level.

`make run REPLICAS=N` (scripts/replicas.py) starts one of these beside the replicas, and HAProxy sends it every request
under `/static/` (deploy/haproxy.cfg). Why: HAProxy compresses on the fly with a fast, light compressor (Debian's build
uses libslz, about gzip level 1 or worse: Plotly's 4.6 MB bundle arrives as 2.18 MB); these files never change for an
installed Streamlit, so each is compressed once at gzip level 9 (1.38 MB for Plotly), held in memory and sent as is to
every browser that accepts gzip (uncompressed to one that does not). HAProxy adds the security headers and leaves a
response that already has a Content-Encoding alone.

Only files inside Streamlit's static folder are served, and only GET and HEAD; anything else is a 404 or 405. Every
file there is content-hashed by Streamlit's build (its name changes when it does), so it is marked immutable for a year,
as Streamlit itself marks it. `/healthz` answers `ok` for HAProxy's health check.

Usage: python scripts/assets_server.py --port P [--bind 127.0.0.1]
"""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import streamlit

STATIC = (Path(streamlit.__file__).parent / "static").resolve()  # what Streamlit serves at /
PREFIX = "/static/"
COMPRESSIBLE = {".js", ".mjs", ".css", ".html", ".json", ".svg", ".txt", ".map", ".xml", ".ttf", ".otf", ".wasm"}
CACHE_CONTROL = "public, max-age=31536000, immutable"


class Files:
    """The files under `root`, read (and for text-like files, gzip-compressed at level 9) once each, on first use."""

    def __init__(self, root: Path = STATIC) -> None:
        self.root = root.resolve()
        self._held: dict[Path, tuple[bytes, bytes | None]] = {}
        self._lock = threading.Lock()

    def find(self, url_path: str) -> Path | None:
        """The file a request path names, or None when it names nothing servable (outside the prefix or the folder)."""
        path = unquote(urlsplit(url_path).path)
        if not path.startswith(PREFIX) or "\x00" in path:
            return None
        file = (self.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            return None
        return file

    def body(self, file: Path) -> tuple[bytes, bytes | None]:
        """(plain bytes, gzip bytes or None when the kind does not compress)."""
        held = self._held.get(file)
        if held is None:
            plain = file.read_bytes()
            packed = gzip.compress(plain, compresslevel=9, mtime=0) if file.suffix.lower() in COMPRESSIBLE else None
            if packed is not None and len(packed) >= len(plain):
                packed = None
            with self._lock:
                held = self._held.setdefault(file, (plain, packed))
        return held

    def warm(self) -> int:
        """Compress every text-like file now (the server answers meanwhile); the number of files held."""
        for file in sorted(self.root.rglob("*")):
            if file.is_file() and file.suffix.lower() in COMPRESSIBLE and file.relative_to(self.root).as_posix().startswith(PREFIX.strip("/")):
                self.body(file)
        return len(self._held)


def handler(files: Files) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "pakcoe-assets"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
            pass  # HAProxy logs what matters

        def _answer(self, head: bool) -> None:
            if self.path == "/healthz":
                self._send(HTTPStatus.OK, b"ok", "text/plain; charset=utf-8", head=head, cache=False)
                return
            file = files.find(self.path)
            if file is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8", head=head, cache=False)
                return
            plain, packed = files.body(file)
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
                kind += "; charset=utf-8"
            accepts = "gzip" in (self.headers.get("Accept-Encoding") or "").lower()
            if packed is not None and accepts:
                self._send(HTTPStatus.OK, packed, kind, head=head, encoding="gzip")
            else:
                self._send(HTTPStatus.OK, plain, kind, head=head, vary=packed is not None)

        def _send(self, status: HTTPStatus, body: bytes, kind: str, *, head: bool, cache: bool = True, encoding: str | None = None, vary: bool = True) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", CACHE_CONTROL if cache else "no-store")
            if encoding:
                self.send_header("Content-Encoding", encoding)
            if cache and (encoding or vary):
                self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self._answer(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(head=True)

    return Handler


def serve(port: int, bind: str = "127.0.0.1", files: Files | None = None) -> ThreadingHTTPServer:
    """A server on (bind, port) for `files` (not yet serving: call serve_forever)."""
    server = ThreadingHTTPServer((bind, port), handler(files or Files()))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bind", default="127.0.0.1")
    a = ap.parse_args(argv)
    files = Files()
    server = serve(a.port, a.bind, files)
    threading.Thread(target=lambda: print(f"assets: {files.warm()} files compressed (gzip level 9)", flush=True), name="assets-warm", daemon=True).start()
    print(f"assets: Streamlit's /static/ files on {a.bind}:{a.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
