"""The annual report's stop-and-search tables (``documents.stop_search_table``).

Built from Merseyside's real figures for December 2019 to February 2020, each cell must show the
value tests/golden/stop_search/*.tsv gives — counted and rounded from the published CSVs by the
programs in those files' headers, not by scorecard — and each table must carry its caveats: the
months, self-defined ethnicity and why, the searches with none stated, the census year and that the
population has changed since, and the licence.  Hand-built figures pin what cannot be shown: a
ratio with no White searches to divide by, a label of no census group.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import SHARED_DATA, store_holding
from scorecard.census import Census, load_census
from scorecard.documents.model import Document, Section, Table
from scorecard.documents.stop_search_table import ethnicity_table, outcomes_table
from scorecard.periods import Month
from scorecard.render.data import table_rows
from scorecard.render.html import render_html
from scorecard.stop_search import StopSearchFigures, ethnicity_of, stop_search_figures
from scorecard.store import Store

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "stop_search"
ARCHIVES = sorted((SHARED_DATA / "police-uk").glob("stop-and-search-*.zip"))
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."


def golden(name: str, force_id: str, first: str, last: str) -> list[dict[str, str]]:
    lines = [line for line in (GOLDEN / name).read_text("utf-8").splitlines() if not line.startswith("#")]
    return [r for r in csv.DictReader(lines, delimiter="\t")
            if (r["force"], r["first"], r["last"]) == (force_id, first, last)]


@pytest.fixture(scope="module")
def census() -> Census:
    return load_census(2011)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = store_holding(tmp_path_factory, "stop-search-tables", *ARCHIVES)
    with Store.open(path, read_only=True) as s:
        yield s


@pytest.fixture(scope="module")
def merseyside(store: Store, census: Census) -> StopSearchFigures:
    return stop_search_figures(store, "merseyside", Month(2019, 12), Month(2020, 2), census)


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def whole(text: str) -> int:
    return int(text.replace(",", ""))


def percent_text(numerator: int, denominator: int) -> str:
    """The document rule for a percentage, worked out here on its own: one place, half up, no trailing .0,
    and never "0%" for a share that is not nothing."""
    shown = (Decimal(numerator * 100) / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if numerator and not shown:
        return "less than 0.1%"
    return f"{shown.normalize():f}%" if shown != shown.to_integral() else f"{shown.to_integral()}%"


# --- the outcomes table -------------------------------------------------------------------------------------

def test_the_outcomes_table_shows_the_counts_of_the_published_rows(merseyside: StopSearchFigures) -> None:
    (want,) = golden("outcomes.tsv", "merseyside", "2019-12", "2020-02")
    n = {k: int(v) for k, v in want.items() if k not in ("force", "first", "last")}
    searches, with_outcome = n["searches"], n["arrests"] + n["other_outcomes"]
    table = outcomes_table(merseyside)
    assert table.caption == "Stop and search, Dec 2019 to Feb 2020: searches, arrests and outcomes"
    assert table.id == "stop_search"
    rows = texts(table)
    assert [r[0] for r in rows] == ["Searches", "Arrests",
                                    "Any outcome other than no further action (the outcome rate)",
                                    "No further action", "No outcome recorded",
                                    "Outcomes linked to the object of search"]
    assert whole(rows[0][1]) == searches
    expected = [(n["arrests"], searches), (with_outcome, searches), (n["no_further_action"], searches),
                (n["not_recorded"], searches), (n["linked"], n["linked"] + n["not_linked"])]
    for row, (count, out_of) in zip(rows[1:], expected, strict=True):
        assert (whole(row[1]), whole(row[2]), row[3]) == (count, out_of, percent_text(count, out_of)), row
    assert rows[1][3] == "7.3%" and rows[2][3] == "21.1%"  # 700 and 2,033 of 9,631


def test_the_outcomes_notes_say_where_from_and_what_each_rate_is_of(merseyside: StopSearchFigures) -> None:
    notes = outcomes_table(merseyside).notes
    assert notes[0] == ("Source: data.police.uk stop and search, Merseyside, December 2019 to February 2020 "
                        "(3 months; the force's file for every month is held).")
    assert any(n.startswith("The outcome rate is the share of all searches with any outcome other than no "
                            "further action") for n in notes)
    assert "1 search had no outcome recorded: counted as neither an outcome nor no further action." in notes
    assert any("of the 2,033 searches with an outcome other than no further action" in n for n in notes)
    assert notes[-1] == LICENCE


def test_a_percentage_of_nothing_is_a_dash(merseyside: StopSearchFigures) -> None:
    none = replace(merseyside.outcomes, searches=0, arrests=0, other_outcomes=0, no_further_action=0, not_recorded=0,
                   linked=0, not_linked=0, linked_not_given=0)
    rows = texts(outcomes_table(replace(merseyside, outcomes=none)))
    assert [r[1:] for r in rows] == [["0", "–", "–"]] + [["0", "0", "–"]] * 5


# --- the ethnic group table ---------------------------------------------------------------------------------

def test_the_ethnic_group_table_shows_the_independent_rates_and_ratios(merseyside: StopSearchFigures) -> None:
    want = {r["group"]: r for r in golden("ethnicity.tsv", "merseyside", "2019-12", "2020-02")}
    table = ethnicity_table(merseyside)
    assert table.caption == ("Stop and search by ethnic group, Dec 2019 to Feb 2020: searches, per 1,000 people "
                             "(Census 2011), ratio to White")
    assert [c.heading for c in table.columns] == ["Ethnic group (self-defined)", "Searches", "Population (Census 2011)",
                                                  "Rate", "Ratio to White"]
    rows = texts(table)
    for row in rows[:5]:
        w = want[row[0]]
        assert (whole(row[1]), whole(row[2])) == (int(w["searches"]), int(w["population"]))
        assert row[3] == f"{Decimal(w['per_1000_2dp']).normalize():f} per 1,000 people"
        assert Decimal(row[4]) == Decimal(w["ratio_to_white_1dp"]), row
    assert rows[3] == ["Black", "257", "14,552", "17.66 per 1,000 people", "3.0"]  # 3.03 times the White rate
    assert rows[5] == ["Not stated", f"{int(want['Not stated']['searches']):,}", "–", "–", "–"]
    people = sum(int(want[g]["searches"]) for g in ("White", "Mixed", "Asian", "Black", "Other", "Not stated"))
    assert rows[6][:3] == ["All searches of people", f"{people:,}", "1,381,189"]
    assert [r[0] for r in rows] == ["White", "Mixed", "Asian", "Black", "Other", "Not stated", "All searches of people"]


def test_each_figure_keeps_its_unrounded_value(merseyside: StopSearchFigures) -> None:
    black = ethnicity_table(merseyside).rows[3].cells
    assert black[3].value == float(Fraction(257_000, 14_552)) and black[3].unit == "rate_per_1000"
    assert black[4].value == float(Fraction(257 * 1_305_303, 14_552 * 7_604))
    assert black[4].ref == "stop_search.black.ratio_to_white"


def test_the_ethnic_group_notes_carry_every_caveat(merseyside: StopSearchFigures) -> None:
    notes = ethnicity_table(merseyside).notes
    text = " ".join(notes)
    assert notes[0].startswith("Source: data.police.uk stop and search, Merseyside, December 2019 to February 2020")
    assert "Population: Census 2011 (Office for National Statistics)" in notes[0]
    assert "Population from Census 2011; the population has changed since." in notes
    assert "self-defined" in text and "officer-defined ethnicity" in text and "no Mixed group" in text
    assert "1,247 of the 9,413 searches of people (13.2%) had no ethnicity stated" in text
    assert "218 vehicle-only searches are not counted here: no person was searched." in notes
    assert "divided by the White rate" in text
    assert notes[-1] == LICENCE


def test_a_ratio_with_no_white_searches_is_a_dash(merseyside: StopSearchFigures, census: Census) -> None:
    pop = census.population("merseyside")
    tallies = {(False, "Black/African/Caribbean/Black British - African", "Arrest", "true"): 3}
    e = ethnicity_of(tallies, pop.total, pop.by_group)
    table = ethnicity_table(replace(merseyside, ethnicity=e))
    assert texts(table)[0][1:] == ["0", "1,305,303", "0 per 1,000 people", "–"]
    assert texts(table)[3][4] == "–"
    assert "A ratio is shown as – where the White rate or the group's population is zero." in table.notes


def test_an_ethnicity_of_no_census_group_is_shown_apart(merseyside: StopSearchFigures, census: Census) -> None:
    pop = census.population("merseyside")
    tallies = {(False, "White - Irish", "Arrest", "true"): 5, (False, "Martian - Red", "Arrest", "true"): 2}
    e = ethnicity_of(tallies, pop.total, pop.by_group)
    table = ethnicity_table(replace(merseyside, ethnicity=e))
    rows = texts(table)
    assert ["Not a census group: Martian - Red", "2", "–", "–", "–"] in rows
    assert rows[-1][:2] == ["All searches of people", "7"]
    assert ("2 searches gave an ethnicity in no census group ('Martian - Red'): in the total, in no group."
            in table.notes)
    assert not any("vehicle-only" in n for n in table.notes)


# --- through the renderers ----------------------------------------------------------------------------------

def document_with(*tables: Table) -> Document:
    return Document(kind="annual_report", title="Annual report", subtitle="2019-20", area_name="Merseyside",
                    force_id="merseyside", status="draft", status_text="DRAFT", front=(),
                    sections=(Section("stop-search", "Stop and search", tables),), sources=(), licence=LICENCE,
                    generated_at="2026-01-05T09:30:00", software_version="test", catalogue_version="test")


def test_the_tables_are_written_as_csv_with_their_values(merseyside: StopSearchFigures) -> None:
    table = ethnicity_table(merseyside)
    records = table_rows(document_with(table), table)
    black = next(r for r in records if r["ethnic_group_self_defined"] == "Black")
    assert black["rate"] == "17.66 per 1,000 people" and black["rate_value"] == pytest.approx(17.6608, abs=1e-4)
    assert black["ratio_to_white_value"] == pytest.approx(3.0317, abs=1e-4)
    assert "Population from Census 2011" in black["notes"]


def test_the_tables_render_as_html(merseyside: StopSearchFigures, tmp_path: Path) -> None:
    html = render_html(document_with(outcomes_table(merseyside), ethnicity_table(merseyside)), tmp_path)
    assert "Stop and search by ethnic group, Dec 2019 to Feb 2020" in html
    assert "17.66 per 1,000 people" in html and "9,631" in html
