"""Documentation that cannot drift: every command in the README, the licence attribution."""

from __future__ import annotations

from pathlib import Path

from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"scorecard {name}" in readme or f"| {name}" in readme or f" {name} " in readme, name


def test_the_two_commands_and_ci_agree() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "./scripts/demo" in readme and "./scripts/test" in readme
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_bundled_data_is_attributed() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "Open Government Licence v3.0" in readme
    assert (ROOT / "demo" / "data" / "README.md").read_text("utf-8").count("Open Government Licence v3.0")


def _mib(n: int) -> str:
    """A byte count as the docs write it: "16 GiB", "256 MiB", "256 KiB"."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n % size == 0:
            return f"{n // size} {unit}"
    return f"{n:,} bytes"


def test_every_input_limit_is_the_one_documented() -> None:
    """docs/inputs.md lists every limit on what is read; each must be the value the code uses."""
    from scorecard import config_files, ingest, verify
    from scorecard.documents import commentary
    from scorecard.sources import cells, home_office, local_series, office_tables, police_uk

    page = (ROOT / "docs" / "inputs.md").read_text("utf-8")
    expected = {
        "entries in an archive": f"{police_uk.MAX_MEMBERS:,}",
        "against its compressed size": f"{police_uk.MAX_COMPRESSION_RATIO}:1",
        "against the archive's own size": f"{police_uk.MAX_ARCHIVE_RATIO}×",
        "`SCORECARD_MAX_UNZIPPED_BYTES`": _mib(police_uk.MAX_UNZIPPED_BYTES),
        "any aggregate file": _mib(ingest.AGGREGATE_MAX_BYTES),
        "Home Office CSV": _mib(home_office.CSV_MAX_BYTES),
        "Home Office parquet": f"{_mib(home_office.PARQUET_MAX_BYTES)}, {home_office.PARQUET_MAX_ROWS:,} rows",
        "local series CSV": _mib(local_series.CSV_MAX_BYTES),
        "table file CSV": _mib(office_tables.CSV_MAX_BYTES),
        "workbook file": _mib(cells.WORKBOOK_MAX_BYTES),
        "workbook parts inflated": f"{_mib(cells.INFLATED_MAX_BYTES)}, and at most {cells.INFLATION_RATIO}× the file "
                                   f"({_mib(cells.INFLATED_FLOOR)} always allowed)",
        "sheets in a workbook": f"{cells.MAX_SHEETS:,}",
        "cells in a workbook": f"{cells.MAX_CELLS:,}",
        "report configuration (YAML)": _mib(config_files.MAX_BYTES),
        "keys and values in one YAML file": f"{config_files.MAX_NODES:,}",
        "nesting of mappings and lists": f"{config_files.MAX_DEPTH} levels",
        "report.json": _mib(verify.MAX_BYTES),
        "one commentary file": _mib(commentary.MAX_BYTES),
        "files and folders in a commentary folder": f"{commentary.MAX_ENTRIES:,}",
    }
    lines = [line.strip() for line in page.splitlines()]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in lines if line.startswith("| ") and line.count("|") == 3}
    for label, value in expected.items():
        [row] = [v for k, v in rows.items() if label in k]
        assert row.split(" (real")[0] == value, (label, row, value)
    assert f"year from {police_uk.FIRST_YEAR} to next year" in page
    assert f"`AREA_MIN_INSIDE` {police_uk.AREA_MIN_INSIDE}" in page
    assert f"at least {police_uk.AREA_MIN_LOCATED} of its rows" in page
    assert f"up to {police_uk.AREA_SAMPLE} sampled" in page


def test_every_document_configuration_key_is_documented() -> None:
    """Each key a document configuration may hold is a row of docs/report.md's table (Datasette's
    lesson: a setting nobody documented is a setting nobody can use)."""
    from scorecard.documents.config import BoardFile, DocumentConfigFile

    page = (ROOT / "docs" / "report.md").read_text("utf-8")
    rows = {line.split("|")[1].strip().strip("`") for line in page.splitlines() if line.startswith("| `")}
    assert set(DocumentConfigFile.model_fields) <= rows, set(DocumentConfigFile.model_fields) - rows
    board = page[page.index("`board:` holds"):]
    for key in BoardFile.model_fields:
        assert f"`{key}`" in board.split("\n\n")[0], key


def test_every_annual_report_key_is_documented() -> None:
    from scorecard.documents.annual_config import (
        AnnualReportFile,
        FiguresTableFile,
        PeelFile,
        PreceptFile,
        StopSearchFile,
        WorkforceFile,
    )

    page = (ROOT / "docs" / "annual-report.md").read_text("utf-8")
    rows = {line.split("|")[1].strip().strip("`") for line in page.splitlines() if line.startswith("| `")}
    keys = set(AnnualReportFile.model_fields) | {f"precept.{k}" for k in PreceptFile.model_fields} | \
        {f"peel.{k}" for k in PeelFile.model_fields} | {f"figures.{k}" for k in FiguresTableFile.model_fields} | \
        {f"stop_search.{k}" for k in StopSearchFile.model_fields} | \
        {f"workforce.{k}" for k in WorkforceFile.model_fields}
    assert keys <= rows, keys - rows


def test_every_table_file_key_and_type_is_documented() -> None:
    from scorecard.sources.office_tables import KINDS, METADATA_KEYS

    page = (ROOT / "docs" / "tables.md").read_text("utf-8")
    rows = {line.split("|")[1].strip().strip("`") for line in page.splitlines() if line.startswith("| `")}
    assert set(METADATA_KEYS) | set(KINDS) | {"percent = A / B", "share of A"} <= rows


def test_every_commentary_field_is_documented() -> None:
    from scorecard.documents.commentary import FIELDS

    page = (ROOT / "docs" / "report.md").read_text("utf-8")
    for field in FIELDS:
        assert f"`{field}`" in page, field
