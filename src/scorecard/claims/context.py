"""Which period and which area a sentence of a published document is about.

The checker can only test "7,497 recorded drug offences" against the store once it knows the
figure is for the year ending March 2024 in the West Midlands.  Analysts write a period a dozen
ways — "the year ending June 19", "YE Jun 2019", "Q1 2022 – 2023", "2022-23 Q1", "2023/24",
"between April and June 2024", "the last 12 months (November 2020 to October 2021)" — and the
same documents are full of numbers that only look like periods: telephone numbers, money,
counts, "10-15 each month", "24/7", the "VAWG 2023-2027 strategy", the "Victims and Prisoners
Act 2024", the date of a board meeting.  ``periods_in`` finds the phrases that name a period and
hands each to ``scorecard.periods.parse``, the one place where calendar arithmetic lives.

Some phrases are relative — "the previous quarter", "this quarter", "the same period last
year" — and mean nothing without the document's own period, which ``document_period`` reads
from its title ("2024-25 Q1 Update").  They are read only when that period is given.

``areas_in`` and ``document_force`` do the same for places: the forces ``scorecard.areas``
knows, and the local authorities and CSPs the caller passes in (this module reads no store).

How phrases are read (each is an example in tests/claims/test_context.py):

* A month range is a ``MonthRange`` as written, even when it is a financial year ("April 2021
  to March 2022"); compare periods by their months (``a.span() == b.span()``).
* "Q1 2022" is a calendar quarter (as ``periods.parse`` reads it); "Q1 2022-23" a financial one.
* A bare year is a calendar year only after "in", "during", "of", "for", "throughout", "since"
  or "calendar year"; "2023 - 2024" (consecutive years) is a financial year; a span of more
  than one year ("2021-2024", "2023-2027", "2021 to 2025") is no period.
* "since March 2023" and "from April 2022" are the month named (a ``MonthPeriod``).
* A day ("22nd February 2022"), a publication date ("Published Sept 2022") and a season
  ("summer 2023") are not periods.
* "the last quarter" and "this quarter" are the document's quarter (a quarterly statement's
  "In the last quarter, a total of 36 discharges... this quarter... 24 of the 36", seed 004);
  "the previous quarter" and a bare "last quarter" ("compared with last quarter") the one before.
* "the previous quarter", "the previous year" and "the same period last year" step back from
  the period the text named before them, when there is one ("in the year ending March 2024, a
  6% reduction from the previous year", seed 000), else from the document's period.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache

from scorecard.areas import find_force, forces
from scorecard.periods import (
    MONTH_NAMES,
    CalendarQuarter,
    CalendarYear,
    Month,
    MonthPeriod,
    MonthRange,
    Period,
    PeriodError,
    RollingYear,
    parse,
)
from scorecard.sub_areas import SubArea

__all__ = ["AreaMention", "PeriodMention", "areas_in", "document_force", "document_period", "periods_in"]


@dataclass(frozen=True)
class PeriodMention:
    """A period a text names: where (character offsets in the text given), as written, and read."""

    start: int
    end: int
    text: str
    period: Period
    relative: bool = False
    """True when read relative to the document's period (or an earlier one): "the previous quarter"."""


@dataclass(frozen=True)
class AreaMention:
    """A force, or a local authority or CSP within one, that a text names."""

    start: int
    end: int
    text: str
    force_id: str
    sub_area: SubArea | None
    """None: the force itself."""


# --- the pieces of a period phrase ---------------------------------------------------------

def _month_words() -> str:
    words = {v for name in MONTH_NAMES for w in (name, name[:3]) for v in (w, w.upper())}
    words |= {"Sept", "SEPT"}
    return "|".join(sorted(words, key=len, reverse=True))


#: A month name, capitalised ("may" and "march" are verbs) or in capitals.
_M = rf"(?<!\w)(?-i:{_month_words()})(?![a-z])\.?"
_Y4 = r"(?:19[5-9]\d|20\d\d)"
_YEAR = rf"(?:{_Y4}|\d\d)(?!\d)"
#: Not a number's middle or end, not money.
_NUM_START = r"(?<![\w£$€.,/:\-–])"
#: Not followed by more of a number, a percentage or a date's next part.
_NUM_END = r"(?![\d%]|[.,/:]\d)"
_DASH = r"[-/–—]"
_Q = r"(?:(?-i:Q)|quarter\s*)"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
_ORDINAL = r"(?P<ord>first|second|third|fourth|final|last)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"


def _my(p: str) -> str:
    """A month and year: "June 2019", "Jun-19", "Jun '19", "October 21"; groups ``{p}m``/``{p}s``/``{p}y``."""
    return rf"(?P<{p}m>{_M})(?P<{p}s>\s*[-‐'’]\s*|,?\s+)(?P<{p}y>{_YEAR})"


def _fyr(p: str = "") -> str:
    """Two years a dash or slash apart: "2022-23", "2022 – 2023", "21/22"; groups ``{p}a``/``{p}b``."""
    return rf"(?P<{p}a>{_YEAR})\s*(?P<{p}s>{_DASH})\s*(?P<{p}b>{_YEAR}){_NUM_END}"


class _No(Enum):
    BLOCK = "block"  # looks like a period but is not one (a day, a span of years): nothing inside it is read
    IGNORE = "ignore"  # not this reading; others of the same words may still be


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    period: Period | None  # None: a blocker
    relative: Callable[[Period | None, Period], Period | None] | None = None


_Reading = Callable[[re.Match[str], str], Period | _No]


def _month(m: re.Match[str], p: str) -> Month:
    return parse(f"{m.group(p + 'm')} {m.group(p + 'y')}").first


def _fy(m: re.Match[str], p: str = "") -> str:
    return f"{m.group(p + 'a')}/{m.group(p + 'b')}"  # a slash: "2011-12" would be read as a month


# --- readings: each phrase shape and what it means ----------------------------------------

def _in_brackets(m: re.Match[str], _text: str) -> Period | _No:
    """"the last 12 months (November 2020 to October 2021)": the bracketed period (seed 001)."""
    inner = m.group("inner").strip()
    found = _absolute(inner)
    if len(found) == 1 and found[0].period is not None and found[0].end - found[0].start == len(inner):
        return found[0].period
    return _No.IGNORE


def _rolling(m: re.Match[str], _text: str) -> Period:
    return RollingYear(_month(m, ""))


def _range(m: re.Match[str], _text: str) -> Period | _No:
    if m.group("sep").lower() == "and" and not m.group("kw"):
        return _No.IGNORE  # "in April and June 2024": two months, not a range
    d1, d2 = m.group("d1"), m.group("d2")
    if (d1 and int(re.sub(r"\D", "", d1)) != 1) or (d2 and int(re.sub(r"\D", "", d2)) < 28):
        return _No.BLOCK  # from one day to another
    end = parse(f"{m.group('m2')} {m.group('y2')}").first
    if m.group("y1"):
        start = parse(f"{m.group('m1')} {m.group('y1')}").first
    else:
        start = parse(f"{m.group('m1')} {end.year}").first
        if start > end:
            start = start - 12
    return MonthRange(start, end)


def _month_alone(m: re.Match[str], text: str) -> Period | _No:
    y, sep = m.group("y"), m.group("s")
    if len(y) == 2 and sep.strip(" ,") == "" and re.match(r"\s*[\w£(]", text[m.end():]):
        return _No.BLOCK  # "March 12 people": a day or a count, not a two-digit year
    return MonthPeriod(_month(m, ""))


def _fq(m: re.Match[str], _text: str) -> Period:
    return parse(f"Q{m.group('q')} {_fy(m)}")


def _fq_ordinal(m: re.Match[str], _text: str) -> Period:
    return parse(f"Q{_ORDINALS[m.group('ord').lower()]} {_fy(m)}")


def _cq(m: re.Match[str], _text: str) -> Period:
    return CalendarQuarter(int(m.group("y")), int(m.group("q")))


def _cq_ordinal(m: re.Match[str], _text: str) -> Period:
    return CalendarQuarter(int(m.group("y")), _ORDINALS[m.group("ord").lower()])


_CUE_BEFORE = re.compile(r"(?:\b(?:in|during|for|of|since|and|from|by|to|the|over|throughout)|(?-i:FY))\s*$",
                         re.IGNORECASE)


def _fy_alone(m: re.Match[str], text: str) -> Period | _No:
    a, b, sep = m.group("a"), m.group("b"), m.group("s").strip().lower()
    if len(a) == 2 and len(b) == 4:
        return _No.BLOCK
    if sep == "to" and len(b) == 2:
        return _No.BLOCK
    if (len(a) == 2 and sep != "/" and not m.group("fy")
            and not _CUE_BEFORE.search(text[max(0, m.start() - 12):m.start()])):
        return _No.BLOCK  # "10-15 each month", "pages 12-13"
    return parse(_fy(m))


def _fy_range(m: re.Match[str], _text: str) -> Period:
    return MonthRange(parse(_fy(m, "f")).first, parse(_fy(m, "t")).last)


def _calendar_year(m: re.Match[str], _text: str) -> Period:
    return CalendarYear(int(m.group("y")))


def _block(_m: re.Match[str], _text: str) -> _No:
    return _No.BLOCK


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_RELATIVE_WORDS = r"(?:last|past|previous|preceding|latest|current|same|this)"
_ABSOLUTE: list[tuple[re.Pattern[str], _Reading]] = [
    (_p(rf"(?:\bthe\s+)?\b{_RELATIVE_WORDS}\s+(?:full\s+)?(?:(?:12|twelve|three|six|3|6|24)\s+months|quarter|"
        rf"year|period|month)(?:['’]s?)?\s*\((?P<inner>[^()]{{4,60}})\)"), _in_brackets),
    # the year ending June 2019 / YE Jun 2019 / the 12 months to March 2024 / the national baseline ending June 2019
    (_p(rf"(?:\bthe\s+)?(?:\b(?:national\s+)?baseline\s+(?:year\s+|12\s+months\s+)?(?:ending|ended|to)|"
        rf"\b(?:rolling\s+|financial\s+)?(?:year|12\s+months|twelve\s+months|12[-\s]month\s+period)\s+"
        rf"(?:ending|ended|up\s+to|to)|\b(?-i:YE|Y/E|R12))\s+(?:{_DAY}\s+)?{_my('')}"), _rolling),
    # the June 2019 baseline: the national baseline, the year ending June 2019
    (_p(rf"(?:\bthe\s+)?{_my('')}\s+(?:national\s+)?baseline\b"), _rolling),
    # April 2021 to March 2022 / between April and June 2024 / Jan-Mar 2024 / 1 April 2021 to 31 March 2022
    (_p(rf"(?:\b(?P<kw>between|from)\s+)?(?:(?<!\d)(?P<d1>{_DAY})\s+)?(?P<m1>{_M})"
        rf"(?:(?:\s*[-'’]\s*|,?\s+)(?P<y1>{_YEAR}))?\s*(?P<sep>\bto\b|\buntil\b|\btill\b|\band\b|\bthrough\b|[-–—])"
        rf"\s*(?:(?P<d2>{_DAY})\s+)?(?P<m2>{_M}),?\s+(?P<y2>{_YEAR})"), _range),
    # Q1 2022 – 2023 / Q1 2022-23 / Q4 of 2021 – 2022 / Q1 FY2024/25 / Quarter 1 2022/23
    (_p(rf"{_NUM_START}{_Q}(?P<q>[1-4])\s*(?:of\s+)?(?:(?-i:FY)\s*)?{_fyr()}"), _fq),
    # 2024-25 Q1 / FY2024/25 Q1
    (_p(rf"{_NUM_START}(?:(?-i:FY)\s*)?{_fyr()}\s*,?\s*{_Q}(?P<q>[1-4])(?!\d)"), _fq),
    (_p(rf"(?:\bthe\s+)?\b{_ORDINAL}\s+quarter\s+of\s+(?:(?-i:FY)\s*)?{_fyr()}"), _fq_ordinal),
    # Q1 2024 / 2024 Q1: calendar quarters
    (_p(rf"{_NUM_START}(?-i:Q)(?P<q>[1-4])\s+(?:of\s+)?(?P<y>{_Y4})(?!\s*{_DASH}\s*\d){_NUM_END}"), _cq),
    (_p(rf"{_NUM_START}(?P<y>{_Y4})\s*(?-i:Q)(?P<q>[1-4])(?!\d)"), _cq),
    (_p(rf"(?:\bthe\s+)?\b{_ORDINAL}\s+quarter\s+of\s+(?:calendar\s+year\s+)?(?P<y>{_Y4})"
        rf"(?!\s*{_DASH}\s*\d){_NUM_END}"), _cq_ordinal),
    # 2019/20 to 2021/22
    (_p(rf"{_NUM_START}{_fyr('f')}\s+to\s+{_fyr('t')}"), _fy_range),
    # 2023/24 / 2023-24 / FY 2023-24 / 21/22 / 2023 - 2024 / 2023 to 2024 (and, blocked, 2021-2024, 10-15)
    (_p(rf"{_NUM_START}(?:(?P<fy>(?-i:FY))\s*)?(?P<a>{_YEAR})(?P<s>\s*{_DASH}\s*|\s+to\s+)(?P<b>{_YEAR})"
        rf"{_NUM_END}(?!\s*(?-i:Q)[1-4])"), _fy_alone),
    # in 2021 / during 2021 / calendar year 2021
    (_p(rf"(?:\b(?:in|during|of|for|throughout|since)\s+|(?P<t>\bcalendar\s+year\s+|(?-i:CY)\s*))"
        rf"(?P<y>{_Y4})(?!\s*{_DASH}\s*\d|\s+(?:to|and|until)\s+{_Y4}|\s*(?-i:Q)[1-4]|\w){_NUM_END}"), _calendar_year),
    # not periods: between 2019 and 2021; summer 2023; 22nd February 2022; February 22, 2022; Published Sept 2022
    (_p(rf"\bbetween\s+{_Y4}\s+and\s+{_Y4}"), _block),
    (_p(rf"\b(?:spring|summer|autumn|winter)\s+(?:of\s+)?{_Y4}(?:\s*{_DASH}\s*{_YEAR})?"), _block),
    (_p(rf"(?<![\d,.])\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_M},?\s+{_Y4}"), _block),
    (_p(rf"{_M}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_Y4}"), _block),
    (_p(rf"\b(?:published|dated|updated|issued|printed)\s*:?\s+(?:on\s+)?(?:{_DAY}\s+)?{_M},?\s+{_YEAR}"), _block),
    # June 2024 / Jun-19 / October 21
    (_p(rf"{_my('')}{_NUM_END}"), _month_alone),
]
"""Each shape of phrase that names a period (or looks like one and does not), and its reading.

A calendar-year match starts at its year (group ``t`` widens it to "calendar year 2021"), so
that "in 2021" is written "2021"; every other phrase is written as matched."""


# --- relative phrases ----------------------------------------------------------------------

def _is_quarter(p: Period) -> bool:
    return p.n_months == 3


def _this_quarter(_anchor: Period | None, doc: Period) -> Period | None:
    return doc if _is_quarter(doc) else None


def _previous_quarter(anchor: Period | None, doc: Period) -> Period | None:
    base = anchor if anchor is not None and _is_quarter(anchor) else doc
    return base.shift(-3) if _is_quarter(base) else None


def _year_before(p: Period) -> Period:
    """The twelve months before ``p``'s twelve months (those ending with its last month)."""
    if p.n_months == 12:
        return p.shift(-12)
    return RollingYear(p.last - 12)


def _previous_year(anchor: Period | None, doc: Period) -> Period | None:
    return _year_before(anchor if anchor is not None and anchor.n_months == 12 else doc)


def _same_period_last_year(anchor: Period | None, doc: Period) -> Period | None:
    return (anchor or doc).shift(-12)


def _last_12_months(_anchor: Period | None, doc: Period) -> Period | None:
    return doc if doc.n_months == 12 else RollingYear(doc.last)


_RELATIVE: list[tuple[re.Pattern[str], Callable[[Period | None, Period], Period | None]]] = [
    (_p(r"\b(?:this|the\s+(?:current|last|latest|most\s+recent))\s+quarter(?![\w-])"), _this_quarter),
    (_p(r"(?:\bthe\s+)?\b(?:previous|preceding|prior)\s+quarter(?![\w-])|(?<!the\s)\blast\s+quarter(?![\w-])"),
     _previous_quarter),
    (_p(r"(?:\bthe\s+)?\b(?:previous|preceding|prior)\s+(?:financial\s+)?(?:year|12\s+months|twelve\s+months)"
        r"(?![\w-])|(?<![\w-])last\s+year(?![\w-])"), _previous_year),
    (_p(r"(?:\bthe\s+)?\bsame\s+(?:time\s+period|period|quarter|month|time)\s+(?:(?:of|in)\s+)?(?:last|the\s+previous|"
        r"the\s+preceding|the\s+prior)\s+year\b|\bthis\s+time\s+last\s+year\b"), _same_period_last_year),
    (_p(r"\bthe\s+(?:last|past|latest|most\s+recent)\s+(?:full\s+)?(?:12|twelve)\s+months(?![\w-])|"
        r"\bthe\s+(?:last|past)\s+year(?![\w-])"), _last_12_months),
]


# --- periods_in ----------------------------------------------------------------------------

def _candidates(text: str, patterns: list[tuple[re.Pattern[str], _Reading]]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for pattern, reading in patterns:
        for m in pattern.finditer(text):
            try:
                period = reading(m, text)
            except PeriodError:
                period = _No.BLOCK  # "2023-2027": four years, not a financial year
            if period is _No.IGNORE:
                continue
            if isinstance(period, Period):
                start = m.start()
                if reading is _calendar_year:  # "in 2021" is written "2021"
                    start = m.start("t") if m.group("t") else m.start("y")
                out.append(_Candidate(start, m.end(), period))
            else:
                out.append(_Candidate(m.start(), m.end(), None))
    return out


def _longest(candidates: list[_Candidate]) -> list[_Candidate]:
    """The longest candidates that do not overlap, in the order they are written."""
    chosen: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if all(c.end <= k.start or k.end <= c.start for k in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _absolute(text: str) -> list[_Candidate]:
    return _longest(_candidates(text, _ABSOLUTE))


def periods_in(text: str, *, document_period: Period | None = None) -> list[PeriodMention]:
    """Every period a sentence or paragraph names, in order, non-overlapping (longest match wins).

    >>> [m.period.label for m in periods_in("46 homicides from January 2021 to December 2021, "
    ...                                      "compared to 52 in the year ending June 2019")]
    ['Jan 2021 to Dec 2021', 'YE Jun 2019']

    Relative phrases ("the previous quarter") are read only given ``document_period``.
    """
    if document_period is None and not any(ch.isdigit() for ch in text):
        return []
    candidates = _candidates(text, _ABSOLUTE)
    if document_period is not None:
        for pattern, reading in _RELATIVE:
            candidates += [_Candidate(m.start(), m.end(), None, reading) for m in pattern.finditer(text)]
    out: list[PeriodMention] = []
    anchor: Period | None = None
    for c in _longest(candidates):
        if c.relative is not None and document_period is not None:
            try:
                period = c.relative(anchor, document_period)
            except PeriodError:
                period = None
            if period is not None:
                out.append(PeriodMention(c.start, c.end, text[c.start:c.end], period, relative=True))
        elif c.period is not None:
            out.append(PeriodMention(c.start, c.end, text[c.start:c.end], c.period))
            anchor = c.period
    return out


# --- the document's own period -------------------------------------------------------------

_MARKUP = re.compile(r"</?u>|[#*_]+")
_SMALL_WORDS = {"and", "of", "the", "for", "to", "on", "in", "a", "an", "&", "-", "–", "—", "|", ":"}


def _title_like(line: str, mention: PeriodMention) -> bool:
    """A heading's words: each capitalised or small ("2024-25 Q1 Update", "ANNUAL REPORT 2023 - 2024")."""
    rest = line[:mention.start] + " " + line[mention.end:]
    for word in rest.split():
        word = word.strip("()[],.:;'\"’")
        if word and not (word[0].isupper() or word[0].isdigit() or word.lower() in _SMALL_WORDS):
            return False
    return True


def document_period(text: str) -> Period | None:
    """The period a whole document is about, from a heading among its first 40 lines.

    "2024-25 Q1 Update" is the financial quarter 2024-25 Q1; the cover "ANNUAL REPORT / 2023 -
    2024" the financial year 2023-24.  A month in a heading is when a board met or a paper was
    published ("Strategic Policing and Crime Board May 2022", "(Published Sept 2022)"), not a
    period, so it gives None; so do headings that disagree.  None when unsure.
    """
    lines = [ln for ln in (_MARKUP.sub("", raw).strip() for raw in text.splitlines()) if ln][:40]
    found: list[Period] = []
    for line in lines:
        if len(line) > 80 or line.endswith((".", ",", ";")):
            continue
        mentions = periods_in(line)
        if len(mentions) != 1 or not _title_like(line, mentions[0]):
            continue
        period = mentions[0].period
        if isinstance(period, MonthPeriod) or (isinstance(period, MonthRange) and period.n_months == 1):
            continue
        found.append(period)
    if not found or any(p.span() != found[0].span() for p in found):
        return None
    return found[0]


# --- areas ---------------------------------------------------------------------------------

def _key(name: str) -> str:
    return " ".join(name.lower().replace("&", " and ").replace("-", " ").replace(",", " ").split())


def _name_pattern(key: str) -> str:
    words = ["(?:and|&)" if w == "and" else re.escape(w) for w in key.split()]
    return r"(?:\s+|\s*-\s*|,\s*)".join(words)


@cache
def _force_names() -> dict[str, str]:
    """Each way a force is written in prose, by key: its name, its name with "Police", its
    police.uk name ("Avon & Somerset Constabulary") — only those ``areas.find_force`` reads."""
    names: dict[str, str] = {}
    for f in forces().values():
        for alias in (f.name, f"{f.name} Police", f.police_uk_name):
            if alias and find_force(alias) == f.force_id:
                names.setdefault(_key(alias), f.force_id)
    return names


def _sub_area_aliases(area: SubArea) -> list[str]:
    """"Bristol, City of" is also written "City of Bristol" and "Bristol"."""
    name = area.name
    if ", " in name:
        place, _, kind = name.partition(", ")
        return [name, f"{kind} {place}", place]
    return [name]


@lru_cache(maxsize=32)
def _area_table(sub_areas: tuple[SubArea, ...]) -> tuple[re.Pattern[str], dict[str, tuple[str, SubArea | None]]]:
    table: dict[str, tuple[str, SubArea | None]] = {k: (f, None) for k, f in _force_names().items()}
    for area in sorted(sub_areas, key=lambda a: a.area_type != "local_authority"):  # a name: the authority
        for alias in _sub_area_aliases(area):
            table.setdefault(_key(alias), (area.force_id, area))  # a force's own name stays the force
    alternatives = sorted(table, key=len, reverse=True)
    # not inside a word, an e-mail address or a web address ("wmpcc@west-midlands.pnn.police.uk")
    pattern = re.compile(r"(?<![\w@./-])(?:" + "|".join(_name_pattern(k) for k in alternatives) + r")(?![\w@-]|\.\w)",
                         re.IGNORECASE)
    return pattern, table


_REGION_AFTER = re.compile(r"\s+regions?\b|\s+regional\b", re.IGNORECASE)


def areas_in(text: str, *, sub_areas: Sequence[SubArea] = ()) -> list[AreaMention]:
    """The forces and the given local authorities and CSPs a text names, in order.

    Whole words, longest first, non-overlapping: "West Midlands Police", "Avon & Somerset",
    "Telford and Wrekin".  A one-word name counts only capitalised ("Kent", not "kent"); "the
    West Midlands region" is the ONS region, not the force.  A name that is both a force and a
    sub-area is the force; a name that is both a local authority and a CSP is the authority.
    """
    pattern, table = _area_table(tuple(sub_areas))
    out: list[AreaMention] = []
    for m in pattern.finditer(text):
        written = m.group()
        key = _key(written)
        if key not in table or (" " not in key and not written[0].isupper()):
            continue
        if _REGION_AFTER.match(text, m.end()):
            continue
        force_id, area = table[key]
        out.append(AreaMention(m.start(), m.end(), written, force_id, area))
    return out


#: How much of a document is "its first part", where it says which force it is about.
FIRST_PART = 6000


def document_force(text: str) -> str | None:
    """The force a document is about: the one named most often in its first part (the first
    mentioned, of those named equally often); None if it names none."""
    named = [a.force_id for a in areas_in(text[:FIRST_PART]) if a.sub_area is None]
    if not named:
        return None
    counts = Counter(named)
    best = max(counts.values())
    return next(f for f in named if counts[f] == best)
