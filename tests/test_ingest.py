"""``scorecard ingest``: what each file is, where every load came from, and revisions.

Works from the real files in ``../shared/data`` and the bundled demo data.  The Home Office
parquet is loaded once into a template store; each test gets its own copy.  Home Office
CSVs in the official layout are built from the parquet's own rows for one force-quarter
(West Mercia, 2018-19 Q2), so a "newer file" is the real figures with one number changed.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import lookup_workbook, private_copy, store_holding
from scorecard.catalogue.schema import load_catalogue
from scorecard.cli import app
from scorecard.errors import InputError, UnknownForce
from scorecard.ingest import detect, ingest, ingest_path
from scorecard.periods import parse
from scorecard.results import ResultsEngine
from scorecard.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEMO = Path(__file__).resolve().parents[1] / "demo" / "data"
POLICE_UK = SHARED / "police-uk"
PRC_PARQUET = SHARED / "home-office" / "prc_pfa_long.parquet"
ONS_WORKBOOKS = sorted((SHARED / "ons").glob("*.xlsx"))
pytestmark = pytest.mark.skipif(not PRC_PARQUET.exists(), reason="needs ../shared/data")

OFFICIAL_HEADER = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description",
                   "Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences"]
LOCAL_HEADER = "force,series,series_label,period,value,numerator,denominator,unit,note\n"


# --- helpers -----------------------------------------------------------------------------

def fingerprint(store: Store) -> dict[str, Any]:
    return store.fingerprint()


def west_mercia_quarter() -> list[dict[str, Any]]:
    """West Mercia's 131 offence codes for 2018-19 Q2 (Jul-Sep 2018), as the parquet holds them."""
    table = pq.read_table(PRC_PARQUET, filters=[("FY", "=", "2018/19"), ("Force", "=", "West Mercia"),
                                                ("Financial Quarter", "=", 2.0)])
    return table.to_pylist()


def official_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Rows written as the Home Office publishes them (its column names, whole numbers)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(OFFICIAL_HEADER)
        for r in rows:
            out.writerow([r["FY"], int(r["Financial Quarter"]), r["Force"], r["Offence Description"], r["Group"],
                          r["Offence Subgroup"], r["Offence Code"], int(r["n"])])
    return path


def homicides(store: Store, force_id: str, period: str) -> Any:
    (result,) = ResultsEngine(store, load_catalogue()).compute(
        [load_catalogue().measure("homicide")], parse(period), force_ids=[force_id])
    return result.current


@pytest.fixture(scope="module")
def prc_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store_holding(tmp_path_factory, "prc", PRC_PARQUET)


@pytest.fixture
def prc(prc_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A store holding the real Home Office parquet (a private copy for this test)."""
    yield from private_copy(prc_template, tmp_path)


def refused(store: Store, path: Path) -> InputError:
    """Ingest ``path``, expecting an InputError naming it, and check the store did not change."""
    before = fingerprint(store)
    with pytest.raises(InputError) as caught:
        ingest_path(store, path)
    assert fingerprint(store) == before
    assert caught.value.file == str(path)
    return caught.value


# --- detect(): what is this file? ----------------------------------------------------------

@pytest.fixture(scope="module")
def police_uk_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A month's CSV as a force downloads it, on its own and in a folder."""
    folder = tmp_path_factory.mktemp("downloads") / "2018-10"
    folder.mkdir()
    with zipfile.ZipFile(POLICE_UK / "2018-10.zip") as zf:
        csv_path = folder / "2018-10-west-mercia-street.csv"
        csv_path.write_bytes(zf.read("2018-10/2018-10-west-mercia-street.csv"))
    return {"folder": folder, "csv": csv_path}


@pytest.mark.parametrize(("path", "kind"), [
    (POLICE_UK / "2018-10.zip", "police_uk"),
    (POLICE_UK / "2024-04.zip", "police_uk"),
    (POLICE_UK / "stop-and-search-2019-12.zip", "police_uk"),
    (POLICE_UK / "thames-valley-2022-01-custom-download.zip", "police_uk"),
    (DEMO / "west-mercia-street-sample.zip", "police_uk"),
    (PRC_PARQUET, "home_office"),
    (DEMO / "prc_pfa_long.parquet", "home_office"),
    *[(p, "ons") for p in ONS_WORKBOOKS],
    (DEMO / "policeforceareatablesyearendingjune2019.xlsx", "ons"),
    (DEMO / "local-series-west-midlands.csv", "local_series"),
    (DEMO / "local-series-west-mercia.csv", "local_series"),
], ids=lambda v: v.name if isinstance(v, Path) else v)
def test_detect_recognises_each_real_file(path: Path, kind: str) -> None:
    assert detect(path) == kind


def test_detect_recognises_a_downloaded_csv_and_its_folder(police_uk_files: dict[str, Path]) -> None:
    assert detect(police_uk_files["csv"]) == "police_uk"
    assert detect(police_uk_files["folder"]) == "police_uk"


def test_detect_recognises_a_home_office_csv_in_the_official_layout(tmp_path: Path) -> None:
    assert detect(official_csv(tmp_path / "prc-pfa.csv", west_mercia_quarter())) == "home_office"


@pytest.mark.parametrize("path", [
    SHARED / "lookups" / "forces.csv",
    SHARED / "home-office" / "outcomes_2024_25.parquet",
    SHARED / "lookups" / "pfa-boundaries-dec2023-buc.geojson",
], ids=lambda p: p.name)
def test_detect_refuses_a_file_it_does_not_read(path: Path) -> None:
    with pytest.raises(InputError) as caught:
        detect(path)
    assert caught.value.file == str(path)
    assert "not a file type the scorecard reads" in caught.value.problem
    assert "docs/local-series.md" in caught.value.problem  # points to what it does read


def test_detect_refuses_a_workbook_it_does_not_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a file type the scorecard reads"):
        detect(lookup_workbook(tmp_path))


@pytest.mark.parametrize("name", ["police-workforce-sep19-tables.ods", "police-workforce-sep18-tables.ods",
                                  "police-workforce-tables-jan17.ods", "police-workforce-tables-sep16.ods",
                                  "police-workforce-tabs-30sep15.ods"])
def test_detect_recognises_every_workforce_edition(name: str) -> None:
    assert detect(SHARED / "workforce" / name) == "workforce"


def test_detect_a_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        detect(tmp_path / "missing.zip")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        detect(tmp_path / "empty.csv")


def test_a_police_uk_csv_must_keep_its_published_name(tmp_path: Path, police_uk_files: dict[str, Path]) -> None:
    renamed = tmp_path / "west mercia october.csv"
    shutil.copyfile(police_uk_files["csv"], renamed)
    assert detect(renamed) == "police_uk"  # by its header
    with Store.open(tmp_path / "s.duckdb") as store:
        err = refused(store, renamed)
    assert "YYYY-MM-<force>-street.csv" in err.problem


# --- provenance and reloading -------------------------------------------------------------

def test_a_home_office_load_records_where_it_came_from(tmp_path: Path) -> None:
    started = datetime.now().replace(microsecond=0)
    with Store.open(tmp_path / "s.duckdb") as store:
        summary = ingest_path(store, PRC_PARQUET)

        assert summary["status"] == "loaded"
        assert summary["rows"] == 321_893
        (load,) = store.con.execute("SELECT * FROM loads").fetchall()
        row = dict(zip([d[0] for d in store.con.description], load, strict=True))
        assert row["load_id"] == summary["load_id"]
        assert row["path"] == str(PRC_PARQUET)
        assert row["file_name"] == "prc_pfa_long.parquet"
        assert row["sha256"] == hashlib.sha256(PRC_PARQUET.read_bytes()).hexdigest()
        assert row["bytes"] == PRC_PARQUET.stat().st_size
        assert row["kind"] == "home_office_prc_parquet"
        assert row["dataset"] == "home_office_prc"
        assert row["rows"] == 321_893
        assert row["covers"] == "2012-13 Q1 to 2025-26 Q3, 43 forces + 5 other bodies"
        assert (row["first_month"], row["last_month"]) == (date(2012, 4, 1), date(2025, 12, 1))
        assert started <= row["loaded_at"] <= datetime.now() + timedelta(seconds=1)
        # The real tables' 426 negative counts are kept, and the load says so.
        assert len(row["warnings"]) == 1
        assert "426 row(s) have a negative Number of Offences" in row["warnings"][0]
        assert store.con.execute(
            "SELECT count(*), count(DISTINCT load_id) FROM observations").fetchall() == [(321_893, 1)]


def test_loading_the_same_home_office_file_again_changes_nothing(prc: Store, tmp_path: Path) -> None:
    before = fingerprint(prc)

    again = ingest_path(prc, PRC_PARQUET)
    copy = tmp_path / "renamed.parquet"
    shutil.copyfile(PRC_PARQUET, copy)
    renamed = ingest_path(prc, copy)

    assert (again["status"], again["rows"]) == ("unchanged", 0)
    assert renamed["status"] == "unchanged"  # recognised by its checksum, not its name
    [first_load] = prc.loads()
    assert again["load_id"] == renamed["load_id"] == first_load["load_id"]
    assert fingerprint(prc) == before


def test_loading_a_local_series_again_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        first = ingest_path(store, DEMO / "local-series-west-midlands.csv")
        before = fingerprint(store)
        again = ingest_path(store, DEMO / "local-series-west-midlands.csv")
        assert first["status"] == "loaded"
        assert again["status"] == "unchanged"
        assert fingerprint(store) == before


# --- revisions ---------------------------------------------------------------------------

def test_a_newer_home_office_file_replaces_a_force_quarter(prc: Store, tmp_path: Path) -> None:
    # The Home Office revises West Mercia's 2018-19 Q2: one more murder (code 1).
    rows = west_mercia_quarter()
    assert len(rows) == 131
    old_total = sum(r["n"] for r in rows)
    for r in rows:
        if r["Offence Code"] == "1":
            r["n"] += 1
    revised = official_csv(tmp_path / "prc-pfa-revised.csv", rows)
    (old_load,) = [ld["load_id"] for ld in prc.loads()]
    assert homicides(prc, "west-mercia", "2018-19 Q2").value == 3
    others = prc.con.execute("SELECT count(*), sum(value) FROM observations WHERE NOT "
                             "(force_id = 'west-mercia' AND first_month = '2018-07-01')").fetchall()

    summary = ingest_path(prc, revised)

    assert summary["status"] == "loaded"
    assert (summary["rows"], summary["covers"]) == (131, "2018-19 Q2, 1 force")
    new_load = summary["load_id"]
    # The force-quarter now comes from the new file alone; everything else is untouched.
    assert prc.con.execute(
        """SELECT load_id, count(*), sum(value) FROM observations
           WHERE force_id = 'west-mercia' AND first_month = '2018-07-01' GROUP BY ALL""").fetchall() == [
        (new_load, 131, old_total + 1)]
    assert prc.con.execute("SELECT count(*), sum(value) FROM observations WHERE NOT "
                           "(force_id = 'west-mercia' AND first_month = '2018-07-01')").fetchall() == others
    # One figure changed, so one revision (per offence code), naming both loads and both values.
    (revision,) = prc.revisions()
    assert revision["dataset"] == "home_office_prc"
    assert revision["force_id"] == "west-mercia"
    assert revision["what"] == "2018-19 Q2, series 1"  # July-September 2018, offence class 1 (murder)
    assert (revision["old_load_id"], revision["new_load_id"]) == (old_load, new_load)
    assert (revision["old_rows"], revision["new_rows"]) == (1, 1)
    assert (revision["old_total"], revision["new_total"]) == (2, 3)  # murders, code 1
    # The new file has its own provenance row.
    assert [(ld["file_name"], ld["kind"], ld["rows"]) for ld in prc.loads()] == [
        ("prc_pfa_long.parquet", "home_office_prc_parquet", 321_893),
        ("prc-pfa-revised.csv", "home_office_prc_csv", 131)]
    # Results use the revised figure, and say where it came from.
    figure = homicides(prc, "west-mercia", "2018-19 Q2")
    assert (figure.value, figure.status, figure.load_ids) == (4, "complete", (new_load,))
    # Loading the revised file again changes nothing.
    settled = fingerprint(prc)
    assert ingest_path(prc, revised)["status"] == "unchanged"
    assert fingerprint(prc) == settled


def test_a_correction_file_with_only_the_changed_offence(prc: Store, tmp_path: Path) -> None:
    """A file carrying one offence code revises that code and leaves the quarter's others alone."""
    (murders,) = [r for r in west_mercia_quarter() if r["Offence Code"] == "1"]
    murders["n"] = 3
    correction = official_csv(tmp_path / "correction.csv", [murders])
    (old_load,) = [ld["load_id"] for ld in prc.loads()]

    new_load = ingest_path(prc, correction)["load_id"]

    assert prc.con.execute(
        """SELECT load_id, count(*) FROM observations
           WHERE force_id = 'west-mercia' AND first_month = '2018-07-01' GROUP BY ALL ORDER BY ALL"""
    ).fetchall() == [(old_load, 130), (new_load, 1)]
    (revision,) = prc.revisions()
    assert (revision["old_total"], revision["new_total"]) == (2, 3)
    figure = homicides(prc, "west-mercia", "2018-19 Q2")  # murder, manslaughter, infanticide...
    assert (figure.value, figure.load_ids) == (4, (old_load, new_load))


def test_the_same_figures_in_another_form_are_not_a_revision(prc: Store, tmp_path: Path) -> None:
    same = official_csv(tmp_path / "prc-pfa.csv", west_mercia_quarter())

    summary = ingest_path(prc, same)

    assert summary["status"] == "loaded"  # a new file, so a new load ...
    assert prc.revisions() == []  # ... but no figure changed
    assert homicides(prc, "west-mercia", "2018-19 Q2").value == 3
    assert prc.con.execute("SELECT count(*) FROM observations").fetchall() == [(321_893,)]


def test_a_corrected_local_figure_replaces_the_old_one(tmp_path: Path) -> None:
    correction = tmp_path / "west-mercia-correction.csv"
    correction.write_text(LOCAL_HEADER + "West Mercia,homicides,,2022-23 Q1,5,,,,Corrected after review\n")
    with Store.open(tmp_path / "s.duckdb") as store:
        first = ingest_path(store, DEMO / "local-series-west-mercia.csv")

        second = ingest_path(store, correction)

        (revision,) = store.revisions()
        assert revision["dataset"] == "local_series"
        assert (revision["old_load_id"], revision["new_load_id"]) == (first["load_id"], second["load_id"])
        assert (revision["old_total"], revision["new_total"]) == (4, 5)
        assert store.con.execute(
            """SELECT value, load_id FROM observations
               WHERE series = 'homicides' AND first_month = '2022-07-01'""").fetchall() == []
        assert store.con.execute(
            """SELECT value, load_id FROM observations
               WHERE series = 'homicides' AND first_month = '2022-04-01'""").fetchall() == [(5, second["load_id"])]


# --- bad aggregate files -----------------------------------------------------------------

def test_a_home_office_file_with_an_unknown_force(prc: Store, tmp_path: Path) -> None:
    rows = west_mercia_quarter()
    rows[5]["Force"] = "Gotham City"  # line 7: the header is line 1
    path = official_csv(tmp_path / "prc-pfa.csv", rows)

    err = refused(prc, path)

    assert isinstance(err, UnknownForce)
    assert err.line == 7
    assert "'Gotham City'" in err.problem


@pytest.mark.parametrize(("change", "problem"), [
    (lambda rows: rows[9].update({"Offence Code": ""}), "Offence Code is blank"),
    (lambda rows: rows[9].update({"Offence Code": rows[3]["Offence Code"]}), "is given twice: also at line 5"),
    (lambda rows: rows[9].update({"Financial Quarter": 5}), "Financial Quarter must be 1, 2, 3 or 4"),
], ids=["blank offence code", "offence code twice", "quarter 5"])
def test_a_home_office_file_with_a_bad_offence_row(prc: Store, tmp_path: Path, change: Any, problem: str) -> None:
    rows = west_mercia_quarter()
    change(rows)
    path = official_csv(tmp_path / "prc-pfa.csv", rows)

    err = refused(prc, path)

    assert err.line == 11
    assert problem in err.problem
    assert homicides(prc, "west-mercia", "2018-19 Q2").value == 3


def test_a_local_series_percentage_over_100(prc: Store, tmp_path: Path) -> None:
    path = tmp_path / "west-midlands.csv"
    path.write_text(LOCAL_HEADER
                    + "West Midlands,homicides,,YE Jun 2019,52,,,,Seed 001 para 4\n"
                    + "West Midlands,calls_999_answered_in_sla,,2023-24,104.2%,,,,mistyped 94.2\n")

    err = refused(prc, path)

    assert err.line == 3
    assert err.problem == "percentage 104.2 is over 100"


def test_a_bad_file_stops_a_batch_and_keeps_what_was_loaded_before_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(LOCAL_HEADER + "Gotham,homicides,,2022-23 Q1,5,,,,\n")
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(UnknownForce) as caught:
            ingest(store, [DEMO / "local-series-west-mercia.csv", bad, DEMO / "local-series-west-midlands.csv"])

        assert caught.value.line == 2
        assert [ld["file_name"] for ld in store.loads()] == ["local-series-west-mercia.csv"]


def test_the_command_line_reports_a_bad_file_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text(LOCAL_HEADER + "West Midlands,calls_999_answered_in_sla,,2023-24,104.2%,,,,\n")

    result = CliRunner().invoke(app, ["ingest", "--store", str(store), str(bad)])

    assert result.exit_code == 3  # a bad file (usage errors are 2)
    assert "percentage 104.2 is over 100" in result.output
    assert "Traceback" not in result.output
    with Store.open(store) as opened:
        assert opened.loads() == []


# --- a replacement never removes a figure without saying so ---------------------------------

ONS_JUNE_2019 = DEMO / "policeforceareatablesyearendingjune2019.xlsx"


def ons_without(tmp_path: Path, force_name: str, column_label: str) -> Path:
    """The real ONS June 2019 workbook with one force's figure printed as ".." (not available)."""
    import openpyxl

    wb = openpyxl.load_workbook(ONS_JUNE_2019)
    sheet = wb["Table P1"]
    header = [c.value for c in sheet[5]]
    column = header.index(column_label) + 1
    row = next(r[0].row for r in sheet.iter_rows(min_row=6) if r[1].value == force_name)
    sheet.cell(row=row, column=column, value="..")
    path = tmp_path / "ons-ye-jun-2019-corrected.xlsx"
    wb.save(path)
    return path


def test_a_replacement_that_no_longer_holds_a_figure_says_so(tmp_path: Path) -> None:
    """West Midlands' residential burglary, YE Jun 2019, is 21,542 in Table P1 (the published
    workbook, row 34); a corrected edition that prints ".." for it replaces the force's year,
    so the figure leaves the store — on the command line and in revisions, never silently."""
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest_path(store, ONS_JUNE_2019)
        corrected = ons_without(tmp_path, "West Midlands", "Residential burglary5")
        summary = ingest_path(store, corrected)
        removed = [r for r in store.revisions() if "removed" in str(r["what"])]
        held = store.con.execute(
            "SELECT count(*) FROM observations WHERE force_id = 'west-midlands' AND series = 'residential_burglary'"
        ).fetchall()[0][0]

    assert summary["removed"] == [
        "West Midlands, Residential burglary (YE Jun 2019, series residential_burglary) was 21,542 and is not "
        "in this file: removed from the store (see `scorecard revisions`)"]
    assert summary["warnings"][0] == summary["removed"][0]
    [revision] = removed
    assert (revision["force_id"], revision["old_total"], revision["new_rows"], revision["new_total"]) == (
        "west-midlands", 21_542, 0, None)
    assert revision["what"] == "YE Jun 2019, series residential_burglary: removed (not in the new file)"
    assert held == 0


def test_the_command_line_names_a_removed_figure(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--store", str(store), str(ONS_JUNE_2019)]).exit_code == 0
    corrected = ons_without(tmp_path, "West Midlands", "Residential burglary5")

    result = runner.invoke(app, ["ingest", "--store", str(store), str(corrected)])
    listed = runner.invoke(app, ["revisions", "--store", str(store), "--format", "json"])

    assert result.exit_code == 0, result.output
    assert "Residential burglary (YE Jun 2019, series residential_burglary) was 21,542" in result.output
    assert "removed (not in the new file)" in listed.stdout
