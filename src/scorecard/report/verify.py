"""Re-derive a published report's figures from the store and list what no longer agrees.

After a revised month or quarter is loaded, a statement published last quarter may
quote figures the data no longer supports.  ``verify`` rebuilds the same force and
period with the same catalogue and compares every figure, unrounded, with the one in
``report.json``; each difference names the report.json, the priority section, the
measure and the field.

A report.json may have been edited, truncated or replaced since it was written, so it is
read like any configuration file (``scorecard.config_files``: a bounded regular file, strict
JSON) and the fields verify uses are checked by a strict model; a file of the wrong shape,
or whose force or period no longer reads, is a ``ConfigError`` naming the key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scorecard import config_files
from scorecard.areas import forces
from scorecard.catalogue.schema import Catalogue
from scorecard.errors import ConfigError
from scorecard.periods import Period, PeriodError, parse
from scorecard.report.build import build_report
from scorecard.report.config import ReportConfig
from scorecard.store import Store

COMPARED = ("value", "baseline_value", "previous_value", "last_year_value")
FORMAT = "policing-scorecard/report@1"

#: Largest report.json read: one force's report is about 120 KB (charts since the baseline
#: included); 16 MiB leaves room for decades of monthly series and is decoded in about a second.
MAX_BYTES = 16 * 1024 * 1024


class _Published(BaseModel):
    """Strict types for the fields verify reads; the rest of the model is not looked at."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True, allow_inf_nan=False)


class PublishedFigure(_Published):
    measure_id: str
    value: float | None
    baseline_value: float | None
    previous_value: float | None
    last_year_value: float | None


class PublishedSection(_Published):
    priority_id: str
    figures: list[PublishedFigure]


class PublishedReport(_Published):
    format: Literal["policing-scorecard/report@1"] = Field(description="Written by `scorecard report`.")
    catalogue_version: str
    force_id: str
    period_label: str
    sections: list[PublishedSection]


@dataclass(frozen=True)
class Difference:
    file: str
    priority_id: str
    measure_id: str
    field: str
    published: float | None
    now: float | None

    def __str__(self) -> str:
        return (f"{self.file}, priority {self.priority_id}, figure {self.measure_id}.{self.field}: "
                f"published {self.published}, store now gives {self.now}")


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def read_report(path: Path) -> tuple[PublishedReport, Period]:
    """The published report at ``path`` and its period, or a ``ConfigError`` naming the key."""
    doc = config_files.load_json(path, what="report.json", limit=MAX_BYTES)
    if not isinstance(doc.data, dict) or doc.data.get("format") != FORMAT:
        raise ConfigError(path, f"not a report.json written by `scorecard report` (no \"format\": \"{FORMAT}\")",
                          where="key format" if isinstance(doc.data, dict) else None)
    published = config_files.validate(PublishedReport, doc)
    if published.force_id not in forces():
        raise doc.error(("force_id",), f"unknown police force {published.force_id!r}")
    try:
        period = parse(published.period_label)
    except PeriodError as exc:
        raise doc.error(("period_label",), f"the period no longer reads: {exc}") from None
    return published, period


def verify(path: Path, store: Store, catalogue: Catalogue) -> list[Difference]:
    published, period = read_report(path)
    if published.catalogue_version != catalogue.version:
        raise ConfigError(path, f"report used catalogue {published.catalogue_version}, this catalogue is "
                                f"{catalogue.version}: pass the matching --catalogue", where="key catalogue_version")
    rebuilt = build_report(store, catalogue, published.force_id, period, ReportConfig())
    now = {f.measure_id: f for s in rebuilt.sections for f in s.figures}
    diffs = []
    for section in published.sections:
        for fig in section.figures:
            current = now.get(fig.measure_id)
            for field in COMPARED:
                was: float | None = getattr(fig, field)
                new: float | None = getattr(current, field) if current else None
                if not _same(was, new):
                    diffs.append(Difference(str(path), section.priority_id, fig.measure_id, field, was, new))
    return diffs
