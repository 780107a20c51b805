"""Checking any document's numbers against themselves (``scorecard check FILE``), from the seeds.

The seeds are documents PCC offices published (../shared/seeds). Their claims are checked as they
stand, and again with one number changed, so each check is seen to pass and to fail. What the
seeds get wrong was found by hand: seed 003's third-party reporting rows of January 2024
(90% + 5%) and March 2024 (86% + 11%) do not make 100%, and its advocates' funding total carries
the previous table's label, "Total Victims Fund Budget".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scorecard.claims import check_file, check_text
from scorecard.cli import app

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
runner = CliRunner()


def seed(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def test_seed_003_s_own_inconsistencies_are_found_and_nothing_else() -> None:
    bad = [(c.line, c.kind) for c in check_file(seed("003")) if c.verdict == "inconsistent"]
    assert bad == [(509, "row makes 100"), (511, "row makes 100"), (867, "total label")]


def test_a_total_is_checked_against_its_rows_not_counting_its_subtotals() -> None:
    totals = {c.line: c for c in check_file(seed("003")) if c.kind == "total"}
    # Community Safety Fund: £2,331,893 + £1,500,000, the two subtotals, make the £3,831,893 stated.
    assert totals[840].verdict == "consistent" and "15 rows above add up to 3,831,893" in totals[840].why
    assert totals[858].verdict == "consistent"  # the Victims Fund's eleven rows: £3,605,815


@pytest.mark.parametrize(("sentence", "verdict", "why"), [
    # Seed 004, paragraph 1.1: the year to March 2022 against the year to March 2021.
    ("April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending March 2021, a 1.9% increase.",
     "consistent", "53 against 52 is a 1.92% rise, which rounds to 1.9%, as stated"),
    ("April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending March 2021, a 19% increase.",
     "inconsistent", "rounds to 2%, not the 19% stated"),
    ("April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending March 2021, a 1.9% reduction.",
     "inconsistent", "not a reduction"),
    # Seed 001: "20 of the 33 discharges (61%)".
    ("Of these, 20 of the 33 discharges (61%) involved a firearm.", "consistent", "20 of 33 is 60.6%"),
    ("Of these, 20 of the 33 discharges (66%) involved a firearm.", "inconsistent", "not the 66% stated"),
])
def test_a_claim_is_right_to_the_precision_it_is_written_with(sentence: str, verdict: str, why: str) -> None:
    (claim,) = check_text(sentence, "test.txt")
    assert claim.verdict == verdict and why in claim.why, claim.why


def test_a_row_of_percentages_makes_100_to_within_its_rounding() -> None:
    rows = "Month\tTotal\tPositive\tNFA\nFebruary 2024\t1,139\t89%\t10%\nJanuary 2024\t931\t90%\t5%\n"
    verdicts = [c.verdict for c in check_text(rows, "t.txt")]
    assert verdicts == ["consistent", "inconsistent"]  # 99 is within two halves of 1%; 95 is not


def test_the_command_lists_the_problems_first_and_exits_1(tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(seed("003"))])
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert lines[0].endswith(": 3 inconsistent")
    assert all(line.startswith("  INCONSISTENT") for line in lines[1:4])
    as_json = runner.invoke(app, ["check", str(seed("001")), "--format", "json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["inconsistent"] == 0
    docx = tmp_path / "paper.docx"
    docx.write_bytes(b"PK")
    refused = runner.invoke(app, ["check", str(docx)])
    assert refused.exit_code == 3 and "cannot read the Word document" in refused.stderr
    assert runner.invoke(app, ["check"]).exit_code == 2


def test_documents_the_project_writes_are_read_in_every_format_and_agree_with_themselves(
        demo_document: Any, real_store_path: Path, catalogue: Any, tmp_path: Path) -> None:
    from conftest import annual_report_of
    from scorecard.render.write import write_document

    statement = demo_document(real_store_path, catalogue, ("west-midlands", "2024-25 Q1",
                                                           "west-midlands-2024-25-q1-statement.yaml"))
    for path in write_document(statement, ["html", "docx"], tmp_path / "statement"):
        assert [c for c in check_file(path) if c.verdict == "inconsistent"] == [], path
    # The annual report prints seed 003's tables as supplied: the checker finds in its Word file and
    # its web page the same three things the seed gets wrong, at the same rows.
    report = annual_report_of(real_store_path, catalogue)
    for path in write_document(report, ["html", "docx"], tmp_path / "annual"):
        found = [(c.kind, c.quoted.split("\t")[0]) for c in check_file(path) if c.verdict == "inconsistent"]
        assert found == [("row makes 100", "Jan 2024"), ("row makes 100", "Mar 2024"),
                         ("total label", "Total Victims Fund Budget")], path


def test_the_html_report_lists_every_claim_with_its_reason() -> None:
    res = runner.invoke(app, ["check", *map(str, sorted(SEEDS.glob("*.txt"))), "--format", "html"])
    assert res.exit_code == 1
    page = res.stdout
    assert page.count("<th scope=\"row\" class=\"govuk-table__header\">Inconsistent</th>") == 3
    assert "90% + 5% = 95%, not 100%" in page and "<h2 class=\"govuk-heading-l\">004_" in page
