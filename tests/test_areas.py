"""Every spelling of a force resolves to one id; codes match exactly.  Local authorities and CSPs
are found in the store's lookup, and naming one where a force is wanted says how to ask for it."""

from __future__ import annotations

import pytest

from scorecard.areas import find_force, force_id, territorial_forces
from scorecard.errors import UnknownForce
from scorecard.store import Store
from scorecard.sub_areas import explain_area, find_sub_areas, sub_areas


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Avon and Somerset 9", "avon-and-somerset"),  # ONS footnote glued on
        ("Cheshire7", "cheshire"),
        ("London, City of", "city-of-london"),  # Home Office
        ("Metropolitan Police [Note 6]", "metropolitan"),
        ("Devon & Cornwall Police", "devon-and-cornwall"),  # data.police.uk
        ("dyfed-powys", "dyfed-powys"),
        ("British Transport Police", "btp"),
        ("E23000014", "west-midlands"),
        ("W15000004", "dyfed-powys"),
    ],
)
def test_spellings(name: str, expected: str) -> None:
    assert find_force(name) == expected


def test_codes_are_exact_and_regions_are_not_forces() -> None:
    assert find_force("E23999999") is None
    assert find_force("E12000005") is None  # the West Midlands *region*
    assert find_force("ENGLAND AND WALES6") is None


def test_unknown_force_names_where_it_was_read() -> None:
    with pytest.raises(UnknownForce) as info:
        force_id("Gotham City Police", file="data.csv", line=7)
    assert str(info.value) == "data.csv, line 7: unknown police force 'Gotham City Police'"


def test_there_are_43_territorial_forces() -> None:
    assert len(territorial_forces()) == 43


# --- local authorities and CSPs (scorecard.sub_areas) ------------------------------------------


def test_a_forces_local_authorities_and_csps_come_from_the_stores_lookup(real_store: Store) -> None:
    west_mercia = sub_areas(real_store.con, "west-mercia")
    authorities = {a.name: (a.code, a.csp_name) for a in west_mercia if a.area_type == "local_authority"}
    csps = {a.name: a.code for a in west_mercia if a.area_type == "csp"}
    assert authorities["Shropshire"] == ("E06000051", "Shropshire")
    assert authorities["Redditch"] == ("E07000236", "North Worcestershire")
    assert len(authorities) == 9
    assert csps == {"Herefordshire, County of": "E22000326", "North Worcestershire": "E22000368",
                    "Shropshire": "E22000360", "South Worcester": "E22000332", "Telford and Wrekin": "E22000333"}
    assert [a.area_type for a in west_mercia] == ["local_authority"] * 9 + ["csp"] * 5  # authorities first


def test_every_territorial_force_has_local_authorities(real_store: Store) -> None:
    everywhere = sub_areas(real_store.con)
    assert {a.force_id for a in everywhere} == {f.force_id for f in territorial_forces()}
    assert {a.force_id for a in find_sub_areas("Birmingham", everywhere)} == {"west-midlands"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Shropshire", "Shropshire is a local authority and a CSP in West Mercia: ask for "
                       "`--area west-mercia --by local_authority` or `--area west-mercia --by csp`"),
        ("herefordshire, county of", "Herefordshire, County of is a CSP in West Mercia: ask for "
                                     "`--area west-mercia --by csp`"),
        ("Herefordshire", "Herefordshire is a local authority in West Mercia: ask for "
                          "`--area west-mercia --by local_authority`"),
        ("E08000025", "E08000025 (Birmingham) is a local authority in West Midlands: ask for "
                      "`--area west-midlands --by local_authority`"),
        ("Telford & Wrekin", "Telford and Wrekin is a local authority and a CSP in West Mercia: ask for "
                             "`--area west-mercia --by local_authority` or `--area west-mercia --by csp`"),
    ],
)
def test_a_local_authority_or_csp_given_as_an_area_says_how_to_ask_for_it(
        real_store: Store, name: str, expected: str) -> None:
    assert explain_area(name, sub_areas(real_store.con)) == expected


def test_given_where_a_force_is_wanted_it_names_the_force(real_store: Store) -> None:
    known = sub_areas(real_store.con)
    assert explain_area("Wyre Forest", known, option="--force", by=False) == (
        "Wyre Forest is a local authority in West Mercia: ask for `--force west-mercia`")
    assert explain_area("Redditch", known, allow_all=False, by=False) == (  # a command without --by
        "Redditch is a local authority in West Mercia: ask for `--area west-mercia`")


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("west mercya", "(did you mean 'west-mercia'?)"),
        ("Northumberia", "(did you mean 'northumbria'?)"),
        ("al", "(did you mean 'all'?)"),
        ("Shropshre", "(did you mean 'Shropshire', a local authority and a CSP in West Mercia: ask for "
                      "`--area west-mercia --by local_authority` or `--area west-mercia --by csp`?)"),
    ],
)
def test_an_unknown_area_suggests_the_closest_name(real_store: Store, name: str, suggestion: str) -> None:
    message = explain_area(name, sub_areas(real_store.con))
    assert message.startswith(f"unknown area {name!r} {suggestion}: give a force id or name, or 'all'; ")
    assert "`scorecard areas` lists the forces" in message


def test_an_area_nothing_resembles_gets_no_guess() -> None:
    assert explain_area("Atlantis", [], allow_all=False) == (
        "unknown area 'Atlantis': give a force id or name; `scorecard areas` lists the forces, "
        "`scorecard areas --force ID` a force's local authorities and CSPs")
