"""Results as rows for CSV/JSON/table output: the one place results meet rounding.

Values are carried unrounded to this point; percentages (and rates) are rounded here,
once, half away from zero, to the precision published documents use (one decimal place).
Counts are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from scorecard.numbers import round_half_away
from scorecard.results import Result, provenance
from scorecard.store import Store

PCT_PLACES = 1
RATE_PLACES = 2

COLUMNS = [
    "measure_id", "measure", "priority", "role", "unit", "direction", "area_type", "area_code", "area_name",
    "force_id", "period", "period_first", "period_last", "value", "status", "note",
    "baseline_period", "baseline_value", "change", "change_pct",
    "previous_period", "previous_value", "change_vs_previous", "change_pct_vs_previous",
    "same_period_last_year", "same_period_last_year_value", "change_vs_last_year", "change_pct_vs_last_year",
    "rate_per_1000", "population", "population_year", "source", "load_ids",
]


def _r(value: float | None, places: int) -> float | None:
    return None if value is None else round_half_away(value, places)


def _value(result: Result, value: float | None) -> float | None:
    if value is None:
        return None
    if result.measure.unit == "percentage":
        return round_half_away(value, PCT_PLACES)
    return value if value != int(value) else float(int(value))


def result_row(result: Result) -> dict[str, Any]:
    f = result.figures
    cur = f["current"]
    return {
        "measure_id": result.measure.id,
        "measure": result.measure.title,
        "priority": result.measure.priority,
        "role": result.measure.role,
        "unit": result.measure.unit,
        "direction": result.measure.direction,
        "area_type": result.area.area_type,
        "area_code": result.area.code,
        "area_name": result.area.name,
        "force_id": result.area.force_id,
        "period": cur.period.label,
        "period_first": cur.period.first.iso(),
        "period_last": cur.period.last.iso(),
        "value": _value(result, cur.value),
        "status": cur.status,
        "note": "; ".join(x for x in (cur.note, *(f"{role.replace('_', ' ')} {fig.note}"
                                                    for role, fig in f.items() if role != "current" and fig.note))
                          if x),
        "baseline_period": f["baseline"].period.label,
        "baseline_value": _value(result, f["baseline"].value),
        "change": _value(result, result.change("baseline")),
        "change_pct": _r(result.change_pct("baseline"), PCT_PLACES),
        "previous_period": f["previous"].period.label,
        "previous_value": _value(result, f["previous"].value),
        "change_vs_previous": _value(result, result.change("previous")),
        "change_pct_vs_previous": _r(result.change_pct("previous"), PCT_PLACES),
        "same_period_last_year": f["same_period_last_year"].period.label,
        "same_period_last_year_value": _value(result, f["same_period_last_year"].value),
        "change_vs_last_year": _value(result, result.change("same_period_last_year")),
        "change_pct_vs_last_year": _r(result.change_pct("same_period_last_year"), PCT_PLACES),
        "rate_per_1000": _r(result.rate_per_1000, RATE_PLACES),
        "population": result.population,
        "population_year": result.population_year,
        "source": result.measure.source_text,
        "load_ids": list(result.load_ids),
    }


def to_json(store: Store, results: Sequence[Result], *, catalogue_version: str) -> str:
    rows = []
    for r in results:
        row = result_row(r)
        row["provenance"] = provenance(store, r.load_ids)
        row["catalogue_version"] = catalogue_version
        row["series"] = [{"first": p.first.iso(), "last": p.last.iso(), "value": _value(r, p.value)}
                         for p in r.series]
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)


def to_csv(results: Sequence[Result]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in results:
        row = result_row(r)
        row["load_ids"] = " ".join(str(i) for i in row["load_ids"])
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()
