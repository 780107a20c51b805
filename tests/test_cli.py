"""The `scorecard` command as an analyst uses it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from scorecard.cli import app

runner = CliRunner()
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
