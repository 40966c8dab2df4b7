"""Funding page: the Sankey, branches and yearly mix equal pakcoe.model runs (as on Compare); the URL holds the view; bad links are safe."""

from __future__ import annotations

import json

import pytest
from apphelp import ROOT, chart_spec, open_clean, open_first, open_page, plotly_values, texts
from streamlit.testing.v1 import AppTest

from pakcoe.funding import phase_funding
from pakcoe.model import run_model, scenario_from_option

FUNDING = str(ROOT / "pages" / "funding.py")


def open_funding(query: dict | None = None) -> AppTest:
    """Open the funding page as the first page of the session (as a shared link does)."""
    return open_clean("funding", query)


figure = chart_spec


def sankey(at: AppTest) -> dict:
    """Node labels, link source/target/value and per-node totals (out of sources, into tracks and uses)."""
    trace = figure(at, "funding-sankey")["data"][0]
    assert trace["type"] == "sankey"
    labels = trace["node"]["label"]
    src, tgt, val = (plotly_values(trace["link"][k]) for k in ("source", "target", "value"))
    out_of = [sum(v for s, v in zip(src, val) if s == i) for i in range(len(labels))]
    into = [sum(v for t, v in zip(tgt, val) if t == i) for i in range(len(labels))]
    return {"labels": labels, "src": src, "tgt": tgt, "val": val, "out": out_of, "in": into}


def node(s: dict, start: str) -> int:
    found = [i for i, label in enumerate(s["labels"]) if label.startswith(start)]
    assert len(found) == 1, (start, s["labels"])
    return found[0]


def check_sankey_equals_model(s: dict, quarters, divisor: float) -> None:
    """Source nodes = the model's source_* totals; track nodes = track_*; use nodes = capex_*/opex_*; all = cost."""
    names = {
        "federal": "Federal development budget",
        "provincial": "Provincial development budgets",
        "private_sector": "Private sector",
        "philanthropy": "Philanthropy",
        "international": "International development partners",
        "fees": "Learner fees",
    }
    for sid, name in names.items():
        want = quarters[f"source_{sid}"].sum() / divisor
        if want > 1e-9:
            assert s["out"][node(s, name)] == pytest.approx(want)
        else:
            assert not any(label.startswith(name) for label in s["labels"])
    for track, name in (("public", "Public adoption track"), ("private", "Private track")):
        want = quarters[f"track_{track}"].sum() / divisor
        if want > 1e-9:
            assert s["in"][node(s, name)] == pytest.approx(want)
            assert s["out"][node(s, name)] == pytest.approx(want)
    for column, name in (
        ("capex_infrastructure", "Infrastructure"),
        ("capex_compute", "Compute"),
        ("opex_instructors", "Instructors"),
        ("opex_programmes", "Programme delivery"),
        ("opex_operations", "Operations"),
    ):
        assert s["in"][node(s, name)] == pytest.approx(quarters[column].sum() / divisor)
    from_sources = sum(v for i, v in zip(s["src"], s["val"]) if not s["labels"][i].startswith(("Public adoption track", "Private track")))
    assert from_sources == pytest.approx(quarters["cost"].sum() / divisor)


def test_default_view_sankey_equals_the_model(pinned_releases, release):
    at = open_funding()
    assert at.button_group(key="fund_option").value == "public-on-time"
    assert at.segmented_control(key="fund_phase").value == "all"
    assert at.segmented_control(key="fund_currency").value == "PKR"
    result = run_model(release, scenario_from_option(release, "public-on-time"))
    check_sankey_equals_model(sankey(at), result.quarters, 1.0)
    assert f"PKR {result.summary.total_cost:,.0f} M in all" in texts(at).replace("\\", "")


@pytest.mark.parametrize("option", ["public-on-time", "public-delayed-4q", "private-only", "fast-small"])
def test_every_option_matches_the_model_as_on_compare(pinned_releases, release, option):
    at = open_funding({"fund_option": option})
    result = run_model(release, scenario_from_option(release, option))
    check_sankey_equals_model(sankey(at), result.quarters, 1.0)
    mix = figure(at, "funding-mix")
    assert sum(sum(plotly_values(t["y"])) for t in mix["data"]) == pytest.approx(result.summary.total_cost)
    assert all(t["marker"]["pattern"]["shape"] is not None for t in mix["data"])


def test_url_preset_reproduces_option_phase_and_currency(pinned_releases, release):
    at = open_funding({"fund_option": "public-delayed-4q", "fund_phase": "2", "fund_currency": "USD"})
    assert at.button_group(key="fund_option").value == "public-delayed-4q"
    assert at.segmented_control(key="fund_phase").value == "2"
    assert at.segmented_control(key="fund_currency").value == "USD"
    usd = release.param("usd_pkr")
    f = phase_funding(release, scenario_from_option(release, "public-delayed-4q"), 2)
    s = sankey(at)
    assert sum(s["val"][i] for i, src in enumerate(s["src"]) if s["labels"][src].startswith("Federal")) == pytest.approx(
        f.loc[f["source_id"] == "federal", "amount"].sum() / usd
    )
    assert sum(v for i, v in zip(s["tgt"], s["val"]) if "Operations" in s["labels"][i]) == pytest.approx(f.loc[f["use"] == "operations", "amount"].sum() / usd)
    assert all("USD" in label for label in s["labels"])
    assert at.query_params["fund_option"] in ("public-delayed-4q", ["public-delayed-4q"])
    assert "Phase 2" in texts(at)


def test_widgets_write_the_view_to_the_url(pinned_releases):
    at = open_funding()
    at.button_group(key="fund_option").set_value("private-only").run()
    at.segmented_control(key="fund_phase").set_value("3").run()
    at.segmented_control(key="fund_currency").set_value("USD").run()
    assert not at.exception
    q = {k: at.query_params[k] for k in ("fund_option", "fund_phase", "fund_currency")}
    assert {k: v if isinstance(v, str) else v[0] for k, v in q.items()} == {"fund_option": "private-only", "fund_phase": "3", "fund_currency": "USD"}
    labels = sankey(at)["labels"]
    assert not any(label.startswith(("Federal", "Provincial", "Public adoption track")) for label in labels)


def test_garbage_parameters_give_notices_and_defaults(pinned_releases):
    at = open_funding({"fund_option": "<script>alert(1)</script>", "fund_phase": "9", "fund_currency": "EUR"})
    notes = " ".join(i.value for i in at.info)
    for label in ("Rollout option", "Phase", "Currency"):  # the control's label, never the parameter's name
        assert f"The link's value for “{label}”" in notes, notes
    assert "fund_" not in notes.replace("\\", "")
    assert "<script>" not in notes
    assert at.button_group(key="fund_option").value == "public-on-time"
    assert at.segmented_control(key="fund_phase").value == "all"
    assert at.segmented_control(key="fund_currency").value == "PKR"


def test_branches_show_model_consequences_and_label_public_money(pinned_releases, release):
    at = open_funding()
    body = texts(at).replace("\\", "")
    for title in ("Adopted and funded on time", "Public funding delayed", "Not approved"):
        assert title in body
    for option in ("public-on-time", "public-delayed-4q", "private-only"):
        result = run_model(release, scenario_from_option(release, option))
        spec = figure(at, f"branch-chart-{result.scenario.public_decision}")
        ends = {t["name"]: plotly_values(t["y"])[-1] for t in spec["data"]}
        assert ends["Public track"] == result.quarters["hubs_active_public_track"].iloc[-1]
        assert ends["Private track"] == result.quarters["hubs_active_private_track"].iloc[-1]
    private = run_model(release, scenario_from_option(release, "private-only")).summary
    # international partners are their own, non-government category: never counted as government (public) money
    assert f"International partners (non-government): **PKR {private.international_money:,.0f} M**" in body
    assert private.international_money > 0 and private.government_money == 0
    assert "Government budgets: **PKR 0 M**" in body
    assert "public, non-government" not in body
    # the funding gap is real: the page says how much and where it comes from
    assert f"Funding gap: **PKR {private.funding_gap:,.0f} M**" in body and private.funding_gap > 0.5
    assert "money missing against the plan at the planned time" in body
    assert "Missing from " in body
    assert "Source: ARY News" in body and "Illustrative assumption" in body


def test_older_release_still_draws(pinned_releases):
    at = open_page("funding", query={"release": "1.0.0"})  # the frame reads ?release= on the session's first run
    assert not at.exception and not at.error
    assert at.get("plotly_chart")
    assert "Data release 1.0.0" in texts(at).replace("\\", "")


def test_provenance_tables_list_every_figure_with_its_badge(pinned_releases, release):
    at = open_funding({"fund_option": "public-delayed-4q"})
    tables = ["\n".join(m.value for m in tab.markdown) for tab in at.tabs if tab.label.startswith(("Who pays", "Decision", "Model inputs"))]
    assert len(tables) == 3
    sankey_rows = [line for line in tables[0].splitlines() if line.startswith("- ")]  # one list item per figure (wraps on a phone)
    assert len(sankey_rows) == len(sankey(at)["labels"])
    assert all("Illustrative assumption" in row for row in sankey_rows)
    inputs = tables[2]
    rate = next(row for row in inputs.splitlines() if "Exchange rate" in row)
    assert ":green-badge[:material/verified: Source: ARY News" in rate
    assert "government budget" in tables[0] and "international partner \\(non\\-government\\)" in tables[0]
    assert "public, non" not in tables[0]
    branches = tables[1]
    assert "Zero by construction" not in branches and "Money missing against the plan at the planned time" in branches


@pytest.mark.parametrize("option", ["public-on-time", "public-delayed-4q", "private-only"])
def test_funding_figures_equal_the_compare_page_for_the_same_option(pinned_releases, release, option):
    """The Sankey's track totals (PKR million, the release's model horizon) = the Compare page's cumulative spend by track
    (PKR bn) at the last quarter of that horizon: Compare runs a longer horizon, and the model never looks ahead."""
    s = sankey(open_funding({"fund_option": option}))
    compare = open_first("compare", {"options": [option, "fast-small"], "baseline": option})
    assert not compare.exception
    spend = json.loads(next(c for c in compare.get("plotly_chart") if "compare-spend" in c.proto.id).proto.spec)["data"]
    names = {t["name"] for t in spend}
    name = next(n for n in names if not n.startswith("Faster, smaller network"))
    public, private = (plotly_values(t["y"]) for t in spend if t["name"] == name)
    last = int(release.param("horizon_quarters")) - 1
    assert len(public) > last
    for track, label, compare_bn in (("public", "Public adoption track", public[last]), ("private", "Private track", private[last])):
        totals = [s["in"][i] for i, lab in enumerate(s["labels"]) if lab.startswith(label)]
        assert (totals[0] if totals else 0.0) / 1000 == pytest.approx(compare_bn, abs=1e-3), track


def test_the_funding_gap_chart_says_where_the_gap_comes_from(pinned_releases, release):
    at = open_funding({"fund_option": "private-only"})
    funding = run_model(release, scenario_from_option(release, "private-only")).funding
    spec = figure(at, "funding-gap")
    assert sum(sum(plotly_values(t["y"])) for t in spec["data"]) == pytest.approx(funding["gap"].sum())
    assert all(t["marker"]["pattern"]["shape"] is not None for t in spec["data"])
    worst = funding.groupby("source_id", observed=True)["gap"].sum().idxmax()
    label = release.table("funding_sources").set_index("source_id").at[worst, "name"]
    assert any(c.value.startswith("Missing from ") and label in c.value.replace("\\", "") for c in at.caption)


def test_a_funding_gap_of_zero_is_one_sentence(real_releases):
    at = open_clean("funding", {"release": "1.3.0", "fund_option": "public-on-time"})
    from pakcoe import load_release

    r = load_release(ROOT / "data" / "releases" / "1.3.0")
    assert run_model(r, scenario_from_option(r, "public-on-time")).summary.funding_gap < 0.5
    assert not [c for c in at.get("plotly_chart") if "funding-gap" in c.proto.id]
    assert any(m.value.startswith("**No funding gap under") for m in at.markdown)


@pytest.mark.parametrize("option", ["public-on-time", "private-only"])
def test_the_key_figures_above_the_sankey_are_the_models_totals_by_kind_of_source(pinned_releases, release, option):
    """In all = the model's cost over the horizon; government budgets, private sources and international partners = the
    model's source totals of each kind (as the release classes its sources); the three make the whole, and each says
    its share; the total says it is model output."""
    from pakcoe.funding import source_kinds

    at = open_funding({"fund_option": option})
    quarters = run_model(release, scenario_from_option(release, option)).quarters
    kinds = source_kinds(release)
    by_kind = {k: sum(quarters[f"source_{s}"].sum() for s, kind in kinds.items() if kind == k) for k in ("government", "private", "international")}
    total = quarters["cost"].sum()
    assert sum(by_kind.values()) == pytest.approx(total)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["In all"] == f"PKR {total:,.0f} M"
    for kind, label in (("government", "Government budgets"), ("private", "Private sources"), ("international", "International partners")):
        assert metrics[label] == f"PKR {by_kind[kind]:,.0f} M", label
    shown = texts(at).replace("\\", "")
    assert "model output, not money committed" in shown
    assert f"{by_kind['government'] / total:.0%} of all" in shown and "of all, non-government money" in shown
    if option == "private-only":
        assert by_kind["government"] == pytest.approx(0) and metrics["Government budgets"] == "PKR 0 M"
