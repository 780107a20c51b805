"""The Word board paper: real Word structure (headings, numbering, tables, alt text), the
figures as the model has them, untrusted commentary kept as text, and a text snapshot.

The snapshot ``tests/golden/report/statement-west-midlands-2021-22.docx.txt`` is the paper
as text (each paragraph's style and text, each table's cells, each image's alt text).
When a change to the paper is intended, refresh it with::

    SNAPSHOT_UPDATE=1 .venv/bin/pytest tests/report/test_docx.py

and read the diff before committing it.
"""

from __future__ import annotations

import difflib
import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image

from scorecard.catalogue.schema import Catalogue
from scorecard.periods import parse
from scorecard.report import chart_png
from scorecard.report import docx as paper
from scorecard.report.build import build_report
from scorecard.report.model import Chart, ChartPoint, Commentary, Report
from scorecard.store import Store

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "report" / "statement-west-midlands-2021-22.docx.txt"
FIXED_TIME = "2026-01-05T09:30:00"


def normalised(report: Report) -> Report:
    """The report with everything that changes from run to run (when it was built, when the
    test store was loaded, where it lives) set to fixed values."""
    return replace(report, generated_at=FIXED_TIME, store_path="store.duckdb",
                   provenance=tuple(replace(p, loaded_at=FIXED_TIME) for p in report.provenance))


def docx_text(path: Path) -> str:
    """A .docx as text, in document order: ``[style] text`` per paragraph, tables as
    ``| cell | cell |`` rows, images as ``[image] alt text``, section breaks marked."""
    doc = Document(str(path))
    out: list[str] = []
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            style = item.style.name if item.style is not None else "?"
            for pr in item._p.xpath(".//wp:docPr"):
                out.append(f"[image] {pr.get('descr')}")
            if item.text.strip():
                out.append(f"[{style}] {item.text}")
            if item._p.xpath("./w:pPr/w:sectPr"):
                out.append("[section break]")
        elif isinstance(item, Table):
            repeats = bool(item.rows[0]._tr.xpath("./w:trPr/w:tblHeader"))
            style = item.style.name if item.style is not None else "?"
            out.append(f"[table {style}{', header row repeats' if repeats else ''}]")
            for row in item.rows:
                out.append("| " + " | ".join(cell.text for cell in row.cells) + " |")
    for section in doc.sections:
        orientation = "landscape" if section.page_width and section.page_height and \
            section.page_width > section.page_height else "portrait"
        out.append(f"[section {orientation}] footer: {' / '.join(p.text for p in section.footer.paragraphs)}")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def report(real_store_path: Path, catalogue: Catalogue) -> Report:
    with Store.open(real_store_path, read_only=True) as store:
        return normalised(build_report(store, catalogue, "west-midlands", parse("2021-22")))


@pytest.fixture(scope="module")
def paper_path(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "statement.docx"
    paper.render(report, path)
    return path


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def test_opens_with_a_heading_1_per_priority(report: Report, paper_path: Path) -> None:
    doc = Document(str(paper_path))
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    for section in report.sections:
        assert h1.count(f"Priority {section.number}: {section.title}") == 1
    assert "Purpose of paper" in h1
    assert "Appendix A – Police and Crime Plan KPI Scorecard" in h1
    assert "Appendix B – Sources, provenance and licence" in h1
    assert h1.index("Purpose of paper") < h1.index("Priority 1: " + report.sections[0].title)
    assert any(p.style is not None and p.style.name == "Heading 2" for p in doc.paragraphs)
    title = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Title"]
    assert title == [report.title]
    assert doc.core_properties.title == report.title


def test_body_paragraphs_are_real_word_numbering(report: Report, paper_path: Path) -> None:
    doc = Document(str(paper_path))
    numbered = [p for p in doc.paragraphs if p.style is not None and p.style.name == "List Number"]
    assert len(numbered) > 20
    # The numbering comes from the style's w:numPr (one list, so numbers run on through the
    # paper as in the boards' papers), not from typed-in digits.
    num_ids = doc.styles["List Number"].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    assert num_ids
    numbering = doc.part.numbering_part.element
    abstract = numbering.xpath(f"./w:num[@w:numId='{num_ids[0]}']/w:abstractNumId/@w:val")
    assert numbering.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract[0]}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val") \
        == ["decimal"]
    assert not any(p._p.xpath("./w:pPr/w:numPr") for p in numbered)  # no per-paragraph restarts
    assert not any(p.text[:1].isdigit() and p.text[1:3] in (". ", ") ") for p in numbered)
    texts = [p.text for p in numbered]
    assert report.introduction[0] in texts
    for section in report.sections:
        for sentence in section.sentences:
            assert sentence in texts
    assert "The board is asked to note the contents of this report." in texts


def test_metrics_sources_and_applicability(report: Report, paper_path: Path) -> None:
    text = docx_text(paper_path)
    for section in report.sections:
        for metric in section.national_metrics:
            assert f"National metric: {metric.name}. Source: {metric.source}" in text
        assert section.applicability.reason in text
    assert "Applicability: Applicable." in text


def test_figures_table_header_and_cells_match_the_model(report: Report, paper_path: Path) -> None:
    doc = Document(str(paper_path))
    section = next(s for s in report.sections if s.priority_id == "neighbourhood_crime")
    fig = next(f for f in section.figures if f.measure_id == "burglary")
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure"
                 and any(r.cells[0].text == fig.title for r in t.rows))
    assert table.style is not None and table.style.name == "Table Grid"
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # header row repeats on each page
    header = [c.text for c in table.rows[0].cells]
    assert header[:7] == ["Measure", fig.period_label, f"Baseline {fig.baseline_label}", "Change on baseline",
                          "Change on baseline (%)", fig.previous_label, f"Change on {fig.previous_label} (%)"]
    assert header[-1] == "Rate per 1,000 people"
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert [rows[f.title][0] for f in section.figures] == [f.title for f in section.figures]
    assert rows["Burglary (all)"][1:5] == ["20,021", "28,681", "-8,660", "-30.2%"]
    assert table._tbl.xpath("./w:tblPr/w:tblCaption/@w:val")


def test_homicide_figures(paper_path: Path) -> None:
    rows = [row for table in _tables(paper_path) for row in table]
    assert ["Homicide", "48", "52", "-4", "-7.7%", "43", "+11.6%", "0.02"] in rows


def test_charts_are_images_with_alt_text(report: Report, paper_path: Path) -> None:
    doc = Document(str(paper_path))
    doc_prs = doc.element.body.xpath(".//wp:docPr")
    charts = [c for s in report.sections for c in s.charts]
    assert len(doc_prs) == len(charts) > 5
    assert [pr.get("descr") for pr in doc_prs] == [c.summary for c in charts]
    assert all(pr.get("title") for pr in doc_prs)
    assert len(doc.inline_shapes) == len(charts)
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = doc.part.related_parts[blob].blob
    assert Image.open(io.BytesIO(image)).size == (chart_png.WIDTH, chart_png.HEIGHT)


def test_appendix_scorecard_table(report: Report, paper_path: Path) -> None:
    table = next(t for t in _tables(paper_path) if t[0][0] == "Priority")
    assert table[0][-3:] == ["Status", "Variation", "Assurance"]
    assert len(table) == 1 + len(report.scorecard)
    assert [row[1] for row in table[1:]] == [r.title for r in report.scorecard]
    assert [row[8] for row in table[1:]] == [r.status_text for r in report.scorecard]
    burglary = next(row for row in table if row[1] == "Burglary (all)")
    assert burglary[3:7] == ["20,021", "28,681", "-8,660", "-30.2%"]
    assert burglary[9] == "Common cause"
    doc = Document(str(paper_path))
    assert doc.sections[-1].page_width is not None and doc.sections[-1].page_height is not None
    assert doc.sections[-1].page_width > doc.sections[-1].page_height  # the appendix is landscape


def test_provenance_and_licence(report: Report, paper_path: Path) -> None:
    text = docx_text(paper_path)
    for p in report.provenance:
        assert p.sha256 in text and p.file in text
    assert report.licence in text
    assert f"catalogue {report.catalogue_version}" in text


def test_untrusted_commentary_is_text(report: Report, tmp_path: Path) -> None:
    markdown = ("Burglary fell by **30%** since the _baseline_.\n\n"
                "<script>alert('x')</script> and <w:p>not xml</w:p> & {burglary.value}\x07\n\n"
                "- first point\n- second [link](https://example.org/a)\n\n"
                "# A heading typed by an analyst\n\n"
                "[bad](javascript:alert(1))\n")
    first = replace(report.sections[0], commentary=Commentary(markdown, None))
    path = tmp_path / "c.docx"
    paper.render(replace(report, sections=(first, *report.sections[1:])), path)
    doc = Document(str(path))
    paras = {p.text: p for p in doc.paragraphs}
    assert "Burglary fell by 30% since the baseline." in paras
    assert paras["Burglary fell by 30% since the baseline."].style.name == "List Number"  # type: ignore[union-attr]
    assert any(r.bold and r.text == "30%" for r in paras["Burglary fell by 30% since the baseline."].runs)
    assert "<script>alert('x')</script> and <w:p>not xml</w:p> & {burglary.value}" in paras
    assert paras["first point"].style.name == "List Bullet"  # type: ignore[union-attr]
    assert "second link (https://example.org/a)" in paras
    assert "A heading typed by an analyst" in paras
    assert "[bad](javascript:alert(1))" in paras  # an unsafe link is not a link
    h2 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert "Commentary" in h2


def test_formats() -> None:
    assert paper.format_value(28681.0, "count") == "28,681"
    assert paper.format_value(None, "count") == "–"
    assert paper.format_value(71.25, "percentage") == "71.3%"
    assert paper.format_value(9.5, "seconds") == "10 seconds"
    assert paper.format_change(-8660.0, "count") == "-8,660"
    assert paper.format_change(0.2, "count") == "0"
    assert paper.format_change(1.94, "percentage") == "+1.9 points"
    assert paper.format_change(None, "count") == "–"


def test_chart_png_draws_targets_gaps_and_single_points() -> None:
    def point(i: int, value: float | None, kind: str = "common_cause") -> ChartPoint:
        return ChartPoint(f"2024-25 Q{i}", "2024-04", "2024-06", value, 50.0, 40.0, 60.0, kind)

    chart = Chart("m", "A measure", "percentage",
                  (point(1, 52.0), point(2, None), point(3, 61.0, "special_cause_concern"), point(4, 47.0)),
                  "special_cause_concern", None, "inconsistent", None, 55.0, "A summary.")
    png = chart_png.render_png(chart)
    assert png.startswith(b"\x89PNG")
    assert png == chart_png.render_png(chart)  # deterministic
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {c for _, c in image.getcolors(1_000_000) or []}
    assert (0xD5, 0x28, 0x1B) in colours  # the target line
    assert (0xFA, 0xB4, 0x28) in colours  # a concern point
    single = replace(chart, points=(point(1, 5.0),), target=None)
    assert chart_png.render_png(single).startswith(b"\x89PNG")
    assert chart_png.nice_ticks(0, 97) == [0, 20, 40, 60, 80, 100]
    assert chart_png.nice_ticks(5, 5)[0] < 5 < chart_png.nice_ticks(5, 5)[-1]


def test_text_snapshot(report: Report, paper_path: Path, tmp_path: Path) -> None:
    text = docx_text(paper_path)
    again = tmp_path / "again.docx"
    paper.render(report, again)
    assert docx_text(again) == text  # the same model gives the same paper
    if os.environ.get("SNAPSHOT_UPDATE"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    assert GOLDEN.is_file(), f"no snapshot yet: run SNAPSHOT_UPDATE=1 pytest {__file__}"
    expected = GOLDEN.read_text("utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            str(GOLDEN), "rendered", n=1))
        pytest.fail(f"the Word paper differs from its snapshot (SNAPSHOT_UPDATE=1 refreshes it):\n{diff[:6000]}")
