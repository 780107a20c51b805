"""``scorecard check FILE...`` as an analyst runs it: the seeds (as text) and the documents the
project writes (HTML, Word and PDF), against the bundled data; the summary and problems first;
JSON and an accessible HTML page; the exit code saying whether anything is wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from scorecard.catalogue.schema import Catalogue
from scorecard.claims.check import Against, check_file
from scorecard.claims.store_figures import StoreFigures
from scorecard.cli import app
from scorecard.store import Store

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
runner = CliRunner()


def seed(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def run(*args: str, store: Path | None = None) -> Any:
    return runner.invoke(app, ["check", *args, *(["--store", str(store)] if store else ["--no-store"])])


def test_the_command_puts_the_summary_and_the_problems_first_and_exits_1(real_store_path: Path) -> None:
    res = run(str(seed("003")), store=real_store_path)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert " claims in 1 document: 4 inconsistent with the document, " in lines[0]
    assert "contradict" not in lines[0]
    assert lines[1].startswith(f"Figures checked against the store {real_store_path}; a count within 1% or 1")
    assert lines[2].startswith("003_") and lines[2].endswith("4 problems")
    assert all(line.startswith("  INCONSISTENT") for line in lines[3:7])


def test_json_gives_every_claim_with_its_place_verdict_reason_and_the_store_s_side(real_store_path: Path) -> None:
    res = run(str(seed("000")), "--format", "json", store=real_store_path)
    assert res.exit_code == 0
    report = json.loads(res.stdout)
    assert report["problems"] == 0
    assert "3 differ from the data within tolerance, 4 agree with the data" in report["summary"]
    (doc,) = report["documents"]
    assert doc["force_id"] == "west-midlands" and doc["period"] == "2024-25 Q1"
    drugs = next(c for c in doc["claims"] if c["line"] == 34 and c["kind"] == "count against the data")
    assert drugs["verdict"] == "differs within tolerance" and drugs["where"] == "paragraph 19, line 34"
    assert drugs["section"] == "Disrupt drug supply and county lines"
    assert drugs["store"]["value"] == "7,500" and drugs["store"]["loads"] == [1]


def test_the_tolerance_is_the_user_s_to_set_and_is_stated(real_store_path: Path) -> None:
    strict = run(str(seed("000")), "--tolerance", "0%,0", "--tolerance-points", "0", store=real_store_path)
    assert strict.exit_code == 1 and "a count within 0% or 0 of the store's value" in strict.stdout
    assert "CONTRADICTS: paragraph 19, line 34" in strict.stdout
    assert run(str(seed("000")), "--tolerance", "lots", store=real_store_path).exit_code == 2
    assert run(str(seed("000")), "--tolerance-points", "-1", store=real_store_path).exit_code == 2


def test_without_a_store_only_the_document_is_checked_and_the_output_says_so() -> None:
    res = run(str(seed("001")), "--format", "json")
    report = json.loads(res.stdout)
    assert res.exit_code == 1 and report["store"].startswith("Not checked against any store")
    assert {c["kind"] for d in report["documents"] for c in d["claims"]} <= {
        "change", "change by", "share", "average", "row makes 100", "total", "total label", "same quantity twice"}


def test_bad_input_is_refused_with_its_reason(tmp_path: Path) -> None:
    docx = tmp_path / "paper.docx"
    docx.write_bytes(b"PK")
    refused = run(str(docx))
    assert refused.exit_code == 3 and "cannot read the Word document" in refused.stderr
    assert run(str(tmp_path / "missing.txt")).exit_code == 2
    assert runner.invoke(app, ["check", str(seed("000")), "--store", str(tmp_path / "none.duckdb")]).exit_code == 2
    assert runner.invoke(app, ["check"]).exit_code == 2


def test_the_html_report_groups_claims_by_section_and_explains_each_problem(real_store_path: Path) -> None:
    res = run(*map(str, sorted(SEEDS.glob("*.txt"))), "--format", "html", store=real_store_path)
    assert res.exit_code == 1
    page = res.stdout
    assert page.count('<strong class="verdict-problem">Inconsistent</strong>') == 6
    assert "90% + 5% = 95%, not 100%" in page and "Line 490 gives 94%" in page
    assert "<caption class=\"govuk-table__caption govuk-table__caption--s\">003_6173a0cb3c6e5288.txt: Campaigns" in page
    assert "Source: Home Office police recorded crime; load 1" in page


def test_documents_the_project_writes_agree_with_the_store_they_were_built_from(
        demo_document: Callable[..., Any], real_store_path: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    """Every figure our statements and board paper print, read back from their HTML, Word and
    PDF files, agrees with the store; the annual report prints seed 003's tables as supplied, and
    the checker finds in its Word file and web page the seed's own three table problems."""
    from conftest import annual_report_of
    from scorecard.render.write import write_document

    with Store.open(real_store_path, read_only=True) as store:
        against = Against(StoreFigures(store, catalogue), catalogue)
        for which, formats in ((("west-midlands", "2024-25 Q1", "west-midlands-2024-25-q1-statement.yaml"),
                                ["html", "docx"]),
                               (("west-mercia", "2022-23 Q1", "west-mercia-2022-23-q1-statement.yaml"), ["pdf"]),
                               (("west-midlands", "2021-22 Q4", "west-midlands-2022-05-board-paper.yaml"),
                                ["docx"])):
            for path in write_document(demo_document(real_store_path, catalogue, which), formats,
                                       tmp_path / which[2]):
                claims = check_file(path, against).claims
                assert [(c.line, c.why) for c in claims if c.problem] == [], path
                assert sum(c.verdict == "agrees" for c in claims) >= 15, path
        report = annual_report_of(real_store_path, catalogue)
        for path in write_document(report, ["html", "docx"], tmp_path / "annual"):
            found = [(c.kind, c.quoted.split("\t")[0]) for c in check_file(path, against).claims if c.problem]
            assert found == [("row makes 100", "Jan 2024"), ("row makes 100", "Mar 2024"),
                             ("total label", "Total Victims Fund Budget")], path
