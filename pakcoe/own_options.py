"""Rollout options of one's own (pure): the downloadable template and the check of an uploaded options file.

The template (`template_csv`) has one column per option field of the release's options table (from its schema, but
the identifier: an own option is known by its name) and one per Compare lever that is not an option field; its rows
are the release's predefined options, as examples. `parse_options` reads an uploaded file with the csv module (never
executed, nothing written to disk) and checks it by the release's rules: caps first (size, rows, columns, options),
then encoding and binary content, the columns, each cell's type, the options table's constraints (enum, pattern,
bounds), the levers' bounds, unique plain-text names. Every problem names its row (the spreadsheet's row number, the
header being row 1) and field, in plain words in the current language; a file with any problem gives no options.

A valid row becomes a `pakcoe.model.Scenario` exactly as the Compare page's levers make one: an assumption's lever
left empty, or at the release's central value, stays None (the release's value, drawn within its bounds for the
ranges); the model runs it as it runs a predefined option.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

from pakcoe import i18n
from pakcoe.i18n import t
from pakcoe.labels import decision_labels
from pakcoe.levers import levers
from pakcoe.model import Scenario, model_inputs, resolve_parameters, scenario_from_option
from pakcoe.release import Release

MAX_BYTES = 1_000_000  # 1 MB, as the server's upload limit counts it in the browser (.streamlit/config.toml [server] maxUploadSize = 1)
MAX_ROWS = 100  # rows read after the header, blank ones included
MAX_COLUMNS = 200
MAX_OPTIONS = 8
MAX_NAME = 80
ID_PREFIX = "yours:"  # an own option's id: ':' is outside the release's option_id pattern, so never a predefined id
GATING = "gating"  # the lever column of the phase-gates toggle
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting with one of these
TRUE = ("true", "yes", "1")
FALSE = ("false", "no", "0")


@dataclass(frozen=True)
class OptionProblem:
    """One problem of an uploaded file: its row (None: the whole file), its field (a column id; None: no column) and
    what is wrong, in plain words."""

    row: int | None
    field: str | None
    message: str


@dataclass(frozen=True)
class OwnOptions:
    """The options of an uploaded file (name, Scenario), each with its description, or the problems that stop it."""

    options: tuple[tuple[str, Scenario], ...] = ()
    problems: tuple[OptionProblem, ...] = ()
    descriptions: tuple[str, ...] = ()
    columns: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def own_id(i: int) -> str:
    """The id of the i-th own option (0-based) in a session's option pickers."""
    return f"{ID_PREFIX}{i + 1}"


def is_own(option_id: object) -> bool:
    return isinstance(option_id, str) and option_id.startswith(ID_PREFIX)


# ---------------------------------------------------------------------------------------------------
# Columns


def _schema_fields(release: Release) -> list[dict]:
    """The options table's fields from the release's schema, but its primary key."""
    schema = release.resource("options")["schema"]
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else list(key)
    return [f for f in schema["fields"] if f["name"] not in key]


def option_fields(release: Release) -> list[str]:
    """The option fields of the template (the options table's columns but its identifier)."""
    return [f["name"] for f in _schema_fields(release)]


def lever_fields(release: Release) -> list[str]:
    """The template's lever columns: each Compare lever that is not an option field, then the phase-gates toggle."""
    own = set(option_fields(release))
    return [lever.field for lever in levers(release) if lever.field not in own] + [GATING]


def columns(release: Release) -> list[str]:
    """Every column of the template, in order."""
    return option_fields(release) + lever_fields(release)


# ---------------------------------------------------------------------------------------------------
# The template


def _number(value: float, integer: bool = False) -> str:
    return str(int(value)) if integer or float(value).is_integer() else f"{float(value):g}"


def template_csv(release: Release) -> str:
    """The template: its header, then one row per predefined option (their option fields; an assumption's lever empty,
    meaning the release's central value; the cost multipliers at 1; phase gates on)."""
    table = release.table("options")
    specs = {lever.field: lever for lever in levers(release)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = columns(release)
    writer.writerow(cols)
    for row in table.to_dict("records"):
        s = scenario_from_option(release, str(row["option_id"]))
        cells = []
        for col in cols:
            if col in option_fields(release):
                value = row.get(col, "")
                cells.append(_number(value) if isinstance(value, float) else "" if value is None else str(value))
            elif col == GATING:
                cells.append("true" if s.gating else "false")
            else:
                value = getattr(s, col)
                cells.append("" if value is None else _number(value, specs[col].integer))
        writer.writerow(cells)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# Checking an upload


def _fail(message: str) -> OwnOptions:
    return OwnOptions(problems=(OptionProblem(None, None, message),))


def _g(x: float) -> str:
    return f"{x:g}" if i18n.current() == "en" else (i18n.num(x) if float(x).is_integer() else f"{x:g}")


def _read_text(raw: bytes) -> str | OwnOptions:
    """The file's text, or the one problem that stops it (size, binary, encoding)."""
    if len(raw) > MAX_BYTES:
        return _fail(t("The file is larger than 1 MB; an options file is a few kilobytes. Upload the filled-in template."))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _fail(t("The file is not UTF-8 text (it is UTF-16). Save it as “CSV UTF-8” and upload it again."))
    if b"\x00" in raw:
        return _fail(t("The file is not a text file (it holds binary content). Upload the template filled in, saved as CSV."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _fail(t("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."))
    if not text.strip():
        return _fail(t("The file is empty: it has no header and no options."))
    return text


def _records(text: str, template_columns: int) -> list[list[str]] | OwnOptions:
    """The header and at most MAX_ROWS rows after it (blank rows included), or the one problem that stops the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        for record in reader:
            if not records and not any(cell.strip() for cell in record):
                return _fail(t("The file's first row is empty: the first row must be the template's header."))
            if len(record) > MAX_COLUMNS:
                return _fail(t("The file has more than {n} columns; the template has {m}.", n=i18n.num(MAX_COLUMNS), m=i18n.num(template_columns)))
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                return _fail(t("The file has more than {n} rows; at most {m} options can be uploaded.", n=i18n.num(MAX_ROWS), m=i18n.num(MAX_OPTIONS)))
    except csv.Error:
        return _fail(t("The file cannot be read as CSV (a cell is too long or a quote is not closed)."))
    return records


def parse_options(release: Release, raw: bytes) -> OwnOptions:
    """Check an uploaded options file against the release's rules (module docstring)."""
    text = _read_text(raw)
    if isinstance(text, OwnOptions):
        return text
    records = _records(text, len(columns(release)))
    if isinstance(records, OwnOptions):
        return records
    header = [h.strip() for h in records[0]]
    rows = [(i + 2, r) for i, r in enumerate(records[1:]) if any(cell.strip() for cell in r)]
    if len(rows) > MAX_OPTIONS:
        return _fail(t("The file has {n} options; at most {m} can be uploaded.", n=i18n.num(len(rows)), m=i18n.num(MAX_OPTIONS)))
    if not rows:
        return _fail(t("The file has no options: fill in one row per option under the header."))

    problems: list[OptionProblem] = []
    known = columns(release)
    fields = {f["name"]: f for f in _schema_fields(release)}
    required = [name for name, f in fields.items() if f.get("constraints", {}).get("required")]
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(OptionProblem(1, col or None, t("This column appears twice in the header.")))
        seen.add(col)
        if col not in known:
            problems.append(OptionProblem(1, col or None, t("This column is not one of the template's; download the template for the columns it takes.")))
    for col in required:
        if col not in header:
            problems.append(OptionProblem(1, col, t("This column is missing: every column of the template's option fields is needed.")))
    if problems:
        return OwnOptions(problems=tuple(problems), columns=tuple(header))

    specs = {lever.field: lever for lever in levers(release)}
    inputs = model_inputs(release)
    start_quarters = sorted({str(row["start_quarter"]) for row in inputs.options.values()})
    names: dict[str, int] = {}
    found: list[tuple[str, Scenario]] = []
    descriptions: list[str] = []
    for line, record in rows:
        cells = {col: (record[i].strip() if i < len(record) else "") for i, col in enumerate(header)}
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            problems.append(OptionProblem(line, None, t("This row has more cells than the header has columns.")))
        before = len(problems)
        values: dict[str, object] = {}
        for col in header:
            value = _cell(release, col, cells[col], fields.get(col), specs.get(col), line, problems)
            values[col] = value
        name = cells.get("name", "")
        if name:
            key = name.casefold()
            if key in names:
                problems.append(OptionProblem(line, "name", t("This name is already used in row {row}; every option needs its own name.", row=names[key])))
            names.setdefault(key, line)
        if "start_quarter" in cells and values.get("start_quarter") is not None and str(values["start_quarter"]) not in start_quarters:
            problems.append(
                OptionProblem(
                    line,
                    "start_quarter",
                    t("Options are compared from the release's start: this must be {quarters}.", quarters=t(" or ").join(start_quarters)),
                )
            )
        if len(problems) > before:
            continue
        scenario = _scenario(release, values, specs, start_quarters[0])
        try:
            resolve_parameters(inputs, scenario)
        except ValueError:
            problems.append(OptionProblem(line, None, t("The model cannot run this combination of values; change the levers towards the examples.")))
            continue
        found.append((name, scenario))
        descriptions.append(str(values.get("description") or ""))
    if problems:
        return OwnOptions(problems=tuple(problems), columns=tuple(header))
    return OwnOptions(options=tuple(found), descriptions=tuple(descriptions), columns=tuple(header))


def _cell(release: Release, col: str, text: str, spec: dict | None, lever, line: int, problems: list[OptionProblem]) -> object:
    """One cell's value (None when empty or wrong; a problem added when wrong)."""

    def problem(message: str) -> None:
        problems.append(OptionProblem(line, col, message))

    if text.startswith(FORMULA_START) and not _is_number(text):
        problem(t("Text starting with = + - or @ is refused: a spreadsheet would run it as a formula."))
        return None
    if spec is not None:  # an option field of the options table
        constraints = spec.get("constraints", {})
        if not text:
            if constraints.get("required"):
                problem(t("This cell is empty; it needs a value."))
            return None
        kind = spec.get("type", "string")
        if kind in ("integer", "number"):
            value = _parse_number(text, kind == "integer")
            if value is None:
                problem(t("“{value}” is not a whole number.", value=_short(text)) if kind == "integer" else t("“{value}” is not a number.", value=_short(text)))
                return None
            low, high = constraints.get("minimum"), constraints.get("maximum")
            if col == "hub_target" and lever is not None:
                low, high = max(low or lever.low, lever.low), min(high or lever.high, lever.high)
            if (low is not None and value < low) or (high is not None and value > high):
                problem(
                    t(
                        "{value} is outside the allowed range {low}–{high}.",
                        value=_g(value),
                        low=_g(low if low is not None else -math.inf),
                        high=_g(high if high is not None else math.inf),
                    )
                )
                return None
            return value
        if "enum" in constraints and text not in constraints["enum"]:
            problem(t("“{value}” is not one of the allowed values: {allowed}.", value=_short(text), allowed=", ".join(constraints["enum"])))
            return None
        if col == "public_decision":
            allowed = list(decision_labels(release))
            if text not in allowed:
                problem(t("“{value}” is not one of the allowed values: {allowed}.", value=_short(text), allowed=", ".join(allowed)))
                return None
        if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
            problem(t("“{value}” is not written as the examples are (e.g. {example}).", value=_short(text), example=_example(release, col)))
            return None
        if col == "name":
            if len(text) > MAX_NAME:
                problem(t("A name has at most {n} characters; this one has {m}.", n=i18n.num(MAX_NAME), m=i18n.num(len(text))))
                return None
            if any(ch in text for ch in "<>") or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text):
                problem(t("A name is plain text: no < or > signs and no control characters."))
                return None
        elif any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
            problem(t("This text holds control characters; write plain text."))
            return None
        return text
    if col == GATING:
        if not text:
            return True
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        problem(t("“{value}” is not true or false.", value=_short(text)))
        return None
    if lever is not None:  # a lever column: empty = the release's value
        if not text:
            return None
        value = _parse_number(text, lever.integer)
        if value is None:
            problem(t("“{value}” is not a whole number.", value=_short(text)) if lever.integer else t("“{value}” is not a number.", value=_short(text)))
            return None
        if not lever.low - 1e-9 <= value <= lever.high + 1e-9:
            problem(t("{value} is outside the allowed range {low}–{high}.", value=_g(value), low=_g(lever.low), high=_g(lever.high)))
            return None
        return value
    return None


def _is_number(text: str) -> bool:
    return _parse_number(text, False) is not None


def _parse_number(text: str, integer: bool) -> float | int | None:
    """A finite number written plainly (digits, one point, a leading minus), or None."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    value = float(text)
    if not math.isfinite(value):
        return None
    if integer:
        return int(value) if value.is_integer() else None
    return value


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _example(release: Release, col: str) -> str:
    rows = model_inputs(release).options
    return str(next(iter(rows.values()))[col]) if rows else ""


def _scenario(release: Release, values: dict[str, object], specs: dict, start: str) -> Scenario:
    """The Scenario of a checked row (as pakcoe.levers' custom option makes one)."""

    def assumption(name: str) -> float | None:
        value = values.get(name)
        if value is None:
            return None
        lever = specs[name]
        central = float(lever.default)
        return None if abs(float(value) - central) < 1e-12 else (int(value) if lever.integer else float(value))

    def multiplier(name: str) -> float:
        value = values.get(name)
        return 1.0 if value is None else float(value)

    return Scenario(
        public_decision=str(values["public_decision"]),
        delay_quarters=int(values["delay_quarters"]),
        hub_target=int(values["hub_target"]),
        pace=float(values["pace"]),
        start_quarter=str(values.get("start_quarter") or start),
        option_id=None,
        capex_multiplier=multiplier("capex_multiplier"),
        opex_multiplier=multiplier("opex_multiplier"),
        gating=bool(values.get(GATING, True) if values.get(GATING) is not None else True),
        **{lever.field: assumption(lever.field) for lever in specs.values() if lever.param},
    )
