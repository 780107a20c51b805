"""Every spelling of a force resolves to one id; codes match exactly."""

from __future__ import annotations

import pytest

from scorecard.areas import find_force, force_id, territorial_forces
from scorecard.errors import UnknownForce


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
