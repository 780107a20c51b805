"""``scorecard annual-report``: the PCC's annual report, for one force and financial year.

Its configuration and chapters are read, its tables computed from typed inputs the store gives
(``gather_annual``: the year's figures, the office's own tables, stop and search, the
workforce), the report built (``documents.annual_report``) and written by the same renderers as
a statement (``render.write``).  Apart from ``publish`` so that a statement imports none of this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from datetime import datetime
from pathlib import Path

from scorecard import __version__
from scorecard.areas import force
from scorecard.catalogue.schema import Catalogue
from scorecard.documents.annual_config import AnnualReportConfig, StopSearchFile, WorkforceFile
from scorecard.documents.annual_report import AnnualInputs, build_annual_report, read_chapters, referenced_measures
from scorecard.figures import year_figures
from scorecard.periods import FinancialYear, parse_month
from scorecard.publish import Published
from scorecard.render.printer import PdfPrinter, printer_for
from scorecard.render.write import write_document
from scorecard.sources.office_table_load import held_tables
from scorecard.stop_search import StopSearchFigures
from scorecard.store import Store
from scorecard.workforce import WorkforceFigures


def publish_annual_report(config_path: Path, force_id: str, year: FinancialYear, catalogue: Catalogue,
                          open_store: Callable[[], AbstractContextManager[Store]], formats: list[str],
                          out_dir: Path, *, printer: PdfPrinter | None = None) -> Published:
    """``scorecard annual-report``: the configuration and chapters read, the tables computed (the
    store is opened only when a figures table needs it), the report built
    (``documents.annual_report``) and written in every format asked for."""
    with ExitStack() as stack:
        if printer is None:
            printer = stack.enter_context(printer_for(formats, documents=1))
        config = AnnualReportConfig.load(config_path, year, list(catalogue.by_id))
        chapters = read_chapters(config.chapters_dir)
        inputs = AnnualInputs()
        quoted = referenced_measures(chapters)
        if config.figures or config.office_tables or config.stop_search or config.workforce or quoted:
            with open_store() as store:
                inputs = gather_annual(store, catalogue, config, force_id, year, quoted)
        doc = build_annual_report(config, chapters, force_id=force_id, area_name=force(force_id).name, year=year,
                                  generated_at=datetime.now().replace(microsecond=0).isoformat(),
                                  software_version=__version__, catalogue_version=catalogue.version, inputs=inputs)
        return Published(force_id, doc, tuple(write_document(doc, formats, out_dir, printer=printer)))


def gather_annual(store: Store, catalogue: Catalogue, config: AnnualReportConfig, force_id: str,
                  year: FinancialYear, quoted: Sequence[str] = ()) -> AnnualInputs:
    """Everything an annual report's tables need from the store, for one force and year, and the
    year's figure of each measure its chapters quote (``quoted``; an id the catalogue lacks is left
    for the builder to name, with its chapter and line)."""
    wanted = [m for t in config.figures for m in t.measures] + [m for m in quoted if m in catalogue.by_id]
    figures = year_figures(store, catalogue, force_id, list(dict.fromkeys(wanted)), year)
    return AnnualInputs(figures, held_tables(store, force_id, year.label),
                        annual_stop_search(store, config.stop_search, force_id),
                        annual_workforce(store, config.workforce, force_id))


def annual_workforce(store: Store, spec: WorkforceFile | None, force_id: str) -> WorkforceFigures | None:
    """The workforce figures an annual report's configuration asks for (None: it asks for none)."""
    if spec is None:
        return None
    from scorecard.workforce import workforce_figures

    return workforce_figures(store, force_id, parse_month(spec.at),
                             earlier=parse_month(spec.earlier) if spec.earlier else None, basis=spec.basis)


def annual_stop_search(store: Store, spec: StopSearchFile | None, force_id: str) -> StopSearchFigures | None:
    """The stop-and-search figures an annual report's configuration asks for (None: it asks for none)."""
    if spec is None:
        return None
    from scorecard.census import load_census
    from scorecard.documents.annual_config import stop_search_months
    from scorecard.stop_search import stop_search_figures

    months = stop_search_months(spec.months)
    return stop_search_figures(store, force_id, months.first, months.last, load_census(spec.census))


__all__ = ["annual_stop_search", "annual_workforce", "gather_annual", "publish_annual_report"]
