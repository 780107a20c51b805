"""The PDF: the HTML page printed by WeasyPrint with the print stylesheet — A4, page
numbers, the title and the key figures in the text layer, a first page that renders — and
no fetching from outside the report folder.  Also times every format for one statement."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from scorecard.catalogue.schema import Catalogue
from scorecard.periods import parse
from scorecard.report import pdf
from scorecard.report.build import build_report
from scorecard.report.model import Report
from scorecard.report.render import render_all
from scorecard.store import Store

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed: run scripts/setup")


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(scope="module")
def report(real_store_path: Path, catalogue: Catalogue) -> Report:
    with Store.open(real_store_path, read_only=True) as store:
        built = build_report(store, catalogue, "west-midlands", parse("2021-22"))
    return replace(built, generated_at="2026-01-05T09:30:00")


@pytest.fixture(scope="module")
def pdf_path(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "statement.pdf"
    pdf.render(report, path)
    return path


def test_pdf_is_written_from_the_html_page(pdf_path: Path) -> None:
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert (pdf_path.parent / "assets").is_dir()  # html.render copied the page's assets beside it


@needs_poppler
def test_pdf_is_a4_tagged_with_the_title(report: Report, pdf_path: Path) -> None:
    info = _run("pdfinfo", pdf_path)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(rf"Title:\s+{re.escape(report.title)}", info)


@needs_poppler
def test_pdf_text_has_title_key_figures_and_page_numbers(report: Report, pdf_path: Path) -> None:
    text = _run("pdftotext", "-layout", pdf_path, "-")
    flat = " ".join(text.split())
    assert report.title in flat
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", pdf_path)).group(1))  # type: ignore[union-attr]
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # West Midlands 2021-22: 48 homicides against the 52 of the baseline year.
    assert re.search(r"^\s*Homicide\s+48\s+52\b", text, re.M), "homicide row (48 against 52) not found"
    burglary = next(line for line in text.splitlines() if line.strip().startswith("Burglary (all)"))
    assert "20,021" in burglary and "28,681" in burglary and "-30.2%" in burglary
    assert report.licence in flat


@needs_poppler
def test_first_page_renders_to_png(pdf_path: Path, tmp_path: Path) -> None:
    _run("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", pdf_path, tmp_path / "page1")
    image = Image.open(tmp_path / "page1.png").convert("L")
    width, height = image.size
    assert abs(width / height - 210 / 297) < 0.01  # A4 portrait
    histogram = image.histogram()
    ink = sum(histogram[:128]) / (width * height)
    assert 0.005 < ink < 0.5  # text on the page, not blank and not a black box


def test_only_local_files_are_fetched(tmp_path: Path) -> None:
    fetcher = pdf._url_fetcher((tmp_path.resolve(),))
    (tmp_path / "ok.css").write_text("p { color: red }", "utf-8")
    response = fetcher.fetch((tmp_path / "ok.css").resolve().as_uri())
    assert response.read() == b"p { color: red }"
    for url in ("file:///etc/passwd", "https://example.org/x.png", "http://169.254.169.254/latest"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    outside = tmp_path / "page.pdf"
    pdf.write_pdf('<html><body><h1>T</h1><img src="file:///etc/hostname" alt="x">'
                  '<img src="https://example.org/x.png" alt="y"><p>text</p></body></html>', outside, tmp_path)
    assert outside.read_bytes().startswith(b"%PDF-")


def test_time_all_formats_for_one_statement(real_store_path: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    """Prints the build time of every format for one statement (target: under 5 s on two cores)."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with Store.open(real_store_path, read_only=True) as store:
        built = build_report(store, catalogue, "west-midlands", parse("2021-22"))
    timings["model"] = time.perf_counter() - start
    for fmt in ("json", "csv", "html", "docx", "pdf"):
        t = time.perf_counter()
        render_all(built, [fmt], tmp_path / "out")
        timings[fmt] = time.perf_counter() - t
    total = time.perf_counter() - start
    print("\nstatement build times: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
          + f"; total {total:.2f}s")
    for name in ("report.json", "figures.csv", "statement.html", "statement.docx", "statement.pdf"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert total < 60  # a loose bound: CI machines vary; the printed figure is what to watch
