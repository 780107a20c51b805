"""The HTML page as a desk user and a phone user see it (``scorecard.render.html``).

The real West Midlands statement (seed 000's shape) and board paper (seed 004's shape) are built
from the test store with the demo configurations, written as HTML, and opened in Chromium at
1280 and 375 CSS pixels wide (and 800, a tablet, for overflow):

* nothing pans sideways: the page is no wider than the window;
* no figure is cut: no table cell or ``[data-ref]`` figure overflows its box, lies outside the
  window or is clipped by a scrolling or clipping container;
* axe-core finds no accessibility violations;
* a draft says so at the top of the page, an approved document does not.

Each page is also saved as a full-page PNG in the test's temporary folder (set
``SCORECARD_SCREENSHOT_DIR`` to keep copies) so that the layout can be looked at.

The text snapshot ``tests/golden/render/statement-west-midlands.html.txt`` is our own output, not a
specification: it shows a change to the published page in review.  Refresh it, and read the
diff, with::

    SNAPSHOT_UPDATE=1 .venv/bin/pytest --basetemp=/tmp/pt-layout -p no:cacheprovider tests/render/test_html.py

Chromium comes from Debian (``/usr/bin/chromium``), driven by Python Playwright without a
downloaded browser; axe-core comes from the project's ``node_modules`` (``npm ci``).
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import annual_report_of
from scorecard.catalogue.schema import Catalogue
from scorecard.documents.model import Document, Status
from scorecard.render.write import write_document

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = ("west-midlands", "2024-25 Q1", "west-midlands-2024-25-q1-statement.yaml")
BOARD_PAPER = ("west-midlands", "2021-22 Q4", "west-midlands-2022-05-board-paper.yaml")
GOLDEN = ROOT / "tests" / "golden" / "render" / "statement-west-midlands.html.txt"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
FIXED_TIME = "2026-01-05T09:30:00"
DESK, TABLET, PHONE = 1280, 800, 375

sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is needed: run scripts/setup")
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(),
                                    reason="Chromium is needed at /usr/bin/chromium (apt-get install chromium)")


# --------------------------------------------------------------------------- the documents

Demo = Callable[..., Document]  # the demo_document fixture (tests/conftest.py)


def written_page(doc: Document, folder: Path) -> Path:
    """The document's HTML page, written with its assets as `scorecard report` writes it."""
    (path,) = write_document(doc, ["html"], folder)
    return path


@pytest.fixture(scope="module")
def statement(demo_document: Demo, real_store_path: Path, catalogue: Catalogue) -> Document:
    return demo_document(real_store_path, catalogue, STATEMENT)


@pytest.fixture(scope="module")
def pages(demo_document: Demo, statement: Document, real_store_path: Path, catalogue: Catalogue,
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    board_paper = demo_document(real_store_path, catalogue, BOARD_PAPER)
    return {"statement": written_page(statement, tmp_path_factory.mktemp("statement")),
            "board-paper": written_page(board_paper, tmp_path_factory.mktemp("board-paper")),
            "annual-report": written_page(annual_report_of(real_store_path, catalogue),
                                          tmp_path_factory.mktemp("annual-report"))}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip("Chromium is needed at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


def keep_screenshot(page: Any, path: Path) -> None:
    """A full-page PNG beside the test's files, copied to $SCORECARD_SCREENSHOT_DIR if set."""
    page.screenshot(path=str(path), full_page=True)
    keep = os.environ.get("SCORECARD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(keep) / path.name)


# --------------------------------------------------------------------------- measuring the page

# Every table cell and every element holding a figure ([data-ref]) that the reader can see: it
# must not overflow its own box, lie outside the window, be clipped by an ancestor that
# clips or scrolls, or have text running out of its box.  Parts hidden on purpose (the column
# headings of a phone card, visually hidden but read out) are not measured.
MEASURE_FIGURES = """() => {
  const vw = window.innerWidth;
  const hidden = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden' || s.clip === 'rect(0px, 0px, 0px, 0px)'
          || s.clipPath === 'inset(50%)') return true;
    }
    return false;
  };
  const problems = [];
  for (const el of document.querySelectorAll('main [data-ref], main td, main th')) {
    if (el.getClientRects().length === 0 || hidden(el)) continue;
    const what = `${el.tagName.toLowerCase()}${el.dataset.ref ? '[' + el.dataset.ref + ']' : ''} `
                 + JSON.stringify(el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 70));
    const r = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push(`${what} overflows its box (${el.scrollWidth} > ${el.clientWidth} px)`);
    if (r.left < -0.5 || r.right > vw + 0.5)
      problems.push(`${what} lies outside the window (${Math.round(r.left)} to ${Math.round(r.right)} of ${vw} px)`);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const ar = a.getBoundingClientRect();
      if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5) problems.push(`${what} is clipped by a ${a.tagName}`);
    }
    const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = texts.nextNode(); t; t = texts.nextNode()) {
      if (hidden(t.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(t);
      if ([...range.getClientRects()].some((b) => b.width > 0 && (b.left < r.left - 0.5 || b.right > r.right + 0.5))) {
        problems.push(`${what}: its text runs out of its box`);
        break;
      }
    }
  }
  return problems;
}"""

RUN_AXE = """async () => {
  const result = await axe.run(document);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: `
                                      + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; '));
}"""


@needs_chromium
@pytest.mark.parametrize("width", [DESK, TABLET, PHONE])
@pytest.mark.parametrize("name", ["statement", "board-paper", "annual-report"])
def test_nothing_pans_sideways_and_no_figure_is_cut(browser: Any, pages: dict[str, Path], name: str, width: int,
                                                    tmp_path: Path) -> None:
    page = open_page(browser, pages[name], width)
    try:
        keep_screenshot(page, tmp_path / f"{name}-{width}.png")
        page_width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= window, f"the page is {page_width} px wide in a {window} px window: it pans sideways"
        assert page.locator("main [data-ref]").count() > 20, "the figures are marked with data-ref"
        assert page.evaluate(MEASURE_FIGURES) == []
    finally:
        page.close()


@needs_chromium
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is needed in node_modules (npm ci)")
@pytest.mark.parametrize("width", [DESK, PHONE])
@pytest.mark.parametrize("name", ["statement", "board-paper", "annual-report"])
def test_axe_finds_no_accessibility_violations(browser: Any, pages: dict[str, Path], name: str,
                                               width: int) -> None:
    page = open_page(browser, pages[name], width)
    try:
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(RUN_AXE) == []
    finally:
        page.close()


@pytest.fixture(scope="module")
def claims_page(real_store_path: Path, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`scorecard check`'s HTML report on the five seeds against the bundled data."""
    from scorecard.claims.check import Against, check_file
    from scorecard.claims.store_figures import StoreFigures
    from scorecard.render.claims_html import render_claims
    from scorecard.store import Store

    with Store.open(real_store_path, read_only=True) as store:
        against = Against(StoreFigures(store, catalogue), catalogue)
        checked = [check_file(p, against) for p in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))]
    path = tmp_path_factory.mktemp("claims") / "claims.html"
    path.write_text(render_claims(checked, "Figures checked against the test store."), encoding="utf-8")
    return path


@needs_chromium
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is needed in node_modules (npm ci)")
@pytest.mark.parametrize("width", [DESK, PHONE])
def test_the_checker_s_report_is_accessible_and_does_not_pan(browser: Any, claims_page: Path, width: int,
                                                             tmp_path: Path) -> None:
    page = open_page(browser, claims_page, width)
    try:
        keep_screenshot(page, tmp_path / f"claims-{width}.png")
        page_width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= window
        assert page.evaluate(MEASURE_FIGURES) == []
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(RUN_AXE) == []
    finally:
        page.close()


@needs_chromium
@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_a_document_not_approved_says_so_at_the_top(demo_document: Demo, browser: Any, real_store_path: Path,
                                                   catalogue: Catalogue, tmp_path: Path, status: Status) -> None:
    doc = demo_document(real_store_path, catalogue, STATEMENT, status)
    page = open_page(browser, written_page(doc, tmp_path), PHONE)
    try:
        banner = page.locator(".app-draft-banner")
        assert banner.is_visible()
        assert banner.inner_text().strip() == doc.status_text
        assert doc.status_text.startswith(("DRAFT", "SUBMITTED"))
        # above the title, inside the first screenful of a phone
        box, title = banner.bounding_box(), page.locator("h1").bounding_box()
        assert box is not None and title is not None
        assert box["y"] + box["height"] <= title["y"] and box["y"] < 900
        assert page.title().endswith("(draft)")
    finally:
        page.close()


@needs_chromium
def test_an_approved_document_has_no_draft_marking(demo_document: Demo, browser: Any, real_store_path: Path,
                                                   catalogue: Catalogue, tmp_path: Path) -> None:
    doc = demo_document(real_store_path, catalogue, STATEMENT, "approved")
    assert doc.approved
    page = open_page(browser, written_page(doc, tmp_path), PHONE)
    try:
        assert page.locator(".app-draft-banner").count() == 0
        assert "DRAFT" not in page.locator("body").inner_text()
        assert "draft" not in page.title()
    finally:
        page.close()


# --------------------------------------------------------------------------- the text snapshot

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
NESTED = frozenset({"ul", "ol", "p", "div", "table", "figure", "dl"})  # blocks read on lines of their own
LINES = frozenset({"title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "caption", "figcaption"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self, leave_out: frozenset[str] = frozenset()) -> str:
        """The words a reader sees, less any child element named in ``leave_out``: SVG is left
        out too (a graphic's words are its title and desc)."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children
                 if isinstance(c, str) or c.tag not in {"svg", "style", "script", *leave_out}]
        return " ".join("".join(parts).split())

    def find(self, tag: str) -> Element | None:
        return next((c for c in self.children if isinstance(c, Element) and c.tag == tag), None)


class _Tree(HTMLParser):
    """The page as elements, exactly as written (no error correction), to read back."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>: the page is not well nested"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def page_outline(html_text: str) -> list[str]:
    """The page as a reader (or a screen reader) meets it, one line a heading, paragraph, list
    item, table row or graphic: ``[tag.class] text``; table rows as ``| cell | cell |``."""
    tree = _Tree()
    tree.feed(html_text)
    tree.close()
    lines: list[str] = []

    def label(el: Element) -> str:
        css = el.attrs.get("class", "").split()
        kept = [c for c in css if c.startswith("app-")]
        return el.tag + "".join(f".{c}" for c in kept)

    def walk(el: Element, depth: int) -> None:
        pad = "  " * depth
        if el.tag in ("style", "script"):
            return
        if el.tag == "head":
            title = el.find("title")
            if title is not None:
                lines.append(f"[title] {title.text()}")
            return
        if el.tag == "svg":
            if el.attrs.get("role") == "img":
                title, desc = el.find("title"), el.find("desc")
                name = el.attrs.get("aria-label") or (title.text() if title else "")
                lines.append(f"{pad}[img.{el.attrs.get('class', '')}] {name}: {desc.text() if desc else ''}")
            return
        if el.tag == "tr":
            cells = [c.text() for c in el.children if isinstance(c, Element) and c.tag in ("td", "th")]
            lines.append(f"{pad}| " + " | ".join(cells) + " |")
            for svg in _svgs(el):
                walk(svg, depth + 1)
            return
        if el.tag in LINES or "govuk-caption-l" in el.attrs.get("class", ""):
            text = el.text(NESTED)
            if text:
                lines.append(f"{pad}[{label(el)}] {text}")
            for child in el.children:  # a nested list, or a graphic inside, is read after the line
                if isinstance(child, Element):
                    for inner in [child] if child.tag in NESTED else _svgs(child):
                        walk(inner, depth + 1)
            return
        if el.tag == "section" and "app-section" in el.attrs.get("class", ""):
            lines.append(f"{pad}[{label(el).replace('section.app-section', 'section')}#{el.attrs.get('id', '')}]")
            depth += 1
        elif el.tag in ("table", "figure", "nav", "dl") or "app-draft-banner" in el.attrs.get("class", ""):
            lines.append(f"{pad}[{label(el)}]")
            depth += 1
        for child in el.children:
            if isinstance(child, Element):
                walk(child, depth)

    walk(tree.root, 0)
    return lines


def _svgs(el: Element) -> Iterator[Element]:
    """The outermost SVG graphics in ``el``, itself included."""
    if el.tag == "svg":
        yield el
        return
    for child in el.children:
        if isinstance(child, Element):
            yield from _svgs(child)


SNAPSHOT_HEADER = """\
# Snapshot, not a specification: the text of the HTML page scorecard.render.html draws for the West Midlands
# 2024-25 Q1 statement (demo/config/west-midlands-2024-25-q1-statement.yaml), from the document the statement
# builder makes from the test store (tests/conftest.py real_store_path). One line a heading, paragraph, list
# item, table row or graphic (its accessible name: its description). Regenerate with SNAPSHOT_UPDATE=1 (see
# tests/render/test_html.py) and read the diff.
"""


def test_the_page_text_matches_its_snapshot(statement: Document, pages: dict[str, Path]) -> None:
    outline = page_outline(pages["statement"].read_text("utf-8"))
    assert any(line.startswith("[h1] National Policing Priorities statement") for line in outline)
    assert sum(line.lstrip().startswith("[img.app-chart]") for line in outline) >= 3
    text = SNAPSHOT_HEADER + "\n".join(outline) + "\n"
    if os.environ.get("SNAPSHOT_UPDATE") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    expected = GOLDEN.read_text("utf-8") if GOLDEN.is_file() else ""
    diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "snapshot", "now", n=1))
    assert text == expected, f"the page changed (SNAPSHOT_UPDATE=1 to accept):\n{diff[:6000]}"


def test_the_outline_reads_a_page_as_a_reader_meets_it() -> None:
    page = ('<html><head><title>T</title><style>p{}</style></head><body><main><section id="s" class="app-section">'
            '<h2>Heading</h2><p class="govuk-body app-note">A <b>note</b>.</p><table><caption>C</caption>'
            '<tr><th>Homicide</th><td><span><svg aria-hidden="true"><title>icon</title></svg>44</span></td></tr>'
            '</table><figure><svg role="img" class="app-chart"><title>Chart</title><desc>Points</desc>'
            '<line/></svg></figure></section></main></body></html>')
    assert page_outline(page) == [
        "[title] T", "[section#s]", "  [h2] Heading", "  [p.app-note] A note.", "  [table]", "    [caption] C",
        "    | Homicide | 44 |", "  [figure]", "    [img.app-chart] Chart: Points"]
