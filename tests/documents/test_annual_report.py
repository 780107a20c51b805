"""The PCC annual report (``scorecard annual-report``): chapters with computed tables.

Built from the demo configuration (seed 003's shape: chapters quoted from the seed, the precept
table from Band D alone, the PEEL grades as the seed lists them) and rendered in every format.
The precept table must read as seed 003 prints it — every band to the penny, from
tests/golden/annual/precept-west-midlands-2023-24.tsv — and the same text in HTML, Word, PDF
and CSV.  Bad chapters and configurations are errors naming the file and line.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument
from typer.testing import CliRunner

from conftest import annual_report_of
from scorecard.catalogue.schema import Catalogue, HeldSeries
from scorecard.cli import app
from scorecard.documents.annual_config import AnnualReportConfig
from scorecard.documents.annual_report import AnnualInputs, build_annual_report, read_chapters
from scorecard.documents.model import Commentary, Document, Table
from scorecard.errors import ConfigError
from scorecard.figures import year_figures
from scorecard.periods import FinancialYear
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "annual" / "west-midlands-2023-24.yaml"
GOLDEN = ROOT / "tests" / "golden" / "annual" / "precept-west-midlands-2023-24.tsv"
YEAR = FinancialYear(2023)
runner = CliRunner()


def seed_precept() -> list[list[str]]:
    """Seed 003's table, each amount as the report shows money (£ and pence)."""
    lines = [line.split("\t") for line in GOLDEN.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    return [[band, share, *(f"£{amount}" for amount in amounts)] for band, share, *amounts in lines[1:]]


def held_catalogue(store_path: Path, catalogue: Catalogue) -> Catalogue:
    with Store.open(store_path, read_only=True) as store:
        return catalogue.with_held_series([HeldSeries(*row) for row in store.series_held()])


def build(config_path: Path = DEMO, store_path: Path | None = None, catalogue: Catalogue | None = None) -> Document:
    """The report as `scorecard annual-report` builds it; with a store, its tables' inputs from it."""
    if store_path is not None and catalogue is not None:
        return annual_report_of(store_path, catalogue, config_path)
    config = AnnualReportConfig.load(config_path, YEAR, [])
    return build_annual_report(config, read_chapters(config.chapters_dir), force_id="west-midlands",
                               area_name="West Midlands", year=YEAR, generated_at="2026-01-05T09:30:00",
                               software_version="test", catalogue_version="test")


@pytest.fixture(scope="module")
def demo(real_store_path: Path, catalogue: Catalogue) -> Document:
    return build(DEMO, real_store_path, held_catalogue(real_store_path, catalogue))


def table(doc: Document, table_id: str) -> Table:
    return next(b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.id == table_id)


def test_the_precept_table_reads_as_seed_003_prints_it(demo: Document) -> None:
    rows = [[cell.text for cell in row.cells] for row in table(demo, "precept").rows]
    assert rows == seed_precept()


def test_the_call_handling_table_quotes_the_store_for_the_year(demo: Document) -> None:
    # Seed 003, 'Contact with the public': 810,868 999 calls received, 93% answered within 10 seconds;
    # 655,829 101 calls received, 76% answered within 3 minutes (the service level), April 2023 to March 2024.
    rows = [[cell.text for cell in row.cells][:3] for row in table(demo, "contact").rows]
    assert rows == [["999 calls received", "2023-24", "810,868"],
                    ["999 calls answered within 10 seconds", "2023-24", "93%"],
                    ["101 calls received", "2023-24", "655,829"],
                    ["101 calls answered within service level", "2023-24", "76%"]]
    assert any("a 101 call within 3 minutes" in n for n in table(demo, "contact").notes)  # its stated service level


def test_a_local_kpi_needs_no_code_only_rows_in_the_local_series_file(demo: Document) -> None:
    # Seed 003, 'Complaints': "we have managed 104 reviews, with an average of 26 working days to
    # conclude them. We have upheld 20". The rows are in demo/data/local-series-west-midlands.csv.
    rows = [[cell.text for cell in row.cells][:3] for row in table(demo, "complaint_reviews").rows]
    assert rows == [["Complaint reviews concluded by the PCC's office", "2023-24", "104"],
                    ["Complaint reviews upheld", "2023-24", "20"],
                    ["Average time to conclude a complaint review (working days)", "2023-24", "26 days"]]


def test_a_figure_the_store_does_not_hold_for_the_year_says_so(real_store_path: Path, catalogue: Catalogue,
                                                              tmp_path: Path) -> None:
    held = held_catalogue(real_store_path, catalogue)
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01.md").write_text("# Calls\n{table:contact}\n", "utf-8")
    path = tmp_path / "annual.yaml"
    path.write_text("chapters_dir: chapters\nfigures:\n  - id: contact\n    caption: Calls\n"
                    "    measures: [calls_999_within_10s, homicide]\n", "utf-8")
    with Store.open(real_store_path, read_only=True) as store:
        figures = year_figures(store, held, "west-midlands", ["calls_999_within_10s", "homicide"], FinancialYear(2010))
    config = AnnualReportConfig.load(path, FinancialYear(2010), list(held.by_id))
    doc = build_annual_report(config, read_chapters(config.chapters_dir), force_id="west-midlands",
                              area_name="West Midlands", year=FinancialYear(2010), generated_at="", software_version="",
                              catalogue_version="", inputs=AnnualInputs(figures))
    contact = table(doc, "contact")
    assert contact.rows[0].cells[2].text == "–"
    assert "Not held for 2010-11: 999 calls answered within 10 seconds" in " ".join(contact.notes)


def test_an_unknown_measure_in_a_figures_table_is_named(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_config(tmp_path, {"01.md": "# Money\n{table:precept}\n"},
                        "figures:\n  - id: contact\n    caption: Calls\n    measures: [calls_999_within_10]\n")
    with pytest.raises(ConfigError, match=r"no measure 'calls_999_within_10'.*did you mean 'calls_999_within_10s'"):
        AnnualReportConfig.load(path, YEAR, list(catalogue.by_id))


def test_chapters_are_sections_in_file_order_with_tables_where_placed(demo: Document) -> None:
    doc = demo
    assert [s.heading for s in doc.sections] == [
        "Foreword by the Police and Crime Commissioner", "West Midlands Police", "Working in partnership locally",
        "Good governance, transparency, equality and public engagement",
        "Financial planning, resources and grant giving", "Notes", "Validation of the supplied tables"]
    governance = doc.sections[3].blocks
    assert [type(b).__name__ for b in governance] == ["Commentary", "Table", "Commentary", "Table"]
    peel = table(doc, "peel")
    assert [[c.text for c in r.cells] for r in peel.rows][2:] == [
        ["Adequate", "Preventing crime, Police powers and public treatment"],
        ["Requires improvement", "Responding to the public, Developing a positive workplace, "
                                 "Leadership and force management"],
        ["Inadequate", "Investigating crime, Protecting vulnerable people, Managing offenders"]]
    assert doc.status == "draft" and not doc.approved and doc.kind == "annual_report"


def write_config(folder: Path, chapters: dict[str, str], extra: str = "") -> Path:
    (folder / "chapters").mkdir()
    for name, text in chapters.items():
        (folder / "chapters" / name).write_text(text, "utf-8")
    path = folder / "annual.yaml"
    path.write_text("chapters_dir: chapters\nprecept:\n  band_d: {2022-23: 187.55, 2023-24: 202.55}\n"
                    "  source: test\n" + extra, "utf-8")
    return path


def test_a_fall_in_the_precept_has_a_true_minus_sign() -> None:
    from decimal import Decimal

    from scorecard.documents.annual_config import Precept
    from scorecard.documents.annual_report import precept_table

    cut = precept_table(Precept((FinancialYear(2022), Decimal("202.55")), (YEAR, Decimal("187.55")), "test"))
    assert [c.text for c in cut.rows[0].cells[4:]] == ["\u2212£10.00", "\u2212£0.19"]


@pytest.mark.parametrize(("chapters", "says", "file", "line"), [
    ({"01.md": "No heading here.\n"}, "a chapter opens with its heading", "01.md", 1),
    ({"01.md": "# Money\n\nText.\n\n{table:precep}\n"}, "no table 'precep' in this report", "01.md", 5),
    ({"01.md": "# Money\n{table:precept}\n", "02.md": "# Again\n{table:precept}\n"}, "placed twice", "02.md", 2),
    ({"01.md": "# Money\n\nNo table placed.\n"}, "is configured but no chapter places it", "annual.yaml", 2),
    ({"01.md": "# Money\n\nSee {table:precept} below.\n"}, "alone on its line", "01.md", 3),
    ({"01.md": "# Money\n{table: precept}\n"}, "alone on its line", "01.md", 2),
])
def test_a_bad_chapter_names_its_file_and_line(tmp_path: Path, chapters: dict[str, str], says: str, file: str,
                                               line: int | None) -> None:
    with pytest.raises(ConfigError) as caught:
        build(write_config(tmp_path, chapters))
    assert says in caught.value.problem
    assert Path(caught.value.file).name == file and caught.value.line == line


@pytest.mark.parametrize(("extra", "band_d", "says", "line"), [
    ("", "{2022-23: 187.55, 2023-24: 202.555}", "more than two decimal places", 3),
    ("", "{2023-24: 202.55}", "no Band D amount for 2022-23", 3),
    ("", "{2022 Q1: 1.00, 2022-23: 187.55, 2023-24: 202.55}", "not a financial year", 3),
    ("", "{2022-23: 187.55, 2023-24: 202.55, 2023/24: 210}", "are the same year, 2023-24", 3),
    ("", "{2022-23: 187.55, 2023-24: 1e30}", "not an amount of money", 3),
    ("colour: blue\n", "{2022-23: 187.55, 2023-24: 202.55}", "colour", 5),
    ("peel:\n  inspection: x\n  source: y\n  grades: {Good: [A], Adequate: [A]}\n",
     "{2022-23: 187.55, 2023-24: 202.55}", "'A' is graded twice", 8),
])
def test_a_bad_configuration_names_the_key_and_line(tmp_path: Path, extra: str, band_d: str, says: str,
                                                   line: int) -> None:
    path = write_config(tmp_path, {"01.md": "# Money\n{table:precept}\n"})
    path.write_text(path.read_text("utf-8").replace("{2022-23: 187.55, 2023-24: 202.55}", band_d) + extra, "utf-8")
    with pytest.raises(ConfigError) as caught:
        AnnualReportConfig.load(path, YEAR)
    assert says in str(caught.value) and caught.value.line == line, str(caught.value)


def test_the_command_writes_every_format_with_the_same_pence_and_verify_agrees(tmp_path: Path,
                                                                              real_store_path: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(app, ["annual-report", "--area", "West Midlands", "--year", "2023-24", "--config", str(DEMO),
                              "--format", "html,docx,pdf,json,csv", "--out", str(out), "--store", str(real_store_path)])
    assert res.exit_code == 0, res.output
    assert "DRAFT — not approved for publication" in res.stderr
    names = {p.name for p in out.iterdir()}
    assert {"annual-report.html", "annual-report.docx", "annual-report.pdf", "report.json", "table-precept.csv",
            "table-peel.csv"} <= names
    expected = [cell for row in seed_precept() for cell in row[2:]]
    html = (out / "annual-report.html").read_text("utf-8")
    word = WordDocument(str(out / "annual-report.docx"))
    word_cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    styles = {p.text: p.style.name for p in word.paragraphs if p.style is not None}
    assert styles["Good governance, transparency, equality and public engagement"] == "Heading 1"
    assert styles["Responding to His Majesty's Inspectorate of Constabulary (HMIC)"] == "Heading 2"  # no skipped level
    with (out / "table-precept.csv").open(encoding="utf-8") as f:
        csv_cells = [row[k] for row in csv.DictReader(f)
                     for k in ("2022_23_precept", "2023_24_precept", "change_annual", "change_weekly")]
    assert csv_cells == expected
    for text in expected:
        assert text in html and text in word_cells, text
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", "-layout", str(out / "annual-report.pdf"), "-"], check=True,
                             capture_output=True, text=True).stdout
        assert all(text in pdf for text in expected)
        assert pdf.count("DRAFT — not approved for publication") >= 2  # every page's marking, and the front
    published = json.loads((out / "report.json").read_text("utf-8"))
    assert published["kind"] == "annual_report" and "chapters" not in json.dumps(published["config"])
    assert runner.invoke(app, ["verify", str(out / "report.json"), "--store", str(real_store_path)]).exit_code == 0
    for section in published["sections"]:
        for block in section["blocks"]:
            if block.get("id") == "precept":
                block["rows"][5]["cells"][4]["text"] = "£21.67"  # 13/9 of £15.00: not the published convention
                block["notes"][0] = block["notes"][0].replace("£202.55", "£210.00")  # the Band D the note quotes
    published["config"]["peel"] = None  # a PEEL table published but no longer accounted for
    (out / "report.json").write_text(json.dumps(published), "utf-8")
    res = runner.invoke(app, ["verify", str(out / "report.json"), "--store", str(real_store_path)])
    assert res.exit_code == 1
    assert "(table precept) notes" in res.stdout and "(table peel): published" in res.stdout
    assert "row 6 (Band F), Change, annual: published '£21.67', worked out again from its configuration gives " \
           "'£21.66'" in res.stdout


@pytest.mark.parametrize(("args", "says"), [
    (["--year", "2023 Q1"], "not a financial year"),
    (["--year", "2023-24", "--area", "Atlantis"], "unknown area 'Atlantis'"),
    (["--year", "2023-24", "--format", "rtf"], "unknown format(s) rtf"),
])
def test_the_command_refuses_what_it_cannot_build(tmp_path: Path, args: list[str], says: str) -> None:
    base = {"--area": "west-midlands", "--config": str(DEMO), "--out": str(tmp_path)}
    given = dict(zip(args[::2], args[1::2], strict=True))
    line = [w for k, v in {**base, **given}.items() for w in (k, v)]
    res = runner.invoke(app, ["annual-report", *line])
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("error: ") and says in res.stderr, res.stderr
    assert not any(tmp_path.iterdir())


def test_the_draft_lists_what_the_supplied_tables_get_wrong_and_the_approved_report_does_not(
        demo: Document, real_store_path: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    # The four inconsistencies seed 003 itself contains (tests/sources/test_office_tables.py works them out).
    validation = table(demo, "validation")
    assert validation.caption == "Validation: 4 findings in the supplied tables"
    assert [r.cells[0].text for r in validation.rows] == [
        "05-third-party-reporting.csv, row 18, column C (Positive outcome rate)",
        "05-third-party-reporting.csv, row 20, column C (Positive outcome rate)",
        "08-community-safety.csv, row 16, column B (2023/24)", "10-idva-isva.csv, row 14, column A (Priority)"]
    victims = table(demo, "victims_fund")
    assert [c.text for c in victims.rows[-1].cells] == ["Total Victims Fund Budget", "£3,605,815"]
    assert victims.rows[-1].kind == "total"
    approved = tmp_path / "annual.yaml"
    approved.write_text(DEMO.read_text("utf-8").replace("status: draft", "status: approved"), "utf-8")
    shutil.copytree(DEMO.parent / "chapters", tmp_path / "chapters")
    doc = build(approved, real_store_path, held_catalogue(real_store_path, catalogue))
    assert "validation" not in [s.id for s in doc.sections]


def test_a_supplied_table_not_held_is_an_error_naming_the_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_config(tmp_path, {"01.md": "# Money\n{table:grants}\n"}, "office_tables: [grants]\n")
    config = AnnualReportConfig.load(path, YEAR, list(catalogue.by_id))
    with pytest.raises(ConfigError, match=r"no table 'grants' is held for West Midlands 2023-24") as caught:
        build_annual_report(config, read_chapters(config.chapters_dir), force_id="west-midlands",
                            area_name="West Midlands", year=YEAR, generated_at="", software_version="",
                            catalogue_version="")
    assert caught.value.line == config.lines["grants"]


def test_verify_finds_a_supplied_figure_changed_after_publication(tmp_path: Path, real_store_path: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(app, ["annual-report", "--area", "west-midlands", "--year", "2023-24", "--config", str(DEMO),
                              "--format", "json", "--out", str(out), "--store", str(real_store_path)])
    assert res.exit_code == 0, res.output
    published = json.loads((out / "report.json").read_text("utf-8"))
    for section in published["sections"]:
        for block in section["blocks"]:
            if block.get("id") == "victims_fund":
                block["rows"][0]["cells"][1]["text"] = "£754,271"  # Domestic Abuse, typed wrongly
    (out / "report.json").write_text(json.dumps(published), "utf-8")
    res = runner.invoke(app, ["verify", str(out / "report.json"), "--store", str(real_store_path)])
    assert res.exit_code == 1
    assert "published '£754,271'" in res.stdout and "'£745,271'" in res.stdout, res.stdout


MERSEYSIDE = ROOT / "demo" / "annual" / "merseyside" / "merseyside-2019-20.yaml"


def test_the_stop_and_search_tables_come_from_the_store_and_verify_agrees(tmp_path: Path,
                                                                          real_store_path: Path) -> None:
    # Merseyside, December 2019 to February 2020, counted straight from the zipped CSVs in
    # tests/golden/stop_search/outcomes.tsv and ethnicity.tsv: 9,631 searches, 700 arrests; Black 257
    # searches of 14,552 people (Census 2011), 17.66 per 1,000, against White 7,604 of 1,305,303, 5.83.
    out = tmp_path / "out"
    res = runner.invoke(app, ["annual-report", "--area", "merseyside", "--year", "2019-20", "--config",
                              str(MERSEYSIDE), "--format", "json,csv", "--out", str(out), "--store",
                              str(real_store_path)])
    assert res.exit_code == 0, res.output
    published = json.loads((out / "report.json").read_text("utf-8"))
    tables = {b["id"]: b for s in published["sections"] for b in s["blocks"] if b.get("block") == "Table"}
    outcomes = {r["cells"][0]["text"]: r["cells"][1]["text"] for r in tables["stop_search"]["rows"]}
    assert outcomes["Searches"] == "9,631" and outcomes["Arrests"] == "700"
    groups = {r["cells"][0]["text"]: [c["text"] for c in r["cells"][1:]]
              for r in tables["stop_search_ethnicity"]["rows"]}
    assert groups["Black"][:3] == ["257", "14,552", "17.66 per 1,000 people"]
    assert groups["White"][:3] == ["7,604", "1,305,303", "5.83 per 1,000 people"]
    assert "Census 2011" in tables["stop_search_ethnicity"]["caption"]
    assert runner.invoke(app, ["verify", str(out / "report.json"), "--store", str(real_store_path)]).exit_code == 0
    for row in tables["stop_search"]["rows"]:
        if row["cells"][0]["text"] == "Arrests":
            row["cells"][1]["text"] = "7,000"
    (out / "report.json").write_text(json.dumps(published), "utf-8")
    res = runner.invoke(app, ["verify", str(out / "report.json"), "--store", str(real_store_path)])
    assert res.exit_code == 1 and "published '7,000'" in res.stdout, res.stdout


def test_stop_and_search_months_the_store_does_not_hold_are_refused(tmp_path: Path, real_store_path: Path) -> None:
    config = tmp_path / "merseyside.yaml"
    config.write_text(MERSEYSIDE.read_text("utf-8").replace("Dec 2019 to Feb 2020", "Nov 2019 to Feb 2020"), "utf-8")
    shutil.copytree(MERSEYSIDE.parent / "chapters", tmp_path / "chapters")
    res = runner.invoke(app, ["annual-report", "--area", "merseyside", "--year", "2019-20", "--config", str(config),
                              "--format", "json", "--out", str(tmp_path / "out"), "--store", str(real_store_path)])
    assert res.exit_code != 0 and "Nov 2019" in res.stderr, res.output


def test_the_workforce_table_is_a_headcount_at_each_date_never_a_sum(tmp_path: Path, real_store_path: Path,
                                                                   catalogue: Catalogue) -> None:
    # tests/golden/workforce/police-workforce-sep19-tables.tsv (LibreOffice's export of the Home Office ODS,
    # not our reader): West Midlands at 31 March and 30 September 2019, Tables 7, 8, 11 and 12, row 32.
    golden = {}
    for line in (ROOT / "tests" / "golden" / "workforce" / "police-workforce-sep19-tables.tsv").read_text(
            "utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 7 and parts[3] == "West Midlands":
            golden[(parts[4], parts[5])] = parts[6]
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01.md").write_text("# Our workforce\n\n{table:workforce}\n", "utf-8")
    config = tmp_path / "annual.yaml"
    config.write_text("chapters_dir: chapters\nworkforce:\n  at: Sep 2019\n  earlier: Mar 2019\n", "utf-8")
    doc = annual_report_of(real_store_path, catalogue, config, year="2019-20")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:3]] for r in table(doc, "workforce").rows}
    for role, series in (("Police officers", "officers"), ("Police staff", "staff"),
                         ("Police community support officers", "pcsos"), ("Special constables", "specials")):
        assert rows[role] == [f"{int(golden[(series, d)]):,}" for d in ("2019-03-31", "2019-09-30")], role
    # A stock at a date: the total of the roles at 30 September, not anything added up over months.
    september = sum(int(golden[(s, "2019-09-30")]) for s in ("officers", "staff", "pcsos", "specials"))
    assert rows["Total"][1] == f"{september:,}"


def test_a_chapter_quotes_the_year_s_figures_as_seed_003_prints_them(demo: Document) -> None:
    # Seed 003, "Contact with the public": "There was an increased demand for 999, totalling 810,868 calls
    # received. Overall, 93% of these calls were answered within 10-seconds ... 101 with 655,829 calls
    # received, with 76% being answered within 3-minutes".
    texts = [b for s in demo.sections for b in s.blocks if isinstance(b, Commentary) and b.references]
    (contact,) = texts
    assert "totalling 810,868 calls received. Overall, 93% of these calls" in contact.markdown
    assert "101 with 655,829 calls received, with 76% being answered" in contact.markdown
    assert dict(contact.references) == {"{local.calls_999_received.value}": "810,868",
                                        "{calls_999_within_10s.value}": "93%",
                                        "{local.calls_101_received.value}": "655,829",
                                        "{calls_101_within_sla.value}": "76%"}


def test_a_reference_to_a_figure_the_year_lacks_names_the_chapter_line(tmp_path: Path, real_store_path: Path,
                                                                     catalogue: Catalogue) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01-calls.md").write_text(
        "# Calls\n\nFirst paragraph.\n\nWe answered {calls_999_within_10s.value} of calls.\n\n"
        "And {calls_999_within_10.value} of them.\n", "utf-8")
    config = tmp_path / "annual.yaml"
    config.write_text("chapters_dir: chapters\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        annual_report_of(real_store_path, catalogue, config)
    assert caught.value.line == 7 and "calls_999_within_10" in caught.value.problem
    assert caught.value.file.endswith("01-calls.md")


def test_verify_finds_a_quoted_figure_changed_in_a_chapter(tmp_path: Path, real_store_path: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(app, ["annual-report", "--area", "west-midlands", "--year", "2023-24", "--config", str(DEMO),
                              "--format", "json", "--out", str(out), "--store", str(real_store_path)])
    assert res.exit_code == 0, res.output
    text = (out / "report.json").read_text("utf-8").replace("totalling 810,868 calls", "totalling 801,868 calls")
    (out / "report.json").write_text(text, "utf-8")
    res = runner.invoke(app, ["verify", str(out / "report.json"), "--store", str(real_store_path)])
    assert res.exit_code == 1 and "015-contact.md" in res.stdout, res.stdout
