"""Sites of one's own (pakcoe.own_sites): the template reads back as the release's hubs, every rule refuses what it
should with a plain message by row and column, every hostile file gives one clear message and no site, and the
comparison with the release's plan counts what it says."""

from __future__ import annotations

import csv
import io
import math
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pakcoe import load_release
from pakcoe.geo import haversine_km
from pakcoe.own_sites import MAX_BYTES, MAX_COLUMNS, MAX_KM, MAX_NAME, MAX_ROWS, compare_sites, parse_sites, template_csv

ROOT = Path(__file__).resolve().parents[1]
RELEASE = "1.1.0"  # the release these tests edit rows of: named, so a newer release changes nothing they check


@cache
def release(version: str = RELEASE):
    return load_release(ROOT / "data" / "releases" / version)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def csv_of(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def template_rows() -> list[dict[str, str]]:
    return rows_of(template_csv(release()))


def one_problem(raw: bytes):
    """The one problem a file gives (and that it loads no site)."""
    sites = parse_sites(release(), raw)
    assert len(sites.hubs) == 0 and not sites.ok
    assert len(sites.problems) == 1, sites.problems
    return sites.problems[0]


@pytest.mark.parametrize("version", ["1.0.0", RELEASE, "1.7.0"])  # the first hubs schema, and two later ones
def test_the_template_reads_back_as_the_releases_hubs_with_no_problem(version):
    r = release(version)
    text = template_csv(r)
    assert next(csv.reader(io.StringIO(text))) == [f["name"] for f in r.resource("hubs")["schema"]["fields"]]
    sites = parse_sites(r, text.encode("utf-8"))
    assert sites.problems == () and sites.ok
    pd.testing.assert_frame_equal(sites.hubs, r.hubs.reset_index(drop=True))  # every hub, typed as the release types them


def test_a_byte_order_mark_and_blank_lines_are_read():
    raw = b"\xef\xbb\xbf" + template_csv(release()).replace("\n", "\n\n", 3).encode("utf-8")
    assert parse_sites(release(), raw).ok


def test_province_may_be_left_out_and_is_the_citys():
    rows = [{k: v for k, v in r.items() if k in ("hub_id", "name", "city_id", "phase_id", "hub_type", "lat", "lon")} for r in template_rows()]
    sites = parse_sites(release(), csv_of(rows))
    assert sites.ok
    assert sites.hubs["province_id"].tolist() == release().hubs["province_id"].tolist()
    assert sites.hubs["host_type"].isna().all()  # a column the file leaves out is empty


# --- hostile files: one clear message, no site -----------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_unread():
    p = one_problem(b"a" * (MAX_BYTES + 1))
    assert p.row is None and "over the limit" in p.message and "1 MB" in p.message


def test_binary_content_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "binary content" in one_problem(png).message


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_file_in_another_encoding_is_refused(encoding):
    raw = "hub_id,name,city_id,phase_id,hub_type,lat,lon\nlahore-x,Lahore Café hub,lahore,1,standard,31.55,74.35\n".encode(encoding)
    assert "not UTF-8 text" in one_problem(raw).message


def test_utf16_is_refused_as_another_encoding():
    assert "UTF-16" in one_problem(template_csv(release()).encode("utf-16")).message


def test_a_megabyte_of_empty_lines_is_an_empty_file():
    assert "The file is empty" in one_problem(b"\n" * MAX_BYTES).message


def test_a_header_then_a_megabyte_of_empty_lines_has_no_sites():
    header = template_csv(release()).splitlines()[0].encode()
    assert "no sites" in one_problem(header + b"\r\n" * ((MAX_BYTES - len(header)) // 2)).message


def test_a_hundred_thousand_columns_are_refused():
    raw = (",".join(f"c{i}" for i in range(100_000)) + "\n").encode()
    assert len(raw) <= MAX_BYTES
    p = one_problem(raw)
    assert "100,000 columns" in p.message and f"at most {MAX_COLUMNS}" in p.message


def test_more_rows_than_the_cap_are_refused():
    header = "hub_id,name,city_id,phase_id,hub_type,lat,lon\n"
    raw = (header + "x,Some hub,lahore,1,standard,31.5,74.3\n" * (MAX_ROWS + 1)).encode()
    assert len(raw) <= MAX_BYTES
    assert f"more than {MAX_ROWS:,} sites" in one_problem(raw).message


def test_a_huge_cell_is_a_reading_problem_not_a_crash():
    assert "could not be read as CSV" in one_problem(b'"' + b"a" * 200_000 + b'"\n').message


def test_formula_injection_is_refused_in_any_text_cell():
    rows = template_rows()
    rows[0]["name"] = '=HYPERLINK("http://example.com","click")'
    rows[1]["district"] = "+cmd|' /C calc'!A0"
    rows[2]["name"] = "@SUM(1+1)"
    rows[3]["name"] = "-2+3"
    sites = parse_sites(release(), csv_of(rows))
    assert len(sites.hubs) == 0
    found = {(p.row, p.field) for p in sites.problems}
    assert found == {(2, "name"), (3, "district"), (4, "name"), (5, "name")}
    assert all("formula" in p.message for p in sites.problems)


def test_html_and_script_text_is_data_not_a_problem():
    """Markup in a name is kept as the text it is (the app escapes it wherever it shows it)."""
    rows = template_rows()
    rows[0]["name"] = "<img src=x onerror=alert(1)>"
    rows[1]["name"] = "`${alert(1)}` </script><script>alert(2)</script>"
    sites = parse_sites(release(), csv_of(rows))
    assert sites.ok
    assert sites.hubs["name"].iloc[0] == "<img src=x onerror=alert(1)>"
    assert sites.hubs["name"].iloc[1] == "`${alert(1)}` </script><script>alert(2)</script>"


# --- the rules, by row and column ------------------------------------------------------------------------------------


def problems_of(rows, header=None):
    sites = parse_sites(release(), csv_of(rows, header))
    assert len(sites.hubs) == 0
    return {(p.row, p.field): p.message for p in sites.problems}


def test_required_and_unknown_columns():
    rows = [{k: v for k, v in r.items() if k != "lat"} | {"secret": "x"} for r in template_rows()]
    found = problems_of(rows)
    assert "This column is missing" in found[(1, "lat")]
    assert "not a column of the hub list" in found[(1, "secret")]


def test_types_and_missing_values():
    rows = template_rows()
    rows[0]["phase_id"] = "two"
    rows[1]["lat"] = "north"
    rows[2]["name"] = ""
    found = problems_of(rows)
    assert found == {(2, "phase_id"): "“two” is not a whole number.", (3, "lat"): "“north” is not a number.", (4, "name"): "A value is needed here."}


def test_unknown_city_province_phase_and_hub_type():
    rows = template_rows()
    rows[0]["city_id"] = "atlantis"
    rows[1]["province_id"] = "PB"  # a Karachi hub: Sindh
    rows[2]["phase_id"] = "9"
    rows[3]["hub_type"] = "castle"
    found = problems_of(rows)
    assert "not a city of this release's city list" in found[(2, "city_id")]
    assert found[(3, "province_id")].startswith("Karachi is in Sindh, not “PB”")
    assert found[(4, "phase_id")] == "Phase 9 is not a phase of this release (its phases: 1, 2, 3)."
    assert "not a hub type of this release" in found[(5, "hub_type")] and "flagship" in found[(5, "hub_type")]


def test_enum_and_pattern_columns_use_the_releases_schema():
    rows = template_rows()
    rows[0]["host_type"] = "palace"
    rows[1]["launch_quarter"] = "soon"
    found = problems_of(rows)
    assert "not one of the values this column takes" in found[(2, "host_type")]
    assert "not written the way this column is" in found[(3, "launch_quarter")]


def test_duplicate_ids_and_identical_coordinates():
    rows = template_rows()
    rows[1]["hub_id"] = rows[0]["hub_id"]
    rows[3]["lat"], rows[3]["lon"] = rows[2]["lat"], rows[2]["lon"]
    found = problems_of(rows)
    assert found[(3, "hub_id")] == f"The site id “{rows[0]['hub_id']}” is used already on row 2."
    assert found[(5, "lat")] == "The site has the same coordinates as the site on row 4."


def test_a_long_name_is_refused():
    rows = template_rows()
    rows[0]["name"] = "n" * (MAX_NAME + 1)
    assert problems_of(rows)[(2, "name")] == f"The name has {MAX_NAME + 1} characters; at most {MAX_NAME}."


def test_a_row_with_the_wrong_number_of_cells():
    text = template_csv(release()).splitlines()
    text[1] += ",extra"
    sites = parse_sites(release(), ("\n".join(text) + "\n").encode())
    assert [(p.row, p.field) for p in sites.problems] == [(2, None)] and len(sites.hubs) == 0


def north_of(city_id: str, km: float) -> tuple[float, float]:
    """A point `km` due north (south when negative) of a city of the release (its own coordinates), checked to be that far."""
    city = release().table("cities").set_index("city_id").loc[city_id]
    lat = float(city["lat"]) + math.degrees(km / 6371.0088)
    assert haversine_km(lat, float(city["lon"]), float(city["lat"]), float(city["lon"])) == pytest.approx(abs(km), abs=0.01)
    return lat, float(city["lon"])


def site_near(city_id: str, km: float) -> list[dict[str, str]]:
    city = release().table("cities").set_index("city_id").loc[city_id]
    lat, lon = north_of(city_id, km)
    return [
        {"hub_id": "mine-1", "name": "My site", "city_id": city_id, "province_id": str(city["province_id"]), "phase_id": "2"}
        | {"hub_type": "standard", "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"}
    ]


def test_a_site_40_km_from_its_city_is_accepted_and_60_km_refused():
    assert MAX_KM == 50
    sites = parse_sites(release(), csv_of(site_near("faisalabad", 40)))
    assert sites.ok and sites.hubs["hub_id"].tolist() == ["mine-1"]
    found = problems_of(site_near("faisalabad", 60))
    assert list(found) == [(2, "lat")]
    assert found[(2, "lat")] == "The site is 60.0 km from Faisalabad; a site must lie within 50 km of the city it names."


def test_a_site_outside_pakistan_is_refused():
    rows = site_near("karachi", 30)
    rows[0]["lat"] = f"{north_of('karachi', -45)[0]:.6f}"  # 45 km due south of Karachi's centre: the Arabian Sea
    assert "outside Pakistan's outline" in problems_of(rows)[(2, "lat")]


# --- the comparison ---------------------------------------------------------------------------------------------------


def test_the_plan_compared_with_itself_is_the_same_on_both_sides():
    r = release()
    cmp = compare_sites(r, r.hubs, 25)
    assert (cmp.coverage["plan_hubs"] == cmp.coverage["own_hubs"]).all()
    assert (cmp.coverage["plan_share"] == cmp.coverage["own_share"]).all()
    assert (cmp.provinces["difference"] == 0).all()
    assert cmp.provinces["plan_hubs"].sum() == len(r.hubs)
    assert cmp.provinces["rule_hubs"].sum() == len(r.hubs)


def test_the_comparison_counts_the_uploaded_sites():
    r = release()
    sites = parse_sites(r, csv_of(site_near("faisalabad", 10) + [site_near("peshawar", 5)[0] | {"hub_id": "mine-2", "phase_id": "3"}]))
    assert sites.ok
    cmp = compare_sites(r, sites.hubs, 25)
    provinces = cmp.provinces.set_index("province_id")
    assert provinces.loc["PB", "own_hubs"] == 1 and provinces.loc["KP", "own_hubs"] == 1 and provinces["own_hubs"].sum() == 2
    assert (provinces["difference"] == provinces["own_hubs"] - provinces["plan_hubs"]).all()
    assert cmp.coverage["own_hubs"].tolist() == [0, 1, 2]  # phases 1, 1-2, 1-3
    assert cmp.coverage["own_share"].iloc[0] == 0 and 0 < cmp.coverage["own_share"].iloc[2] < cmp.coverage["plan_share"].iloc[2]
    assert provinces["rule_hubs"].isna().all()  # the release's floor cannot share 2 hubs among every province
