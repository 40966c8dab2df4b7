"""Hub map: the demonstrator city's cluster and the national network, with filters, hub detail and coverage."""

import streamlit as st

from components import cached, foliumview, frame, hubmap, lang, map_data, mappage, own_sites, urlstate
from pakcoe import i18n
from pakcoe.i18n import t
from pakcoe.provenance import boundary_text

lang.sync()  # the frame has set it already; again here so the page run on its own (AppTest's first page) speaks it too
release = frame.current_release()
st.title(t("Hub map"))
choices = cached.filter_choices(release.version)
view, hub_filter = mappage.current_state(choices)
bar = st.columns([3, 1], vertical_alignment="bottom")
with bar[0]:
    mappage.view_switch(choices)
with bar[1]:
    mappage.filters(choices, hub_filter)
hubs = map_data.view_hubs(release, view, hub_filter)
total = map_data.view_total(release, view)
summary = map_data.filter_summary(choices, hub_filter)
shown = t("Showing {n} of {total} proposed hubs in this view", n=i18n.num(len(hubs)), total=i18n.num(total))
filtered = [t("filtered to {summary} (open Filters to change or clear them)", summary=summary)] if summary else []
st.caption(" · ".join([shown, *filtered, t("hover a hub for its name, click it for details")]))

urlstate.seed("map", "radius")  # the Coverage tab's reach radius, which the comparison with your own sites uses too
sites = own_sites.panel(release, st.session_state["radius"])

tabs, section = mappage.sections()
if section == "map":
    with tabs["map"]:
        left, right = st.columns([3, 2], gap="medium")
        with left:
            payload = own_sites.map_payload(release, view, hub_filter, hubs, sites)  # the cached map, or with your sites
            with st.container(key="pak-map-frame"):  # its height is kept from the first paint (components/styles/screen.css)
                out = foliumview.show(payload, key=f"hubmap-{view}" + ("-own" if sites is not None else ""), height=560)
            click = (out or {}).get("last_object_clicked")
            if click and click != st.session_state.get("map-last-click"):
                st.session_state["map-last-click"] = click
                clicked = hubmap.hub_at(hubs, click["lat"], click["lng"])
                if clicked:
                    st.session_state["hub"] = clicked
                if sites is not None:
                    own_sites.clicked(sites, click["lat"], click["lng"])
            st.caption(boundary_text() + ("" if view == map_data.NATIONAL else " " + hubmap.district_note()))
            mappage.map_image(release, view, hub_filter)
        with right:
            hub_id = mappage.hub_picker(cached.hub_labels(release.version))
            if hub_id:
                mappage.detail_panel(release, hub_id)
            else:
                st.info(t("Click a hub on the map, or choose one above, to see everything about it."), icon=":material/touch_app:")
            if sites is not None:
                own_sites.details(release, sites)
elif section == "coverage":
    with tabs["coverage"]:
        radius = mappage.radius_slider()
        mappage.coverage(release, cached.coverage(release.version, view, hub_filter, radius))
else:
    with tabs["hubs"]:
        mappage.hub_table(release, hubs)
