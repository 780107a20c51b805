"""A document as a PDF: the HTML page, printed by WeasyPrint.

The PDF is the web page on paper, so the two cannot disagree: ``html.render_html`` draws the
model once and WeasyPrint lays it out with a print stylesheet of our own: A4, a running title
and "Page n of N" at the foot of every page, a draft marking at the top of every page while it is not
approved, the scorecard appendix on landscape pages and everything else on portrait ones,
tables that repeat their header and do not split a row (nor a measure's rows, in
``app.css``), headings kept with what follows, screen-only parts hidden.  tests/render/test_pdf.py
reads the printed pages back: page count, the marking on every page, every word inside the
margins, every figure in the text.

WeasyPrint fetches only local files under the output folder (where ``html.render_html`` copies
the assets) or the package, and ``data:`` URLs: nothing from the network.  The GOV.UK
stylesheet is handed over holding only the rules that can match the page
(``render.used_css``): the printed page is the same, a quarter of a second sooner.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scorecard.render.govuk_assets import STYLESHEET, govuk_stylesheet
from scorecard.render.used_css import UsedRules

_FONT = 'Arial, "Liberation Sans", Helvetica, sans-serif'

PRINT_CSS = f"""
@page {{
  size: A4;
  margin: 20mm 14mm 18mm 14mm;
  @top-center {{ content: string(draft); font-family: {_FONT}; font-size: 9pt; font-weight: bold; color: #d4351c; }}
  @bottom-left {{ content: string(doc-title); font-family: {_FONT}; font-size: 7.5pt; color: #505a5f; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-family: {_FONT}; font-size: 7.5pt;
                   color: #505a5f; }}
}}
@page portrait {{ size: A4; }}
@page landscape {{ size: A4 landscape; }}
/* WeasyPrint keeps using a named page after the element that asked for it ends, so everything
   but the scorecard appendix asks for a portrait page: what follows the appendix is portrait again. */
main > *, .govuk-main-wrapper > * {{ page: portrait; }}
main > .app-appendix--landscape {{ page: landscape; }}
h1 {{ string-set: doc-title content(text); }}
.app-draft-string {{ string-set: draft content(text); }}
html, body {{ background: #fff !important; }}
/* GOV.UK Frontend asks for "sans-serif" in places, which is DejaVu Sans on a Linux server: print
   everything in Arial (Liberation Sans where Arial is not installed); checksums stay monospace. */
body, body *:not(code):not(pre):not(kbd):not(samp):not(.app-hash) {{ font-family: {_FONT} !important; }}
body {{ print-color-adjust: exact; -webkit-print-color-adjust: exact; }}
.govuk-width-container, .govuk-main-wrapper, main {{
  max-width: none !important; margin-left: 0 !important; margin-right: 0 !important;
  padding-left: 0 !important; padding-right: 0 !important;
}}
.govuk-template__header, .govuk-skip-link, .govuk-service-navigation, nav, script, noscript, button {{
  display: none !important;
}}
h1, h2, h3, h4, caption, .govuk-table__caption {{ break-after: avoid; page-break-after: avoid; }}
h2, h3 {{ break-inside: avoid; }}
p, li {{ orphans: 3; widows: 3; }}
thead {{ display: table-header-group; }}
tr, figure, img, svg, .app-chart, .govuk-summary-list__row {{ break-inside: avoid; page-break-inside: avoid; }}
img, svg {{ max-width: 100%; height: auto; }}
a, a:visited {{ color: inherit; text-decoration: none; }}
"""


@functools.lru_cache(maxsize=2)
def _used_rules(css: str) -> UsedRules:
    return UsedRules(css)


def prepare() -> None:
    """Load WeasyPrint and read the GOV.UK stylesheet now, before a page is ready to print."""
    import weasyprint  # noqa: F401

    css = govuk_stylesheet()
    if css is not None:
        _used_rules(css)


def _url_fetcher(roots: tuple[Path, ...], html_text: str = "", stylesheet: Path | None = None) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        """Only ``data:`` URLs and files under ``roots``; ``stylesheet`` with only the rules
        that can match ``html_text``."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                target = Path(unquote(parts.path)).resolve()
                if not any(target.is_relative_to(root) for root in roots):
                    raise ValueError(f"not fetched (outside the document's folder): {url}")
                if stylesheet is not None and target == stylesheet and target.is_file():
                    used = _used_rules(target.read_text("utf-8")).for_page(html_text)
                    return URLFetcherResponse(url, used, {"Content-Type": "text/css; charset=utf-8"})
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), timeout=5)


def write_pdf(html_text: str, path: Path, base_dir: Path) -> None:
    """Lay out ``html_text`` (whose relative URLs are under ``base_dir``) as an A4 PDF."""
    from weasyprint import CSS, HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    base = base_dir.resolve()
    package = Path(__file__).resolve().parents[1]
    fetcher = _url_fetcher((base, package), html_text, (base / STYLESHEET).resolve())
    document = HTML(string=html_text, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(str(path), stylesheets=[CSS(string=PRINT_CSS)], pdf_tags=True)
