"""Census 2011 population by ethnic group for each force area (``scorecard.census``).

The bundled file must give, for every one of the 43 force areas, exactly what summing the shared
data's local-authority census table through the ONS lookup gives: tests/golden/stop_search/
census2011-force-population.tsv, made from ../shared/data by the program in its header, not by
scorecard.  A bundled file that does not add up (groups against all categories, authorities
against their force, forces against England and Wales) must be refused with the line that fails.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from scorecard.areas import forces, territorial_forces
from scorecard.census import GROUPS, Census, load_census
from scorecard.errors import InputError, UsageError

GOLDEN = Path(__file__).parent / "golden" / "stop_search" / "census2011-force-population.tsv"
SHARED_LOOKUPS = Path(__file__).resolve().parents[2] / "shared" / "data" / "lookups"
BUNDLED_TEXT = resources.files("scorecard").joinpath("data/lookups/census2011-ethnic-group.csv").read_text("utf-8")


def golden() -> dict[str, dict[str, str]]:
    """The golden rows by force id (matched through each force's ONS code)."""
    rows = csv.DictReader([line for line in GOLDEN.read_text("utf-8").splitlines() if not line.startswith("#")],
                          delimiter="\t")
    by_code = {f.ons_code: f.force_id for f in territorial_forces()}
    return {by_code[r["pfa16_code"]]: r for r in rows}


@pytest.fixture(scope="module")
def census() -> Census:
    return load_census(2011)


def test_every_force_area_is_what_the_shared_census_table_sums_to(census: Census) -> None:
    expected = golden()
    assert sorted(expected) == sorted(f.force_id for f in territorial_forces())
    for force_id, row in expected.items():
        got = census.population(force_id)
        assert got.total == int(row["all_categories"]), force_id
        assert {g: got.group(g) for g in GROUPS} == {g: int(row[g.lower()]) for g in GROUPS}, force_id
        assert len(got.local_authorities) == int(row["local_authorities"]), force_id


def test_the_force_areas_make_up_england_and_wales(census: Census) -> None:
    # Census 2011: 56,075,912 usual residents of England and Wales.
    assert census.england_and_wales.total == 56_075_912
    assert sum(p.total for p in census.forces.values()) == 56_075_912
    assert sum(len(p.local_authorities) for p in census.forces.values()) == 348
    for g in GROUPS:
        assert sum(p.group(g) for p in census.forces.values()) == census.england_and_wales.group(g)


def test_each_authority_is_in_one_force_as_the_ons_lookup_places_it(census: Census) -> None:
    with (SHARED_LOOKUPS / "lad16-csp16-pfa16.csv").open(encoding="utf-8-sig") as f:
        lookup = {r["LAD16CD"]: r["PFA16CD"] for r in csv.DictReader(f)}
    placed = {code: forces()[force_id].ons_code for force_id, p in census.forces.items()
              for code in p.local_authorities}
    assert placed == lookup


def test_the_year_and_its_caveat_travel_with_the_figures(census: Census) -> None:
    assert census.year == 2011
    assert census.caveat == "Population from Census 2011; the population has changed since."
    assert "Census 2011" in census.source


def test_a_census_year_not_bundled_says_which_are() -> None:
    with pytest.raises(UsageError, match=r"no Census 2021 population by ethnic group is bundled.*available are 2011"):
        load_census(2021)


def test_btp_has_no_resident_population(census: Census) -> None:
    with pytest.raises(UsageError, match="British Transport Police has no population by ethnic group in Census 2011"):
        census.population("btp")


# --- a bundled file that does not add up is refused -----------------------------------------------------------

def edited(tmp_path: Path, change: str, to: str) -> Path:
    """The bundled file with one piece of text changed (exactly once)."""
    assert BUNDLED_TEXT.count(change) == 1, change
    path = tmp_path / "census.csv"
    path.write_text(BUNDLED_TEXT.replace(change, to), "utf-8")
    return path


def line_of(text: str) -> int:
    return next(n for n, line in enumerate(BUNDLED_TEXT.splitlines(), start=1) if line.startswith(text))


def test_the_bundled_file_loaded_from_a_path_is_the_same(tmp_path: Path, census: Census) -> None:
    path = tmp_path / "same.csv"
    path.write_text(BUNDLED_TEXT, "utf-8")
    assert load_census(2011, path).forces == census.forces


def test_groups_that_do_not_add_up_to_all_categories(tmp_path: Path) -> None:
    # Knowsley: 141,858 White of 145,893; one White person more breaks the row.
    path = edited(tmp_path, "Knowsley,merseyside,145893,141858,", "Knowsley,merseyside,145893,141859,")
    with pytest.raises(InputError, match=rf"line {line_of('local_authority,E08000011')}: Knowsley: the five groups "
                                         r"add up to 145,894, not to its 145,893 people"):
        load_census(2011, path)


def test_authorities_that_do_not_add_up_to_their_force(tmp_path: Path) -> None:
    path = edited(tmp_path, "Knowsley,merseyside,145893,141858,1913,",
                  "Knowsley,merseyside,145894,141858,1914,")
    with pytest.raises(InputError, match=rf"line {line_of('force,E23000004')}: its local authorities add up to "
                                         r"1,381,190 people, not to Merseyside's 1,381,189"):
        load_census(2011, path)


def test_a_force_left_out(tmp_path: Path) -> None:
    line = next(x for x in BUNDLED_TEXT.splitlines() if x.startswith("force,E23000004"))
    path = edited(tmp_path, line + "\n", "")
    with pytest.raises(InputError, match="no row for merseyside: every police force area needs one"):
        load_census(2011, path)


def test_an_authority_in_no_known_force(tmp_path: Path) -> None:
    path = edited(tmp_path, "Knowsley,merseyside,", "Knowsley,nowhere,")
    with pytest.raises(InputError, match=rf"line {line_of('local_authority,E08000011')}: Knowsley is placed in "
                                         r"'nowhere', which has no force row"):
        load_census(2011, path)


def test_an_authority_listed_twice(tmp_path: Path) -> None:
    line = next(x for x in BUNDLED_TEXT.splitlines() if x.startswith("local_authority,E08000011"))
    path = edited(tmp_path, line + "\n", line + "\n" + line + "\n")
    with pytest.raises(InputError, match=r"Knowsley \(E08000011\) is listed twice"):
        load_census(2011, path)


def test_forces_that_do_not_add_up_to_england_and_wales(tmp_path: Path) -> None:
    path = edited(tmp_path, "England and Wales,,56075912,48209395,", "England and Wales,,56075913,48209396,")
    with pytest.raises(InputError, match=r"its forces add up to 56,075,912 people, not to England and Wales's "
                                         r"56,075,913"):
        load_census(2011, path)


@pytest.mark.parametrize(("change", "to", "says"), [
    ("area_type,area_code", "type,area_code", "the header is not area_type,area_code"),
    ("Knowsley,merseyside,145893,", "Knowsley,merseyside,145 893,", r"'145 893' is not a count of people"),
    ("Knowsley,merseyside,145893,", "Knowsley,merseyside,-145893,", r"'-145893' is not a count of people"),
    ("local_authority,E08000011", "district,E08000011", r"area type 'district' is not one of"),
    ("Knowsley,merseyside,145893,141858,1913,1403,505,214", "Knowsley,merseyside,145893,141858,1913,1403,505",
     "9 fields where 10 are expected"),
])
def test_a_damaged_row_is_named(tmp_path: Path, change: str, to: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        load_census(2011, edited(tmp_path, change, to))
