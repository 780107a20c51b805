"""Hostile configuration files through the real command: catalogues, report configurations,
commentary folders and report.json files, each refused with one line naming the file (and the
key and line where there is one), the documented exit code, and the store untouched."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import ROOT, Case, Make, Outcome, check, run_all, write

from conftest import report_json_of
from scorecard.errors import EXIT_DIFFERENCES, EXIT_OK, EXIT_USAGE

CATALOGUE = ROOT / "src" / "scorecard" / "catalogue" / "measures.yaml"
CATALOGUE_TEXT = CATALOGUE.read_text("utf-8")
DEMO_CONFIG = ROOT / "demo" / "report.yaml"

CATALOGUE_CHECK = ("catalogue", "check", "--catalogue", "{input}")
AREA, PERIOD, PERIOD_FOLDER = "west-mercia", "2022-23 Q1", "2022-23-Q1"
REPORT = ("report", "--area", AREA, "--period", PERIOD, "--config", "{input}", "--out", "{dir}/out", "--format", "json")
REPORT_WITH_COMMENTARY = ("report", "--area", AREA, "--period", PERIOD, "--commentary", "{dir}/commentary",
                          "--out", "{dir}/out", "--format", "json")
CHECK_COMMENTARY = ("check", "--area", AREA, "--period", PERIOD, "--commentary", "{dir}/commentary")
VERIFY = ("verify", "{input}")


# --- inputs --------------------------------------------------------------------------------


def catalogue_edit(old: str, new: str, name: str = "measures.yaml") -> tuple[Make, int]:
    """The real catalogue with its first ``old`` replaced by ``new``; and the line of the change."""
    assert old in CATALOGUE_TEXT, old
    text = CATALOGUE_TEXT.replace(old, new, 1)
    line = CATALOGUE_TEXT[: CATALOGUE_TEXT.index(old)].count("\n") + 1
    return (lambda folder: write(folder, name, text)), line


HOMICIDE_FILTER = "    filter: {series_subgroup: [Homicide]}\n"
ROBBERY_FILTER = "    filter: {series_group: [Robbery]}\n"
DUP_FILTER, DUP_FILTER_LINE = catalogue_edit(HOMICIDE_FILTER, HOMICIDE_FILTER + ROBBERY_FILTER)
TWO_MEASURES_LINE = CATALOGUE_TEXT.count("\n") + 1
UNKNOWN_KEY, UNKNOWN_KEY_LINE = catalogue_edit(HOMICIDE_FILTER, HOMICIDE_FILTER + "    colour: red\n")
MISSPELT, MISSPELT_LINE = catalogue_edit(
    "    direction: decrease\n    source_text: Home Office police recorded crime (offence",
    "    directon: decrease\n    source_text: Home Office police recorded crime (offence")
FIVE, FIVE_LINE = catalogue_edit("    number: 1\n", "    number: five\n")
QUOTED_FALSE, QUOTED_FALSE_LINE = catalogue_edit("force_level: true}", 'force_level: "false"}')
UNKNOWN_PRIORITY, UNKNOWN_PRIORITY_LINE = catalogue_edit("    priority: homicide\n    role: national",
                                                         "    priority: murder\n    role: national")
UNKNOWN_DATASET, UNKNOWN_DATASET_LINE = catalogue_edit("    dataset: home_office_prc\n" + HOMICIDE_FILTER,
                                                       "    dataset: crimes_db\n" + HOMICIDE_FILTER)
UNKNOWN_COLUMN, UNKNOWN_COLUMN_LINE = catalogue_edit(HOMICIDE_FILTER, "    filter: {offence_code: ['1']}\n")
DUP_ID, DUP_ID_LINE = catalogue_edit("  - id: homicides_local\n", "  - id: homicide\n")
PYTHON_TAG, PYTHON_TAG_LINE = catalogue_edit("    title: Homicide\n",
                                             "    title: !!python/object/apply:os.system ['touch pwned']\n")
ESCAPE_IN_TITLE, ESCAPE_IN_TITLE_LINE = catalogue_edit("    title: Homicide\n", "    title: \x1b[31mHomicide\n")
VERSION_NUMBER, VERSION_NUMBER_LINE = catalogue_edit('version: "2026.11.1"', "version: 2026.11")

BILLION_LAUGHS = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"l{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


def fifo(name: str) -> Make:
    def make(folder: Path) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        return path

    return make


def link_to_dev_zero(name: str) -> Make:
    def make(folder: Path) -> Path:
        path = folder / name
        path.symlink_to("/dev/zero")
        return path

    return make


def sparse(name: str, size: int) -> Make:
    """A file of ``size`` bytes that costs no disk (and must never be read)."""

    def make(folder: Path) -> Path:
        path = folder / name
        with path.open("wb") as fh:
            fh.truncate(size)
        return path

    return make


def text(name: str, content: str | bytes) -> Make:
    return lambda folder: write(folder, name, content)


def demo_config_plus(extra: str) -> Make:
    """The demo's real report configuration with ``extra`` lines appended."""
    return text("report.yaml", DEMO_CONFIG.read_text("utf-8") + extra)


DEMO_CONFIG_LINES = DEMO_CONFIG.read_text("utf-8").count("\n")


def commentary(relative: str, content: str | bytes = "Homicide was {homicide.value}.\n") -> Make:
    """A commentary folder with a good file for the period plus ``relative``; returns ``relative``'s path."""

    def make(folder: Path) -> Path:
        root = folder / "commentary"
        write(root, f"{AREA}/{PERIOD_FOLDER}/homicide.md", "Homicide was {homicide.value}.\n")
        return write(root, relative, content)

    return make


def commentary_fifo(relative: str) -> Make:
    def make(folder: Path) -> Path:
        (folder / "commentary").mkdir()
        return fifo(relative)(folder / "commentary")

    return make


class Published:
    """The report.json of West Mercia 2022-23 Q1, built from the hostile store once per module."""

    path: Path | None = None

    @classmethod
    def data(cls) -> dict[str, Any]:
        assert cls.path is not None, "the published fixture has not run"
        loaded: dict[str, Any] = json.loads(cls.path.read_text("utf-8"))
        return loaded


def published(edit: Callable[[dict[str, Any]], object] | None = None) -> Make:
    """The real report.json, optionally edited, written as report.json."""

    def make(folder: Path) -> Path:
        data = Published.data()
        if edit is not None:
            edit(data)
        return write(folder, "report.json", json.dumps(data, indent=2))

    return make


def published_text(change: Callable[[str], str]) -> Make:
    def make(folder: Path) -> Path:
        assert Published.path is not None
        return write(folder, "report.json", change(Published.path.read_text("utf-8")))

    return make


def _homicide(data: dict[str, Any]) -> dict[str, Any]:
    """The published homicide figure for the statement's window (its value is a cell: value and text)."""
    figure: dict[str, Any] = next(f for f in data["figures"]
                                  if f["measure_id"] == "homicide" and f["role"] == "current")
    return figure


def _add_one_to_homicide(data: dict[str, Any]) -> None:
    cell = _homicide(data)["value"]
    cell["value"] += 1
    cell["text"] = f"{int(cell['value']):,}"


def _duplicate_value_key(raw: str) -> str:
    """The first figure's ``"text": "…"`` written twice (json.dumps cannot write a repeated key)."""
    start = raw.index('"text": ', raw.index('\n  "figures"'))
    end = raw.index("\n", start)
    return raw[:end] + "\n" + raw[start:end] + raw[end:]


# --- the cases -----------------------------------------------------------------------------

CATALOGUE_CASES = [
    Case("cat-control", "the built-in catalogue's own copy is valid (the cases below fail for their edit alone)",
         text("measures.yaml", CATALOGUE_TEXT), CATALOGUE_CHECK, EXIT_OK, says="valid"),
    Case("cat-dup-filter", "homicide's filter written twice (second one robbery) is refused, naming key and line",
         DUP_FILTER, CATALOGUE_CHECK, line=DUP_FILTER_LINE + 1,
         says=r"key measures\[0\] \(homicide\)\.filter, .*'filter' appears twice"),
    Case("cat-dup-measures", "a second top-level measures: key is refused instead of replacing the first list",
         text("measures.yaml", CATALOGUE_TEXT + "measures: []\n"), CATALOGUE_CHECK, line=TWO_MEASURES_LINE,
         says="'measures' appears twice"),
    Case("cat-unknown-key", "an unknown key in a measure is refused, naming it", UNKNOWN_KEY, CATALOGUE_CHECK,
         line=UNKNOWN_KEY_LINE + 1, says=r"measures\[0\] \(homicide\)\.colour.*unknown key"),
    Case("cat-misspelt-key", "a misspelt key suggests the right one", MISSPELT, CATALOGUE_CHECK,
         line=MISSPELT_LINE, says="did you mean 'direction'"),
    Case("cat-five", 'a number written "five" is refused, naming the key', FIVE, CATALOGUE_CHECK, line=FIVE_LINE,
         says=r"priorities\[0\] \(homicide\)\.number.*found the text 'five'"),
    Case("cat-quoted-false", 'force_level: "false" in quotes is text, not false', QUOTED_FALSE, CATALOGUE_CHECK,
         line=QUOTED_FALSE_LINE, says="without quotes"),
    Case("cat-version-number", "an unquoted version read as a number is refused", VERSION_NUMBER, CATALOGUE_CHECK,
         line=VERSION_NUMBER_LINE, says="put it in quotes"),
    Case("cat-unknown-priority", "a measure under an unknown priority is refused", UNKNOWN_PRIORITY, CATALOGUE_CHECK,
         line=UNKNOWN_PRIORITY_LINE, says="unknown priority 'murder'"),
    Case("cat-unknown-dataset", "a measure counted from an unknown dataset is refused", UNKNOWN_DATASET,
         CATALOGUE_CHECK, line=UNKNOWN_DATASET_LINE, says="unknown dataset 'crimes_db'"),
    Case("cat-unknown-column", "a filter on a column the dataset lacks is refused", UNKNOWN_COLUMN, CATALOGUE_CHECK,
         line=UNKNOWN_COLUMN_LINE, says="'offence_code' is not a column of home_office_prc"),
    Case("cat-dup-id", "two measures with one id are refused", DUP_ID, CATALOGUE_CHECK, line=DUP_ID_LINE,
         says="measure id 'homicide' appears twice"),
    Case("cat-python-tag", "a !!python tag is refused, never constructed", PYTHON_TAG, CATALOGUE_CHECK,
         line=PYTHON_TAG_LINE, says="YAML tag .* is not allowed"),
    Case("cat-escape", "an escape character in a title is refused with its line, and not echoed raw",
         ESCAPE_IN_TITLE, CATALOGUE_CHECK, line=ESCAPE_IN_TITLE_LINE, says="control character U\\+001B"),
    Case("cat-deep", "YAML nested 50,000 deep is refused before it is composed",
         text("measures.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n"), CATALOGUE_CHECK, line=1,
         says="nested more than 40 levels"),
    Case("cat-billion-laughs", "billion-laughs aliases are refused at the first anchor",
         text("measures.yaml", BILLION_LAUGHS), CATALOGUE_CHECK, line=1, says="anchor &a is not allowed"),
    Case("cat-dev-zero", "a catalogue that is a link to /dev/zero is refused, never read",
         link_to_dev_zero("measures.yaml"), CATALOGUE_CHECK, seconds=20, says="not a regular file"),
    Case("cat-fifo", "a catalogue that is a named pipe is refused, never opened", fifo("measures.yaml"),
         CATALOGUE_CHECK, seconds=20, says="not a regular file"),
    Case("cat-100mb", "a 100 MB catalogue is refused from its size", sparse("measures.yaml", 100 * 1024 * 1024),
         CATALOGUE_CHECK, seconds=20, says="larger than any catalogue"),
    Case("cat-latin1", "a catalogue in Latin-1 is refused, naming the line of the first bad byte",
         text("measures.yaml", b"version: '1'\ntitle: caf\xe9\n"), CATALOGUE_CHECK, line=2, says="not UTF-8"),
    Case("cat-empty", "an empty catalogue is refused", text("measures.yaml", b""), CATALOGUE_CHECK, line=1,
         says="empty"),
    Case("cat-list", "a YAML list at the top level is refused", text("measures.yaml", "- homicide\n- burglary\n"),
         CATALOGUE_CHECK, says="expected a mapping of keys, found a list"),
    Case("cat-for-results", "results with the duplicated-filter catalogue is refused too (not computed)",
         DUP_FILTER, ("results", "--catalogue", "{input}", "--area", AREA, "--period", "2024"),
         line=DUP_FILTER_LINE + 1, says="'filter' appears twice"),
    Case("cat-for-report", "report with an unknown-dataset catalogue is refused before anything is written",
         UNKNOWN_DATASET, ("report", "--catalogue", "{input}", "--area", AREA, "--period", PERIOD, "--out",
                           "{dir}/out", "--format", "json"), line=UNKNOWN_DATASET_LINE, says="crimes_db"),
]

CONFIG_CASES = [
    Case("cfg-control", "the demo's report configuration builds the statement (the cases below fail for their edit)",
         text("report.yaml", DEMO_CONFIG.read_text("utf-8")), REPORT, EXIT_OK, names="report.json"),
    Case("cfg-quoted-false", 'applicable: "false" (quoted) is refused, not published as applicable',
         demo_config_plus('applicability:\n  fraud_cyber:\n    applicable: "false"\n    reason: Led regionally\n'),
         REPORT, line=DEMO_CONFIG_LINES + 3, says=r"applicability\.fraud_cyber\.applicable.*without quotes"),
    Case("cfg-misspelt", "similar_treshold_pct (misspelt) is refused with the right spelling",
         demo_config_plus("similar_treshold_pct: 10\n"), REPORT, line=DEMO_CONFIG_LINES + 1,
         says="did you mean 'similar_threshold_pct'"),
    Case("cfg-five", "a threshold of five (a word) is refused", demo_config_plus("similar_threshold_pct: five\n"),
         REPORT, line=DEMO_CONFIG_LINES + 1, says="expected a number"),
    Case("cfg-unknown-priority", "applicability for a priority the catalogue lacks is refused",
         demo_config_plus("applicability:\n  parking:\n    applicable: false\n    reason: Not ours\n"), REPORT,
         line=DEMO_CONFIG_LINES + 2, says="no priority 'parking'"),
    Case("cfg-unknown-measure", "a scorecard measure the catalogue lacks is refused",
         demo_config_plus("scorecard_measures: [homicide, burglery]\n"), REPORT, line=DEMO_CONFIG_LINES + 1,
         says="did you mean 'burglary'"),
    Case("cfg-dup-key", "a key written twice in the report configuration is refused with both lines",
         demo_config_plus("title: One\ntitle: Two\n"), REPORT, line=DEMO_CONFIG_LINES + 2,
         says="'title' appears twice"),
    Case("cfg-annual-report-kind", "a report configuration cannot ask for the annual report (it has its own command)",
         text("report.yaml", "document: annual_report\n"), REPORT, line=1, says="'statement' or 'board_paper'"),
    Case("cfg-commentary-dir-missing", "a commentary_dir that does not exist is refused",
         demo_config_plus("commentary_dir: no-such-folder\n"), REPORT, line=DEMO_CONFIG_LINES + 1,
         says="no-such-folder is not a folder"),
    Case("cfg-fifo", "a report configuration that is a named pipe is refused, never opened", fifo("report.yaml"),
         REPORT, seconds=20, says="not a regular file"),
    Case("cfg-deep", "a report configuration nested 50,000 deep is refused",
         text("report.yaml", "notes: " + "[" * 50_000 + "\n"), REPORT, line=1, says="nested more than"),
    Case("cfg-list", "a report configuration that is a list is refused",
         text("report.yaml", "- homicide\n"), REPORT, line=1, says="expected a mapping"),
]

COMMENTARY_CASES = [
    Case("cm-missing-folder", "--commentary naming a folder that does not exist is refused",
         lambda folder: folder / "commentary", REPORT_WITH_COMMENTARY, says="no such file or folder"),
    Case("cm-unknown-priority", "a commentary file for no priority is refused, naming it",
         commentary(f"{AREA}/{PERIOD_FOLDER}/homicde.md"), REPORT_WITH_COMMENTARY, says="did you mean 'homicide'"),
    Case("cm-unknown-force", "a commentary folder for no force is refused, naming it",
         commentary("West Mercia/homicide.md"), REPORT_WITH_COMMENTARY, names="West Mercia",
         says="did you mean 'west-mercia'"),
    Case("cm-bad-period", "a commentary period folder that does not read as a period is refused",
         commentary(f"{AREA}/2022-23-q1/homicide.md"), REPORT_WITH_COMMENTARY, names="2022-23-q1",
         says="did you mean '2022-23-Q1'"),
    Case("cm-control", "commentary holding an escape sequence is refused with its line",
         commentary(f"{AREA}/{PERIOD_FOLDER}/drugs_supply.md", "Fine.\nDrugs \x1b[2Jcleared.\n"),
         REPORT_WITH_COMMENTARY, line=2, says="control character U\\+001B"),
    Case("cm-latin1", "commentary in Latin-1 is refused with its line",
         commentary(f"{AREA}/{PERIOD_FOLDER}/drugs_supply.md", b"Fine.\n\nCaf\xe9\n"), REPORT_WITH_COMMENTARY,
         line=3, says="not UTF-8"),
    Case("cm-fifo", "commentary that is a named pipe is refused, never opened",
         commentary_fifo(f"{AREA}/homicide.md"), REPORT_WITH_COMMENTARY, seconds=20, says="not a regular file"),
    Case("cm-check-fifo", "check on commentary that is a named pipe is refused, never opened",
         commentary_fifo(f"{AREA}/{PERIOD_FOLDER}/homicide.md"), CHECK_COMMENTARY, seconds=20,
         says="not a regular file"),
    Case("cm-check-unknown-priority", "check on a commentary file for no priority is refused, naming it",
         commentary(f"{AREA}/serious_violance.md"), CHECK_COMMENTARY, says="did you mean 'serious_violence'"),
    Case("cm-check-control", "check on commentary holding a bell character is refused with its line",
         commentary(f"{AREA}/{PERIOD_FOLDER}/homicide.md", "Homicide fell.\n\nRing \x07 ring.\n"), CHECK_COMMENTARY,
         line=3, says="control character U\\+0007"),
]

VERIFY_CASES = [
    Case("rj-control", "the report.json as published agrees with the store", published(), VERIFY, EXIT_OK,
         says="every figure agrees"),
    Case("rj-changed-figure", "a report.json whose homicide figure was changed is listed, naming file and figure",
         published(_add_one_to_homicide), VERIFY, EXIT_DIFFERENCES,
         says=r"report\.json, priority homicide, figure homicide\.current \(YE \w+ \d{4}\) value: published"),
    Case("rj-fifo", "a report.json that is a named pipe is refused, never opened", fifo("report.json"), VERIFY,
         seconds=20, says="not a regular file"),
    Case("rj-dev-zero", "a report.json that is a link to /dev/zero is refused, never read",
         link_to_dev_zero("report.json"), VERIFY, seconds=20, says="not a regular file"),
    Case("rj-100mb", "a 100 MB report.json is refused from its size", sparse("report.json", 100 * 1024 * 1024),
         VERIFY, seconds=20, says="larger than any report.json"),
    Case("rj-deep", "JSON nested 50,000 deep is refused before it is decoded",
         text("report.json", "[" * 50_000 + "]" * 50_000), VERIFY, says="nested more than 40 levels"),
    Case("rj-list", "a JSON list is not a report", text("report.json", "[1, 2, 3]\n"), VERIFY,
         says="not a report.json written by"),
    Case("rj-no-sections", "a report.json without its sections is refused, naming the key",
         published(lambda d: d.pop("sections")), VERIFY, says="key sections: required key missing"),
    Case("rj-figure-text", "a figure value written as text is refused, naming the figure",
         published(lambda d: _homicide(d)["value"].update(value="48")), VERIFY,
         says=r"figures\[0\] \(homicide\)\.value\.value: expected a number, found the text '48'"),
    Case("rj-duplicate-key", "a figure with its text key written twice is refused",
         published_text(_duplicate_value_key), VERIFY, says="'text' appears twice"),
    Case("rj-truncated", "a truncated report.json is refused with the line it stops on",
         published_text(lambda raw: raw[:2000]), VERIFY, says="not valid JSON"),
    Case("rj-bad-period", "a report.json whose period no longer reads is refused, naming the key",
         published(lambda d: d["config"].update(period="2022-23 Q5")), VERIFY, says="key config.period"),
    Case("rj-unknown-force", "a report.json for a force that does not exist is refused, naming the key",
         published(lambda d: d.update(force_id="atlantis")), VERIFY, says="key force_id"),
    Case("rj-nan", "a report.json holding NaN is refused", published_text(lambda raw: raw.replace(
        '"value": ', '"value": NaN, "x": ', 1)), VERIFY, says="NaN is not a number"),
    Case("rj-latin1", "a report.json in Latin-1 is refused", text("report.json", b'{"format": "caf\xe9"}'), VERIFY,
         line=1, says="not UTF-8"),
    Case("rj-usage", "verify of a folder is refused as input, not a crash", lambda folder: folder, VERIFY,
         names="input", says="is a folder"),
]

CASES = [*CATALOGUE_CASES, *CONFIG_CASES, *COMMENTARY_CASES, *VERIFY_CASES]


@pytest.fixture(scope="module")
def outcomes(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("published")
    Published.path = write(folder, "report.json", report_json_of(hostile_store, AREA, PERIOD))
    return run_all(CASES, hostile_store, tmp_path_factory.mktemp("config"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    check(case, outcomes[case.id])


def test_there_are_at_least_thirty_hostile_configuration_cases() -> None:
    hostile = [c for c in CASES if c.exit not in (EXIT_OK, EXIT_USAGE)]
    assert len(hostile) >= 30, len(hostile)
