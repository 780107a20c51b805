"""The Word paper drawn from the document model (``scorecard.render.docx``).

A real statement and a real board paper are built from the test store (``real_store_path``)
by the document builders, drawn into Word, and read back with python-docx: every text of the
model is in the paper as the model has it, the paper uses Word's own heading, list and table
styles, every page of a draft says it is a draft, charts are the web page's SVG as pictures
with alt text, the scorecard is landscape, and no table column is narrower than its longest
heading word.  LibreOffice then prints the paper to PDF and PNG (skipped without ``soffice``)
to check the page count and that every figure is on the printed pages.

The text snapshot ``tests/golden/render/statement-docx.txt`` is our own output, not a
specification: it shows a change to the paper in review.  Refresh it, and read the diff, with::

    SNAPSHOT_UPDATE=1 .venv/bin/pytest --basetemp=/tmp/pt-docx -p no:cacheprovider tests/render/test_docx.py
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.shared import Cm
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from PIL import ImageFont

from scorecard.catalogue.schema import Catalogue
from scorecard.documents.board_paper import build_board_paper
from scorecard.documents.config import BoardFile, DocumentConfig
from scorecard.documents.format import text as cell_text
from scorecard.documents.model import (
    BulletList,
    Chart,
    Column,
    Commentary,
    Document,
    Note,
    Paragraph,
    Row,
    Section,
    Table,
)
from scorecard.documents.parts import DocumentInputs
from scorecard.documents.statement import build_statement
from scorecard.figures import StatementFigures, statement_figures
from scorecard.render import charts
from scorecard.render import docx as word
from scorecard.store import Store
from scorecard.windows import StatementPeriod

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "render" / "statement-docx.txt"
FORCE = "west-midlands"
FIXED_TIME = "2026-01-05T09:30:00"
SCORECARD = ("homicide", "violence_with_injury", "possession_of_weapons", "drug_offences", "burglary", "robbery",
             "vehicle_offences", "calls_999_within_10s", "calls_101_within_sla")
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
LIBERATION = Path("/usr/share/fonts/truetype/liberation")

PCC_HOMICIDE = """The PCC holds the force to account for **homicide**, with _partners_.

- Operation Fresco: [the plan](https://example.org/fresco)
- A [script link](javascript:alert(1)) and ![a photo](https://example.org/p.png)

3. third
4. fourth

## Next steps

<script>alert(1)</script> & <w:p>stays text</w:p>\x07
"""

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) and poppler-utils are needed: run scripts/setup")


# --------------------------------------------------------------------------- building the documents

def figures(store_path: Path, catalogue: Catalogue, period: StatementPeriod) -> StatementFigures:
    """The force's figures, with the files' load times fixed (the test store is loaded afresh)."""
    with Store.open(store_path, read_only=True) as store:
        held = statement_figures(store, catalogue, [FORCE], period)[FORCE]
    return replace(held, sources=tuple({**s, "loaded_at": FIXED_TIME} for s in held.sources))


@pytest.fixture(scope="module")
def statement(real_store_path: Path, catalogue: Catalogue) -> Document:
    period = StatementPeriod.read("2024-25 Q1")
    commentary = {("homicide", "pcc"): Commentary("pcc", "Police and Crime Commissioner's statement", PCC_HOMICIDE)}
    return build_statement(DocumentInputs(
        catalogue, FORCE, "West Midlands", period, figures(real_store_path, catalogue, period),
        DocumentConfig(scorecard_measures=SCORECARD), commentary=commentary, generated_at=FIXED_TIME,
        software_version="test"))


@pytest.fixture(scope="module")
def board_paper(real_store_path: Path, catalogue: Catalogue) -> Document:
    period = StatementPeriod.read("2021-22 Q4")
    board = BoardFile(agenda_item="5", board="Strategic Policing and Crime Board", meeting_date="May 2022",
                      presented_by="Deputy Chief Constable", authors="Performance team",
                      job_title="Head of Performance")
    commentary = {
        ("homicide", "force"): Commentary("force", "", "Homicides are often linked to organised crime.\n\n"
                                                       "Activity will focus on:\n\n- domestic abuse\n- gangs\n"),
        ("homicide", "pcc"): Commentary("pcc", "", "The PCC holds the force to account.\n\nA second paragraph."),
    }
    return build_board_paper(DocumentInputs(
        catalogue, FORCE, "West Midlands", period, figures(real_store_path, catalogue, period),
        DocumentConfig(document="board_paper", board=board, scorecard_measures=SCORECARD), commentary=commentary,
        generated_at=FIXED_TIME, software_version="test"))


@pytest.fixture(scope="module")
def statement_docx(statement: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "statement.docx"
    word.render_docx(statement, path)
    return path


@pytest.fixture(scope="module")
def board_docx(board_paper: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "board-paper.docx"
    word.render_docx(board_paper, path)
    return path


# --------------------------------------------------------------------------- reading the Word file back

def body(path: Path) -> Iterator[WordParagraph | WordTable]:
    yield from open_docx(str(path)).iter_inner_content()


def paragraphs(path: Path) -> list[WordParagraph]:
    return [p for p in body(path) if isinstance(p, WordParagraph)]


def tables(path: Path) -> list[WordTable]:
    return [t for t in body(path) if isinstance(t, WordTable)]


def styled(path: Path, style: str) -> list[str]:
    return [p.text for p in paragraphs(path) if p.style is not None and p.style.name == style]


def texts(path: Path) -> set[str]:
    return {p.text for p in paragraphs(path)}


def blocks(doc: Document) -> Iterator[tuple[Section, object]]:
    for section in doc.sections:
        for block in section.blocks:
            yield section, block


def expected_paragraph(p: Paragraph) -> str:
    return p.text if p.number is None else f"{p.number}. {p.text}"


def word_rows(path: Path, caption: str) -> list[list[str]]:
    found = [t for t in tables(path) if t._tbl.xpath("./w:tblPr/w:tblCaption/@w:val") == [caption]]
    assert len(found) == 1, f"one table captioned {caption!r}"
    return [[c.text for c in row.cells] for row in found[0].rows]


def assert_model_text_in_paper(doc: Document, path: Path) -> None:
    """Every heading, paragraph, list item, caption, note and table cell of the model is in
    the Word file exactly as the model has it; each table's rows are the model's rows."""
    shown = texts(path)
    assert doc.title in shown
    for label, value in doc.front:
        assert value in shown or f"{label}: {value}" in shown, (label, value)
    for section, block in blocks(doc):
        assert section.heading in shown
        if isinstance(block, Paragraph):
            assert expected_paragraph(block) in shown
        elif isinstance(block, BulletList):
            assert set(block.items) <= shown
        elif isinstance(block, Table):
            rows = word_rows(path, block.caption)
            width = len(block.columns)
            assert rows[0][:width] == [c.heading for c in block.columns]
            assert [r[:width] for r in rows[1:]] == [[c.text for c in row.cells] for row in block.rows]
            assert set(block.notes) <= shown
        elif isinstance(block, Chart):
            assert block.title in shown
        elif isinstance(block, Commentary):
            assert block.heading in shown
        elif isinstance(block, Note):
            assert block.text in shown
    assert doc.licence in shown


# --------------------------------------------------------------------------- the statement

def test_every_text_of_the_statement_is_in_the_paper_as_the_model_has_it(statement: Document,
                                                                         statement_docx: Path) -> None:
    assert_model_text_in_paper(statement, statement_docx)
    homicide = word_rows(statement_docx, "Figures: reduce murder and other homicide")
    assert homicide[1] == ["Homicide", "YE Jun 2024", "37 (12.2 per million people)",
                           "52 (national baseline, YE Jun 2019)", "−29%"]


def test_the_paper_uses_words_own_styles_and_properties(statement: Document, statement_docx: Path) -> None:
    assert styled(statement_docx, "Title") == [statement.title]
    assert styled(statement_docx, "Subtitle") == [statement.subtitle]
    assert styled(statement_docx, "Heading 1") == [s.heading for s in statement.sections]
    assert styled(statement_docx, "Heading 2") == ["Police and Crime Commissioner's statement"]
    assert styled(statement_docx, "Heading 4") == ["Next steps"]
    priorities = next(b for _, b in blocks(statement) if isinstance(b, BulletList) and b.ordered)
    assert styled(statement_docx, "List Number")[:6] == list(priorities.items)
    assert "Homicides (Police recorded crime)" in styled(statement_docx, "List Bullet")
    properties = open_docx(str(statement_docx)).core_properties
    assert properties.title == statement.title
    assert statement.subtitle in properties.subject
    assert properties.content_status == statement.status_text


def test_each_ordered_list_counts_from_its_own_first_number(statement_docx: Path) -> None:
    doc = open_docx(str(statement_docx))
    numbering = doc.part.numbering_part.element
    lists = [p for p in doc.paragraphs if p.style is not None and p.style.name == "List Number"]
    starts = []
    for p in lists:
        num_id = p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        assert num_id, f"{p.text!r} is not in a Word list"
        starts.append((num_id[0], numbering.xpath(f"./w:num[@w:numId='{num_id[0]}']//w:startOverride/@w:val")[0]))
    assert [s for _, s in starts] == ["1"] * 6 + ["3"] * 2  # the six priorities, then the commentary's "3. third"
    assert len({n for n, _ in starts}) == 2


def test_untrusted_commentary_is_only_text(statement_docx: Path) -> None:
    shown = texts(statement_docx)
    assert "The PCC holds the force to account for homicide, with partners." in shown
    first = next(p for p in paragraphs(statement_docx) if p.text.startswith("The PCC holds"))
    assert [r.text for r in first.runs if r.bold] == ["homicide"]
    assert [r.text for r in first.runs if r.italic] == ["partners"]
    assert "Operation Fresco: the plan (https://example.org/fresco)" in shown
    assert "A [script link](javascript:alert(1)) and a photo" in shown  # no unsafe link, no image fetched
    assert "<script>alert(1)</script> & <w:p>stays text</w:p>" in shown  # raw HTML as typed, \x07 dropped
    doc = open_docx(str(statement_docx))
    assert not doc.element.body.xpath(".//w:hyperlink")
    assert not any("example.org" in rel.target_ref for rel in doc.part.rels.values() if rel.is_external)


def test_a_draft_says_so_on_every_page_of_every_section(statement: Document, statement_docx: Path) -> None:
    doc = open_docx(str(statement_docx))
    assert len(doc.sections) == 3  # portrait, the landscape scorecard, portrait sources
    for section in doc.sections:
        assert not section.header.is_linked_to_previous
        header = section.header.paragraphs[0]
        assert header.text == statement.status_text
        assert all(run.bold for run in header.runs)
        assert statement.status_text in [p.text for p in section.footer.paragraphs]
        assert section.footer._element.xpath(".//w:instrText[contains(., 'PAGE')]")


def test_an_approved_paper_carries_no_draft_marking(statement: Document, tmp_path: Path) -> None:
    path = tmp_path / "approved.docx"
    approved = replace(statement, status="approved", status_text="Approved for publication")
    word.render_docx(approved, path)
    for section in open_docx(str(path)).sections:
        marks = [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
        assert not any("DRAFT" in m or "Approved" in m for m in marks)


def test_numbers_the_check_could_not_match_are_boxed_near_the_start(statement: Document, tmp_path: Path) -> None:
    path = tmp_path / "flagged.docx"
    flagged = replace(statement, flags=("'12%' in the homicide commentary matches no figure",),
                      status_text="DRAFT — not approved for publication: 1 number in the commentary match no figure")
    word.render_docx(flagged, path)
    items = list(body(path))
    box = next(i for i, item in enumerate(items) if isinstance(item, WordTable))
    first_heading = next(i for i, item in enumerate(items) if isinstance(item, WordParagraph)
                         and item.style is not None and item.style.name == "Heading 1")
    assert box < first_heading
    cell = items[box].rows[0].cells[0]  # type: ignore[union-attr]
    assert [p.text for p in cell.paragraphs] == [flagged.status_text, *flagged.flags]


def test_charts_are_the_web_pages_svg_as_pictures_with_alt_text(statement: Document, statement_docx: Path) -> None:
    doc = open_docx(str(statement_docx))
    model_charts = [b for _, b in blocks(statement) if isinstance(b, Chart)]
    assert len(model_charts) >= 3  # one a priority where a series is long enough
    pictures = [pr for pr in doc.element.body.xpath(".//wp:docPr") if pr.get("descr")]
    charted = [pr for pr in pictures if pr.get("title", "").startswith("Statistical process control chart")]
    assert [pr.get("descr") for pr in charted] == [c.alt_text for c in model_charts]
    assert [pr.get("title") for pr in charted] == [f"Statistical process control chart: {c.title}"
                                                    for c in model_charts]
    inline = next(s for s in doc.inline_shapes if s._inline.docPr.get("descr") == model_charts[0].alt_text)
    assert inline.width == Cm(16)
    blob = doc.part.related_parts[inline._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == charts.png(str(charts.chart_svg(model_charts[0])), word.CHART_PX)


def test_the_scorecard_is_landscape_with_labels_beside_its_icons(statement: Document, statement_docx: Path) -> None:
    doc = open_docx(str(statement_docx))
    portrait, landscape, after = doc.sections
    assert landscape.page_width > landscape.page_height
    assert portrait.page_width < portrait.page_height and after.page_width < after.page_height
    card = next(b for _, b in blocks(statement) if isinstance(b, Table) and b.kind == "scorecard")
    rows = word_rows(statement_docx, card.caption)
    assert rows[0] == [c.heading for c in card.columns] + ["Trend"]
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure"
                 and t.rows[0].cells[-1].text == "Trend")
    for model_row, word_row in zip(card.rows, table.rows[1:], strict=True):
        for column, icon in model_row.icons:
            cell = word_row.cells[column]
            assert icon.label in cell.text
            assert cell._tc.xpath(".//wp:docPr[@title]")[0].get("title") == icon.label
            assert DECORATIVE in {el.tag for el in cell._tc.iter()}  # its words say what it shows
        if model_row.trend:
            assert word_row.cells[-1]._tc.xpath(".//wp:docPr/@descr") == [model_row.trend_text]
    body_xml = doc.element.body
    scorecard_heading = next(p for p in doc.paragraphs if p.text == "Appendix: KPI scorecard")
    assert body_xml.index(scorecard_heading._p) < body_xml.index(table._tbl)


def test_tables_repeat_their_header_keep_rows_whole_and_right_align_numbers(statement: Document,
                                                                           statement_docx: Path) -> None:
    doc = open_docx(str(statement_docx))
    assert doc.styles[word.TABLE_TEXT].font.size.pt == 9
    model_tables = [b for _, b in blocks(statement) if isinstance(b, Table)]
    word_tables = [t for t in tables(statement_docx) if t._tbl.xpath("./w:tblPr/w:tblCaption")]
    assert len(word_tables) == len(model_tables)
    for model, table in zip(model_tables, word_tables, strict=True):
        assert table.style is not None and table.style.name == "Table Grid"
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
        assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)
        for i, column in enumerate(model.columns):
            aligned = {table.rows[r].cells[i].paragraphs[0].alignment for r in range(len(table.rows))}
            assert aligned == ({2} if column.numeric else {None}), (model.caption, column.heading)  # 2: right
        for row in table.rows:
            for cell in row.cells:
                assert all(p.style.name == word.TABLE_TEXT for p in cell.paragraphs)
                assert all(r.font.size is None for p in cell.paragraphs for r in p.runs)  # the style's 9 pt


def _bold_width_pt(text: str) -> float:
    font = ImageFont.truetype(str(LIBERATION / "LiberationSans-Bold.ttf"), 900)
    return font.getlength(text) / 100  # at 9 pt: 900 units an em is 100 units a point


def headings_unbroken(path: Path) -> int:
    """Check that each table column is at least as wide as each word of its heading in 9 pt
    bold (measured here, independently of the renderer); how many words were checked."""
    checked = 0
    for table in open_docx(str(path)).tables:
        margins = table._tbl.xpath("./w:tblPr/w:tblCellMar/w:left/@w:w | ./w:tblPr/w:tblCellMar/w:right/@w:w")
        if not margins:
            continue  # the flags box: one cell the width of the page
        padding_pt = sum(int(m) for m in margins) / 20
        grid = [int(w) / 20 for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
        for heading, width_pt in zip((c.text for c in table.rows[0].cells), grid, strict=True):
            for word_ in heading.split():
                assert width_pt - padding_pt >= _bold_width_pt(word_), (heading, word_, width_pt)
                checked += 1
    return checked


needs_fonts = pytest.mark.skipif(not (LIBERATION / "LiberationSans-Bold.ttf").is_file(),
                                 reason="fonts-liberation not installed")


@needs_fonts
def test_no_column_is_narrower_than_its_longest_heading_word(statement_docx: Path, board_docx: Path) -> None:
    assert headings_unbroken(statement_docx) + headings_unbroken(board_docx) > 50


@needs_fonts
def test_a_crowded_table_keeps_its_headings_whole(statement: Document, tmp_path: Path) -> None:
    card = next(b for _, b in blocks(statement) if isinstance(b, Table) and b.kind == "scorecard")
    words = "a long phrase that has to wrap over several lines whichever column of the scorecard it is in"
    crowded = replace(card, rows=tuple(replace(r, cells=tuple(cell_text(words) for _ in r.cells))
                                       for r in card.rows))
    path = tmp_path / "crowded.docx"
    word.render_docx(replace(statement, sections=(Section("crowded", "Crowded", (crowded,)),)), path)
    sources = ("File", "Covers", "Loaded", "SHA-256")  # the sources table the renderer adds for doc.sources
    assert headings_unbroken(path) == len(card.columns) + 1 + len(sources)  # one-word headings, and "Trend"


def test_tables_fit_within_the_margins(statement_docx: Path) -> None:
    doc = open_docx(str(statement_docx))
    portrait, landscape, _ = (s.page_width - s.left_margin - s.right_margin for s in doc.sections)
    for table in doc.tables:
        total = sum(int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")) * 635  # twips to EMU
        in_scorecard = table.rows[0].cells[-1].text == "Trend"
        assert total <= (landscape if in_scorecard else portrait) + 635 * 5  # within rounding of the margins


def test_column_widths_widen_rather_than_split_a_word() -> None:
    table = Table("Words", (Column("Measure"), Column("Baseline", numeric=True), Column("Change", numeric=True)),
                  (Row((cell_text("Possession of weapons offences"), cell_text("2,725"), cell_text("+129%"))),))
    roomy = word.column_widths(table, 17.0)
    assert sum(roomy) == pytest.approx(17.0)
    cramped = word.column_widths(table, 3.0)  # far too narrow a page for these headings
    needed = [word.text_width_cm(w, bold=True) + 2 * word.CELL_MARGIN_CM for w in ("Measure", "Baseline", "Change")]
    assert all(w >= n for w, n in zip(cramped, needed, strict=True))
    assert sum(cramped) > 3.0


# --------------------------------------------------------------------------- the board paper

def test_every_text_of_the_board_paper_is_in_the_paper(board_paper: Document, board_docx: Path) -> None:
    assert_model_text_in_paper(board_paper, board_docx)


def test_board_paper_front_matter_is_laid_out_as_the_seeds_have_it(board_paper: Document, board_docx: Path) -> None:
    opening = [p.text for p in paragraphs(board_docx)][:8]
    assert opening[:4] == ["AGENDA ITEM", "5", "Strategic Policing and Crime Board", "May 2022"]
    assert opening[4] == "Police and Crime Plan priority: Regular Item"
    assert opening[5] == board_paper.title
    assert opening[6] == "Presented by: Deputy Chief Constable"
    assert styled(board_docx, "Title") == [board_paper.title]


def test_board_paper_paragraphs_carry_the_models_numbers(board_paper: Document, board_docx: Path) -> None:
    numbered = [b for _, b in blocks(board_paper) if isinstance(b, Paragraph) and b.number is not None]
    shown = texts(board_docx)
    assert [f"{p.number}. {p.text}" for p in numbered if f"{p.number}. {p.text}" in shown] == \
        [f"{p.number}. {p.text}" for p in numbered]
    force = next(b for _, b in blocks(board_paper) if isinstance(b, Commentary) and b.voice == "force")
    pcc = next(b for _, b in blocks(board_paper) if isinstance(b, Commentary) and b.voice == "pcc")
    assert force.number_from is not None and pcc.number_from is not None
    assert f"{force.number_from}. Homicides are often linked to organised crime." in shown
    assert f"{force.number_from + 1}. Activity will focus on:" in shown
    assert {"domestic abuse", "gangs"} <= set(styled(board_docx, "List Bullet"))  # list items are not numbered
    assert f"{pcc.number_from + 1}. A second paragraph." in shown


def test_board_paper_appendix_is_landscape_and_marked_draft(board_paper: Document, board_docx: Path) -> None:
    doc = open_docx(str(board_docx))
    orientations = ["landscape" if s.page_width > s.page_height else "portrait" for s in doc.sections]
    assert orientations == ["portrait", "landscape", "portrait"]
    assert all(s.header.paragraphs[0].text == board_paper.status_text for s in doc.sections)


# --------------------------------------------------------------------------- printed by LibreOffice

def _run(*args: str | Path, cwd: Path | None = None) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, timeout=180,
                          cwd=cwd).stdout


@pytest.fixture(scope="module")
def printed(statement_docx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("printed")
    profile = out / "profile"  # LibreOffice's own settings, away from the user's
    _run("soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", out,
         statement_docx)
    return out / "statement.pdf"


def _squashed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@needs_soffice
def test_libreoffice_prints_the_statement_on_a_sensible_number_of_pages(statement: Document, printed: Path) -> None:
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", printed)).group(1))  # type: ignore[union-attr]
    assert 6 <= pages <= 14  # six priorities, each with sentences, a table and a chart; the scorecard; sources
    _run("pdftoppm", "-r", "60", "-png", printed, printed.with_suffix(""))
    assert len(list(printed.parent.glob("statement-*.png"))) == pages
    for page in _run("pdftotext", "-layout", printed, "-").split("\f")[:pages]:
        assert statement.status_text in page  # the draft marking on every printed page


@needs_soffice
def test_every_figure_is_on_the_printed_pages(statement: Document, printed: Path) -> None:
    text = _squashed(_run("pdftotext", "-raw", printed, "-"))
    cells = {c.text for _, b in blocks(statement) if isinstance(b, Table) for row in b.rows for c in row.cells
             if c.text}
    missing = sorted(c for c in cells if _squashed(c) not in text)
    assert not missing
    sentences = [b.text for _, b in blocks(statement) if isinstance(b, Paragraph) and b.generated]
    assert sentences and all(_squashed(s) in text for s in sentences)


# --------------------------------------------------------------------------- snapshot

def paper_text(path: Path) -> str:
    """The Word file as text: ``[style] text`` per paragraph, pictures as ``[picture]`` with
    their title and description, tables with their column widths and rows, and each section's
    page, header and footer."""
    doc = open_docx(str(path))
    out: list[str] = []
    for item in doc.iter_inner_content():
        if isinstance(item, WordParagraph):
            for pr in item._p.xpath(".//wp:docPr"):
                out.append(f"[picture] {pr.get('title')}: {pr.get('descr') or '(decorative)'}")
            if item.text.strip():
                style = item.style.name if item.style is not None else "?"
                out.append(f"[{style}] {item.text}")
            if item._p.xpath("./w:pPr/w:sectPr"):
                out.append("[section break]")
        else:
            widths = " ".join(f"{int(w) / 567:.1f}" for w in item._tbl.xpath("./w:tblGrid/w:gridCol/@w:w"))
            out.append(f"[table, columns {widths} cm]")
            for row in item.rows:
                out.append("| " + " | ".join(cell.text for cell in row.cells) + " |")
    for section in doc.sections:
        page = "landscape" if section.page_width > section.page_height else "portrait"
        header = " / ".join(p.text for p in section.header.paragraphs)
        footer = " / ".join(p.text for p in section.footer.paragraphs)
        out.append(f"[section {page}] header: {header} | footer: {footer}")
    return "\n".join(out) + "\n"


SNAPSHOT_HEADER = ("# Snapshot, not a specification: the Word statement for West Midlands, 2024-25 Q1, as "
                   "scorecard.render.docx draws it.\n# The values come from the test store (tests/conftest.py "
                   "real_store_path) through statement_figures and build_statement.\n# Regenerate with "
                   "SNAPSHOT_UPDATE=1 (see tests/render/test_docx.py) and read the diff.\n")


def test_text_snapshot(statement: Document, statement_docx: Path, tmp_path: Path) -> None:
    text = SNAPSHOT_HEADER + paper_text(statement_docx)
    again = tmp_path / "again.docx"
    word.render_docx(statement, again)
    assert SNAPSHOT_HEADER + paper_text(again) == text  # the same model gives the same paper
    if os.environ.get("SNAPSHOT_UPDATE") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    assert GOLDEN.is_file(), "no snapshot yet: run with SNAPSHOT_UPDATE=1"
    expected = GOLDEN.read_text("utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(GOLDEN),
                                            "rendered", n=1))
        pytest.fail(f"the Word paper differs from its snapshot (SNAPSHOT_UPDATE=1 refreshes it):\n{diff[:6000]}")
