"""The statement and scorecard as one accessible HTML page in the GOV.UK Design System style.

``render(report, out_dir)`` returns the page and copies what it links to into
``out_dir/assets/``, so the folder is self-contained: open ``statement.html`` from disk,
publish the folder as it is, or hand it to WeasyPrint (``base_url=out_dir``) for the PDF.

* Styles: GOV.UK Frontend's compiled stylesheet, from the npm package the project
  installs (``package.json``; ``npm ci`` in ``scripts/setup``), or from the folder named
  by ``SCORECARD_GOVUK_FRONTEND``.  The GDS Transport ``@font-face`` rules are removed
  when it is copied: that typeface is licensed only for services on GOV.UK, and a PCC's
  statement is not one, so the page uses the stylesheet's own fallback (Arial).  For the
  same reason the header has no crown.  Without the package the page still renders, with
  minimal inline styles, and a warning says so.
* No JavaScript: details open natively, charts are SVG drawn in :mod:`.charts`.
* Untrusted text — commentary and applicability reasons — is escaped by Jinja's
  autoescape; commentary Markdown is rendered by markdown-it-py with raw HTML off,
  unsafe link schemes refused and images reduced to their alt text.
* Figures are formatted by :mod:`scorecard.numbers` (through :func:`.charts.format_value`);
  nothing here computes a figure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from scorecard.numbers import format_signed_percent, round_half_away
from scorecard.report import charts
from scorecard.report.model import Caveat, Chart, Figure, PrioritySection, Report

__all__ = ["GOVUK_FRONTEND_ENV", "commentary_html", "copy_assets", "find_govuk_frontend", "render"]

GOVUK_FRONTEND_ENV = "SCORECARD_GOVUK_FRONTEND"
STYLESHEET = "assets/govuk-frontend.min.css"
_CSS_IN_PACKAGE = Path("dist") / "govuk" / "govuk-frontend.min.css"


# --------------------------------------------------------------------------- assets


def find_govuk_frontend() -> Path | None:
    """The installed ``govuk-frontend`` npm package: ``$SCORECARD_GOVUK_FRONTEND``, else the
    project's ``node_modules``, else ``./node_modules``."""
    candidates: list[Path] = []
    if os.environ.get(GOVUK_FRONTEND_ENV):
        candidates.append(Path(os.environ[GOVUK_FRONTEND_ENV]))
    candidates.append(Path(__file__).resolve().parents[3] / "node_modules" / "govuk-frontend")
    candidates.append(Path.cwd() / "node_modules" / "govuk-frontend")
    for candidate in candidates:
        if (candidate / _CSS_IN_PACKAGE).is_file():
            return candidate
    return None


# Crown and typeface licensed for GOV.UK only; the page uses neither (no copyright crest in the footer).
_GOVUK_ONLY = frozenset({"images/govuk-crest.svg"})
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_ASSET_URL = re.compile(r"url\((['\"]?)/assets/([^)'\"]+)\1\)")


def copy_assets(out_dir: Path) -> str | None:
    """Copy GOV.UK Frontend's stylesheet (and any image it refers to) into ``out_dir/assets``.

    Returns the stylesheet's path relative to ``out_dir``, or ``None`` (with a warning)
    when the package is not installed.
    """
    package = find_govuk_frontend()
    if package is None:
        warnings.warn("GOV.UK Frontend is not installed (run `npm ci` or scripts/setup); the HTML statement "
                      "falls back to minimal inline styles", stacklevel=3)
        return None
    dist = package / "dist" / "govuk"
    try:
        version = str(json.loads((package / "package.json").read_text("utf-8")).get("version", "?"))
    except (OSError, ValueError):
        version = "?"
    css = (package / _CSS_IN_PACKAGE).read_text("utf-8")
    css = _FONT_FACE.sub("", css).replace("GDS Transport,", "")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for match in sorted(set(_ASSET_URL.findall(css))):
        source = dist / "assets" / match[1]
        if match[1] not in _GOVUK_ONLY and source.is_file():
            target = assets / match[1]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    css = _ASSET_URL.sub(r"url(\1\2\1)", css)
    header = (f"/* GOV.UK Frontend {version} (https://github.com/alphagov/govuk-frontend), MIT licence, "
              "(c) Crown copyright. Copied by Policing Scorecard with the GDS Transport font-face rules "
              "removed: that typeface is for services on GOV.UK only. */\n")
    css = css.lstrip("\ufeff")
    charset = '@charset "UTF-8";'
    text = charset + "\n" + header + css.removeprefix(charset)
    target = out_dir / STYLESHEET
    if not target.is_file() or target.read_text("utf-8") != text:
        target.write_text(text, "utf-8")
    return STYLESHEET


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


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.add_render_rule("image", _render_image_as_alt)
    return md


def _walk(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def commentary_html(text: str, heading_offset: int = 3) -> Markup:
    """An analyst's Markdown as safe HTML with GOV.UK classes.

    Raw HTML is shown as text, ``javascript:`` and other unsafe links stay plain text,
    images become their alt text (the page loads nothing from elsewhere), and headings
    are moved down ``heading_offset`` levels so ``# Heading`` sits under the page's h3.
    """
    md = _markdown()
    tokens = md.parse(text)
    for token in _walk(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
        css = _MD_CLASSES.get(token.type)
        if css:
            token.attrSet("class", css)
    return Markup(md.renderer.render(tokens, md.options, {}))


# --------------------------------------------------------------------------- formatting filters

_MISSING = Markup('<span aria-hidden="true">–</span><span class="govuk-visually-hidden">no figure</span>')


def _value_cell(value: float | None, unit: str) -> Markup:
    return _MISSING if value is None else escape(charts.format_value(value, unit))


def _signed_pct_cell(value: float | None) -> Markup:
    return _MISSING if value is None else escape(format_signed_percent(value, 1))


def _rate_cell(value: float | None) -> Markup:
    if value is None:
        return _MISSING
    return escape(charts.format_value(0.0 if round_half_away(value, 2) == 0 else value, "rate", 2))


def _notes(figure: Figure) -> list[str]:
    """A figure's notes, each once (a note can be attached to more than one comparison)."""
    return list(dict.fromkeys(n.strip() for n in figure.note.split(";") if n.strip()))


def _unique_caveats(section: PrioritySection) -> list[Caveat]:
    """A section's caveats, each text once (several comparisons can raise the same one)."""
    seen: dict[str, Caveat] = {}
    for caveat in section.caveats:
        seen.setdefault(caveat.text, caveat)
    return list(seen.values())


_LEGEND_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high or low",
    "special_cause_neutral_low": "Special cause: unusually high or low",
}


def _legend(chart: Chart) -> list[tuple[str, str]]:
    """(point type, label) for each kind of marker the chart shows; neutral high and low
    share one marker, so one legend entry."""
    present = {p.point_type for p in chart.points if p.value is not None}
    entries: dict[str, str] = {}
    for kind, label in _LEGEND_LABELS.items():
        if kind in present:
            entries.setdefault(label, kind)
    return [(kind, label) for label, kind in entries.items()]


_ROLE_LABELS = {
    "national": "National metric",
    "proxy": "Force-level proxy",
    "context": "Context",
    "local": "Local measure",
}

_RULE_NAMES = {"spc": "Statistical process control", "target": "Targets", "baseline": "Baseline comparison",
               "rounding": "Rounding"}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("scorecard.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        value=_value_cell,
        signed_pct=_signed_pct_cell,
        rate=_rate_cell,
        markdown=commentary_html,
        plain_value=charts.format_value,
    )
    env.globals.update(
        spc_chart_svg=charts.spc_chart_svg,
        sparkline_svg=charts.sparkline_svg,
        status_icon_svg=charts.status_icon_svg,
        variation_icon_svg=charts.variation_icon_svg,
        assurance_icon_svg=charts.assurance_icon_svg,
        point_legend_svg=charts.point_legend_svg,
        line_legend_svg=charts.line_legend_svg,
        point_type_labels=charts.POINT_TYPE_LABELS,
        variation_labels=charts.VARIATION_LABELS,
        variation_short_labels=charts.VARIATION_SHORT_LABELS,
        assurance_labels=charts.ASSURANCE_LABELS,
        role_labels=_ROLE_LABELS,
        rule_names=_RULE_NAMES,
        notes=_notes,
        unique_caveats=_unique_caveats,
        legend=_legend,
    )
    return env


def render(report: Report, out_dir: Path) -> str:
    """The statement as an HTML page; its stylesheet is copied into ``out_dir/assets``."""
    stylesheet = copy_assets(out_dir)
    template = _environment().get_template("statement.html.j2")
    return template.render(
        report=report,
        stylesheet=stylesheet,
        priorities={s.priority_id: s for s in report.sections},
    )
