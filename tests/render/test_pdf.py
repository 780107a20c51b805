"""The PDF as a clerk prints it (``scorecard.render.pdf``: the HTML page laid out by WeasyPrint).

The real West Midlands statement (seed 000's shape: six priorities, charts) and board paper
(seed 004's shape, with the landscape Appendix A scorecard) are built from the test store with
the demo configurations and printed to PDF, then read back with poppler:

* the statement fits in at most 12 A4 pages (``pdfinfo``);
* every page of a draft carries the draft marking, an approved document none (``pdftotext``
  page by page);
* nothing runs past a margin: every word (``pdftotext -bbox-layout``) lies between the side
  margins, the body between the top and bottom margins, and only the running header (the
  draft marking) and footer (title, "Page n of N") in them; the scorecard appendix is on
  landscape pages, the rest portrait;
* every figure the model holds is in the PDF's text as the model has it, and no number is split
  across lines;
* the pages rasterise to PNG (``pdftoppm``), kept in the test's temporary folder (set
  ``SCORECARD_SCREENSHOT_DIR`` to keep copies) so that they can be looked at.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from scorecard.catalogue.schema import Catalogue
from scorecard.documents.model import Chart, Document, Paragraph, Table
from scorecard.render.write import write_document

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = ("west-midlands", "2024-25 Q1", "west-midlands-2024-25-q1-statement.yaml")
BOARD_PAPER = ("west-midlands", "2021-22 Q4", "west-midlands-2022-05-board-paper.yaml")
MM = 72 / 25.4  # PDF points in a millimetre
A4 = (210 * MM, 297 * MM)
# The page margins of render/pdf.py's PRINT_CSS (top, right, bottom, left), in points.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 20 * MM, 14 * MM, 18 * MM
EDGE = 5 * MM  # the running header and footer keep at least this far from the paper's edge
SLACK = 1.0  # points: glyph boxes may touch the margin

pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in ("pdfinfo", "pdftotext", "pdftoppm")),
                                reason="poppler-utils (pdfinfo, pdftotext, pdftoppm) is needed: run scripts/setup")


# --------------------------------------------------------------------------- the documents

Demo = Callable[..., Document]  # the demo_document fixture (tests/conftest.py)


@dataclass(frozen=True)
class Printed:
    doc: Document
    pdf: Path
    seconds: float


def printed(doc: Document, folder: Path) -> Printed:
    """The document printed to PDF as `scorecard report --format pdf` prints it."""
    start = time.perf_counter()
    (path,) = [p for p in write_document(doc, ["pdf"], folder) if p.suffix == ".pdf"]
    return Printed(doc, path, time.perf_counter() - start)


@pytest.fixture(scope="module")
def statement(demo_document: Demo, real_store_path: Path, catalogue: Catalogue,
              tmp_path_factory: pytest.TempPathFactory) -> Printed:
    return printed(demo_document(real_store_path, catalogue, STATEMENT), tmp_path_factory.mktemp("statement"))


@pytest.fixture(scope="module")
def board_paper(demo_document: Demo, real_store_path: Path, catalogue: Catalogue,
                tmp_path_factory: pytest.TempPathFactory) -> Printed:
    return printed(demo_document(real_store_path, catalogue, BOARD_PAPER), tmp_path_factory.mktemp("board-paper"))


@pytest.fixture(scope="module")
def approved(demo_document: Demo, real_store_path: Path, catalogue: Catalogue,
             tmp_path_factory: pytest.TempPathFactory) -> Printed:
    doc = demo_document(real_store_path, catalogue, STATEMENT, "approved")
    assert doc.approved
    return printed(doc, tmp_path_factory.mktemp("approved"))


# --------------------------------------------------------------------------- reading the PDF back

def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def page_count(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", pdf), re.M)
    assert match, "pdfinfo gives the page count"
    return int(match.group(1))


def page_text(pdf: Path, page: int) -> str:
    return run("pdftotext", "-f", str(page), "-l", str(page), "-layout", pdf, "-")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self, top: float, bottom: float) -> str:
        """The words lying between ``top`` and ``bottom`` (points from the top), in reading order."""
        inside = sorted((w for w in self.words if w.y0 >= top - SLACK and w.y1 <= bottom + SLACK),
                        key=lambda w: (round(w.y0), w.x0))
        return " ".join(w.text for w in inside)


def pages(pdf: Path) -> list[Page]:
    """Every page's size and word boxes, from ``pdftotext -bbox-layout``."""
    xhtml = run("pdftotext", "-bbox-layout", pdf, "-")
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    out: list[Page] = []
    for n, page in enumerate(ET.fromstring(xhtml).iterfind(".//x:page", ns), start=1):
        words = tuple(Word(w.text or "", *(float(w.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax")))
                      for w in page.iterfind(".//x:word", ns))
        out.append(Page(n, float(page.attrib["width"]), float(page.attrib["height"]), words))
    return out


def flowing_text(printed: Printed) -> str:
    """The PDF's body text in the order it was laid out (``pdftotext -raw``), pages joined, without
    the running header and footer and the list markers WeasyPrint draws after a page's text;
    whitespace normalised and words broken at a hyphen joined again (never a number: a figure
    must not be split)."""
    doc = printed.doc
    footer = re.compile(rf"^{re.escape(doc.title)} Page \d+ of \d+$")
    kept = [line for line in run("pdftotext", "-raw", printed.pdf, "-").replace("\f", "\n").splitlines()
            if line.strip() not in (doc.status_text, "•") and not footer.match(line.strip())
            and not re.fullmatch(r"\d+\.", line.strip())]
    text = " ".join(" ".join(kept).split())
    return re.sub(r"(?<=[A-Za-z])- (?=[a-z])", "-", text)


def figure_texts(doc: Document) -> list[str]:
    """What the model says with figures: the generated sentences and every table cell that holds
    a figure (it has a reference, or its column is numeric)."""
    out: list[str] = []
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph) and block.refs:
                out.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    out += [cell.text for column, cell in zip(block.columns, row.cells, strict=True)
                            if cell.text and (cell.ref or column.numeric)]
    return out


NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


def keep_pngs(printed: Printed, folder: Path) -> list[Path]:
    """Every page as a PNG at 60 dpi, copied to $SCORECARD_SCREENSHOT_DIR if set."""
    prefix = folder / printed.pdf.stem
    run("pdftoppm", "-r", "60", "-png", printed.pdf, prefix)
    pngs = sorted(folder.glob(f"{printed.pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    keep = os.environ.get("SCORECARD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for png in pngs:
            shutil.copyfile(png, Path(keep) / png.name)
    return pngs


# --------------------------------------------------------------------------- the tests

def test_the_six_priority_statement_with_its_charts_fits_in_twelve_a4_pages(statement: Printed) -> None:
    doc = statement.doc
    assert len([s for s in doc.sections if s.id in {"homicide", "serious_violence", "drugs_supply",
                                                      "neighbourhood_crime", "victim_satisfaction",
                                                      "fraud_cyber"}]) == 6
    assert sum(isinstance(b, Chart) for s in doc.sections for b in s.blocks) >= 3
    count = page_count(statement.pdf)
    assert count <= 12, f"{count} pages"
    for page in pages(statement.pdf):
        assert sorted((round(page.width), round(page.height))) == sorted((round(A4[0]), round(A4[1]))), page.number
    assert statement.seconds < 30, f"printing took {statement.seconds:.1f} s"


@pytest.mark.parametrize("which", ["statement", "board_paper"])
def test_every_page_of_a_draft_says_it_is_a_draft(which: str, request: pytest.FixtureRequest) -> None:
    draft: Printed = request.getfixturevalue(which)
    assert not draft.doc.approved and draft.doc.status_text.startswith("DRAFT")
    for n in range(1, page_count(draft.pdf) + 1):
        assert draft.doc.status_text in " ".join(page_text(draft.pdf, n).split()), f"page {n} has no draft marking"


def test_an_approved_statement_has_no_draft_marking(approved: Printed) -> None:
    for n in range(1, page_count(approved.pdf) + 1):
        text = page_text(approved.pdf, n)
        assert "DRAFT" not in text and "not approved" not in text, f"page {n}"


@pytest.mark.parametrize("which", ["statement", "board_paper"])
def test_nothing_runs_past_a_margin(which: str, request: pytest.FixtureRequest) -> None:
    doc: Printed = request.getfixturevalue(which)
    read = pages(doc.pdf)
    for page in read:
        where = f"page {page.number} of {len(read)}"
        for w in page.words:
            assert w.x0 >= MARGIN_SIDE - SLACK and w.x1 <= page.width - MARGIN_SIDE + SLACK, \
                f"{where}: {w.text!r} runs past a side margin ({w.x0 / MM:.1f} to {w.x1 / MM:.1f} mm)"
            assert w.y0 >= EDGE and w.y1 <= page.height - EDGE, f"{where}: {w.text!r} is at the paper's edge"
        # only the running header sits in the top margin, only the running footer in the bottom one
        assert page.text(0, MARGIN_TOP) == doc.doc.status_text, where
        assert page.text(page.height - MARGIN_BOTTOM, page.height) == \
            f"{doc.doc.title} Page {page.number} of {len(read)}", where


def test_the_scorecard_appendix_is_on_landscape_pages_and_the_rest_portrait(board_paper: Printed) -> None:
    read = pages(board_paper.pdf)
    appendix = [p.number for p in read if "Appendix A: Police and Crime Plan KPI Scorecard" in p.text(0, p.height)]
    assert appendix, "the appendix is printed"
    scorecard_pages = set(range(appendix[0], appendix[0] + sum(p.landscape for p in read)))
    assert [p.number for p in read if p.landscape] == sorted(scorecard_pages)
    assert "Where the figures come from" not in " ".join(read[n - 1].text(0, read[n - 1].height)
                                                          for n in scorecard_pages)


@pytest.mark.parametrize("which", ["statement", "board_paper"])
def test_every_figure_of_the_model_is_in_the_pdf_text(which: str, request: pytest.FixtureRequest) -> None:
    doc: Printed = request.getfixturevalue(which)
    text = flowing_text(doc)
    expected = figure_texts(doc.doc)
    assert len(expected) > 50
    missing = [t for t in expected if " ".join(t.split()) not in text]
    assert missing == [], f"{len(missing)} of {len(expected)} figure texts are not in the PDF"
    # and no number is split across lines or pages: each is one word of the PDF
    words = {n for page in pages(doc.pdf) for w in page.words for n in NUMBER.findall(w.text)}
    split = sorted({n for t in expected for n in NUMBER.findall(t)} - words)
    assert split == [], f"numbers not printed whole: {split}"


@pytest.mark.parametrize("which", ["statement", "board_paper"])
def test_the_pages_render_to_png(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    doc: Printed = request.getfixturevalue(which)
    read = pages(doc.pdf)
    pngs = keep_pngs(doc, tmp_path)
    assert len(pngs) == len(read)
    for page, png in zip(read, pngs, strict=True):
        with Image.open(png) as image:
            assert image.size == (math.ceil(page.width / 72 * 60), math.ceil(page.height / 72 * 60)), png.name
