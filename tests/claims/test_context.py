"""Which period and which area a sentence is about, read as the published documents write them.

Phrases come from the seed documents in ../shared/seeds where they can (cited by seed number and
paragraph); the rest are the other ways analysts write the same periods.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from scorecard.claims.context import AreaMention, areas_in, document_force, document_period, periods_in
from scorecard.periods import (
    CalendarQuarter,
    CalendarYear,
    FinancialQuarter,
    FinancialYear,
    Month,
    MonthPeriod,
    MonthRange,
    Period,
    RollingYear,
    parse,
)
from scorecard.sub_areas import SubArea

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed(number: int) -> str:
    (path,) = SEEDS.glob(f"{number:03d}_*.txt")
    return path.read_text("utf-8")


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def only(text: str, **kw: Period | None) -> Period:
    """The one period ``text`` names."""
    found = periods_in(text, **kw)
    assert len(found) == 1, found
    return found[0].period


def months(first: str, last: str) -> MonthRange:
    return MonthRange(parse(first).first, parse(last).last)


# --- absolute periods ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "period"), [
    ("In the year ending March 2024, there were 43 homicides", RollingYear(Month(2024, 3))),  # seed 000
    ("compared to 52 in the year ending June 2019 baseline", RollingYear(Month(2019, 6))),  # seed 001 para 4
    ("an increase of 12% vs year ending June 19, a part of this", RollingYear(Month(2019, 6))),  # seed 001 para 8
    ("YE Jun 2019", RollingYear(Month(2019, 6))),
    ("the 12 months to March 2024", RollingYear(Month(2024, 3))),
    ("a reduction of 70 compared to the national baseline ending June 2019", RollingYear(Month(2019, 6))),  # 001
    ("compared to the national baseline year ending June 2019", RollingYear(Month(2019, 6))),  # seed 004 para 8
    ("between the year ending 31 March 2014 and", RollingYear(Month(2014, 3))),  # seed 003
    ("vehicle crime overall is below the June 2019 baseline", RollingYear(Month(2019, 6))),  # seed 004
])
def test_rolling_years(text: str, period: Period) -> None:
    assert only(text) == period


def test_the_last_12_months_with_its_months_in_brackets_is_the_bracketed_range() -> None:
    # seed 001 para 8
    [m] = periods_in("The last 12 months (November 2020 to October 2021) saw 145 episodes")
    assert m.text == "The last 12 months (November 2020 to October 2021)"
    assert m.period == months("Nov 2020", "Oct 2021") and not m.relative
    # seed 004 para 8
    assert only("The last 12 months (March 2021 to February 2022) saw 160") == months("Mar 2021", "Feb 2022")


@pytest.mark.parametrize(("text", "written", "period"), [
    ("Volumes from April 2021 to March 2022 saw 53 homicides", "from April 2021 to March 2022",  # seed 004 para 5
     months("Apr 2021", "Mar 2022")),
    ("Volumes from January 2021 to December 2021 saw 46", "from January 2021 to December 2021",  # seed 001 para 4
     months("Jan 2021", "Dec 2021")),
    ("April 2021 to March 2022", "April 2021 to March 2022", months("Apr 2021", "Mar 2022")),
    ("collected 1,118 dangerous weapons between April and June 2024.", "between April and June 2024",  # seed 000
     months("Apr 2024", "Jun 2024")),
    ("Between January and December 2021, 124 referrals", "Between January and December 2021",  # seed 001 para 18
     months("Jan 2021", "Dec 2021")),
    ("(March 2021 to February 2022)", "March 2021 to February 2022", months("Mar 2021", "Feb 2022")),
    ("between November and January 2022", "between November and January 2022", months("Nov 2021", "Jan 2022")),
    ("Jan 22 – June 22", "Jan 22 – June 22", months("Jan 2022", "Jun 2022")),  # seed 002
    ("1 April 21 – 31 March 22", "1 April 21 – 31 March 22", months("Apr 2021", "Mar 2022")),  # seed 002
    ("between July 23 to March 24", "between July 23 to March 24", months("Jul 2023", "Mar 2024")),  # seed 003
    ("Jan-Mar 2024", "Jan-Mar 2024", months("Jan 2024", "Mar 2024")),
])
def test_month_ranges(text: str, written: str, period: Period) -> None:
    [m] = periods_in(text)
    assert (m.text, m.period) == (written, period)
    assert text[m.start:m.end] == written


def test_a_range_that_is_a_financial_year_is_a_month_range_with_the_financial_years_months() -> None:
    period = only("from April 2021 to March 2022")
    assert isinstance(period, MonthRange)
    assert period.span() == FinancialYear(2021).span()
    assert (period.first, period.last, period.n_months) == (Month(2021, 4), Month(2022, 3), 12)


def test_in_april_and_june_is_not_a_range() -> None:
    # without "between", "April and June 2024" is two months: only the one with its year is read
    assert [m.period for m in periods_in("in April and June 2024")] == [MonthPeriod(Month(2024, 6))]


def test_a_range_between_days_within_months_is_not_a_period() -> None:
    assert periods_in("from 15 April 2021 to 20 May 2021") == []


@pytest.mark.parametrize(("text", "period"), [
    ("Four offences were recorded in Q1 2022 – 2023, compared with", FinancialQuarter(2022, 1)),  # seed 002
    ("3 offences involving discharge of a firearm in Q1 2022- 23", FinancialQuarter(2022, 1)),  # seed 002
    ("Q1 2022-23", FinancialQuarter(2022, 1)),
    ("2022-23 Q1", FinancialQuarter(2022, 1)),
    ("Q1 2024/25", FinancialQuarter(2024, 1)),
    ("compared with 6 in Q4 of 2021 – 2022", FinancialQuarter(2021, 4)),  # seed 002
    ("in line with that seen in Q3 of 21/22.", FinancialQuarter(2021, 3)),  # seed 002
    ("Quarter 3 22/23", FinancialQuarter(2022, 3)),  # seed 002
    ("Quarter 4 of 2023-2024", FinancialQuarter(2023, 4)),  # seed 003
    ("the first quarter of 2022/23", FinancialQuarter(2022, 1)),
    ("Q1 FY2024/25", FinancialQuarter(2024, 1)),
])
def test_financial_quarters(text: str, period: Period) -> None:
    assert only(text) == period


@pytest.mark.parametrize(("text", "period"), [
    ("Q1 2024", CalendarQuarter(2024, 1)),  # a year alone after Q is a calendar year, as periods.parse reads it
    ("2024 Q2", CalendarQuarter(2024, 2)),
    ("the third quarter of 2023", CalendarQuarter(2023, 3)),
])
def test_calendar_quarters(text: str, period: Period) -> None:
    assert only(text) == period


@pytest.mark.parametrize(("text", "written", "period"), [
    ("Vehicle crime remains a significant issue, with 34,154 offences in 2023/24.", "2023/24",  # seed 000
     FinancialYear(2023)),
    ("2023-24", "2023-24", FinancialYear(2023)),
    ("although slightly up compared to 2020/21", "2020/21", FinancialYear(2020)),  # seed 001 para 20
    ("After three quarters of 2021/22, the levels", "2021/22", FinancialYear(2021)),  # seed 001 para 20
    ("FY 2023-24", "FY 2023-24", FinancialYear(2023)),
    ("FY2023/24", "FY2023/24", FinancialYear(2023)),
    ("ANNUAL REPORT 2023 - 2024", "2023 - 2024", FinancialYear(2023)),  # seed 003 cover
    ("the financial year 2023 to 2024", "2023 to 2024", FinancialYear(2023)),  # GOV.UK style; seed 003
    ("During 23-24, the Committee has considered", "23-24", FinancialYear(2023)),  # seed 003
    ("the 2011-12 figures", "2011-12", FinancialYear(2011)),  # in prose a financial year, not December 2011
])
def test_financial_years(text: str, written: str, period: Period) -> None:
    [m] = periods_in(text)
    assert (m.text, m.period) == (written, period)


def test_two_financial_years_in_one_sentence() -> None:
    # seed 002: "The increase in homicide volumes within West Mercia during 20/21 and 21/22 led to"
    found = periods_in("The increase in homicide volumes within West Mercia during 20/21 and 21/22 led to")
    assert [m.period for m in found] == [FinancialYear(2020), FinancialYear(2021)]


def test_a_range_of_financial_years() -> None:
    assert only("from 2019/20 to 2021/22") == months("Apr 2019", "Mar 2022")


@pytest.mark.parametrize(("text", "written"), [
    ("In 2021, the Home Office established a set of National Policing Priorities", "2021"),  # seed 000
    ("Drug Testing in Custody was paused for most of 2021, but", "2021"),  # seed 001 para 16
    ("during 2021", "2021"),
    ("for 2021", "2021"),
    ("throughout 2021", "2021"),
    ("over the calendar year 2021", "calendar year 2021"),
    ("cases have risen from 2 in 2021 to 6 in 2022.", "2021"),  # seed 003, with its years moved
])
def test_a_year_alone_is_a_calendar_year_only_where_it_reads_as_a_period(text: str, written: str) -> None:
    m = periods_in(text)[0]
    assert (m.text, m.period) == (written, CalendarYear(2021))


@pytest.mark.parametrize(("text", "period"), [
    ("a 20% improvement in 101 call response times by June 2024.", MonthPeriod(Month(2024, 6))),  # seed 000
    ("in June 2024", MonthPeriod(Month(2024, 6))),
    ("Fraud and computer misuse crimes increased by 17% since March 2023", MonthPeriod(Month(2023, 3))),  # seed 000
    ("the focus of the January 2022 meeting on performance", MonthPeriod(Month(2022, 1))),  # seed 002
    ("During a national County Line intensification week in October 21, officers", MonthPeriod(Month(2021, 10))),
    ("the last report in September 2021", MonthPeriod(Month(2021, 9))),  # seed 001 para 10
    ("from April 2022 key forces", MonthPeriod(Month(2022, 4))),  # seed 004 para 13
    ("Jun-19", MonthPeriod(Month(2019, 6))),
    ("SEPT 2022", MonthPeriod(Month(2022, 9))),
])
def test_months(text: str, period: Period) -> None:
    assert only(text) == period


@pytest.mark.parametrize("text", [
    "Telephone Number: 0121 626 6060 wmpcc@west-midlands.pnn.police.uk",  # seed 000
    "the PCC secured £6.5 million from the Ministry of Justice",  # seed 000
    "over £100,000 in illegal vapes and tobacco",  # seed 000
    "which collected 1,118 dangerous weapons",  # seed 000
    "92% of 999 calls answered within 10 seconds",  # seed 000
    "stable at between 10-15 each month",  # seed 001 para 8
    "a 24/7 service",
    "4. The volume of Homicides in West Midlands",  # seed 001 para 4
    "see pages 12-13",
    "an increase of 12-15% in",
    "recently launched a VAWG 2023-2027 strategy.",  # seed 000: a four-year span is no financial year
    "The Victims and Prisoners Act 2024 came into law",  # seed 003
    "(Specified Information) (Amendment) Order 2021.",  # seed 001 para 3
    "In summer 2023, my office organised",  # seed 003: a season
    "In the Autumn of 2023, I secured investment",  # seed 003
    "Community Safety priorities were agreed for 2021-2024 through consultation",  # seed 003
    "from 2021 to 2025.",  # seed 003
    "Between 2020 and 2021, there has been a growth",  # seed 004: two years, not a period
    "Strategic Policing and Crime Board 22nd February 2022",  # seed 001: a day
    "I launched my Police and Crime Plan on 1 November 2021.",  # seed 003: a day
    "published February 22, 2022",
    "STATEMENT (Published Sept 2022)",  # seed 002: a publication date
    "In March 12 people were arrested",  # a day or a count, not March 2012
    "the peak in the baseline year (2019)",  # seed 001 para 8: the baseline is the year ending June 2019
    "Black History Month 2023",  # seed 003
    "12/03/2021",
])
def test_not_periods(text: str) -> None:
    assert periods_in(text) == []


def test_offsets_and_text_are_as_written() -> None:
    text = "Volumes from January 2021 to December 2021 saw 46 homicides, compared to 52 in the year ending June 2019"
    found = periods_in(text)
    assert [(m.text, m.period.label) for m in found] == [
        ("from January 2021 to December 2021", "Jan 2021 to Dec 2021"),
        ("the year ending June 2019", "YE Jun 2019"),
    ]
    assert all(text[m.start:m.end] == m.text for m in found)


def test_the_longest_reading_wins() -> None:
    # "the year ending June 2019" contains the month June 2019; "Q1 2022-23" the year 2022-23
    assert [m.text for m in periods_in("the year ending June 2019 and Q1 2022-23")] == [
        "the year ending June 2019", "Q1 2022-23"]


# --- relative periods ----------------------------------------------------------------------

Q1_2024 = FinancialQuarter(2024, 1)  # seed 000: "2024-25 Q1 Update"


def relative(text: str, document: Period) -> list[tuple[str, Period]]:
    return [(m.text, m.period) for m in periods_in(text, document_period=document) if m.relative]


def test_relative_phrases_need_the_documents_period() -> None:
    text = "3 offences this quarter, compared with 0 offences the previous quarter"
    assert periods_in(text) == []
    assert relative(text, Q1_2024) == [("this quarter", Q1_2024), ("the previous quarter", FinancialQuarter(2023, 4))]


@pytest.mark.parametrize(("text", "written", "period"), [
    ("compared with 0 offences the previous quarter.", "the previous quarter", FinancialQuarter(2023, 4)),  # 002
    ("down on the preceding quarter", "the preceding quarter", FinancialQuarter(2023, 4)),
    ("compared with last quarter", "last quarter", FinancialQuarter(2023, 4)),
    # seed 004 para 9: "In the last quarter, a total of 36 discharges ... this quarter ... 24 of the 36":
    # one quarter, the statement's own
    ("In the last quarter, a total of 36 discharges took place", "the last quarter", Q1_2024),
    ("Shotguns have been the most commonly used firearm this quarter", "this quarter", Q1_2024),
    ("in the current quarter", "the current quarter", Q1_2024),
    ("fewer drug-related homicides than the same period last year.", "the same period last year",  # seed 002
     FinancialQuarter(2023, 1)),
    ("on the same time period in the previous year", "the same time period in the previous year",  # seed 002
     FinancialQuarter(2023, 1)),
    ("a 6% reduction from the previous year.", "the previous year", RollingYear(Month(2023, 6))),
    ("157 incidents in the previous 12 months", "the previous 12 months", RollingYear(Month(2023, 6))),
    ("in the last 12 months", "the last 12 months", RollingYear(Month(2024, 6))),
])
def test_relative_to_a_quarterly_statement(text: str, written: str, period: Period) -> None:
    assert relative(text, Q1_2024) == [(written, period)]


def test_relative_to_an_annual_report() -> None:
    # seed 003, the annual report for 2023-24: "now at 87%, up from 83% in the previous year."
    fy = FinancialYear(2023)
    assert relative("now at 87%, up from 83% in the previous year.", fy) == [("the previous year", FinancialYear(2022))]
    assert relative("in the past year we have managed 104 reviews", fy) == [("the past year", fy)]
    assert relative("the previous quarter", fy) == []  # a year has no one previous quarter


def test_a_relative_phrase_steps_back_from_the_period_the_sentence_named_before_it() -> None:
    # seed 000: the previous year is the year ending March 2023, not the year before the statement's quarter
    text = ("There were 7,497 recorded drug offences in the year ending March 2024, "
            "a 6% reduction from the previous year.")
    found = periods_in(text, document_period=Q1_2024)
    assert [(m.text, m.period, m.relative) for m in found] == [
        ("the year ending March 2024", RollingYear(Month(2024, 3)), False),
        ("the previous year", RollingYear(Month(2023, 3)), True),
    ]
    # seed 002
    text = "3 offences involving discharge of a firearm in Q1 2022- 23, compared with 0 offences the previous quarter"
    assert relative(text, Q1_2024) == [("the previous quarter", FinancialQuarter(2021, 4))]


def test_a_bracketed_period_beats_the_relative_words_before_it() -> None:
    [m] = periods_in("The last 12 months (November 2020 to October 2021) saw 145", document_period=Q1_2024)
    assert (m.period, m.relative) == (months("Nov 2020", "Oct 2021"), False)


# --- the document's period -----------------------------------------------------------------

@pytest.mark.parametrize(("number", "period"), [
    (0, FinancialQuarter(2024, 1)),  # "National Policing Priorities Statement / 2024-25 Q1 Update"
    (1, None),  # "Strategic Policing and Crime Board / 22nd February 2022": a meeting's day
    (2, None),  # "... STATEMENT (Published Sept 2022)": when it was published
    (3, FinancialYear(2023)),  # "ANNUAL REPORT / 2023 - 2024"
    (4, None),  # "# Strategic Policing and Crime Board May 2022": when the board met
])
def test_document_period_of_each_seed(number: int, period: Period | None) -> None:
    assert document_period(seed(number)) == period


def test_document_period_is_read_from_headings_not_sentences() -> None:
    assert document_period("Performance Statement\n\nQ1 2024/25\n\nText.") == FinancialQuarter(2024, 1)
    assert document_period("Report\n\nVolumes from January 2021 to December 2021 saw 46\n") is None
    assert document_period("Quarterly Update Q1 2024/25\n\nQuarterly Update Q2 2024/25\n") is None  # unsure
    assert document_period("") is None


# --- areas ---------------------------------------------------------------------------------

BIRMINGHAM = SubArea("west-midlands", "local_authority", "E08000025", "Birmingham", "E22000335", "Birmingham")
BIRMINGHAM_CSP = SubArea("west-midlands", "csp", "E22000335", "Birmingham")
SHROPSHIRE = SubArea("west-mercia", "local_authority", "E06000051", "Shropshire", "E22000360", "Shropshire")
SHROPSHIRE_CSP = SubArea("west-mercia", "csp", "E22000360", "Shropshire")
TELFORD = SubArea("west-mercia", "local_authority", "E06000020", "Telford and Wrekin", "E22000333",
                  "Telford and Wrekin")
BRISTOL_CSP = SubArea("avon-and-somerset", "csp", "E22000002", "Bristol, City of")
WORCESTER = SubArea("west-mercia", "local_authority", "E07000237", "Worcester", "E22000332", "South Worcester")
SOUTH_WORCESTER = SubArea("west-mercia", "csp", "E22000332", "South Worcester")
KNOWN = (BIRMINGHAM, BIRMINGHAM_CSP, SHROPSHIRE, SHROPSHIRE_CSP, TELFORD, BRISTOL_CSP, WORCESTER, SOUTH_WORCESTER)


def named(text: str) -> list[tuple[str, str, SubArea | None]]:
    return [(a.text, a.force_id, a.sub_area) for a in areas_in(text, sub_areas=KNOWN)]


def test_forces_by_name() -> None:
    # seed 000: "there were 43 homicides in the West Midlands ... West Midlands Police (WMP) proactively"
    text = "there were 43 homicides in the West Midlands, with 17% related to domestic abuse. West Midlands Police"
    found = areas_in(text)
    assert [(a.text, a.force_id) for a in found] == [("West Midlands", "west-midlands"),
                                                     ("West Midlands Police", "west-midlands")]
    assert all(isinstance(a, AreaMention) and a.sub_area is None and text[a.start:a.end] == a.text for a in found)
    assert named("West Mercia Police's Control Strategy") == [("West Mercia Police", "west-mercia", None)]  # 002
    assert named("Merseyside, Avon & Somerset Constabulary, Dyfed Powys and Kent Police") == [
        ("Merseyside", "merseyside", None), ("Avon & Somerset Constabulary", "avon-and-somerset", None),
        ("Dyfed Powys", "dyfed-powys", None), ("Kent Police", "kent", None)]


def test_what_is_not_a_force() -> None:
    assert named("WMP") == []  # areas.find_force does not know the abbreviation
    assert named("to reduce violent crime across the West Midlands region.") == []  # seed 001: the ONS region
    assert named("wmpcc@west-midlands.pnn.police.uk") == []  # seed 000: an e-mail address
    assert named("the kent of it") == []  # a one-word name counts only capitalised
    assert named("Solihull Metropolitan Borough Council") == []  # "Metropolitan" alone is not the Met
    assert named("west midlands\npolice and crime\ncommissioner") == [  # seed 003 cover: lower case, two words
        ("west midlands\npolice", "west-midlands", None)]


def test_local_authorities_and_csps_given_by_the_caller() -> None:
    # seed 000: "In North Birmingham, the PCC joined police officers"
    assert named("In North Birmingham, the PCC joined police officers") == [("Birmingham", "west-midlands", BIRMINGHAM)]
    assert named("Shropshire and Telford & Wrekin") == [("Shropshire", "west-mercia", SHROPSHIRE),
                                                        ("Telford & Wrekin", "west-mercia", TELFORD)]
    assert named("South Worcester and Worcester") == [("South Worcester", "west-mercia", SOUTH_WORCESTER),
                                                      ("Worcester", "west-mercia", WORCESTER)]
    assert named("the City of Bristol") == [("City of Bristol", "avon-and-somerset", BRISTOL_CSP)]
    assert areas_in("Shropshire") == []  # not given, not known: no store is read


def test_a_name_that_is_a_force_and_a_sub_area_is_the_force() -> None:
    city = SubArea("city-of-london", "local_authority", "E09000001", "City of London", "E22000180", "City of London")
    [a] = areas_in("the City of London", sub_areas=[city])
    assert (a.force_id, a.sub_area) == ("city-of-london", None)


@pytest.mark.parametrize(("number", "force"), [
    (0, "west-midlands"), (1, "west-midlands"), (2, "west-mercia"), (3, "west-midlands"), (4, "west-midlands"),
])
def test_document_force_of_each_seed(number: int, force: str) -> None:
    assert document_force(seed(number)) == force


def test_document_force_when_none_is_named() -> None:
    assert document_force("A statement about policing.") is None
    assert document_force("Kent and Essex. Essex again.") == "essex"


# --- the seeds as a whole ------------------------------------------------------------------

@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_paragraph_of_every_seed_is_read(path: Path) -> None:
    text = path.read_text("utf-8")
    doc = document_period(text)
    for para in paragraphs(text):
        for document in (None, doc, Q1_2024, FinancialYear(2023), MonthPeriod(Month(2022, 1))):
            found = periods_in(para, document_period=document)
            assert all(para[m.start:m.end] == m.text for m in found)
            assert all(a.end <= b.start for a, b in itertools.pairwise(found))
        areas_in(para, sub_areas=KNOWN)


def test_seed_000_paragraphs_name_their_periods() -> None:
    paras = paragraphs(seed(0))
    doc = document_period(seed(0))
    assert doc == Q1_2024

    def read(para: str) -> list[tuple[str, Period, bool]]:
        return [(m.text, m.period, m.relative) for m in periods_in(para, document_period=doc)]

    def about(words: str) -> str:
        return next(p for p in paras if words in p)

    homicides = about("43 homicides")
    assert read(homicides) == [("the year ending March 2024", RollingYear(Month(2024, 3)), False)]  # not "2023-2027"
    drugs = about("7,497 recorded drug offences")
    assert read(drugs) == [("the year ending March 2024", RollingYear(Month(2024, 3)), False),
                           ("the previous year", RollingYear(Month(2023, 3)), True)]
    vehicles = about("Vehicle crime")
    assert read(vehicles) == [("2023/24", FinancialYear(2023), False)]
    knives = about("1,118 dangerous weapons")
    assert read(knives) == [("the year ending March 2024", RollingYear(Month(2024, 3)), False),
                            ("between April and June 2024", months("Apr 2024", "Jun 2024"), False)]
