"""A commentary folder is read strictly: every file in it is published, or the command says why not."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.catalogue.schema import Catalogue
from scorecard.documents import commentary
from scorecard.errors import ConfigError, InputError, ScorecardError
from scorecard.periods import parse
from scorecard.results import Result, ResultsEngine
from scorecard.store import Store
from scorecard.windows import StatementPeriod


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
    assert commentary.find_file(root, "west-mercia", StatementPeriod.read("2022-23 Q1"), "homicide", "pcc") == \
        root / "west-mercia" / "2022-23-Q1" / "homicide.md"
    assert commentary.find_file(root, "west-mercia", StatementPeriod.read("2022-23 Q2"), "fraud_cyber", "pcc") == \
        root / "west-mercia" / "fraud_cyber.md"


def test_the_force_and_the_pcc_each_have_a_voice(tmp_path: Path, priorities: list[str]) -> None:
    """A board paper carries the force's statement and the PCC's on the same priority."""
    root = _files(tmp_path / "commentary", "west-midlands/2021-22-Q4/homicide.md",
                  "west-midlands/2021-22-Q4/homicide.force.md")
    commentary.check_folder(root, priorities)
    sp = StatementPeriod.read("2021-22 Q4")
    assert commentary.find_file(root, "west-midlands", sp, "homicide", "force") == \
        root / "west-midlands" / "2021-22-Q4" / "homicide.force.md"
    assert commentary.find_file(root, "west-midlands", sp, "homicide", "pcc") == \
        root / "west-midlands" / "2021-22-Q4" / "homicide.md"
    bad = _files(tmp_path / "other", "west-midlands/homicide.chief.md")
    with pytest.raises(ConfigError, match="no voice 'chief'"):
        commentary.check_folder(bad, priorities)


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
    "{burglary.baseline_period} baseline: a fall of {burglary.change_pct_abs}.\n\n"
    "Robbery changed by {robbery.change_pct} on the baseline; vehicle offences by\n"
    "{vehicle_offences.change_year_before} on the year before. Theft from the person was 2,889 in the baseline year.\n"
)


@pytest.fixture(scope="module")
def results(real_store_path: Path, catalogue: Catalogue) -> dict[str, Result]:
    with Store.open(real_store_path, read_only=True) as store:
        rs = ResultsEngine(store, catalogue).compute(catalogue.measures, parse("2021-22"), force_ids=["west-midlands"])
    return {r.measure.id: r for r in rs}


def load(folder: Path, results: dict[str, Result]) -> str | None:
    """West Midlands' 2021-22 neighbourhood-crime commentary, its references filled in."""
    path = commentary.find_file(folder, "west-midlands", StatementPeriod.read("2021-22"), "neighbourhood_crime", "pcc")
    if path is None:
        return None
    return commentary.resolve(commentary.read_text(path), results, file=str(path))[0]


def test_the_commentary_resolves_as_written(tmp_path: Path, results: dict[str, Result]) -> None:
    folder = _files(tmp_path / "c", "west-midlands/2021-22/neighbourhood_crime.md", text=COMMENTARY)
    loaded = load(folder, results)
    assert loaded is not None and "{" not in loaded


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
        loaded = load(folder, results)
        if loaded is not None:
            commentary.check_numbers(loaded, results, file=str(path))
    except ScorecardError as exc:
        assert str(path) in str(exc)


# --- the number check: which measure a number is about, years, allowed figures -------------------

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "check" / "cases.txt"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FLAG = re.compile(r"(?:line (\d+): )?'(.*?)' as ([a-z][a-z0-9_]*)(?:; |$)")
MESSAGE = re.compile(r"^case\.md, line (\d+): '(.*)' matches no figure of ([a-z][a-z0-9_]*) for ")


def _golden_cases() -> list[tuple[str, str, str, str, str]]:
    """(force, period, commentary, expected, from) for each case line of the golden file."""
    cases = []
    for line in GOLDEN.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        force, period, rest = line.split(" | ", 2)
        text, tail = rest.rsplit(" ⇒ ", 1)
        expected, source = tail.split(" | from ", 1)
        cases.append((force, period, text.replace("\\n", "\n"), expected, source))
    return cases


CASES = _golden_cases()


@pytest.fixture(scope="module")
def results_for(real_store_path: Path, catalogue: Catalogue) -> Callable[[str, str], dict[str, Result]]:
    """Results for every measure of one force and period, computed once per pair."""
    cache: dict[tuple[str, str], dict[str, Result]] = {}

    def get(force: str, period: str) -> dict[str, Result]:
        if (force, period) not in cache:
            with Store.open(real_store_path, read_only=True) as store:
                rs = ResultsEngine(store, catalogue).compute(catalogue.measures, parse(period), force_ids=[force])
            cache[force, period] = {r.measure.id: r for r in rs}
        return cache[force, period]

    return get


def _flags(problems: list[str]) -> list[tuple[int, str, str]]:
    found = []
    for p in problems:
        m = MESSAGE.match(p)
        assert m, p
        found.append((int(m.group(1)), m.group(2), m.group(3)))
    return found


def test_the_golden_file_holds_cases_of_every_kind() -> None:
    assert len(CASES) >= 40
    assert {e == "ok" for *_, e, _ in CASES} == {True, False}


@pytest.mark.parametrize(("force", "period", "text", "expected", "source"), CASES,
                         ids=[f"{i:02d}-{c[2][:40]}" for i, c in enumerate(CASES, start=1)])
def test_golden_check_cases(force: str, period: str, text: str, expected: str, source: str,
                            results_for: Callable[[str, str], dict[str, Result]]) -> None:
    results = results_for(force, period)
    wanted = [] if expected == "ok" else [(int(n or 1), quote, mid) for n, quote, mid in FLAG.findall(expected)]
    assert expected == "ok" or wanted, f"unreadable expectation {expected!r}"
    assert _flags(commentary.check_numbers(text, results, file="case.md")) == wanted


@pytest.mark.parametrize(("force", "period", "text", "expected", "source"), CASES,
                         ids=[f"{i:02d}-{c[2][:40]}" for i, c in enumerate(CASES, start=1)])
def test_golden_cases_say_truly_where_their_figures_come_from(
        force: str, period: str, text: str, expected: str, source: str,
        results_for: Callable[[str, str], dict[str, Result]]) -> None:
    claims = [(ref, quoted or plain) for ref, quoted, plain in
              re.findall(r'\b([a-z][a-z0-9_]*\.[a-z_]+)=(?:"([^"]+)"|(\S+))', source)]
    assert claims, f"the case names no figure it rests on: {source!r}"
    for reference, value in claims:
        resolved, _ = commentary.resolve("{" + reference + "}", results_for(force, period), file="case.md")
        assert resolved == value, f"{reference} is {resolved} in the store, not {value}"
    for seed in re.findall(r"\bseed=(\d{3})\b", source):
        (seed_file,) = SEEDS.glob(f"{seed}_*.txt")
        assert " ".join(text.split()) in " ".join(seed_file.read_text("utf-8").split())


def test_a_flag_names_the_figures_it_could_have_been(results: dict[str, Result]) -> None:
    problems = commentary.check_numbers("Robbery fell 12% in the year.\n\nThere were 7,868 robberies.\n",
                                        results, file="wm/neighbourhood_crime.md")
    assert problems == [
        "wm/neighbourhood_crime.md, line 3: '7,868 robberies' matches no figure of robbery for 2021-22 (value 7,862; "
        "baseline 8,935; previous period 6,495; same period last year 6,495; change on baseline \u22121,073; change "
        "on previous period +1,367; change on same period last year +1,367; rate 2.68 per 1,000 people)"]
    (percent,) = commentary.check_numbers("Robbery fell 13%.", results, file="c.md")
    # The figures are listed as the documents show them (documents.format): -12.0% is "−12%".
    assert percent.endswith("(% change on baseline \u221212%; % change on previous period +21%; "
                            "% change on same period last year +21%)")


def test_line_numbers_are_those_resolve_reports(results: dict[str, Result]) -> None:
    text = "Robbery.\r\n\r\nRobbery fell to\r\n7,000.\r\n"
    (problem,) = commentary.check_numbers(text, results, file="c.md")
    assert problem.startswith("c.md, line 4: 'Robbery fell to 7,000'")
    with pytest.raises(InputError) as info:
        commentary.resolve(text.replace("7,000", "{robbery.nothing}"), results, file="c.md")
    assert info.value.line == 4


def test_a_shared_name_is_checked_against_one_measure_only(results_for: Callable[[str, str], dict[str, Result]]
                                                           ) -> None:
    results = results_for("west-mercia", "2024 Q1")
    assert results["street_weapons"].current.value == 282  # police.uk, context
    assert results["possession_of_weapons"].current.value == 258  # Home Office, proxy
    (problem,) = commentary.check_numbers("282 possession of weapons offences.", results, file="c.md")
    assert "of possession_of_weapons for 2024 Q1 (value 258;" in problem and "282" not in problem.split("(")[1]


def test_a_number_near_no_measure_is_not_checked(results: dict[str, Result]) -> None:
    assert commentary.check_numbers("We held 38 firearms warrants and 185 visits.", results, file="c.md") == []


def test_a_measure_without_figures_says_so(results: dict[str, Result]) -> None:
    assert results["drug_related_homicides"].current.value is None
    (problem,) = commentary.check_numbers("There were 4 drug-related homicides.", results, file="c.md")
    assert problem.endswith("matches no figure of drug_related_homicides for 2021-22 (no figure of it is held)")


def test_more_decimal_places_than_any_published_figure_match_nothing(results: dict[str, Result]) -> None:
    assert commentary.check_numbers("There were 7,862.00 robberies.", results, file="c.md") == []
    for typed in ("7,862.000", "7,862." + "0" * 40):
        (problem,) = commentary.check_numbers(f"There were {typed} robberies.", results, file="c.md")
        assert f"'{typed} robberies' matches no figure of robbery" in problem
