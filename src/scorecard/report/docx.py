"""The statement as a Word board paper, laid out like the PCC papers it replaces.

An agenda-style title block, "Purpose of paper", one ``Heading 1`` per national priority
with its national metric(s), applicability, generated sentences, a table of figures, SPC
charts, caveats and commentary, a recommendation, then "Appendix A – Police and Crime
Plan KPI Scorecard" and the sources, provenance and licence.  Body paragraphs use Word's
own "List Number" style, so the paragraph numbers are real Word numbering that runs on
through the document as in the boards' papers; headings are "Heading 1/2" (Word's
navigation pane and table of contents work); tables are "Table Grid" with a repeating
header row and a caption for screen readers; charts are PNGs with alt text.

The renderer draws the model and computes nothing: every figure goes through
``scorecard.numbers``.  Commentary and applicability reasons come from people and are
untrusted: they are only ever inserted as text (Markdown is read for paragraphs, lists and
emphasis; raw HTML and anything else shows as the literal characters).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from scorecard.numbers import format_number, format_percent, format_signed_percent
from scorecard.report.chart_png import render_png
from scorecard.report.model import Chart, Figure, PrioritySection, Report, ScorecardRow

NUMBERED = "List Number"
BULLET = "List Bullet"
FONT = "Arial"
TABLE_FONT_SIZE = Pt(8.5)
SMALL = Pt(9)
CHART_WIDTH = Cm(16)

VARIATION_WORDS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: high (neither better nor worse)",
    "special_cause_neutral_low": "Special cause: low (neither better nor worse)",
}
ASSURANCE_WORDS = {
    "consistent_pass": "Consistently meets the target",
    "consistent_fail": "Consistently misses the target",
    "inconsistent": "Hit and miss: may or may not meet the target",
}
STATUS_SHADING = {
    "target_met": "DFF0D8",
    "better_than_baseline": "DFF0D8",
    "target_missed": "F8D7DA",
    "worse_than_baseline": "F8D7DA",
    "similar_to_baseline": "FFF3CD",
}

# Characters XML 1.0 cannot hold (python-docx refuses them): dropped from untrusted text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


# --------------------------------------------------------------------------- formatting


def format_value(value: float | None, unit: str) -> str:
    """A figure as shown in the paper, by its unit."""
    if unit == "percentage":
        return format_percent(value, 1)
    if value is None:
        return "–"
    text = format_number(value, 1 if unit in ("rate", "score", "minutes") else 0)
    return {"seconds": f"{text} seconds", "minutes": f"{text} minutes"}.get(unit, text)


def format_change(value: float | None, unit: str) -> str:
    """A signed change: "-8,660", "+1.9 points" (percentages change by points)."""
    if value is None:
        return "–"
    places = 1 if unit in ("percentage", "rate", "score", "minutes") else 0
    text = format_signed_percent(value, places).removesuffix("%")
    return f"{text} points" if unit == "percentage" else text


def _date(iso: str) -> str:
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{when.day} {when:%B %Y}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


# --------------------------------------------------------------------------- low-level helpers


def _set_cell_shading(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _write_cell(cell: _Cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(clean(text))
    run.bold = bold
    run.font.size = TABLE_FONT_SIZE
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc: Document, caption: str, header: Sequence[str], rows: Sequence[Sequence[str]],
           *, numeric: Iterable[int] = (), widths: Sequence[float] | None = None,
           shading: Sequence[dict[int, str]] | None = None) -> Table:
    """A "Table Grid" table with a repeating, bold header row and a caption (tblCaption)."""
    numeric_cols = set(numeric)
    cap = doc.add_paragraph(clean(caption), style="Caption")
    cap.paragraph_format.keep_with_next = True
    table: Table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, text in enumerate(header):
        _write_cell(head.cells[i], text, bold=True, right=i in numeric_cols)
        _set_cell_shading(head.cells[i], "E7E7E7")
    for r, values in enumerate(rows):
        row = table.rows[r + 1]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cells = row.cells
        for i, text in enumerate(values):
            _write_cell(cells[i], text, right=i in numeric_cols)
            fill = shading[r].get(i) if shading else None
            if fill:
                _set_cell_shading(cells[i], fill)
    if widths:
        table.autofit = False
        for i, w in enumerate(widths):
            table.columns[i].width = Cm(w)
        for row in table.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Cm(w)
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), clean(value))
        tbl_pr.append(el)
    return table


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when the document is shown."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


# --------------------------------------------------------------------------- Markdown (commentary)


@dataclass(frozen=True)
class _Span:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class _Block:
    kind: str  # "para", "bullet", "ordered", "heading", "quote", "code"
    spans: tuple[_Span, ...]
    number: str = ""


def _inline_spans(token: Token) -> tuple[_Span, ...]:
    spans: list[_Span] = []
    bold = italic = 0
    href: list[str] = []
    for child in token.children or []:
        t = child.type
        if t in ("text", "code_inline", "html_inline"):
            spans.append(_Span(child.content, bool(bold), bool(italic)))
        elif t in ("softbreak", "hardbreak"):
            spans.append(_Span(" "))
        elif t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            href.append(str(child.attrs.get("href", "")))
        elif t == "link_close":
            url = href.pop() if href else ""
            if url and not url.startswith("#"):
                spans.append(_Span(f" ({url})"))
        elif t == "image":
            spans.append(_Span(child.content))
    return tuple(spans)


def markdown_blocks(text: str) -> list[_Block]:
    """Commentary Markdown as plain blocks of text.  Raw HTML is not interpreted: it stays
    as the characters typed."""
    md = MarkdownIt("commonmark", {"html": False})
    blocks: list[_Block] = []
    lists: list[str] = []
    kind_now = "para"
    quote = 0
    number = ""
    for tok in md.parse(text):
        t = tok.type
        if t == "bullet_list_open":
            lists.append("bullet")
        elif t == "ordered_list_open":
            lists.append("ordered")
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            number = f"{tok.info}." if tok.info else ""
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "heading_open":
            kind_now = "heading"
        elif t == "heading_close":
            kind_now = "para"
        elif t == "inline":
            kind = kind_now if kind_now == "heading" else (lists[-1] if lists else ("quote" if quote else "para"))
            blocks.append(_Block(kind, _inline_spans(tok), number if kind == "ordered" else ""))
        elif t in ("fence", "code_block", "html_block"):
            blocks.append(_Block("code", (_Span(tok.content.rstrip("\n")),)))
    return blocks


def _add_spans(paragraph: Paragraph, spans: Iterable[_Span], prefix: str = "") -> None:
    if prefix:
        paragraph.add_run(prefix + " ")
    for span in spans:
        run = paragraph.add_run(clean(span.text))
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True


# --------------------------------------------------------------------------- the paper


class _Paper:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.doc = new_document()
        self.tables = 0
        self.figures = 0
        self._set_up()

    # ----- document set-up

    def _set_up(self) -> None:
        r = self.report
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        r_pr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-GB")
        r_pr.append(lang)
        for name in ("Title", "Heading 1", "Heading 2", "Caption"):
            self.doc.styles[name].font.name = FONT
        self.doc.styles["Caption"].font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        self.doc.styles["Title"].font.size = Pt(22)
        self.doc.styles["Footer"].font.size = Pt(8)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.2))
        section.top_margin = section.bottom_margin = Cm(2.0)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(clean(f"{r.title} – page "))
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        props = self.doc.core_properties
        props.title = clean(r.title)
        props.subject = clean(f"National Policing Priorities statement and Police and Crime Plan scorecard, "
                              f"{r.area_name}, {r.period_label}")
        props.author = props.last_modified_by = "Policing Scorecard"
        props.keywords = "national policing priorities; police and crime plan; scorecard"
        props.comments = f"Policing Scorecard {r.software_version}; catalogue {r.catalogue_version}"
        props.revision = 1
        try:
            when = datetime.fromisoformat(r.generated_at)
        except ValueError:
            pass
        else:
            props.created = props.modified = when

    # ----- building blocks

    def heading(self, text: str, level: int) -> Paragraph:
        para: Paragraph = self.doc.add_heading(clean(text), level=level)
        return para

    def numbered(self, text: str = "", *, label: str = "") -> Paragraph:
        para = self.doc.add_paragraph(style=NUMBERED)
        if label:
            para.add_run(clean(label)).bold = True
        if text:
            para.add_run(clean(text))
        return para

    def plain(self, text: str, *, label: str = "", style: str | None = None) -> Paragraph:
        para = self.doc.add_paragraph(style=style)
        if label:
            para.add_run(clean(label)).bold = True
        para.add_run(clean(text))
        return para

    def small(self, text: str, *, label: str = "") -> Paragraph:
        """A note under a table: 9 point, like a table's source line in a printed paper."""
        para = self.plain(text, label=label)
        para.paragraph_format.space_before = Pt(4)
        for run in para.runs:
            run.font.size = SMALL
        return para

    # ----- the document

    def build(self) -> Document:
        r = self.report
        self.title_block()
        self.heading("Purpose of paper", 1)
        for text in r.introduction:
            self.numbered(text)
        self.numbered(f"For each national policing priority this paper gives the national metric(s) and their "
                      f"sources, whether the priority is assessed as applicable in {r.area_name} and why, the "
                      "figures with statistical process control charts, and caveats. The Police and Crime Plan "
                      "KPI scorecard is at Appendix A; sources and provenance are at Appendix B.")
        for section in r.sections:
            self.priority(section)
        self.heading("Recommendation", 1)
        self.numbered("The board is asked to note the contents of this report.")
        self.appendix_scorecard()
        self.appendix_provenance()
        return self.doc

    def title_block(self) -> None:
        r = self.report
        self.doc.add_paragraph(style="Title").add_run(clean(r.title))
        self.plain(r.area_name, label="Area: ")
        self.plain(f"{r.period_label} ({r.period_long_label})", label="Period: ")
        self.plain(f"{r.baseline_label} ({r.baseline_long_label}, the national baseline)", label="Baseline: ")
        self.plain("National Policing Priorities and Police and Crime Plan Scorecard", label="Item: ")
        self.plain(_date(r.generated_at), label="Prepared: ")

    def priority(self, s: PrioritySection) -> None:
        r = self.report
        self.heading(f"Priority {s.number}: {s.title}", 1)
        if s.summary:
            self.numbered(s.summary)
        for m in s.national_metrics:
            level = ("published for each police force area" if m.force_level
                     else "not published for each police force area")
            note = f" {m.note}" if m.note else ""
            self.numbered(f"{m.name}. Source: {m.source} ({level}).{note}", label="National metric: ")
        verdict = "Applicable" if s.applicability.applicable else f"Not applicable in {r.area_name}"
        self.numbered(f"{verdict}. {s.applicability.reason}".rstrip(), label="Applicability: ")
        for sentence in s.sentences:
            self.numbered(sentence)
        if s.figures:
            self.heading("Figures", 2)
            self.figures_table(s)
        if s.charts:
            self.heading("Charts", 2)
            for chart in s.charts:
                self.chart(chart)
        caveats = _unique(c.text for c in s.caveats)
        if caveats:
            self.heading("Caveats", 2)
            for text in caveats:
                self.numbered(text)
        if s.commentary and s.commentary.markdown.strip():
            self.heading("Commentary", 2)
            self.commentary(s.commentary.markdown)

    def figures_table(self, s: PrioritySection) -> None:
        figs = s.figures
        first = figs[0]
        show_last_year = any(f.last_year_label != f.previous_label for f in figs)

        def labelled(text: str, own: str, common: str) -> str:
            return text if own == common else f"{text} ({own})"

        header = ["Measure", first.period_label, f"Baseline {first.baseline_label}", "Change on baseline",
                  "Change on baseline (%)", first.previous_label, f"Change on {first.previous_label} (%)"]
        if show_last_year:
            header += [first.last_year_label, f"Change on {first.last_year_label} (%)"]
        header.append("Rate per 1,000 people")
        rows: list[list[str]] = []
        for f in figs:
            row = [f.title,
                   labelled(format_value(f.value, f.unit), f.period_label, first.period_label),
                   labelled(format_value(f.baseline_value, f.unit), f.baseline_label, first.baseline_label),
                   format_change(f.change, f.unit),
                   format_signed_percent(f.change_pct),
                   labelled(format_value(f.previous_value, f.unit), f.previous_label, first.previous_label),
                   format_signed_percent(f.change_pct_vs_previous)]
            if show_last_year:
                row += [labelled(format_value(f.last_year_value, f.unit), f.last_year_label, first.last_year_label),
                        format_signed_percent(f.change_pct_vs_last_year)]
            row.append(format_number(f.rate_per_1000, 2) if f.rate_per_1000 is not None else "–")
            rows.append(row)
        self.tables += 1
        measure_width = 4.2 if not show_last_year else 3.4
        rest = (16.6 - measure_width) / (len(header) - 1)
        _table(self.doc, f"Table {self.tables}: {s.title} – {self.report.area_name}, {first.period_label}",
               header, rows, numeric=range(1, len(header)), widths=[measure_width] + [rest] * (len(header) - 1))
        by_source: dict[str, list[str]] = {}
        for f in figs:
            by_source.setdefault(f.source_text, []).append(f.title)
        self.small("; ".join(f"{', '.join(titles)}: {src}" for src, titles in by_source.items()) + ".",
                   label="Sources: ")
        notes = _notes(figs)
        if notes:
            self.small("; ".join(notes) + ".", label="Notes: ")

    def chart(self, chart: Chart) -> None:
        if not chart.points:
            return
        self.figures += 1
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.keep_with_next = True
        shape = para.add_run().add_picture(io.BytesIO(render_png(chart)), width=CHART_WIDTH)
        first, last = chart.points[0].label, chart.points[-1].label
        title = clean(f"{chart.title}: statistical process control chart, {first} to {last}")
        alt = clean(chart.summary)
        inline = shape._inline
        inline.docPr.set("descr", alt)
        inline.docPr.set("title", title)
        for c_nv_pr in inline.xpath(".//pic:cNvPr"):
            c_nv_pr.set("descr", alt)
        self.plain(f"Figure {self.figures}: {title}", style="Caption")
        self.plain(chart.summary)

    def commentary(self, markdown: str) -> None:
        styles = {"para": NUMBERED, "bullet": BULLET, "ordered": "List Continue", "quote": "Quote",
                  "code": None, "heading": None}
        for block in markdown_blocks(markdown):
            para = self.doc.add_paragraph(style=styles[block.kind])
            if block.kind == "heading":
                _add_spans(para, (_Span(sp.text, True, sp.italic) for sp in block.spans))
                para.paragraph_format.keep_with_next = True
            else:
                _add_spans(para, block.spans, block.number)

    def _landscape(self) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)

    def appendix_scorecard(self) -> None:
        r = self.report
        self._landscape()
        self.heading("Appendix A – Police and Crime Plan KPI Scorecard", 1)
        self.plain(f"{r.area_name}, {r.period_label}, compared with the {r.baseline_label} baseline. "
                   "Status is judged by the documented rules below; variation and assurance are read from the "
                   "statistical process control chart of each measure.")
        priorities = {s.priority_id: s.title for s in r.sections}
        header = ["Priority", "Measure", "Period", "Value", f"Baseline {r.baseline_label}", "Change on baseline",
                  "Change on baseline (%)", "Target", "Status", "Variation", "Assurance"]
        rows = [_scorecard_cells(row, priorities) for row in r.scorecard]
        shading = [{8: STATUS_SHADING[row.status]} if row.status in STATUS_SHADING else {} for row in r.scorecard]
        self.tables += 1
        _table(self.doc, f"Table {self.tables}: Police and Crime Plan KPI scorecard – {r.area_name}, "
                         f"{r.period_label}",
               header, rows, numeric=(3, 4, 5, 6), shading=shading,
               widths=(2.8, 4.4, 1.7, 1.8, 1.9, 1.9, 1.9, 1.9, 2.2, 2.5, 2.3))
        for text in r.rules.values():
            self.small(text)

    def appendix_provenance(self) -> None:
        r = self.report
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.heading("Appendix B – Sources, provenance and licence", 1)
        self.plain("Every figure in this paper comes from the files below, loaded into the scorecard's store; the "
                   "SHA-256 checksum identifies the exact file.")
        rows = [[str(p.load_id), p.file, p.kind, p.covers, p.loaded_at.replace("T", " "), p.sha256]
                for p in r.provenance]
        self.tables += 1
        _table(self.doc, f"Table {self.tables}: Data sources", ["Load", "File", "Kind", "Covers", "Loaded", "SHA-256"],
               rows, numeric=(0,), widths=(1.2, 5.0, 3.8, 5.4, 3.2, 6.7))
        self.plain(f"Prepared with Policing Scorecard {r.software_version} (measure catalogue {r.catalogue_version}) "
                   f"on {_date(r.generated_at)}.").paragraph_format.space_before = Pt(8)
        self.plain(r.licence)


def _notes(figs: Sequence[Figure]) -> list[str]:
    return _unique(f"{f.title}: {part}" for f in figs for part in _unique(f.note.split("; ")) if f.note)


def _scorecard_cells(row: ScorecardRow, priorities: dict[str, str]) -> list[str]:
    target = format_value(row.target, row.unit) if row.target is not None else "–"
    if row.target_description:
        target = f"{target} ({row.target_description})" if row.target is not None else row.target_description
    if row.assurance_type:
        assurance = ASSURANCE_WORDS.get(row.assurance_type, row.assurance_type)
    else:
        assurance = "No target" if row.target is None else "–"
    variation = VARIATION_WORDS.get(row.variation_type, row.variation_type) if row.variation_type else "–"
    return [priorities.get(row.priority_id, row.priority_id), row.title, row.period_label,
            format_value(row.value, row.unit), format_value(row.baseline_value, row.unit),
            format_change(row.change, row.unit), format_signed_percent(row.change_pct), target, row.status_text,
            variation, assurance]


def build(report: Report) -> Document:
    """The board paper as a python-docx ``Document`` (not yet saved)."""
    return _Paper(report).build()


def render(report: Report, path: Path) -> None:
    """Write the board paper to ``path`` (.docx)."""
    build(report).save(str(path))
