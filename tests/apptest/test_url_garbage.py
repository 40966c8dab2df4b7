"""Every URL parameter of every page fed garbage (hypothesis): a notice naming the setting, the default, no traceback.

The pages and their parameters come from pakcoe.registry (the frame's `release` included), plus the frame's `lang`, so
a new page or parameter is covered without editing this file. Each example sets every parameter of one page at once to
garbage: text with unicode and markup, very long or empty strings, repeated keys, numbers out of bounds, NaN and
infinity, negatives, floats for whole numbers. Values that happen to be valid for the parameter are replaced by a
fixed invalid one, so every parameter must fall back to its default. Two examples per page, derandomized (CI is
reproducible), on the checkout's releases (their newest valid published release is computed, never assumed).
"""

from __future__ import annotations

import pytest
from apphelp import ROOT, open_first
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.escape import escape_md
from pakcoe import i18n, list_releases, load_release, registry, validate_release
from pakcoe.registry import Param
from pakcoe.release import valid_versions

LANG = Param("lang", "Language")  # the frame's language (components.lang), beside the registry's `release`
FALLBACK = "<script>alert(1)</script>"  # used when every drawn value happens to be valid

ONE = st.one_of(
    st.text(max_size=40),  # unicode, control characters, empty
    st.sampled_from(["", " ", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "x" * 5000]),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "1e309", "-1", "-0.5", "0.5", "2.5", "99999999999999999999", "0x10", "١٢"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
VALUES = st.lists(ONE, min_size=1, max_size=3)  # one value, or the key repeated


@pytest.fixture(scope="module")
def newest():
    """The checkout's newest valid published release (the frame's default), loaded."""
    root = ROOT / "data" / "releases"
    version = valid_versions([validate_release(p) for p in list_releases(root)])[0]
    return load_release(root / version)


def _params(page: registry.Page) -> tuple[Param, ...]:
    return (*page.all_params, LANG)


def _valid(release, page: registry.Page, p: Param, raw: list[str]) -> bool:
    """Whether the link's first value (or any, for a parameter that repeats) is one the page would accept."""
    if p is LANG:
        return any(v in i18n.LANGS for v in raw)
    if p is registry.RELEASE:
        return raw[0] == release.version
    _, bad = registry.parse(p, raw if p.multi else raw[:1], registry.allowed_values(release, p))
    return len(bad) < len(raw if p.multi else raw[:1])


def _default(release, page: registry.Page, p: Param):
    if p is LANG:
        return i18n.DEFAULT
    if p is registry.RELEASE:
        return release.version
    value = registry.default_value(release, p)
    if p.among is not None and value is None:
        return list(registry.default_value(release, page.param(p.among)))[0]
    return list(value) if p.multi else value


@pytest.mark.parametrize("page_id", [p.id for p in registry.PAGES])
def test_garbage_in_every_parameter_gives_a_notice_and_the_default(real_releases, newest, page_id):
    page = registry.page(page_id)
    params = _params(page)

    @settings(max_examples=2, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.tuples(*(VALUES for _ in params)))
    def check(drawn):
        query = {p.name: (raw if not _valid(newest, page, p, raw) else [FALLBACK]) for p, raw in zip(params, drawn, strict=True)}
        at = open_first(page.file.removesuffix(".py"), query)
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert at.title or at.markdown, "the page drew nothing"
        notes = " ".join(i.value for i in at.info).lower()
        for p in params:
            label = registry.param_label(p, "en")
            assert escape_md(label).lower() in notes, f"no notice names “{label}” (?{p.name}={query[p.name]!r})"
            if p is registry.UPLOADED:  # the app's own mark (no widget): a bad one leaves the address
                assert p.name not in at.query_params, p.name
            else:
                assert at.session_state[p.name] == _default(newest, page, p), p.name

    check()
