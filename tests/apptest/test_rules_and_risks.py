"""The release's decision rules (Methodology) and risks (Partners & roles): read from the release, never typed in code."""

from __future__ import annotations

from apphelp import ROOT, folds_opened, open_clean, release_notice, texts

from pakcoe import load_release
from pakcoe.model import APPLIED_RULE_TOPICS

RELEASE_1_2_0 = load_release(ROOT / "data" / "releases" / "1.2.0")


def test_methodology_lists_every_rule_with_whether_the_model_applies_it(real_releases):
    at = open_clean("methodology", {"release": "1.2.0"})
    closed = [e.label for e in at.expander]
    at = folds_opened(at)  # each rule is a fold: built once opened (components/folds.py)
    assert [e.label for e in at.expander] == closed
    rules = RELEASE_1_2_0.table("rules")
    labels = [e.label for e in at.expander]
    for r in rules.itertuples():
        assert r.title in labels
    body = texts(at).replace("\\", "")
    applied = sum(t in APPLIED_RULE_TOPICS for t in rules["topic"])
    assert f"writes down {len(rules)} rules" in body and f"applies {applied} of them" in body
    assert body.count("Applied by the model") == applied and body.count("Not applied by the model") == len(rules) - applied
    assert "not yet modelled" not in body.lower()
    # inside the rules, parameter ids are shown as their plain names and values, never as ids
    rule_text = " ".join(m.value for e in at.expander if e.label in set(rules["title"]) for m in e.markdown).replace("\\", "")
    assert "handover_quarters" not in rule_text and "not_approved_after_quarters" not in rule_text and ".csv" not in rule_text
    body = rule_text
    handover = RELEASE_1_2_0.assumptions.set_index("param_id").loc["handover_quarters"]
    assert f"{handover['name'].lower()} ({int(handover['value'])} {handover['unit']})" in body


def test_the_draft_release_marks_the_rules_model_2_applies(real_releases):
    at = folds_opened(open_clean("methodology", {"release": "1.3.0"}))
    rules = load_release(ROOT / "data" / "releases" / "1.3.0").table("rules")
    body = texts(at).replace("\\", "")
    applied = [r.title for r in rules.itertuples() if r.topic in APPLIED_RULE_TOPICS]
    assert len(applied) == len(APPLIED_RULE_TOPICS)  # every rule the model applies is written down in 1.3.0
    assert f"applies {len(applied)} of them" in body


def test_a_release_without_rules_says_so_in_the_one_release_notice(real_releases):
    at = open_clean("methodology", {"release": "1.1.0"})
    _, notice = release_notice(at)
    assert "the rules of the dual track \\(Methodology\\)" in notice
    assert "Rules of the dual track" not in [h.value for h in at.header]
    assert not [i.value for i in at.info if "rules table" in i.value]


def test_partners_page_shows_each_risk_with_owner_and_mitigation(real_releases):
    at = open_clean("partners", {"release": "1.2.0"})
    body = texts(at).replace("\\", "")
    risks = RELEASE_1_2_0.table("risks")
    bodies = RELEASE_1_2_0.table("governance").set_index("body_id")["name"]
    for r in risks.itertuples():
        assert r.risk in body and bodies[r.owner_body_id] in body
    assert f"{len(risks)} risks of the proposal" in body
    both = int(((risks["likelihood"] == "high") & (risks["impact"] == "high")).sum())
    assert f"{both} are judged both likely and serious" in body or f"{both} is judged both likely and serious" in body


def test_a_release_without_risks_says_so_in_the_one_release_notice(real_releases):
    at = open_clean("partners", {"release": "1.0.0"})
    _, notice = release_notice(at)
    assert "the risks and who owns them \\(Partners & roles\\)" in notice
    assert "Risks and who owns them" not in [h.value for h in at.header]
