"""Claims a document can check of itself (``claims.within``), from the seeds.

The seeds are documents PCC offices published (../shared/seeds). Their claims are checked as they
stand, and again with one number changed, so each check is seen to pass and to fail. What the
seeds get wrong was found by hand: seed 003's third-party reporting rows of January 2024
(90% + 5%) and March 2024 (86% + 11%) do not make 100%; its advocates' funding total carries the
previous table's label, "Total Victims Fund Budget"; its fixed-penalty consultation is 94% at
line 490 and 93 per cent at line 611; and seeds 001 and 004 say homicides average "five a month"
beside yearly figures of 46, 52 and 53 (3.8, 4.3 and 4.4 a month).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.claims.check import check_text

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def problems(text: str) -> list[tuple[int, str]]:
    return [(c.line, c.kind) for c in check_text(text, "seed.txt") if c.problem]


def test_seed_003_s_own_inconsistencies_are_found_and_nothing_else() -> None:
    assert problems(seed("003")) == [(509, "row makes 100"), (511, "row makes 100"), (611, "same quantity twice"),
                                     (867, "total label")]


def test_the_other_seeds_disagree_with_themselves_only_on_five_a_month() -> None:
    assert problems(seed("000")) == [] and problems(seed("002")) == []
    assert problems(seed("001")) == [(25, "average")]
    assert problems(seed("004")) == [(30, "average")]


def test_a_total_is_checked_against_its_rows_not_counting_its_subtotals() -> None:
    totals = {c.line: c for c in check_text(seed("003"), "003.txt") if c.kind == "total"}
    # Community Safety Fund: £2,331,893 + £1,500,000, the two subtotals, make the £3,831,893 stated.
    assert totals[840].verdict == "consistent" and "15 rows above add up to 3,831,893" in totals[840].why
    assert totals[858].verdict == "consistent"  # the Victims Fund's eleven rows: £3,605,815


@pytest.mark.parametrize(("sentence", "verdict", "why"), [
    # Seed 004, paragraph 5: the year to March 2022 against the baseline.
    ("April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending June 2019, a 1.9% increase.",
     "consistent", "53 against 52 is a 1.92% rise, which rounds to 1.9%, as stated"),
    ("April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending June 2019, a 19% increase.",
     "inconsistent", "rounds to 2%, not the 19% stated"),
    ("April 2021 to March 2022 saw 53 homicides, compared to 52 in the year ending June 2019, a 1.9% reduction.",
     "inconsistent", "not a reduction"),
    # Seed 001: "20 of the 33 discharges (61%)".
    ("Of these, 20 of the 33 discharges (61%) involved a firearm.", "consistent", "20 of 33 is 60.6%"),
    ("Of these, 20 of the 33 discharges (66%) involved a firearm.", "inconsistent", "not the 66% stated"),
    # Seed 004, paragraph 9: 157 less 9 is 148.
    ("Firearm discharges saw 157 incidents in the previous 12 months; this has reduced by 9 in the year ending "
     "March 2022 to 148.", "consistent", "157 less 9 is 148, as stated"),
    ("Firearm discharges saw 157 incidents in the previous 12 months; this has reduced by 9 in the year ending "
     "March 2022 to 150.", "inconsistent", "157 less 9 is 148, not the 150 stated"),
])
def test_a_claim_is_right_to_the_precision_it_is_written_with(sentence: str, verdict: str, why: str) -> None:
    (claim,) = check_text(sentence, "test.txt")
    assert claim.verdict == verdict and why in claim.why, claim.why


def test_a_sentence_wrapped_over_lines_is_read_whole_and_placed_on_its_first_line() -> None:
    # Seed 001 paragraph 4 wraps "46 / homicides, compared to 52 ... a 12% reduction" over lines 25 to 27.
    (change,) = [c for c in check_text(seed("001"), "001.txt") if c.kind == "change"]
    assert change.line == 25 and change.verdict == "consistent" and change.section.startswith("Measure: Reduce Murder")
    assert "46 against 52 is an 11.5% fall, which rounds to 12%" in change.why


def test_an_average_a_month_is_checked_against_the_paragraph_s_twelve_month_figures() -> None:
    (five,) = [c for c in check_text(seed("001"), "001.txt") if c.kind == "average"]
    assert five.verdict == "inconsistent"
    assert "46 for Jan 2021 to Dec 2021 is 3.8 a month; 52 for YE Jun 2019 is 4.3 a month" in five.why
    (four,) = [c for c in check_text(seed("001").replace("averaging five a month", "averaging four a month"), "001")
               if c.kind == "average"]
    assert four.verdict == "consistent"  # 52 / 12 = 4.3 rounds to four


def test_a_year_is_not_the_figure_a_change_starts_from() -> None:
    assert check_text("In 2021 burglary has reduced by 50 to 300 offences.", "t.txt") == []


def test_a_row_of_percentages_makes_100_to_within_its_rounding() -> None:
    rows = "Month\tTotal\tPositive\tNFA\nFebruary 2024\t1,139\t89%\t10%\nJanuary 2024\t931\t90%\t5%\n"
    verdicts = [c.verdict for c in check_text(rows, "t.txt")]
    assert verdicts == ["consistent", "inconsistent"]  # 99 is within two halves of 1%; 95 is not


def test_a_total_adds_up_its_rows_with_their_signs() -> None:
    # A headcount table as the Merseyside demo prints it (Home Office workforce tables): the
    # change column's falls are written with the minus sign, "−55".
    rows = ("Role\t31 March 2019\t30 September 2019\tChange\n"
            "Police officers\t3,432\t3,640\t208\nPolice staff\t1,814\t2,121\t307\n"
            "Designated officers\t222\t167\t−55\nPolice community support officers\t255\t217\t−38\n"
            "Special constables\t249\t244\t−5\nTotal\t5,972\t6,389\t417\n")
    totals = [c for c in check_text(rows, "t.txt") if c.kind == "total"]
    assert [c.verdict for c in totals] == ["consistent"] * 3
    assert "the 5 rows above add up to 417, as stated" in totals[2].why


def test_a_column_of_shares_makes_100_to_within_its_rounding() -> None:
    shares = "Group\tShare\nWhite\t61%\nAsian\t20%\nBlack\t11%\nOther\t{last}%\n"
    (right,) = [c for c in check_text(shares.format(last=8), "t.txt") if c.kind == "column makes 100"]
    assert right.verdict == "consistent" and "adds up to 100%" in right.why
    (wrong,) = [c for c in check_text(shares.format(last=3), "t.txt") if c.kind == "column makes 100"]
    assert wrong.verdict == "inconsistent" and "the column “Share” adds up to 95%, not 100%" in wrong.why


def test_a_column_of_changes_is_not_a_split_of_a_whole() -> None:
    # Our own statements' tables (every force, `report --area all`) print a "Change" column of
    # signed percentages; three of them can add up to about 100 by chance.
    changes = "Measure\tFigure\tChange\nBurglary\t1,293\t+40%\nRobbery\t154\t+35.0%\nVehicle offences\t1,258\t+25%\n"
    assert [c for c in check_text(changes, "t.txt") if "100" in c.kind] == []
