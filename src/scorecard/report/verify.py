"""Re-derive a published report's figures from the store and list what no longer agrees.

After a revised month or quarter is loaded, a statement published last quarter may
quote figures the data no longer supports.  ``verify`` rebuilds the same force and
period with the same catalogue and compares every figure, unrounded, with the one in
``report.json``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scorecard.catalogue.schema import Catalogue
from scorecard.errors import InputError
from scorecard.periods import parse
from scorecard.report.build import ReportConfig, build_report
from scorecard.store import Store

COMPARED = ("value", "baseline_value", "previous_value", "last_year_value")


@dataclass(frozen=True)
class Difference:
    measure_id: str
    field: str
    published: float | None
    now: float | None

    def __str__(self) -> str:
        return f"{self.measure_id}.{self.field}: published {self.published}, store now gives {self.now}"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def read_report(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(path, f"not a readable report.json: {exc}") from exc
    if data.get("format") != "policing-scorecard/report@1":
        raise InputError(path, "not a report.json written by `scorecard report`")
    return data


def verify(path: Path, store: Store, catalogue: Catalogue) -> list[Difference]:
    published = read_report(path)
    if published["catalogue_version"] != catalogue.version:
        raise InputError(path, f"report used catalogue {published['catalogue_version']}, "
                               f"this catalogue is {catalogue.version}: pass the matching --catalogue")
    rebuilt = build_report(store, catalogue, published["force_id"], parse(published["period_label"]),
                           ReportConfig())
    now = {f.measure_id: f for s in rebuilt.sections for f in s.figures}
    diffs = []
    for section in published["sections"]:
        for fig in section["figures"]:
            current = now.get(fig["measure_id"])
            for field in COMPARED:
                new = getattr(current, field) if current else None
                if not _same(fig[field], new):
                    diffs.append(Difference(fig["measure_id"], field, fig[field], new))
    return diffs
