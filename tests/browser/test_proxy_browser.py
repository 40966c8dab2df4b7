"""`make run REPLICAS=2`: two app processes behind HAProxy (scripts/replicas.py, deploy/haproxy.cfg), in real Chromium.

Every page loads through the proxy with the security headers and no Content-Security-Policy violation or console
error; script bundles arrive gzip-compressed; an upload reaches the session's process (cookie affinity); a reload
says the uploaded files are gone; a replica killed under a session is marked down by the health check, and the page
reconnects to the live one with the same view (the address holds it) and the notice about the uploaded files.
The tests share one launcher (module scope); the one that kills a replica is the last of the module.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browserhelp import ConsoleLog
from harness import DRAWN_JS, MAP_IFRAME, Proxied, replicas_proxy, wait_ready
from playwright.sync_api import Browser, BrowserContext, Page, expect
from releasekit import ROOT

from pakcoe import load_release, registry
from pakcoe.own_options import template_csv

RELEASE = "1.1.0"  # named in every address: a release of the checkout (never assumed the newest)
COMPARE = f"compare?release={RELEASE}&options=public-on-time&options=private-only&c_capex=1.2"
GONE = "The files you uploaded were held by a server that has since restarted"
CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));"""
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture(scope="module")
def proxy() -> Iterator[Proxied]:
    with replicas_proxy(2) as p:
        yield p


def fresh(browser: Browser) -> tuple[BrowserContext, Page, ConsoleLog]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    return context, page, ConsoleLog(page)


def csp_violations(page: Page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__csp || []")
        except Exception:  # a frame that went away meanwhile
            continue
    return found


def options_file(tmp_path: Path) -> Path:
    rows = list(csv.DictReader(io.StringIO(template_csv(load_release(ROOT / "data" / "releases" / RELEASE)))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(dict(rows[0], name="Through the proxy"))
    path = tmp_path / "mine.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def upload_options(page: Page, path: Path) -> None:
    expander = page.locator("[data-testid=stExpander]").filter(has_text="Your own options")
    if not expander.locator("[data-testid=stFileUploader]").is_visible():
        expander.get_by_text("Your own options", exact=True).click()
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    wait_ready(page)
    expect(page.get_by_text("Your options are ready (1): Through the proxy (yours).")).to_be_visible()


def affinity(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "PAKCOE_SRV")


def test_every_page_through_the_proxy_has_its_headers_and_no_csp_violation(proxy: Proxied, browser: Browser):
    context, page, log = fresh(browser)
    try:
        scripts: list[tuple[str, str | None]] = []
        page.on("response", lambda r: r.url.endswith(".js") and "/static/" in r.url and scripts.append((r.url, r.header_value("content-encoding"))))
        for p in registry.PAGES:
            for lang in ("en", "ur") if p.default else ("en",):  # Urdu once: its web font through the policy
                response = page.goto(f"{proxy.url}/{p.url_path}" + ("?lang=ur" if lang == "ur" else ""))
                headers = response.all_headers()
                assert all(h in headers for h in HEADERS), (p.url_path, headers)
                assert headers["x-content-type-options"] == "nosniff"
                wait_ready(page)
                page.wait_for_function(DRAWN_JS, timeout=30_000)
                for frame in page.locator(MAP_IFRAME).all():  # a map: Leaflet has drawn it (its controls ask for their icons then)
                    expect(frame.content_frame.locator(".leaflet-container[data-fitted]")).to_have_count(1, timeout=30_000)
                log.wait_quiet(page)  # the Hub map's frame may still be fetching its control icons
                assert csp_violations(page) == [], (p.url_path, lang)
        # an export and its download through the proxy: the chart image rendered on the server, saved by the browser
        page.goto(f"{proxy.url}/funding")
        wait_ready(page)
        page.locator(".st-key-export-funding-sankey").get_by_role("button", name="Image (PNG)").click()
        save = page.locator(".st-key-export-funding-sankey-png-file").get_by_role("button", name="Save the PNG")
        expect(save).to_be_visible(timeout=60_000)
        with page.expect_download() as download:
            save.click()
        assert download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert csp_violations(page) == []
        assert log.defects() == []
        assert scripts and all(enc == "gzip" for _, enc in scripts), scripts[:5]
        assert proxy.status() == {"app1": "UP", "app2": "UP"}
    finally:
        context.close()


def test_an_upload_reaches_the_sessions_process_and_a_reload_says_it_is_gone(proxy: Proxied, browser: Browser, tmp_path: Path):
    path = options_file(tmp_path)
    servers = set()
    for _ in range(2):  # two sessions: leastconn gives the second the other replica while the first is connected
        context, page, log = fresh(browser)
        page.goto(f"{proxy.url}/{COMPARE}")
        wait_ready(page)
        servers.add(affinity(context))
        upload_options(page, path)
        assert parse_qs(urlsplit(page.url).query)["uploaded"] == [registry.to_query(True)]
        link = page.get_by_role("textbox", name=re.compile("Link to this exact view")).input_value()
        assert "release=" in link and "uploaded" not in link  # the copied link is not this session's
        expect(page.get_by_text(GONE)).to_have_count(0)
        page.reload()
        wait_ready(page)
        expect(page.get_by_text(GONE)).to_be_visible()
        assert "uploaded" not in parse_qs(urlsplit(page.url).query)
        assert parse_qs(urlsplit(page.url).query)["c_capex"] == ["1.2"]
        assert log.defects() == [] and csp_violations(page) == []
        if len(servers) == 2:
            break
    assert servers <= {"app1", "app2"}


def test_a_killed_replica_is_marked_down_and_its_session_moves_to_the_live_one(proxy: Proxied, browser: Browser, tmp_path: Path):
    context, page, _ = fresh(browser)
    page.goto(f"{proxy.url}/{COMPARE}")
    wait_ready(page)
    upload_options(page, options_file(tmp_path))
    before = parse_qs(urlsplit(page.url).query)
    victim = affinity(context)
    proxy.stop_replica(victim)
    deadline = time.monotonic() + 20
    while proxy.status().get(victim) != "DOWN" and time.monotonic() < deadline:
        time.sleep(0.25)
    assert proxy.status()[victim] == "DOWN"
    # the page's client reconnects (through HAProxy, to the live replica) and runs the same view from the address
    expect(page.get_by_text(GONE)).to_be_visible(timeout=45_000)
    wait_ready(page)
    after = parse_qs(urlsplit(page.url).query)
    assert "uploaded" not in after
    assert {k: v for k, v in before.items() if k != "uploaded"} == after
    expect(page.get_by_role("heading", level=1, name="Compare rollout options")).to_be_visible()
    expect(page.locator("table.kf[data-options='2']")).to_have_count(1)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    context.close()
