"""A commentary folder is read strictly: every file in it is published, or the command says why not."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.catalogue.schema import Catalogue
from scorecard.errors import ConfigError, ScorecardError
from scorecard.periods import parse
from scorecard.report import commentary
from scorecard.results import Result, ResultsEngine
from scorecard.store import Store


@pytest.fixture
def priorities(catalogue: Catalogue) -> list[str]:
    return [p.id for p in catalogue.priorities]


def _files(root: Path, *names: str, text: str = "Burglary fell.\n") -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_a_folder_of_forces_periods_and_priorities_is_accepted(tmp_path: Path, priorities: list[str]) -> None:
    root = _files(tmp_path / "commentary", "west-mercia/2022-23-Q1/homicide.md", "west-mercia/fraud_cyber.md",
                  "west-midlands/YE-Jun-2019/neighbourhood_crime.md",
                  "west-midlands/Jan-2021-to-Dec-2021/drugs_supply.md", ".git/config", "west-mercia/.DS_Store")
    commentary.check_folder(root, priorities)
    assert commentary.find_file(root, "west-mercia", parse("2022-23 Q1"), "homicide") == \
        root / "west-mercia" / "2022-23-Q1" / "homicide.md"
    assert commentary.find_file(root, "west-mercia", parse("2022-23 Q2"), "fraud_cyber") == \
        root / "west-mercia" / "fraud_cyber.md"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("West Mercia/homicide.md", "not a force id (did you mean 'west-mercia'?)"),
        ("atlantis/homicide.md", "not a force id"),
        ("west-mercia/2022-23-q1/homicide.md", "not a period (did you mean '2022-23-Q1'?)"),
        ("west-mercia/2022-23 Q1/homicide.md", "not a period (did you mean '2022-23-Q1'?)"),
        ("west-mercia/next-quarter/homicide.md", "not a period"),
        ("west-mercia/2022-23-Q1/homicde.md", "no priority 'homicde' (did you mean 'homicide'?)"),
        ("west-mercia/2022-23-Q1/homicide.txt", "not a commentary file"),
        ("west-mercia/2022-23-Q1/drafts/homicide.md", "a folder inside a period folder"),
        ("homicide.md", "not a folder: the commentary folder holds one folder per force"),
    ],
)
def test_a_file_that_matches_nothing_is_named(tmp_path: Path, priorities: list[str], name: str, says: str) -> None:
    root = _files(tmp_path / "commentary", "west-mercia/2022-23-Q1/homicide.md", name)
    with pytest.raises(ConfigError, match=re.escape(says)) as info:
        commentary.check_folder(root, priorities)
    first_part = name.split("/")[0]
    assert first_part in info.value.file


def test_a_commentary_pipe_is_refused_without_being_opened(tmp_path: Path, priorities: list[str]) -> None:
    folder = tmp_path / "commentary" / "west-mercia"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "homicide.md")
    with pytest.raises(ConfigError, match="not a regular file"):
        commentary.check_folder(tmp_path / "commentary", priorities)
    with pytest.raises(ConfigError, match="not a regular file"):
        commentary.read_text(folder / "homicide.md")


def test_the_folder_itself_must_exist_and_be_a_folder(tmp_path: Path, priorities: list[str]) -> None:
    with pytest.raises(ConfigError, match="no such file or folder"):
        commentary.check_folder(tmp_path / "commentry", priorities)
    with pytest.raises(ConfigError, match="not a folder"):
        commentary.check_folder(_files(tmp_path, "notes.md") / "notes.md", priorities)


@pytest.mark.parametrize(
    ("data", "line", "says"),
    [
        (b"Fine.\nThe bell \x07 rings.\n", 2, "control character U+0007"),
        (b"Fine.\n\x1b[31mred\x1b[0m\n", 2, "control character U+001B"),
        ("Fine.\nBurglary fell \u202eby 5%\n".encode(), 2, "control character U+202E"),
        ("Fine.\n\nCaf\xe9\n".encode("latin-1"), 3, "not UTF-8 text"),
    ],
)
def test_commentary_text_is_utf8_without_control_characters(tmp_path: Path, data: bytes, line: int,
                                                            says: str) -> None:
    path = tmp_path / "homicide.md"
    path.write_bytes(data)
    with pytest.raises(ConfigError, match=re.escape(says)) as info:
        commentary.read_text(path)
    assert info.value.line == line


def test_commentary_size_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "homicide.md"
    path.write_text("Homicide fell.\n" * 20_000, "utf-8")  # 300 KB
    with pytest.raises(ConfigError, match="larger than any commentary"):
        commentary.read_text(path)


def test_tabs_and_line_breaks_are_ordinary_text(tmp_path: Path) -> None:
    path = tmp_path / "homicide.md"
    path.write_text("| a\t| b |\r\n\r\nText.\n", "utf-8")
    assert commentary.read_text(path) == "| a\t| b |\r\n\r\nText.\n"


def test_a_period_folder_name_reads_back_to_the_same_period() -> None:
    for label in ("2024-25 Q1", "2024-25", "YE Jun 2019", "2024 Q1", "2024", "Jun 2024", "Jan 2021 to Dec 2021"):
        period = parse(label)
        assert commentary.period_from_slug(commentary.period_slug(period)) == period
    assert commentary.period_from_slug("2024-25-q1") is None  # would never be found on a case-sensitive disk


# --- mutated commentary never ends in anything but our own error ----------------------------

# Commentary as an analyst writes it (our own words), citing figures by reference.
COMMENTARY = (
    "Burglary stood at {burglary.value} in {burglary.period}, against {burglary.baseline} in the\n"
    "{burglary.baseline_period} baseline: a fall of {burglary.change_pct_abs}%.\n\n"
    "Robbery changed by {robbery.change_pct}% on the baseline; vehicle offences by\n"
    "{vehicle_offences.change_pct_whole}%. Theft from the person was 2,889 in the baseline year.\n"
)


@pytest.fixture(scope="module")
def results(real_store_path: Path, catalogue: Catalogue) -> dict[str, Result]:
    with Store.open(real_store_path, read_only=True) as store:
        rs = ResultsEngine(store, catalogue).compute(catalogue.measures, parse("2021-22"), force_ids=["west-midlands"])
    return {r.measure.id: r for r in rs}


def test_the_commentary_resolves_as_written(tmp_path: Path, results: dict[str, Result]) -> None:
    folder = _files(tmp_path / "c", "west-midlands/2021-22/neighbourhood_crime.md", text=COMMENTARY)
    loaded = commentary.load(folder, "west-midlands", parse("2021-22"), "neighbourhood_crime", results)
    assert loaded is not None and "{" not in loaded.markdown


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.floats(0, 1), junk=st.binary(min_size=1, max_size=12), cut=st.booleans())
def test_mutated_commentary_is_read_or_refused(tmp_path: Path, results: dict[str, Result], at: float, junk: bytes,
                                               cut: bool) -> None:
    data = COMMENTARY.encode()
    where = int(at * len(data))
    data = data[:where] if cut else data[:where] + junk + data[where + len(junk):]
    folder = tmp_path / "c"
    path = folder / "west-midlands" / "2021-22" / "neighbourhood_crime.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        loaded = commentary.load(folder, "west-midlands", parse("2021-22"), "neighbourhood_crime", results)
        if loaded is not None:
            commentary.check_numbers(loaded.markdown, results, file=str(path))
    except ScorecardError as exc:
        assert str(path) in str(exc)
