"""The report configuration (``--config report.yaml``): the choices a PCC office makes per area.

These choices are published — which priorities are applicable and why, how close to the
baseline counts as "similar", which measures make the scorecard — so the file is read
strictly (``scorecard.config_files``): an unknown or misspelt key, a key given twice, a value
of the wrong type (``applicable: "false"`` in quotes is text, not false), a priority or
measure the catalogue does not have, or a commentary folder that does not exist is an
error naming the key and line, never a silent default.  The format is in docs/report.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from scorecard import config_files
from scorecard.report import commentary
from scorecard.report.model import Applicability

if TYPE_CHECKING:
    from scorecard.catalogue.schema import Catalogue


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class ApplicabilityEntry(_Strict):
    applicable: bool = Field(description="Whether the priority is assessed as applicable in this area.")
    reason: str = Field(min_length=1, description="Why, as published in the statement.")


class ReportConfigFile(_Strict):
    """The keys a report configuration may hold (see docs/report.md)."""

    title: str | None = None
    applicability: dict[str, ApplicabilityEntry] = Field(default_factory=dict)
    similar_threshold_pct: float = Field(default=5.0, ge=0)
    similar_threshold_points: float = Field(default=2.0, ge=0)
    scorecard_measures: list[str] | None = Field(default=None, min_length=1)
    commentary_dir: str | None = Field(default=None, min_length=1)
    notes: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class ReportConfig:
    """Per-area choices a PCC office makes; read from YAML by ``load`` (see docs/report.md)."""

    applicability: dict[str, Applicability] = field(default_factory=dict)
    similar_threshold_pct: float = 5.0
    similar_threshold_points: float = 2.0
    scorecard_measures: tuple[str, ...] | None = None
    commentary_dir: Path | None = None
    title: str | None = None
    notes: tuple[str, ...] = ()  # paragraphs added to the introduction, e.g. where figures came from

    @classmethod
    def load(cls, path: Path | None, *, catalogue: Catalogue, commentary_dir: Path | None = None) -> ReportConfig:
        """The configuration at ``path`` (or the defaults), checked against ``catalogue``.

        ``commentary_dir`` (``--commentary``) wins over the file's ``commentary_dir``, which is
        read relative to the configuration file's folder.  Either way the folder must exist
        and hold only files that match a force, period and priority (``commentary.check_folder``).
        """
        priority_ids = [p.id for p in catalogue.priorities]
        if path is None:
            if commentary_dir is not None:
                commentary.check_folder(commentary_dir, priority_ids)
            return cls(commentary_dir=commentary_dir)
        doc = config_files.load_yaml(path, what="report configuration")
        spec = config_files.validate(ReportConfigFile, doc)
        for pid in spec.applicability:
            if pid not in priority_ids:
                raise doc.error(("applicability", pid), f"no priority {pid!r} in the catalogue"
                                                        f"{config_files.suggest(pid, priority_ids)}; known: "
                                                        f"{', '.join(priority_ids)}")
        seen: set[str] = set()
        for i, mid in enumerate(spec.scorecard_measures or []):
            if mid not in catalogue.by_id:
                raise doc.error(("scorecard_measures", i), f"no measure {mid!r} in the catalogue"
                                                           f"{config_files.suggest(mid, catalogue.by_id)}; "
                                                           "`scorecard catalogue list` shows every measure")
            if mid in seen:
                raise doc.error(("scorecard_measures", i), f"measure {mid!r} is listed twice")
            seen.add(mid)
        folder = commentary_dir
        if folder is None and spec.commentary_dir is not None:
            folder = path.parent / spec.commentary_dir
        if folder is not None:
            if commentary_dir is None and not folder.is_dir():
                raise doc.error(("commentary_dir",), f"{folder} is not a folder (commentary_dir is read "
                                                     "relative to this file's folder)")
            commentary.check_folder(folder, priority_ids)
        return cls(
            applicability={pid: Applicability(a.applicable, a.reason) for pid, a in spec.applicability.items()},
            similar_threshold_pct=spec.similar_threshold_pct,
            similar_threshold_points=spec.similar_threshold_points,
            scorecard_measures=tuple(spec.scorecard_measures) if spec.scorecard_measures else None,
            commentary_dir=folder,
            title=spec.title,
            notes=tuple(spec.notes),
        )
