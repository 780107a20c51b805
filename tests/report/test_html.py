"""The HTML statement: structure, figures, escaping, accessibility (axe-core in Chromium),
a screenshot, and a snapshot of the page for review.

Browser tests use Debian's Chromium (``/usr/bin/chromium``, installed by scripts/setup)
through Python Playwright, and axe-core from ``node_modules`` (``npm ci``).  They are
skipped only when Chromium itself is absent.

Snapshot: ``tests/golden/report/west-midlands-2021-22.html``; refresh it with
``SNAPSHOT_UPDATE=1 .venv/bin/pytest tests/report/test_html.py``.  Set
``SCORECARD_SCREENSHOT_DIR`` to keep the screenshot somewhere to look at.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import struct
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from scorecard.catalogue.schema import Catalogue
from scorecard.numbers import format_number, format_signed_percent
from scorecard.periods import parse
from scorecard.report import charts, html
from scorecard.report.build import ReportConfig, build_report
from scorecard.report.model import Applicability, Chart, ChartPoint, Report
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "report" / "west-midlands-2021-22.html"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# --------------------------------------------------------------------------- a small DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        """The text a reader sees: an svg's title and description are left out."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children
                       if isinstance(c, str) or c.tag != "svg")

    def norm(self) -> str:
        return " ".join(self.text().split())

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def iter(self) -> Iterator[Node]:
        for c in self.elements():
            yield c
            yield from c.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag and all(n.attrs.get(k.replace("_", "-")) == v
                                                                for k, v in attrs.items())]

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"unbalanced </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def dom(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def wm_report(real_store_path: Path, catalogue: Catalogue) -> Report:
    with Store.open(real_store_path, read_only=True) as store:
        return build_report(store, catalogue, "west-midlands", parse("2021-22"))


@pytest.fixture(scope="module")
def page_dir(wm_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    (out / "statement.html").write_text(html.render(wm_report, out), "utf-8")
    return out


@pytest.fixture(scope="module")
def page_text(page_dir: Path) -> str:
    return (page_dir / "statement.html").read_text("utf-8")


@pytest.fixture(scope="module")
def page(page_text: str) -> Node:
    return dom(page_text)


def _section(page: Node, priority_id: str) -> Node:
    return page.find("section", aria_labelledby=f"priority-{priority_id}")


def _cells(row: Node) -> dict[str, str]:
    return {c.attrs["data-field"]: c.norm() for c in row.find_all("td") if "data-field" in c.attrs}


# --------------------------------------------------------------------------- structure


def test_page_is_a_govuk_template_with_one_h1(page: Node, wm_report: Report) -> None:
    html_el = page.find("html")
    assert html_el.attrs["lang"] == "en-GB" and html_el.has_class("govuk-template")
    body = page.find("body")
    assert body.has_class("govuk-template__body")
    skip = body.elements()[0]
    assert (skip.tag, skip.attrs["href"], skip.has_class("govuk-skip-link")) == ("a", "#main-content", True)
    assert page.find("main").attrs["id"] == "main-content"
    assert page.find_all("header") and page.find_all("footer")
    h1s = page.find_all("h1")
    assert [h.norm() for h in h1s] == [wm_report.title]
    assert page.find("title").norm() == wm_report.title
    assert not page.find_all("script"), "the page needs no JavaScript"


def test_one_h2_per_priority_in_order_and_in_the_contents(page: Node, wm_report: Report) -> None:
    h2s = [h.norm() for h in page.find_all("h2")]
    numbered = [t for t in h2s if re.match(r"\d+\. ", t)]
    expected = [f"{s.number}. {s.title}" for s in wm_report.sections]
    assert numbered == expected
    assert numbered[0] == "1. Reduce murder and other homicide"
    assert {"Contents", "Scorecard", "About these figures"} <= set(h2s)
    contents = [a.norm() for a in page.find("nav").find_all("a")]
    assert contents[: len(expected)] == expected
    for s in wm_report.sections:  # every contents link has a target
        assert page.find_all("h2", id=f"priority-{s.priority_id}")


def test_headings_do_not_skip_levels(page: Node) -> None:
    levels = [int(n.tag[1]) for n in page.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"h{before} followed by h{after}"


def test_every_table_has_a_caption_and_scoped_headers(page: Node) -> None:
    tables = page.find_all("table")
    assert len(tables) >= 10
    for table in tables:
        first = table.elements()[0]
        assert first.tag == "caption" and first.norm(), "caption must be the table's first child"
        for th in table.find("thead").find_all("th"):
            assert th.attrs.get("scope") == "col", th.norm()
        body_rows = table.find("tbody").find_all("tr")
        assert body_rows
        for row in body_rows:
            first_cell = row.elements()[0]
            assert first_cell.tag == "th" and first_cell.attrs.get("scope") == "row", first_cell.norm()
        for td in table.find_all("td"):
            if "govuk-table__cell--numeric" in td.attrs.get("class", ""):
                assert td.norm(), "numeric cell is empty"


def test_every_svg_has_a_title_and_a_description(page: Node) -> None:
    svgs = page.find_all("svg")
    assert len(svgs) > 50
    ids = {n.attrs["id"] for n in page.iter() if "id" in n.attrs}
    for svg in svgs:
        kids = [k.tag for k in svg.elements()]
        assert kids[:2] == ["title", "desc"], kids[:3]
        assert svg.elements()[0].norm() and svg.elements()[1].norm()
        if svg.attrs.get("role") == "img":
            assert svg.attrs.get("aria-label") or svg.attrs.get("aria-labelledby") in ids
            assert svg.attrs.get("aria-describedby", "") in ids
        else:
            assert svg.attrs.get("aria-hidden") == "true", "a decorative svg must be hidden"


def test_ids_are_unique(page: Node) -> None:
    ids = [n.attrs["id"] for n in page.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))


def test_every_chart_is_an_spc_svg_with_its_summary_and_a_data_table(page: Node, wm_report: Report) -> None:
    for s in wm_report.sections:
        section = _section(page, s.priority_id)
        figures = section.find_all("figure")
        assert len(figures) == len(s.charts)
        for chart, figure in zip(s.charts, figures, strict=True):
            svg = figure.find("svg", role="img")
            assert svg.find("desc").norm() == " ".join(chart.summary.split())
            assert figure.find_all("line", **{"class": "app-chart__mean"})
            assert figure.find_all("line", **{"class": "app-chart__upper-limit"})
            table = figure.find("details").find("table")
            rows = table.find("tbody").find_all("tr")
            assert [r.elements()[0].norm() for r in rows] == [p.label for p in chart.points]
            assert [r.elements()[-1].norm() for r in rows] == [charts.POINT_TYPE_LABELS[p.point_type]
                                                              for p in chart.points]


# --------------------------------------------------------------------------- figures


def test_west_midlands_homicide_figures(page: Node) -> None:
    row = _section(page, "homicide").find("tr", data_measure="homicide")
    cells = _cells(row)
    assert row.elements()[0].norm().startswith("Homicide")
    assert (cells["value"], cells["baseline"], cells["change_pct"]) == ("48", "52", "-7.7%")
    assert (cells["previous"], cells["change_pct_vs_previous"]) == ("43", "+11.6%")
    score = page.find("section", aria_labelledby="scorecard").find("tr", data_measure="homicide")
    assert _cells(score)["value"] == "48" and _cells(score)["baseline"] == "52"
    assert _cells(score)["status"] == "Better than baseline"


MISSING = "–no figure"  # a dash hidden from screen readers, "no figure" read out instead


def _count(v: float | None) -> str:
    return MISSING if v is None else format_number(v, 0 if float(v).is_integer() else 1)


def test_every_figure_and_scorecard_row_matches_the_model(page: Node, wm_report: Report) -> None:
    for s in wm_report.sections:
        if not s.figures:
            continue
        section = _section(page, s.priority_id)
        for f in s.figures:
            assert f.unit == "count"  # the formats below are those of counts
            cells = _cells(section.find("tr", data_measure=f.measure_id))
            assert cells["value"] == _count(f.value)
            assert cells["baseline"] == _count(f.baseline_value)
            assert cells["change_pct"] == (MISSING if f.change_pct is None
                                           else format_signed_percent(f.change_pct))
            assert cells["previous"] == _count(f.previous_value)
    scorecard = page.find("section", aria_labelledby="scorecard")
    rows = scorecard.find("tbody").find_all("tr")
    assert [r.attrs["data-measure"] for r in rows] == [r.measure_id for r in wm_report.scorecard]
    for r, row in zip(wm_report.scorecard, rows, strict=True):
        cells = _cells(row)
        assert cells["value"] == _count(r.value)
        assert cells["status"] == r.status_text
        if r.variation_type:
            assert cells["variation"] == charts.VARIATION_SHORT_LABELS[r.variation_type]
        trend = row.find_all("svg", role="img")
        if len([v for v in r.trend if v is not None]) > 1:
            assert trend[0].attrs["aria-label"].startswith(f"Trend for {r.title}, {len(r.trend)} periods")


def test_no_negative_zero_and_uk_number_formats(page: Node, page_text: str) -> None:
    text = page.norm()
    assert not re.search(r"[-−]0(\.0+)?%", text), "a change that rounds to zero is 0.0%, not -0.0%"
    assert not re.search(r"[-−]0(\.0+)?(?![\d.])", text)
    assert "40,219" in text
    assert "48.0" not in _cells(_section(page, "homicide").find("tr", data_measure="homicide"))["value"]


def test_format_value_rounds_once_and_never_shows_negative_zero() -> None:
    assert charts.format_value(-0.04, "percentage") == "0.0%"
    assert charts.format_value(-0.4, "count") == "-0.4"
    assert charts.format_value(28675.0, "count") == "28,675"
    assert charts.format_value(12.25, "count") == "12.3"  # half away from zero
    assert charts.format_value(None, "count") == "–"


def test_about_these_figures_shows_provenance_rules_and_licence(page: Node, wm_report: Report) -> None:
    about = page.find("section", aria_labelledby="about")
    table = about.find("table")
    rows = table.find("tbody").find_all("tr")
    assert [r.elements()[0].norm() for r in rows] == [p.file for p in wm_report.provenance]
    for p, row in zip(wm_report.provenance, rows, strict=True):
        assert p.sha256 in row.norm() and p.covers in row.norm()
    text = about.norm()
    assert wm_report.catalogue_version in text and wm_report.licence in text
    for rule in wm_report.rules.values():
        assert " ".join(rule.split()) in text


def test_applicability_and_caveats_are_shown(page: Node, wm_report: Report) -> None:
    section = _section(page, "homicide")
    assert "Applicable" in section.norm()
    assert wm_report.sections[0].applicability.reason in section.norm()
    inset = section.find("div", **{"class": "govuk-inset-text"})
    items = [li.norm() for li in inset.find_all("li")]
    assert items == list(dict.fromkeys(c.text for c in wm_report.sections[0].caveats if c.kind != "revised"))


# --------------------------------------------------------------------------- untrusted text

HOSTILE = """<script>alert(1)</script>

[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(2)) and [ok](https://www.gov.uk/)

<javascript:alert(5)> and [d](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)

<img src=x onerror=alert(3)> ![pic](http://example.com/track.png "t")

# A heading in commentary

Homicide was {homicide.value} against {homicide.baseline} in the baseline.
"""


def test_hostile_commentary_and_reasons_are_escaped(tmp_path: Path, real_store_path: Path,
                                                    catalogue: Catalogue) -> None:
    folder = tmp_path / "commentary" / "west-midlands" / "2021-22"
    folder.mkdir(parents=True)
    (folder / "homicide.md").write_text(HOSTILE, "utf-8")
    config = ReportConfig(
        commentary_dir=tmp_path / "commentary",
        applicability={"fraud_cyber": Applicability(False, "<b onmouseover=alert(4)>Handled</b> regionally")},
    )
    with Store.open(real_store_path, read_only=True) as store:
        report = build_report(store, catalogue, "west-midlands", parse("2021-22"), config)
    assert report.sections[0].commentary is not None
    text = html.render(report, tmp_path / "out")
    tree = dom(text)
    assert not tree.find_all("script") and "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not tree.find_all("img") and "<img" not in text
    assert "&lt;img src=x onerror=alert(3)&gt;" in text
    assert not tree.find_all("b")
    hrefs = [a.attrs.get("href", "") for a in tree.find_all("a")]
    assert not [h for h in hrefs if "javascript" in h.lower() or h.lower().startswith("data:")]
    assert "https://www.gov.uk/" in hrefs
    assert "[x](javascript:alert(1))" in text
    assert not [n for n in tree.iter() if any(k.startswith("on") for k in n.attrs)], "no event handler attributes"
    commentary = _section(tree, "homicide").find("div", **{"class": "govuk-grid-column-two-thirds app-commentary"})
    assert commentary.find("h4").norm() == "A heading in commentary"  # moved below the section's h3
    assert "Homicide was 48 against 52 in the baseline." in commentary.norm()
    assert "pic" in commentary.norm()  # an image is reduced to its alt text
    fraud = _section(tree, "fraud_cyber")
    assert "Not applicable" in fraud.norm()
    assert "<b onmouseover=alert(4)>Handled</b> regionally" in fraud.norm()


# --------------------------------------------------------------------------- assets


def test_assets_are_copied_beside_the_page_and_linked_relatively(page: Node, page_dir: Path) -> None:
    links = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    assert links == ["assets/govuk-frontend.min.css"]
    css = (page_dir / links[0]).read_text("utf-8")
    assert css.startswith('@charset "UTF-8";') and ".govuk-table__cell--numeric" in css
    assert "@font-face" not in css and "url(/" not in css
    for ref in re.findall(r"url\(([^)]+)\)", css):
        if "govuk-crest" not in ref:  # the crown is for GOV.UK only and is not used
            assert (page_dir / "assets" / ref.strip("'\"")).is_file(), ref


def test_without_govuk_frontend_the_page_falls_back_to_inline_styles(wm_report: Report, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "find_govuk_frontend", lambda: None)
    with pytest.warns(UserWarning, match="GOV.UK Frontend is not installed"):
        text = html.render(wm_report, tmp_path)
    tree = dom(text)
    assert not tree.find_all("link", rel="stylesheet")
    assert ".govuk-table__cell--numeric" in tree.find("head").text()
    assert not (tmp_path / "assets").exists()


def test_rendering_is_deterministic(wm_report: Report, tmp_path: Path, page_text: str) -> None:
    assert html.render(wm_report, tmp_path) == page_text


def test_spc_chart_draws_target_and_distinguishes_point_types_by_shape() -> None:
    types = ["common_cause", "special_cause_improvement", "special_cause_concern", "special_cause_neutral_high"]
    points = tuple(ChartPoint(f"P{i}", "2024-01", "2024-01", v, 10.0, -0.5, 20.0, types[i % 4])
                   for i, v in enumerate([5.0, 12.0, 25.0, 8.0, 9.5]))
    chart = Chart("m", "A <measure>", "count", points, "common_cause", "common_cause.svg", "inconsistent",
                  "inconsistent.svg", 15.0, "Summary & more")
    svg = charts.spc_chart_svg(chart, "c1")
    tree = dom(str(svg))
    root = tree.find("svg")
    assert root.attrs["aria-labelledby"] == "c1-title" and root.attrs["aria-describedby"] == "c1-desc"
    assert tree.find("title").norm() == "Statistical process control chart: A <measure>"
    assert tree.find("desc").norm() == "Summary & more"
    assert tree.find_all("line", **{"class": "app-chart__target"})
    points_g = tree.find("g", **{"class": "app-chart__points"})
    assert [n.tag for n in points_g.elements()] == ["circle", "polygon", "polygon", "rect", "circle"]
    assert charts.spc_chart_svg(chart, "c1") == svg


# --------------------------------------------------------------------------- snapshot


def normalise(text: str) -> str:
    """The page with what changes from run to run replaced: times, and any store path."""
    text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d", "<timestamp>", text)
    return re.sub(r"(/[\w.-]+)+\.duckdb", "<store>", text)


def test_html_snapshot(page_text: str) -> None:
    actual = normalise(page_text)
    if os.environ.get("SNAPSHOT_UPDATE") == "1" or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, "utf-8")
        if os.environ.get("SNAPSHOT_UPDATE") != "1":
            pytest.fail(f"snapshot written to {GOLDEN}; review it and run again")
    expected = GOLDEN.read_text("utf-8")
    if actual != expected:
        import difflib

        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 "golden", "rendered", n=2))[:120])
        pytest.fail(f"the HTML statement changed (SNAPSHOT_UPDATE=1 to accept):\n{diff}")


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def browser_page(page_dir: Path) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1100, "height": 900})
            tab.goto((page_dir / "statement.html").as_uri())
            yield tab
        finally:
            browser.close()


def test_the_stylesheet_loads_in_the_browser(browser_page: Any) -> None:
    align = browser_page.evaluate(
        "getComputedStyle(document.querySelector('td.govuk-table__cell--numeric')).textAlign")
    assert align == "right"
    skip_hidden = browser_page.evaluate(
        "document.querySelector('.govuk-skip-link').getBoundingClientRect().height <= 1")
    assert skip_hidden, "the skip link is shown only on focus"


def test_axe_finds_no_wcag_violations(browser_page: Any) -> None:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (scripts/setup does)"
    browser_page.add_script_tag(path=str(AXE))
    result = browser_page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    report = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
              for v in result["violations"]]
    assert report == [], "\n".join(report)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_of_the_page(browser_page: Any, page_dir: Path) -> None:
    shot = page_dir / "statement.png"
    browser_page.screenshot(path=str(shot), full_page=True)
    width, height = _png_size(shot)
    assert width == 1100 and height > 5000, (width, height)
    assert shot.stat().st_size > 200_000
    top = page_dir / "statement-top.png"
    browser_page.screenshot(path=str(top))
    assert top.stat().st_size > 20_000
    keep = os.environ.get("SCORECARD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for f in (shot, top):
            shutil.copyfile(f, Path(keep) / f.name)
