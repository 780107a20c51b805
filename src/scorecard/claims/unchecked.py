"""The figures in a document's prose that no check could test, each listed with the reason.

A reader of the checker's report should see what was not checked as plainly as what was: the
"£6.5 million from the Ministry of Justice", the "1,118 dangerous weapons" collected, the "17%
related to domestic abuse".  Every count, percentage and sum of money in prose that no other
claim covers is listed as "not checkable", saying why: money is only checked where a table
adds it up; a count or a percentage names no measure the catalogue knows (so the store holds
nothing to test it against, as with a force's own figures nobody has loaded).

Numbers that are not quantities are left alone: years, periods and dates, durations ("10
seconds", "12 months"), ages, paragraph and page numbers, telephone numbers, ranges ("10-15
each month" is read as a range, not a claim), ordinals and the names of things ("Safer Streets
Five", "Section 1").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scorecard.claims.context import periods_in
from scorecard.claims.model import Claim
from scorecard.claims.reading import Paragraph
from scorecard.claims.stated import NUMBER, PERCENT

_MONEY = re.compile(rf"£\s?{NUMBER}(?:\s*(?:million|m|bn|billion|k)\b)?", re.I)
_PERCENTAGE = re.compile(rf"(?<![\d.,]){NUMBER}{PERCENT}", re.I)
#: A number followed by a word, as counts are written: "1,118 dangerous weapons", "300 suspects".
_COUNT = re.compile(rf"(?<![\d.,£/:\-–]){NUMBER}(?![\d%/:\-–]|[.,]\d)\s+([A-Za-z][A-Za-z'’-]*)")
_NOT_COUNTED = {
    "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "quarter", "quarters", "am", "pm", "per", "to", "and", "or", "of",
    "out", "times", "fold", "x", "st", "nd", "rd", "th", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "percent", "per-cent", "pc", "million", "billion",
    "m", "bn", "k", "year-olds", "olds", "miles", "mph", "km", "metres", "hrs", "compared", "more", "less",
    "higher", "lower", "up", "down", "increase", "decrease", "reduction", "last", "over", "under", "score",
}


#: Sums of money and percentages, each with why it cannot be checked.
_AMOUNTS = [
    (_MONEY, "money", "Money is checked only where a table adds it up; the store holds no money to test it against"),
    (_PERCENTAGE, "percentage",
     "It is a percentage of nothing the catalogue names, so the store holds nothing to test it against"),
]


def unchecked(paras: Sequence[Paragraph], claims: Sequence[Claim], file: str) -> list[Claim]:
    """A "not checkable" claim for each quantity in prose that no claim in ``claims`` covers."""
    covered: dict[int, list[tuple[int, int]]] = {}
    for c in claims:
        if c.span is not None:
            covered.setdefault(c.paragraph, []).append(c.span)
    out: list[Claim] = []
    for para in paras:
        if para.table or (len(para.lines) == 1 and len(para.text) < 70 and not para.text.rstrip().endswith(".")):
            continue  # tables are checked by their totals and rows; a heading states nothing
        text = para.text
        taken = covered.get(para.number, []) + [(p.start, p.end) for p in periods_in(text)]
        for pattern, kind, why in _AMOUNTS:
            for m in pattern.finditer(text):
                if _free(taken, m.start(), m.end()):
                    taken.append(m.span())
                    out.append(_claim(para, m.start(), m.end(), file, kind, why))
        for m in _COUNT.finditer(text):
            word = m.group(3).lower().strip("'’")
            if word in _NOT_COUNTED or _FUNCTION_WORD.match(word) or word.endswith("ed") \
                    or not _free(taken, m.start(), m.end()) \
                    or _not_a_quantity(text, m):
                continue
            end = _noun_end(text, m)
            taken.append((m.start(), end))
            out.append(_claim(para, m.start(), end, file, "count",
                              "It counts nothing the catalogue names (a force's own figure, say), so the store "
                              "holds nothing to test it against"))
    return out


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(a <= start < b or start <= a < end for a, b in taken)


_FUNCTION_WORD = re.compile(r"(?:in|of|the|and|or|with|were|was|are|is|to|from|for|by|at|on|have|has|had|that|"
                            r"which|who|this|these|being|been|across|during|between|per|a|an)$", re.I)


def _noun_end(text: str, m: re.Match[str]) -> int:
    """Where the words a count counts end: "1,118 dangerous weapons": up to its first plural, short
    of the first small word or punctuation."""
    end = m.end()
    word = m.group(3)
    for w in re.finditer(r"\s+([A-Za-z][A-Za-z'’-]*)", text[end:end + 40]):
        if w.start() != end - m.end() or _plural(word) or _FUNCTION_WORD.match(w.group(1)) \
                or end - m.end(3) > 25:
            break  # a plural ends what it counts: "1,118 dangerous weapons"
        end, word = m.end() + w.end(), w.group(1)
    return end


def _plural(word: str) -> bool:
    low = word.lower()
    return low.endswith("s") and not low.endswith(("ous", "ss", "is", "us"))


def _not_a_quantity(text: str, m: re.Match[str]) -> bool:
    """Years, list and section numbers, telephone numbers, ranges and names."""
    whole = m.group(1).replace(",", "")
    if m.group(2) is None and "," not in m.group(1) and 1900 <= int(whole) <= 2100:
        return True  # a year ("in 2023 my office ...")
    before = text[max(0, m.start() - 12):m.start()]
    if re.search(r"(?:section|page|pages|paragraph|para|item|chapter|phase|tier|level|band|grade|no\.?|number|"
                 r"aged?|under|over|per)\s*$", before, re.I):
        return True
    if whole in ("999", "101", "111", "112") and re.match(r"calls?|service|line|number", m.group(3), re.I):
        return True  # the emergency and non-emergency numbers are names
    if m.start() == 0 or (re.search(r"[.)]\s*$|^\s*$", text[:m.start()]) and m.group(3)[:1].isupper()):
        return True  # "4. The volume of ...", a list's number
    if re.match(r"\s*(?:-|–|to)\s*\d", text[m.end(1) + (len(m.group(2)) + 1 if m.group(2) else 0):]):
        return True
    if re.search(r"\d\s+$", text[:m.start()]):
        return True  # part of a telephone number
    return bool(m.group(3)[:1].isupper() and not text[:m.start()].rstrip().endswith(("of", "with", "were")))


def _claim(para: Paragraph, start: int, end: int, file: str, kind: str, why: str) -> Claim:
    quoted = _around(para.text, start, end)
    return Claim(file, para.number, para.line_at(start), quoted, kind, "not checkable",
                 f"“{' '.join(para.text[start:end].split())}”: {why}.", page=para.page, section=para.section,
                 span=(start, end))


def _around(text: str, start: int, end: int) -> str:
    """The sentence a figure is in, cut to about 200 characters around it."""
    lo = max(text.rfind(". ", 0, start) + 2, start - 100, 0)
    hi = text.find(". ", end)
    hi = len(text) if hi < 0 else hi + 1
    hi = min(hi, end + 100)
    return ("…" if lo > 0 else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")
