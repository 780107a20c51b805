"""The same quantity stated twice in one document with different values.

A long report is written by several hands: the road-safety section says a public consultation
found "94% of people who responded ... supported my campaign", and the communications section,
describing the same consultation, says "93 per cent supporting my plan" (seed 003, lines 490 and
611).  At most one of the two is right, and a reader cannot tell which; the checker points at
the later one and names the earlier.

Finding "the same thing" in prose is guesswork unless it is held to reasons a person can check,
and a false alarm costs the reader more than a missed one.  So two percentages are reported as
one quantity stated twice only when all of these hold:

1. Both are in prose (tables are left alone) and in different paragraphs: one paragraph giving
   two values of a thing compares them on purpose (this year against last, one group against
   another).
2. Their paragraphs share at least ``MIN_SHARED`` distinctive phrases.  A phrase is two content
   words next to each other once stop words are dropped, lowercased, plurals and -ed/-ing endings
   stemmed ("public consultation", "fixed penalty", "Department for Transport"); it is distinctive
   when few of the document's prose paragraphs use it: at most ``MAX_SPREAD``, or one in
   ``SPREAD_DIVISOR`` of a long document (so "West Midlands", in a quarter of seed 003's
   paragraphs, says nothing of a shared subject).
3. The words that say what each number counts share a stem: of the ``NEAR`` content words either
   side of each number, within its sentence and short of any other number, one is common to both
   ("supported my campaign" and "supporting my plan" share "support").  Names (words written with
   a capital: places, forces, months) do not count, as they say where or when, not what.  A few
   words that do not end as a sentence does are a fragment (a PDF's table cell beside its source
   line), not prose, and are not read.
4. The sentences do not name different periods, as "90% in 2022" and "94% in 2023" do, being two
   values of one measure at two times.  When both sentences name years ("2023", "2023/24") or
   months, they name the same ones; when only one does, the other's paragraph names none of them
   or all of them; and a period named relative to the document's ("last year", "the previous
   quarter") is named in both or neither.
5. Both are levels: a change ("a 5% rise", "an increase of 12%") is a comparison, and two changes
   of one thing are as often against two different periods as not.
6. The written values differ.  The rule is about what is written, not about where rounding
   intervals meet: the same count of the same responses, written to the same number of places, is
   written the same way every time, so "94%" and "93 per cent" cannot both be that count, though
   the intervals they round from (93.5–94.5 and 92.5–93.5) touch at 93.5.  Written to different
   places ("94%" and "93.8%"), they are reported only when their rounding intervals do not
   overlap, since "93.8%" rounds to "94%" and both may be right.

A statement that some earlier statement of the same thing gives with the same value is a
repetition that agrees, and is not reported even if a third statement differs from it (seed 004
gives "domestic-related offending (26%)" in two places alike).  Otherwise each later statement that
differs is one claim, placed on it, whose ``why`` names the first earlier line it differs from,
the shared phrases and the shared words beside the two figures.  Percentages are read as "93%",
"93 per cent" and "93 percent".

The work is linear in the document's words; pairs are looked at only among percentages whose
nearby words share a stem (a few dozen percentages in a long annual report): seed 003, about 900
lines, takes about 20 milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scorecard.claims.model import Claim
from scorecard.claims.reading import Paragraph

KIND = "same quantity twice"
#: Distinctive phrases two paragraphs must share to be about the same thing.
MIN_SHARED = 3
#: A phrase is distinctive when at most this many prose paragraphs use it ...
MAX_SPREAD = 4
#: ... or, in a long document, at most one paragraph in this many.
SPREAD_DIVISOR = 40
#: Content words either side of a number that say what it counts.
NEAR = 3

_PERCENT = re.compile(r"(?<![\d.,£$])(\d{1,3}(?:\.\d+)?)\s*(%|per\s?cent\b)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘'(\[]*[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: What may stand between the two words of a phrase: spaces and stop words, no punctuation.
_GAP = re.compile(r"[A-Za-z\s]*")
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[A-Za-z][A-Za-z'’-]*")
_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:\s*[/-]\s*(?:20)?(\d\d))?\b")
#: A month by name ("May" only beside a day or a year, as "may" is mostly the verb).
_MONTH = re.compile(r"\b(?:(jan)(?:uary)?|(feb)(?:ruary)?|(mar)(?:ch)?|(apr)(?:il)?|(jun)e?|(jul)y?|(aug)(?:ust)?|"
                    r"(sep)(?:t|tember)?|(oct)(?:ober)?|(nov)(?:ember)?|(dec)(?:ember)?|(may)(?=\s+(?:19|20)\d\d)|"
                    r"(?<=\d\s)(may))\b", re.IGNORECASE)
#: A period named relative to the document's own ("last year", "the previous quarter", "a year earlier").
_RELATIVE = re.compile(r"\b(?:(?:this|last|previous|past|prior|current|next|same)\s+(?:financial\s+)?"
                       r"(?:year|quarter|month|week|period)|(?:year|quarter|month)s?\s+(?:earlier|before|ago))\b",
                       re.IGNORECASE)
_CHANGE_WORDS = r"increase|decrease|reduction|rise|fall|drop|improvement|growth|cut|uplift|decline"
#: Words after a percentage that make it a change rather than a level ("12% more", "a 6% reduction").
_CHANGE_AFTER = re.compile(rf"^\s*(?:[A-Za-z-]+\s+){{0,2}}?(?:{_CHANGE_WORDS}|up|down|more|fewer|less|higher|lower)\b",
                           re.IGNORECASE)
#: ... or before it ("rose by 12%", "an increase of 12%").
_CHANGE_BEFORE = re.compile(rf"\b(?:by|(?:{_CHANGE_WORDS})s?\s+of)\s*$", re.IGNORECASE)

_STOP_WORDS = """
a about above across after again against all almost also although always am among amongst an and another
any are around as at be became because been before being below between both but by can could did do does
doing done down during each either else even ever every few for from further had has have having he her
here hers herself him himself his how however i if in into is it its itself just last least less many may
me might more most much must my myself near neither next no nor not now of off often on once one only onto
or other others our ours ourselves out over own per cent percent rather same several she should since so
some such than that the their theirs them themselves then there these they this those though through
throughout thus to too toward towards under until up upon us very via was we well were what when where
whether which while whilst who whom whose why will with within without would yet you your yours
new year years month months week weeks day days time times quarter quarters summer autumn winter spring
previous ending compared number total people approximately nearly
"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class _Statement:
    """A percentage in a prose sentence, and what is needed to compare it with another."""

    para: Paragraph
    start: int  # of the number, in the paragraph's text
    written: str  # "94%", "93 per cent"
    value: Decimal
    quoted: str
    near: dict[str, str]  # the stems of the words saying what the number counts, and the words
    periods: frozenset[str]
    relative: frozenset[str]
    change: bool


def _stem(word: str) -> str:
    """A word without its plural or -ed/-ing ending: "supported" and "supporting" are "support"."""
    w = word.lower().replace("’", "'").strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def _content_word(word: str) -> str:
    """The word's stem, or ``""`` for a stop word."""
    w = word.lower()
    return "" if w in _STOP or len(w) < 3 else _stem(w)


def _phrases(text: str) -> dict[tuple[str, str], str]:
    """Pairs of content words with only stop words between them, no punctuation ("Department for
    Transport" gives ``("department", "transport")``), each with its words as first written."""
    out: dict[tuple[str, str], str] = {}
    last: tuple[str, re.Match[str]] | None = None
    for m in _WORD.finditer(text):
        stem = _content_word(m.group())
        if not stem:
            continue
        if last is not None and last[0] != stem and _GAP.fullmatch(text, last[1].end(), m.start()):
            out.setdefault((last[0], stem), " ".join(text[last[1].start():m.end()].lower().split()))
        last = (stem, m)
    return out


def _periods(text: str) -> frozenset[str]:
    """The years ("2023", "2023/24") and months a text names."""
    out = {m.group(1) + (f"/{m.group(2)}" if m.group(2) else "") for m in _YEAR.finditer(text)}
    out |= {next(g for g in m.groups() if g).lower() for m in _MONTH.finditer(text)}
    return frozenset(out)


def _relative(text: str) -> frozenset[str]:
    """The periods a text names relative to its own ("last year", "the previous quarter")."""
    return frozenset(" ".join(m.group().lower().split()) for m in _RELATIVE.finditer(text))


def _sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a paragraph's text starts and ends."""
    out, at = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, len(text)))
    return out


def _near(sentence: str, lo: int, hi: int) -> dict[str, str]:
    """The content words nearest the number at ``sentence[lo:hi]``, ``NEAR`` either side, short of
    any other number; names (written with a capital) left out."""
    tokens = list(_TOKEN.finditer(sentence))
    before = [t for t in tokens if t.end() <= lo]
    # A number in brackets speaks of what comes before it: "Organised Crime Groups activity (13%)".
    after = [] if sentence[:lo].rstrip().endswith("(") else [t for t in tokens if t.start() >= hi]
    out: dict[str, str] = {}
    for side in (reversed(before), iter(after)):
        taken = 0
        for t in side:
            word = t.group()
            if word[0].isdigit():
                break
            stem = _content_word(word)
            if not stem:
                continue
            taken += 1
            if word.islower():
                out.setdefault(stem, word.lower())
            if taken == NEAR:
                break
    return out


def _quote(sentence: str, at: int) -> str:
    """The sentence, or under 200 characters of it around the number at ``at``."""
    at -= len(sentence) - len(sentence.lstrip())
    sentence = sentence.strip()
    if len(sentence) <= 190:
        return sentence
    lo = max(0, at - 90)
    lo = sentence.rfind(" ", 0, lo) + 1 if lo else 0
    cut = sentence.find(" ", min(len(sentence), at + 90))
    hi = len(sentence) if cut < 0 else cut
    return ("…" if lo else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")


def _fragment(sentence: str) -> bool:
    """A few words that do not end as a sentence does — a table's cell and its source line run
    together in a PDF's text ("76% Force call-handling data (local series)") — are not prose."""
    return not sentence.rstrip().endswith((".", "!", "?")) and len(sentence.split()) < 12


def _statements(paras: Sequence[Paragraph]) -> list[_Statement]:
    out: list[_Statement] = []
    for para in paras:
        text = para.text
        if para.table or ("%" not in text and "cent" not in text.lower()):
            continue
        for lo, hi in _sentences(text):
            sentence = text[lo:hi]
            if _fragment(sentence):
                continue
            periods, relative = _periods(sentence), _relative(sentence)
            for m in _PERCENT.finditer(sentence):
                unit = "%" if m.group(2) == "%" else " " + " ".join(m.group(2).lower().split())
                change = bool(_CHANGE_AFTER.match(sentence[m.end():]) or _CHANGE_BEFORE.search(sentence[:m.start()]))
                out.append(_Statement(para, lo + m.start(), m.group(1) + unit, Decimal(m.group(1)),
                                      _quote(sentence, m.start()), _near(sentence, m.start(), m.end()), periods,
                                      relative, change))
    return out


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _differ(a: Decimal, b: Decimal) -> bool:
    """Whether two written values cannot be one quantity: written to the same places, any
    difference; to different places, rounding intervals that do not overlap."""
    if a == b:
        return False
    if _places(a) == _places(b):
        return True
    half_a = Decimal(5).scaleb(-_places(a) - 1)
    half_b = Decimal(5).scaleb(-_places(b) - 1)
    return abs(a - b) > half_a + half_b


def _periods_clash(a: _Statement, b: _Statement, para_periods: dict[int, frozenset[str]]) -> bool:
    """Whether the two statements are of different periods, as far as their sentences say: both
    sentences name periods and not the same ones, or one does and the other's paragraph names
    others; or they name different periods relative to the document's ("last year" and none)."""
    if a.relative != b.relative:
        return True
    if a.periods and b.periods:
        return a.periods != b.periods
    if a.periods:
        other = para_periods[b.para.number]
        return bool(other) and not a.periods <= other
    if b.periods:
        other = para_periods[a.para.number]
        return bool(other) and not b.periods <= other
    return False


def _listed(items: Sequence[str]) -> str:
    quoted = [f"“{i}”" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def repeated_quantities(paras: Sequence[Paragraph], file: str) -> list[Claim]:
    """One claim for each percentage the document states twice, in different paragraphs about the
    same thing, with different written values (see the module's rule), placed on the later one."""
    statements = _statements(paras)
    if len(statements) < 2:
        return []
    prose = [p for p in paras if not p.table]
    wanted = {s.para.number for s in statements}
    phrases = {p.number: _phrases(p.text) for p in prose}
    spread: Counter[tuple[str, str]] = Counter()
    for found in phrases.values():
        spread.update(found.keys())
    limit = max(MAX_SPREAD, len(prose) // SPREAD_DIVISOR)
    distinctive = {n: {f for f in phrases[n] if spread[f] <= limit} for n in wanted}
    para_periods = {n: _periods(p.text) for p in prose if (n := p.number) in wanted}
    out: list[Claim] = []
    # Only statements whose nearby words share a stem are compared, so the pairs looked at are few
    # even when a document has thousands of percentages.
    by_stem: dict[str, list[int]] = {}
    shared_of: dict[tuple[int, int], set[tuple[str, str]]] = {}
    for j, later in enumerate(statements):
        candidates = sorted({i for w in later.near for i in by_stem.get(w, ())})
        for w in later.near:
            by_stem.setdefault(w, []).append(j)
        same: list[tuple[_Statement, list[str], list[tuple[str, str, str]]]] = []
        for i in candidates:
            earlier = statements[i]
            pair = (earlier.para.number, later.para.number)
            if pair[0] == pair[1] or earlier.change or later.change:
                continue
            if pair not in shared_of:
                shared_of[pair] = distinctive[pair[0]] & distinctive[pair[1]]
            shared = shared_of[pair]
            if len(shared) < MIN_SHARED or _periods_clash(earlier, later, para_periods):
                continue
            said = sorted(phrases[earlier.para.number][p] for p in shared)
            words = sorted(w for w in earlier.near if w in later.near)
            beside = [(w, earlier.near[w], later.near[w]) for w in words]
            same.append((earlier, said, beside))
        # A figure the document has already stated the same way elsewhere is a repetition that
        # agrees; it is reported only when every earlier statement of it differs, naming the first.
        if same and all(_differ(earlier.value, later.value) for earlier, _, _ in same):
            out.append(_claim(*same[0], later, file))
    return out


def _claim(earlier: _Statement, said: list[str], beside: list[tuple[str, str, str]], later: _Statement,
           file: str) -> Claim:
    first = earlier.para.line_at(earlier.start)
    words = "; ".join(f"“{stem}” (“{a}”, “{b}”)" if a != b else f"“{a}”" for stem, a, b in beside)
    why = (f"Line {first} gives {earlier.written} for what reads as the same thing: both paragraphs speak of "
           f"{_listed(said)}, and the words beside both figures share {words}; {earlier.written} and "
           f"{later.written} cannot both be right (the same count, written to the same places, is written the "
           "same way each time).")
    return Claim(file=file, paragraph=later.para.number, line=later.para.line_at(later.start), quoted=later.quoted,
                 kind=KIND, verdict="inconsistent", why=why, page=later.para.page, section=later.para.section)
