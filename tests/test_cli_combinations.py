"""Every command and option combination the README's "Using it" block and the commands' --help
document, run on a real store: each ends with exit 0 and the output it promises, or with the
documented refusal — one line, the exit code of its kind, never a traceback or "internal error".

This is the guard for "every documented combination works or says why".  A case is a command
line as an analyst types it (``{store}`` is a store holding the Home Office table, the ONS June
2019 tables, West Mercia's data.police.uk street crime and both local series), the exit code,
and what the output must hold.  ``test_every_command_in_the_readme_is_covered`` fails when the
README documents a command that has no case here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

import pytest
from typer.testing import CliRunner, Result

from conftest import lookup_workbook
from scorecard.cli import app, catalogue_app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "data"
SHARED = ROOT.parent / "shared"
POLICE_UK = SHARED / "data" / "police-uk"
BUILT_IN_CATALOGUE = ROOT / "src" / "scorecard" / "catalogue" / "measures.yaml"

runner = CliRunner()

Output = Literal["text", "csv", "json"]


@dataclass(frozen=True)
class Case:
    """One command line, its exit code, and what stdout and stderr must hold."""

    line: str
    exit_code: int = 0
    output: Output = "text"
    says: tuple[str, ...] = ()  # on stdout (exit 0) or stderr (a refusal)
    notes: tuple[str, ...] = ()  # on stderr alongside a good answer
    min_rows: int = 1  # for csv and json

    def __str__(self) -> str:
        return self.line


def run(line: str, **paths: Path) -> Result:
    args = [a.format(**{k: str(v) for k, v in paths.items()}) for a in shlex.split(line)]
    return runner.invoke(app, args)


def check(case: Case, res: Result) -> None:
    assert res.exit_code == case.exit_code, f"{case.line}: exit {res.exit_code}\n{res.output}"
    assert "Traceback" not in res.output and "internal error" not in res.output, res.output
    if case.exit_code != 0:
        # A refusal is one line on stderr (click's own usage errors draw a box), nothing on stdout.
        assert res.stdout == "", res.stdout
        if not res.stderr.startswith("Usage:"):
            assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
        for text in case.says:
            assert text in res.stderr, (text, res.stderr)
        return
    for text in case.says:
        assert text in res.stdout, (text, res.stdout)
    for text in case.notes:
        assert text in res.stderr, (text, res.stderr)
    if case.output == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert len(rows) >= case.min_rows, res.stdout
    elif case.output == "json":
        doc = json.loads(res.stdout)
        assert len(doc) >= case.min_rows, res.stdout


# --- results ---------------------------------------------------------------------------------------

# scorecard results --area west-midlands --period 2021-22 [--measure burglary ...] --format table|csv|json
# scorecard results --area all --period "2024-25 Q1" --format csv
# scorecard results --area west-mercia --period "2024 Q1" --by local_authority   # or --by csp
LEFT_OUT = "note: left out 15 measure(s) that cannot be broken down by"
RESULTS = [
    Case("results --store {store} --area west-midlands --period 2021-22 --measure burglary --format table",
         says=("Burglary (all)", "West Midlands", "20,021", "28,681", "\u221230%")),  # the statements' text
    Case("results --store {store} --area west-midlands --period 2021-22 --measure burglary --measure robbery "
         "--format csv", output="csv", min_rows=2, says=("burglary,", "robbery,")),
    Case("results --store {store} --area west-midlands --period 2021-22 --measure burglary --format json",
         output="json", says=('"baseline_value": 28681', '"provenance"')),
    Case("results --store {store} --area west-midlands --period 2021-22", says=("Homicide", "Burglary (all)")),
    Case("results --store {store} --area west-midlands --period 2021-22 --format csv", output="csv", min_rows=10),
    Case("results --store {store} --area west-midlands --period 2021-22 --format json", output="json", min_rows=10),
    Case("results --store {store} --area all --period '2024-25 Q1' --format csv", output="csv", min_rows=43 * 10),
    Case("results --store {store} --area all --period '2024-25 Q1' --measure neighbourhood_crime",
         says=("Avon and Somerset", "Wiltshire")),
    Case("results --store {store} --area all --period '2024-25 Q1' --measure burglary --format json",
         output="json", min_rows=43),
    # --by without --measure: only what can be broken down, and one line on what was left out.
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by local_authority",
         says=("Burglary (police.uk)", "Shropshire", "Wyre Forest", "Outside the force area"),
         notes=(LEFT_OUT + " local authority",)),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by local_authority --format csv",
         output="csv", min_rows=9 * 10, says=(",local_authority,E06000051,Shropshire,",), notes=(LEFT_OUT,)),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by local_authority --format json",
         output="json", min_rows=9 * 10, notes=(LEFT_OUT,)),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by csp",
         says=("North Worcestershire", "Herefordshire, County of"), notes=(LEFT_OUT + " CSP",)),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by csp --format csv", output="csv",
         min_rows=5 * 10, says=(",csp,E22000368,North Worcestershire,",)),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by csp --format json", output="json",
         min_rows=5 * 10),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by local_authority "
         "--measure street_burglary", says=("Shropshire", "225", "5 of 12 months")),
    Case("results --store {store} --area all --period '2024 Q1' --by csp --measure street_burglary --format csv",
         output="csv", min_rows=5),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by force --measure street_burglary",
         says=("West Mercia", "1,041")),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --include-empty",
         says=("Homicide", "no_data")),
    Case("results --store {store} --area west-mercia --period 2024-25 --catalogue " + str(BUILT_IN_CATALOGUE),
         says=("Homicide",)),
    # An area written any way the force lookup knows.
    Case("results --store {store} --area 'West Midlands Police' --period 2021-22 --measure homicide",
         says=("West Midlands", "48")),
    Case("results --store {store} --area E23000014 --period 2021-22 --measure homicide", says=("48",)),
    Case("results --store {store} --area ALL --period 2021-22 --measure homicide --format csv", output="csv",
         min_rows=43),
    # The refusals, each saying why.
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by csp --measure homicide", 2,
         says=("homicide cannot be broken down by CSP", "measures that can: ")),
    Case("results --store {store} --area west-mercia --period '2024 Q1' --by local_authority "
         "--measure street_burglary --measure stop_search_drugs", 2,
         says=("stop_search_drugs cannot be broken down by local authority (stop and search records carry no LSOA",)),
    Case("results --store {store} --area Shropshire --period '2024 Q1'", 2,
         says=("Shropshire is a local authority and a CSP in West Mercia: ask for "
               "`--area west-mercia --by local_authority` or `--area west-mercia --by csp`",)),
    Case("results --store {store} --area 'Herefordshire, County of' --period '2024 Q1'", 2,
         says=("is a CSP in West Mercia: ask for `--area west-mercia --by csp`",)),
    Case("results --store {store} --area Atlantis --period 2024", 2,
         says=("unknown area 'Atlantis': give a force id or name, or 'all'",)),
    Case("results --store {store} --area 'west mercya' --period 2024", 2, says=("(did you mean 'west-mercia'?)",)),
    Case("results --store {store} --area west-mercia --period 2024 --measure burglery", 2,
         says=("no measure 'burglery' in the catalogue (did you mean 'burglary'?)",)),
    Case("results --store {store} --area west-mercia --period 'next Tuesday'", 2,
         says=("cannot read period 'next Tuesday'",)),
    Case("results --store {store} --area west-mercia --period 2024 --format xml", 2, says=("'xml'",)),
    Case("results --store {store} --area west-mercia --period 2024 --by lsoa", 2, says=("'lsoa'",)),
    Case("results --store {missing} --area west-mercia --period 2024", 4, says=("run `scorecard ingest` first",)),
]

# Every way the README writes a period.
PERIODS = [("2024-25 Q1", "2024-25 Q1"), ("2024-25", "2024-25"), ("2024/25", "2024-25"),
           ("YE Jun 2019", "YE Jun 2019"), ("year ending June 2019", "YE Jun 2019"), ("2024 Q1", "2024 Q1"),
           ("2024", "2024"), ("2024-06", "Jun 2024"), ("Jun 2024", "Jun 2024"),
           ("Jan 2021 to Dec 2021", "Jan 2021 to Dec 2021")]


# --- provenance, catalogue, areas, version --------------------------------------------------------

# scorecard loads | revisions
# scorecard catalogue list | check | schema
# scorecard version
OTHERS = [
    Case("loads --store {store}", says=("prc_pfa_long.parquet", "west-mercia-street-sample.zip")),
    Case("loads --store {store} --format table", says=("local-series-west-mercia.csv",)),
    Case("loads --store {store} --format csv", output="csv", min_rows=5,
         says=("load_id,file_name,kind,dataset,rows,covers,loaded_at,sha256\n",)),
    Case("loads --store {store} --format json", output="json", min_rows=5, says=('"sha256"',)),
    Case("revisions --store {store}", says=("no revisions: nothing loaded has been replaced",)),
    Case("revisions --store {store} --format csv", min_rows=0, output="csv", says=("revised_at,dataset,force_id,",)),
    Case("revisions --store {store} --format json", output="json", min_rows=0, says=("[]",)),
    Case("loads --store {missing}", 4, says=("run `scorecard ingest` first",)),
    Case("catalogue list", says=("street_theft_from_the_person", "Theft from the person (police.uk)",
                                 "police_uk_street")),
    Case("catalogue list --format csv", output="csv", min_rows=30, says=("id,title,priority,role,",)),
    Case("catalogue list --format json", output="json", min_rows=30, says=('"direction": "decrease"',)),
    Case("catalogue list --catalogue " + str(BUILT_IN_CATALOGUE), says=("homicide",)),
    Case("catalogue check", says=("the built-in catalogue: catalogue", "valid")),
    Case("catalogue check --catalogue " + str(BUILT_IN_CATALOGUE), says=("measures.yaml: catalogue", "valid")),
    Case("catalogue check --catalogue {missing}", 3, says=("none.duckdb",)),
    Case("catalogue schema", output="json", says=('"Measure"',)),
    Case("version", says=(".",)),
    Case("areas --store {store}", says=("west-mercia", "West Mercia", "E23000016", "West Midlands Region")),
    Case("areas --store {store} --format csv", output="csv", min_rows=43,
         says=("force_id,name,ons_code,region,local_authorities,csps\n", "west-mercia,West Mercia,E23000016,")),
    Case("areas --store {store} --format json", output="json", min_rows=43),
    Case("areas --store {missing} --format csv", output="csv", min_rows=43, notes=("note: forces only: no store",)),
    Case("areas --store {store} --force west-mercia", says=("Shropshire", "E06000051", "North Worcestershire")),
    Case("areas --store {store} --force 'West Mercia' --format csv", output="csv", min_rows=14,
         says=("west-mercia,local_authority,E07000239,Wyre Forest,E22000368,North Worcestershire",)),
    Case("areas --store {store} --force west-mercia --format json", output="json", min_rows=14),
    Case("areas --store {store} --force Shropshire", 2, says=("ask for `--force west-mercia`",)),
    Case("areas --store {store} --force Atlantis", 2, says=("unknown area 'Atlantis': give a force id or name;",)),
    Case("areas --store {missing} --force west-mercia", 4, says=("run `scorecard ingest` first",)),
]


@pytest.mark.parametrize("case", RESULTS + OTHERS, ids=str)
def test_documented_combination(case: Case, real_store_path: Path, tmp_path: Path) -> None:
    check(case, run(case.line, store=real_store_path, missing=tmp_path / "none.duckdb"))


@pytest.mark.parametrize(("written", "label"), PERIODS)
def test_every_way_of_writing_a_period(written: str, label: str, real_store_path: Path) -> None:
    res = runner.invoke(app, ["results", "--store", str(real_store_path), "--area", "west-midlands",
                              "--period", written, "--measure", "burglary", "--format", "csv"])
    assert res.exit_code == 0, res.output
    [row] = list(csv.DictReader(io.StringIO(res.stdout)))
    assert row["period"] == label


def test_the_store_from_the_environment(real_store_path: Path) -> None:
    res = runner.invoke(app, ["loads", "--format", "csv"], env={"SCORECARD_STORE": str(real_store_path)})
    assert res.exit_code == 0 and "prc_pfa_long.parquet" in res.stdout


# --- ingest: zip archives, folders, CSV/XLSX/ODS/parquet; type detected ---------------------------

def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "extracted"
    with zipfile.ZipFile(DEMO / "west-mercia-street-sample.zip") as z:
        z.extractall(folder)
    return folder


INGESTS = [
    (DEMO / "west-mercia-street-sample.zip", "loaded 83,407 rows"),  # a zip archive
    (None, "loaded 83,407 rows"),  # the same archive extracted into a folder
    (DEMO / "local-series-west-mercia.csv", "loaded 9 rows"),  # CSV
    (DEMO / "policeforceareatablesyearendingjune2019.xlsx", "loaded 1,012 rows"),  # XLSX
    (DEMO / "prc_pfa_long.parquet", "loaded 321,893 rows"),  # parquet
]


@pytest.mark.parametrize(("path", "says"), INGESTS, ids=["zip", "folder", "csv", "xlsx", "parquet"])
def test_ingest_each_kind_of_file(path: Path | None, says: str, tmp_path: Path) -> None:
    given = path or _folder(tmp_path)
    store = tmp_path / "s.duckdb"
    first = runner.invoke(app, ["ingest", "--store", str(store), str(given)])
    assert first.exit_code == 0, first.output
    assert says in first.stdout and f"store: {store}" in first.stdout
    again = runner.invoke(app, ["ingest", "--store", str(store), str(given)])
    assert again.exit_code == 0 and "already loaded, nothing changed" in again.stdout


def test_ingest_several_paths_in_one_command(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["ingest", "--store", str(store), str(DEMO / "local-series-west-midlands.csv"),
                              str(DEMO / "local-series-west-mercia.csv")])
    assert res.exit_code == 0 and res.stdout.count("loaded") == 2


def test_ingest_a_workbook_of_another_kind_says_what_it_reads(tmp_path: Path) -> None:
    # A real table in a spreadsheet (the forces lookup, saved as XLSX), but not one the scorecard reads.
    res = runner.invoke(app, ["ingest", "--store", str(tmp_path / "s.duckdb"), str(lookup_workbook(tmp_path))])
    assert res.exit_code == 3
    assert "not a file type the scorecard reads: expected a data.police.uk archive" in res.stderr


def test_ingest_a_path_that_is_not_there(tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", "--store", str(tmp_path / "s.duckdb"), str(tmp_path / "nothing.zip")])
    assert res.exit_code == 3 and "no such file or folder" in res.stderr


# --- fetch --force west-mercia --month 2024-01 [--month ...] ---------------------------------------

@pytest.fixture(scope="module")
def archive_site() -> Iterator[str]:
    """data.police.uk's archive folder as a local web site, serving the real monthly archives."""
    handler = partial(_QuietHandler, directory=str(POLICE_UK))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_fetch_two_months_and_load_them(archive_site: str, tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["fetch", "--force", "west-mercia", "--month", "2024-01", "--month", "2024-02",
                              "--dest", str(tmp_path / "dl"), "--base-url", archive_site, "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "fetched 2 file(s)" in res.stdout and res.stdout.count("loaded") == 2
    assert (tmp_path / "dl" / "2024-01" / "2024-01-west-mercia-street.csv").is_file()
    loads = runner.invoke(app, ["loads", "--store", str(store), "--format", "json"])
    assert {load["file_name"] for load in json.loads(loads.stdout)} == {"2024-01-west-mercia-street.csv",
                                                                        "2024-02-west-mercia-street.csv"}


def test_fetch_without_loading(archive_site: str, tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["fetch", "--force", "West Mercia Police", "--month", "Jan 2024", "--no-ingest",
                              "--dest", str(tmp_path / "dl"), "--base-url", archive_site, "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "fetched 1 file(s)" in res.stdout and "loaded" not in res.stdout and not store.exists()


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--force", "west-mercia", "--month", "2031-01"], 5, "archive 2031-01 not published (404)"),
        (["--force", "west mercya", "--month", "2024-01"], 2, "(did you mean 'west-mercia'?)"),
        (["--force", "west-mercia", "--month", "January"], 2, "cannot read"),
    ],
    ids=["unpublished-month", "unknown-force", "bad-month"],
)
def test_fetch_refusals(args: list[str], code: int, says: str, archive_site: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["fetch", *args, "--dest", str(tmp_path / "dl"), "--base-url", archive_site,
                              "--store", str(tmp_path / "s.duckdb")])
    assert res.exit_code == code, res.output
    assert says in res.stderr and res.stderr.startswith("error: ") and "Traceback" not in res.output


# --- spc series.csv --direction decrease --target 1500 --format json -------------------------------

@pytest.fixture
def burglary_series(tmp_path: Path) -> Path:
    """West Mercia's quarterly burglary, from the golden SPC series."""
    golden = (SHARED / "spc-golden" / "series.csv").read_text("utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(golden)) if r["force"] == "West Mercia" and r["series"] == "burglary"]
    path = tmp_path / "series.csv"
    path.write_text("date,value\n" + "".join(f"{r['date']},{r['y']}\n" for r in rows))
    return path


SPC = [
    Case("spc {series} --direction decrease --target 1500 --format json", output="json",
         says=('"assurance_icon"', '"points"')),
    Case("spc {series}", output="csv", min_rows=20, says=("date,",)),
    Case("spc {series} --format table", output="csv", min_rows=20),
    Case("spc {series} --format csv --direction neutral --rebase 2020-04-01 --fix-after 12 --no-screen-outliers "
         "--shift-length 8 --trend-length 6", output="csv", min_rows=20),
    Case("spc {missing}", 3, says=("none.duckdb",)),
]
# A bad option value is the command line's fault: exit 2, naming the option.
SPC_OPTION_MISTAKES = [
    pytest.param(Case(line, 2, says=(option,)), id=line)
    for line, option in (("spc {series} --rebase April", "--rebase"), ("spc {series} --fix-after 1", "--fix-after"),
                         ("spc {series} --shift-length 0", "--shift-length"))
]


@pytest.mark.parametrize("case", [*SPC, *SPC_OPTION_MISTAKES], ids=str)
def test_spc(case: Case, burglary_series: Path, tmp_path: Path) -> None:
    check(case, run(case.line, series=burglary_series, missing=tmp_path / "none.duckdb"))


# --- report, verify, check ------------------------------------------------------------------------

# scorecard report --area west-midlands --period 2021-22 --format html,docx,pdf,json,csv --out out/report
# scorecard verify out/report/report.json
# scorecard check --area west-midlands --period 2021-22 --commentary commentary/
def test_report_then_verify(real_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    res = run("report --store {store} --area west-midlands --period 2021-22 --format html,docx,pdf,json,csv "
              "--config {config} --out {out}", store=real_store_path, config=ROOT / "demo" / "report.yaml", out=out)
    assert res.exit_code == 0, res.output
    for name in ("report.json", "figures.csv", "statement.html", "statement.docx", "statement.pdf"):
        assert (out / name).is_file() and str(out / name) in res.stdout
    assert not (out / "scorecard.csv").exists()  # a statement has a scorecard only when it is configured
    verified = run("verify --store {store} {report}", store=real_store_path, report=out / "report.json")
    assert verified.exit_code == 0 and "every figure agrees with the store" in verified.stdout


# scorecard report --area west-midlands --period "2021-22 Q4" --document board-paper --config board.yaml
def test_board_paper_with_its_scorecard(real_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "board"
    res = run("report --store {store} --area west-midlands --period '2021-22 Q4' --document board-paper "
              "--format html,json,csv --config {config} --out {out}", store=real_store_path,
              config=ROOT / "demo" / "config" / "west-midlands-2022-05-board-paper.yaml", out=out)
    assert res.exit_code == 0, res.output
    for name in ("report.json", "figures.csv", "scorecard.csv", "board-paper.html"):
        assert (out / name).is_file()


# scorecard report --area all --period "2024-25 Q1" --format html,json
def test_every_force_with_an_index(real_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "all"
    res = run("report --store {store} --area all --period '2024-25 Q1' --format json --out {out}",
              store=real_store_path, out=out)
    assert res.exit_code == 0, res.output
    assert len(list(out.glob("*/report.json"))) == 43 and (out / "index.html").is_file()


@pytest.mark.parametrize(
    ("line", "code", "says"),
    [
        ("report --store {store} --area west-midlands --period 2021-22 --format xls --out {out}", 2,
         "unknown format(s) xls"),
        ("report --store {store} --area Atlantis --period 2021-22 --format json --out {out}", 2, "unknown area"),
        ("verify --store {store} {out}/report.json", 3, "report.json"),
    ],
    ids=["bad-format", "unknown-area", "no-report"],
)
def test_report_and_verify_refusals(line: str, code: int, says: str, real_store_path: Path, tmp_path: Path) -> None:
    res = run(line, store=real_store_path, out=tmp_path)
    assert res.exit_code == code, res.output
    assert says in res.stderr and "Traceback" not in res.output


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("Burglary fell 30.2% to 20,021.\n", 0, ("commentary agrees with the data",)),
        ("Burglary fell 34% to 19,018.\n", 1, ("neighbourhood_crime.md, line 1", "34%", "19,018")),
    ],
    ids=["agrees", "differs"],
)
def test_check_commentary(text: str, code: int, says: tuple[str, ...], real_store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "commentary" / "west-midlands" / "2021-22"
    folder.mkdir(parents=True)
    (folder / "neighbourhood_crime.md").write_text(text, "utf-8")
    res = run("check --store {store} --area west-midlands --period 2021-22 --commentary {commentary}",
              store=real_store_path, commentary=tmp_path / "commentary")
    assert res.exit_code == code, res.output
    assert all(text in res.stdout for text in says), res.stdout


# --- --help, and the README -----------------------------------------------------------------------

def _command_names() -> list[list[str]]:
    top = [[c.name or c.callback.__name__] for c in app.registered_commands if c.callback]
    sub = [["catalogue", c.name or c.callback.__name__] for c in catalogue_app.registered_commands if c.callback]
    return [[], *top, ["catalogue"], *sub]


@pytest.mark.parametrize("command", _command_names(), ids=lambda c: " ".join(c) or "scorecard")
def test_help(command: list[str]) -> None:
    res = runner.invoke(app, [*command, "--help"])
    assert res.exit_code == 0 and "Usage: " in res.stdout and "Options" in res.stdout


def _covered() -> set[str]:
    lines = [c.line for c in RESULTS + OTHERS + SPC]
    names = {" ".join(line.split()[:2]) if line.startswith("catalogue") else line.split()[0] for line in lines}
    # annual-report's cases are in tests/documents/test_annual_report.py; serve, web adduser,
    # web demo-users and site build run as real processes in tests/web/test_commands.py
    return names | {"ingest", "fetch", "report", "verify", "check", "annual-report", "serve", "web", "adduser", "site"}


def test_every_command_in_the_readme_is_covered() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("## Using it", 1)[1].split("```", 2)[1]
    documented: set[str] = set()
    for line in block.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 2 or words[0] != "scorecard":
            continue
        # "scorecard loads | revisions", "scorecard catalogue list | check | schema"
        if words[1] == "catalogue":
            documented |= {f"catalogue {w}" for w in words[2:] if re.fullmatch(r"[a-z]+", w)}
        elif "|" in words:
            documented |= {w for w in words[1:] if re.fullmatch(r"[a-z]+", w)}
        else:
            documented.add(words[1])
    assert documented, "no commands found in the README's Using it block"
    assert documented <= _covered(), documented - _covered()


def test_read_only_commands_leave_the_store_as_it_was(real_store_path: Path, tmp_path: Path) -> None:
    """The read-only cases leave the shared store as it was (a copy is compared, byte for byte)."""
    before = tmp_path / "before.duckdb"
    shutil.copyfile(real_store_path, before)
    for case in RESULTS[:3] + OTHERS[:6]:
        run(case.line, store=real_store_path, missing=tmp_path / "none.duckdb")
    assert before.read_bytes() == real_store_path.read_bytes()
