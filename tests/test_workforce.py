"""Police workforce tables through ``scorecard ingest`` and the results stage, on the real editions.

Expected figures come from ``tests/golden/workforce`` (LibreOffice's reading of the same cells,
independent of the reader), never from the code under test.
"""

from __future__ import annotations

import csv
import math
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.documents.workforce_table import workforce_table
from scorecard.ingest import detect, ingest, ingest_path
from scorecard.periods import Month
from scorecard.store import Store
from scorecard.workforce import NoWorkforceFigures, WorkforceFigures, workforce_figures

ROOT = Path(__file__).resolve().parents[1]
WORKFORCE = ROOT.parent / "shared" / "data" / "workforce"
GOLDEN = ROOT / "tests" / "golden" / "workforce"
EDITIONS = sorted(WORKFORCE.glob("*.ods"))  # name order: sep18, sep19, jan17, sep16, sep15 - not date order
SEP19 = WORKFORCE / "police-workforce-sep19-tables.ods"
SEP18 = WORKFORCE / "police-workforce-sep18-tables.ods"
CHRONOLOGICAL = [WORKFORCE / f"{n}.ods" for n in ("police-workforce-tabs-30sep15", "police-workforce-tables-sep16",
                                                  "police-workforce-tables-jan17", "police-workforce-sep18-tables",
                                                  "police-workforce-sep19-tables")]


def golden(edition: Path, name: str, series: str, census_date: str) -> float:
    """The value LibreOffice read for one force, series and date of one edition."""
    lines = [line for line in (GOLDEN / f"{edition.stem}.tsv").read_text("utf-8").splitlines()
             if not line.startswith("#")]
    [row] = [r for r in csv.DictReader(lines, delimiter="\t")
             if (r["name"], r["series"], r["census_date"]) == (name, series, census_date)]
    return float(row["value"])


@pytest.fixture(scope="module")
def all_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the five editions, loaded in file-name order (as `ingest *.ods` would)."""
    path = tmp_path_factory.mktemp("workforce") / "store.duckdb"
    with Store.open(path) as store:
        ingest(store, EDITIONS)
    return path


@pytest.fixture
def store(all_editions: Path) -> Iterator[Store]:
    with Store.open(all_editions, read_only=True) as st:
        yield st


def values(figures: WorkforceFigures) -> dict[str, tuple[float | None, float | None]]:
    return {r.role.key: (r.earlier.value if r.earlier else None, r.later.value if r.later else None)
            for r in figures.roles}


def officers_fte_at_september_2018(store: Store) -> float:
    [(total,)] = store.con.execute("""SELECT sum(value) FROM observations WHERE series = 'officers_fte'
                                      AND first_month = DATE '2018-09-01' AND force_id <> 'btp'""").fetchall()
    return float(total)


def test_each_edition_is_detected_as_workforce_tables() -> None:
    assert {detect(p) for p in EDITIONS} == {"workforce"}


def test_west_midlands_headcount_at_31_march_2019_against_a_year_before(store: Store) -> None:
    figures = workforce_figures(store, "west-midlands", Month(2019, 3))
    assert (figures.earlier, figures.later, figures.basis, figures.unit) == (
        date(2018, 3, 31), date(2019, 3, 31), "headcount", "count")
    assert values(figures) == {
        "officers": (None, golden(SEP19, "West Midlands", "officers", "2019-03-31")),  # 6,641
        "staff": (None, golden(SEP19, "West Midlands", "staff", "2019-03-31")),
        "designated": (None, None),  # ".." in both editions: counted in police staff
        "pcsos": (None, golden(SEP19, "West Midlands", "pcsos", "2019-03-31")),
        "specials": (golden(SEP18, "West Midlands", "specials", "2018-03-31"),
                     golden(SEP19, "West Midlands", "specials", "2019-03-31")),
    }
    officers = figures.roles[0].later
    assert officers is not None and (officers.file_name, officers.sheet, officers.line) == (SEP19.name, "Table_7", 32)


def test_kent_holds_every_role_at_both_dates_of_the_headcount_tables(store: Store) -> None:
    figures = workforce_figures(store, "kent", Month(2019, 9), earlier=Month(2019, 3))
    for role, (before, after) in values(figures).items():
        assert before == golden(SEP19, "Kent", role, "2019-03-31"), role
        assert after == golden(SEP19, "Kent", role, "2019-09-30"), role


def test_west_mercia_full_time_equivalents_a_year_apart(store: Store) -> None:
    figures = workforce_figures(store, "west-mercia", Month(2019, 3), basis="fte")
    assert figures.unit == "fte"
    got = values(figures)
    assert got["officers"] == pytest.approx((golden(SEP18, "West Mercia", "officers_fte", "2018-03-31"),  # 1,974.34
                                             golden(SEP19, "West Mercia", "officers_fte", "2019-03-31")))  # 1,988.6
    assert got["specials"] == (None, None)  # special constables are published as a headcount only


def test_each_date_keeps_the_newest_editions_figures_whatever_the_load_order(store: Store,
                                                                             tmp_path: Path) -> None:
    """30 September 2018 is in the 2018 and (revised) the 2019 tables: loaded in name order, sep18
    comes first and sep19 revises it; loaded sep19 first, sep18 must not put the old figures back."""
    revised = golden(SEP19, "Total 43 forces", "officers_fte", "2018-09-30")  # 122,406.45
    assert revised - golden(SEP18, "Total 43 forces", "officers_fte", "2018-09-30") == pytest.approx(11)
    assert officers_fte_at_september_2018(store) == pytest.approx(revised)
    with Store.open(tmp_path / "chronological.duckdb") as other:
        ingest(other, CHRONOLOGICAL)
        query = "SELECT force_id, series, first_month, value FROM observations ORDER BY ALL"
        assert other.con.execute(query).fetchall() == store.con.execute(query).fetchall()
    with Store.open(tmp_path / "newest-first.duckdb") as newest_first:
        ingest_path(newest_first, SEP19)
        summary = ingest_path(newest_first, SEP18)
        assert summary["status"] == "loaded" and summary["rows"] == 502  # two of its three dates
        assert ("30 September 2018: not loaded from this file, because the store holds that date from a newer "
                "edition (police-workforce-sep19-tables.ods), which revises it") in summary["warnings"]
        assert officers_fte_at_september_2018(newest_first) == pytest.approx(revised)
        spans = newest_first.con.execute("SELECT file_name, first_month, last_month FROM loads ORDER BY 1").fetchall()
        assert spans == [(SEP18.name, date(2017, 9, 1), date(2018, 9, 1)),  # the file's span, not only what loaded
                         (SEP19.name, date(2018, 9, 1), date(2019, 9, 1))]


def test_a_newer_edition_records_what_it_revises(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest(store, [SEP18, SEP19])
        revised = {r["force_id"] for r in store.revisions() if r["dataset"] == "home_office_workforce"}
        assert revised  # the officers' total at 30 September 2018 rose by 11 FTE in the 2019 tables
        assert {r["what"] for r in store.revisions()} >= {"Sep 2018, series designated_fte: removed (not in the new "
                                                          "file)"}
        assert ingest_path(store, SEP19)["status"] == "unchanged"


def test_a_force_and_dates_with_no_figures_is_an_error_that_says_what_to_load(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NoWorkforceFigures, match=r"no police workforce headcount figures for West Midlands at "
                                                 r"31 March 2014 or 31 March 2013: load"):
        workforce_figures(store, "west-midlands", Month(2014, 3))
    with Store.open(tmp_path / "empty.duckdb") as empty, pytest.raises(NoWorkforceFigures):
        workforce_figures(empty, "kent", Month(2019, 3))


def test_the_annual_report_table_from_the_store(store: Store) -> None:
    table = workforce_table(workforce_figures(store, "west-midlands", Month(2019, 3)))
    assert table.caption == "Police workforce headcount, 31 March 2018 and 31 March 2019"
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert rows["Police officers"] == ["–", "6,641", "–", "–"]
    assert rows["Special constables"] == ["155", "179", "24", "+15%"]
    assert rows["Total"] == ["–", "10,819", "–", "–"]  # 6,641 + 3,562 + 437 + 179
    assert table.notes[0] == ("Source: Home Office, Police workforce, England and Wales: "
                              "police-workforce-sep18-tables.ods (sheet Table_6); police-workforce-sep19-tables.ods "
                              "(sheets Table_7, Table_8, Table_11 and Table_12).")


def test_scorecard_ingest_loads_the_september_2019_tables(tmp_path: Path) -> None:
    given = tmp_path / SEP19.name
    shutil.copyfile(SEP19, given)
    res = CliRunner().invoke(app, ["ingest", "--store", str(tmp_path / "s.duckdb"), str(given)])
    assert res.exit_code == 0, res.output
    assert "loaded 1,162 rows" in res.stdout
    assert "43 forces + BTP" in res.stdout
    with Store.open(tmp_path / "s.duckdb", read_only=True) as st:
        [(kind, dataset)] = st.con.execute("SELECT kind, dataset FROM loads").fetchall()
    assert (kind, dataset) == ("home_office_workforce_ods", "home_office_workforce")
    total = golden(SEP19, "Total 43 forces", "officers", "2019-03-31")
    with Store.open(tmp_path / "s.duckdb", read_only=True) as st:
        [(summed,)] = st.con.execute("""SELECT sum(value) FROM observations WHERE series = 'officers'
                                        AND first_month = DATE '2019-03-01' AND force_id <> 'btp'""").fetchall()
    assert math.isclose(summed, total)
