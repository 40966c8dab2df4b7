"""Check a CSV file against its Frictionless Table Schema and return typed rows and located problems.

The schema in datapackage.json is the single truth: types, required, unique, enum, ranges, patterns,
primary keys. Foreign keys and cross-file rules are checked in rules.py once every table is read.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from pakcoe.problems import Problem

TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
_INTEGER = re.compile(r"^[+-]?\d+$")


class CastError(ValueError):
    """A cell that does not parse as its field's type."""


def cast(value: str, type_: str) -> Any:
    """Parse one non-missing CSV cell as a Table Schema type."""
    if type_ == "string":
        return value
    if type_ == "integer":
        if not _INTEGER.match(value):
            raise CastError(f"'{value}' is not an integer")
        return int(value)
    if type_ == "number":
        try:
            number = float(value)
        except ValueError:
            raise CastError(f"'{value}' is not a number") from None
        if not math.isfinite(number):
            raise CastError(f"'{value}' is not a finite number")
        return number
    if type_ == "boolean":
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise CastError(f"'{value}' is not a boolean (true/false)")
    if type_ == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CastError(f"'{value}' is not a date (YYYY-MM-DD)") from None
    raise CastError(f"type '{type_}' is not supported by this validator")


PANDAS_DTYPES = {"string": "object", "integer": "Int64", "number": "float64", "boolean": "boolean", "date": "object"}


@dataclass
class TableResult:
    """What reading one CSV resource gave: a typed frame (None if unreadable) and its problems."""

    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    line_of_row: list[int] = field(default_factory=list)  # CSV line number of each frame row


def read_table(filename: str, raw: bytes, schema: dict) -> TableResult:
    """Decode, parse and check one CSV against its Table Schema."""
    problems: list[Problem] = []
    if not raw.strip():
        return TableResult(None, [Problem(filename, "empty-file", "the file is empty (no header row)")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return TableResult(
            None,
            [
                Problem(
                    filename,
                    "encoding",
                    f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                    row=line,
                )
            ],
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    fields = schema.get("fields", [])
    names = [f["name"] for f in fields]
    missing_values = set(schema.get("missingValues", [""]))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        return TableResult(None, [Problem(filename, "csv-syntax", f"cannot read the header: {exc}", row=1)])
    if header != names:
        for name in names:
            if name not in header:
                problems.append(Problem(filename, "missing-column", f"column '{name}' required by the schema is missing", row=1, field=name))
        for name in header:
            if name not in names:
                problems.append(Problem(filename, "extra-column", f"column '{name}' is not in the schema", row=1, field=name, value=name))
        if not problems:
            problems.append(Problem(filename, "column-order", f"columns must be in schema order: {', '.join(names)}", row=1))
        return TableResult(None, problems)

    rows: list[list[Any]] = []
    lines: list[int] = []
    unique_seen: dict[str, dict[Any, int]] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    try:
        for raw_row in reader:
            line = reader.line_num
            if not raw_row:
                continue
            if len(raw_row) != len(names):
                problems.append(Problem(filename, "row-length", f"row has {len(raw_row)} cells, the schema has {len(names)} fields", row=line))
                continue
            typed: list[Any] = []
            for spec, cell in zip(fields, raw_row):
                typed.append(_check_cell(filename, line, spec, cell, missing_values, unique_seen, problems))
            rows.append(typed)
            lines.append(line)
    except csv.Error as exc:
        problems.append(Problem(filename, "csv-syntax", str(exc), row=reader.line_num))

    pk = schema.get("primaryKey")
    if pk:
        pk = [pk] if isinstance(pk, str) else pk
        idx = [names.index(k) for k in pk if k in names]
        seen: dict[tuple, int] = {}
        for row, line in zip(rows, lines):
            key = tuple(row[i] for i in idx)
            if any(k is None for k in key):
                continue
            if key in seen:
                problems.append(
                    Problem(
                        filename,
                        "primary-key",
                        f"duplicate primary key ({', '.join(pk)}); first seen on row {seen[key]}",
                        row=line,
                        field=",".join(pk),
                        value=",".join(str(k) for k in key),
                    )
                )
            else:
                seen[key] = line

    frame = pd.DataFrame(rows, columns=names)
    for spec in fields:
        dtype = PANDAS_DTYPES.get(spec.get("type", "string"), "object")
        with contextlib.suppress(TypeError, ValueError):
            frame[spec["name"]] = frame[spec["name"]].astype(dtype)
    return TableResult(frame, problems, lines)


def _check_cell(filename: str, line: int, spec: dict, cell: str, missing_values: set[str], unique_seen: dict, problems: list[Problem]) -> Any:
    name = spec["name"]
    c = spec.get("constraints", {})
    if cell in missing_values:
        if c.get("required"):
            problems.append(Problem(filename, "required", "a value is required", row=line, field=name, value=cell))
        return None
    try:
        value = cast(cell, spec.get("type", "string"))
    except CastError as exc:
        problems.append(Problem(filename, "type", f"{exc} (field type {spec.get('type')})", row=line, field=name, value=cell))
        return None
    if "enum" in c and value not in c["enum"]:
        problems.append(Problem(filename, "enum", f"must be one of: {', '.join(map(str, c['enum']))}", row=line, field=name, value=cell))
    if "minimum" in c and value < c["minimum"]:
        problems.append(Problem(filename, "minimum", f"must be at least {c['minimum']}", row=line, field=name, value=cell))
    if "maximum" in c and value > c["maximum"]:
        problems.append(Problem(filename, "maximum", f"must be at most {c['maximum']}", row=line, field=name, value=cell))
    if "pattern" in c and not re.fullmatch(c["pattern"], cell):
        problems.append(Problem(filename, "pattern", f"does not match the pattern {c['pattern']}", row=line, field=name, value=cell))
    if "minLength" in c and len(cell) < c["minLength"]:
        problems.append(Problem(filename, "min-length", f"must be at least {c['minLength']} characters", row=line, field=name, value=cell))
    if "maxLength" in c and len(cell) > c["maxLength"]:
        problems.append(Problem(filename, "max-length", f"must be at most {c['maxLength']} characters", row=line, field=name, value=cell))
    if name in unique_seen:
        seen = unique_seen[name]
        if value in seen:
            problems.append(Problem(filename, "unique", f"must be unique; first seen on row {seen[value]}", row=line, field=name, value=cell))
        else:
            seen[value] = line
    return value
