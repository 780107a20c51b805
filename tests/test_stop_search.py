"""Stop and search figures (``scorecard.stop_search``) from the real data.police.uk archives.

Every count is checked against tests/golden/stop_search/outcomes.tsv and ethnicity.tsv, which were
counted from the archives' CSVs by the programs in their headers (Python's csv module, no scorecard
code), for each of the seven forces' three months and Thames Valley's one, month by month and over
the three months.  The months are exact: a month the store does not hold is refused with the months
it does hold, and a month loaded again counts once, from its latest file.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import SHARED_DATA, private_copy, store_holding
from scorecard.census import Census, load_census
from scorecard.errors import UnknownForce, UsageError
from scorecard.ingest import ingest_path
from scorecard.periods import Month, PeriodError
from scorecard.stop_search import (
    MonthsNotHeld,
    PerPopulation,
    RatioToWhite,
    Share,
    StopSearchFigures,
    ethnic_group,
    held_months,
    is_not_stated,
    months_text,
    outcome_kind,
    stop_search_figures,
)
from scorecard.store import Store

GOLDEN = Path(__file__).parent / "golden" / "stop_search"
POLICE_UK = SHARED_DATA / "police-uk"
ARCHIVES = (*sorted(POLICE_UK.glob("stop-and-search-*.zip")), POLICE_UK / "thames-valley-2022-01-custom-download.zip")
DEC_2019, FEB_2020 = Month(2019, 12), Month(2020, 2)


def golden(name: str) -> list[dict[str, str]]:
    lines = [line for line in (GOLDEN / name).read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def month(text: str) -> Month:
    year, m = text.split("-")
    return Month(int(year), int(m))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every real stop-and-search archive (seven forces, Dec 2019 - Feb 2020) and Thames
    Valley's January 2022 custom download."""
    return store_holding(tmp_path_factory, "stop-search", *ARCHIVES)


@pytest.fixture(scope="module")
def census() -> Census:
    return load_census(2011)


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with Store.open(store_path, read_only=True) as s:
        yield s


@pytest.fixture
def writable(store_path: Path, tmp_path: Path) -> Iterator[Store]:
    yield from private_copy(store_path, tmp_path)


def figures(store: Store, census: Census, row: dict[str, str]) -> StopSearchFigures:
    return stop_search_figures(store, row["force"], month(row["first"]), month(row["last"]), census)


# --- against the counts made from the CSVs ------------------------------------------------------------------

def test_outcomes_are_the_counts_of_the_published_rows(store: Store, census: Census) -> None:
    rows = golden("outcomes.tsv")
    assert len(rows) == 22 + 7  # seven forces x three months and Thames Valley's month, then each force's span
    for row in rows:
        o = figures(store, census, row).outcomes
        got = {k: getattr(o, k) for k in ("searches", "arrests", "other_outcomes", "no_further_action",
                                          "not_recorded", "linked", "not_linked", "linked_not_given")}
        assert got == {k: int(v) for k, v in row.items() if k not in ("force", "first", "last")}, row


def test_searches_by_ethnic_group_are_the_counts_of_the_published_rows(store: Store, census: Census) -> None:
    by_period: dict[tuple[str, str, str], dict[str, dict[str, str]]] = {}
    for row in golden("ethnicity.tsv"):
        by_period.setdefault((row["force"], row["first"], row["last"]), {})[row["group"]] = row
    assert len(by_period) == 29
    for (force_id, first, last), groups in by_period.items():
        e = figures(store, census, {"force": force_id, "first": first, "last": last}).ethnicity
        assert e.not_stated == int(groups["Not stated"]["searches"])
        assert e.vehicle_only == int(groups["Vehicle only"]["searches"])
        assert e.unrecognised == ()
        for g in e.groups:
            want = groups[g.group]
            assert (g.searches, g.population) == (int(want["searches"]), int(want["population"])), (force_id, g)
            assert g.rate.exact == Fraction(g.searches * 1000, g.population)
            assert _half_up(g.rate.exact, 2) == want["per_1000_2dp"], (force_id, first, g.group)
            ratio = g.ratio_to_white.exact
            assert (_half_up(ratio, 1) if ratio is not None else "-") == want["ratio_to_white_1dp"], (force_id, g)


def _half_up(value: Fraction, places: int) -> str:
    """An exact value rounded half up, as the golden program writes it ("17.66", "3.0")."""
    q = int(value * 10**places + Fraction(1, 2))
    return f"{q // 10**places}.{q % 10**places:0{places}d}"


def test_merseyside_over_three_months(store: Store, census: Census) -> None:
    # ethnicity.tsv and outcomes.tsv: 9,631 searches, 700 arrests, 2,033 with an outcome; 257 searches of Black
    # people of 14,552 (17.66 per 1,000) against 7,604 of 1,305,303 White people (5.83 per 1,000): 3.0 times.
    f = stop_search_figures(store, "merseyside", DEC_2019, FEB_2020, census)
    assert (f.outcomes.searches, f.outcomes.arrests, f.outcomes.with_outcome) == (9631, 700, 2033)
    black = f.ethnicity.group("Black")
    assert black.ratio_to_white.exact == Fraction(257 * 1_305_303, 14_552 * 7_604)
    assert f.months == (Month(2019, 12), Month(2020, 1), Month(2020, 2))
    assert f.period.label == "Dec 2019 to Feb 2020"
    assert f.force_name == "Merseyside" and f.census is census


def test_every_search_is_in_one_part(store: Store, census: Census) -> None:
    for row in golden("outcomes.tsv"):
        f = figures(store, census, row)
        e = f.ethnicity
        assert e.person_searches + e.vehicle_only == f.outcomes.searches
        assert e.stated + e.not_stated == e.person_searches


def test_durham_left_no_further_action_unrecorded_in_2020(store: Store, census: Census) -> None:
    # Durham's January 2020 file gives no outcome for 121 of its 161 searches, and no search is
    # "A no further action disposal": the blanks are shown as not recorded, never as no further action.
    o = stop_search_figures(store, "durham", Month(2020, 1), Month(2020, 1), census).outcomes
    assert (o.searches, o.no_further_action, o.not_recorded) == (161, 0, 121)
    assert o.outcome_rate == Share(40, 161)


def test_the_rates_are_exact(store: Store, census: Census) -> None:
    o = stop_search_figures(store, "merseyside", DEC_2019, FEB_2020, census).outcomes
    assert o.arrest_rate == Share(700, 9631) and o.arrest_rate.exact == Fraction(700, 9631)
    assert o.linked_rate == Share(1891, 1891 + 142)
    assert o.arrests + o.other_outcomes + o.no_further_action + o.not_recorded == o.searches


def test_load_ids_are_the_files_behind_the_figures(store: Store, census: Census) -> None:
    f = stop_search_figures(store, "essex", DEC_2019, FEB_2020, census)
    loads = store.con.execute("SELECT load_id FROM loads WHERE file_name LIKE 'stop-and-search-%' ORDER BY 1"
                              ).fetchall()
    assert f.load_ids == tuple(i for (i,) in loads)


# --- months: exactly those asked for ------------------------------------------------------------------------

def test_the_months_held_for_each_force(store: Store) -> None:
    assert held_months(store, "essex") == (Month(2019, 12), Month(2020, 1), Month(2020, 2))
    assert held_months(store, "thames-valley") == (Month(2022, 1),)
    assert held_months(store, "west-midlands") == ()


def test_a_month_not_held_is_refused_with_the_months_that_are(store: Store, census: Census) -> None:
    with pytest.raises(MonthsNotHeld, match=r"the store holds Essex stop and search for Dec 2019 to Feb 2020; "
                                            r"Nov 2019, Mar 2020 are not held") as caught:
        stop_search_figures(store, "essex", Month(2019, 11), Month(2020, 3), census)
    assert caught.value.missing == (Month(2019, 11), Month(2020, 3))
    assert isinstance(caught.value, UsageError)


def test_a_force_with_nothing_held(store: Store, census: Census) -> None:
    with pytest.raises(MonthsNotHeld, match=r"holds no stop and search for West Midlands; Dec 2019 is not held"):
        stop_search_figures(store, "west-midlands", DEC_2019, DEC_2019, census)


def test_a_gap_inside_the_months_is_refused(store: Store, census: Census) -> None:
    with pytest.raises(MonthsNotHeld, match=r"Thames Valley stop and search for Jan 2022; Dec 2021 is not held"):
        stop_search_figures(store, "thames-valley", Month(2021, 12), Month(2022, 1), census)


def test_a_file_loaded_again_replaces_the_month(writable: Store, census: Census, tmp_path: Path) -> None:
    # A revised Durham December 2019 file (its first 20 searches) replaces the 145 first loaded.
    data = _member("2019-12/2019-12-durham-stop-and-search.csv", ARCHIVES[0])
    lines = data.split(b"\n")
    ingest_path(writable, _write(tmp_path / "2019-12-durham-stop-and-search.csv", b"\n".join(lines[:21]) + b"\n"))
    expected = sum(1 for _ in csv.DictReader(b"\n".join(lines[:21]).decode("utf-8-sig").splitlines()))
    assert expected == 20
    assert stop_search_figures(writable, "durham", DEC_2019, DEC_2019, census).outcomes.searches == 20


def _member(name: str, archive: Path) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- what cannot be worked out ------------------------------------------------------------------------------

def test_btp_has_no_census_population(store: Store, census: Census) -> None:
    with pytest.raises(UsageError, match="British Transport Police has no population by ethnic group"):
        stop_search_figures(store, "btp", DEC_2019, DEC_2019, census)


def test_an_unknown_force(store: Store, census: Census) -> None:
    with pytest.raises(UnknownForce, match="unknown police force 'mersey'"):
        stop_search_figures(store, "mersey", DEC_2019, DEC_2019, census)


def test_months_the_wrong_way_round(store: Store, census: Census) -> None:
    with pytest.raises(PeriodError, match="before it starts"):
        stop_search_figures(store, "essex", FEB_2020, DEC_2019, census)


# --- the rules, one by one ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "group"), [
    ("White - English/Welsh/Scottish/Northern Irish/British", "White"),
    ("White - Irish", "White"),
    ("Mixed/Multiple ethnic groups - White and Black Caribbean", "Mixed"),
    ("Asian/Asian British - Chinese", "Asian"),
    ("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", "Black"),
    ("Other ethnic group - Any other ethnic group", "Other"),
    ("  other ethnic group - arab ", "Other"),
    ("Other ethnic group - Not stated", None),
    ("", None),
    ("Martian - Red", None),
])
def test_a_self_defined_ethnicity_is_in_its_census_group(label: str, group: str | None) -> None:
    assert ethnic_group(label) == group


def test_not_stated_is_told_apart_from_unknown() -> None:
    assert is_not_stated("Other ethnic group - Not stated") and is_not_stated("") and is_not_stated("  ")
    assert not is_not_stated("Martian - Red")


@pytest.mark.parametrize(("outcome", "kind"), [
    ("A no further action disposal", "no_further_action"), ("Nothing found - no further action", "no_further_action"),
    ("Arrest", "arrest"), ("Suspect arrested", "arrest"), ("Community resolution", "other"),
    ("Khat or Cannabis warning", "other"), ("", "not_recorded"), ("  ", "not_recorded"),
])
def test_an_outcome_is_of_one_kind(outcome: str, kind: str) -> None:
    assert outcome_kind(outcome) == kind


def test_a_ratio_is_one_rate_over_another() -> None:
    white, black = PerPopulation(7604, 1_305_303), PerPopulation(257, 14_552)
    assert RatioToWhite(black, white).exact == Fraction(257, 14_552) / Fraction(7604, 1_305_303)
    assert RatioToWhite(white, white).exact == 1
    assert RatioToWhite(black, PerPopulation(0, 1_305_303)).exact is None
    assert RatioToWhite(PerPopulation(0, 0), white).exact is None
    assert Share(1, 3).percent == pytest.approx(100 / 3) and Share(0, 0).percent is None


def test_months_are_written_as_runs() -> None:
    assert months_text([Month(2020, 1), Month(2019, 12), Month(2020, 2), Month(2022, 1)]) == \
        "Dec 2019 to Feb 2020, Jan 2022"
    assert months_text([Month(2019, 12)]) == "Dec 2019"


@pytest.mark.parametrize("name", ["outcomes.tsv", "ethnicity.tsv", "census2011-force-population.tsv"])
def test_each_golden_file_is_what_the_program_in_its_header_makes(name: str) -> None:
    """The expected values were made from ../shared/data by the stdlib program each file carries, not by
    scorecard: running it again must give the file's rows exactly."""
    text = (GOLDEN / name).read_text("utf-8")
    program = "\n".join(line[6:] for line in text.splitlines() if line.startswith("#   | ") or line == "#   |")
    made = subprocess.run([sys.executable, "-", str(SHARED_DATA)], input=program, capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    assert made == "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
