"""JSON and CSV of every figure a report shows, each with its provenance.

``report.json`` is the whole model (so ``scorecard verify`` can re-derive it); the CSVs
are flat tables for Excel and Power BI: one of figures, one of the scorecard with its
status columns.  Percentages are rounded once here, as in every other output.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from scorecard.numbers import round_half_away
from scorecard.report.model import Report


def _r(v: float | None, places: int = 1) -> float | None:
    return None if v is None else round_half_away(v, places)


def report_json(report: Report) -> str:
    data = asdict(report)
    data["format"] = "policing-scorecard/report@1"
    return json.dumps(data, indent=2, ensure_ascii=False)


def figures_rows(report: Report) -> list[dict[str, Any]]:
    prov = {p.load_id: p for p in report.provenance}
    rows = []
    for s in report.sections:
        for f in s.figures:
            rows.append({
                "area": report.area_name, "force_id": report.force_id, "priority": s.title,
                "measure_id": f.measure_id, "measure": f.title, "role": f.role, "unit": f.unit,
                "period": f.period_label, "value": f.value, "status": f.status,
                "baseline_period": f.baseline_label, "baseline_value": f.baseline_value,
                "change": f.change, "change_pct": _r(f.change_pct),
                "previous_period": f.previous_label, "previous_value": f.previous_value,
                "change_pct_vs_previous": _r(f.change_pct_vs_previous),
                "same_period_last_year": f.last_year_label, "same_period_last_year_value": f.last_year_value,
                "change_pct_vs_last_year": _r(f.change_pct_vs_last_year),
                "rate_per_1000": _r(f.rate_per_1000, 2), "note": f.note, "source": f.source_text,
                "source_files": " ".join(prov[i].file for i in f.load_ids if i in prov),
                "source_sha256": " ".join(prov[i].sha256 for i in f.load_ids if i in prov),
                "catalogue_version": report.catalogue_version,
            })
    return rows


def scorecard_rows(report: Report) -> list[dict[str, Any]]:
    return [{
        "area": report.area_name, "force_id": report.force_id, "measure_id": r.measure_id, "measure": r.title,
        "priority_id": r.priority_id, "period": r.period_label, "unit": r.unit, "direction": r.direction,
        "value": r.value, "baseline_value": r.baseline_value, "change": r.change, "change_pct": _r(r.change_pct),
        "target": r.target, "status": r.status, "status_text": r.status_text,
        "variation_type": r.variation_type, "assurance_type": r.assurance_type,
        "variation_icon": r.variation_icon, "assurance_icon": r.assurance_icon,
        "catalogue_version": report.catalogue_version,
    } for r in report.scorecard]


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buf.getvalue()
