"""A document's configuration (``--config report.yaml``): the choices a PCC office publishes.

Which priorities are applicable and why; what the statement compares each figure with; which
of two sources for the same thing leads; the board paper's front matter; whether the document
is approved.  These choices are published, so the file is read strictly
(``scorecard.config_files``): an unknown or misspelt key, a key given twice, a value of the
wrong type (``applicable: "false"`` in quotes is text), or a priority or measure the catalogue
does not have is an error naming the key and line, never a silent default.  Every key is in
docs/report.md (a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from scorecard import config_files
from scorecard.documents.model import Status
from scorecard.periods import Month, PeriodError, parse, parse_month
from scorecard.windows import DEFAULT_COMPARISONS, Comparison

if TYPE_CHECKING:
    from scorecard.catalogue.schema import Catalogue


#: The documents a report configuration builds (the annual report has its own: docs/annual-report.md).
ReportKind = Literal["statement", "board_paper"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class ApplicabilityEntry(_Strict):
    applicable: bool = Field(description="Whether the priority is assessed as applicable in this area.")
    reason: str = Field(min_length=1, description="Why, as published in the statement.")


class MeasureChoice(_Strict):
    """What one measure reports, where it differs from the statement's defaults."""

    comparisons: list[Comparison] | None = Field(default=None, min_length=1)
    window_months: int | None = Field(default=None, ge=1, le=36)
    window: str | None = Field(default=None, description="A fixed window, e.g. '2022-23 Q1'.")


class BoardFile(_Strict):
    """A board paper's front matter and closing, as the clerk sets them."""

    agenda_item: str = Field(min_length=1)
    board: str = Field(min_length=1)
    meeting_date: str = Field(min_length=1)
    plan_priority: str = "Regular Item"
    presented_by: str = Field(min_length=1)
    authors: str = Field(min_length=1)
    job_title: str = Field(min_length=1)
    purpose: list[str] = Field(default_factory=list)
    recommendation: str = "The board is asked to note the contents of this report."
    next_steps: str = ""
    appendices: list[str] = Field(default_factory=lambda: ["Police and Crime Plan KPI Scorecard"])


class DocumentConfigFile(_Strict):
    """The keys a document configuration may hold (see docs/report.md)."""

    document: ReportKind = "statement"
    status: Status = "draft"
    title: str | None = None
    publication: str | None = Field(default=None, description="The publication label, e.g. '2024-25 Q1 update'.")
    data_to: str | None = Field(default=None, description="The last month figures may cover, e.g. 'Mar 2024'.")
    window_months: int = Field(default=12, ge=1, le=36)
    comparisons: list[Comparison] = Field(default_factory=lambda: list(DEFAULT_COMPARISONS), min_length=1)
    stale_after_months: int = Field(default=12, ge=0)
    measures: dict[str, MeasureChoice] = Field(default_factory=dict)
    lead: list[str] = Field(default_factory=list, description="Measures that lead when two give the same metric.")
    applicability: dict[str, ApplicabilityEntry] = Field(default_factory=dict)
    similar_threshold_pct: float = Field(default=5.0, ge=0)
    similar_threshold_points: float = Field(default=2.0, ge=0)
    scorecard_measures: list[str] | None = Field(default=None, min_length=1)
    commentary_dir: str | None = Field(default=None, min_length=1)
    notes: list[str] = Field(default_factory=list)
    introduction: list[str] | None = None
    closing: str | None = None
    board: BoardFile | None = None


@dataclass(frozen=True)
class DocumentConfig:
    """The choices, checked against the catalogue (``load``); the defaults when there is no file."""

    document: ReportKind = "statement"
    status: Status = "draft"
    title: str | None = None
    publication: str | None = None
    data_to: Month | None = None
    window_months: int = 12
    comparisons: tuple[Comparison, ...] = DEFAULT_COMPARISONS
    stale_after_months: int = 12
    measures: dict[str, MeasureChoice] = field(default_factory=dict)
    lead: tuple[str, ...] = ()
    applicability: dict[str, ApplicabilityEntry] = field(default_factory=dict)
    similar_threshold_pct: float = 5.0
    similar_threshold_points: float = 2.0
    scorecard_measures: tuple[str, ...] | None = None
    commentary_dir: Path | None = None
    notes: tuple[str, ...] = ()
    introduction: tuple[str, ...] | None = None
    closing: str | None = None
    board: BoardFile | None = None
    source: str | None = None  # the file it was read from

    def as_published(self) -> dict[str, object]:
        """The configuration as report.json records it (so ``verify`` can rebuild the
        document the same way); no local paths."""
        return {
            "document": self.document, "status": self.status, "title": self.title, "publication": self.publication,
            "data_to": self.data_to.iso() if self.data_to else None, "window_months": self.window_months,
            "comparisons": list(self.comparisons), "stale_after_months": self.stale_after_months,
            "measures": {k: v.model_dump(exclude_none=True) for k, v in self.measures.items()},
            "lead": list(self.lead),
            "applicability": {k: v.model_dump() for k, v in self.applicability.items()},
            "similar_threshold_pct": self.similar_threshold_pct,
            "similar_threshold_points": self.similar_threshold_points,
            "scorecard_measures": list(self.scorecard_measures) if self.scorecard_measures else None,
            "notes": list(self.notes),
            "introduction": list(self.introduction) if self.introduction is not None else None,
            "closing": self.closing, "board": self.board.model_dump() if self.board else None,
        }

    @classmethod
    def load(cls, path: Path | None, *, catalogue: Catalogue, commentary_dir: Path | None = None,
             document: ReportKind | None = None) -> DocumentConfig:
        """The configuration at ``path`` (or the defaults), checked against ``catalogue``.

        ``commentary_dir`` (``--commentary``) wins over the file's, which is read relative to
        the configuration file's folder; either way the folder must exist and hold only files
        that match a force, period, priority and voice (``commentary.check_folder``).
        ``document`` (``--document``) wins over the file's ``document``.
        """
        from scorecard.documents import commentary

        priority_ids = [p.id for p in catalogue.priorities]
        if path is None:
            if commentary_dir is not None:
                commentary.check_folder(commentary_dir, priority_ids)
            return cls(commentary_dir=commentary_dir, document=document or "statement")
        doc = config_files.load_yaml(path, what="report configuration")
        spec = config_files.validate(DocumentConfigFile, doc)
        return cls.from_spec(spec, doc, catalogue=catalogue, folder_base=path.parent,
                             commentary_dir=commentary_dir, document=document, source=str(path))

    @classmethod
    def from_spec(cls, spec: DocumentConfigFile, doc: config_files.Document, *, catalogue: Catalogue,
                  folder_base: Path | None, commentary_dir: Path | None = None,
                  document: ReportKind | None = None, source: str | None = None) -> DocumentConfig:
        from scorecard.documents import commentary

        priority_ids = [p.id for p in catalogue.priorities]
        _known(doc, ("applicability",), spec.applicability, priority_ids, "priority")
        _known(doc, ("measures",), spec.measures, list(catalogue.by_id), "measure")
        _listed(doc, "lead", spec.lead, catalogue)
        _listed(doc, "scorecard_measures", spec.scorecard_measures or [], catalogue)
        for mid, choice in spec.measures.items():
            if choice.window is not None:
                _period(doc, ("measures", mid, "window"), choice.window)
        data_to = None
        if spec.data_to is not None:
            try:
                data_to = parse_month(spec.data_to)
            except PeriodError as exc:
                raise doc.error(("data_to",), f"{exc} (give a month, e.g. 'Mar 2024')") from None
        kind = document or spec.document
        if kind == "board_paper" and spec.board is None:
            raise doc.error(("document",), "a board paper needs a 'board' section (agenda_item, board, "
                                           "meeting_date, presented_by, authors, job_title)")
        folder = commentary_dir
        if folder is None and spec.commentary_dir is not None and folder_base is not None:
            folder = folder_base / spec.commentary_dir
            if not folder.is_dir():
                raise doc.error(("commentary_dir",), f"{folder} is not a folder (commentary_dir is read "
                                                     "relative to this file's folder)")
        if folder is not None:
            commentary.check_folder(folder, priority_ids)
        return cls(
            document=kind, status=spec.status, title=spec.title, publication=spec.publication, data_to=data_to,
            window_months=spec.window_months, comparisons=tuple(spec.comparisons),
            stale_after_months=spec.stale_after_months, measures=dict(spec.measures), lead=tuple(spec.lead),
            applicability=dict(spec.applicability), similar_threshold_pct=spec.similar_threshold_pct,
            similar_threshold_points=spec.similar_threshold_points,
            scorecard_measures=tuple(spec.scorecard_measures) if spec.scorecard_measures else None,
            commentary_dir=folder, notes=tuple(spec.notes),
            introduction=tuple(spec.introduction) if spec.introduction is not None else None,
            closing=spec.closing, board=spec.board, source=source,
        )


def _known(doc: config_files.Document, key: tuple[str, ...], given: Mapping[str, object], known: list[str],
           what: str) -> None:
    for name in given:
        if name not in known:
            raise doc.error((*key, name), f"no {what} {name!r} in the catalogue{config_files.suggest(name, known)}")


def _listed(doc: config_files.Document, key: str, ids: list[str], catalogue: Catalogue) -> None:
    seen: set[str] = set()
    for i, mid in enumerate(ids):
        if mid not in catalogue.by_id:
            raise doc.error((key, i), f"no measure {mid!r} in the catalogue"
                                      f"{config_files.suggest(mid, catalogue.by_id)}; "
                                      "`scorecard catalogue list` shows every measure")
        if mid in seen:
            raise doc.error((key, i), f"measure {mid!r} is listed twice")
        seen.add(mid)


def _period(doc: config_files.Document, key: tuple[str, ...], text: str) -> None:
    try:
        parse(text)
    except PeriodError as exc:
        raise doc.error(key, str(exc)) from None

