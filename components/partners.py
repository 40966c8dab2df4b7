"""Sections of the Partners & roles page: partner categories per track, the RACI heatmap, governance, programmes.

The charts are built by components.partners_figures (pure, cached by components.cached); this module draws them
and everything else straight from the release, with the display texts of pakcoe.display for every header and code.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import urlstate
from components.chart import ChartData, chart_frame
from components.escape import escape_html, escape_md
from components.folds import folded
from components.funding import kept
from components.methodology import FirstUse
from components.partners_figures import Governance, governance_data
from components.table import static as static_table
from pakcoe import Release, i18n
from pakcoe.display import texts
from pakcoe.funding import track_labels

RACI = {"R": "Responsible (does the work)", "A": "Accountable (answers for it; one per activity)", "C": "Consulted", "I": "Informed"}


def raci_names() -> dict[str, str]:
    """RACI in the current language: the letters stay (the RACI convention), their meaning in words."""
    return {
        "R": i18n.t("Responsible (does the work)"),
        "A": i18n.t("Accountable (answers for it; one per activity)"),
        "C": i18n.t("Consulted"),
        "I": i18n.t("Informed"),
    }


RACI_ORDER = ("A", "R", "C", "I")  # the per-activity list names who answers for it first
TRACK_ROLE_COLUMN = {"public": "role_public_track", "private": "role_private_track"}
# Below this viewport width the heatmap's eight column headers cannot sit side by side: the page shows the same letters
# as one short list per activity instead (the heatmap stays in the page, hidden, for wider screens and printing).
NARROW = "1023px"
_RACI_CSS = f"""<style>
.st-key-raci-narrow {{ display: none; }}
@media screen and (max-width: {NARROW}) {{
  .st-key-raci-narrow {{ display: flex; }}
  .st-key-raci-wide {{ display: none; }}
}}
</style>"""


def no_accreditation(release: Release) -> str:
    """The plain statement that nothing is accredited (NAVTTC and NVQF written out at first use on the page)."""
    t = texts(release)
    return i18n.t(
        "**No accreditation exists today.** None of these programmes is accredited by the {navttc} or any other body. The {nvqf} "
        "levels show the *intended direction of alignment* only (descriptive); accreditation would have to be sought programme by programme.",
        navttc=escape_md(t.first_use("NAVTTC")),
        nvqf=escape_md(t.first_use("NVQF")),
    )


def first_use(release: Release) -> FirstUse:
    """The page's glossary terms, written out the first time the page's data texts use them (one per script run, fed in
    page order). The project's own name, Pak AI CoE, is a name: its words are never expanded."""
    first = FirstUse(release)
    first.seen |= {"AI", "CoE"}
    return first


def intro(release: Release, first: FirstUse) -> None:
    """What the page is about, in plain words (TVET written out at first use on the page)."""
    first.seen.add("TVET")
    st.markdown(
        i18n.t(
            "Pak AI CoE is designed as a public–private effort. If the Government adopts it, partners **co-implement** within a national "
            "framework; on the private track they are its **backbone**. Partners range from federal and provincial governments and "
            "{tvet} institutes to industry, philanthropy and international agencies. Every role, body and programme here is *proposed*: "
            "nobody has signed up to any of it yet.",
            tvet=escape_md(texts(release).first_use("TVET")),
        )
    )


def raci_heading(release: Release, first: FirstUse) -> str:
    """The RACI section's header, the letters written out."""
    first.seen.add("RACI")
    return i18n.t("Who does what: {raci}", raci=texts(release).first_use("RACI"))


def track_switch() -> str:
    """Public adoption or private track; in the URL as ?raci_track=."""
    return urlstate.widget(st.segmented_control, "partners", "raci_track", i18n.t("Track"), format_func=track_labels().get, required=True) or "public"


def both_tracks_table(release: Release) -> pd.DataFrame:
    """Every partner category with what it brings and its role on each track, with plain headers."""
    partners = release.table("partners")[["category", "who", "brings", "role_public_track", "role_private_track"]]
    return texts(release).frame(partners, "partners", keep=("category", "who"))


def partner_cards(release: Release, track: str, first: FirstUse) -> None:
    """One card per partner category: what it brings and its role on the chosen track (terms written out at first use)."""
    partners = kept(release, ("partner rows",), lambda: tuple(release.table("partners").itertuples(index=False)))
    column = TRACK_ROLE_COLUMN[track]
    english = english_of(release)
    cards = []
    for p in partners:
        role = getattr(p, column)
        said = english.get(role, role).lower()  # the kind of role reads from the release's English wording
        kind = i18n.t("Backbone") if "backbone" in said else i18n.t("Co-implementer") if "co-implementer" in said else None
        tag = f" <span class='pak-badge'>{escape_html(kind)}</span>" if kind else ""
        cards.append(
            "<div class='pak-card' role='listitem'>"
            f"<p><strong>{escape_html(first(p.category))}</strong>{tag}</p>"
            f"<p class='pak-card-who'>{escape_html(first(p.who))}</p>"
            f"<p><em>{escape_html(i18n.t('Brings:'))}</em> {escape_html(first(p.brings))}</p>"
            f"<p><em>{escape_html(i18n.t('On this track:'))}</em> {escape_html(first(role))}</p>"
            "</div>"
        )
    # one block of escaped HTML, not a bordered container of four Markdown blocks per card: the same cards, drawn
    # without the browser's Markdown renderer (benchmarks/README.md, "Short tables without Markdown")
    with st.container(key="partner-cards"):  # its place held while the HTML element's code loads (screen.css)
        st.html(f"<div class='pak-cards' role='list' aria-label='{escape_html(i18n.t('Partner categories'))}'>{''.join(cards)}</div>")
    if box := folded(i18n.t("Both tracks side by side (table)"), "both-tracks"):  # built once opened (components/folds.py)
        with box:
            both = kept(release, ("both tracks",), lambda: both_tracks_table(release))  # read-only: built once per release
            static_table(both, name=i18n.t("Both tracks side by side (table)"))


def english_of(release: Release) -> dict[str, str]:
    """Translated text -> its English, for a release localized into another language ({} for English)."""
    if release.lang == "en":
        return {}
    return i18n.english_of(release)


def raci_lines(grid: pd.DataFrame) -> list[str]:
    """One Markdown line per activity: who is Accountable, Responsible, Consulted and Informed (the heatmap's letters,
    for screens too narrow for its column headers). `grid`: the chart's table (`activity`, then one column per category)."""
    lines = []
    names = raci_names()
    sep = i18n.t(", ")
    for row in grid.itertuples(index=False):
        cells = dict(zip(grid.columns[1:], row[1:]))
        parts = []
        for letter in RACI_ORDER:
            who = [escape_md(c) for c, v in cells.items() if v == letter]
            if who:
                parts.append(f"**{names[letter].split(' (')[0]}:** {sep.join(who)}")
        lines.append(f"**{escape_md(row[0])}**  \n" + " · ".join(parts))
    return lines


def raci_chart(release: Release, track: str, built: ChartData) -> None:
    """The heatmap in the chart frame, with the key to the letters; on narrow screens the same letters as a list."""
    st.html(_RACI_CSS)
    if i18n.current() != "en":
        st.caption(i18n.t("The letters R, A, C and I are the RACI convention's, kept as written:"))
    st.caption(" · ".join(f"**{k}** = {v}" for k, v in raci_names().items()))
    with st.container(key="raci-wide"):
        chart_frame(
            built.figure,
            point=built.point,
            units=i18n.t("RACI letter per activity and partner category"),
            release=release,
            source=i18n.t("the release's roles, activities and partner categories (proposal design, proposed roles)"),
            data=built.table,
            key=f"raci-{track}",
            alt=i18n.t("RACI matrix for the {track}: each cell shows the letter R, A, C or I.", track=track_labels()[track].lower()),
        )
    with st.container(key="raci-narrow", border=True):
        st.markdown(f"### {escape_md(built.point)}")
        for line in kept(release, ("raci lines", track), lambda: raci_lines(built.table)):  # built: cached per release and track
            st.markdown(line)


def governance(release: Release, track: str, first: FirstUse) -> None:
    """Who decides, who implements, who funds on the chosen track; every body marked proposed (terms written out at first use)."""
    built: Governance = kept(release, ("governance", track), lambda: governance_data(release, track))  # read-only
    bodies = kept(release, ("governance rows", track), lambda: tuple(built.bodies.itertuples(index=False)))
    implementers, paying = built.implementers, built.funders
    labels = texts(release)
    cols = st.columns(3)
    proposed = f":orange-badge[{i18n.t('proposed')}]"
    with cols[0].container(border=True, key="gov-decides"):
        st.markdown(f"**{i18n.t('Who decides')}** · {proposed}")
        for b in bodies:
            status = labels.value("status", b.status, "governance").lower()
            st.markdown(f"- **{escape_md(first(b.name))}** ({escape_md(status)}): {escape_md(first(b.decides))}")
    with cols[1].container(border=True, key="gov-implements"):
        st.markdown(f"**{i18n.t('Who implements')}** · {proposed}")
        st.markdown("\n".join(f"- {escape_md(first(p))}" for p in implementers))
        st.caption(i18n.t("Partner categories Responsible (R) for at least one activity in the RACI above."))
    with cols[2].container(border=True, key="gov-funds"):
        st.markdown(f"**{i18n.t('Who funds')}** · {proposed}")
        st.markdown("\n".join(f"- {escape_md(first(p))}" for p in paying))
        st.caption(i18n.t("Sources with a share on this track in the funding rules (illustrative; nobody has committed money)."))
    if box := folded(i18n.t("Who would sit on each body"), "members"):  # built once opened (components/folds.py)
        with box:
            members = kept(
                release, ("members", track), lambda: labels.frame(built.bodies[["name", "members", "track"]], "governance", keep=("name", "members"))
            )
            static_table(members, name=i18n.t("Who would sit on each body"))


def programmes_shown(release: Release, table: pd.DataFrame) -> pd.DataFrame:
    """The programmes chart's table as users read it: the release's fields under their labels (the columns the chart's
    builder names in words keep their names), without the programme ids."""
    labels = texts(release)
    fields = [c for c in table.columns if c in release.table("programmes").columns]
    return table.drop(columns="programme_id").rename(columns={c: labels.column(c, "programmes") for c in fields})


def programmes_chart(release: Release, built: ChartData) -> None:
    """The programmes chart in the chart frame, after the plain statement that nothing is accredited."""
    st.warning(no_accreditation(release), icon=":material/report:")
    chart_frame(
        built.figure,
        point=built.point,
        units=i18n.t("learner seats a year in one hub of each type"),
        release=release,
        source=i18n.t("the release's programmes and their seats per hub type (proposal design; NVQF levels descriptive, not accredited)"),
        data=kept(release, ("programmes shown",), lambda: programmes_shown(release, built.table)),  # built: cached per release
        key="programmes",
    )
