"""Geography helpers: distances on the WGS84 ellipsoid, the hubs GeoJSON, and the inside-Pakistan check."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
OUTLINE_TOLERANCE_DEG = 0.15  # about 15 km: the 1:50m outline is coarse at the coast

HUB_GEOJSON_PROPERTIES = [
    "hub_id",
    "name",
    "city_id",
    "district",
    "province_id",
    "phase_id",
    "hub_type",
    "host_type",
    "focus_areas",
    "learner_capacity_per_year",
    "launch_quarter",
    "status",
    "location_precision",
    "place_ref",
    "coord_source",
]


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (within 0.5% of the geodesic distance anywhere in Pakistan)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def hubs_geojson(hubs: pd.DataFrame) -> dict:
    """The hubs table as a GeoJSON FeatureCollection (one Point per hub, [lon, lat])."""
    features = []
    for row in hubs.itertuples(index=False):
        r = row._asdict()
        features.append(
            {
                "type": "Feature",
                "id": r["hub_id"],
                "geometry": {"type": "Point", "coordinates": [_plain(r["lon"]), _plain(r["lat"])]},
                "properties": {k: _plain(r[k]) for k in HUB_GEOJSON_PROPERTIES},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outline_shape(outline: dict):
    """A shapely geometry from the outline GeoJSON (a Feature or FeatureCollection of polygons)."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    if outline.get("type") == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in outline["features"]]
        return unary_union(geoms)
    if outline.get("type") == "Feature":
        return shape(outline["geometry"])
    return shape(outline)


def points_outside(outline: dict, lats, lons, tolerance_deg: float = OUTLINE_TOLERANCE_DEG) -> list[int]:
    """Indexes of the points farther than the tolerance outside the outline."""
    from shapely import contains_xy

    area = outline_shape(outline).buffer(tolerance_deg)
    inside = contains_xy(area, np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return [i for i, ok in enumerate(inside) if not ok]
