"""Documents as the checker reads them (``claims.reading``): paragraphs with their page, section
and lines, from the seeds and from a PDF's text."""

from __future__ import annotations

from pathlib import Path

from scorecard.claims.reading import paragraphs

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def test_numbered_paragraphs_start_on_their_own_line_and_sit_under_their_heading() -> None:
    # Seed 001 has no blank line between "Measure: Reduce Murder and other homicide", paragraph
    # 4 (lines 24-27) and paragraph 5 (line 28).
    paras = {p.first_line: p for p in paragraphs(seed("001"))}
    four, five = paras[24], paras[28]
    assert four.text.startswith("4. The volume of Homicides") and len(four.lines) == 4
    assert five.text.startswith("5. A significant proportion")
    assert four.section == five.section == "Measure: Reduce Murder and other homicide"


def test_a_wrapped_sentence_is_one_text_and_each_word_keeps_its_line() -> None:
    four = next(p for p in paragraphs(seed("001")) if p.first_line == 24)
    at = four.text.index("homicides, compared to 52")
    assert four.line_at(at) == 26 and four.line_at(0) == 24


def test_short_sentences_standing_alone_are_headings() -> None:
    # Seed 000 heads each priority with a line such as "Reduce murder and other homicides.".
    sections = {p.section for p in paragraphs(seed("000"))}
    assert {"Reduce murder and other homicides", "Reduce serious violence", "Tackle fraud and cybercrime"} <= sections


def test_tables_are_paragraphs_of_their_own() -> None:
    table = next(p for p in paragraphs(seed("003")) if p.table and any("January 2024" in line for line in p.lines))
    assert all("\t" in line for line in table.lines)


def test_a_pdf_s_pages_and_paragraphs_are_known_from_its_text() -> None:
    # pdftotext puts a form feed between pages and no blank line between paragraphs.
    text = ("Title\n\nFirst sentence ends here.\nSecond paragraph starts here and\nwraps on.\n\fPage two text.\n")
    paras = paragraphs(text)
    assert [(p.page, p.text) for p in paras] == [
        (1, "Title"), (1, "First sentence ends here."), (1, "Second paragraph starts here and wraps on."),
        (2, "Page two text.")]
