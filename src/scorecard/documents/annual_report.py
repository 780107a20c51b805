"""The PCC's annual report (seed 003's shape): the office's chapters, with tables from data.

The office writes the report as Markdown chapters, one file each in the configuration's
``chapters_dir``, read in file-name order (``01-foreword.md``, ``02-victims.md`` …).  A chapter
opens with its heading (``# Victims and witnesses``), places a table where a line holds only
``{table:precept}``, and may quote a measure's figure for the year as statement commentary
does (``{calls_999_within_10s.value}``), filled in with the text its table would show.

The tables are built here from typed inputs, never typed by hand: the precept by council tax
band from the Band D amounts (``scorecard.precept``), the PEEL grades as configured, measures'
figures for the year (``figures:``, such as call handling from a force's local series), stop
and search by ethnic group, the workforce at a census date, and the tables the office supplies
in table files (``documents.office_table``), each handed over by the results stage in
``AnnualInputs``.  Each table names its source and how it was worked out, and is formatted by
``documents.format`` like every figure, so the Word file, the PDF and ``table-precept.csv``
print the same pence.

A chapter's text is the office's and is kept as written, its references filled in; a reference
to a figure the year does not have, a line that refers to a table the report does not have, a
configured table no chapter places, or a chapter without a heading is an error naming the file
and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.documents import format as fmt
from scorecard.documents.annual_config import AnnualReportConfig, FiguresTableFile, PeelFile, Precept
from scorecard.documents.commentary import REFERENCE, read_text, resolve
from scorecard.documents.model import Block, Column, Commentary, Document, Note, Row, Section, Table
from scorecard.documents.office_table import office_table, validation_section
from scorecard.documents.stop_search_table import ethnicity_table, outcomes_table
from scorecard.documents.workforce_table import workforce_table
from scorecard.errors import ConfigError, InputError
from scorecard.figures import MeasureFigures
from scorecard.periods import FinancialYear
from scorecard.precept import WEEKS_IN_YEAR, precept_by_band
from scorecard.results import Result
from scorecard.sources.office_tables import OfficeTable, cross_check
from scorecard.stop_search import StopSearchFigures
from scorecard.workforce import WorkforceFigures

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
_PLACE = re.compile(r"^\{table:([^{}\s]*)\}$")
_HEADING = re.compile(r"^#\s+(\S.*?)(?:\s+#+)?\s*$")
#: Anything that looks like a placement: a line that is not exactly ``{table:id}`` is an error.
_NEAR_PLACE = re.compile(r"\{\s*table\s*:", re.IGNORECASE)
#: The most chapters a report may have (seed 003 has about twenty sections).
MAX_CHAPTERS = 200


@dataclass(frozen=True)
class Text:
    markdown: str
    line: int  # the chapter file's line it starts on, for errors


@dataclass(frozen=True)
class Place:
    table_id: str
    line: int


@dataclass(frozen=True)
class Chapter:
    file: str  # relative to the chapters folder, as published
    heading: str
    parts: tuple[Text | Place, ...]  # Markdown, or where a table goes

    def references(self) -> list[str]:
        """The measure ids its ``{measure.field}`` references name."""
        return [m.group(1) for part in self.parts if isinstance(part, Text)
                for m in REFERENCE.finditer(part.markdown)]


def referenced_measures(chapters: Sequence[Chapter]) -> list[str]:
    """Every measure the chapters refer to, once each, in order: what the results stage computes."""
    return list(dict.fromkeys(mid for c in chapters for mid in c.references()))


def read_chapters(folder: Path) -> tuple[Chapter, ...]:
    """Every ``*.md`` file in ``folder``, in name order, split where tables go."""
    files = sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
    if not files:
        raise ConfigError(folder, "no chapter files (*.md) in the chapters folder")
    if len(files) > MAX_CHAPTERS:
        raise ConfigError(folder, f"{len(files):,} chapter files: at most {MAX_CHAPTERS} are read")
    return tuple(_chapter(path) for path in files)


def _chapter(path: Path) -> Chapter:
    lines = read_text(path).splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = _HEADING.match(lines[first].strip()) if first is not None else None
    if first is None or heading is None:
        raise ConfigError(path, "a chapter opens with its heading, e.g. '# Victims and witnesses'",
                          line=(first or 0) + 1)
    parts: list[Text | Place] = []
    text: list[str] = []
    start = first + 2
    for number, line in enumerate(lines[first + 1:], start=first + 2):
        placed = _PLACE.match(line.strip())
        if placed is None and _NEAR_PLACE.search(line):
            raise ConfigError(path, "a table is placed by '{table:id}' alone on its line, e.g. '{table:precept}'",
                              line=number)
        if placed:
            if "".join(text).strip():
                parts.append(Text("\n".join(text), start))
            text, start = [], number + 1
            parts.append(Place(placed.group(1), number))
        else:
            text.append(line)
    if "".join(text).strip():
        parts.append(Text("\n".join(text), start))
    return Chapter(path.name, heading.group(1), tuple(parts))


def precept_table(precept: Precept) -> Table:
    (before, d_before), (year, d_now) = precept.previous, precept.current
    unit = "pounds_and_pence"
    rows = tuple(Row((fmt.text(f"Band {r.band}"), fmt.text(r.proportion_text),
                      fmt.figure(float(r.previous), unit, f"precept.band_{r.band.lower()}.{before.label}"),
                      fmt.figure(float(r.current), unit, f"precept.band_{r.band.lower()}.{year.label}"),
                      fmt.difference(float(r.annual_change), unit, f"precept.band_{r.band.lower()}.annual_change"),
                      fmt.difference(float(r.weekly_change), unit, f"precept.band_{r.band.lower()}.weekly_change")))
                 for r in precept_by_band(d_before, d_now))
    columns = (Column("Band", nowrap=True), Column("Statutory proportion", numeric=True),
               Column(f"{_slash(before)} precept", numeric=True), Column(f"{_slash(year)} precept", numeric=True),
               Column("Change, annual", numeric=True), Column("Change, weekly", numeric=True))
    notes = (f"Source: {precept.source}. Band D: {fmt.figure(float(d_before), unit).text} in {_slash(before)}, "
             f"{fmt.figure(float(d_now), unit).text} in {_slash(year)}.",
             "Each band is Band D times its statutory proportion, rounded to the penny; the annual change is "
             f"the difference of the rounded amounts, and the weekly change is the annual change over "
             f"{WEEKS_IN_YEAR} weeks, rounded to the penny.")
    return Table(f"Police precept by council tax band, {_slash(before)} and {_slash(year)}", columns, rows,
                 notes, id="precept")


def peel_table(peel: PeelFile) -> Table:
    rows = tuple(Row((fmt.text(grade), fmt.text(", ".join(areas) if areas else "None")))
                 for grade, areas in peel.grades.items())
    return Table(f"PEEL grades: {peel.inspection}", (Column("Grade", nowrap=True), Column("Areas inspected")), rows,
                 (f"Source: {peel.source}.",), id="peel")


def figures_table(spec: FiguresTableFile, figures: Mapping[str, MeasureFigures], year: FinancialYear) -> Table:
    """Each measure's figure for the report's year, with its source, as the results stage gives it
    (a measure the store holds nothing for in that year says so, never a nearby year's figure)."""
    rows = []
    for mid in spec.measures:
        mf = figures[mid]
        m = mf.measure
        value = mf.result.current.value if mf.result else None
        rows.append(Row((fmt.text(m.title), fmt.text(year.label), fmt.figure(value, m.unit, f"{mid}.value"),
                         fmt.text(m.source_text))))
    held = [figures[mid] for mid in spec.measures if figures[mid].result is not None]
    notes = tuple(spec.notes) + tuple(dict.fromkeys(c for mf in held for c in mf.measure.caveats))
    missing = [figures[mid].measure.title for mid in spec.measures if figures[mid].result is None]
    if missing:
        notes += (f"Not held for {year.label}: {', '.join(missing)}.",)
    return Table(spec.caption, (Column("Measure"), Column("Year", nowrap=True), Column("Figure", numeric=True),
                                Column("Source")), tuple(rows), notes, id=spec.id)


def _chapter_text(part: Text, path: Path, file: str, results: Mapping[str, Result]) -> Commentary:
    """A chapter's text with its ``{measure.field}`` references filled in from the year's figures,
    as statement commentary's are; an unknown or empty reference names the chapter's line."""
    try:
        resolved, used = resolve(part.markdown, dict(results), file=str(path))
    except InputError as exc:
        raise ConfigError(path, exc.problem, line=None if exc.line is None else exc.line + part.line - 1) from None
    return Commentary("office", "", resolved, source_file=file, references=used, written=part.markdown)


def _slash(fy: FinancialYear) -> str:
    """A financial year as council tax tables write it: "2023/24"."""
    return fy.label.replace("-", "/")


@dataclass(frozen=True)
class AnnualInputs:
    """What the results stage hands the builder for one force and year (``publish_annual.gather_annual``):
    each figures table's measures for the year (``figures.year_figures``), the tables held from
    table files, the stop-and-search figures for the configured months and the workforce at the
    configured census dates."""

    figures: Mapping[str, MeasureFigures] = field(default_factory=dict)
    office_tables: Sequence[OfficeTable] = ()
    stop_search: StopSearchFigures | None = None
    workforce: WorkforceFigures | None = None


def build_annual_report(config: AnnualReportConfig, chapters: tuple[Chapter, ...], *, force_id: str,
                        area_name: str, year: FinancialYear, generated_at: str, software_version: str,
                        catalogue_version: str, inputs: AnnualInputs | None = None) -> Document:
    """The report: each chapter a section, its tables where placed, from ``inputs`` (typed data
    from the results stage: the builder runs no query).  Until the report is approved, a
    validation section lists every finding in its tables from table files."""
    got = inputs or AnnualInputs()
    office_tables = got.office_tables
    results = {mid: mf.result for mid, mf in got.figures.items() if mf.result is not None}
    tables: dict[str, Table] = {}
    if config.precept is not None:
        tables["precept"] = precept_table(config.precept)
    if config.peel is not None:
        tables["peel"] = peel_table(config.peel)
    for spec in config.figures:
        tables[spec.id] = figures_table(spec, got.figures, year)
    if config.stop_search is not None:
        if got.stop_search is None:
            raise ValueError("the configuration asks for stop-and-search tables: pass their figures")
        tables["stop_search"] = outcomes_table(got.stop_search)
        tables["stop_search_ethnicity"] = ethnicity_table(got.stop_search)
    if config.workforce is not None:
        if got.workforce is None:
            raise ValueError("the configuration asks for a workforce table: pass its figures")
        tables["workforce"] = workforce_table(got.workforce)
    supplied = {t.id: t for t in office_tables}
    for table_id in config.office_tables:
        if table_id not in supplied:
            raise ConfigError(Path(config.source), f"no table {table_id!r} is held for {area_name} {year.label}: "
                                                   "load its table file with `scorecard ingest`",
                              line=config.lines.get(table_id))
        tables[table_id] = office_table(supplied[table_id])
    placed: set[str] = set()
    sections = []
    for n, chapter in enumerate(chapters, start=1):
        blocks: list[Block] = []
        for part in chapter.parts:
            if isinstance(part, Text):
                blocks.append(_chapter_text(part, config.chapters_dir / chapter.file, chapter.file, results))
                continue
            table_id, line = part.table_id, part.line
            if table_id not in tables:
                known = ", ".join(f"{{table:{t}}}" for t in tables) or "none (configure precept or peel)"
                raise ConfigError(config.chapters_dir / chapter.file,
                                  f"no table {table_id!r} in this report; the tables configured are {known}",
                                  line=line)
            if table_id in placed:
                raise ConfigError(config.chapters_dir / chapter.file, f"table {table_id!r} is placed twice",
                                  line=line)
            placed.add(table_id)
            blocks.append(tables[table_id])
        sections.append(Section(f"chapter-{n}", chapter.heading, tuple(blocks)))
    unplaced = [t for t in tables if t not in placed]
    if unplaced:
        raise ConfigError(Path(config.source), f"table {unplaced[0]!r} is configured but no chapter places it: "
                                               f"put '{{table:{unplaced[0]}}}' on a line of its own in a chapter",
                          line=config.lines.get(unplaced[0]))
    if config.notes:
        sections.append(Section("notes", "Notes", tuple(Note(text) for text in config.notes)))
    used = [supplied[t] for t in config.office_tables]
    findings = [f for t in used for f in t.findings] + cross_check(used)
    not_placed = [t for t in office_tables if t.id not in config.office_tables]
    validation = validation_section(findings, not_placed) if config.status != "approved" else None
    if validation is not None:
        sections.append(validation)
    title = config.title or "Police and Crime Commissioner's Annual Report"
    status_text = fmt.DOCUMENT_STATUS_WORDS[config.status]
    front = (("Police force area", area_name), ("Year", f"April {year.start_year} to March {year.start_year + 1}"),
             ("Status", status_text))
    return Document(kind="annual_report", title=title, subtitle=year.label, area_name=area_name, force_id=force_id,
                    status=config.status, status_text=status_text, front=front, sections=tuple(sections),
                    sources=(), licence=LICENCE, generated_at=generated_at, software_version=software_version,
                    catalogue_version=catalogue_version, config=config.as_published(),
                    collection="Police and Crime Commissioner")


__all__ = ["AnnualInputs", "Chapter", "Place", "Text", "build_annual_report", "figures_table", "peel_table",
           "precept_table", "read_chapters", "referenced_measures"]
