"""A map of the 43 police force areas as SVG, each area a link, shaded by the band it is given.

The boundaries are ONS's "BUC" (ultra generalised) Police Force Areas, bundled as
``data/lookups/force-areas.json.gz``, drawn on a plain projection: longitude scaled by the
cosine of England and Wales's middle latitude, so the country keeps its shape.  The map lays out
what it is given — each area's band, words and link — and decides nothing; the same figures
are always in a table beside it for anyone who cannot see the map.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from markupsafe import Markup, escape

WIDTH = 420
#: Five bands, light to dark (a sequential blue scale that stays readable in greyscale), and none.
BANDS = ("#d2e2f1", "#9ec3e4", "#5694ca", "#1d70b8", "#003078")
NO_FIGURE = "#f3f2f1"
_MID_LATITUDE = 53.0


@dataclass(frozen=True)
class Area:
    band: int | None  # 0 (lowest) to 4, or None: no figure
    label: str  # "West Midlands: 39 (rank 12 of 43)"
    href: str


@cache
def _rings() -> dict[str, list[list[float]]]:
    raw = resources.files("scorecard").joinpath("data/lookups/force-areas.json.gz").read_bytes()
    rings: dict[str, list[list[float]]] = json.loads(gzip.decompress(raw))["rings"]
    return rings


@cache
def _paths() -> tuple[dict[str, str], float]:
    """Each force's SVG path data, and the map's height, at ``WIDTH`` pixels wide."""
    scale_x = math.cos(math.radians(_MID_LATITUDE))
    xs = [x * scale_x for rings in _rings().values() for ring in rings for x in ring[0::2]]
    ys = [y for rings in _rings().values() for ring in rings for y in ring[1::2]]
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    k = WIDTH / (right - left)
    paths = {}
    for force_id, rings in _rings().items():
        parts = []
        for ring in rings:
            pts = [f"{(x * scale_x - left) * k:.1f},{(top - y) * k:.1f}" for x, y in zip(ring[0::2], ring[1::2],
                                                                                     strict=True)]
            parts.append("M" + "L".join(pts) + "Z")
        paths[force_id] = "".join(parts)
    return paths, (top - bottom) * k


def force_map_svg(areas: Mapping[str, Area], title: str, described_by: str) -> Markup:
    """The map; ``described_by`` is the id of the table that gives the same figures in words."""
    paths, height = _paths()
    out = [f'<svg class="app-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
           f'role="group" aria-label="{escape(title)}" aria-describedby="{escape(described_by)}">']
    for force_id, d in paths.items():
        area = areas.get(force_id)
        fill = NO_FIGURE if area is None or area.band is None else BANDS[area.band]
        if area is None:
            out.append(f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.6"/>')
            continue
        out.append(f'<a href="{escape(area.href)}" aria-label="{escape(area.label)}"><title>{escape(area.label)}'
                   f'</title><path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.6"/></a>')
    out.append("</svg>")
    return Markup("".join(out))
