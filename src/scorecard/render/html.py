"""A document as one accessible HTML page in the GOV.UK Design System style.

``render_html(doc, out_dir)`` returns the page and copies what it links to into
``out_dir/assets/``, so the folder is self-contained: open the page from disk, publish the
folder as it is, or hand it to WeasyPrint (``base_url=out_dir``) for the PDF.

* Styles: GOV.UK Frontend's compiled stylesheet, from the npm package the project installs
  (``package.json``; ``npm ci`` in ``scripts/setup``), or from the folder named by
  ``SCORECARD_GOVUK_FRONTEND``.  The GDS Transport ``@font-face`` rules are removed when it is
  copied: that typeface is licensed only for services on GOV.UK, and a PCC's statement is not
  one, so the page uses the stylesheet's fallback (Arial); for the same reason there is no crown.
* No JavaScript: charts are SVG from :mod:`.charts`, the one chart implementation.
* On a phone (≤ 640 px) each table row becomes a card whose cells are labelled by their
  column, so no number is cut and the page never pans sideways; the scorecard, ten columns
  wide, is cards below the full page width (1020 px).  A row continuing the one above (its
  first cell empty) repeats that row's header for screen readers only.  Prose keeps to a
  readable line length; tables and charts use the page's width.
* Text from people — commentary, reasons — is escaped by Jinja's autoescape; commentary
  Markdown is rendered by markdown-it-py with raw HTML off, unsafe link schemes refused and
  images reduced to their alt text.
* Every figure is ``Cell.text`` from the model: nothing here formats a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from scorecard.documents.model import Chart, Commentary, Document, Icon, Row
from scorecard.render import charts
from scorecard.render.govuk_assets import GOVUK_FRONTEND_ENV, copy_assets, find_govuk_frontend

__all__ = ["GOVUK_FRONTEND_ENV", "commentary_html", "copy_assets", "find_govuk_frontend", "render_html",
           "render_index"]

# --------------------------------------------------------------------------- commentary


def _render_image_as_alt(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
    children = tokens[idx].children or []
    return escapeHtml(self.renderInlineAsText(children, options, env))


_MD_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "heading_open": "govuk-heading-s",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}


def _render_numbered_paragraph(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                               env: EnvType) -> str:
    opening = self.renderToken(tokens, idx, options, env)
    number = tokens[idx].meta.get("number")
    return opening if number is None else f'{opening}<span class="app-para-number">{int(number)}.</span> '


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.add_render_rule("image", _render_image_as_alt)
    md.add_render_rule("paragraph_open", _render_numbered_paragraph)
    return md


def _walk(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def commentary_html(commentary: Commentary, heading_offset: int = 3) -> Markup:
    """People's Markdown as safe HTML with GOV.UK classes.

    Raw HTML is shown as text, ``javascript:`` and other unsafe links stay plain text, images
    become their alt text (the page loads nothing from elsewhere), headings move down
    ``heading_offset`` levels, and in a numbered document each top-level paragraph carries
    its number (``Commentary.number_from``), as the board papers number them.
    """
    md = _markdown()
    tokens = md.parse(commentary.markdown)
    number = commentary.number_from
    for token in tokens:
        if number is not None and token.type == "paragraph_open" and token.level == 0:
            token.meta["number"] = number
            number += 1
    for token in _walk(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
        css = _MD_CLASSES.get(token.type)
        if css:
            token.attrSet("class", css)
    return Markup(md.renderer.render(tokens, md.options, {}))


# --------------------------------------------------------------------------- page


_LEGEND_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high or low",
    "special_cause_neutral_low": "Special cause: unusually high or low",
}


def _legend(chart: Chart) -> list[tuple[str, str]]:
    """(point type, label) for each kind of marker the chart shows; neutral high and low share
    one marker, so one legend entry."""
    present = {p.point_type for p in chart.points if p.value.value is not None}
    entries: dict[str, str] = {}
    for kind, label in _LEGEND_LABELS.items():
        if kind in present:
            entries.setdefault(label, kind)
    return [(kind, label) for label, kind in entries.items()]


def _icon_at(row: Row, column: int) -> Icon | None:
    return next((icon for c, icon in row.icons if c == column), None)


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("scorecard.render", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(kind=lambda block: type(block).__name__, icon_at=_icon_at, icon_svg=charts.icon_svg,
                       legend=_legend, commentary_html=commentary_html)
    env.globals.update(chart_svg=charts.chart_svg, sparkline=charts.sparkline_svg,
                       point_legend_svg=charts.point_legend_svg, line_legend_svg=charts.line_legend_svg)
    return env


def render_index(title: str, intro: str, entries: Sequence[tuple[str, Sequence[tuple[str, str]], str]],
                 stylesheet: str | None) -> str:
    """The page linking many documents: (area, [(format, link)], status when not approved)."""
    return _environment().get_template("index.html.j2").render(title=title, intro=intro, entries=entries,
                                                                stylesheet=stylesheet)


def render_html(doc: Document, out_dir: Path) -> str:
    """The document as an HTML page; its stylesheet is copied into ``out_dir/assets``."""
    stylesheet = copy_assets(out_dir)
    return _environment().get_template("document.html.j2").render(doc=doc, stylesheet=stylesheet)
