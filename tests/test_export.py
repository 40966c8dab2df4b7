"""Downloads: formula-looking text is neutralised, numbers stay numbers, the release id travels along."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd

from pakcoe.export import neutralise_formulas, package_zip, table_csv


def test_formula_cells_are_neutralised_and_numbers_kept():
    frame = pd.DataFrame({"name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok", "a=b"], "n": [-1, 2, 3, 4, 5, 6, 7, 8], "lat": [-24.5] * 8})
    out = neutralise_formulas(frame)
    assert out["name"].tolist() == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok", "a=b"]
    assert out["n"].tolist() == [-1, 2, 3, 4, 5, 6, 7, 8] and out["lat"].tolist() == [-24.5] * 8


def test_table_csv_carries_the_release_id():
    rows = list(csv.DictReader(io.StringIO(table_csv(pd.DataFrame({"x": ["=1"], "y": [-3]}), "pak 1.1.0").decode())))
    assert rows == [{"release": "pak 1.1.0", "x": "'=1", "y": "-3"}]


def test_package_zip_is_reproducible():
    a = package_zip("data/releases/1.0.0")
    assert a == package_zip("data/releases/1.0.0")
    assert len(zipfile.ZipFile(io.BytesIO(a)).namelist()) == 21
