"""A document of the model as a Word file, laid out like the papers PCC offices publish.

``render_docx(doc, path)`` writes any document of :mod:`scorecard.documents.model` — the
statement (seeds 000, 002) or the board paper (seeds 001, 004) — and decides nothing about
what it says: every figure, sentence, heading and caption is the model's text, printed as it
is (``Cell.text``, ``Paragraph.text``).  Nothing here formats a number; the only numbers it
adds are Word's page-number fields and a paragraph's own ``Paragraph.number``.

Word structure, so that Word's navigation pane, styles and screen readers work:

* front matter as the seeds have it — a board paper's agenda item, board, meeting date, the
  labelled pairs and its title; a statement's title, publication label and labelled pairs;
* section headings in "Heading 1" (a section of ``level`` 3 in "Heading 2"), commentary
  headings one level below their section, headings inside commentary in "Heading 4" (inside a
  chapter of an annual report, which has no heading of its own, one level below the section);
  "Title" and "Subtitle" for the title; lists in "List Bullet" and "List Number" (each
  ordered list restarts at its own first number, with Word's own numbering);
* a numbered paragraph (``Paragraph.number``) starts with its number as "4. ", exactly as
  the model numbers it; a commentary's top-level paragraphs are numbered from
  ``Commentary.number_from`` when the model sets it;
* tables in "Table Grid", 9 pt, header row repeated on each page (``w:tblHeader``), no row
  split across pages (``w:cantSplit``), numeric columns right-aligned, a caption above
  (and ``w:tblCaption`` for screen readers); column widths are computed from the text they
  hold (Liberation Sans metrics, which are Arial's), so no column is narrower than its
  longest word: a heading never breaks mid-word, and if the words cannot fit the page the
  columns stay wide enough for them rather than split them;
* the KPI scorecard (a table of kind "scorecard") in a landscape section, each status,
  variation and assurance label with its small icon before it and a trend sparkline in a
  last "Trend" column, as on the web page;
* charts are the web page's SVG (:func:`scorecard.render.charts.chart_svg`) rasterised by
  :func:`scorecard.render.charts.png`, 16 cm wide, with the model's ``Chart.alt_text`` as
  the picture's description and the chart's title as its title, a caption above and the
  key below; icons and key swatches are marked decorative (their words stand beside them);
* notes in 9 pt under their section; at the end the files behind the figures (the model's
  "sources" section, or a table of ``Document.sources`` when it has none), the licence and
  what produced the file;
* a document that is not approved carries ``Document.status_text`` in bold in the header and
  in the footer of every section (so on every page, landscape ones included), and the
  numbers its check could not match (``Document.flags``) in a box after the front matter.

Text from people (commentary, reasons, configured titles) is untrusted.  It is only ever
inserted as text runs: commentary Markdown is read by markdown-it-py (CommonMark, raw HTML
off, so HTML stays as the characters typed), links become their text with the address in
brackets and are not made clickable, images become their alt text, and characters XML cannot
hold are dropped.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from markdown_it import MarkdownIt
from markdown_it.token import Token
from PIL import ImageFont

from scorecard.documents import format as fmt
from scorecard.documents.model import (
    BulletList,
    Chart,
    Column,
    Commentary,
    Document,
    Icon,
    Note,
    Paragraph,
    Row,
    Section,
    Table,
)
from scorecard.render import charts

__all__ = ["TABLE_FONT_PT", "column_widths", "render_docx", "text_width_cm"]

FONT = "Arial"  # LibreOffice draws it with Liberation Sans, which has Arial's metrics
BODY_PT = 11
TABLE_FONT_PT = 9
TABLE_TEXT = "Table Text"  # the paragraph style of table cells: Normal at 9 pt, no spacing
TABLE_TEXT_ID = "TableText"
NOTE_PT = 9
A4 = (21.0, 29.7)  # cm
MARGIN_CM = 2.0
CELL_MARGIN_CM = 0.15  # left and right padding inside each table cell
CHART_WIDTH_CM = 16.0
CHART_PX = 1360  # 16 cm at about 216 dpi
ICON_CM = 0.32  # an icon before a label: about the height of 9 pt text
SPARK_CM = 1.9
GAP_CM = 0.12  # between an icon and its words
ICON_PX_PER_CM = 200  # icons and key swatches are rasterised at about 500 dpi
TREND_HEADING = "Trend"
KEEP_TOGETHER_ROWS = 8  # a table this short is kept on one page with its caption; longer ones split between rows
DRAFT_COLOUR = RGBColor(0xB1, 0x0E, 0x1E)
NOTE_COLOUR = RGBColor(0x50, 0x5A, 0x5F)
HEADER_FILL = "F3F2F1"
FLAG_FILL = "FFF7BF"

# Characters XML 1.0 cannot hold (python-docx refuses them): dropped from any text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def render_docx(doc: Document, path: Path) -> None:
    """Write ``doc`` to ``path`` as a Word (.docx) file (see the module docstring)."""
    _Writer(doc).build().save(str(path))


# --------------------------------------------------------------------------- measuring text

_FONT_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
_FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation-sans",
              "/usr/share/fonts/liberation", "/usr/local/share/fonts")
_EM = 1000  # the size fonts are measured at: a length in em is getlength(text) / _EM
#: Without the fonts, a width is estimated generously: no Arial letter but W and M is wider.
_FALLBACK_EM = {False: 0.62, True: 0.68}
#: Word and LibreOffice round glyph advances to their own grid; the measured width is
#: widened by this much so a word that fits by measure also fits on the page.
_SLACK = 1.04


@cache
def _font(bold: bool) -> ImageFont.FreeTypeFont | None:
    name = _FONT_FILES[bold]
    for folder in _FONT_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return ImageFont.truetype(str(candidate), _EM)
    try:
        return ImageFont.truetype(name, _EM)  # Pillow also searches the system's font folders
    except OSError:
        return None


def text_width_cm(text: str, size_pt: float = TABLE_FONT_PT, *, bold: bool = False) -> float:
    """How wide ``text`` is on one line, in centimetres, in Arial at ``size_pt``."""
    font = _font(bold)
    em = font.getlength(text) / _EM if font is not None else len(text) * _FALLBACK_EM[bold]
    return em * size_pt * _SLACK * 2.54 / 72


def _longest_word(text: str, bold: bool) -> float:
    return max((text_width_cm(w, bold=bold) for w in text.split()), default=0.0)


# --------------------------------------------------------------------------- column widths

@dataclass(frozen=True)
class _ColumnText:
    """What a column must hold: its heading, its cells' texts, and room for icons."""

    heading: str
    cells: tuple[str, ...]
    extra_cm: float = 0.0  # an icon before the text, or a picture that is the whole cell
    nowrap: bool = False  # the model's Column.nowrap: one line each, where there is room


def _column_texts(table: Table) -> list[_ColumnText]:
    out = []
    for i, column in enumerate(table.columns):
        icons = any(c == i for row in table.rows for c, _ in row.icons)
        out.append(_ColumnText(column.heading, tuple(row.cells[i].text for row in table.rows if i < len(row.cells)),
                               ICON_CM + GAP_CM if icons else 0.0, column.nowrap))
    if _has_trend(table):
        out.append(_ColumnText(TREND_HEADING, (), SPARK_CM + 0.2))
    return out


def column_widths(table: Table, available_cm: float) -> list[float]:
    """Column widths (cm, cell padding included) for ``table`` on a page ``available_cm`` wide
    (with its "Trend" column when it has one).

    Each column needs at least its longest word (its heading's in bold; a cell's word no
    wider than 40% of the page, so a long file name may wrap rather than push the table off
    the page) and would like its longest line.  When every column can have its longest line
    the table is widened to the page in proportion.  Otherwise each column gets its minimum;
    then the columns the model marks ``nowrap`` get their longest line while there is room,
    shortest first; then each column that wants no more than an equal share of what is left
    gets its longest line too (so short texts such as periods and statuses stay on one line),
    and the columns still wanting more share the rest in proportion to how much more each
    would like.  A table whose
    minimums exceed the page stays at its minimums: wider than the margins, but no word split.
    """
    columns = _column_texts(table)
    pad = 2 * CELL_MARGIN_CM
    cap = 0.4 * available_cm
    least: list[float] = []
    most: list[float] = []
    for c in columns:
        low = max(_longest_word(c.heading, True), min(cap, max((_longest_word(t, False) for t in c.cells),
                                                                default=0.0)) + c.extra_cm)
        high = max(text_width_cm(c.heading, bold=True),
                   max((text_width_cm(t) for t in c.cells), default=0.0) + c.extra_cm)
        least.append(low + pad)
        most.append(max(low, high) + pad)
    if sum(most) <= available_cm:
        return [w * available_cm / sum(most) for w in most]
    spare = available_cm - sum(least)
    if spare <= 0:
        return least
    widths = list(least)
    wanted = [h - lo for h, lo in zip(most, least, strict=True)]
    waiting = sorted(range(len(widths)), key=lambda i: wanted[i])
    for i in [i for i in waiting if columns[i].nowrap]:
        if wanted[i] <= spare:
            widths[i] += wanted[i]
            spare -= wanted[i]
            waiting.remove(i)
    while waiting and wanted[waiting[0]] <= spare / len(waiting):
        i = waiting.pop(0)  # short lines ("YE Jun 2024", "Better than baseline") are not wrapped
        widths[i] += wanted[i]
        spare -= wanted[i]
    rest = sum(wanted[i] for i in waiting)
    for i in waiting:
        widths[i] += spare * wanted[i] / rest if rest else 0.0
    return widths


def _has_trend(table: Table) -> bool:
    return table.kind == "scorecard" and any(row.trend for row in table.rows)


# --------------------------------------------------------------------------- XML helpers

def _set_font(style: Any, name: str = FONT) -> None:
    """Name the style's font for every script, dropping the theme fonts that override it."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _shade(cell: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _row_flag(row: Any, tag: str) -> None:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on each page."""
    run = paragraph.add_run()
    for kind in ("begin", "instr", "separate", "text", "end"):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


_DECORATIVE = ('<a:extLst {a}><a:ext uri="{{C183D7F6-B498-43B3-948B-1728B52AA6E4}}">'
               '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" '
               'val="1"/></a:ext></a:extLst>')


def _describe(shape: Any, description: str, title: str, *, decorative: bool = False) -> None:
    """Give an inserted picture its text alternative (``docPr`` descr and title), or mark it
    decorative when the words beside it say what it shows; no gap round it but its own."""
    inline = shape._inline
    for side in ("distT", "distB", "distL", "distR"):  # LibreOffice puts 0.32 cm round a picture without them
        inline.set(side, "0")
    doc_pr = inline.docPr
    doc_pr.set("descr", _clean(description))
    doc_pr.set("title", _clean(title))
    for c_nv_pr in inline.xpath(".//pic:cNvPr"):
        c_nv_pr.set("descr", _clean(description))
    if decorative:
        doc_pr.append(parse_xml(_DECORATIVE.format(a=nsdecls("a"))))


@lru_cache(maxsize=256)
def _icon_png(svg: str, width_px: int) -> bytes:
    """An icon or key swatch rasterised once: the same few recur in every row and paper."""
    return charts.png(svg, width_px)


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def _with_gap(svg: str, ratio: float) -> tuple[str, float]:
    """``svg`` on a canvas ``ratio`` of its width wider, blank on the right; and how much wider."""
    size = _SVG_SIZE.search(svg)
    if size is None:
        return svg, 1.0
    width, height = float(size[1]), float(size[2])
    wide = width * (1 + ratio)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{wide:g}" height="{height:g}" '
            f'viewBox="0 0 {wide:g} {height:g}">{svg}</svg>', wide / width)


# --------------------------------------------------------------------------- Markdown (commentary)

@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


#: Inline Markdown as runs: (text, bold, italic, code); a run "\n" is a line break.
_Runs = list[tuple[str, bool, bool, bool]]


def _inline(token: Token) -> _Runs:
    runs: list[tuple[str, bool, bool, bool]] = []
    bold = italic = 0
    links: list[tuple[str, int]] = []  # (address, where its text starts in runs)
    for child in token.children or []:
        t = child.type
        if t == "text":
            runs.append((child.content, bold > 0, italic > 0, False))
        elif t == "code_inline":
            runs.append((child.content, bold > 0, italic > 0, True))
        elif t == "softbreak":
            runs.append((" ", False, False, False))
        elif t == "hardbreak":
            runs.append(("\n", False, False, False))
        elif t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            links.append((str(child.attrGet("href") or ""), len(runs)))
        elif t == "link_close" and links:
            href, start = links.pop()
            shown = "".join(r[0] for r in runs[start:])
            if href and href not in (shown, f"mailto:{shown}"):
                runs.append((f" ({href})", False, False, False))
        elif t == "image":
            runs.append((child.content, bold > 0, italic > 0, False))  # its alt text
    return runs


# --------------------------------------------------------------------------- the writer

_BOARD_LINES = ("board", "meeting date", "date")  # front-matter pairs a board paper prints bare


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.model = doc
        self.word = new_document()
        self.landscape = False
        self.appendix_started = False
        self._styles: dict[str, Any] = {}
        self._set_up()

    # ----- set-up: styles, page, properties

    def _set_up(self) -> None:
        styles = self.word.styles
        normal = styles["Normal"]
        _set_font(normal)
        normal.font.size = Pt(BODY_PT)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-GB")
        normal.element.get_or_add_rPr().append(lang)
        sizes = {"Title": 20, "Subtitle": 14, "Heading 1": 14, "Heading 2": 12, "Heading 3": 11, "Heading 4": 11,
                 "Caption": 10, "Header": 9, "Footer": 8, "Quote": BODY_PT}
        for name, size in sizes.items():
            style = styles[name]
            _set_font(style)
            style.font.size = Pt(size)
            style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption"):
            styles[name].font.bold = True
        for name in ("Caption", "Heading 4", "Subtitle"):
            styles[name].font.italic = False
        styles["Heading 1"].paragraph_format.space_before = Pt(18)
        styles["Heading 2"].paragraph_format.space_before = Pt(12)
        styles["Heading 3"].paragraph_format.space_before = Pt(10)
        styles["Caption"].paragraph_format.space_before = Pt(6)
        styles["Caption"].paragraph_format.space_after = Pt(3)
        table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        assert table_text.style_id == TABLE_TEXT_ID
        table_text.base_style = normal
        table_text.font.size = Pt(TABLE_FONT_PT)
        table_text.paragraph_format.space_before = table_text.paragraph_format.space_after = Pt(1)
        table_text.paragraph_format.line_spacing = 1.0
        title = styles["Title"]
        title.paragraph_format.space_after = Pt(6)
        for border in title.element.xpath("./w:pPr/w:pBdr"):  # the template's rule under the title
            border.getparent().remove(border)
        self._page(self.word.sections[0], landscape=False)
        m = self.model
        props = self.word.core_properties
        props.title = _clean(m.title)
        props.subject = _clean(f"{m.title}, {m.subtitle}" if m.subtitle else m.title)
        props.author = props.last_modified_by = "Policing Scorecard"
        props.keywords = f"{m.collection}; Police and Crime Plan; scorecard"
        props.category = m.kind.replace("_", " ")
        props.content_status = _clean(m.status_text)
        props.comments = _clean(f"Policing Scorecard {m.software_version}; catalogue {m.catalogue_version}")
        props.revision = 1
        try:
            when = datetime.fromisoformat(m.generated_at)
        except ValueError:
            pass
        else:
            props.created = props.modified = when

    def _page(self, section: Any, *, landscape: bool) -> None:
        short, long = Cm(A4[0]), Cm(A4[1])
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        section.header_distance = section.footer_distance = Cm(1.0)
        self._header_and_footer(section)

    def _text_width(self) -> float:
        return (A4[1] if self.landscape else A4[0]) - 2 * MARGIN_CM

    def _header_and_footer(self, section: Any) -> None:
        """The draft marking (header, bold, and footer) and page numbers, written into every
        section rather than linked, so each section shows them whatever a reader's software does
        with linked headers."""
        m = self.model
        header, footer = section.header, section.footer
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        top = header.paragraphs[0]
        if not m.approved:
            run = top.add_run(_clean(m.status_text))
            run.bold = True
            run.font.color.rgb = DRAFT_COLOUR
        else:
            top.add_run(_clean(m.area_name))
        bottom = footer.paragraphs[0]
        bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not m.approved:
            run = bottom.add_run(_clean(m.status_text))
            run.bold = True
            run.font.color.rgb = DRAFT_COLOUR
            bottom = footer.add_paragraph(style="Footer")
            bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bottom.add_run(_clean(f"{m.title}, {m.subtitle} – page " if m.subtitle else f"{m.title} – page "))
        _field(bottom, "PAGE")
        bottom.add_run(" of ")
        _field(bottom, "NUMPAGES")

    def _orientation(self, landscape: bool) -> None:
        if landscape != self.landscape:
            section = self.word.add_section(WD_SECTION.NEW_PAGE)
            self.landscape = landscape
            self._page(section, landscape=landscape)

    # ----- small building blocks

    def paragraph(self, text: str = "", style: str | None = None, *, number: int | None = None) -> Any:
        para = self.word.add_paragraph(style=self.style(style))
        if number is not None:
            para.add_run(f"{number}. ")
        if text:
            para.add_run(_clean(text))
        return para

    def labelled(self, label: str, value: str) -> Any:
        para = self.word.add_paragraph()
        para.paragraph_format.space_after = Pt(2)
        para.add_run(_clean(f"{label}: ")).bold = True
        para.add_run(_clean(value))
        return para

    def small(self, text: str, *, bold: bool = False) -> Any:
        para = self.word.add_paragraph()
        para.paragraph_format.space_after = Pt(3)
        run = para.add_run(_clean(text))
        run.font.size = Pt(NOTE_PT)
        run.font.color.rgb = NOTE_COLOUR
        run.bold = bold
        return para

    def style(self, name: str | None) -> Any:
        """The style called ``name``, looked up once (python-docx searches every style by name)."""
        if name is None:
            return None
        if name not in self._styles:
            self._styles[name] = self.word.styles[name]
        return self._styles[name]

    def heading(self, text: str, level: int) -> Any:
        return self.paragraph(text, f"Heading {max(1, min(4, level))}")

    def _new_list(self, style: str, start: int = 1) -> str:
        """A new Word list on ``style``'s numbering, starting at ``start``: each ordered list
        counts from its own first number rather than running on from the last one."""
        numbering = self.word.part.numbering_part.element
        num_id = self.word.styles[style].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0]
        abstract = numbering.xpath(f"./w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val")[0]
        new_id = str(1 + max(int(n) for n in numbering.xpath("./w:num/@w:numId")))
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
                        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>')
        numbering.append(num)
        return new_id

    @staticmethod
    def _in_list(para: Any, num_id: str) -> None:
        num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = int(num_id)

    def picture(self, run: Any, data: bytes, width_cm: float, description: str, title: str, *,
                decorative: bool = False) -> Any:
        shape = run.add_picture(io.BytesIO(data), width=Cm(width_cm))
        _describe(shape, description, title, decorative=decorative)
        return shape

    def icon(self, run: Any, svg: str, width_cm: float, label: str) -> Any:
        """A decorative icon or key swatch ``width_cm`` wide, before its words.  The gap after
        it is blank picture (``GAP_CM``), not a typed space, so the words beside it read exactly
        as the model has them."""
        padded, scale = _with_gap(svg, GAP_CM / width_cm)
        return self.picture(run, _icon_png(padded, round(ICON_PX_PER_CM * width_cm * scale)), width_cm * scale, "",
                            label, decorative=True)

    # ----- the document

    def build(self) -> Any:
        self.front_matter()
        for section in self.model.sections:
            self.section(section)
        self.end_matter()
        return self.word

    def front_matter(self) -> None:
        m = self.model
        if m.kind == "board_paper":
            titled = False
            for label, value in m.front:
                key = label.strip().lower()
                if key == "agenda item":
                    self._agenda_item(label, value)
                elif key in _BOARD_LINES:
                    para = self.paragraph()
                    para.paragraph_format.space_after = Pt(2)
                    run = para.add_run(_clean(value))
                    run.bold = True
                    run.font.size = Pt(14)
                elif key == "title":
                    self.paragraph(value, "Title")
                    titled = True
                else:
                    self.labelled(label, value)
            if not titled:
                self.paragraph(m.title, "Title")
        else:
            self.paragraph(m.title, "Title")
            if m.subtitle:
                self.paragraph(m.subtitle, "Subtitle")
            for label, value in m.front:
                self.labelled(label, value)
        if m.flags:
            self.flags_box()

    def _agenda_item(self, label: str, value: str) -> None:
        para = self.paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.space_after = Pt(0)
        para.add_run(_clean(label.upper())).bold = True
        para = self.paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = para.add_run(_clean(value))
        run.bold = True
        run.font.size = Pt(20)

    def flags_box(self) -> None:
        """The numbers the check could not match, in a shaded box under the front matter."""
        box = self.word.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        cell = box.rows[0].cells[0]
        cell.width = Cm(self._text_width())
        _shade(cell, FLAG_FILL)
        head = cell.paragraphs[0]
        head.add_run(_clean(self.model.status_text)).bold = True
        for flag in self.model.flags:
            cell.add_paragraph(_clean(flag), style="List Bullet")
        self.paragraph()

    def section(self, s: Section) -> None:
        landscape = any(isinstance(b, Table) and b.kind == "scorecard" for b in s.blocks)
        was = self.landscape
        self._orientation(landscape)
        heading = self.heading(s.heading, s.level - 1)
        if s.appendix and not self.appendix_started and was == self.landscape:
            heading.paragraph_format.page_break_before = True  # appendices start on a new page
        self.appendix_started = self.appendix_started or s.appendix
        for block in s.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block.text, number=block.number)
            elif isinstance(block, BulletList):
                self.bullets(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)
            elif isinstance(block, Commentary):
                self.commentary(block, s.level)
            elif isinstance(block, Note):
                self.small(block.text, bold=block.kind == "flag")

    def bullets(self, block: BulletList) -> None:
        style = "List Number" if block.ordered else "List Bullet"
        num_id = self._new_list(style) if block.ordered else None
        for item in block.items:
            para = self.paragraph(item, style)
            para.paragraph_format.space_after = Pt(2)
            if num_id is not None:
                self._in_list(para, num_id)

    # ----- tables

    def table(self, t: Table) -> None:
        trend = _has_trend(t)
        widths = column_widths(t, self._text_width())
        columns: list[Column] = [*t.columns, *([Column(TREND_HEADING)] if trend else [])]
        caption = self.paragraph(t.caption, "Caption")
        caption.paragraph_format.keep_with_next = True
        grid = self.word.add_table(rows=1 + len(t.rows), cols=len(columns))
        grid.style = self.style("Table Grid")
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        grid.autofit = False
        self._table_properties(grid, t.caption, sum(widths))
        for i, width in enumerate(widths):
            grid.columns[i].width = Cm(width)
        head = grid.rows[0]
        _row_flag(head, "w:tblHeader")
        _row_flag(head, "w:cantSplit")
        for i, column in enumerate(columns):
            cell = head.cells[i]
            _shade(cell, HEADER_FILL)
            para = self._cell_paragraph(cell, column.numeric)
            para.paragraph_format.keep_with_next = True  # the header stays with the first row
            para.add_run(_clean(column.heading)).bold = True
        together = len(t.rows) <= KEEP_TOGETHER_ROWS
        for r, row in enumerate(t.rows):
            word_row = grid.rows[r + 1]
            _row_flag(word_row, "w:cantSplit")
            for i, cell in enumerate(row.cells):
                self._cell(word_row.cells[i], cell.text, t.columns[i].numeric, _icon_at(row, i),
                           bold=row.kind != "data")
            if trend:
                self._trend(word_row.cells[len(t.columns)], row, t, r)
            if together and r < len(t.rows) - 1:
                for cell in word_row.cells:
                    for para in cell.paragraphs:
                        para.paragraph_format.keep_with_next = True
        for row in grid.rows:
            for i, width in enumerate(widths):
                row.cells[i].width = Cm(width)
        for note in t.notes:
            self.small(note)
        spacer = self.paragraph()
        spacer.paragraph_format.space_after = Pt(0)

    def _table_properties(self, grid: Any, caption: str, width_cm: float) -> None:
        """Caption for screen readers, fixed layout at the computed width, cell padding."""
        tbl_pr = grid._tbl.tblPr
        width = tbl_pr.find(qn("w:tblW"))
        if width is None:
            width = OxmlElement("w:tblW")
            tbl_pr.append(width)
        width.set(qn("w:w"), str(round(width_cm / 2.54 * 1440)))
        width.set(qn("w:type"), "dxa")
        pad = str(round(CELL_MARGIN_CM / 2.54 * 1440))
        tbl_pr.append(parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{pad}" w:type="dxa"/>'
                                f'<w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'))
        for tag in ("w:tblCaption", "w:tblDescription"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), _clean(caption))
            tbl_pr.append(el)

    @staticmethod
    def _cell_paragraph(cell: Any, numeric: bool) -> Any:
        para = cell.paragraphs[0]
        para._p.get_or_add_pPr().style = TABLE_TEXT_ID
        if numeric:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return para

    def _cell(self, cell: Any, text: str, numeric: bool, icon: Icon | None, *, bold: bool = False) -> None:
        para = self._cell_paragraph(cell, numeric)
        if icon is not None:
            self.icon(para.add_run(), str(charts.icon_svg(icon)), ICON_CM, icon.label)
            if icon.label not in text:  # the icon's words are always shown
                para.add_run(_clean(f"{icon.label} "))
        para.add_run(_clean(text)).bold = bold or None

    def _trend(self, cell: Any, row: Row, t: Table, index: int) -> None:
        para = self._cell_paragraph(cell, False)
        if not row.trend:
            return
        title = row.cells[0].text if row.cells else t.caption
        svg = charts.sparkline_svg(row.trend, row.trend_text, title, f"spark-{index}")
        self.picture(para.add_run(), charts.png(str(svg), 448), SPARK_CM, row.trend_text or f"Trend for {title}",
                     f"Trend for {title}")

    # ----- charts

    def chart(self, chart: Chart) -> None:
        caption = self.paragraph(chart.title, "Caption")
        caption.paragraph_format.keep_with_next = True
        para = self.paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.space_after = Pt(2)
        data = charts.png(str(charts.chart_svg(chart)), CHART_PX)
        self.picture(para.add_run(), data, CHART_WIDTH_CM, chart.alt_text,
                     f"Statistical process control chart: {chart.title}")
        self.key(chart)

    def key(self, chart: Chart) -> None:
        """The chart's key as on the web page: a swatch for each kind of point it shows, the
        mean, the limits and any target; then its variation and assurance, icon beside words."""
        para = self.paragraph()
        para.paragraph_format.space_after = Pt(2)
        entries: list[tuple[str, str]] = []
        present = {p.point_type for p in chart.points if p.value.value is not None}
        for kind, label in _KEY_LABELS.items():
            if kind in present and all(label != seen for _, seen in entries):
                entries.append((kind, label))
        swatches = [(str(charts.point_legend_svg(kind)), label, 0.3) for kind, label in entries]
        swatches += [(str(charts.line_legend_svg("mean")), "Mean", 0.5),
                     (str(charts.line_legend_svg("limit")), "Process limits", 0.5)]
        if chart.target is not None:
            swatches.append((str(charts.line_legend_svg("target")), f"Target ({chart.target.text})", 0.5))
        for n, (svg, label, width) in enumerate(swatches):
            if n:
                para.add_run("   ")
            self.icon(para.add_run(), svg, width, label)
            para.add_run(_clean(label)).font.size = Pt(NOTE_PT)
        marks = [icon for icon in (chart.variation, chart.assurance) if icon is not None]
        if marks:
            para = self.paragraph()
            for n, icon in enumerate(marks):
                if n:
                    para.add_run("   ")
                self.icon(para.add_run(), str(charts.icon_svg(icon)), 0.4, icon.label)
                para.add_run(_clean(icon.label))

    # ----- commentary

    def commentary(self, c: Commentary, section_level: int) -> None:
        """People's Markdown, as text: see the module docstring for what is kept."""
        if c.heading.strip():
            self.heading(c.heading, section_level).paragraph_format.keep_with_next = True
        number = c.number_from
        lists: list[tuple[bool, str | None]] = []  # (ordered, Word list id) per open list
        fresh_item = False
        quote = 0
        pending: tuple[str, int | None] = ("Normal", None)
        for token in _markdown().parse(c.markdown):
            t = token.type
            if t in ("bullet_list_open", "ordered_list_open"):
                ordered = t == "ordered_list_open"
                depth = min(3, len(lists) + 1)
                style = _list_style(ordered, depth)
                start = int(token.attrGet("start") or 1) if ordered else 1
                lists.append((ordered, self._new_list(style, start) if ordered else None))
            elif t in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif t == "list_item_open":
                fresh_item = True
            elif t == "blockquote_open":
                quote += 1
            elif t == "blockquote_close":
                quote -= 1
            elif t == "heading_open":
                # under the commentary's own heading, or (an annual report's chapter, which has
                # none) one level below the section, as on the web page
                pending = ("Heading 4" if c.heading.strip() else f"Heading {max(1, min(4, section_level))}", None)
            elif t == "paragraph_open":
                if lists:
                    depth = min(3, len(lists))
                    pending = (_list_style(lists[-1][0], depth) if fresh_item else _continue_style(depth), None)
                elif quote:
                    pending = ("Quote", None)
                elif number is not None and token.level == 0:
                    pending = ("Normal", number)
                    number += 1
                else:
                    pending = ("Normal", None)
            elif t == "inline":
                self._markdown_paragraph(_inline(token), pending, lists, fresh_item)
                fresh_item = False
                pending = ("Normal", None)
            elif t in ("fence", "code_block"):
                para = self.paragraph()
                for n, line in enumerate(token.content.rstrip("\n").split("\n")):
                    if n:
                        para.add_run().add_break(WD_BREAK.LINE)
                    para.add_run(_clean(line)).font.name = "Courier New"

    def _markdown_paragraph(self, runs: _Runs, pending: tuple[str, int | None],
                            lists: list[tuple[bool, str | None]], fresh_item: bool) -> None:
        style, number = pending
        para = self.word.add_paragraph(style=self.style(style))
        if style.startswith("List"):
            para.paragraph_format.space_after = Pt(2)
        if fresh_item and lists and lists[-1][1] is not None:
            self._in_list(para, str(lists[-1][1]))
        if number is not None:
            para.add_run(f"{number}. ")
        for text, bold, italic, code in runs:
            if text == "\n":
                para.add_run().add_break(WD_BREAK.LINE)
                continue
            run = para.add_run(_clean(text))
            run.bold = bold or None
            run.italic = italic or None
            if code:
                run.font.name = "Courier New"

    # ----- the end

    def end_matter(self) -> None:
        m = self.model
        if not any(s.id == "sources" for s in m.sections) and m.sources:
            self._orientation(False)
            self.heading("Where the figures come from", 1)
            rows = tuple(Row(tuple(fmt.text(v) for v in (s.file, s.covers, s.loaded_at, s.sha256))) for s in m.sources)
            self.table(Table("Files the figures come from",
                             (Column("File"), Column("Covers"), Column("Loaded"), Column("SHA-256")), rows))
        para = self.paragraph(m.licence)
        para.paragraph_format.space_before = Pt(12)
        made = f"Produced {m.generated_at.replace('T', ' ')} by" if m.generated_at else "Produced by"
        self.small(f"{made} Policing Scorecard {m.software_version}, catalogue {m.catalogue_version}.")


_KEY_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high or low",
    "special_cause_neutral_low": "Special cause: unusually high or low",
}


def _list_style(ordered: bool, depth: int) -> str:
    base = "List Number" if ordered else "List Bullet"
    return base if depth == 1 else f"{base} {depth}"


def _continue_style(depth: int) -> str:
    return "List Continue" if depth == 1 else f"List Continue {depth}"


def _icon_at(row: Row, column: int) -> Icon | None:
    return next((icon for c, icon in row.icons if c == column), None)


