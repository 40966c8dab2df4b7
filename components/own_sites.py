"""Sites of one's own on the Hub map: the template, the uploader, the problems, the session's store, the map with the
sites as a layer of their own, the side-by-side comparison and a site's details.

The file is checked by pakcoe.own_sites (pure). It lives in this browser session only (st.session_state): nothing is
written to disk, nothing is put in the page's link. Every text from the file is shown as text: tables escape it
(components.table), Markdown goes through escape_md and the map through escape_html (components.hubmap).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import cached, foliumview, hubmap, table
from components.escape import escape_md
from components.folds import folded
from components.foliumview import MapPayload
from components.map_data import comma
from pakcoe import Release, i18n, labels
from pakcoe.coverage import HubFilter
from pakcoe.display import texts
from pakcoe.i18n import t
from pakcoe.own_sites import OwnSites, compare_sites, parse_sites, template_csv
from pakcoe.registry import NATIONAL

STORE = "own-sites"  # the uploaded file: {"name": str, "raw": bytes}, kept across the session's pages
READ = "own-sites-read"  # what the file gave, for (release, language, file): (key, OwnSites)
MAP = "own-sites-map"  # the last map drawn with the sites: (key, MapPayload)
TEMPLATE = "own-sites-template"  # (release version, language, CSV)
UPLOADER = "own-sites-file"  # the uploader's key, with a number that "Remove your sites" moves on (a new, empty uploader)
GENERATION = "own-sites-generation"
CHOSEN = "own-site"  # the site whose details are shown
PICKER_LIMIT = 300


@dataclass(frozen=True)
class Sites:
    """A session's sites that passed every check, with the digest of their file (keys the map)."""

    name: str
    digest: str
    hubs: pd.DataFrame


def _uploader_key() -> str:
    return f"{UPLOADER}-{st.session_state.get(GENERATION, 0)}"


def _keep_upload() -> None:
    """The uploader changed: keep its file in the session (the widget forgets it when the page is left), or forget it."""
    upload = st.session_state.get(_uploader_key())
    if upload is None:
        st.session_state.pop(STORE, None)
    else:
        st.session_state[STORE] = {"name": upload.name, "raw": upload.getvalue()}
    st.session_state.pop(CHOSEN, None)


def _forget() -> None:
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state.pop(STORE, None)
    st.session_state.pop(CHOSEN, None)


def _read(release: Release, held: dict) -> tuple[str, OwnSites]:
    """The file's check against the release, done once per release, language and file."""
    digest = hashlib.sha256(held["raw"]).hexdigest()
    key = f"{release.version}|{release.lang}|{i18n.current()}|{digest}"
    done = st.session_state.get(READ)
    if done is None or done[0] != key:
        done = (key, parse_sites(release, held["raw"]))
        st.session_state[READ] = done
    return digest, done[1]


def _template(release: Release) -> str:
    key = (release.version, release.lang)
    held = st.session_state.get(TEMPLATE)
    if held is None or held[0] != key:
        held = (key, template_csv(release))
        st.session_state[TEMPLATE] = held
    return held[1]


def panel(release: Release, radius: int) -> Sites | None:
    """The "Your own sites" expander: what it is, the template, the uploader and what the file gave, and for sites that
    passed every check their comparison with the release's plan (within `radius` km). Returns those sites (drawn on
    the map whether the expander is open or not). Its contents are built only while it is open, so a map page without
    your sites builds nothing of it but its label."""
    held = st.session_state.get(STORE)
    found = None
    if held is not None:
        digest, sites = _read(release, held)
        found = Sites(held["name"], digest, sites.hubs) if sites.ok else None
    box = folded(t("Your own sites (this session only)"), "own-sites", icon=":material/upload_file:")
    if box is None:
        return found
    with box:
        st.caption(
            t(
                "Upload an alternative hub list: the map shows it as a layer of its own beside the release's plan, with coverage "
                "and hubs per province compared. It is checked like the release's hubs (known cities and their provinces, "
                "phases, hub types, no duplicates, inside Pakistan and within 50 km of the city it names). It stays in this "
                "browser session only: nothing is saved, and it is not in the page's link."
            )
        )
        st.download_button(
            t("Template: this release's hub list (CSV)"),
            _template(release),
            file_name=f"pak-ai-coe-sites-template-{release.version}.csv",
            mime="text/csv",
            key="own-sites-template-file",
            on_click="ignore",
            icon=":material/download:",
            help=t("Every column of the release's hub list, with its hubs as examples: edit it, keep the first row, and upload it."),
        )
        st.file_uploader(
            t("Your hub list (CSV, UTF-8, at most 1 MB)"),
            type=["csv"],
            key=_uploader_key(),
            on_change=_keep_upload,
            max_upload_size=1,  # MB: the browser refuses a larger file before it is sent (MAX_BYTES checks it again)
        )
        if held is None:
            return None
        name = escape_md(held["name"])
        if found is not None:
            st.success(t("{file}: {n} sites loaded for this session.", file=name, n=i18n.num(len(found.hubs))), icon=":material/check_circle:")
            st.button(t("Remove your sites"), key="own-sites-remove", on_click=_forget, icon=":material/delete:", type="tertiary")
            comparison(release, found, radius)
            return found
        _problems(release, name, sites)
        return None


def _problems(release: Release, name: str, sites: OwnSites) -> None:
    """A problem with the whole file: its message alone. Problems in rows: how many, then each by row and column."""
    whole = [p for p in sites.problems if p.row is None]
    if whole:
        st.error(f"{name}: {escape_md(whole[0].message)}", icon=":material/error:")
        return
    n = len(sites.problems)
    words = (
        t("{file}: 1 problem; no site was loaded. Change what the table says and upload the file again.", file=name)
        if n == 1
        else t("{file}: {n} problems; no site was loaded. Change what the table says and upload the file again.", file=name, n=i18n.num(n))
    )
    st.error(words, icon=":material/error:")
    tx = texts(release)
    fields = set(release.hubs.columns)

    def column(field: str | None) -> str:
        if field is None:
            return ""
        return t("{label} (column “{name}” of the file)", label=tx.column(field, "hubs"), name=field) if field in fields else field

    frame = pd.DataFrame(
        {
            t("Row of the file"): [i18n.num(p.row) if p.row is not None else "" for p in sites.problems],
            t("Column"): [column(p.field) for p in sites.problems],
            t("What to change"): [p.message for p in sites.problems],
        }
    )
    table.show(frame, hide_index=True, caption=t("The header is row 1 of the file."))


def view_sites(sites: Sites, view: str, hub_filter: HubFilter) -> pd.DataFrame:
    """The sites a view draws: the map's filters apply to them too; a city's cluster view shows that city's sites."""
    shown = hub_filter.apply(sites.hubs)
    return shown if view == NATIONAL else shown[shown["city_id"] == view]


def map_payload(release: Release, view: str, hub_filter: HubFilter, hubs: pd.DataFrame, sites: Sites | None) -> MapPayload:
    """The hub map: the shared cached one without sites; with the session's sites as a layer of their own (the last one
    drawn is kept for the session)."""
    if sites is None:
        return cached.map_payload(release.version, view, hub_filter)
    key = f"{release.version}|{release.lang}|{i18n.current()}|{view}|{hub_filter!r}|{sites.digest}"
    done = st.session_state.get(MAP)
    if done is None or done[0] != key:
        spec = hubmap.MapSpec(view, hubs, release, own=view_sites(sites, view, hub_filter))
        done = (key, foliumview.payload_of(hubmap.build_map(spec)))
        st.session_state[MAP] = done
    return done[1]


def clicked(sites: Sites, lat: float, lng: float) -> None:
    """A click on the map: the site drawn there (if any) becomes the one whose details are shown."""
    found = hubmap.hub_at(sites.hubs, lat, lng)
    if found:
        st.session_state[CHOSEN] = found


def details(release: Release, sites: Sites) -> None:
    """Your sites' details: pick one (or click it on the map); every value is the file's, shown as text."""
    hubs = sites.hubs.reset_index(drop=True)
    cities = release.table("cities").set_index("city_id")["name"]
    names = {str(h): f"{n} ({cities.get(c, c)})" for h, n, c in zip(hubs["hub_id"], hubs["name"], hubs["city_id"], strict=True)}
    chosen = st.session_state.get(CHOSEN)
    options = list(names)[:PICKER_LIMIT]
    if chosen in names and chosen not in options:
        options.insert(0, chosen)
    if chosen not in names:
        st.session_state.pop(CHOSEN, None)
    pick = st.selectbox(
        t("Your site"), options, key=CHOSEN, format_func=names.get, index=None, placeholder=t("Click one of your sites on the map, or choose one")
    )
    if pick is None:
        return
    h = hubs[hubs["hub_id"] == pick].iloc[0]
    tx = texts(release)
    phases = release.table("phases").set_index("phase_id")["name"]
    coords = f"{float(h['lat']):.4f}, {float(h['lon']):.4f}"
    rows = [
        (t("City or town"), cities.get(h["city_id"], h["city_id"])),
        (t("Province or territory"), tx.province(str(h["province_id"]))),
        (t("Phase"), t("Phase {n}: {name}", n=int(h["phase_id"]), name=phases.get(int(h["phase_id"]), ""))),
        (t("Hub type"), labels.hub_types(release).get(h["hub_type"], h["hub_type"])),
        (t("Coordinates"), coords if i18n.current() == "en" else f"\u2066{coords}\u2069"),
    ]
    if "district" in h.index and not pd.isna(h["district"]):
        rows.insert(1, (t("District"), h["district"]))
    st.subheader(escape_md(h["name"]))
    st.caption(t("Your site, from {file}: this session only, not part of the release.", file=escape_md(sites.name)))
    table.static(pd.DataFrame(rows, columns=["attribute", "value"]).set_index("attribute"), name=h["name"], index=True, header=False)


def comparison(release: Release, sites: Sites, radius: int) -> None:
    """Coverage and hubs per province: the release's plan and your sites side by side."""
    cmp = compare_sites(release, sites.hubs, radius)
    km = i18n.num(radius)
    st.markdown(t("**Your sites beside the release's plan**"))
    cov = cmp.coverage
    phase = [t("Phases 1–{n}", n=p) if p > 1 else t("Phase {n}", n=p) for p in cov["phase"]]
    table.show(
        pd.DataFrame(
            {
                t("Phases open"): phase,
                t("The plan: hubs"): cov["plan_hubs"],
                t("The plan: share within {km} km (%)", km=km): (cov["plan_share"] * 100).round(1),
                t("Yours: hubs"): cov["own_hubs"],
                t("Yours: share within {km} km (%)", km=km): (cov["own_share"] * 100).round(1),
            }
        ),
        hide_index=True,
        caption=t(
            "Share of the census-city population within {km} km of a hub once each phase is open (the Coverage tab's reach radius; great-circle distance).",
            km=km,
        ),
    )
    tx = texts(release)
    prov = cmp.provinces
    total = int(prov["own_hubs"].sum())
    table.show(
        pd.DataFrame(
            {
                t("Province or territory"): [tx.province(p) for p in prov["province_id"]],
                t("Share of population (%)"): (prov["population_share"] * 100).round(1),
                t("The plan: hubs"): prov["plan_hubs"],
                t("Yours: hubs"): prov["own_hubs"],
                t("Yours less the plan"): prov["difference"],
                t("The release's allocation rule for {n} hubs", n=i18n.num(total)): prov["rule_hubs"].astype(object).where(prov["rule_hubs"].notna(), ""),
            }
        ),
        hide_index=True,
        caption=t("Hubs per province or territory. The last column shares your number of hubs by the release's own rule (blank where it cannot).")
        + (
            " "
            + t(
                "Provinces and territories with none of your sites: {names}.",
                names=comma().join(tx.province(p) for p in prov.loc[prov["own_hubs"] == 0, "province_id"]),
            )
            if (prov["own_hubs"] == 0).any()
            else ""
        ),
    )
