"""Compare options: 2-4 rollout options side by side over one horizon, with ranges, gates, warnings and a custom option built from levers, all in the URL."""

import streamlit as st

from components import cached, deferred, export_buttons, frame, lang, own_options, rollout, sections
from components.rollout_figures import key_figures
from pakcoe.i18n import t

lang.sync()  # the frame has set it already; again here so the page run on its own (AppTest's first page) speaks it too
release = frame.current_release()
st.title(t("Compare rollout options"))
st.markdown(
    t(
        "Pick two to four rollout options, one of them the baseline, and see how the network, the learners and the money differ. "
        "Every figure is **illustrative model output** from the selected data release, not a forecast or a commitment."
    )
)
rollout.compare_terms(release)
link_box = st.empty()
chosen, baseline = rollout.option_choice(release)
levers, lever_specs = rollout.levers_box(chosen), cached.rollout_levers(release.version)
custom = None  # not compared, folded and not in the link: its levers are not drawn (their values stay in the session)
if levers.open or rollout.CUSTOM in chosen or rollout.levers_in_link(lever_specs):
    with levers:
        custom = rollout.custom_levers(release, lever_specs, active=rollout.CUSTOM in chosen)
with st.expander(t("Your own options"), expanded=own_options.uploaded(release) is not None, icon=":material/upload_file:"):
    own_options.panel(release)
own_options.link_note(chosen)
rollout.copy_link(link_box, release, final=False)  # the first screen complete now; the final link at the end, in its place
if len(chosen) < 2:
    st.warning(t("Choose at least two options to compare."), icon=":material/compare_arrows:")
    rollout.copy_link(link_box, release)
    st.stop()
runs, labels = rollout.scenarios(release, chosen, custom)
runs = rollout.at_horizon(runs, cached.comparison_horizon(release.version, runs))
data = cached.compare(release.version, runs, labels)
base_i = chosen.index(baseline) if baseline in chosen else 0
sections.picker("compare", release)

st.header(t("Key figures over the horizon"), divider="gray", anchor="figures")
rollout.horizon_line(release, data)
ranges = cached.option_ranges(release.version, runs)
rollout.key_figures_table(key_figures(data.labels, data.results, ranges, base_i))
deferred.fold()  # a first visit's first run ends here, below its first screen; the rest comes in the next run
export_buttons.compare_csv(release, data, labels[base_i], ranges)
rollout.ties_panel(data)
st.header(t("What differs between these options"), divider="gray", anchor="differs")
rollout.what_differs(data)
st.header(t("Phase gates: when each is met"), divider="gray", anchor="gates")
rollout.gates_panel(data)
st.header(t("Warnings: what goes wrong, and what would help"), divider="gray", anchor="warnings")
rollout.warnings_panel(data)
st.header(t("Over time"), divider="gray", anchor="over-time")
rollout.compare_charts(release, data)
st.header(t("What moves the baseline's results most"), divider="gray", anchor="sensitivity")
rollout.sensitivity_chart(release, cached.sensitivity(release.version, runs[base_i], labels[base_i]), labels[base_i])
st.header(t("Provinces: options and allocation rules"), divider="gray", anchor="provinces")
rollout.allocation_panel(release, data)
st.header(t("Notes on the data and the model"), divider="gray", anchor="notes")
rollout.data_notes(cached.data_notes(release.version))
st.page_link("pages/methodology.py", label=t("Methodology: every formula and assumption, with its source"), icon=":material/function:")
rollout.copy_link(link_box, release)
