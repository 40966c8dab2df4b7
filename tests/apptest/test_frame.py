"""The shared frame: release selector (newest valid published by default, in the URL), banner, broken-release panel, drafts."""

from __future__ import annotations

import pytest
from apphelp import ROOT, open_first, open_page, release_notice, texts
from releasekit import copy_release

from pakcoe import list_releases, newest_valid, validate_release
from pakcoe.semver import semver_key


def published_versions(root) -> list[str]:
    """The valid published releases of a releases folder, newest first (what the selector must offer)."""
    reports = [validate_release(p) for p in list_releases(root)]
    return sorted((r.version for r in reports if r.valid and r.published), key=semver_key, reverse=True)


def draft_notices(at) -> list[str]:
    return [w.value for w in at.warning if "Draft release" in w.value]


def test_frame_defaults_to_the_newest_valid_published_release(real_releases):
    offered = published_versions(real_releases)
    newest = newest_valid([validate_release(p) for p in list_releases(real_releases)]).version
    assert offered[0] == newest and {"1.0.0", "1.1.0"} <= set(offered)
    at = open_page()
    assert not at.exception
    sel = at.radio(key="release")
    assert sel.options == [f"{newest} · newest", *offered[1:]]  # the newest marked so
    assert sel.value == newest
    assert "Concept proposal" in at.warning[0].value
    assert "not approved, accredited, funded or adopted" in at.warning[0].value
    assert not draft_notices(at)


def test_release_comes_from_the_url(real_releases):
    at = open_page(query={"release": "1.0.0"})
    assert not at.exception
    assert at.radio(key="release").value == "1.0.0"
    assert "1.0.0" in texts(at)


def test_bad_release_parameter_gives_a_notice_and_the_default(real_releases):
    at = open_page(query={"release": "<script>9.9.9"})
    assert not at.exception
    assert at.radio(key="release").value == published_versions(real_releases)[0]
    notice = [i.value for i in at.info if "asked for data release" in i.value]
    assert notice and "\\<script\\>9\\.9\\.9" in notice[0]  # shown literally, escaped for Markdown


def test_broken_newer_release_is_listed_and_the_last_good_one_served(releases):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.2.0")
    row = broken.edit_cell("hubs.csv", "hub_id", "karachi-4", "lat", "north")
    at = open_page()
    assert not at.exception
    assert at.radio(key="release").options == ["1.0.0 · newest"]
    panel = [e for e in at.expander if "1.2.0 failed validation" in e.label]
    assert panel and "Showing release 1.0.0" in panel[0].label
    problems = panel[0].dataframe[0].value
    hit = problems[(problems["file"] == "hubs.csv") & (problems["field"] == "lat")]
    assert hit["row"].tolist() == [row] and hit["rule"].tolist() == ["type"] and hit["value"].tolist() == ["north"]
    assert "published-immutable" in problems["rule"].tolist()  # edited after publication, too
    assert at.title[0].value == "Pak AI CoE"


def test_no_valid_release_at_all_says_so_without_a_traceback(releases):
    broken = copy_release(releases, "1.0.0")
    broken.write_bytes("hubs.csv", b"")
    at = open_page()
    assert not at.exception
    assert any("No valid published data release" in e.value for e in at.error)
    assert any("1.0.0 failed validation" in e.label for e in at.expander)


def test_a_published_release_edited_and_rehashed_is_not_served(releases):
    copy_release(releases, "1.0.0")
    edited = copy_release(releases, "1.1.0")
    edited.edit_cell("gaps.csv", "gap_id", "G2", "title", "Quietly changed")  # every file hash rebuilt
    at = open_page()
    assert at.radio(key="release").options == ["1.0.0 · newest"]
    panel = next(e for e in at.expander if "1.1.0 failed validation" in e.label)
    problems = panel.dataframe[0].value
    assert problems[["file", "rule"]].values.tolist() == [["datapackage.json", "published-immutable"]]
    assert "it has been edited — make a new release instead" in problems["message"].iloc[0]


def test_a_draft_is_never_the_default_nor_offered_without_a_link(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", draft=True)
    at = open_page()
    assert not at.exception
    sel = at.radio(key="release")
    assert sel.options == ["1.0.0 · newest"] and sel.value == "1.0.0"
    assert not draft_notices(at)
    assert not [e for e in at.expander if "failed validation" in e.label]


def test_a_draft_link_shows_the_draft_with_one_notice_on_every_page(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", ROOT / "data" / "releases" / "1.1.0", draft=True)
    at = open_page(query={"release": "1.1.0"})
    assert not at.exception
    sel = at.radio(key="release")
    assert sel.options == ["1.1.0 · draft", "1.0.0 · newest"] and sel.value == "1.1.0"  # a linked draft, marked so
    [notice] = draft_notices(at)
    assert "not published" in notice and "may still change" in notice and "newest published release is 1.0.0" in notice
    assert "Concept proposal" in at.warning[0].value  # the status banner stays first
    assert "does not hold this section" not in texts(at)  # the page shows 1.1.0's content
    at.switch_page(str(ROOT / "pages" / "data.py")).run()
    assert not at.exception
    assert at.radio(key="release").value == "1.1.0" and len(draft_notices(at)) == 1
    assert {m.label: m.value for m in at.metric}["Release"] == "1.1.0"
    at.radio(key="release").set_value("1.0.0").run()  # back to the published release: the notice goes
    assert not at.exception and not draft_notices(at) and at.radio(key="release").value == "1.0.0"


def test_a_broken_draft_link_gives_a_notice_its_problems_and_the_default(releases):
    copy_release(releases, "1.0.0")
    draft = copy_release(releases, "1.1.0", draft=True)
    draft.edit_cell("gaps.csv", "gap_id", "G2", "response_pillar", "magic")
    at = open_page(query={"release": "1.1.0"})
    assert not at.exception
    assert at.radio(key="release").value == "1.0.0" and not draft_notices(at)
    assert any("not a valid published release" in i.value for i in at.info)
    assert any(e.label.startswith("Draft data release 1.1.0 failed validation") for e in at.expander)


def test_only_a_draft_is_no_release_to_serve_even_when_linked(releases):
    copy_release(releases, "1.0.0", draft=True)
    at = open_page(query={"release": "1.0.0"})
    assert not at.exception
    assert any("No valid published data release" in e.value for e in at.error)
    assert not at.radio


PAGES = ("overview", "map", "phases", "compare", "methodology", "funding", "partners", "data")


def release_notices(at) -> list[str]:
    """The frame's release notices of the run (there is at most one): about a draft or what a release lacks."""
    return [w.value for w in at.warning if w.value.startswith(("**Data release", "**Draft release")) or "lacks" in w.value]


def test_one_notice_on_every_page_lists_what_release_1_1_0_lacks(pinned_releases, release):
    from components.escape import escape_md
    from pakcoe.model import model_inputs

    missing = model_inputs(release).missing_rules
    assert missing  # release 1.1.0 predates the rules model 2 reads
    for page in PAGES:
        at = open_page(page if page != "overview" else None)
        assert not at.exception, page
        summary, details = release_notice(at)
        assert summary.startswith("**Data release 1.1.0 lacks**") and f"{len(missing)} rules the rollout model uses" in summary, page
        for what, default in missing:
            assert f"- {escape_md(what)}: {escape_md(default)}." in details, (page, what)
        assert "the rules of the dual track \\(Methodology\\)" in details and "the risks and who owns them" in details
        assert not [i.value for i in at.info if "does not hold this section" in i.value or "has no rules table" in i.value], page


def test_a_draft_that_lacks_nothing_says_only_that_it_is_a_draft(releases):
    from pakcoe.model import model_inputs

    copy_release(releases, "1.2.0", ROOT / "data" / "releases" / "1.2.0")
    copy_release(releases, "9.0.0", ROOT / "data" / "releases" / "1.3.0", draft=True)  # a release that lacks no rule, as a draft
    draft = validate_release(releases / "9.0.0")
    assert draft.valid and not draft.published
    assert not model_inputs(draft.release).missing_rules
    at = open_page(query={"release": draft.version})
    summary, details = release_notice(at)
    assert summary.startswith(f"**Draft release {draft.version}.**") and "lacks" not in summary and details == ""


def test_a_complete_published_release_has_no_notice(releases):
    from pakcoe.model import model_inputs

    copy_release(releases, "1.3.0", ROOT / "data" / "releases" / "1.3.0")  # as if published: it lacks nothing
    at = open_page()
    assert not at.exception
    assert at.radio(key="release").value == "1.3.0"
    assert not model_inputs(validate_release(releases / "1.3.0").release).missing_rules
    assert release_notices(at) == []


# --- the frame in Urdu (?lang=ur) and the language switch --------------------------------------------------------


def in_language(lang: str):
    """Make `lang` current in the test's own thread: AppTest formats the widgets' values (format_func) here before
    each run, and a page drawn in Urdu formats them in Urdu."""
    from pakcoe import i18n

    return i18n.set_current(lang)


def frame_leaks(at) -> list[str]:
    """The frame's texts of the run that read as English: the whole sidebar (switch, release selector, section picker,
    glossary's label), the status banner, the draft-translation line, the frame's notices and panels."""
    from urdu import english_leaks

    from pakcoe.i18n import arabic_share

    leaks = english_leaks(at.sidebar)
    frame = [at.warning[0].value] + [w.value for w in at.warning if "release" in w.value.lower() or "ریلیز" in w.value]
    frame += [i.value for i in at.info] + [e.label for e in at.expander if "ریلیز" in e.label or "release" in e.label.lower()]
    frame += [c.value for c in at.caption if "translate" in c.value]
    return leaks + [text for text in frame if arabic_share(text) < 0.5]


def test_the_frame_in_urdu_has_no_english(real_releases, urdu_thread):
    from pakcoe import i18n, load_release, newest_valid

    for page in ("data", "overview", "methodology"):
        at = open_first(page, {"lang": "ur"})
        assert not at.exception, page
        assert frame_leaks(at) == [], page
        banner = at.warning[0].value
        assert banner.startswith("**تصوراتی تجویز، منظور شدہ نہیں۔**") and "Pak AI CoE" in banner, page  # the disclaimer's meaning kept
        switch = at.button_group(key="lang")
        assert switch.value == "ur" and switch.label.endswith("زبان") and switch.options == ["English", "اردو"]
        assert at.radio(key="release").label == "ڈیٹا ریلیز"
        assert [e.label for e in at.sidebar.expander] == ["اصطلاحات کی فرہنگ"]
    newest = newest_valid([validate_release(p) for p in list_releases(real_releases)]).version
    draft = i18n.draft_share(i18n.localize(load_release(real_releases / newest), "ur")) > 0
    assert any("اردو ترجمہ مسودہ ہے" in c.value for c in at.caption) == draft


def test_english_pages_say_nothing_about_the_urdu_draft(real_releases):
    at = open_page()
    assert not at.exception
    assert at.button_group(key="lang").value == "en" and at.button_group(key="lang").label.endswith("Language")
    assert not [c.value for c in at.caption if "اردو" in c.value]
    assert "lang" not in at.query_params


def test_the_switch_is_bound_to_the_address_and_survives_page_changes(pinned_releases, urdu_thread):
    at = open_first("phases", {"lang": "ur"})
    assert not at.exception and at.query_params["lang"] == "ur"
    assert at.session_state["lang"] == "ur"
    at.switch_page(str(ROOT / "pages" / "data.py")).run()  # a page change keeps the language and the address's lang
    assert not at.exception and at.query_params["lang"] == "ur" and at.session_state["lang"] == "ur"
    assert at.warning[0].value.startswith("**تصوراتی تجویز")
    at.button_group(key="lang").set_value("en").run()  # back to English: the address drops lang (the default)
    assert not at.exception and "lang" not in at.query_params
    assert at.warning[0].value.startswith("**Concept proposal.**")
    in_language("en")
    at.button_group(key="lang").set_value("ur").run()
    assert not at.exception and at.query_params["lang"] == "ur" and at.warning[0].value.startswith("**تصوراتی تجویز")


@pytest.mark.parametrize("bad", ["xx", "UR", "<script>", ""])
def test_a_bad_language_in_the_link_reads_as_english_and_leaves_the_address(pinned_releases, bad):
    at = open_page(query={"lang": bad})
    assert not at.exception
    assert at.session_state["lang"] == "en" and "lang" not in at.query_params
    assert at.warning[0].value.startswith("**Concept proposal.**")


def test_the_release_notice_in_urdu_lists_what_1_1_0_lacks_with_urdu_dates(pinned_releases, urdu_thread):
    from pakcoe import i18n, load_release

    at = open_first("data", {"lang": "ur", "release": "1.0.0"})
    assert not at.exception and frame_leaks(at) == []
    summary = next(w.value for w in at.warning if "آپ ریلیز 1.0.0 دیکھ رہے ہیں" in w.value)
    created = str(load_release(pinned_releases / "1.0.0").descriptor.get("created", ""))
    if created:
        assert i18n.date(created, "ur") in summary  # Urdu month names
    assert "ریلیز 1.1.0 نے" in summary  # the newest, and what it changed
    at = open_first("methodology", {"lang": "ur"})  # 1.1.0, the default here, lacks rules of the model
    assert not at.exception and frame_leaks(at) == []
    details = next(e for e in at.expander if e.label.startswith("ڈیٹا ریلیز 1.1.0 میں کیا موجود نہیں"))
    text = "\n".join(m.value for m in details.markdown)
    assert "**نفاذ کے ماڈل کے قواعد" in text and "دوہرے ٹریک کے قواعد \\(طریقۂ کار\\)" in text


def test_a_broken_release_and_a_bad_release_link_in_urdu(releases, urdu_thread):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.2.0")
    broken.edit_cell("hubs.csv", "hub_id", "karachi-4", "lat", "north")
    at = open_first("data", {"lang": "ur", "release": "<b>9.9"})
    assert not at.exception and frame_leaks(at) == []
    assert any("\\<b\\>9\\.9" in i.value and "درست شائع شدہ ریلیز نہیں" in i.value for i in at.info)  # escaped, in Urdu
    panel = next(e for e in at.expander if "1.2.0" in e.label)
    assert "جانچ میں ناکام" in panel.label and "ریلیز 1.0.0 دکھائی جا رہی ہے" in panel.label


def test_a_bad_link_value_gives_its_notice_in_urdu(pinned_releases, urdu_thread):
    at = open_first("map", {"lang": "ur", "section": "coverage", "radius": "7"})
    assert not at.exception
    notice = [i.value for i in at.info if "“7”" in i.value]
    assert notice and "رسائی کا نصف قطر \\(km\\)" in notice[0] and "دستیاب نہیں" in notice[0]


def test_every_label_the_registry_and_the_release_notice_show_has_urdu():
    from pakcoe import i18n, lacks, registry

    table = i18n.ui_table()
    labels = {p.title for p in registry.PAGES} | {q.label for p in registry.PAGES for q in p.all_params}
    labels |= {label for sections in registry.SECTIONS.values() for label in sections.values()}
    labels |= {label for _, label in lacks.SECTIONS}
    assert sorted(label for label in labels if label not in table) == []
    page = registry.page("partners")
    assert registry.page_title(page, "ur") == "شراکت دار اور کردار" and registry.page_title(page, "en") == "Partners & roles"
    with i18n.using("ur"):
        assert registry.param_label(registry.page("map").param("radius")) == "رسائی کا نصف قطر (km)"


def test_badges_and_chart_style_in_urdu(release):
    import plotly.graph_objects as go

    from components import badges, chart
    from pakcoe import i18n

    with i18n.using("ur"):
        assert badges.badge(release, None) == ":orange-badge[:material/science: مثالی مفروضہ]"
        sourced = release.assumptions.dropna(subset=["source_id"]).iloc[0]
        assert ":material/verified: ماخذ: " in badges.badge(release, sourced["source_id"])
        fig = chart.style(go.Figure(go.Bar(x=["a"], y=[1])))
        assert fig.layout.font.family.startswith("Noto Nastaliq Urdu") and fig.layout.hoverlabel.font.family.startswith("Noto Nastaliq Urdu")
        assert fig.layout.title.x == 1 and fig.layout.title.xanchor == "right" and fig.layout.margin.t > 10
        assert chart.font_family().startswith("Noto Nastaliq Urdu") and chart.csv_lines("نقطہ", "حب") == ("چارٹ: نقطہ", "اکائیاں: حب")
    assert badges.badge(release, None) == ":orange-badge[:material/science: Illustrative assumption]"
    english = chart.style(go.Figure(go.Bar(x=["a"], y=[1])))
    assert english.layout.font.family is None and english.layout.margin.t == 10 and chart.font_family() is None


def test_the_screen_sheet_survives_st_html():
    """st.html drops a style element whose text holds '<' followed by a letter (its sanitizer's guard): the sheet
    must hold none, or none of its rules (phones, right to left, the Nastaliq font) reach the page."""
    from components.printing import SCREEN

    assert "<" not in SCREEN
    assert 'html[lang="ur"]' in SCREEN and "Noto Nastaliq Urdu" in SCREEN


def test_a_charts_csv_has_its_metadata_in_the_language_it_was_asked_in_and_its_column_ids_as_they_are(release):
    import io
    import threading

    import pandas as pd

    from components import chart
    from pakcoe import i18n
    from pakcoe.i18n import arabic_share

    data = pd.DataFrame({"quarter": ["2027Q1"], "hubs_open": [12]})
    with i18n.using("ur"):
        make = chart.csv_maker(data, release, "ماخذ", "حب کھلتے ہیں", "حب")
    made: list[str] = []
    worker = threading.Thread(target=lambda: made.append(make()))  # a download is made outside the script run
    worker.start()
    worker.join()
    text = made[0]
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert "# چارٹ: حب کھلتے ہیں" in header and "# اکائیاں: حب" in header
    assert header[0].startswith("# تصوراتی تجویز، منظور شدہ نہیں") and arabic_share(header[1]) >= 0.5, header  # status, release
    assert list(pd.read_csv(io.StringIO(text), comment="#").columns) == ["quarter", "hubs_open"]
    english = chart.csv_maker(data, release, "Source", "Hubs open", "hubs")()
    assert "# Chart: Hubs open" in english and "# Units: hubs" in english


def test_the_nastaliq_font_faces_point_at_the_served_files_and_only_at_urdu_letters():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    faces = config["theme"]["fontFaces"]
    assert {f["family"] for f in faces} == {"Noto Nastaliq Urdu"} and {int(f["weight"]) for f in faces} == {400, 700}
    for face in faces:
        assert face["url"].startswith("app/static/vendor/noto-nastaliq-urdu/")
        assert (ROOT / face["url"].removeprefix("app/")).is_file(), f"{face['url']}: run `make assets`"
        assert face["unicodeRange"].startswith("U+0600-06FF") and "U+0000" not in face["unicodeRange"]  # Latin keeps the theme's font
    assert config["theme"]["font"] == "sans serif"  # English pages are drawn as before


def test_the_urdu_says_it_is_a_draft_translation_and_english_does_not():
    from pakcoe import i18n

    draft = i18n.ui_table()[":material/translate: The Urdu translation is a draft: it has not yet been reviewed."]
    urdu = open_page(query={"lang": "ur"})
    assert any(c.value == draft for c in urdu.caption)
    english = open_page()
    assert not any("translate" in c.value for c in english.caption)
