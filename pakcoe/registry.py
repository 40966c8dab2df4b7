"""The app's pages and their URL parameters, as data (pure: never imports Streamlit).

Each `Page` has its id, title, icon, url path, file under pages/, the release tables it draws on, its URL
parameters and the url paths it had before (aliases). Each `Param` has its name, kind, default and allowed values
(fixed, or computed from the release: option ids from options.csv, hub ids from hubs.csv, lever bounds from
assumptions.csv), the names it had before (aliases) and a label for users. Every page also has `release`.

app.py builds its navigation from `PAGES`; components.urlstate takes each widget's key, default, allowed values and
cast from here; `resolve` / `check_state` check a link's or a presentation stop's page and parameters against a
release without Streamlit and say what is wrong in plain words. A renamed page or parameter keeps its old name in
`aliases`, so the links and stops published with a release keep working.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pakcoe import i18n
from pakcoe.funding import TRACK_LABELS
from pakcoe.labels import demonstrator_city, hub_types
from pakcoe.lacks import holds
from pakcoe.levers import CUSTOM, default_option, levers, option_names
from pakcoe.model import DECISIONS, model_inputs
from pakcoe.release import PublishedListError, Release, list_releases, read_published
from pakcoe.semver import semver_key

KINDS = ("str", "int", "float", "bool")


@dataclass(frozen=True)
class Range:
    """Numbers from `low` to `high` (a slider's bounds and step); with `on_step`, only low + k × step."""

    low: float
    high: float
    step: float
    on_step: bool = False

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        if not self.low - 1e-9 <= value <= self.high + 1e-9:
            return False
        steps = (value - self.low) / self.step
        return not self.on_step or abs(steps - round(steps)) < 1e-9


Allowed = tuple | Range | None  # None: any value of the parameter's kind
FromRelease = Callable[[Release], Any]


@dataclass(frozen=True)
class Param:
    """One URL parameter of a page.

    `kind` is the type of one value ("str", "int", "float", "bool"); `multi` parameters repeat in the URL
    (`?type=a&type=b`) and hold a tuple. `default` is a value or a function of the release (multi: a tuple); None means
    no value (for `release`: the newest valid published release; with `among`: the first value of that parameter).
    `allowed` is None (any value of the kind), a tuple, a Range, or a function of the release returning one of those.
    """

    name: str
    label: str  # what users call it, e.g. "Reach radius (km)"
    kind: str = "str"
    multi: bool = False
    default: Any = None
    allowed: Any = None
    aliases: tuple[str, ...] = ()  # names it had before: a link using one is read as this parameter
    max_items: int | None = None  # multi: at most this many values
    among: str | None = None  # its value must be one of this other parameter's values

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"parameter {self.name!r}: kind {self.kind!r} is not one of {KINDS}")


@dataclass(frozen=True)
class Page:
    """One page of the app: what the navigation shows, where its code is, what it draws on and its URL parameters."""

    id: str
    title: str
    icon: str
    url_path: str  # "" for the default page, served at /
    file: str  # file name under pages/
    tables: tuple[str, ...]  # release resources (descriptor names) the page draws on
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()  # url paths it had before
    default: bool = False
    every_table: bool = False  # draws on every resource of the release (the Data page)
    projector: bool = False  # made for a projector: the frame leaves out its banner and notices (the page has its own status line)

    @property
    def all_params(self) -> tuple[Param, ...]:
        """`release` first, then the page's own parameters, then `uploaded` (every page)."""
        return (RELEASE, *self.params, UPLOADED)

    def param(self, name: str) -> Param | None:
        """The parameter with this name or old name (None: the page has none)."""
        params = self.all_params
        return next((p for p in params if p.name == name), None) or next((p for p in params if name in p.aliases), None)


# ---------------------------------------------------------------------------------------------------
# Values computed from a release


def _option_ids(release: Release) -> tuple[str, ...]:
    return tuple(option_names(release))


def _options_csv_ids(release: Release) -> tuple[str, ...]:
    return tuple(str(o) for o in release.table("options")["option_id"])


def _phase_ids(release: Release) -> tuple[int, ...]:
    return tuple(sorted(int(p) for p in release.table("phases")["phase_id"]))


def _fund_phases(release: Release) -> tuple[str, ...]:
    return (ALL_PHASES, *(str(int(p)) for p in release.table("phases")["phase_id"]))


def _province_ids(release: Release) -> tuple[str, ...]:
    return tuple(str(p) for p in release.table("provinces")["province_id"])


def _host_types(release: Release) -> tuple[str, ...]:
    """The host types the release's hubs use, in the order of hubs.csv's schema (its enum), else as they appear."""
    fields = release.resource("hubs").get("schema", {}).get("fields", [])
    enum = next((f.get("constraints", {}).get("enum", []) for f in fields if f.get("name") == "host_type"), [])
    used = list(dict.fromkeys(str(h) for h in release.hubs["host_type"]))
    return tuple([h for h in enum if h in used] + [h for h in used if h not in enum])


def _hub_ids(release: Release) -> tuple[str, ...]:
    return tuple(str(h) for h in release.hubs["hub_id"])


def _views(release: Release) -> tuple[str, ...]:
    return (demonstrator_city(release), NATIONAL)


def _csv_tables(release: Release) -> tuple[str, ...]:
    return tuple(str(r["name"]) for r in release.descriptor["resources"] if str(r["path"]).endswith(".csv"))


def _release_folders(release: Release) -> tuple[str, ...]:
    """Every release folder beside this release's (drafts and broken ones too: the Data page says which), oldest first."""
    return tuple(p.name for p in sorted(list_releases(release.path.parent), key=lambda p: semver_key(p.name)))


def _published_beside(release: Release) -> list[str]:
    try:
        listed = read_published(release.path.parent)
    except PublishedListError:
        listed = {}
    return [v for v in _release_folders(release) if v in listed]


def _diff_new(release: Release) -> str:
    """What the Data page compares to by default: the newest published release (this one when none is)."""
    published = _published_beside(release)
    return published[-1] if published else release.version


def _diff_old(release: Release) -> str:
    """What the Data page compares from by default: the published release before the newest."""
    published = _published_beside(release)
    return published[-2] if len(published) > 1 else _diff_new(release)


def _compare_options(release: Release) -> tuple[str, ...]:
    return (*_option_ids(release), CUSTOM)


def _default_options(release: Release) -> tuple[str, ...]:
    return _option_ids(release)[:MAX_OPTIONS]


def _default_decision(release: Release) -> str:
    return str(model_inputs(release).options[default_option(release)]["public_decision"])


def _deck_stops(release: Release) -> tuple[int, ...]:
    """The numbers of the stops the release's deck shows (1 alone when it has no deck: the page says so)."""
    from pakcoe.deck import load_deck  # pakcoe.deck checks its stops against this registry

    deck = load_deck(release)
    return tuple(s.number for s in deck.stops) if deck is not None and deck.stops else (1,)


# The name of each page's section parameter: a parameter's name is its widget's session key, unique across pages
# (the map's tabs are its `section`).
SECTION_PARAM = {
    "overview": "ov_section",
    "map": "section",
    "compare": "c_section",
    "funding": "fund_section",
    "partners": "p_section",
    "methodology": "m_section",
}


def _section(page_id: str) -> Param:
    """A page's section parameter (named in SECTION_PARAM): the part of the page a link (or a presentation stop) is about."""
    ids = tuple(SECTIONS[page_id])
    return Param(SECTION_PARAM[page_id], "Section", default=ids[0], allowed=ids)


def _lever(key: str) -> tuple[FromRelease, FromRelease]:
    """The default and the Range of the custom option's lever `key`, from pakcoe.levers (ints for integer levers)."""

    def spec(release: Release):
        lever = next(x for x in levers(release) if x.key == key)
        return lever, (int if lever.integer else float)

    def default(release: Release) -> float:
        lever, cast = spec(release)
        return cast(lever.default)

    def allowed(release: Release) -> Range:
        lever, cast = spec(release)
        return Range(cast(lever.low), cast(lever.high), cast(lever.step))

    return default, allowed


def _lever_param(key: str, label: str, kind: str) -> Param:
    default, allowed = _lever(key)
    return Param(key, label, kind, default=default, allowed=allowed)


# ---------------------------------------------------------------------------------------------------
# The pages

ALL_PHASES = "all"  # the Funding page's phase choice for every phase
NATIONAL = "national"  # the map's national view (the other view is the demonstrator city's cluster)
MAX_OPTIONS = 4  # the Compare page compares at most this many options

# The parts of the pages a link or a presentation stop can be about (the map's are its tabs): id -> short label.
SECTIONS: dict[str, dict[str, str]] = {
    "overview": {
        "gaps": "The gaps",
        "hub-model": "The hub model",
        "demonstrator": "The demonstrator",
        "vision": "The national vision",
        "tracks": "The two tracks",
        "influences": "What informs the design",
        "status": "What it is, and is not yet",
    },
    "map": {"map": "Map and hub details", "coverage": "Coverage", "hubs": "Hub table"},
    "compare": {
        "figures": "Key figures",
        "differs": "What differs",
        "gates": "Phase gates",
        "warnings": "Warnings",
        "over-time": "Over time",
        "sensitivity": "What moves the results",
        "provinces": "Provinces",
        "notes": "Notes on the data and the model",
    },
    "funding": {"flow": "Who pays for what", "tracks": "The dual track", "mix": "Funding mix", "gap": "Funding gap", "figures": "Every figure"},
    "partners": {"roles": "Partner roles", "raci": "Who does what", "governance": "Governance", "risks": "Risks", "programmes": "Programmes"},
    "methodology": {"formulas": "Formulas", "rules": "Rules of the dual track", "notes": "Notes on the data and the model", "glossary": "Glossary"},
}
# Sections drawn only when the release has a table (as the pages decide): page -> section -> table.
SECTION_TABLES: dict[str, dict[str, str]] = {
    "overview": {"hub-model": "hub_users", "tracks": "tracks", "influences": "influences", "status": "statements"},
    "partners": {"risks": "risks"},
    "methodology": {"rules": "rules"},
}


def drawn_sections(release: Release, page_id: str, lang: str | None = "en") -> dict[str, str]:
    """The sections the page draws on this release, in order: id -> short label (in English by default, as the
    deck's checks and exports read them; `lang=None`: the current language, as the pages show them)."""
    needs = SECTION_TABLES.get(page_id, {})
    return {
        sid: label if lang == "en" else i18n.tl(label, lang or i18n.current())
        for sid, label in SECTIONS[page_id].items()
        if sid not in needs or holds(release, needs[sid])
    }


# What users read of the registry (page titles, parameter and section labels) is English here, the key of its Urdu in
# pakcoe/texts/ui/frame.csv (a test checks every one has Urdu); these give it in the current language or `lang`.
def page_title(page_: Page, lang: str | None = None) -> str:
    """The page's title in `lang` (default: the current language)."""
    return i18n.tl(page_.title, lang or i18n.current())


def param_label(param: Param, lang: str | None = None) -> str:
    """What users call the parameter, in `lang` (default: the current language)."""
    return i18n.tl(param.label, lang or i18n.current())


RELEASE = Param("release", "Data release")  # on every page; default: the newest valid published release
# On every page: set while the session holds an uploaded file (own options or sites), which live in one server process's
# session only. A session that starts with it but holds no upload says the files must be uploaded again
# (components/uploadmark.py): after a reload, or when its replica stopped and another took the session over.
UPLOADED = Param("uploaded", "Files uploaded in this session", "bool", default=False)

# What pakcoe.model reads (ModelInputs.from_release): every page that runs the model draws on these.
MODEL_TABLES = (
    "hubs",
    "hub_types",
    "provinces",
    "phases",
    "milestones",
    "options",
    "funding_sources",
    "funding_rules",
    "assumptions",
    "programmes",
    "programme_offers",
)
PROVENANCE_TABLES = ("assumptions", "sources")  # badges: an assumption's basis, a source's title


def _tables(*groups: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for group in groups for t in group))


PAGES: tuple[Page, ...] = (
    Page(
        "overview",
        "Overview",
        ":material/home:",
        "",
        "overview.py",
        _tables(
            ("hubs", "hub_types", "provinces", "cities", "phases", "milestones", "gaps", "programmes", "hub_users", "design_elements"),
            ("goals", "influences", "tracks", "statements"),
            PROVENANCE_TABLES,
        ),
        params=(_section("overview"),),
        default=True,
    ),
    Page(
        "map",
        "Hub map",
        ":material/map:",
        "map",
        "map.py",
        _tables(
            ("hubs", "cities", "provinces", "phases", "hub_types", "focus_areas", "programmes", "programme_offers", "partners", "sources"),
            ("pakistan-outline",),
        ),
        params=(
            Param("view", "View", default=demonstrator_city, allowed=_views),
            Param("phase", "Phase", "int", multi=True, default=(), allowed=_phase_ids),
            Param("province", "Province or territory", multi=True, default=(), allowed=_province_ids),
            Param("type", "Hub type", multi=True, default=(), allowed=lambda r: tuple(hub_types(r))),
            Param("host", "Host type", multi=True, default=(), allowed=_host_types),
            Param("section", "Tab", default="map", allowed=tuple(SECTIONS["map"])),
            Param("hub", "Hub", allowed=_hub_ids),
            Param("radius", "Reach radius (km)", "int", default=25, allowed=Range(5, 150, 5, on_step=True)),
        ),
    ),
    Page(
        "phases",
        "Phases",
        ":material/timeline:",
        "phases",
        "phases.py",
        MODEL_TABLES,
        params=(Param("option", "Rollout option", default=default_option, allowed=_option_ids),),
    ),
    Page(
        "compare",
        "Compare options",
        ":material/compare_arrows:",
        "compare",
        "compare.py",
        _tables(MODEL_TABLES, ("decisions",)),
        params=(
            Param("options", "Options to compare", multi=True, default=_default_options, allowed=_compare_options, max_items=MAX_OPTIONS),
            Param("baseline", "Baseline", allowed=_compare_options, among="options"),
            Param("c_decision", "Public funding decision", default=_default_decision, allowed=DECISIONS),
            Param("c_gating", "Phase gates hold the next phase back", "bool", default=True),
            _lever_param("c_delay", "Delay of public money (quarters; used when 'Delayed')", "int"),
            _lever_param("c_hubs", "Network size (hubs)", "int"),
            _lever_param("c_pace", "Pace (× the planned timetable's speed)", "float"),
            _lever_param("c_capex", "Capital cost multiplier", "float"),
            _lever_param("c_opex", "Operating cost multiplier", "float"),
            _lever_param("c_completion_rate", "Completion rate", "float"),
            _lever_param("c_certification_rate", "Certification rate", "float"),
            _lever_param("c_ramp_quarters", "Ramp-up to full capacity (quarters)", "int"),
            _lever_param("c_private_capacity", "Private-track funding capacity (PKR million a year)", "float"),
            Param("differences", "Differences only", "bool", default=True),
            _section("compare"),
        ),
    ),
    Page(
        "methodology",
        "Methodology",
        ":material/function:",
        "methodology",
        "methodology.py",
        _tables(MODEL_TABLES, ("rules", "governance"), PROVENANCE_TABLES),
        params=(_section("methodology"),),
    ),
    Page(
        "funding",
        "Funding",
        ":material/account_balance:",
        "funding",
        "funding.py",
        _tables(MODEL_TABLES, ("decisions",), PROVENANCE_TABLES),
        params=(
            Param("fund_option", "Rollout option", default=lambda r: _options_csv_ids(r)[0], allowed=_options_csv_ids),
            Param("fund_phase", "Phase", default=ALL_PHASES, allowed=_fund_phases),
            Param("fund_currency", "Currency", default="PKR", allowed=("PKR", "USD")),
            _section("funding"),
        ),
    ),
    Page(
        "partners",
        "Partners & roles",
        ":material/handshake:",
        "partners",
        "partners.py",
        _tables(
            ("partners", "activities", "roles", "governance", "risks", "programmes", "programme_offers", "hub_types", "sources"),
            MODEL_TABLES,  # who funds: each funding source's category comes from pakcoe.model's inputs (pakcoe.funding.source_kinds)
        ),
        params=(Param("raci_track", "Track", default="public", allowed=tuple(TRACK_LABELS)), _section("partners")),
    ),
    Page(
        "data",
        "Data",
        ":material/dataset:",
        "data",
        "data.py",
        ("sources",),
        params=(
            Param("table", "Table", default="hubs", allowed=_csv_tables),
            Param("old", "From release", default=_diff_old, allowed=_release_folders),
            Param("new", "To release", default=_diff_new, allowed=_release_folders),
        ),
        every_table=True,
    ),
    Page(
        "present",
        "Present",
        ":material/slideshow:",
        "present",
        "present.py",
        ("deck",),
        params=(
            Param("stop", "Stop", "int", default=1, allowed=_deck_stops),
            Param("notes", "Speaker notes", "bool", default=False),
            Param("room", "Presenter room"),
            Param("follow", "Room to follow"),
        ),
        every_table=True,  # a stop shows any page's view
        projector=True,
    ),
)


# ---------------------------------------------------------------------------------------------------
# Looking pages up


def page(id_or_alias: str) -> Page:
    """The page with this id, url path or old url path (KeyError, naming the pages, when there is none)."""
    key = str(id_or_alias).strip("/")
    found = next((p for p in PAGES if p.id == key), None) or by_url_path(key)
    if found is None:
        raise KeyError(f"{id_or_alias!r} is not a page of the app; the pages are: {', '.join(p.id for p in PAGES)}")
    return found


def by_url_path(path: str) -> Page | None:
    """The page served at this url path ('' or '/' is the default page), or that was served there before."""
    key = str(path).strip("/")
    return next((p for p in PAGES if p.url_path == key), None) or next((p for p in PAGES if key in p.aliases), None)


def tables_of(release: Release, page_: Page) -> tuple[str, ...]:
    """The release resources the page draws on that this release has (every resource for the Data page)."""
    have = [str(r["name"]) for r in release.descriptor["resources"]]
    return tuple(have) if page_.every_table else tuple(t for t in page_.tables if t in have)


# ---------------------------------------------------------------------------------------------------
# Values of a parameter on a release

_KEPT = 8  # releases whose computed values are kept (like pakcoe.model's inputs: a release object is read-only)
_MEMO: dict[int, tuple[Release, dict]] = {}
_MEMO_LOCK = threading.Lock()


def _memo(release: Release, key: tuple, compute: Callable[[], Any]) -> Any:
    with _MEMO_LOCK:
        hit = _MEMO.get(id(release))
        if hit is None or hit[0] is not release:
            while len(_MEMO) >= _KEPT:
                _MEMO.pop(next(iter(_MEMO)))
            hit = _MEMO[id(release)] = (release, {})
        values = hit[1]
    if key not in values:
        values[key] = compute()
    return values[key]


def default_value(release: Release, param: Param) -> Any:
    """The parameter's default on this release (multi: a tuple; None: no value of its own)."""
    if not callable(param.default):
        return tuple(param.default) if param.multi and param.default is not None else param.default
    value = _memo(release, ("default", param), lambda: param.default(release))
    return tuple(value) if param.multi else value


def allowed_values(release: Release, param: Param) -> Allowed:
    """The values the parameter may take on this release: a tuple, a Range, or None (any value of its kind)."""
    if callable(param.allowed):
        return _memo(release, ("allowed", param), lambda: param.allowed(release))
    return param.allowed


def as_bool(text: str) -> bool:
    """A URL's true/false ('True', 'false', '1', '0', 'on', 'off', 'yes', 'no'); anything else is a ValueError."""
    value = str(text).strip().lower()
    if value in ("true", "1", "on", "yes"):
        return True
    if value in ("false", "0", "off", "no"):
        return False
    raise ValueError(f"not a true/false value: {text!r}")


CASTS: dict[str, Callable[[str], Any]] = {"str": str, "int": int, "float": float, "bool": as_bool}


def parse(param: Param, raw: Sequence[str], allowed: Allowed) -> tuple[Any, list[str]]:
    """(value, the parts that are not allowed) from a URL's strings: cast to the kind, checked against `allowed`.

    Multi: the allowed values in order, without repeats (a list). Otherwise: the first allowed value, or None."""
    cast = CASTS[param.kind]
    lookup = {str(a): a for a in allowed} if isinstance(allowed, tuple) else None
    good, bad = [], []
    for item in raw:
        try:
            value = cast(item)
        except (TypeError, ValueError):
            bad.append(item)
            continue
        if lookup is not None:
            if str(value) not in lookup:
                bad.append(item)
                continue
            value = lookup[str(value)]
        elif isinstance(allowed, Range) and value not in allowed:
            bad.append(item)
            continue
        good.append(value)
    if param.multi:
        return list(dict.fromkeys(good)), bad
    return (good[0] if good else None), bad


def to_query(value: Any) -> str | list[str]:
    """A value as the URL writes it (a list of strings for a multi parameter)."""
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)


# ---------------------------------------------------------------------------------------------------
# Checking a page and its parameters (links, presentation stops) against a release


@dataclass(frozen=True)
class Resolved:
    """A page and its parameters checked against a release.

    `state`: every parameter of the page under its current name, the query's value (cast) or else the default;
    `query`: the canonical query (current names, values that differ from the default, as the URL writes them);
    `problems`: what is wrong, one plain sentence each (empty when the page and every value are fine)."""

    page: Page | None
    state: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def describe(param: Param, allowed: Allowed) -> str:
    """What the parameter accepts, in words (a long list is summarised)."""
    if isinstance(allowed, Range):
        step = f" in steps of {allowed.step:g}" if allowed.on_step else ""
        return f"a {'whole ' if param.kind == 'int' else ''}number from {allowed.low:g} to {allowed.high:g}{step}"
    if isinstance(allowed, tuple):
        shown = ", ".join(f"'{a}'" for a in allowed[:8])
        return f"one of {shown}" + (f" and {len(allowed) - 8} more" if len(allowed) > 8 else "")
    return {"int": "a whole number", "float": "a number", "bool": "true or false"}.get(param.kind, "any text")


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def resolve(release: Release, page_id: str | Page, query: Mapping[str, str | Sequence[str]]) -> Resolved:
    """Check a page and its URL parameters against `release`: the canonical state, and every problem in plain words.

    A parameter given under an old name (an alias) is read as the current one. A `release` value other than
    `release.version` is a problem: resolve the query with the release it names."""
    try:
        target = page_id if isinstance(page_id, Page) else page(page_id)
    except KeyError as e:
        return Resolved(None, problems=(str(e.args[0]),))
    where = f"{target.title} ({target.id})"
    problems: list[str] = []
    given: dict[str, tuple[str, list[str]]] = {}  # current name -> (name used in the query, its strings)
    for name, value in query.items():
        param = target.param(name)
        if param is None:
            names = ", ".join(p.name for p in target.all_params if p is not UPLOADED)  # the app sets that one itself
            problems.append(f"{where}: '{name}' is not a setting of this page (its settings: {names}).")
            continue
        if param.name in given:
            problems.append(f"{where}: '{param.name}' is given twice, as '{given[param.name][0]}' and as '{name}' (names it had before count as it).")
            if name != param.name:  # the current name's value wins over an old name's
                continue
        given[param.name] = (name, _as_list(value))

    state: dict[str, Any] = {}
    for param in target.all_params:
        if param.name not in given:
            continue
        used, raw = given[param.name]
        if param is RELEASE:
            state[param.name] = raw[0] if raw else None
            if raw and raw[0] != release.version:
                problems.append(f"{where}: the link names data release '{raw[0]}' but is checked against release {release.version}.")
            continue
        allowed = allowed_values(release, param)
        if not param.multi and len(raw) > 1:
            problems.append(f"{where}: '{used}' ({param.label}) takes one value; {len(raw)} are given ({', '.join(raw)}).")
        value, bad = parse(param, raw if param.multi else raw[:1], allowed)
        for item in bad:
            problems.append(
                f"{where}: '{used}' ({param.label}) value '{item}' is not allowed on data release {release.version}: it must be {describe(param, allowed)}."
            )
        if param.multi:
            if param.max_items is not None and len(value) > param.max_items:
                problems.append(f"{where}: '{used}' ({param.label}) takes at most {param.max_items} values; {len(value)} are given.")
            state[param.name] = tuple(value)
        elif value is not None:
            state[param.name] = value

    for param in target.all_params:
        if param.name not in state:
            state[param.name] = default_value(release, param)
    for param in target.params:
        if param.among is not None and param.name in state:
            pool = state.get(param.among) or ()
            if state[param.name] is None:
                state[param.name] = pool[0] if pool else None
            elif state[param.name] not in pool:
                problems.append(f"{where}: '{param.name}' ({param.label}) value '{state[param.name]}' is not one of the chosen '{param.among}'.")

    state = {param.name: state[param.name] for param in target.all_params}
    canonical: dict[str, str | tuple[str, ...]] = {}
    for param in target.all_params:
        value = state[param.name]
        default = default_value(release, param)
        if param.among is not None and default is None:
            pool = state.get(param.among) or ()
            default = pool[0] if pool else None
        if value is None or value == default or value == ():
            continue
        text = to_query(value)
        canonical[param.name] = tuple(text) if isinstance(text, list) else text
    return Resolved(target, state, canonical, tuple(problems))


def check_state(release: Release, page_id: str, params: Mapping[str, str | Sequence[str]]) -> list[str]:
    """The problems of a page and its parameters on `release` (empty: every value is fine): for a release validator."""
    return list(resolve(release, page_id, params).problems)
