"""Weak connections: what every page costs on the wire, through HAProxy (`make run REPLICAS=N`) and directly.

For every page of the navigation (pakcoe.registry PAGES), in Debian's Chromium at 1366x900:
- first visit: a fresh browser context (empty cache) loads the page until it is fully drawn (tests/harness.py
  DRAWN_JS); bytes transferred = the sum of CDP `Network.loadingFinished` `encodedDataLength` (headers and bodies as
  they came over the wire, compressed or not: what Lighthouse counts as transferred), and, apart, the websocket
  frames' payload bytes (Streamlit's messages: the page's elements and figures);
- repeat visit: the same context loads the page again: what is not served from the browser's cache;
- first screen on a weak link: a fresh context under Chromium's network emulation (CDP
  `Network.emulateNetworkConditions`: 1.6 Mbit/s down, 0.75 Mbit/s up, 150 ms latency), the seconds from the
  navigation to the page fully drawn (what fits 1366x900 and the rest: the app draws every element of a run together).
Target (issue 20): every page's first visit through the proxy <= 3.5 MB transferred.

Usage: .venv/bin/python benchmarks/network_bench.py [--replicas 2] [--no-throttle]
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (str(ROOT / "tests"), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)
import page_bench  # noqa: E402
from harness import DRAWN_JS, launch_chromium, replicas_proxy, streamlit_server, wait_ready  # noqa: E402

TARGET_MB = 3.5
VIEWPORT = {"width": 1366, "height": 900}
WEAK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8}  # bytes/s
WAIT_MS = 90_000  # bound of each load (a throttled first visit of ~3 MB takes ~15-25 s)
Row = tuple[str, str, str]


@dataclass
class Wire:
    http: int = 0  # bytes of HTTP responses (encodedDataLength: headers + body as transferred)
    ws: int = 0  # websocket frames received (payload bytes)
    requests: int = 0
    cached: int = 0  # requests served from the browser's cache
    urls: dict = field(default_factory=dict)  # request id -> (url, content-encoding)
    sizes: list = field(default_factory=list)  # (bytes, url, content-encoding) of each finished request


def watch(cdp) -> Wire:
    wire = Wire()
    cdp.send("Network.enable")

    def finished(e: dict) -> None:
        wire.http += int(e.get("encodedDataLength", 0))
        wire.requests += 1
        url, enc = wire.urls.get(e["requestId"], ("?", ""))
        wire.sizes.append((int(e.get("encodedDataLength", 0)), url, enc))

    def response(e: dict) -> None:
        headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
        wire.urls[e["requestId"]] = (e["response"]["url"], headers.get("content-encoding", ""))

    def frame(e: dict) -> None:
        r = e["response"]
        data = r.get("payloadData", "")
        wire.ws += len(base64.b64decode(data)) if r.get("opcode") == 2 else len(data.encode())

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", response)
    cdp.on("Network.requestServedFromCache", lambda e: setattr(wire, "cached", wire.cached + 1))
    cdp.on("Network.webSocketFrameReceived", frame)
    return wire


def load(page, url: str) -> float:
    """Navigate and wait until fully drawn; seconds from the navigation start."""
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=WAIT_MS)
    wait_ready(page, timeout=WAIT_MS)
    page.wait_for_function(DRAWN_JS, timeout=WAIT_MS)
    page.wait_for_timeout(500)  # late requests of the page (fonts, the map's tiles and icons)
    return time.perf_counter() - t0


def measure(browser, base: str, path: str, throttle: bool) -> dict:
    out = {}
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        wire = watch(cdp)
        load(page, f"{base}/{path}")
        out["first"] = (wire.http, wire.ws, wire.requests)
        out["largest"] = sorted(wire.sizes, reverse=True)[:4]
        before = (wire.http, wire.ws, wire.requests, wire.cached)
        load(page, f"{base}/{path}")
        out["repeat"] = (wire.http - before[0], wire.ws - before[1], wire.requests - before[2], wire.cached - before[3])
    finally:
        context.close()
    if throttle:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", WEAK)
            context.add_init_script(page_bench.RECORDER_JS)  # the first screen, as page_bench defines it
            out["weak"] = load(page, f"{base}/{path}")
            out["weak_first"] = page.wait_for_function("() => window.__pakFirstScreen", polling=25, timeout=WAIT_MS).json_value() / 1000
            page.evaluate("() => { window.__pakStop = true; }")
        except Exception as exc:  # a bound reached: say so, go on
            out["weak"] = out["weak_first"] = None
            print(f"    {path or '/'} under emulation: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        finally:
            context.close()
    return out


def mb(n: int) -> str:
    return f"{n / 1e6:.2f}"


def run(replicas: int = 2, throttle: bool = True, only: list[str] | None = None) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from pakcoe import registry

    print(f"\n== Weak connections: bytes per page and a throttled first visit, through HAProxy ({replicas} replicas) and directly ==")
    print(f"  {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}; emulation: 1.6 Mbit/s down, 0.75 up, 150 ms")
    rows: list[Row] = []
    results: dict[str, dict[str, dict]] = {}
    pages = [p for p in registry.PAGES if only is None or p.url_path in only]
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            with replicas_proxy(replicas) as proxy, streamlit_server() as direct:
                for p in pages:
                    results[p.url_path] = {}
                    for mode, base in (("proxy", proxy.url), ("direct", direct)):
                        warm = browser.new_page()  # warm the server's caches for this page
                        try:
                            load(warm, f"{base}/{p.url_path}")
                        finally:
                            warm.close()
                        results[p.url_path][mode] = m = measure(browser, base, p.url_path, throttle)
                        f, r = m["first"], m["repeat"]
                        if mode == "proxy":
                            print("    largest: " + "; ".join(f"{n / 1e6:.2f} MB {u.rsplit('/', 1)[-1][:40]} ({e or 'identity'})" for n, u, e in m["largest"]))
                        weak = m.get("weak")
                        print(
                            f"  {p.title:<18} {mode:<6} first {mb(f[0])} MB HTTP ({f[2]} requests) + {mb(f[1])} MB websocket; "
                            f"repeat {mb(r[0])} MB HTTP ({r[3]} of {r[2]} from cache) + {mb(r[1])} MB websocket"
                            + (
                                f"; weak link: first screen {m['weak_first']:.1f} s, drawn in {weak:.1f} s"
                                if weak
                                else ("; weak link: not drawn within the bound" if throttle else "")
                            )
                        )
        finally:
            browser.close()
    for p in pages:
        r = results[p.url_path]
        first = r["proxy"]["first"][0]
        met = first <= TARGET_MB * 1e6
        rows.append(
            (
                f"first visit through the proxy: {p.title}",
                mb(first),
                f"MB HTTP (target <= {TARGET_MB:g} MB: {'met' if met else 'NOT met'}; directly {mb(r['direct']['first'][0])} MB)",
            )
        )
        rows.append((f"repeat visit through the proxy: {p.title}", mb(r["proxy"]["repeat"][0]), f"MB HTTP (directly {mb(r['direct']['repeat'][0])} MB)"))
        if throttle:
            for key, what in (("weak_first", "first screen"), ("weak", "drawn")):
                w = [r[m].get(key) for m in ("proxy", "direct")]
                rows.append(
                    (f"weak link, {what}: {p.title}", f"{w[0]:.1f}" if w[0] else "n/a", f"s through the proxy (directly {f'{w[1]:.1f} s' if w[1] else 'n/a'})")
                )
    print(f"  1-min load average now {os.getloadavg()[0]:.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--no-throttle", action="store_true", help="bytes only (no weak-link timing)")
    ap.add_argument("--pages", help="only these url paths, comma-separated ('' is the start page)")
    a = ap.parse_args(argv)
    for name, value, unit in run(a.replicas, not a.no_throttle, a.pages.split(",") if a.pages is not None else None):
        print(f"  {name}: {value} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
