"""The report model for a real force and period, commentary, verify and check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.catalogue.schema import Catalogue
from scorecard.cli import app
from scorecard.errors import ConfigError, InputError
from scorecard.ingest import ingest_path
from scorecard.periods import parse
from scorecard.report.build import ReportConfig, build_report, judge
from scorecard.report.data import figures_rows, report_json, scorecard_rows
from scorecard.store import Store

runner = CliRunner()
DEMO_CONFIG = Path(__file__).resolve().parents[2] / "demo" / "report.yaml"


@pytest.fixture(scope="module")
def wm_report(real_store_path: Path, catalogue: Catalogue):  # type: ignore[no-untyped-def]
    with Store.open(real_store_path, read_only=True) as store:
        return build_report(store, catalogue, "west-midlands", parse("2021-22"))


def test_six_priorities_with_figures_and_national_metrics(wm_report) -> None:  # type: ignore[no-untyped-def]
    assert [s.number for s in wm_report.sections] == [1, 2, 3, 4, 5, 6]
    homicide = wm_report.sections[0]
    assert homicide.national_metrics[0].name == "Homicides"
    fig = {f.measure_id: f for f in homicide.figures}["homicide"]
    assert (fig.value, fig.baseline_value, fig.baseline_label) == (48, 52, "YE Jun 2019")
    assert homicide.applicability.applicable
    assert wm_report.baseline_long_label == "the year ending June 2019"


def test_charts_have_spc_and_text_alternatives(wm_report) -> None:  # type: ignore[no-untyped-def]
    charts = [c for s in wm_report.sections for c in s.charts]
    assert charts
    for c in charts:
        assert c.summary and c.points
        assert all(p.point_type for p in c.points)
    burglary = next(c for s in wm_report.sections for c in s.charts if c.measure_id == "burglary")
    assert burglary.points[0].label == "2018-19 Q2"


def test_caveats_mark_proxies_and_local_figures(wm_report) -> None:  # type: ignore[no-untyped-def]
    kinds = {c.kind for s in wm_report.sections for c in s.caveats}
    assert {"proxy", "local"} <= kinds


def test_scorecard_status_rules(wm_report, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    rows = {r.measure_id: r for r in wm_report.scorecard}
    assert rows["burglary"].status == "better_than_baseline"
    calls = catalogue.measure("calls_999_within_10s")
    assert judge(calls, 92.0, None, None, 90.0, ReportConfig())[0] == "target_met"
    assert judge(calls, 85.0, None, None, 90.0, ReportConfig())[0] == "target_missed"
    homicide = catalogue.measure("homicide")
    assert judge(homicide, 53, 52, 1.9, None, ReportConfig())[0] == "similar_to_baseline"
    assert judge(homicide, 60, 52, 15.4, None, ReportConfig())[0] == "worse_than_baseline"
    assert judge(homicide, 60, 52, 15.4, None, ReportConfig(similar_threshold_pct=20))[0] == "similar_to_baseline"


def test_json_and_csv_carry_every_figure_with_provenance(wm_report) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(report_json(wm_report))
    assert data["format"] == "policing-scorecard/report@1"
    rows = figures_rows(wm_report)
    homicide = next(r for r in rows if r["measure_id"] == "homicide")
    assert homicide["change_pct"] == -7.7
    assert homicide["source_files"] == "prc_pfa_long.parquet" and len(homicide["source_sha256"]) == 64
    assert {"status", "variation_type", "assurance_type"} <= set(scorecard_rows(wm_report)[0])


def test_applicability_is_configurable(tmp_path: Path, catalogue: Catalogue) -> None:
    cfg = tmp_path / "report.yaml"
    cfg.write_text("applicability:\n  fraud_cyber:\n    applicable: false\n    reason: Led regionally\n")
    config = ReportConfig.load(cfg, catalogue=catalogue)
    assert not config.applicability["fraud_cyber"].applicable
    cfg.write_text("applicability:\n  fraud_cyber: yes\n")
    with pytest.raises(ConfigError, match="expected a mapping of keys, found the boolean true") as info:
        ReportConfig.load(cfg, catalogue=catalogue)
    assert (info.value.where, info.value.line) == ("key applicability.fraud_cyber", 2)


def test_the_demo_configuration_loads(catalogue: Catalogue) -> None:
    config = ReportConfig.load(DEMO_CONFIG, catalogue=catalogue)
    assert config.notes and config.notes[0].startswith("Demonstration data")
    assert (config.similar_threshold_pct, config.scorecard_measures, config.commentary_dir) == (5.0, None, None)


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "report.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "where", "line", "says"),
    [
        # Issue 7: a quoted "false" was read as true and the priority published as applicable.
        ('applicability:\n  fraud_cyber:\n    applicable: "false"\n    reason: Led regionally\n',
         "applicability.fraud_cyber.applicable", 3, "found the text 'false': write true or false without quotes"),
        ("similar_treshold_pct: 10\n", "similar_treshold_pct", 1, "did you mean 'similar_threshold_pct'"),
        ("similar_threshold_pct: five\n", "similar_threshold_pct", 1, "expected a number, found the text 'five'"),
        ("similar_threshold_pct: -1\n", "similar_threshold_pct", 1, "greater than or equal to 0"),
        ("applicability:\n  fraud_cyber:\n    applicable: false\n", "applicability.fraud_cyber.reason", 2,
         "required key missing"),
        ("applicability:\n  fraud_cybre:\n    applicable: false\n    reason: Led regionally\n",
         "applicability.fraud_cybre", 2, "no priority 'fraud_cybre' in the catalogue (did you mean 'fraud_cyber'?)"),
        ("scorecard_measures: [homicide, burglery]\n", "scorecard_measures[1]", 1,
         "no measure 'burglery' in the catalogue (did you mean 'burglary'?)"),
        ("scorecard_measures: [homicide, homicide]\n", "scorecard_measures[1]", 1, "listed twice"),
        ("scorecard_measures: []\n", "scorecard_measures", 1, "at least 1 item"),
        ("title: National statement\ntitle: Another\n", "title", 2, "'title' appears twice, on lines 1 and 2"),
        ("commentary_dir: nowhere\n", "commentary_dir", 1, "is not a folder"),
    ],
)
def test_a_configuration_mistake_names_its_key_and_line(tmp_path: Path, catalogue: Catalogue, text: str,
                                                        where: str, line: int, says: str) -> None:
    with pytest.raises(ConfigError) as info:
        ReportConfig.load(_config(tmp_path, text), catalogue=catalogue)
    assert (info.value.where, info.value.line) == (f"key {where}", line)
    assert says in info.value.problem


def test_commentary_dir_is_read_beside_the_configuration(tmp_path: Path, catalogue: Catalogue) -> None:
    root = _commentary(tmp_path, "Burglary fell.\n")
    config = ReportConfig.load(_config(tmp_path, "commentary_dir: commentary\n"), catalogue=catalogue)
    assert config.commentary_dir == root
    assert ReportConfig.load(None, catalogue=catalogue, commentary_dir=root).commentary_dir == root


def test_a_missing_commentary_folder_is_an_error(tmp_path: Path, catalogue: Catalogue) -> None:
    with pytest.raises(ConfigError, match="no such file or folder"):
        ReportConfig.load(None, catalogue=catalogue, commentary_dir=tmp_path / "commentry")


def _commentary(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "commentary" / "west-midlands" / "2021-22"
    folder.mkdir(parents=True)
    (folder / "neighbourhood_crime.md").write_text(text, "utf-8")
    return tmp_path / "commentary"


def test_commentary_cites_figures_by_reference(tmp_path: Path, real_store_path: Path, catalogue: Catalogue) -> None:
    root = _commentary(tmp_path, "Burglary fell by {burglary.change_pct_abs}% to {burglary.value}.\n")
    with Store.open(real_store_path, read_only=True) as store:
        rep = build_report(store, catalogue, "west-midlands", parse("2021-22"), ReportConfig(commentary_dir=root))
    section = next(s for s in rep.sections if s.priority_id == "neighbourhood_crime")
    assert section.commentary is not None
    assert section.commentary.markdown == "Burglary fell by 30.2% to 20,021."


def test_unknown_reference_names_file_and_line(tmp_path: Path, real_store_path: Path, catalogue: Catalogue) -> None:
    root = _commentary(tmp_path, "Fine.\nBurglary {burglry.value}\n")
    with Store.open(real_store_path, read_only=True) as store, pytest.raises(InputError) as info:
        build_report(store, catalogue, "west-midlands", parse("2021-22"), ReportConfig(commentary_dir=root))
    assert info.value.line == 2 and "burglry" in str(info.value)


def test_check_flags_numbers_that_contradict_the_data(tmp_path: Path, real_store_path: Path) -> None:
    root = _commentary(tmp_path, "Burglary fell 30.2% to 20,021.\nBurglary fell 34% to 19,018.\n")
    res = runner.invoke(app, ["check", "--store", str(real_store_path), "--area", "west-midlands",
                              "--period", "2021-22", "--commentary", str(root)])
    assert res.exit_code == 1
    assert "line 2: 34%" in res.stdout and "line 2: 19,018" in res.stdout
    assert "line 1" not in res.stdout


def test_verify_lists_figures_revised_since_publication(tmp_path: Path, catalogue: Catalogue) -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    store_path = tmp_path / "s.duckdb"
    with Store.open(store_path) as store:
        ingest_path(store, shared / "home-office" / "prc_pfa_long.parquet")
    out = tmp_path / "out"
    res = runner.invoke(app, ["report", "--store", str(store_path), "--area", "west-midlands", "--period", "2021-22",
                              "--format", "json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    ok = runner.invoke(app, ["verify", "--store", str(store_path), str(out / "report.json")])
    assert ok.exit_code == 0 and "every figure agrees" in ok.stdout
    # A revised 2021-22 Q1 homicide figure for West Midlands arrives.
    revised = tmp_path / "revision.csv"
    revised.write_text(
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,"
        "Offence Code,Number of Offences\n"
        "2021/22,1,West Midlands,Murder,Violence against the person,Homicide,1,99\n")
    with Store.open(store_path) as store:
        ingest_path(store, revised)
    bad = runner.invoke(app, ["verify", "--store", str(store_path), str(out / "report.json")])
    assert bad.exit_code == 1
    assert "homicide.value: published 48.0, store now gives 129.0" in bad.stdout  # murders 18 -> 99
    assert "burglary" not in bad.stdout  # other offences of that force-quarter are untouched
