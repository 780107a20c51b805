"""Printing with only the GOV.UK rules a page can use (``scorecard.render.used_css``).

A rule is dropped only when one of the classes its selector needs is on no element of the page;
whatever the module cannot read with certainty is kept.  The last test prints the real board
paper (seed 004's shape, portrait pages and the landscape Appendix A) with and without pruning
and finds every page the same, pixel for pixel.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scorecard.catalogue.schema import Catalogue
from scorecard.documents.config import DocumentConfig
from scorecard.publish import build, gather
from scorecard.render import pdf
from scorecard.render.govuk_assets import govuk_stylesheet
from scorecard.render.html import render_html
from scorecard.render.used_css import UsedRules, page_classes
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[2]

CSS = """
.govuk-table{border-collapse:collapse}
.govuk-tag--red{color:red}
.govuk-table .govuk-tag--red{font-weight:bold}
.govuk-\\!-margin-bottom-0{margin-bottom:0!important}
p:not(.govuk-body){color:blue}
a[href$=".pdf"]{color:green}
.govuk-\\31 0{color:pink}
body{margin:0}
@media print{.govuk-table{border:0}.govuk-header{display:none}}
@media (min-width:40.0625em){.govuk-header{padding:0}}
@font-face{font-family:X;src:url(x.woff)}
"""


def kept(html: str) -> str:
    return UsedRules(CSS).for_page(html)


def test_a_rule_for_a_class_the_page_lacks_is_dropped() -> None:
    out = kept('<table class="govuk-table"></table>')
    assert ".govuk-table{border-collapse:collapse}" in out
    assert "govuk-tag--red" not in out


def test_a_rule_needing_two_classes_is_kept_only_when_the_page_has_both() -> None:
    assert ".govuk-table .govuk-tag--red" not in kept('<p class="govuk-tag--red"></p>')
    assert ".govuk-table .govuk-tag--red" in kept('<table class="govuk-table"><p class="govuk-tag--red">')


def test_an_escaped_class_is_read_as_written_in_the_page() -> None:
    assert "margin-bottom:0" in kept('<p class="govuk-body govuk-!-margin-bottom-0"></p>')
    assert "margin-bottom:0" not in kept('<p class="govuk-body"></p>')


def test_a_hex_escape_is_read_as_the_class_it_spells() -> None:
    assert "pink" not in kept('<p class="govuk-1"></p>')
    assert "pink" in kept('<p class="govuk-10"></p>')


def test_what_cannot_be_read_with_certainty_is_kept() -> None:
    out = kept("<p></p>")
    assert "p:not(.govuk-body)" in out  # a class inside :not() is not needed, it is refused
    assert 'a[href$=".pdf"]' in out  # a dot in an attribute value is not a class
    assert "body{margin:0}" in out and "@font-face" in out


def test_media_rules_are_pruned_inside_and_dropped_when_empty() -> None:
    out = kept('<table class="govuk-table"></table>')
    assert "@media print{.govuk-table{border:0}}" in out
    assert "min-width:40.0625em" not in out


def test_page_classes_reads_every_class_attribute() -> None:
    html = """<div class="a  b"><span class='c'></span><i class=d></i><p CLASS="e"></p></div>"""
    assert page_classes(html) == {"a", "b", "c", "d", "e"}


def test_the_real_stylesheet_shrinks_to_the_rules_a_statement_uses() -> None:
    css = govuk_stylesheet()
    if css is None:
        pytest.skip("GOV.UK Frontend is not installed: run scripts/setup")
    page = '<main class="govuk-main-wrapper"><h1 class="govuk-heading-xl">Title</h1></main>'
    used = UsedRules(css).for_page(page)
    assert ".govuk-heading-xl{" in used and ".govuk-main-wrapper{" in used
    assert ".govuk-button{" not in used
    assert len(used) < len(css) / 4


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is needed: run scripts/setup")
def test_the_board_paper_prints_the_same_with_and_without_pruning(
        real_store_path: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    config = DocumentConfig.load(ROOT / "demo" / "config" / "west-midlands-2022-05-board-paper.yaml",
                                 catalogue=catalogue)
    with Store.open(real_store_path, read_only=True) as store:
        sp, figures = gather(store, catalogue, ["west-midlands"], "2021-22 Q4", config)
    doc = build(catalogue, "west-midlands", sp, figures["west-midlands"], config, generated_at="2026-01-05T09:30:00")
    html = render_html(doc, tmp_path)
    pruned, whole = tmp_path / "pruned.pdf", tmp_path / "whole.pdf"
    pdf.write_pdf(html, pruned, tmp_path)
    from weasyprint import CSS, HTML

    package = Path(pdf.__file__).resolve().parents[1]
    HTML(string=html, base_url=tmp_path.resolve().as_uri() + "/",
         url_fetcher=pdf._url_fetcher((tmp_path.resolve(), package))).write_pdf(
        str(whole), stylesheets=[CSS(string=pdf.PRINT_CSS)], pdf_tags=True)
    pages = {}
    for path in (pruned, whole):
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / path.stem)], check=True)
        pages[path.stem] = sorted(tmp_path.glob(f"{path.stem}-*.png"))
    assert len(pages["pruned"]) == len(pages["whole"]) >= 4
    for a, b in zip(pages["pruned"], pages["whole"], strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs from {b.name}"
