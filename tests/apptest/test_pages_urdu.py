"""Overview, Funding, Partners & roles, Methodology and Data in Urdu (?lang=ur): every text a user reads is Urdu (but
citations, quoted as their sources wrote them), and every figure is the one the English page shows."""

from __future__ import annotations

import json
import re

import pytest
from apphelp import ROOT, chart_spec, folds_opened, open_clean, plotly_values
from urdu import _clean, cited_texts, english_leaks

from components.escape import escape_md
from components.funding_figures import money
from components.methodology import FirstUse
from pakcoe import i18n, load_release
from pakcoe.display import texts
from pakcoe.provenance import STATUS, provenance
from pakcoe.release import read_published
from pakcoe.semver import semver_key

UR = {"lang": "ur"}


def newest():
    versions = sorted(read_published(ROOT / "data" / "releases"), key=semver_key)
    return load_release(ROOT / "data" / "releases" / versions[-1])


def quoted(release) -> set[str]:
    """The release's citations (pakcoe.i18n.CITED), as written and as a page writes them inside Markdown (escaped)."""
    raw = {
        str(v)
        for name, fields in i18n.CITED.items()
        if name in release.tables
        for f in fields
        if f in release.tables[name].columns
        for v in release.tables[name][f].dropna()
    }
    return cited_texts(release) | {_clean(escape_md(v)).strip() for v in raw}


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("overview", {}),
        ("funding", {}),
        ("funding", {"fund_currency": "USD"}),
        ("funding", {"fund_phase": "2"}),
        ("funding", {"fund_option": "private-only", "fund_phase": "3", "fund_currency": "USD"}),
        ("partners", {}),
        ("partners", {"raci_track": "private"}),
        ("methodology", {}),
        ("data", {}),
        ("data", {"table": "assumptions"}),
    ],
)
def test_page_reads_in_urdu(real_releases, page, query):
    at = folds_opened(open_clean(page, UR | query), "ur")  # the folded sections' texts too
    leaks = english_leaks(at, allow=quoted(newest()))
    assert leaks == [], f"{page} {query}: English on the Urdu page:\n" + "\n".join(x[:200] for x in leaks)


def test_funding_figures_are_the_same_in_both_languages(pinned_releases):
    query = {"fund_option": "public-delayed-4q", "fund_currency": "USD"}
    en, ur = open_clean("funding", query), open_clean("funding", UR | query)
    for key in ("funding-sankey",):
        a, b = chart_spec(en, key)["data"][0], chart_spec(ur, key)["data"][0]
        for part in ("source", "target", "value"):
            assert plotly_values(a["link"][part]) == plotly_values(b["link"][part])
        assert a["node"]["color"] == b["node"]["color"]
        assert all(re.search(r"[\u0600-\u06FF]", label) for label in b["node"]["label"])  # node labels in Urdu
    for key in ("funding-mix", "funding-gap"):
        specs = []
        for at in (en, ur):
            charts = [c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id]
            specs.append([sorted(plotly_values(t["y"])) for t in json.loads(charts[0].proto.spec)["data"]] if charts else None)
        assert specs[0] == specs[1], key


def test_funding_amounts_in_words_with_lakh_and_crore(pinned_releases, release):
    at = open_clean("funding", UR)
    from pakcoe.model import run_model, scenario_from_option

    total = run_model(release, scenario_from_option(release, "public-on-time")).summary.total_cost
    body = "\n".join(str(m.value) for m in at.markdown).replace("\\", "")
    assert i18n.money_m(total, "PKR", "ur") in body  # the Sankey's point: the total in arab/crore and rupees
    assert f"PKR {total:,.0f} M" not in body


def test_money_delegates_to_i18n_and_english_is_unchanged():
    assert money(5427, "PKR") == "PKR 5,427 M" and money(19.43, "USD") == "USD 19.4 M" and money(0.01, "PKR") == "PKR 0 M"
    with i18n.using("ur"):
        assert money(5427, "PKR") == i18n.money_m(5427, "PKR") == "5.4 ارب روپے"


def test_partners_letters_and_programmes_are_the_same_in_both_languages(pinned_releases):
    for query in ({}, {"raci_track": "private"}):
        en, ur = open_clean("partners", query), open_clean("partners", UR | query)
        a = [c for c in en.get("plotly_chart") if "raci-" in c.proto.id][0]
        b = [c for c in ur.get("plotly_chart") if "raci-" in c.proto.id][0]
        assert json.loads(a.proto.spec)["data"][0]["text"] == json.loads(b.proto.spec)["data"][0]["text"]  # the RACI letters stay
        p, q = chart_spec(en, "programmes"), chart_spec(ur, "programmes")
        assert [plotly_values(t["x"]) for t in p["data"]] == [plotly_values(t["x"]) for t in q["data"]]
    body = "\n".join(str(c.value) for c in ur.caption)
    assert "**R** = " in body and "ذمہ دار" in body  # the letters kept, their meaning in Urdu


def test_overview_figures_are_the_same_in_both_languages(pinned_releases):
    en, ur = folds_opened(open_clean("overview", {})), folds_opened(open_clean("overview", UR), "ur")
    a, b = (json.loads(at.get("plotly_chart")[0].proto.spec) for at in (en, ur))
    assert sorted(sum(plotly_values(t["y"])) for t in a["data"]) == sorted(sum(plotly_values(t["y"])) for t in b["data"])
    assert {m.label: m.value for m in en.metric}["Proposed hubs at full scale"] == "100"
    urdu = [m for m in ur.metric]
    assert urdu[0].value == "100" and urdu[1].value.replace(" ", "") in ("7میںسے7",)


def test_first_use_spells_out_terms_in_urdu_text():
    release = i18n.localize(newest(), "ur")
    term = texts(release).term("TVET")
    assert term is not None and term.expansion != "TVET"
    first = FirstUse(release)
    out = first("TVET کے ادارے اور TVETکے اساتذہ")
    assert out.startswith(term.first_use) and out.count("TVET") == 2  # spelt out once, then short; Urdu letters against it too


def test_provenance_lines_follow_the_language():
    release = newest()
    from datetime import date

    on = date(2026, 12, 1)
    en = provenance(release, "x", on=on).lines("en")
    ur = provenance(release, "x", on=on).lines("ur")
    assert en[0] == STATUS and "2026-12-01" in en[1]
    assert ur[0] != STATUS and i18n.arabic_share(ur[0]) > 0.5 and "دسمبر" in ur[1]
    assert provenance(release, "x", on=on).lines() == en  # the default: the current language, English here


def test_options_report_text_in_urdu_has_the_same_figures(release):
    from pakcoe.report import format_report, options_report

    data = options_report(release)
    en = format_report(data)
    with i18n.using("ur"):
        ur = format_report(data)
    assert en.splitlines()[0].startswith("Release 1.1.0")
    first = ur.splitlines()[0]
    assert i18n.arabic_share(first) > 0.5 and "1.1.0" in first
    total = data["options"][0]["total_cost_pkr_m"]
    assert f"PKR {total:,.1f} M" in en and i18n.num(total, 1) in ur  # the same figure, grouped the Urdu way
