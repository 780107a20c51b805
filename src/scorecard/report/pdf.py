"""The statement as a PDF: the HTML page, printed by WeasyPrint.

The PDF is the web page on paper, so the two cannot disagree: ``html.render`` draws the
model once and WeasyPrint lays it out with a print stylesheet of our own (A4, margins,
running title and "Page n of N", tables that repeat their header and do not split a row,
headings kept with what follows, screen-only parts hidden).  The stylesheet is passed to
WeasyPrint beside the page; the HTML is not changed.

WeasyPrint fetches only local files under the output folder (where ``html.render`` copies
the assets) or the package, and ``data:`` URLs: nothing from the network, whatever the
page links to.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scorecard.report.model import Report

PRINT_CSS = """
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-left {
    content: string(doc-title);
    font-family: Arial, "Liberation Sans", Helvetica, sans-serif;
    font-size: 8pt;
    color: #505a5f;
  }
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages);
    font-family: Arial, "Liberation Sans", Helvetica, sans-serif;
    font-size: 8pt;
    color: #505a5f;
  }
}
@page :first {
  @bottom-left { content: none; }
}
h1 { string-set: doc-title content(text); }
html, body { background: #fff !important; }
/* GOV.UK Frontend asks for "sans-serif" in places, which is DejaVu Sans on a Linux server: print
   everything in Arial (Liberation Sans where Arial is not installed), as the web page shows on most
   readers' machines; code and checksums stay monospace. */
body, body *:not(code):not(pre):not(kbd):not(samp):not(.app-hash) {
  font-family: Arial, "Liberation Sans", Helvetica, sans-serif !important;
}
body { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.govuk-width-container, .govuk-main-wrapper, main {
  max-width: none !important; margin-left: 0 !important; margin-right: 0 !important;
  padding-left: 0 !important; padding-right: 0 !important;
}
.govuk-grid-row { margin-left: 0 !important; margin-right: 0 !important; }
.govuk-grid-column-full, .govuk-grid-column-two-thirds, .govuk-grid-column-one-half, .govuk-grid-column-one-third {
  width: 100% !important; float: none !important; padding-left: 0 !important; padding-right: 0 !important;
}
.govuk-skip-link, .govuk-header__navigation, .govuk-header__menu-button, .govuk-service-navigation,
.govuk-back-link, .govuk-cookie-banner, .govuk-phase-banner, .no-print, nav, script, noscript, button {
  display: none !important;
}
h1, h2, h3, h4, caption, .govuk-table__caption { break-after: avoid; page-break-after: avoid; }
h2, h3 { break-inside: avoid; }
p, li { orphans: 3; widows: 3; }
thead { display: table-header-group; }
tr, figure, img, svg, .app-chart, .govuk-summary-list__row { break-inside: avoid; page-break-inside: avoid; }
table { font-size: 9pt; }
img, svg { max-width: 100%; height: auto; }
a, a:visited { color: inherit; text-decoration: none; }
details > summary { list-style: none; }
"""


def _url_fetcher(roots: tuple[Path, ...]) -> Any:
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        """Only ``data:`` URLs and files under ``roots``."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                target = Path(unquote(parts.path)).resolve()
                if not any(target.is_relative_to(root) for root in roots):
                    raise ValueError(f"not fetched (outside the report folder): {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), timeout=5)


def write_pdf(html_text: str, path: Path, base_dir: Path) -> None:
    """Lay out ``html_text`` (whose relative URLs are under ``base_dir``) as an A4 PDF."""
    from weasyprint import CSS, HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    base = base_dir.resolve()
    package = Path(__file__).resolve().parents[1]
    fetcher = _url_fetcher((base, package))
    document = HTML(string=html_text, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(str(path), stylesheets=[CSS(string=PRINT_CSS)], pdf_tags=True)


def render(report: Report, path: Path, html_text: str | None = None) -> None:
    """Write the statement to ``path`` as a PDF of the HTML page.

    ``html_text`` is the page already rendered by ``html.render(report, path.parent)``; when
    it is not given it is rendered here (which also copies the page's assets beside it).
    """
    if html_text is None:
        from scorecard.report import html

        html_text = html.render(report, path.parent)
    write_pdf(_HIDDEN_IN_PRINT.sub("", html_text), path, path.parent)


# The per-chart data tables are hidden by the print stylesheet anyway; dropping them before
# layout saves WeasyPrint about a second on a full statement (each chart keeps its <title>
# and <desc> text alternative in the PDF).
_HIDDEN_IN_PRINT = re.compile(r'<details class="govuk-details">.*?</details>', re.S)
