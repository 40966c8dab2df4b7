"""The shared frame: release selector (newest valid published by default, in the URL), banner, broken-release panel, drafts."""

from __future__ import annotations

from apphelp import ROOT, open_page, release_notice, texts
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
    sel = at.selectbox(key="release")
    assert sel.options == offered
    assert sel.value == newest
    assert "Concept proposal" in at.warning[0].value
    assert "not approved, accredited, funded or adopted" in at.warning[0].value
    assert not draft_notices(at)


def test_release_comes_from_the_url(real_releases):
    at = open_page(query={"release": "1.0.0"})
    assert not at.exception
    assert at.selectbox(key="release").value == "1.0.0"
    assert "1.0.0" in texts(at)


def test_bad_release_parameter_gives_a_notice_and_the_default(real_releases):
    at = open_page(query={"release": "<script>9.9.9"})
    assert not at.exception
    assert at.selectbox(key="release").value == published_versions(real_releases)[0]
    notice = [i.value for i in at.info if "asked for data release" in i.value]
    assert notice and "\\<script\\>9\\.9\\.9" in notice[0]  # shown literally, escaped for Markdown


def test_broken_newer_release_is_listed_and_the_last_good_one_served(releases):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.2.0")
    row = broken.edit_cell("hubs.csv", "hub_id", "karachi-4", "lat", "north")
    at = open_page()
    assert not at.exception
    assert at.selectbox(key="release").options == ["1.0.0"]
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
    assert at.selectbox(key="release").options == ["1.0.0"]
    panel = next(e for e in at.expander if "1.1.0 failed validation" in e.label)
    problems = panel.dataframe[0].value
    assert problems[["file", "rule"]].values.tolist() == [["datapackage.json", "published-immutable"]]
    assert "it has been edited — make a new release instead" in problems["message"].iloc[0]


def test_a_draft_is_never_the_default_nor_offered_without_a_link(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", draft=True)
    at = open_page()
    assert not at.exception
    sel = at.selectbox(key="release")
    assert sel.options == ["1.0.0"] and sel.value == "1.0.0"
    assert not draft_notices(at)
    assert not [e for e in at.expander if "failed validation" in e.label]


def test_a_draft_link_shows_the_draft_with_one_notice_on_every_page(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", ROOT / "data" / "releases" / "1.1.0", draft=True)
    at = open_page(query={"release": "1.1.0"})
    assert not at.exception
    sel = at.selectbox(key="release")
    assert sel.options == ["1.1.0", "1.0.0"] and sel.value == "1.1.0"
    [notice] = draft_notices(at)
    assert "not published" in notice and "may still change" in notice and "newest published release is 1.0.0" in notice
    assert "Concept proposal" in at.warning[0].value  # the status banner stays first
    assert "does not hold this section" not in texts(at)  # the page shows 1.1.0's content
    at.switch_page(str(ROOT / "pages" / "data.py")).run()
    assert not at.exception
    assert at.selectbox(key="release").value == "1.1.0" and len(draft_notices(at)) == 1
    assert {m.label: m.value for m in at.metric}["Release"] == "1.1.0"
    at.selectbox(key="release").set_value("1.0.0").run()  # back to the published release: the notice goes
    assert not at.exception and not draft_notices(at) and at.selectbox(key="release").value == "1.0.0"


def test_a_broken_draft_link_gives_a_notice_its_problems_and_the_default(releases):
    copy_release(releases, "1.0.0")
    draft = copy_release(releases, "1.1.0", draft=True)
    draft.edit_cell("gaps.csv", "gap_id", "G2", "response_pillar", "magic")
    at = open_page(query={"release": "1.1.0"})
    assert not at.exception
    assert at.selectbox(key="release").value == "1.0.0" and not draft_notices(at)
    assert any("not a valid published release" in i.value for i in at.info)
    assert any(e.label.startswith("Draft data release 1.1.0 failed validation") for e in at.expander)


def test_only_a_draft_is_no_release_to_serve_even_when_linked(releases):
    copy_release(releases, "1.0.0", draft=True)
    at = open_page(query={"release": "1.0.0"})
    assert not at.exception
    assert any("No valid published data release" in e.value for e in at.error)
    assert not at.selectbox


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
    assert at.selectbox(key="release").value == "1.3.0"
    assert not model_inputs(validate_release(releases / "1.3.0").release).missing_rules
    assert release_notices(at) == []
