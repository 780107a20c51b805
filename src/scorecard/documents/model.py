"""The document model: what a published document says, as plain immutable data.

Every document the scorecard publishes — the statutory statement, the board paper and its
scorecard, the annual report — is built into this one model, and every renderer (HTML,
Word, PDF, CSV/JSON) draws it without deciding anything.  Each number a reader sees is
already text here, formatted once by ``scorecard.documents.format`` (a ``Cell`` keeps the
unrounded value beside it), so the Word paper cannot say 34% where the web page says 33%.

    Document(front matter, status: draft | submitted | approved, sections)
    Section(heading, blocks)
    Block = Paragraph | BulletList | Table | Chart | Commentary | Note

Text that comes from people (commentary, applicability reasons, configuration titles) is
untrusted: renderers escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from scorecard.documents.format import Cell

Status = Literal["draft", "submitted", "approved"]
STATUSES: tuple[Status, ...] = ("draft", "submitted", "approved")
Voice = Literal["force", "pcc", "analyst", "office"]  # "office": an annual report's chapter text
DocumentKind = Literal["statement", "board_paper", "annual_report"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose.  ``number`` is its paragraph number where the document numbers
    them (board papers do); ``generated`` marks a sentence the scorecard wrote from figures."""

    text: str
    number: int | None = None
    generated: bool = False
    refs: tuple[str, ...] = ()  # the figures it states, e.g. ("homicide.value", "homicide.baseline")


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Column:
    heading: str
    numeric: bool = False  # right-aligned
    nowrap: bool = False  # short values (a period label, a figure) kept on one line where there is room


@dataclass(frozen=True)
class Icon:
    """An SPC or status symbol, drawn by the renderer beside its ``label`` (never colour alone)."""

    kind: Literal["variation", "assurance", "status"]
    name: str  # e.g. "special_cause_improvement", "pass", "target_met"
    label: str  # the words, always shown or read out


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    icons: tuple[tuple[int, Icon], ...] = ()  # (column, icon) drawn before that column's text
    trend: tuple[float | None, ...] = ()  # a sparkline after the last column (the scorecard)
    trend_text: str = ""  # the sparkline's text alternative
    kind: Literal["data", "heading", "subtotal", "total"] = "data"  # a total or heading row is set in bold


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    kind: Literal["figures", "scorecard", "plain"] = "plain"
    id: str = ""  # a plain table's id ("precept"): its CSV is table-<id>.csv


@dataclass(frozen=True)
class ChartPoint:
    label: str  # the period, as text
    value: Cell
    mean: float | None
    lower: float | None
    upper: float | None
    point_type: str  # common_cause, special_cause_improvement, ... (Making Data Count)


@dataclass(frozen=True)
class Chart:
    """An SPC chart of one measure's series (one grain), with its text alternative."""

    id: str
    title: str
    unit: str
    y_label: str
    points: tuple[ChartPoint, ...]
    target: Cell | None
    variation: Icon | None
    assurance: Icon | None
    alt_text: str  # every point in words, for screen readers and the Word file
    counts: bool  # a count: the axis starts at zero and no limit is drawn below it


@dataclass(frozen=True)
class Commentary:
    """Text written by people for a priority, in one voice, with figure references resolved."""

    voice: Voice
    heading: str
    markdown: str
    source_file: str | None = None
    references: tuple[tuple[str, str], ...] = ()  # (reference, text inserted)
    number_from: int | None = None  # numbered documents: its top-level paragraphs are numbered from here
    written: str = ""  # the text as written, references unresolved: what verify resolves again


@dataclass(frozen=True)
class Note:
    text: str
    kind: Literal["caveat", "source", "stale", "flag", "info"] = "info"


Block = Paragraph | BulletList | Table | Chart | Commentary | Note


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    blocks: tuple[Block, ...]
    level: int = 2  # 2: a main heading; 3 below it
    appendix: bool = False


@dataclass(frozen=True)
class Source:
    """A file behind the figures (provenance), as published with the document."""

    load_id: int
    file: str
    sha256: str
    loaded_at: str
    kind: str
    covers: str


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    title: str
    subtitle: str  # the publication label: "2024-25 Q1 update", "May 2022"
    area_name: str
    force_id: str
    status: Status
    status_text: str  # what the draft marking says, e.g. "DRAFT — not approved for publication"
    front: tuple[tuple[str, str], ...]  # labelled front matter (agenda item, board, date, presented by ...)
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    licence: str
    generated_at: str
    software_version: str
    catalogue_version: str
    flags: tuple[str, ...] = ()  # numbers `check` could not match: the document stays a draft
    figures: tuple[FigureRecord, ...] = ()  # every figure shown, for CSV/JSON and verify
    config: dict[str, object] = field(default_factory=dict)  # what it was built with, for verify
    collection: str = "National Policing Priorities"  # what the page header names, above the title

    @property
    def approved(self) -> bool:
        return self.status == "approved" and not self.flags


@dataclass(frozen=True)
class FigureRecord:
    """One figure as published, with what it was computed from: the rows of figures.csv."""

    measure_id: str
    measure: str
    priority_id: str
    role: str  # "current", "baseline", "year_before", "previous_quarter"
    period: str
    period_first: str
    period_last: str
    value: Cell
    change: Cell | None  # for a comparison: the change from it to the current figure
    status: str  # complete, incomplete, no_data, ...
    source: str
    load_ids: tuple[int, ...]
    stale: bool = False
