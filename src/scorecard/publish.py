"""``scorecard report``: figures → document → every format, for one force or all of them.

The one place the publishing stages meet, each once, in order: the results stage computes
every force's figures in one pass (``figures.statement_figures``), commentary is read and its
numbers checked, a builder makes the document model (``documents.statement`` or
``documents.board_paper``), and the renderers write it (``render.write``).  With ``--area all``
the figures of all 43 forces come from the same queries (one per measure and window), and an
index page links the documents.

The annual report's path is ``publish_annual`` (its own module, so that a statement does not
import what only the annual report needs).

A document whose commentary quotes a number that matches no figure (``scorecard check``) can
only be built as a draft, and lists those numbers in its draft marking.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scorecard import __version__
from scorecard.areas import force
from scorecard.catalogue.schema import Catalogue
from scorecard.documents import board_paper, statement
from scorecard.documents import format as fmt
from scorecard.documents.commentary import Written
from scorecard.documents.config import DocumentConfig
from scorecard.documents.model import Document
from scorecard.documents.parts import DocumentInputs
from scorecard.figures import StatementFigures, statement_figures
from scorecard.periods import Period, parse
from scorecard.render.govuk_assets import STYLESHEET
from scorecard.render.printer import PdfPrinter, printer_for
from scorecard.render.write import base_name, write_document
from scorecard.store import Store
from scorecard.windows import StatementPeriod


@dataclass(frozen=True)
class Published:
    force_id: str
    document: Document
    paths: tuple[Path, ...]


def statement_period(period: str, config: DocumentConfig) -> StatementPeriod:
    sp = StatementPeriod.read(period, window_months=config.window_months)
    return sp.with_data_to(config.data_to) if config.data_to is not None else sp


def _fixed_windows(config: DocumentConfig) -> dict[str, Period]:
    return {mid: parse(choice.window) for mid, choice in config.measures.items() if choice.window}


def _window_lengths(config: DocumentConfig) -> dict[str, int]:
    return {mid: choice.window_months for mid, choice in config.measures.items() if choice.window_months}


def gather(store: Store, catalogue: Catalogue, force_ids: list[str], period: str,
           config: DocumentConfig) -> tuple[StatementPeriod, dict[str, StatementFigures]]:
    """Every force's figures, in one pass over the catalogue."""
    sp = statement_period(period, config)
    figures = statement_figures(store, catalogue, force_ids, sp, windows=_window_lengths(config),
                                fixed=_fixed_windows(config))
    return sp, figures


def build(catalogue: Catalogue, force_id: str, sp: StatementPeriod, figures: StatementFigures,
          config: DocumentConfig, *, generated_at: str | None = None,
          written: Sequence[Written] | None = None) -> Document:
    """The document for one force: commentary read and checked, then the configured builder.
    The commentary is the configuration's files, or ``written`` (the workbench's drafts)."""
    from scorecard.documents import commentary

    if written is None:
        commentary_blocks, flags = commentary.read_for(config.commentary_dir, force_id, sp, catalogue, figures)
    else:
        commentary_blocks, flags = commentary.from_written(written, figures)
    inputs = DocumentInputs(catalogue=catalogue, force_id=force_id, area_name=force(force_id).name, period=sp,
                            figures=figures, config=config, commentary=commentary_blocks, flags=flags,
                            generated_at=generated_at or datetime.now().replace(microsecond=0).isoformat(),
                            software_version=__version__)
    builder = board_paper.build_board_paper if config.document == "board_paper" else statement.build_statement
    return builder(inputs)


def publish(store: Store, catalogue: Catalogue, force_ids: list[str], period: str, config: DocumentConfig,
            formats: list[str], out_dir: Path, *, index: bool = False,
            printer: PdfPrinter | None = None) -> list[Published]:
    """Build and write each force's document; with ``index``, one folder a force and an index page.
    ``printer``: a PDF printer the caller started (used when there is one document)."""
    workers = min(len(force_ids), os.cpu_count() or 1)
    # One document: its PDF printer loads WeasyPrint while the figures are queried; the command
    # line starts it earlier still, before this module is imported (``printer``).
    with ExitStack() as stack:
        if printer is None:
            printer = stack.enter_context(printer_for(formats, documents=len(force_ids)))
        sp, figures = gather(store, catalogue, force_ids, period, config)
        generated_at = datetime.now().replace(microsecond=0).isoformat()
        jobs = [_Job(catalogue, f, sp, figures[f], config, generated_at, formats, out_dir / f if index else out_dir)
                for f in force_ids]
        if workers > 1:
            # Rendering is CPU-bound and WeasyPrint holds the GIL: one document a core, in forked
            # processes that already hold the figures (computed once, above, for every force).
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                out = list(pool.map(_publish_one, jobs))
        else:
            out = [_publish_one(job, printer) for job in jobs]
    if index:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "index.html").write_text(index_page(out, sp, formats), "utf-8")
    return out


@dataclass(frozen=True)
class _Job:
    catalogue: Catalogue
    force_id: str
    period: StatementPeriod
    figures: StatementFigures
    config: DocumentConfig
    generated_at: str
    formats: list[str]
    folder: Path


def _publish_one(job: _Job, printer: PdfPrinter | None = None) -> Published:
    doc = build(job.catalogue, job.force_id, job.period, job.figures, job.config, generated_at=job.generated_at)
    return Published(job.force_id, doc, tuple(write_document(doc, job.formats, job.folder, printer=printer)))


def index_page(published: list[Published], sp: StatementPeriod, formats: list[str]) -> str:
    """A page linking every force's document in every format written."""
    from scorecard.render.html import render_index

    entries = [(p.document.area_name,
                [(path.suffix.lstrip(".").upper(), f"{p.force_id}/{path.name}") for path in p.paths
                 if path.name.startswith(base_name(p.document)) or path.name == "report.json"],
                "" if p.document.approved else p.document.status_text) for p in published]
    kind = published[0].document.kind.replace("_", " ") if published else "statement"
    # The GOV.UK stylesheet is in each force's assets folder when its page (or PDF) was written.
    styled = published and ("html" in formats or "pdf" in formats)
    stylesheet = f"{published[0].force_id}/{STYLESHEET}" if styled else None
    areas = fmt.count_of(len(published), "police force area", "police force areas")
    return render_index(f"National Policing Priorities: {sp.label}",
                        f"One {kind} for each of {areas}, figures up to {sp.data_to.name()}.", entries, stylesheet)


__all__ = ["Published", "build", "gather", "index_page", "publish", "statement_period"]

