"""The same quantity stated twice with different values, from the seeds (../shared/seeds).

Seed 003, the West Midlands PCC's annual report, describes one public consultation on keeping
fixed penalty fines for road safety twice: line 490 (Retaining Fixed Penalty Fines) says "94% of
people who responded, also agreed with and supported my campaign", line 611 (Campaigns) says "93
per cent supporting my plan".  That pair is found, and nothing else in the five seeds is; each
rule that keeps a pair out is seen to keep it out by changing the seed so that it applies.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.claims.reading import paragraphs
from scorecard.claims.repeated import repeated_quantities

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds (../shared/seeds) are not here")

#: Seed 003, line 611: the later statement of the consultation's result.
LINE_611 = ("The consultation was completed by a then-office record of 1,300 people, with 93 per cent supporting "
            "my plan.")
#: Seed 003, line 490: the earlier one.
LINE_490_FIGURE = "In summer 2023, my office organised a public consultation and 94% of people who responded"


def seed(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def seed_003() -> str:
    text = seed("003").read_text(encoding="utf-8")
    assert LINE_611 in text and LINE_490_FIGURE in text
    return text


def found(text: str) -> list[tuple[int, str]]:
    return [(c.line, c.why) for c in repeated_quantities(paragraphs(text), "003.txt")]


def test_seed_003_gives_its_fixed_penalty_consultation_as_94_and_93_per_cent() -> None:
    (claim,) = repeated_quantities(paragraphs(seed_003()), "003.txt")
    assert (claim.line, claim.kind, claim.verdict, claim.section) == (611, "same quantity twice", "inconsistent",
                                                                       "Campaigns")
    assert claim.quoted == LINE_611 and len(claim.quoted) < 200
    assert claim.why.startswith("Line 490 gives 94% for what reads as the same thing")
    for said in ("“public consultation”", "“fixed penalty”", "“road safety”", "“department for transport”",
                 "“support” (“supported”, “supporting”)", "94% and 93 per cent cannot both be right"):
        assert said in claim.why, claim.why


def test_over_the_five_seeds_that_is_the_only_finding() -> None:
    claims = [(path.name[:3], c.line) for path in sorted(SEEDS.glob("*.txt"))
              for c in repeated_quantities(paragraphs(path.read_text(encoding="utf-8")), path.name)]
    assert claims == [("003", 611)]


def test_the_same_figure_stated_twice_alike_is_no_finding() -> None:
    # Line 611 changed to agree with line 490.
    assert found(seed_003().replace("with 93 per cent supporting", "with 94% supporting")) == []


@pytest.mark.parametrize("written", ["93 per cent", "93 percent", "93%", "93 Per Cent"])
def test_a_percentage_is_read_however_it_is_written(written: str) -> None:
    ((line, why),) = found(seed_003().replace("93 per cent", written))
    assert line == 611 and f"94% and {written.replace('Per Cent', 'per cent')} cannot both be right" in why


def test_different_years_in_the_sentences_are_two_values_not_one() -> None:
    # Line 490 says "In summer 2023"; were line 611 of a 2022 consultation, 93 and 94 would be two years' results.
    assert found(seed_003().replace("The consultation was completed", "The 2022 consultation was completed")) == []
    # The year stated at both places, the same: still one consultation, still two values.
    same_year = seed_003().replace("The consultation was completed", "The summer 2023 consultation was completed")
    assert [line for line, _ in found(same_year)] == [611]


def test_two_same_topic_paragraphs_of_different_years_are_not_a_pair() -> None:
    text = ("In 2022 my office ran a public consultation on fixed penalty fines for road safety schemes, and 90% of "
            "people who responded supported the plan to the Department for Transport.\n\n"
            "A second public consultation on fixed penalty fines and road safety schemes in 2023 found 94% "
            "supported the plan, which went to the Department for Transport.\n")
    assert found(text) == []
    # Without the years, the same two paragraphs are one figure stated twice.
    assert [line for line, _ in found(text.replace("In 2022 ", "").replace(" in 2023", ""))] == [3]


def test_two_values_in_one_paragraph_are_a_comparison_not_a_repetition() -> None:
    # Line 611's sentence moved into line 490's paragraph: one paragraph giving 94% and 93 per cent.
    text = seed_003().replace(" " + LINE_611, "")
    text = text.replace("supported my campaign.", "supported my campaign. " + LINE_611)
    assert found(text) == []


def test_a_figure_rounded_to_other_places_is_checked_to_its_rounding() -> None:
    # 93.8% rounds to 94%: both may be right.  93.4% does not.
    assert found(seed_003().replace("93 per cent", "93.8 per cent")) == []
    assert [line for line, _ in found(seed_003().replace("93 per cent", "93.4 per cent"))] == [611]


def test_a_table_is_not_prose() -> None:
    # Line 611 as a table's row: tables are checked row by row elsewhere, not read as sentences.
    assert found(seed_003().replace("people, with 93 per cent supporting", "people\t93 per cent supporting")) == []


def test_a_change_is_not_a_level() -> None:
    # "a 93 per cent rise in those supporting" is a change; line 490's 94% is a share.
    changed = seed_003().replace("with 93 per cent supporting my plan",
                                 "a 93 per cent rise in those supporting my plan")
    assert found(changed) == []


def test_last_year_s_figure_is_not_this_year_s() -> None:
    # "last year" in line 611's sentence and not in line 490's: two times, two values.
    assert found(seed_003().replace("The consultation was completed", "Last year the consultation was completed")) == []
