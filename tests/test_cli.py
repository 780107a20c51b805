"""The `scorecard` command as an analyst uses it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.catalogue.schema import Measure
from scorecard.cli import REVISION_COLUMNS, app

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[1] / "demo" / "data"
SPC_GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "spc-golden" / "series.csv"


def test_results_json_rows_carry_figures_and_provenance(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "West Midlands",
                              "--period", "2021-22", "--measure", "burglary", "--format", "json"])
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.stdout)
    for key in ("measure_id", "area_name", "period", "value", "baseline_value", "change", "change_pct", "provenance"):
        assert key in row
    assert (row["measure_id"], row["period"], row["baseline_period"]) == ("burglary", "2021-22", "YE Jun 2019")
    assert row["baseline_value"] == 28_681
    assert row["provenance"][0]["file"] == "prc_pfa_long.parquet"
    assert row["catalogue_version"]
    assert row["series"][0]["first"] == "2018-07"


def test_results_for_all_forces_as_csv(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "all", "--period", "2024-25 Q1",
                              "--measure", "neighbourhood_crime", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 43
    assert {r["period"] for r in rows} == {"2024-25 Q1"}


def test_results_table_for_sub_areas(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-mercia",
                              "--period", "2024 Q1", "--by", "local_authority", "--measure", "street_burglary"])
    assert res.exit_code == 0, res.output
    assert "Shropshire" in res.stdout and "5 of 12 months" in res.stdout


def test_bad_period_is_one_clear_line_and_exit_2(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-midlands",
                              "--period", "next Tuesday"])
    assert res.exit_code == 2
    assert "cannot read period 'next Tuesday'" in res.output
    assert "Traceback" not in res.output


def test_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(tmp_path / "none.duckdb"), "--area", "all",
                              "--period", "2024"])
    assert res.exit_code == 4 and "run `scorecard ingest` first" in res.output


def test_ingest_then_loads_then_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    demo = Path(__file__).resolve().parents[1] / "demo" / "data" / "local-series-west-mercia.csv"
    first = runner.invoke(app, ["ingest", "--store", str(store), str(demo)])
    assert first.exit_code == 0 and "loaded" in first.stdout
    again = runner.invoke(app, ["ingest", "--store", str(store), str(demo)])
    assert "already loaded, nothing changed" in again.stdout
    loads = runner.invoke(app, ["loads", "--store", str(store), "--format", "json"])
    [load] = json.loads(loads.stdout)
    assert load["file_name"] == "local-series-west-mercia.csv" and len(load["sha256"]) == 64


def test_store_from_environment(tmp_path: Path) -> None:
    store = tmp_path / "env.duckdb"
    demo = Path(__file__).resolve().parents[1] / "demo" / "data" / "local-series-west-mercia.csv"
    res = runner.invoke(app, ["ingest", str(demo)], env={"SCORECARD_STORE": str(store)})
    assert res.exit_code == 0 and store.exists()


def test_spc_on_a_real_series(tmp_path: Path) -> None:
    golden = csv.DictReader(io.StringIO(SPC_GOLDEN.read_text()))
    rows = [r for r in golden if r["force"] == "West Mercia" and r["series"] == "burglary"]
    series = tmp_path / "burglary.csv"
    series.write_text("date,value\n" + "".join(f"{r['date']},{r['y']}\n" for r in rows))
    res = runner.invoke(app, ["spc", str(series), "--direction", "decrease", "--target", "1500", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert len(out["points"]) == len(rows)
    assert {"mean", "lpl", "upl", "point_type"} <= set(out["points"][0])
    assert out["points"][-1]["point_type"] == "special_cause_improvement"
    bad = runner.invoke(app, ["spc", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 3  # a file that cannot be read is an input error


def test_catalogue_check() -> None:
    res = runner.invoke(app, ["catalogue", "check"])
    assert res.exit_code == 0 and "valid" in res.stdout


# --- sub-areas: what can be broken down, and how to ask -----------------------------------------


def test_results_by_local_authority_without_measure_uses_what_can_be_broken_down(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-mercia",
                              "--period", "2024 Q1", "--by", "local_authority", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["measure_id"] for r in rows} >= {"street_burglary", "street_asb", "street_violence_sexual"}
    assert {r["area_type"] for r in rows} == {"local_authority"}
    shropshire = next(r for r in rows if r["measure_id"] == "street_burglary" and r["area_name"] == "Shropshire")
    assert (shropshire["area_code"], shropshire["value"]) == ("E06000051", "225.0")
    # One line says which measures were left out and why; stdout stays pure CSV.
    [note] = res.stderr.splitlines()
    assert note.startswith("note: left out 15 measure(s) that cannot be broken down by local authority "
                           "(Home Office police recorded crime is published per force")
    assert "homicide, " in note and "stop_search_drugs" in note and "ons_burglary" in note


def test_results_by_csp_for_a_force_level_measure_says_why_not(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-mercia",
                              "--period", "2024 Q1", "--by", "csp", "--measure", "homicide"])
    assert res.exit_code == 2
    assert res.stderr.startswith("error: homicide cannot be broken down by CSP "
                                 "(Home Office police recorded crime is published per force); measures that can: ")
    assert "street_burglary" in res.stderr and "Traceback" not in res.output


def test_results_by_csp_for_a_local_series_held_only_force_wide_says_so(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-mercia",
                              "--period", "2022-23 Q1", "--by", "csp", "--measure", "homicides_local",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == []
    assert "no CSP figures for homicides_local in West Mercia: the local series loaded give them for the whole " \
           "force only" in res.stderr


def test_sub_areas_of_every_force_are_shown_with_their_force(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "all", "--period", "2024 Q1",
                              "--by", "csp", "--measure", "street_burglary"])
    assert res.exit_code == 0, res.output
    assert "Shropshire" in res.stdout and "Location not known" in res.stdout


@pytest.mark.parametrize(
    ("area", "says"),
    [
        ("Shropshire", "error: Shropshire is a local authority and a CSP in West Mercia: ask for "
                       "`--area west-mercia --by local_authority` or `--area west-mercia --by csp`"),
        ("Herefordshire, County of", "error: Herefordshire, County of is a CSP in West Mercia: ask for "
                                     "`--area west-mercia --by csp`"),
        ("Birmingham", "error: Birmingham is a local authority and a CSP in West Midlands"),
        ("Atlantis", "error: unknown area 'Atlantis': give a force id or name, or 'all'; `scorecard areas` lists"),
        ("West Mercai", "error: unknown area 'West Mercai' (did you mean 'west-mercia'?)"),
    ],
)
def test_an_area_that_is_not_a_force_says_what_to_ask_for(real_store_path: Path, area: str, says: str) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", area, "--period", "2024 Q1"])
    assert res.exit_code == 2
    assert res.stderr.startswith(says), res.stderr


def test_an_unknown_area_without_a_store_still_suggests_a_force(tmp_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(tmp_path / "none.duckdb"), "--area", "West Mercai",
                              "--period", "2024 Q1"])
    assert res.exit_code == 2 and "(did you mean 'west-mercia'?)" in res.stderr


def test_an_unknown_measure_suggests_the_closest(real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-mercia",
                              "--period", "2024 Q1", "--measure", "street_burglery"])
    assert res.exit_code == 2 and "(did you mean 'street_burglary'?)" in res.stderr


# --- areas: forces, their local authorities and CSPs --------------------------------------------


def test_areas_lists_every_force_with_its_codes(real_store_path: Path) -> None:
    res = runner.invoke(app, ["areas", "--store", str(real_store_path), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = {r["force_id"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    assert rows["west-mercia"] == {"force_id": "west-mercia", "name": "West Mercia", "ons_code": "E23000016",
                                   "region": "West Midlands Region", "local_authorities": "9", "csps": "5"}
    assert len([r for r in rows.values() if r["ons_code"].startswith(("E23", "W15"))]) == 43


def test_areas_for_one_force_lists_its_local_authorities_and_csps(real_store_path: Path) -> None:
    res = runner.invoke(app, ["areas", "--store", str(real_store_path), "--force", "West Mercia", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {"force_id": "west-mercia", "area_type": "local_authority", "code": "E07000239", "name": "Wyre Forest",
            "csp_code": "E22000368", "csp_name": "North Worcestershire"} in rows
    assert {"force_id": "west-mercia", "area_type": "csp", "code": "E22000326", "name": "Herefordshire, County of",
            "csp_code": None, "csp_name": None} in rows
    table = runner.invoke(app, ["areas", "--store", str(real_store_path), "--force", "west-mercia"])
    assert "Telford and Wrekin" in table.stdout and "--by local_authority" in table.stdout


def test_areas_without_a_store_lists_the_forces_and_says_why_only_those(tmp_path: Path) -> None:
    res = runner.invoke(app, ["areas", "--store", str(tmp_path / "none.duckdb"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["local_authorities"] for r in rows} == {""}
    assert "note: forces only: no store at" in res.stderr


# --- provenance and the catalogue as CSV and JSON -----------------------------------------------


def test_loads_and_revisions_as_csv(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    first = DEMO / "local-series-west-mercia.csv"
    assert runner.invoke(app, ["ingest", "--store", str(store), str(first)]).exit_code == 0
    # The force corrects its 2022-23 Q1 homicide count in a later return.
    corrected = tmp_path / "local-series-west-mercia-corrected.csv"
    corrected.write_text("force,series,period,value,note\nWest Mercia,homicides,2022-23 Q1,5,corrected return\n")
    assert runner.invoke(app, ["ingest", "--store", str(store), str(corrected)]).exit_code == 0

    loads = runner.invoke(app, ["loads", "--store", str(store), "--format", "csv"])
    assert loads.exit_code == 0, loads.output
    rows = list(csv.DictReader(io.StringIO(loads.stdout)))
    assert [r["file_name"] for r in rows] == ["local-series-west-mercia.csv", "local-series-west-mercia-corrected.csv"]
    assert len(rows[0]["sha256"]) == 64 and rows[0]["rows"] == "9"

    revisions = runner.invoke(app, ["revisions", "--store", str(store), "--format", "csv"])
    assert revisions.exit_code == 0, revisions.output
    [rev] = list(csv.DictReader(io.StringIO(revisions.stdout)))
    assert (rev["force_id"], rev["old_load_id"], rev["new_load_id"], rev["old_total"], rev["new_total"]) == (
        "west-mercia", "1", "2", "4.0", "5.0")
    assert list(rev) == list(REVISION_COLUMNS)


def test_an_empty_store_gives_csv_headers(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["ingest", "--store", str(store), str(DEMO / "local-series-west-mercia.csv")]
                         ).exit_code == 0
    res = runner.invoke(app, ["revisions", "--store", str(store), "--format", "csv"])
    assert res.exit_code == 0 and res.stdout == ",".join(REVISION_COLUMNS) + "\n"


def test_catalogue_list_gives_every_field_of_every_measure() -> None:
    as_json = runner.invoke(app, ["catalogue", "list", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    measures = {m["id"]: m for m in json.loads(as_json.stdout)}
    assert set(measures["homicide"]) == set(Measure.model_fields)
    assert measures["street_burglary"]["dataset"] == "police_uk_street"
    as_csv = runner.invoke(app, ["catalogue", "list", "--format", "csv"])
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert list(rows["homicide"]) == list(Measure.model_fields)
    assert (rows["burglary"]["title"], rows["burglary"]["unit"], rows["burglary"]["direction"]) == (
        "Burglary (all)", "count", "decrease")
    assert json.loads(rows["burglary"]["filter"]) == measures["burglary"]["filter"]
    table = runner.invoke(app, ["catalogue", "list"])
    assert "street_theft_from_the_person" in table.stdout  # ids are never cut short


def test_fetch_from_something_other_than_a_web_address_is_a_usage_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["fetch", "--force", "west-mercia", "--month", "2024-01", "--dest", str(tmp_path),
                              "--base-url", "file:///etc/"])
    assert res.exit_code == 2 and "is not an http(s) URL" in res.stderr


def test_fetch_for_a_local_authority_names_its_force(tmp_path: Path, real_store_path: Path) -> None:
    res = runner.invoke(app, ["fetch", "--force", "Shropshire", "--month", "2024-01", "--dest", str(tmp_path),
                              "--store", str(real_store_path)])
    assert res.exit_code == 2
    assert res.stderr == ("error: Shropshire is a local authority and a CSP in West Mercia: "
                          "ask for `--force west-mercia`\n")
    assert not any(tmp_path.iterdir())  # nothing was downloaded


def test_any_series_the_store_holds_can_be_asked_for_without_a_catalogue_entry(real_store_path: Path) -> None:
    """ONS Table P1 gives West Midlands 21,542 residential burglaries in the year ending June 2019
    (the issue's own example); a local series' uncurated id reads with the file's label and unit
    (seed 001 para 18: 124 NRM referrals mentioning county lines, January to December 2021)."""
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-midlands", "--period",
                              "YE Jun 2019", "--measure", "ons.residential_burglary", "--format", "json"])
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.stdout)
    assert (row["measure"], row["value"], row["unit"]) == ("Residential burglary", 21_542, "count")
    local = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-midlands", "--period",
                                "Jan 2021 to Dec 2021", "--measure", "local.nrm_referrals_county_lines",
                                "--format", "json"])
    [nrm] = json.loads(local.stdout)
    assert (nrm["measure"], nrm["value"]) == ("National Referral Mechanism referrals mentioning county lines", 124)
    listed = runner.invoke(app, ["catalogue", "list", "--held", "--store", str(real_store_path), "--format", "csv"])
    assert "ons.residential_burglary," in listed.stdout and "local.nrm_referrals_county_lines," in listed.stdout


def test_importing_the_command_does_not_load_duckdb() -> None:
    """`scorecard --help` and `scorecard version` must start quickly (issue 12): DuckDB, pyarrow and
    the store are imported by the commands that use them, not by the command line itself."""
    import subprocess
    import sys

    code = "import scorecard.cli, sys; print('duckdb' in sys.modules, 'pyarrow' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


POLICE_UK = Path(__file__).resolve().parents[2] / "shared" / "data" / "police-uk"


def test_a_data_police_uk_load_needs_neither_pyarrow_nor_richs_progress_bar(tmp_path: Path) -> None:
    """A month's archive into a store is the national analyst's monthly job (issue 12): a third
    of its time was starting up, so what only a table file or a terminal needs is not loaded."""
    import subprocess
    import sys

    code = ("import sys; from scorecard.cli import app\n"
            "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('pyarrow' in sys.modules, 'rich.progress' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "ingest", "--store", str(tmp_path / "s.duckdb"),
                           str(POLICE_UK / "2018-10.zip")], capture_output=True, text=True, check=True)
    assert "loaded 358,382 rows" in done.stdout
    assert done.stdout.splitlines()[-1].split() == ["False", "False"]


def test_a_load_on_a_terminal_shows_a_bar_that_ends_full(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    archives = [POLICE_UK / "2018-10.zip", POLICE_UK / "2018-11.zip"]  # 32.5 MB: over the 20 MB a bar needs
    total = sum(a.stat().st_size for a in archives) / 1e6
    exe = str(Path(sys.executable).parent / "scorecard")
    done = subprocess.run([exe, "ingest", "--store", str(tmp_path / "s.duckdb"), *map(str, archives)],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"})
    assert "ingesting" in done.stderr
    assert f"{total:.1f}/{total:.1f} MB" in done.stderr
    assert done.stdout.count(": loaded ") == 2


def test_version_answered_directly_prints_what_the_command_prints() -> None:
    """`scorecard version` alone skips typer's parsing (`cli._Scorecard`): the same line, exit code 0."""
    import subprocess
    import sys

    code = "import sys; from scorecard.cli import app; sys.argv = ['scorecard', 'version']; sys.exit(app())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, runner.invoke(app, ["version"]).stdout, "")
