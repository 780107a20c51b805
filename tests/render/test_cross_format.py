"""One statement, every format, the same text (issue 8, point 3: one presentation layer).

A National Policing Priorities statement for West Mercia, "2022-23 Q1", is built and written the
way ``scorecard report`` does it (``scorecard.publish.publish``: figures gathered, commentary read,
the document model built once, then HTML, Word, PDF, report.json and the CSV tables written from
it), twice: once with three-month windows compared with the previous quarter and the national
baseline (so a count's year-long baseline is averaged to a quarter), once with the default
twelve-month windows.  The CSV tables are written last, on their own, so that a failure writing
them does not hide what the other formats print.

Where the expected values come from:

* The Home Office counts (homicide, burglary, ...) are the real store (``real_store_path`` in
  tests/conftest.py), copied so this module can add to it.
* Four local KPIs are added the way a force adds one, with no Python: a local series file
  (``LOCAL_SERIES`` below, loaded with ``scorecard.ingest.ingest_path``) and catalogue entries
  appended to a copy of the built-in catalogue (``EXTRA_MEASURES``).  Their figures are chosen to
  sit on the edges of the formatting rules; the arithmetic is in the comments beside them.
* The reference for *identity* is the model itself: every ``Cell.text``, paragraph, note, caption,
  chart title and text alternative the model holds must be printed, exactly, by every renderer,
  and the CSV and JSON must carry the same ``Cell.value`` and ``Cell.text``.  Only the rounding
  and signed-zero checks, and the examples in ``EDGES``, state values worked out by hand from the
  figures written into the local series file.

Where a renderer or the format module does not do what point 3 asks, the test says so exactly
and is marked ``xfail(strict=True)`` for the owner of that module to fix; it is not fixed here.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from typer.testing import CliRunner

from scorecard.catalogue.schema import Catalogue, default_catalogue_text, load_catalogue
from scorecard.cli import app
from scorecard.documents import format as fmt
from scorecard.documents.config import DocumentConfig
from scorecard.documents.model import (
    BulletList,
    Chart,
    Commentary,
    Document,
    FigureRecord,
    Note,
    Paragraph,
    Section,
    Table,
)
from scorecard.ingest import ingest_path
from scorecard.publish import build, gather, publish
from scorecard.render.write import FORMATS, write_document
from scorecard.store import Store
from scorecard.units import UNITS

FORCE = "west-mercia"
PERIOD = "2022-23 Q1"

#: The force's own figures.  Sums are exact in binary floating point, so each figure lands on the
#: value written here, and halves are true halves.
LOCAL_SERIES = """\
force,series,series_label,period,value,numerator,denominator,unit,note
West Mercia,xf_calls_answered,Calls answered in time,YE Jun 2019,,50,400,percentage,"50 of 400: 12.5%, the target"
West Mercia,xf_calls_answered,Calls answered in time,2021-22 Q4,,1229,10000,percentage,"12.29%, 0.04 points above Q1"
West Mercia,xf_calls_answered,Calls answered in time,2022-23 Q1,,49,400,percentage,"49 of 400: 12.25%, a half"
West Mercia,xf_answer_seconds,Time to answer,YE Jun 2019,4,,,seconds,"3.5 on 4 is -12.5%, a half"
West Mercia,xf_answer_seconds,Time to answer,2021-22 Q4,2.5,,,seconds,2.5 seconds: a half
West Mercia,xf_answer_seconds,Time to answer,2022-23 Q1,3.5,,,seconds,3.5 seconds: a half
West Mercia,xf_seizure_value,Average cash seizure,Jul 2018 to Dec 2018,1000.25,,,pounds,mean 1000.125 with the next
West Mercia,xf_seizure_value,Average cash seizure,Jan 2019 to Jun 2019,1000.00,,,pounds,
West Mercia,xf_seizure_value,Average cash seizure,2021-22 Q4,1250.50,,,pounds,"1250 on 1250.50 is -0.04%"
West Mercia,xf_seizure_value,Average cash seizure,2022-23 Q1,1250.00,,,pounds,
West Mercia,xf_knives_surrendered,Knives surrendered,YE Jun 2019,15,,,count,15 a year is 3.75 a quarter
West Mercia,xf_knives_surrendered,Knives surrendered,YE Jun 2021,14,,,count,
West Mercia,xf_knives_surrendered,Knives surrendered,2021-22 Q4,5,,,count,
West Mercia,xf_knives_surrendered,Knives surrendered,YE Jun 2022,22,,,count,the twelve-month window's figure
West Mercia,xf_knives_surrendered,Knives surrendered,2022-23 Q1,6,,,count,the quarter's figure
"""

#: Local KPIs as a force adds them: catalogue entries, appended to the built-in catalogue.
EXTRA_MEASURES = """\
  - id: xf_calls_answered
    title: Calls answered in time
    priority: victim_satisfaction
    role: local
    dataset: local_series
    filter: {series: [xf_calls_answered]}
    unit: percentage
    direction: increase
    target: {value: 12.5, description: Test target of 12.5% answered in time}
    source_text: Test call-handling data (local series)
  - id: xf_answer_seconds
    title: Average time to answer
    priority: victim_satisfaction
    role: local
    dataset: local_series
    filter: {series: [xf_answer_seconds]}
    unit: seconds
    aggregation: mean
    direction: decrease
    source_text: Test call-handling data (local series)
  - id: xf_seizure_value
    title: Average value of a cash seizure
    priority: drugs_supply
    role: local
    dataset: local_series
    filter: {series: [xf_seizure_value]}
    unit: pounds
    aggregation: mean
    direction: neutral
    source_text: Test seizure records (local series)
  - id: xf_knives_surrendered
    title: Knives surrendered
    noun: {singular: knife surrendered, plural: knives surrendered}
    priority: serious_violence
    role: local
    dataset: local_series
    filter: {series: [xf_knives_surrendered]}
    direction: increase
    source_text: Test surrender bins (local series)
"""

KPIS = ("xf_calls_answered", "xf_answer_seconds", "xf_seizure_value", "xf_knives_surrendered")
SCORECARD = ("homicide", "burglary", *KPIS)

#: The PCC's statements, citing figures by reference (scorecard.documents.commentary).
COMMENTARY = {
    "victim_satisfaction": (
        "Calls answered in time stood at {xf_calls_answered.value}, {xf_calls_answered.change_pct} on the "
        "national baseline.\n\n"
        "The average time to answer was {xf_answer_seconds.value}, {xf_answer_seconds.change_pct} on the "
        "national baseline.\n"),
    "serious_violence": (
        "Knives surrendered: {xf_knives_surrendered.value} against a baseline of "
        "{xf_knives_surrendered.baseline}.\n"),
}
#: Which table cell each commentary field is the text of.
FIELD_CELL = {"value": "value", "change_pct": "change_baseline", "baseline": "baseline"}

CONFIGS = {
    # Three-month windows: the baseline year (YE Jun 2019) is averaged to a quarter for counts.
    "quarter": "window_months: 3\ncomparisons: [previous_quarter, baseline]\n",
    # The defaults: twelve-month windows, compared with the baseline and the year before.
    "year": "",
}

#: Figures worked out by hand from LOCAL_SERIES, as the quarterly statement shows them (the table,
#: the cell's ref, its unrounded value, its text): each half is rounded away from zero, and a change
#: that rounds to nothing has no sign.
EDGES: tuple[tuple[str, str, float, str], ...] = (
    ("scorecard", "xf_calls_answered.value", 12.25, "12.3%"),  # 49/400: a half at one decimal place, up
    ("scorecard", "xf_calls_answered.baseline", 12.5, "12.5%"),  # 50/400
    ("scorecard", "xf_calls_answered.target", 12.5, "12.5%"),
    ("scorecard", "xf_calls_answered.change_baseline", -0.25, "−0.3 pts"),  # 12.25 - 12.5: away from zero
    ("figures", "xf_calls_answered.change_previous_quarter", -0.04, "0.0 pts"),  # 12.25 - 12.29, not "-0.0 pts"
    ("scorecard", "xf_answer_seconds.value", 3.5, "4 seconds"),
    ("figures", "xf_answer_seconds.previous_quarter", 2.5, "3 seconds (previous quarter, 2021-22 Q4)"),  # not 2
    ("scorecard", "xf_answer_seconds.change_baseline", -12.5, "−13%"),  # (3.5 - 4) / 4: half a percent
    ("figures", "xf_answer_seconds.change_previous_quarter", 40.0, "+40%"),
    ("scorecard", "xf_seizure_value.value", 1250.0, "£1,250"),  # whole pounds: no pence
    ("figures", "xf_seizure_value.previous_quarter", 1250.5, "£1,250.50 (previous quarter, 2021-22 Q4)"),
    ("scorecard", "xf_seizure_value.baseline", 1000.125, "£1,000.13"),  # the mean of 1000.25 and 1000.00
    ("figures", "xf_seizure_value.change_previous_quarter", -0.5 / 1250.5 * 100, "0.0%"),  # -0.04%
    ("figures", "xf_knives_surrendered.baseline", 3.75, "about 4 a quarter (national baseline, YE Jun 2019)"),
    ("scorecard", "xf_knives_surrendered.change_baseline", 60.0, "+60%"),  # 6 on 15 / 4
)

runner = CliRunner()


# --------------------------------------------------------------------------- building and writing


@pytest.fixture(scope="module")
def workspace(real_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real store with the local series loaded, the catalogue with the local KPIs,
    the commentary folder and the two document configurations."""
    root = tmp_path_factory.mktemp("cross-format")
    shutil.copyfile(real_store_path, root / "store.duckdb")
    (root / "local-series.csv").write_text(LOCAL_SERIES, "utf-8")
    with Store.open(root / "store.duckdb") as store:
        ingest_path(store, root / "local-series.csv")
    (root / "measures.yaml").write_text(default_catalogue_text().rstrip("\n") + "\n" + EXTRA_MEASURES, "utf-8")
    for priority, text in COMMENTARY.items():
        path = root / "commentary" / FORCE / "2022-23-Q1" / f"{priority}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for name, settings in CONFIGS.items():
        (root / f"{name}.yaml").write_text(
            f"{settings}scorecard_measures: [{', '.join(SCORECARD)}]\ncommentary_dir: commentary\n", "utf-8")
    return root


@pytest.fixture(scope="module")
def test_catalogue(workspace: Path) -> Catalogue:
    return load_catalogue(workspace / "measures.yaml")


@dataclass(frozen=True)
class Written:
    """One document and what each renderer made of it, read back."""

    doc: Document
    out: Path
    html: PageText
    word: WordText
    pdf: str | None  # pdftotext output, whitespace normalised; None without pdftotext
    figures_csv: list[dict[str, str]]
    scorecard_csv: list[dict[str, str]] | None  # None: writing it failed with ``csv_error``
    csv_error: str | None
    report: dict[str, Any]


@pytest.fixture(scope="module", params=list(CONFIGS))
def written(request: pytest.FixtureRequest, workspace: Path, test_catalogue: Catalogue) -> Written:
    name: str = request.param
    config = DocumentConfig.load(workspace / f"{name}.yaml", catalogue=test_catalogue)
    out = workspace / "out" / name
    with Store.open(workspace / "store.duckdb", read_only=True) as store:
        [published] = publish(store, test_catalogue, [FORCE], PERIOD, config, [f for f in FORMATS if f != "csv"],
                              out)
    doc = published.document
    try:  # the CSV tables last, so the other formats can be read when writing them fails
        write_document(doc, ["csv"], out)
        csv_error = None
    except ValueError as exc:
        csv_error = f"{type(exc).__name__}: {exc}"
    pdf = pdf_text(out / "statement.pdf", doc) if shutil.which("pdftotext") else None
    return Written(doc, out, PageText.of((out / "statement.html").read_text("utf-8")),
                   WordText.of(out / "statement.docx"), pdf, read_csv(out / "figures.csv"),
                   read_csv(out / "scorecard.csv") if csv_error is None else None, csv_error,
                   json.loads((out / "report.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def quarterly(workspace: Path, test_catalogue: Catalogue) -> Document:
    """The quarterly statement's model (no files written): for the examples worked out by hand."""
    config = DocumentConfig.load(workspace / "quarter.yaml", catalogue=test_catalogue)
    with Store.open(workspace / "store.duckdb", read_only=True) as store:
        sp, figures = gather(store, test_catalogue, [FORCE], PERIOD, config)
    return build(test_catalogue, FORCE, sp, figures[FORCE], config)


# --------------------------------------------------------------------------- reading each format back


def squash(text: str) -> str:
    """Whitespace (line breaks, non-breaking spaces) normalised to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def in_pdf(text: str, pdf: str) -> bool:
    """Whether ``text`` is printed in the PDF: as written, whitespace normalised; a single word too
    long for its column (a file name, a checksum) may be broken across lines."""
    return text in pdf or (" " not in text and text in re.sub(r"\s", "", pdf))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pdf_text(path: Path, doc: Document) -> str:
    """The PDF's text as pdftotext reads it in drawing order (``-raw``: a table cell's lines stay
    together, where the layout modes interleave the lines of neighbouring cells), whitespace
    normalised, without the running header and footer printed at the end of each page (the draft
    marking, the title, "Page n of N"), so a paragraph that runs onto the next page reads on."""
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                         text=True, timeout=120).stdout
    running = re.compile(("" if doc.approved else re.escape(doc.status_text) + " ") + re.escape(squash(doc.title))
                         + r" Page \d+ of \d+$")
    return " ".join(running.sub("", squash(page)).strip() for page in raw.split("\f"))


_BLOCKS = frozenset({"p", "li", "td", "th", "caption", "figcaption", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"})


class PageText(HTMLParser):
    """What a reader sees on the page: all its visible text; the text of each block element
    (paragraph, list item, table cell, caption, heading), whitespace normalised, with SVG drawn
    content left out; each table as its caption and rows of cell texts; and each SVG ``<desc>``
    (the text alternative of a chart, a sparkline or an icon)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.descs: list[str] = []
        self._open: list[tuple[str, list[str]]] = []
        self._skip = 0  # inside <head>, <style>, <script> or an <svg>
        self._desc: list[str] | None = None
        self._visible: list[str] = []
        self._hidden = 0  # depth inside a "govuk-visually-hidden" element: read out, not shown

    @classmethod
    def of(cls, page: str) -> PageText:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden:
            self._hidden += 1
        elif "govuk-visually-hidden" in (dict(attrs).get("class") or "").split():
            self._hidden = 1
        if tag in ("head", "style", "script", "svg"):
            self._skip += 1
        elif tag == "desc" and self._skip:
            self._desc = []
        elif self._skip:
            return
        elif tag == "table":
            self.tables.append(("", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        if tag in _BLOCKS and not self._skip:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1
        if tag in ("head", "style", "script", "svg"):
            self._skip -= 1
        elif tag == "desc" and self._desc is not None:
            self.descs.append(squash("".join(self._desc)))
            self._desc = None
        elif tag in _BLOCKS and not self._skip and self._open and self._open[-1][0] == tag:
            _, parts = self._open.pop()
            shown = squash("".join(parts))
            self.blocks.append(shown)
            if tag in ("td", "th") and self.tables and self.tables[-1][1]:
                self.tables[-1][1][-1].append(shown)
            elif tag == "caption" and self.tables:
                self.tables[-1] = (shown, self.tables[-1][1])

    def handle_data(self, data: str) -> None:
        if self._desc is not None:
            self._desc.append(data)
        if self._skip or self._hidden:
            return
        self._visible.append(data)
        for _, parts in self._open:
            parts.append(data)

    @property
    def text(self) -> str:
        """All the page's visible text, in order."""
        return squash(" ".join(self._visible))

    def table(self, caption: str) -> list[list[str]]:
        found = [rows for c, rows in self.tables if c == caption]
        assert len(found) == 1, f"one HTML table captioned {caption!r}"
        return found[0]


@dataclass(frozen=True)
class WordText:
    """The Word file's text: each paragraph (body, table cells, headers and footers), each table
    as its caption and rows of cell texts, and each picture's description (``docPr/@descr``)."""

    paragraphs: list[str]
    tables: list[tuple[str, list[list[str]]]]
    descriptions: list[str]

    @classmethod
    def of(cls, path: Path) -> WordText:
        doc = open_docx(str(path))
        paragraphs: list[str] = []
        tables: list[tuple[str, list[list[str]]]] = []

        def walk(items: Iterator[WordParagraph | WordTable]) -> None:
            for item in items:
                if isinstance(item, WordParagraph):
                    paragraphs.append(squash(item.text))
                    continue
                caption = item._tbl.xpath("./w:tblPr/w:tblCaption/@w:val")
                tables.append((caption[0] if caption else "", [[squash(c.text) for c in r.cells] for r in item.rows]))
                for row in item.rows:
                    for cell in row.cells:
                        walk(cell.iter_inner_content())

        walk(doc.iter_inner_content())
        for section in doc.sections:
            paragraphs.extend(squash(p.text) for p in (*section.header.paragraphs, *section.footer.paragraphs))
        descriptions = [squash(pr.get("descr")) for pr in doc.element.body.xpath(".//wp:docPr") if pr.get("descr")]
        return cls(paragraphs, tables, descriptions)

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)

    def table(self, caption: str) -> list[list[str]]:
        found = [rows for c, rows in self.tables if c == caption]
        assert len(found) == 1, f"one Word table captioned {caption!r}"
        return found[0]


# --------------------------------------------------------------------------- what the model holds


def blocks(doc: Document) -> Iterator[tuple[Section, object]]:
    for section in doc.sections:
        for block in section.blocks:
            yield section, block


def model_tables(doc: Document) -> list[Table]:
    return [b for _, b in blocks(doc) if isinstance(b, Table)]


def model_cells(doc: Document) -> Iterator[fmt.Cell]:
    """Every figure of the model: table cells, chart points and targets, figure records."""
    for table in model_tables(doc):
        for row in table.rows:
            yield from row.cells
    for _, b in blocks(doc):
        if isinstance(b, Chart):
            yield from (p.value for p in b.points)
            if b.target is not None:
                yield b.target
    for f in doc.figures:
        yield f.value
        if f.change is not None:
            yield f.change


def alternatives(doc: Document) -> list[str]:
    """The text alternatives of the model's pictures: each chart's, each sparkline's."""
    out = [b.alt_text for _, b in blocks(doc) if isinstance(b, Chart)]
    return out + [r.trend_text for t in model_tables(doc) for r in t.rows if r.trend_text]


def prose(doc: Document) -> list[str]:
    """Every sentence and line of words the model holds outside table cells and pictures, each
    printed as a paragraph, heading, list item, caption or note of its own (with the title and
    the draft marking; the front matter is checked on its own)."""
    out = [doc.title, doc.status_text]
    for section, b in blocks(doc):
        out.append(section.heading)
        if isinstance(b, Paragraph | Note):
            out.append(b.text)
        elif isinstance(b, BulletList):
            out.extend(b.items)
        elif isinstance(b, Table):
            out.extend((b.caption, *b.notes))
        elif isinstance(b, Chart):
            out.append(b.title)
            marks = [icon.label for icon in (b.variation, b.assurance) if icon is not None]
            if marks:
                out.append(" ".join(marks))  # the SPC words under the chart, icon beside each
        elif isinstance(b, Commentary):
            out.extend((b.heading, *commentary_paragraphs(b)))
    return out


def commentary_paragraphs(c: Commentary) -> list[str]:
    """The commentary's paragraphs as shown (this test writes them without Markdown markup)."""
    return [squash(p) for p in c.markdown.split("\n\n") if p.strip()]


def cell_by_ref(doc: Document, ref: str, table_kind: str) -> fmt.Cell:
    found = [c for t in model_tables(doc) if t.kind == table_kind for r in t.rows for c in r.cells if c.ref == ref]
    assert found, f"no {table_kind} cell {ref}"
    return found[0]


def record(doc: Document, ref: str) -> tuple[FigureRecord, bool]:
    """The figure record a cell's ref names, and whether the ref is its change."""
    measure_id, _, field = ref.partition(".")
    role = {"value": "current"}.get(field, field.removeprefix("change_"))
    found = [f for f in doc.figures if f.measure_id == measure_id and f.role == role]
    assert len(found) == 1, ref
    return found[0], field.startswith("change_")


# --------------------------------------------------------------------------- every text in every format


def test_every_table_cell_is_the_same_text_in_html_word_and_pdf(written: Written) -> None:
    """Cell by cell, row by row: the HTML and Word tables are the model's table; in the PDF
    (pdftotext, whitespace normalised) every cell's text is there as written."""
    for table in model_tables(written.doc):
        width = len(table.columns)
        expected = [[squash(c.text) for c in row.cells] for row in table.rows]
        html_rows = written.html.table(table.caption)
        word_rows = written.word.table(table.caption)
        assert [r[:width] for r in html_rows] == [[c.heading for c in table.columns], *expected], table.caption
        assert [r[:width] for r in word_rows] == [[c.heading for c in table.columns], *expected], table.caption
        if written.pdf is not None:
            missing = sorted({t for row in expected for t in row if t and not in_pdf(t, written.pdf)})
            assert not missing, f"{table.caption}: not in the PDF: {missing}"


def test_every_sentence_note_caption_and_heading_is_the_same_text_in_html_word_and_pdf(written: Written) -> None:
    """Each is one block of the page (a paragraph, heading, list item, caption, cell) and one
    paragraph of the Word file, word for word; in the PDF it is there as written."""
    page, word = set(written.html.blocks), set(written.word.paragraphs)
    for text in prose(written.doc):
        shown = squash(text)
        assert shown in page, f"not a block of the HTML page: {shown!r}"
        assert shown in word, f"not a paragraph of the Word file: {shown!r}"
        if written.pdf is not None:
            assert shown in written.pdf, f"not in the PDF: {shown!r}"
    for label, value in written.doc.front:  # a list of terms on the page, "Label: value" lines in Word
        assert label in page and value in page, (label, value)
        assert f"{label}: {value}" in word or value in word, (label, value)
        if written.pdf is not None:
            assert f"{label} {value}" in written.pdf, (label, value)
    # the publication label, under the title: "West Mercia: 2022-23 Q1 update" on the page
    assert f"{written.doc.area_name}: {written.doc.subtitle}" in written.html.text
    assert written.doc.subtitle in word


def test_chart_titles_and_text_alternatives_are_the_models(written: Written) -> None:
    """The charts' titles are printed as captions; the text alternatives of charts and sparklines
    are the SVG's ``<desc>`` on the page (the PDF is that page printed) and the Word picture's
    description."""
    charts = [b for _, b in blocks(written.doc) if isinstance(b, Chart)]
    assert charts, "the Home Office quarterly series are long enough to chart"
    for chart in charts:
        assert chart.title in written.html.blocks
        assert chart.title in written.word.paragraphs
        if written.pdf is not None:
            assert chart.title in written.pdf
    for alternative in alternatives(written.doc):
        assert squash(alternative) in written.html.descs
        assert squash(alternative) in written.word.descriptions


def test_report_json_holds_the_models_texts_and_values(written: Written) -> None:
    sections = {s["id"]: s for s in written.report["sections"]}
    for section in written.doc.sections:
        stored = sections[section.id]["blocks"]
        assert [b["block"] for b in stored] == [type(b).__name__ for b in section.blocks]
        for block, data in zip(section.blocks, stored, strict=True):
            if isinstance(block, Table):
                assert [[(c["text"], c["value"]) for c in r["cells"]] for r in data["rows"]] == \
                    [[(c.text, c.value) for c in r.cells] for r in block.rows]
                assert data["notes"] == list(block.notes)
            elif isinstance(block, Paragraph | Note):
                assert data["text"] == block.text
            elif isinstance(block, Chart):
                assert (data["title"], data["alt_text"]) == (block.title, block.alt_text)
                assert [p["value"]["text"] for p in data["points"]] == [p.value.text for p in block.points]
            elif isinstance(block, Commentary):
                assert data["markdown"] == block.markdown
                assert [tuple(r) for r in data["references"]] == list(block.references)
    assert [(f["value"]["text"], f["value"]["value"]) for f in written.report["figures"]] == \
        [(f.value.text, f.value.value) for f in written.doc.figures]


def _csv_value(text: str) -> float | None:
    return None if text == "" else float(text)


def test_figures_csv_holds_each_figure_records_value_and_text(written: Written) -> None:
    assert len(written.figures_csv) == len(written.doc.figures)
    for row, f in zip(written.figures_csv, written.doc.figures, strict=True):
        assert (row["measure_id"], row["role"], row["period"]) == (f.measure_id, f.role, f.period)
        assert _csv_value(row["value"]) == f.value.value
        assert row["value_text"] == f.value.text
        assert _csv_value(row["change"]) == (f.change.value if f.change else None)
        assert row["change_text"] == (f.change.text if f.change else "")


def test_every_figure_in_the_tables_agrees_with_figures_csv(written: Written) -> None:
    """A table cell naming a figure (its ``ref``) has the value figures.csv holds for it; where the
    cell shows the figure alone (the scorecard, every change), the CSV's text is the cell's text."""
    by_key = {(r["measure_id"], r["role"]): r for r in written.figures_csv}
    checked = 0
    for table in model_tables(written.doc):
        for row in table.rows:
            for cell in row.cells:
                if cell.ref is None or cell.ref.endswith(".target") or cell.value is None:
                    continue
                rec, is_change = record(written.doc, cell.ref)
                csv_row = by_key[(rec.measure_id, rec.role)]
                assert _csv_value(csv_row["change" if is_change else "value"]) == cell.value, cell.ref
                if is_change:
                    assert csv_row["change_text"] == cell.text, cell.ref
                elif table.kind == "scorecard":
                    assert csv_row["value_text"] == cell.text, cell.ref
                checked += 1
    assert checked > 50


def test_the_csv_tables_are_written(written: Written) -> None:
    assert written.csv_error is None


def test_scorecard_csv_holds_the_scorecards_texts_and_values(written: Written) -> None:
    assert written.scorecard_csv is not None, written.csv_error
    [table] = [t for t in model_tables(written.doc) if t.kind == "scorecard"]
    assert len(written.scorecard_csv) == len(table.rows)
    for csv_row, row in zip(written.scorecard_csv, table.rows, strict=True):
        for column, cell in zip(table.columns, row.cells, strict=True):
            key = column.heading.lower().replace(" ", "_")
            assert csv_row[key] == cell.text
            if cell.unit != "text":
                assert _csv_value(csv_row[f"{key}_value"]) == cell.value


def test_commentary_references_are_the_tables_text(written: Written) -> None:
    """``{measure.value}`` and ``{measure.change_pct}`` are filled in with the very text the
    table shows for that figure, and the commentary is printed with it in every format."""
    quoted = [c for _, c in blocks(written.doc) if isinstance(c, Commentary)]
    assert {c.source_file for c in quoted} == {f"{FORCE}/2022-23-Q1/{p}.md" for p in COMMENTARY}
    references = dict(r for c in quoted for r in c.references)
    for reference, text in references.items():
        measure_id, _, field = reference.strip("{}").partition(".")
        if field == "baseline":
            continue  # see test_an_averaged_baseline_is_shown_averaged_wherever_it_is_shown
        assert text == cell_by_ref(written.doc, f"{measure_id}.{FIELD_CELL[field]}", "scorecard").text, reference
        assert text == cell_by_ref(written.doc, f"{measure_id}.{FIELD_CELL[field]}", "figures").text, reference
    assert len(references) == 6
    for c in quoted:
        for paragraph in commentary_paragraphs(c):
            assert paragraph in written.html.blocks
            assert paragraph in written.word.paragraphs
            if written.pdf is not None:
                assert paragraph in written.pdf


# --------------------------------------------------------------------------- one rounding rule, no "-0"

#: A signed zero: "-0", "−0.0%", "+0.0 pts" (not the "-01" of a date such as 2026-12-01).
SIGNED_ZERO = re.compile(r"(?<![\w.,])[-−+]0(?:\.0+)?(?![\d.,]*\d)")
#: A hyphen used as a minus sign ("-12%"), where the documents print a true minus ("−12%"); not
#: the hyphen of a range or label ("2021-22", "2018-10 to 2024-04").
HYPHEN_MINUS = re.compile(r"(?<![\w.,)\]-])-(?=\d)")
#: The first figure a cell shows: an optional sign, an optional pound sign, digits.
LEADING_FIGURE = re.compile(r"^(?:about )?([+−]?)£?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)")


def every_text(written: Written) -> dict[str, str]:
    texts = {"model": " | ".join([*prose(written.doc), *alternatives(written.doc),
                                  *(c.text for c in model_cells(written.doc))]),
             "html": written.html.text, "word": written.word.text,
             "figures.csv": " | ".join(f"{r['value_text']} | {r['change_text']}" for r in written.figures_csv),
             # The text columns, as shown (a "_value" column is the unrounded number, for machines).
             "scorecard.csv": " | ".join(" | ".join(v for k, v in r.items() if not k.endswith("_value"))
                                         for r in written.scorecard_csv or [])}
    if written.pdf is not None:
        texts["pdf"] = written.pdf
    return texts


def test_no_signed_zero_anywhere(written: Written) -> None:
    for where, text in every_text(written).items():
        assert not SIGNED_ZERO.findall(text), f"{where}: {sorted({m.group(0) for m in SIGNED_ZERO.finditer(text)})}"


def test_every_minus_sign_is_a_true_minus(written: Written) -> None:
    for where, text in every_text(written).items():
        found = [text[max(0, m.start() - 20):m.end() + 10] for m in HYPHEN_MINUS.finditer(text)]
        assert not found, f"{where}: {found}"


def test_no_count_is_shown_with_a_fraction(written: Written, test_catalogue: Catalogue) -> None:
    """Not in a table cell (a count's own text, before any rate in brackets), not in a sentence
    ("3.75 knives surrendered", "about 3.8 a quarter"), not in a chart's text alternative."""
    for cell in model_cells(written.doc):
        if cell.unit == "count":
            assert not re.search(r"\d\.\d", cell.text.split(" (")[0]), cell
    nouns = sorted({form for m in test_catalogue.measures if m.noun for form in (m.noun.singular, m.noun.plural)},
                   key=len, reverse=True)
    fraction = re.compile(r"\d\.\d+ (?:" + "|".join(map(re.escape, nouns)) + r"|a quarter|a month|a half-year)\b"
                          r"|(?:an average of|about) \d[\d,]*\.\d")
    for where, text in every_text(written).items():
        assert not fraction.findall(text), f"{where}: {fraction.findall(text)}"
    for _, chart in blocks(written.doc):
        if isinstance(chart, Chart) and chart.counts:
            assert not re.search(r": \d[\d,]*\.\d", chart.alt_text), chart.title


def test_every_figure_is_its_value_rounded_half_away_from_zero(written: Written) -> None:
    """Whatever the places a figure is shown to, the digits are its unrounded value rounded half
    away from zero on the decimal figure (2.5 → 3, 12.25 → 12.3, 1000.125 → 1,000.13)."""
    checked = 0
    for cell in model_cells(written.doc):
        shown = LEADING_FIGURE.match(cell.text)
        if cell.value is None or shown is None or not (cell.unit in UNITS or cell.unit.startswith("change_")):
            continue
        digits = shown.group(2).replace(",", "")
        places = len(digits.partition(".")[2])
        expected = Decimal(repr(cell.value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        assert Decimal(("-" if shown.group(1) == "−" else "") + digits) == expected, (cell, str(expected))
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(("kind", "ref", "value", "text"), EDGES, ids=[f"{k}:{r}" for k, r, _, _ in EDGES])
def test_figures_on_the_edges_of_the_rules(quarterly: Document, kind: str, ref: str, value: float, text: str) -> None:
    """The figures written into the local series file, as the quarterly statement shows them."""
    cell = cell_by_ref(quarterly, ref, kind)
    assert cell.value == pytest.approx(value, abs=1e-9)
    assert cell.text == text


def test_sentences_state_the_tables_figures(quarterly: Document) -> None:
    """Each local KPI's sentence states the figure, and the figures it is compared with, in the
    table's own text; and the size of each change that does not round to nothing."""
    sentences = {p.refs[0].partition(".")[0]: p.text for _, p in blocks(quarterly)
                 if isinstance(p, Paragraph) and p.generated and p.refs}
    for measure_id in KPIS:
        sentence = sentences[measure_id]
        assert cell_by_ref(quarterly, f"{measure_id}.value", "scorecard").text in sentence
        for c in ("previous_quarter", "baseline"):
            compared = cell_by_ref(quarterly, f"{measure_id}.{c}", "figures").text.split(" (")[0]
            assert compared in sentence, (measure_id, c, compared)
            change = cell_by_ref(quarterly, f"{measure_id}.change_{c}", "figures")
            size = change.text.lstrip("+−").removesuffix(" pts")
            if change.value is not None and Decimal(re.sub(r"[^\d.]", "", size)) != 0:
                assert size in sentence, (measure_id, c, size)


# --------------------------------------------------------------------------- differences found


def test_an_averaged_baseline_is_shown_averaged_wherever_it_is_shown(quarterly: Document, workspace: Path) -> None:
    averaged = cell_by_ref(quarterly, "xf_knives_surrendered.baseline", "figures").text.split(" (")[0]
    assert averaged == "about 4 a quarter"
    assert "about 4 a quarter on average" in next(
        p.text for _, p in blocks(quarterly) if isinstance(p, Paragraph) and "xf_knives_surrendered.value" in p.refs)
    rec, _ = record(quarterly, "xf_knives_surrendered.baseline")
    quoted = next(text for _, c in blocks(quarterly) if isinstance(c, Commentary)
                  for ref, text in c.references if ref == "{xf_knives_surrendered.baseline}")
    cli = cli_row(workspace / "store.duckdb", workspace / "measures.yaml", "xf_knives_surrendered")["Baseline"]
    assert {"scorecard": cell_by_ref(quarterly, "xf_knives_surrendered.baseline", "scorecard").text,
            "figures.csv": rec.value.text, "commentary": quoted, "cli": cli} == \
        {"scorecard": averaged, "figures.csv": averaged, "commentary": averaged, "cli": averaged}


def cli_row(store: Path, catalogue: Path, measure_id: str) -> dict[str, str]:
    """The row ``scorecard results`` prints in its table for one measure."""
    res = runner.invoke(app, ["results", "--store", str(store), "--catalogue", str(catalogue), "--area", FORCE,
                              "--period", PERIOD, "--measure", measure_id])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.output.splitlines() if line.startswith(("┃", "│"))]
    header, values = ([c.strip() for c in line.strip("┃│").split(line[0])] for line in lines[:2])
    return dict(zip(header, values, strict=True))


def test_the_cli_table_shows_the_statements_text(quarterly: Document, workspace: Path) -> None:
    """``scorecard results`` for the quarter prints each KPI's figure, baseline and changes in the
    text the statement's scorecard and figures tables print."""
    shown = {m: cli_row(workspace / "store.duckdb", workspace / "measures.yaml", m) for m in (*KPIS, "homicide")}
    expected = {m: {"Value": cell_by_ref(quarterly, f"{m}.value", "scorecard").text,
                    "Baseline": cell_by_ref(quarterly, f"{m}.baseline", "scorecard").text,
                    "Change": cell_by_ref(quarterly, f"{m}.change_baseline", "scorecard").text,
                    "vs previous": cell_by_ref(quarterly, f"{m}.change_previous_quarter", "figures").text}
                for m in shown}
    assert {m: {k: row[k] for k in expected[m]} for m, row in shown.items()} == expected
