"""What no check could test is listed too (``claims.unchecked``), each with its reason, so a
reader sees what the checker did not test as plainly as what it did. From seed 000."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scorecard.catalogue.schema import Catalogue
from scorecard.claims.check import Against, check_text
from scorecard.claims.model import Claim
from scorecard.claims.store_figures import StoreFigures
from scorecard.store import Store

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="module")
def claims(real_store_path: Path, catalogue: Catalogue) -> Iterator[list[Claim]]:
    with Store.open(real_store_path, read_only=True) as store:
        text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
        yield check_text(text, "000.txt", Against(StoreFigures(store, catalogue), catalogue))


def figure(c: Claim) -> str:
    return c.why.split("”")[0].lstrip("“")


def test_money_and_counts_of_things_the_catalogue_does_not_name_are_not_checkable(claims: list[Claim]) -> None:
    unchecked = {figure(c): c for c in claims if c.verdict == "not checkable"}
    assert unchecked["£6.5 million"].kind == "money"
    assert "Money is checked only where a table adds it up" in unchecked["£6.5 million"].why
    assert unchecked["1,118 dangerous weapons"].kind == "count" and unchecked["1,118 dangerous weapons"].line == 30
    assert unchecked["17%"].kind == "percentage"  # "with 17% related to domestic abuse"


def test_numbers_that_are_not_quantities_are_not_listed(claims: list[Claim]) -> None:
    listed = " ".join(figure(c) for c in claims if c.verdict == "not checkable")
    for not_a_quantity in ("0121", "6060", "10 seconds", "2023", "2027", "100,000 people", "101 call"):
        assert not_a_quantity not in listed, not_a_quantity


def test_a_figure_checked_is_not_listed_again_as_unchecked(claims: list[Claim]) -> None:
    homicides = [c for c in claims if "43 homicides" in figure(c)]
    assert [c.verdict for c in homicides] == ["agrees"]
