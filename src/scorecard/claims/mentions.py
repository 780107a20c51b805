"""Sentences that state a measure's figure, read into what the store can be asked.

"There were 7,497 recorded drug offences in the year ending March 2024, a 6% reduction from the
previous year" states two figures of one measure: a count for a period, and a change against
the year before.  Each becomes a ``MeasureClaim``: the measure (found by the catalogue's names:
its title, its noun singular and plural, its aliases — so adding a measure's aliases to the
catalogue teaches the checker a new way of naming it, with no Python), the number as written,
what a change is against, and the period and area, each read from the sentence, else from the
paragraph, else from the document (``context``), and saying which.

Only what a sentence plainly ties to one measure is read: a number directly before the
measure's name ("43 homicides"), or before a plain noun ("34,154 offences") in a sentence
naming one measure only; a percentage change in a sentence naming one measure.  Anything looser
is left alone: a claim is only worth checking if a person would read it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scorecard.catalogue.schema import ROLE_PREFERENCE, Catalogue, Measure
from scorecard.claims.context import AreaMention, PeriodMention, areas_in, periods_in
from scorecard.claims.reading import Paragraph
from scorecard.claims.stated import NUMBER, PERCENT, WORD_NUMBER, Stated
from scorecard.claims.within import sentences
from scorecard.periods import NATIONAL_BASELINE, Period
from scorecard.sub_areas import SubArea

Kind = Literal["count", "change", "percentage", "rate"]
Against = Literal["baseline", "previous year", "previous quarter"]
From = Literal["the sentence", "the paragraph", "the document", "the table"]

#: Role order when names are shared ("burglary" is Home Office recorded crime before the ONS
#: survey or data.police.uk's street-level count): the figure a statement most likely quotes.
_ROLE_ORDER = ROLE_PREFERENCE
_GENERIC = r"(?:offences|crimes|incidents|episodes|admissions|reports|calls)"
_N = rf"(?<![\d.,£/\-]){NUMBER}"
_FALL = ("reduction", "decrease", "fall", "drop", "reduced", "decreased", "fallen", "dropped", "down", "lower",
         "improvement")
#: A change as sentences write it, and where its words are: the number then the word ("a 6%
#: reduction"), the word then the number ("reduced by 1%"), a sign ("(+52%)", "−12% on the year
#: before"), or a bound ("a reduction of less than 0.1%").
_CHANGES: list[tuple[re.Pattern[str], Literal["number word", "word number", "sign", "bound"]]] = [
    (re.compile(rf"\b(?:an?\s+)?{_N}{PERCENT}\s+(reduction|decrease|fall|drop|increase|rise)\b", re.I), "number word"),
    (re.compile(rf"\b(reduced|decreased|fallen|dropped|increased|risen|grown|up|down)\s+(?:by\s+)?(?:almost\s+|"
                rf"nearly\s+|around\s+|about\s+)?{_N}{PERCENT}", re.I), "word number"),
    (re.compile(rf"\b(increase|reduction|decrease|rise|fall)\s+of\s+{_N}{PERCENT}", re.I), "word number"),
    (re.compile(rf"\b(increase|reduction|decrease|rise|fall)\s+of\s+less\s+than\s+{_N}{PERCENT}", re.I), "bound"),
    (re.compile(rf"\(\s*([+\-−])\s*{NUMBER}{PERCENT}\s*\)", re.I), "sign"),
    (re.compile(rf"(?<![\w(])([+\-−])\s*{NUMBER}{PERCENT}(?=\s+(?:on|against|compared|vs|versus|from)\b)", re.I),
     "sign"),
]
#: Words that make a sentence's change a comparison with something else than the three known.
_AGAINST = [
    ("baseline", re.compile(r"\bbaseline\b|year\s+ending\s+june\s+(?:20)?19\b|\bye\s+jun\w*\s+(?:20)?19\b", re.I)),
    ("previous year", re.compile(r"\b(?:previous|last|prior)\s+(?:financial\s+)?year\b|same\s+period\s+last\s+year|"
                                 r"\byear\s+before\b|"
                                 r"previous\s+12\s+months|\bsince\s+(?:\w+\s+)?(?:19|20)\d\d\b|year[\s-]on[\s-]year",
                                 re.I)),
    ("previous quarter", re.compile(r"\b(?:previous|last|prior)\s+quarter\b", re.I)),
]


@dataclass(frozen=True)
class MeasureClaim:
    """A figure a sentence states of a measure, with what the store must be asked to check it."""

    para: Paragraph
    offset: int  # where the sentence starts in the paragraph's text
    sentence: str
    measures: tuple[Measure, ...]  # the measures its name may mean, most likely first
    named: str
    kind: Kind
    stated: Stated
    falls: bool | None  # for a change: whether it is stated as a fall
    against: Against | None  # for a change: what it is against (None: the sentence does not say)
    period: Period | None
    period_text: str
    period_from: From
    force_id: str | None
    sub_area: SubArea | None
    area_from: From
    against_period: Period | None = None  # for a change against a period it names: "on November 2021"
    rate_base: int | None = None  # for a rate: per how many people ("per 100,000 people")
    words: str = ""  # the figure as the sentence writes it
    at: int = 0  # where the figure starts in the sentence


class Names:
    """Every name the catalogue gives its measures, as one pattern, longest first.

    A name of one word that is only an alias ("referrals", "admissions", "discharges") is
    weak: many things are referrals.  It names the measure only in a paragraph that also names
    it in full ("hospital admissions ... saw 160 episodes").  Articles are optional, as writers
    drop them: "offences involving discharge of a firearm"."""

    def __init__(self, catalogue: Catalogue) -> None:
        by_name: dict[str, list[Measure]] = {}
        self.weak: set[str] = set()
        for m in catalogue.measures:
            strong = _strong_names(m)
            for name in m.names:
                by_name.setdefault(name, []).append(m)
                if name not in strong:
                    self.weak.add(name)
        self.weak -= {n for m in catalogue.measures for n in _strong_names(m)}
        for m in catalogue.measures:  # a measure's sentence is a name too: "of calls to 999 were answered ..."
            said = _phrase_words(m)
            if said:
                by_name.setdefault(said, []).append(m)
        self.measures = {n: tuple(sorted(ms, key=_preference)) for n, ms in by_name.items()}
        self._key = {_key(n): n for n in sorted(by_name, key=len)}
        alternatives = sorted(by_name, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(_loose(n) for n in alternatives) + r")(?![\w-])", re.I)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of each measure named, the weak names only where a strong one is."""
        found = [(m.start(), m.end(), self._key[_key(m.group(1))]) for m in self.pattern.finditer(text)]
        strong = {m.id for _, _, n in found if n not in self.weak for m in self.measures[n]}
        return [f for f in found if f[2] not in self.weak or {m.id for m in self.measures[f[2]]} & strong]


_ARTICLES = {"the", "a", "an"}


def _key(name: str) -> str:
    return " ".join(w for w in name.lower().split() if w not in _ARTICLES)


def _loose(name: str) -> str:
    """A name's pattern: any spacing, and its articles optional."""
    out = ""
    for word in name.split():
        if word in _ARTICLES:
            out += rf"(?:{re.escape(word)}\s+)?"
        else:
            out += re.escape(word) + r"\s+"
    return out[:-3] if out.endswith(r"\s+") else out


def _phrase_words(measure: Measure) -> str | None:
    """The words of a measure's catalogue phrase between its figure and its period, lowercased:
    "{value} of calls to 999 were answered within 10 seconds {period}" gives "of calls to 999
    were answered within 10 seconds"."""
    if measure.phrase is None:
        return None
    words = measure.phrase.split("{value}", 1)[-1].split("{period}", 1)[0]
    words = " ".join(words.lower().split())
    return words if len(words.split()) >= 3 else None


def _strong_names(measure: Measure) -> set[str]:
    """Its title, its noun and its aliases of more than one word."""
    names = measure.names
    noun = {measure.noun.singular.lower(), measure.noun.plural.lower()} if measure.noun else set()
    return {n for n in names if " " in n or n in noun or n == measure.short_title}


def _preference(m: Measure) -> tuple[int, bool]:
    return (_ROLE_ORDER.index(m.role) if m.role in _ROLE_ORDER else len(_ROLE_ORDER), m.dataset.startswith("police_uk"))


@dataclass(frozen=True)
class Setting:
    """What the document as a whole is about, for sentences and paragraphs that do not say."""

    period: Period | None
    force_id: str | None
    sub_areas: Sequence[SubArea] = ()
    baseline: Period = NATIONAL_BASELINE


def measure_claims(paras: Sequence[Paragraph], names: Names, setting: Setting) -> list[MeasureClaim]:
    out: list[MeasureClaim] = []
    last: tuple[Period, str] | None = None  # the period of the last figure, for "in the same period"
    section = None
    for para in paras:
        if para.table:
            continue
        if para.section != section:
            section, last = para.section, None
        text = para.text
        para_names = names.find(text)
        if not para_names:
            continue
        para_periods = periods_in(text, document_period=setting.period)
        para_areas = areas_in(text, sub_areas=setting.sub_areas)
        for offset, sentence in sentences(text):
            end = offset + len(sentence)
            found = [(a - offset, b - offset, n) for a, b, n in para_names if offset <= a < end]
            if not found:
                continue
            periods = [_shifted(p, -offset) for p in para_periods if offset <= p.start < end]
            areas = [a for a in para_areas if offset <= a.start < end]
            before = [p for p in para_periods if p.start < offset]
            for f in _figures(sentence, found, names):
                period, ptext, pfrom = _period_for(f.kind, sentence, f.at, periods, before, setting, last)
                if period is not None and pfrom == "the sentence":
                    last = (period, ptext)
                force_id, sub_area, afrom = _area_for(areas, para_areas, setting)
                out.append(MeasureClaim(para, offset, sentence, _by_source(names.measures[f.name], sentence), f.name,
                                        f.kind, f.stated, f.falls, f.against, period, ptext, pfrom, force_id,
                                        sub_area, afrom, f.against_period, f.rate_base, " ".join(f.words.split()),
                                        f.at))
    return out


def table_claims(paras: Sequence[Paragraph], names: Names, setting: Setting) -> list[MeasureClaim]:
    """The cells of tables that state a measure's figure: a row labelled with a measure's name
    ("Personal robbery", "Vehicle Offences"), a cell holding a number, and the period its column
    heading names ("Q1 22/23 (volume)"), else one named in its own row ("Homicide | 2022-23 Q1 |
    5"), else the paragraph before the table's; the area is the document's."""
    out: list[MeasureClaim] = []
    before = ""
    for para in paras:
        if not para.table:
            before = para.text
            continue
        rows = [[c.strip() for c in line.split("\t")] for line in para.lines]
        heads = [_cell_period(c) for c in rows[0]]
        roles = [_heading_role(c) for c in rows[0]]
        above = next((p for p in reversed(periods_in(before)) if not p.relative), None)
        for i, row in enumerate(rows[1:], start=1):
            label = names.find(row[0]) if row else []
            if len(label) != 1 or label[0][1] - label[0][0] < len(row[0].rstrip(" *:")) - 2:
                continue  # the row is not labelled with one measure's name, whole
            name = label[0][2]
            own = next((p for p in map(_cell_period, row[1:]) if p is not None), None)
            first_figure = True
            for j, text in enumerate(row[1:], start=1):
                m = re.fullmatch(rf"{NUMBER}\s*(%?)(?:\s*\((.*)\))?", text)
                if not m:
                    continue
                kind: Kind = "percentage" if m.group(3) else "count"
                if (kind == "percentage") != (names.measures[name][0].unit == "percentage"):
                    continue
                bracketed = _cell_period(m.group(4) or "")
                role = roles[j] if j < len(roles) else None
                by_role = _role_period(role, own, setting)
                head = bracketed or (heads[j] if j < len(heads) else None) or by_role
                if head is None and not first_figure:
                    continue  # a second figure in the row with nothing saying its period: not read
                first_figure = False
                heading = text if bracketed else rows[0][j] if j < len(rows[0]) else ""
                period, ptext, pfrom = _table_period(head, heading, own, row, above, setting)
                offset = para.offset_of_line(i)
                out.append(MeasureClaim(para, offset, para.lines[i].strip(), names.measures[name], row[0], kind,
                                        Stated.of(m.group(1), m.group(2)), None, None, period, ptext, pfrom,
                                        setting.force_id, None, "the document"))
    return out


def _table_period(head: Period | None, heading: str, own: Period | None, row: list[str],
                  above: PeriodMention | None, setting: Setting) -> tuple[Period | None, str, From]:
    """A cell's period: its column heading's, else its row's, else the text before the table's,
    else the document's."""
    if head is not None:
        return head, f"column “{heading}”", "the table"
    if own is not None:
        return own, f"row “{' | '.join(row)}”", "the table"
    if above is not None:
        return above.period, above.text, "the paragraph"
    return setting.period, setting.period.label if setting.period else "", "the document"


def _heading_role(text: str) -> Against | None:
    """What a column heading says its figures are compared with: "Baseline", "Previous year"."""
    if _cell_period(text) is not None:
        return None
    return _against(text)


def _role_period(role: Against | None, own: Period | None, setting: Setting) -> Period | None:
    if role == "baseline":
        # A baseline beside a shorter period is averaged to it ("about 4 a quarter"): not the
        # baseline's own figure, so not read.
        return setting.baseline if own is None or own.n_months == setting.baseline.n_months else None
    if own is None or role is None:
        return None
    return own.previous() if role == "previous quarter" else own.same_period_last_year()


def _cell_period(text: str) -> Period | None:
    found = [p for p in periods_in(text) if not p.relative]
    return found[0].period if len(found) == 1 else None


def _shifted(p: PeriodMention, by: int) -> PeriodMention:
    return PeriodMention(p.start + by, p.end + by, p.text, p.period, p.relative)


#: What may follow a measure's name for a number before it to be a count of it: a sentence's
#: own words, not another noun ("64 drugs warrants" counts warrants).
_AFTER_NAME = re.compile(
    r"\s*(?:$|[.,;:()\-–—]|(?:in|at|of|for|were|was|have|has|had|recorded|reported|across|per|during|between|from|"
    r"and|or|this|that|which|with|to|compared|over|since|a|the|took|taking|where|when|while|whilst|is|are|being|"
    r"last|so|by|on|up|down|against|overall|each|every|year|quarter|month)\b)", re.I)
_CONTRAST = re.compile(r"\b(?:but|however|whereas|although|though|while|whilst)\b|;", re.I)


@dataclass(frozen=True)
class _Figure:
    kind: Kind
    at: int  # where the number is in the sentence
    stated: Stated
    name: str  # the measure's name as the catalogue gives it
    falls: bool | None = None  # for a change: whether it is stated as a fall
    against: Against | None = None  # for a change: what it is against, if the text says
    against_period: Period | None = None  # ... or the period it names ("a 3.6% increase on November 2021")
    rate_base: int | None = None  # for a rate: per how many people
    words: str = ""  # the figure as the sentence writes it: "7,497 recorded drug offences", "a 6% reduction"


def _figures(sentence: str, found: list[tuple[int, int, str]], names: Names) -> list[_Figure]:
    """Each figure the sentence states of a measure it names."""
    out: list[_Figure] = []
    distinct = {tuple(m.id for m in names.measures[n]) for _, _, n in found}
    one = found[0][2] if len(distinct) == 1 else None
    taken: list[tuple[int, int]] = []
    for start, end, name in found:
        before = sentence[:start]
        m = re.search(rf"{_N}(?:\s+(?:recorded|police\s+recorded|more|fewer|additional|total))?\s+$", before)
        if m and _a_count(before, m) and _AFTER_NAME.match(sentence, end) and not _PER.match(sentence, end):
            out.append(_Figure("count", m.start(), Stated.of(m.group(1), m.group(2)), name,
                               words=sentence[m.start():end]))
            taken.append((m.start(), m.end()))
        if names.measures[name][0].unit == "percentage":
            p = re.search(rf"{_N}{PERCENT}\s+(?:of\s+(?:all\s+|the\s+)?)?$", before)
            if p:
                out.append(_Figure("percentage", p.start(), Stated.of(p.group(1), p.group(2)), name,
                                   words=sentence[p.start():end]))
                taken.append((p.start(), p.end()))
    if one is None:
        return out
    if names.measures[one][0].unit == "count":
        for m in re.finditer(rf"{_N}\s+{_GENERIC}\b", sentence):
            if not any(a <= m.start() < b for a, b in taken) and _a_count(sentence[:m.start()], m, anchored=False) \
                    and not _PER.match(sentence, m.end()):
                out.append(_Figure("count", m.start(), Stated.of(m.group(1), m.group(2)), one, words=m.group(0)))
                taken.append((m.start(), m.end()))
        for m in re.finditer(rf"\bby\s+{_N}(?![\d%])[^.;%]{{0,60}}?\bto\s+{_N}(?![\d%]|[,.]\d)", sentence, re.I):
            out.append(_Figure("count", m.start(3), Stated.of(m.group(3), m.group(4)), one))
        for m in _RATE.finditer(sentence):
            stated = Stated.of(m.group(1), m.group(2)) if m.group(1) else Stated.word(m.group(3))
            out.append(_Figure("rate", m.start(), stated, one, rate_base=_BASES[m.group(4).lower().replace(",", "")],
                               words=m.group(0)))
    if names.measures[one][0].unit != "percentage":
        out += _changes_of(sentence, found, one)
    return out


_PER = re.compile(r"\s*per\s+(?:1,000|1000|thousand|100,000|100000|million|1,000,000)\b", re.I)
_BASES = {"1000": 1000, "thousand": 1000, "100000": 100_000, "million": 1_000_000, "1000000": 1_000_000}
#: "2.47 per 1,000 people", "five crimes per 100,000 people", "14.5 per million population".
_RATE = re.compile(rf"(?:{_N}|{WORD_NUMBER})\s+(?:[a-z-]+\s+){{0,3}}?per\s+(1,000|1000|thousand|100,000|100000|million|"
                   rf"1,000,000)\s+(?:people|population|residents|head|of\s+the\s+population)\b", re.I)


def _changes_of(sentence: str, found: list[tuple[int, int, str]], name: str) -> list[_Figure]:
    """The changes a sentence states of its one measure, each with what it is against: said just
    after it ("a 17% reduction on the previous quarter ... and a 33% increase on the national
    baseline"), else, for a sentence stating one change, anywhere in the sentence."""
    tied = [c for c in _changes(sentence) if _tied(sentence, c[0], c[3], found)]
    own = [_against(sentence[end:end + 50], leading=True) for _, _, _, end in tied]
    if len(tied) == 1:
        at, stated, falls, end = tied[0]
        named = _named_period(sentence[end:end + 50])
        if named is not None:
            return [_Figure("change", at, stated, name, falls, None, named, words=sentence[at:end])]
        return [_Figure("change", at, stated, name, falls, own[0] or _against(sentence), words=sentence[at:end])]
    if all(own):  # two changes, each against what it says
        return [_Figure("change", at, stated, name, falls, against, words=sentence[at:end])
                for (at, stated, falls, end), against in zip(tied, own, strict=True)]
    return []  # two changes and no saying which is against what: not read


def _by_source(measures: tuple[Measure, ...], sentence: str) -> tuple[Measure, ...]:
    """The measures a name may mean, those whose source the sentence names first ("According to
    force homicide records" is the force's own count, not the Home Office's)."""
    low = " ".join(sentence.lower().split())

    def named(m: Measure) -> bool:
        source = re.sub(r"\s*\([^)]*\)\s*$", "", m.source_text).lower()
        return bool(source) and source in low

    return tuple(sorted(measures, key=lambda m: not named(m)))


#: Words before a number that make it a year: "in 2021", "since 2019", "2019 and 2020".
_SAYS_YEAR = re.compile(r"(?:\b(?:in|since|during|from|until|for|of|by|to|and|or|year|between)|[,(/-])\s*$", re.I)


def _a_count(before: str, m: re.Match[str], *, anchored: bool = True) -> bool:
    """Whether a number before a name counts it: not money, a year, a difference ("by 9",
    "a reduction of 70") or a part of a whole ("12 of the 33 discharges").  A number that could
    be a year counts when nothing says it is one: "there were 2,050 burglaries" and "there were
    2050 burglaries" alike, but not "in 2021 burglaries fell"."""
    lead = before[:m.start()] if anchored else before
    if _year_like(m) and (not lead.strip() or _SAYS_YEAR.search(lead)):
        return False
    return not re.search(r"(?:£|\bby|\bof|\bof\s+the|\bto|\bthan|-|–)\s*$", lead, re.I)


def _tied(sentence: str, at: int, end: int, found: list[tuple[int, int, str]]) -> bool:
    """Whether a change is the named measure's: the name comes before it with nothing contrasting
    between ("Theft from Person has reduced by 1%"), or just after it ("a 13% reduction in
    weapon possession offences")."""
    earlier = [f for f in found if f[1] <= at]
    if earlier and not _CONTRAST.search(sentence[earlier[-1][1]:at]):
        return True
    return any(re.fullmatch(r"\s*(?:in|of)\s+(?:the\s+)?(?:\w+\s+){0,3}?", sentence[end:f[0]], re.I)
               is not None for f in found if f[0] >= end)


def _year_like(m: re.Match[str]) -> bool:
    return m.group(2) is None and "," not in m.group(1) and 1990 <= int(m.group(1)) <= 2100


def _changes(sentence: str) -> list[tuple[int, Stated, bool, int]]:
    """(where, the percentage, whether a fall, where it ends) of each change the sentence states."""
    out: dict[int, tuple[int, Stated, bool, int]] = {}
    for pattern, layout in _CHANGES:
        for m in pattern.finditer(sentence):
            if layout == "number word":
                stated, word = Stated.of(m.group(1), m.group(2)), m.group(3)
            elif layout == "sign":
                stated, word = Stated.of(m.group(2), m.group(3)), "down" if m.group(1) in "-−" else "up"
            else:
                stated, word = Stated.of(m.group(2), m.group(3)), m.group(1)
                if layout == "bound":
                    stated = Stated(stated.value, stated.places, f"less than {stated.text}", under=True)
            if not any(abs(m.start() - k) < 12 for k in out):
                out[m.start()] = (m.start(), stated, word.lower() in _FALL, m.end())
    return sorted(out.values(), key=lambda c: c[0])


_COMPARED_WITH = re.compile(r"\s*(?:\)\s*)?(?:on|from|against|compared\s+(?:with|to)|vs\.?|versus|since|over)\s+",
                            re.I)


def _named_period(text: str) -> Period | None:
    """The period a change is said to be against, when the words after it name one: "on
    November 2021", "compared with 2020/21" (the baseline and relative periods are not these)."""
    m = _COMPARED_WITH.match(text)
    if not m:
        return None
    found = periods_in(text[m.end():m.end() + 40])
    if found and found[0].start == 0 and not found[0].relative and not _AGAINST[0][1].match(found[0].text):
        return found[0].period
    return None


def _against(text: str, *, leading: bool = False) -> Against | None:
    """What a change is against, if ``text`` says one thing (``leading``: at its start, as the
    words just after a change say it: "on the previous quarter", "compared to the baseline")."""
    if leading:
        m = _COMPARED_WITH.match(text)
        if not m:
            return None
        text = text[m.end():m.end() + 40]
    said = [name for name, pattern in _AGAINST if pattern.search(text)]
    return said[0] if len(said) == 1 else None  # type: ignore[return-value]


_BASELINE_AFTER = re.compile(r"\s*(?:\w+\s+){0,3}?(?:in|during|for)\s+the\s+baseline\b", re.I)
_BEFORE_AFTER = re.compile(r"\s*(?:\w+\s+){0,2}?(?:(?:in|during|for|over)\s+)?the\s+(?:previous|prior|preceding)\s+"
                           r"(12\s+months|year|twelve\s+months|quarter)\b", re.I)


def _period_for(kind: Kind, sentence: str, at: int, periods: list[PeriodMention], before: list[PeriodMention],
                setting: Setting, last: tuple[Period, str] | None = None) -> tuple[Period | None, str, From]:
    """The period a figure is for.

    A count's or a percentage's is the period its own clause names nearest to it ("46 homicides"
    after "January 2021 to December 2021"; "162 incidents in the baseline 12 months"; "157
    incidents in the previous 12 months" before "the year ending March 2022" is the year before
    that); a sentence that names none leaves it unchecked, for a paragraph's other sentences
    are as often about other periods.  A change's is never the baseline or the earlier period it
    is against: the sentence's, else the last of three months or more the paragraph named
    before it, else the document's."""
    if kind != "change":
        rest = sentence[at:]
        number_end = at + (re.match(r"[\d,.]+", rest) or re.match("", rest)).end()  # type: ignore[union-attr]
        tail = sentence[number_end:]
        if _BASELINE_AFTER.match(tail):
            return setting.baseline, "the baseline", "the sentence"
        before_then = _BEFORE_AFTER.match(tail)
        explicit = [p for p in periods if not p.relative]
        if before_then and explicit:
            # "157 incidents in the previous 12 months; this has reduced by 9 in the year ending
            # March 2022": the 12 months before the period the sentence names.
            anchor = min(explicit, key=lambda p: _distance(p, at, number_end))
            if before_then.group(1).lower() == "quarter":
                return anchor.period.previous(), f"the quarter before {anchor.text}", "the sentence"
            return anchor.period.same_period_last_year(), f"the 12 months before {anchor.text}", "the sentence"
        if _SAME_PERIOD.match(tail) and last is not None:
            return last[0], f"the same period as {last[1]}", "the paragraph"
        same_clause = [p for p in periods if not _CLAUSE_BREAK.search(_between(sentence, p, at, number_end))]
        if not same_clause:
            return None, "", "the sentence"
        near = min(same_clause, key=lambda p: _distance(p, at, number_end))
        return near.period, near.text, "the sentence"

    def usable(p: PeriodMention) -> bool:
        return not p.relative and p.period.months() != setting.baseline.months()

    here = [p for p in periods if usable(p)]
    leading = [p for p in here if p.end <= at and not _in_brackets(sentence, p)]
    if leading or here:
        near = leading[-1] if leading else min(here, key=lambda p: _distance(p, at, at + 1))
        return near.period, near.text, "the sentence"
    earlier = [p for p in before if usable(p) and p.period.n_months >= 3]
    if earlier:
        return earlier[-1].period, earlier[-1].text, "the paragraph"
    if setting.period is not None:
        return setting.period, setting.period.label, "the document"
    return None, "", "the document"


_SAME_PERIOD = re.compile(r"\s*(?:\w+\s+){0,3}?(?:in|during|for|over)\s+the\s+same\s+(?:period|time)\b", re.I)


def _in_brackets(sentence: str, p: PeriodMention) -> bool:
    """Whether a period is named in brackets, as a comparison's is: "(2021-22 Q4: 6)"."""
    return sentence.count("(", 0, p.start) > sentence.count(")", 0, p.start)


_CLAUSE_BREAK = re.compile(r"[;:]|\bwhile\b|\bwhilst\b|\bbut\b|\bhowever\b", re.I)


def _between(sentence: str, p: PeriodMention, start: int, end: int) -> str:
    return sentence[p.end:start] if p.end <= start else sentence[end:p.start]


def _distance(p: PeriodMention, start: int, end: int) -> int:
    return start - p.end if p.end <= start else max(0, p.start - end)


def _area_for(here: list[AreaMention], para: list[AreaMention], setting: Setting
              ) -> tuple[str | None, SubArea | None, From]:
    """The area the sentence names, else a force the paragraph names (a town named elsewhere in
    the paragraph is where something happened, not what the figure covers), else the document's."""
    if here:
        return here[0].force_id, here[0].sub_area, "the sentence"
    forces = [a for a in para if a.sub_area is None]
    if forces:
        return forces[0].force_id, None, "the paragraph"
    return setting.force_id, None, "the document"
