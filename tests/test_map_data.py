"""The map page's content (components.map_data): views, filter choices and labels come from the release, not from code."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from components.foliumview import payload_of
from components.hubmap import MapSpec, build_map, drawn_hub_ids
from components.map_data import (
    NATIONAL,
    balance_table,
    coverage_data,
    coverage_table,
    coverage_texts,
    filter_choices,
    filter_summary,
    hub_detail,
    hub_rows,
    hub_table_frame,
    location_source,
    nearest_table,
    plain_source,
    view_hubs,
    view_total,
)
from components.mappage import hubs_csv
from pakcoe import i18n, load_release
from pakcoe.coverage import HubFilter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def release():
    return load_release(ROOT / "data" / "releases" / "1.1.0")


def with_tables(release, **tables: pd.DataFrame):
    """The release with some tables replaced (in memory)."""
    return dataclasses.replace(release, tables={**release.tables, **tables})


def test_the_views_are_the_demonstrator_citys_cluster_then_the_national_network(release):
    choices = filter_choices(release)
    assert choices.views == {"karachi": "Karachi cluster", NATIONAL: "National network"}
    assert choices.default_view == "karachi"
    assert choices.types == {"flagship": "Flagship hub", "standard": "Standard hub", "tvet_embedded": "TVET-embedded hub"}
    assert view_total(release, "karachi") == 12 and view_total(release, NATIONAL) == 100


def test_the_cluster_view_follows_the_city_of_the_release_not_a_name_in_code(release):
    """Karachi renamed to another id and name in cities.csv and hubs.csv: the cluster view, its label, its hubs and its
    hub-and-spoke links follow; a hub type renamed in hub_types.csv is renamed in the filters and the details."""
    cities = release.table("cities").replace({"city_id": {"karachi": "khi"}, "name": {"Karachi": "Kolachi *old*"}})
    hubs = release.hubs.replace({"city_id": {"karachi": "khi"}})
    types = release.table("hub_types").replace({"label": {"Flagship hub": "Regional flagship"}})
    changed = with_tables(release, cities=cities, hubs=hubs, hub_types=types)
    choices = filter_choices(changed)
    assert choices.views == {"khi": "Kolachi \\*old\\* cluster", NATIONAL: "National network"}  # Markdown-safe
    cluster = view_hubs(changed, "khi", HubFilter())
    assert len(cluster) == view_total(changed, "khi") == 12 and view_hubs(changed, "karachi", HubFilter()).empty
    p = payload_of(build_map(MapSpec("khi", cluster, changed)))
    assert sorted(drawn_hub_ids(p.script)) == sorted(cluster["hub_id"]) and p.script.count("L.polyline") == 10
    assert filter_summary(choices, HubFilter(hub_types=("flagship",))) == "regional flagships"
    attrs = hub_detail(changed, "quetta-1").attributes.set_index("attribute")["value"]
    assert attrs["Hub type"] == "Regional flagship"


def test_hub_detail_holds_every_attribute_and_the_programmes_of_its_type(release):
    detail = hub_detail(release, "karachi-8")
    attrs = detail.attributes.set_index("attribute")["value"]
    assert detail.name == "Karachi Orangi hub" and attrs["Location precision"] == "Town" and detail.status == "Proposed"
    offers = release.table("programme_offers")
    assert len(detail.programmes) == (offers["hub_type"] == release.hubs.set_index("hub_id").at["karachi-8", "hub_type"]).sum()
    assert list(detail.partners.columns) == ["Category", "Role on the public track", "Role on the private track"]


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "1.5.0"])
def test_hub_detail_and_hub_table_show_no_raw_names(version):
    """Every value the detail panel and the hub table show is a label: no code (snake_case), no id, no file name."""
    rel = load_release(ROOT / "data" / "releases" / version)
    ids = set(rel.hubs["hub_id"]) | set(rel.hubs["province_id"]) | set(rel.hubs["city_id"]) - set(rel.table("cities")["name"].str.lower())
    raw = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|\b[\w-]+\.(csv|json|geojson|py)\b")
    for hub_id in rel.hubs["hub_id"]:
        detail = hub_detail(rel, hub_id)
        shown = [detail.name, detail.status, *detail.attributes["attribute"], *detail.attributes["value"].astype(str)]
        shown += [*detail.programmes.columns, *detail.partners.columns, *detail.partners.astype(str).to_numpy().ravel()]
        assert not [t for t in shown if raw.search(t)], hub_id
        assert not ids & set(detail.attributes["value"]), hub_id
    table = hub_table_frame(rel, rel.hubs)
    cells = [*table.columns, *table.astype(str).to_numpy().ravel()]
    assert not [t for t in cells if raw.search(t)]
    assert not ids & set(cells)
    assert "Status" not in table.columns and len(table.columns) <= 11  # fits the page; the download keeps them


def test_hub_table_download_keeps_machine_ids_status_and_a_metadata_header(release):
    """The CSV keeps the machine column ids and `status`, under `#` lines that say what the file is; pandas reads it
    back with comment='#', every hub and its status intact."""
    hubs = view_hubs(release, NATIONAL, HubFilter(provinces=("SD",)))
    text = hubs_csv(release, hubs)
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header and text.startswith("#")
    assert any("1.1.0" in line for line in header) and any("not approved" in line for line in header)
    assert any(f"{len(hubs)} hubs" in line and "proposed" in line for line in header)
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert list(back.columns) == list(hub_rows(hubs).columns) and "status" in back.columns
    assert back["hub_id"].tolist() == hubs["hub_id"].tolist() and set(back["status"]) == {"proposed"}


def test_a_hostile_name_in_the_csv_is_neither_a_formula_nor_a_comment(release):
    hubs = release.hubs.head(3).copy()
    hubs["name"] = ["=HYPERLINK(1)", "# not a comment", 'quote " and, comma']
    back = pd.read_csv(io.StringIO(hubs_csv(release, hubs)), comment="#")
    assert back["name"].tolist() == ["'=HYPERLINK(1)", "# not a comment", 'quote " and, comma']


def test_location_source_names_the_source_by_title_without_file_paths():
    rel = load_release(ROOT / "data" / "releases" / "1.5.0")
    h = rel.hubs.set_index("hub_id", drop=False)
    saddar = location_source(rel, h.loc["karachi-2"])
    assert "karachi.json" in h.at["karachi-2", "coord_source"] and ".json" not in saddar and "coord_source" not in saddar
    assert saddar.startswith(str(rel.source("karachi-places")["title"]).split(" (")[0]) and "confidence: medium" in saddar
    assert plain_source("List: X (pkg 0.1 areas/a/b.json; confidence: low)") == "List: X (pkg 0.1; confidence: low)"


NO_FILTER = HubFilter()


def coverage_of(release, view, hub_filter=NO_FILTER, radius=25):
    return coverage_data(release, view_hubs(release, view, hub_filter), radius)


def test_coverage_titles_follow_the_data_in_the_cluster_view(release):
    """Karachi's 12 hubs are all Phase 1 and all in Sindh: the bars are said to be identical, and the province-share
    chart is not offered (a sentence says why) instead of claiming small provinces get more hubs."""
    data = coverage_of(release, "karachi")
    words = coverage_texts(data)
    shares = data.coverage["share %"]
    assert shares.nunique() == 1 and f"{shares.iloc[0]:.1f}%" in words.coverage_point and "same after every phase" in words.coverage_point
    assert words.coverage_note and "identical" in words.coverage_note and "12 hubs" in words.coverage_note
    assert words.balance_empty and "Sindh" in words.balance_empty and "12 hubs" in words.balance_empty


def test_coverage_titles_follow_the_data_in_the_national_view(release):
    data = coverage_of(release, NATIONAL)
    words = coverage_texts(data)
    shares = data.coverage["share %"]
    assert shares.nunique() > 1 and words.coverage_note is None and words.balance_empty is None
    assert f"{shares.iloc[0]:.1f}%" in words.coverage_point and f"{shares.iloc[-1]:.1f}%" in words.coverage_point
    bal = data.balance
    over = bal[bal["hub_share"] > bal["population_share"]]["name"].tolist()
    assert words.balance_point.startswith(f"{len(over)} of {len(bal)} provinces and territories hold a larger share")
    assert all(name in words.balance_note for name in over)
    under = set(bal["name"]) - set(over)
    assert not [name for name in under if name in words.balance_note]


def test_coverage_titles_say_why_identical_bars_are_identical(release):
    """Only Phase 1 shown: the bars are identical because no later hub is shown. Later hubs shown that bring no
    further city within reach (the coverage figures set so): identical, and the note says why (not that there are none)."""
    only_first = coverage_texts(coverage_of(release, NATIONAL, HubFilter(phases=(1,))))
    assert "identical" in only_first.coverage_note and "open in Phase 1" in only_first.coverage_note
    data = coverage_of(release, NATIONAL)
    flat = data.coverage.assign(**{"share %": 40.0})
    no_reach = coverage_texts(dataclasses.replace(data, coverage=flat))
    assert "40.0%" in no_reach.coverage_point and "bring no further counted city within 25 km" in no_reach.coverage_note
    empty = coverage_texts(coverage_of(release, NATIONAL, HubFilter(provinces=("nowhere",))))
    assert empty.coverage_point.startswith("No hub shown") and empty.balance_empty.startswith("No hub shown")


def test_coverage_tables_show_names_and_labels_not_ids(release):
    data = coverage_of(release, NATIONAL)
    near = nearest_table(release, data)
    assert "Sindh" in set(near["Province or territory"]) and not set(near["Province or territory"]) & set(release.hubs["province_id"])
    assert not [c for c in near.columns if "_" in c]
    assert not [c for c in [*coverage_table(data).columns, *balance_table(data).columns] if "_" in c]


# --- Urdu -------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def urdu(release):
    """Release 1.1.0 with its texts in Urdu, as the caches hand it to the builders."""
    return i18n.localize(release, "ur")


def mostly_urdu(text: str) -> bool:
    return i18n.arabic_share(text) >= 0.5


def test_the_views_filters_and_hub_details_read_urdu(urdu):
    with i18n.using("ur"):
        choices = filter_choices(urdu)
        summary = filter_summary(choices, HubFilter(phases=(2,), provinces=("KP",), hub_types=("flagship",), host_types=("tvet_institute",)))
        detail = hub_detail(urdu, "karachi-8")
        table = hub_table_frame(urdu, urdu.hubs)
    assert choices.views[NATIONAL] == "قومی نیٹ ورک" and choices.views["karachi"].endswith(" کا جھرمٹ")
    assert all(mostly_urdu(v) for v in choices.views.values())
    assert summary.startswith("مرحلہ 2 \\(") and summary.count("؛ ") == 3 and "میزبان\\: " in summary and mostly_urdu(summary)
    attrs = detail.attributes.set_index("attribute")["value"]
    assert all(mostly_urdu(a) for a in attrs.index), list(attrs.index)
    assert attrs["منصوبہ بند آغاز"] == i18n.quarter(str(urdu.hubs.set_index("hub_id").at["karachi-8", "launch_quarter"]), "ur")
    assert attrs["مرحلہ"].startswith("مرحلہ 1: ") and "اعتماد: کم" in attrs["مقام کا ماخذ"]
    assert attrs["محلِ وقوع"].startswith("\u2066") and attrs["محلِ وقوع"].endswith("\u2069")  # latitude first, left to right
    assert list(detail.programmes.columns)[:2] == ["پروگرام", "NVQF سطح (وضاحتی)"]
    assert set(table["مرحلہ"] if "مرحلہ" in table.columns else table.iloc[:, 4]) == {"مرحلہ 1", "مرحلہ 2", "مرحلہ 3"}
    assert all(q.endswith("سہ ماہی") for q in table.astype(str).to_numpy().ravel() if "سہ ماہی" in q)


def test_the_coverage_texts_and_tables_read_urdu_with_the_same_figures(release, urdu):
    for view, hub_filter in (("karachi", HubFilter()), (NATIONAL, HubFilter()), (NATIONAL, HubFilter(phases=(1,))), (NATIONAL, HubFilter(provinces=("x",)))):
        english = coverage_of(release, view, hub_filter)
        with i18n.using("ur"):
            data = coverage_of(urdu, view, hub_filter)
            words = coverage_texts(data)
            tables = [coverage_table(data), balance_table(data), nearest_table(urdu, data)]
        assert data.coverage["share %"].tolist() == english.coverage["share %"].tolist()  # the same figures
        shown = [w for w in (words.coverage_point, words.coverage_note, words.balance_point, words.balance_note, words.balance_empty) if w]
        assert all(mostly_urdu(w) for w in shown), shown
        assert f"{english.coverage['share %'].iloc[-1]:.1f}%" in words.coverage_point or "کوئی حب" in words.coverage_point
        assert all(mostly_urdu(c) or c.startswith(("NVQF",)) for tb in tables for c in tb.columns), [list(tb.columns) for tb in tables]
        layout = data.coverage_fig.layout
        assert mostly_urdu(layout.yaxis.title.text) and all(mostly_urdu(x) for x in data.coverage_fig.data[0].x)
        assert [tr.name for tr in data.balance_fig.data] == ["حب میں حصہ", "آبادی میں حصہ"]


def test_the_urdu_hub_csv_keeps_machine_ids_under_an_urdu_header(urdu):
    hubs = view_hubs(urdu, NATIONAL, HubFilter(provinces=("SD",)))
    text = hubs_csv(urdu, hubs, "ur")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(f"{len(hubs)} حب؛ ہر ایک مجوزہ ہے" in line for line in header), header
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert list(back.columns) == list(hub_rows(hubs).columns) and set(back["status"]) == {"proposed"}
    assert hubs_csv(urdu, hubs, "en").startswith("#") and any(
        f"{len(hubs)} hubs; every one is proposed" in line for line in hubs_csv(urdu, hubs, "en").splitlines()
    )
