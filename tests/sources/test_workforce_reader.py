"""The Home Office police workforce tables, read from the five real editions (ODS, as published).

Every figure the reader gives for West Midlands, West Mercia and Kent, and the sum of its 43
forces against each table's "Total 43 forces", is compared with ``tests/golden/workforce``: the
same cells exported by LibreOffice, without this reader (each golden file says how).
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pyarrow as pa
import pytest

from scorecard.areas import find_force, territorial_forces
from scorecard.sources import workforce
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile

ROOT = Path(__file__).resolve().parents[2]
WORKFORCE = ROOT.parent / "shared" / "data" / "workforce"
GOLDEN = ROOT / "tests" / "golden" / "workforce"
EDITIONS = sorted(WORKFORCE.glob("*.ods"))
SEP19 = WORKFORCE / "police-workforce-sep19-tables.ods"
SEP18 = WORKFORCE / "police-workforce-sep18-tables.ods"
ONS = ROOT / "demo" / "data" / "policeforceareatablesyearendingjune2019.xlsx"
HEADCOUNT = ("officers", "staff", "designated", "staff_and_designated", "pcsos", "specials")


@dataclass(frozen=True)
class Golden:
    sheet: str
    line: int
    name: str
    series: str
    census_date: date
    value: str  # as LibreOffice wrote it; ".." is not available


def golden(edition: Path) -> list[Golden]:
    path = GOLDEN / f"{edition.stem}.tsv"
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    return [Golden(r["sheet"], int(r["line"]), r["name"], r["series"], date.fromisoformat(r["census_date"]),
                   r["value"]) for r in csv.DictReader(lines, delimiter="\t")]


@cache
def parsed(edition: Path) -> ParsedFile:
    return workforce.read_workforce(edition)


def stored(edition: Path) -> dict[tuple[str, str, date], dict[str, object]]:
    """(force, series, month) -> the observation row."""
    rows = parsed(edition).table.to_pylist()
    out = {(r["force_id"], r["series"], r["first_month"]): r for r in rows}
    assert len(out) == len(rows), "a force, series and month given twice"
    return out


def month(d: date) -> date:
    return date(d.year, d.month, 1)


def test_there_is_a_golden_file_for_every_edition() -> None:
    assert [p.stem for p in EDITIONS] == sorted(p.stem for p in GOLDEN.glob("*.tsv"))
    assert len(EDITIONS) == 5


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_each_force_figure_is_the_one_libreoffice_reads(edition: Path) -> None:
    held = stored(edition)
    checked = 0
    for g in golden(edition):
        if g.name == "Total 43 forces":
            continue
        fid = find_force(g.name)
        assert fid in ("west-midlands", "west-mercia", "kent"), g
        row = held.get((fid, g.series, month(g.census_date)))
        if g.value == "..":
            assert row is None, f"{g}: not available, but stored as {row}"
            continue
        assert row is not None, f"{g}: not stored"
        assert math.isclose(row["value"], float(g.value), rel_tol=1e-12, abs_tol=1e-9), (g, row["value"])
        assert (row["source_sheet"], row["source_line"]) == (g.sheet, g.line)
        assert row["unit"] == ("fte" if g.series.endswith("_fte") else "count")
        checked += 1
    assert checked >= 40


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_the_43_forces_add_up_to_each_tables_published_total(edition: Path) -> None:
    table = parsed(edition).table
    rows = table.to_pylist()
    for g in (g for g in golden(edition) if g.name == "Total 43 forces"):
        figures = [r["value"] for r in rows if r["series"] == g.series and r["first_month"] == month(g.census_date)
                   and r["force_id"] != "btp"]
        assert math.isclose(sum(figures), float(g.value), rel_tol=1e-9), g


def test_headcount_is_published_only_from_31_march_2019_and_specials_always() -> None:
    """What the module docstring says each edition holds: a headcount of officers, staff, designated
    officers and PCSOs only in the September 2019 tables, at two dates; specials at every date."""
    for edition in EDITIONS:
        table = parsed(edition).table
        pairs = Counter(zip(table.column("series").to_pylist(), table.column("first_month").to_pylist(), strict=True))
        headcount = {(s, m) for s, m in pairs if s in HEADCOUNT and s != "specials"}
        if edition == SEP19:
            assert {m for _, m in headcount} == {date(2019, 3, 1), date(2019, 9, 1)}
            assert {s for s, _ in headcount} == {"officers", "staff", "designated", "staff_and_designated", "pcsos"}
        else:
            assert headcount == set(), edition.name
        assert len({m for s, m in pairs if s == "specials"}) == 3, edition.name
        assert all(s in HEADCOUNT or s.endswith("_fte") for s, _ in pairs)


def test_every_force_and_btp_are_read_once_per_series_and_date() -> None:
    table = parsed(SEP19).table
    officers = [r for r in table.to_pylist() if r["series"] == "officers" and r["first_month"] == date(2019, 3, 1)]
    ids = sorted(r["force_id"] for r in officers)
    assert ids == sorted([f.force_id for f in territorial_forces()] + ["btp"])
    assert sum(r["value"] for r in officers if r["force_id"] != "btp") == 125_793  # "Total 43 forces", B60
    assert table.schema == OBSERVATION_SCHEMA


def test_the_force_west_midlands_is_not_the_region_of_the_same_name() -> None:
    """The region "West Midlands " (11,069 officers) sits above Staffordshire; the force (6,641) below
    West Mercia.  Only a trailing space tells them apart, which the reader does not rely on."""
    held = stored(SEP19)
    assert held[("west-midlands", "officers", date(2019, 3, 1))]["value"] == 6641
    assert held[("west-midlands", "officers", date(2019, 3, 1))]["area_code"] == "E23000014"


def test_a_stock_is_stored_for_its_one_census_month() -> None:
    rows = parsed(SEP19).table.to_pylist()
    assert all(r["first_month"] == r["last_month"] for r in rows)
    assert {r["first_month"] for r in rows} == {date(2018, 9, 1), date(2019, 3, 1), date(2019, 9, 1)}
    assert {r["series_group"] for r in rows} == {"headcount", "fte"}


def test_figures_not_available_are_left_out_with_a_warning_never_zero() -> None:
    result = parsed(SEP19)
    designated = [w for w in result.warnings if "'Table_9'" in w and "not available" in w]
    assert len(designated) == 1
    assert "13 forces" in designated[0] and "West Midlands" in designated[0] and "(not zero)" in designated[0]
    held = stored(SEP19)
    assert ("norfolk", "pcsos", date(2019, 3, 1)) not in held
    assert ("kent", "designated", date(2019, 3, 1)) in held


def test_a_headcount_that_is_not_whole_is_kept_as_published_with_a_warning() -> None:
    held = stored(SEP19)
    assert held[("staffordshire", "designated", date(2019, 9, 1))]["value"] == 122.45
    assert any("Staffordshire's headcount of 122.45 at 30 September 2019" in w and "cell C29" in w
               for w in parsed(SEP19).warnings)


def test_older_editions_print_zero_where_a_force_cannot_count_designated_officers() -> None:
    """The September 2017 tables (file "jan17") print 0.0 for West Mercia's designated officers, where
    later editions print "..": 0 is what was published, so 0 is stored."""
    jan17 = WORKFORCE / "police-workforce-tables-jan17.ods"
    held = stored(jan17)
    assert held[("west-mercia", "designated_fte", date(2017, 9, 1))]["value"] == 0
    assert ("west-midlands", "designated_fte", date(2017, 3, 1)) not in held  # ".."


def test_what_the_file_covers_is_summarised() -> None:
    covers = parsed(SEP19).covers
    assert covers.startswith("30 Sep 2018, 31 Mar 2019, 30 Sep 2019; 43 forces + BTP; headcount: ")
    assert "FTE: " in covers


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_every_edition_is_recognised(edition: Path) -> None:
    assert workforce.looks_like_workforce(edition)


def test_other_workbooks_are_not_taken_for_workforce_tables(tmp_path: Path) -> None:
    assert not workforce.looks_like_workforce(ONS)
    assert not workforce.looks_like_workforce(tmp_path / "missing.ods")


def test_month_end_is_the_census_date_a_month_stands_for() -> None:
    assert workforce.month_end(date(2019, 3, 1)) == date(2019, 3, 31)
    assert workforce.month_end(date(2018, 9, 1)) == date(2018, 9, 30)
    assert workforce.month_end(date(2019, 12, 1)) == date(2019, 12, 31)
    assert workforce.month_end(date(2020, 2, 1)) == date(2020, 2, 29)


def test_without_dates_leaves_out_the_months_a_newer_edition_holds() -> None:
    sep18 = parsed(SEP18)
    kept = workforce.without_dates(sep18, {date(2018, 9, 1): "police-workforce-sep19-tables.ods"})
    months = set(kept.table.column("first_month").to_pylist())
    assert months == {date(2017, 9, 1), date(2018, 3, 1)}
    assert kept.table.num_rows == sep18.table.num_rows * 2 // 3
    assert kept.warnings[-1] == ("30 September 2018: not loaded from this file, because the store holds that date "
                                 "from a newer edition (police-workforce-sep19-tables.ods), which revises it")
    assert workforce.without_dates(sep18, {date(2020, 3, 1): "x.ods"}) is sep18


def test_series_keys_and_labels_say_the_basis() -> None:
    role = workforce.ROLES["police officers"]
    assert workforce.series_key(role, "headcount") == "officers"
    assert workforce.series_key(role, "fte") == "officers_fte"
    assert workforce.series_label(role, "fte") == "Police officers (FTE)"
    assert isinstance(parsed(SEP19).table, pa.Table)
