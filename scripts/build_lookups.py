"""Rebuild the bundled lookups in src/scorecard/data/lookups from ../shared/data/lookups.

Every LSOA code data.police.uk uses (2001, 2011 and 2021 vintages) is mapped to its 2022
local authority, so sub-area figures compare like with like across years; the local
authority is mapped to its community safety partnership (2019 lookup; authorities created
since then are their own CSP) and force.  Force areas (for checking that a stop-and-search
file's locations are in the force its name says) are the ONS police force area boundaries,
December 2023, ultra-generalised (BUC), with coordinates rounded to 4 decimal places (about
10 m).  Run: python scripts/build_lookups.py
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "lookups"
OUT = ROOT / "src" / "scorecard" / "data" / "lookups"

# Unitary authorities created after the 2019 lookup, with the force that polices them.
NEW_AUTHORITIES = {"E06000060": "Thames Valley", "E06000061": "Northamptonshire", "E06000062": "Northamptonshire"}


def rows(name: str) -> list[dict[str, str]]:
    text = (SHARED / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def main() -> None:
    forces = {r["name"]: r["force_id"] for r in csv.DictReader((OUT / "forces.csv").open(encoding="utf-8"))}
    forces.update({"Metropolitan Police": "metropolitan", "London, City of": "city-of-london",
                   "Devon & Cornwall": "devon-and-cornwall"})
    lad_csp: dict[str, tuple[str, str, str]] = {}
    for r in rows("lad19-csp19-pfa19.csv"):
        lad_csp[r["LAD19CD"]] = (r["CSP19CD"], r["CSP19NM"], forces[r["PFA19NM"]])
    for code, force in NEW_AUTHORITIES.items():
        lad_csp.setdefault(code, (code, "", forces[force]))
    lsoa: dict[str, tuple[str, str]] = {}
    lsoa11_lad22: dict[str, tuple[str, str]] = {}
    for r in rows("lsoa11-to-lsoa21-lad22.csv"):
        lad = (r["LAD22CD"], r["LAD22NM"])
        lsoa[r["LSOA21CD"]] = lad
        lsoa11_lad22[r["LSOA11CD"]] = lad
        lsoa.setdefault(r["LSOA11CD"], lad)
    for r in rows("lsoa01-lsoa11-lad11.csv"):
        lad = lsoa11_lad22.get(r["LSOA11CD"], (r["LAD11CD"], r["LAD11NM"]))
        lsoa.setdefault(r["LSOA11CD"], lad)
        lsoa.setdefault(r["LSOA01CD"], lad)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["lsoa_code", "lad_code", "lad_name", "csp_code", "csp_name", "force_id"])
    missing = set()
    for code in sorted(lsoa):
        lad_code, lad_name = lsoa[code]
        csp_code, csp_name, force = lad_csp.get(lad_code, ("", "", ""))
        if not force:
            missing.add((lad_code, lad_name))
        w.writerow([code, lad_code, lad_name, csp_code or lad_code, csp_name or lad_name, force])
    with gzip.open(OUT / "lsoa.csv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(out.getvalue())
    pop = io.StringIO()
    pw = csv.writer(pop, lineterminator="\n")
    pw.writerow(["force_id", "year", "population", "source"])
    for r in rows("pfa-population-2009-2019.csv"):
        for name, value in r.items():
            if name != "year" and value:
                pw.writerow([forces[name], r["year"], value, "ONS mid-year estimates summed to PFA (2009-2019)"])
    for r in rows("pfa-population-mid2024.csv"):
        name = {"London, City of": "City of London", "Devon & Cornwall": "Devon and Cornwall"}.get(
            r["PFA 2023 Name"], r["PFA 2023 Name"])
        pw.writerow([forces[name], 2024, r["Population"], "ONS mid-2024 population estimates"])
    (OUT / "population.csv").write_text(pop.getvalue(), encoding="utf-8")
    print(f"{len(lsoa)} LSOA codes; authorities without a force: {sorted(missing)}")
    build_force_areas()


def build_force_areas() -> None:
    """``force-areas.json.gz``: every force's boundary as rings of [longitude, latitude, ...]."""
    by_code = {r["ons_code"]: r["force_id"] for r in csv.DictReader((OUT / "forces.csv").open(encoding="utf-8"))}
    geojson = json.loads((SHARED / "pfa-boundaries-dec2023-buc.geojson").read_text(encoding="utf-8"))
    areas: dict[str, list[list[float]]] = {}
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        areas[by_code[feature["properties"]["PFA23CD"]]] = [
            [round(c, 4) for point in ring for c in point[:2]] for polygon in polygons for ring in polygon]
    document = {"source": "ONS Police Force Areas (December 2023) Boundaries EW BUC, OGL v3.0; "
                          "coordinates rounded to 4 decimal places",
                "rings": dict(sorted(areas.items()))}
    text = json.dumps(document, separators=(",", ":"))
    with (OUT / "force-areas.json.gz").open("wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(text.encode("utf-8"))
    print(f"{len(areas)} force areas, {sum(len(r) // 2 for rs in areas.values() for r in rs)} vertices")


if __name__ == "__main__":
    main()
