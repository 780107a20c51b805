"""Claims a document makes that the document itself can check.

A board member checking a published statement checks what it says against what it also says:
"4 offences, compared with 6 the previous quarter, a 33% reduction"; "157 incidents in the
previous 12 months; this has reduced by 9 ... to 148"; "27 of 40 (68%)"; "averaging five a
month" beside the year's own figures; a table whose row of percentages should make 100; a
stated total against its rows; a total that carries another table's label.  Each claim found
gets a verdict with its place and the quoted text, and a reason a person can check by hand, to
the document's own precision (``stated``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from scorecard.claims.context import periods_in
from scorecard.claims.model import Claim, Verdict
from scorecard.claims.reading import Paragraph
from scorecard.claims.stated import NUMBER, PERCENT, WORD_NUMBER, Stated, cell, half, plain, show
from scorecard.narrative import with_article

_CHANGE_WORDS = {"reduction": -1, "decrease": -1, "fall": -1, "drop": -1, "increase": 1, "rise": 1}
_N = rf"(?<![\d.,£]){NUMBER}"
#: "<X> ... compared with <Y> ..., a <Z>% reduction" in one sentence.
_COMPARED = re.compile(
    rf"{_N}(?![\d%])[^.;%\d]{{0,80}}?\bcompared (?:with|to)\b[^.;%\d]{{0,40}}?{_N}"
    rf"(?![\d%])[^.;%]{{0,80}}?\b(?:an?|the)\s+{NUMBER}{PERCENT}\s+(reduction|decrease|fall|drop|increase|rise)",
    re.IGNORECASE)
#: "<X> <things> in <a period>; this has reduced by <N> ... to <M>".
_BY_TO = re.compile(
    rf"{_N}(?![\d%]|[,.]\d)[^.%]{{0,80}}?\b(?:has|have|had)?\s*(reduced|decreased|fallen|dropped|increased|risen|"
    rf"grown)\s+by\s+{_N}(?![\d%])[^.;%]{{0,60}}?\bto\s+{_N}(?![\d%]|[,.]\d)", re.IGNORECASE)
#: "<A> of <B> (<C>%)" and "<A> out of <B> (<C>%)".
_OF = re.compile(rf"{_N}\s+(?:out\s+)?of\s+(?:the\s+)?{NUMBER}\b[^()]{{0,40}}?\(\s*{NUMBER}{PERCENT}\s*\)",
                 re.IGNORECASE)
#: "averaging five a month", "an average of 4 per month".
_AVERAGE = re.compile(rf"\b(?:averaging|an average of|on average)\s+(?:{_N}|{WORD_NUMBER})\s+(?:\w+\s+)?"
                      rf"(?:a|per|each)\s+month\b", re.IGNORECASE)
#: A count in a sentence ("46 homicides", "52 in the year ending June 2019"): not a percentage,
#: money, a year or a part of a date.
_COUNT = re.compile(rf"{_N}(?![\d%]|[,.]\d|\s*(?:per\s?cent|percent)\b)(?!\s*(?:st|nd|rd|th)\b)")
#: A number that is a year or a length of time, not a figure ("2021", "12 months").
_YEAR_OR_SPAN = re.compile(r"(?:(?:19|20)\d\d\b(?!,\d)|\d+\s+(?:months?|years?|weeks?|days?)\b)")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9(\"“‘'-])")


def claim(para: Paragraph, offset: int, file: str, quoted: str, kind: str, verdict: Verdict, why: str) -> Claim:
    """A verdict placed where the document says it: page, section, paragraph and line."""
    return Claim(file, para.number, para.line_at(offset), " ".join(quoted.split()), kind, verdict, why,
                 page=para.page, section=para.section, span=(offset, offset + len(quoted)))


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """Each sentence of a paragraph's text with its offset."""
    at = 0
    for m in _SENTENCE_END.finditer(text):
        yield at, text[at:m.start()]
        at = m.end()
    if at < len(text):
        yield at, text[at:]


def check_paragraphs(paras: Sequence[Paragraph], file: str) -> list[Claim]:
    """Every claim the document can check of itself, in the order of the document."""
    claims: list[Claim] = []
    for para in paras:
        if para.table:
            continue
        claims += _changes(para, file) + _by_to(para, file) + _shares(para, file) + _averages(para, file)
    claims += _tables(paras, file)
    return claims


def _changes(para: Paragraph, file: str) -> list[Claim]:
    out = []
    for m in _COMPARED.finditer(para.text):
        now, before = Stated.of(m.group(1), m.group(2)), Stated.of(m.group(3), m.group(4))
        stated = Stated.of(m.group(5), m.group(6))
        word = m.group(7).lower()
        sign = _CHANGE_WORDS[word]
        if before.value == 0:
            out.append(claim(para, m.start(), file, m.group(0), "change", "inconsistent",
                             f"a percentage change from {before.text} has no meaning"))
            continue
        exact = (now.value - before.value) / before.value * 100
        direction_ok = (exact < 0 and sign < 0) or (exact > 0 and sign > 0)
        right = direction_ok and stated.holds_for(abs(exact))
        why = (f"{plain(now.value)} against {plain(before.value)} is "
               f"{with_article(f'{abs(exact):.{stated.places + 1}f}%')} {'fall' if exact < 0 else 'rise'}, "
               f"which rounds to {show(abs(exact), stated.places)}%")
        if not direction_ok:
            why += f": not a {word}"
        elif right:
            why += f", as stated ({stated.text}% {word})"
        else:
            why += f", not the {stated.text}% stated"
        out.append(claim(para, m.start(), file, m.group(0), "change", "consistent" if right else "inconsistent", why))
    return out


def _by_to(para: Paragraph, file: str) -> list[Claim]:
    """"157 incidents ...; this has reduced by 9 ... to 148": 157 − 9 must be 148."""
    out = []
    for m in _BY_TO.finditer(para.text):
        before, by, after = (Stated.of(m.group(i), m.group(i + 1)) for i in (1, 4, 6))
        if _YEAR_OR_SPAN.match(para.text, m.start()):
            continue  # "In 2021 ... reduced by 50 to 300": the year is not the figure before
        sign = -1 if m.group(3).lower() in ("reduced", "decreased", "fallen", "dropped") else 1
        expected = before.value + sign * by.value
        right = expected == after.value
        verb = "less" if sign < 0 else "plus"
        why = (f"{plain(before.value)} {verb} {plain(by.value)} is {plain(expected)}"
               + (", as stated" if right else f", not the {after.text} stated"))
        out.append(claim(para, m.start(), file, m.group(0), "change by", "consistent" if right else "inconsistent",
                         why))
    return out


def _shares(para: Paragraph, file: str) -> list[Claim]:
    out = []
    for m in _OF.finditer(para.text):
        part, whole = Stated.of(m.group(1), m.group(2)), Stated.of(m.group(3), m.group(4))
        stated = Stated.of(m.group(5), m.group(6))
        if whole.value == 0:
            continue
        exact = part.value / whole.value * 100
        right = stated.holds_for(exact)
        why = (f"{plain(part.value)} of {plain(whole.value)} is {exact:.{stated.places + 1}f}%, which rounds to "
               f"{show(exact, stated.places)}%" + (", as stated" if right else f", not the {stated.text}% stated"))
        out.append(claim(para, m.start(), file, m.group(0), "share", "consistent" if right else "inconsistent", why))
    return out


def _averages(para: Paragraph, file: str) -> list[Claim]:
    """"Averaging five a month" against the twelve-month counts the same paragraph gives: each
    divided by twelve must round to the average as written ("five" is 4.5 to 5.5)."""
    out = []
    for m in _AVERAGE.finditer(para.text):
        stated = Stated.of(m.group(1), m.group(2)) if m.group(1) else Stated.word(m.group(3))
        years = _yearly_counts(para.text, exclude=(m.start(), m.end()))
        if not years:
            continue
        monthly = [(text, period, count / 12) for text, period, count in years]
        right = [x for x in monthly if stated.holds_for(x[2])]
        listed = "; ".join(f"{text} for {period} is {show(per, 1)} a month" for text, period, per in monthly)
        low, high = stated.value - stated.half, stated.value + stated.half
        verdict: Verdict = "consistent" if right else "inconsistent"
        why = (f"“{stated.text}” a month is {show(low, stated.places + 1)} to {show(high, stated.places + 1)}; "
               f"the paragraph's twelve-month figures give {listed}"
               + ("" if right else f": none of them averages {stated.text} a month"))
        out.append(claim(para, m.start(), file, m.group(0), "average", verdict, why))
    return out


def _yearly_counts(text: str, *, exclude: tuple[int, int]) -> list[tuple[str, str, Decimal]]:
    """Counts stated for a named twelve-month period, each with the period nearest it in its
    clause ("46 homicides" after "January 2021 to December 2021"; "52 in the year ending June 2019")."""
    mentions = [p for p in periods_in(text) if p.period.n_months == 12]
    if not mentions:
        return []
    out = []
    for m in _COUNT.finditer(text):
        if exclude[0] <= m.start() < exclude[1] or any(p.start <= m.start() < p.end for p in mentions):
            continue
        if text[max(0, m.start() - 1):m.start()] == "£" or re.match(r"\s*(?:-|–|to)\s*\d", text[m.end():]):
            continue
        near = min(mentions, key=lambda p: min(abs(p.start - m.end()), abs(m.start() - p.end)))
        gap = text[min(near.end, m.end()):max(near.start, m.start())]
        if len(gap) > 40 or re.search(r"[.;]", gap):
            continue
        stated = Stated.of(m.group(1), m.group(2))
        out.append((stated.text, near.period.label, stated.value))
    return out


# --------------------------------------------------------------------------- tables as text

def _tables(paras: Sequence[Paragraph], file: str) -> list[Claim]:
    out: list[Claim] = []
    totals: dict[str, tuple[Paragraph, int]] = {}
    for para in paras:
        if not para.table:
            continue
        rows = [[cell(c) for c in line.split("\t")] for line in para.lines]
        texts = [[c.strip() for c in line.split("\t")] for line in para.lines]
        out += _rows_make_100(para, rows, texts, file) + _columns_make_100(para, rows, texts, file)
        out += _stated_totals(para, rows, texts, file)
        for i, row in enumerate(texts):
            label = row[0] if row else ""
            line = para.first_line + i
            if label.lower().startswith("total") or label.lower().endswith(" total"):
                key = " ".join(label.lower().split())
                if key in totals and totals[key][1] != line:
                    out.append(_row_claim(para, i, file, "total label", "inconsistent",
                                          f"This total is labelled {label!r}, as the total of the table at line "
                                          f"{totals[key][1]} is: is it this table's total?"))
                totals.setdefault(key, (para, line))
    return out


Row = list[tuple[Stated | None, bool]]


def _row_claim(para: Paragraph, i: int, file: str, kind: str, verdict: Verdict, why: str) -> Claim:
    return Claim(file, para.number, para.first_line + i, para.lines[i].strip(), kind, verdict, why,
                 page=para.page, section=para.section)


def _rows_make_100(para: Paragraph, rows: list[Row], texts: list[list[str]], file: str) -> list[Claim]:
    """A row of two or more percentages that comes near 100 (a split of a whole, such as outcome
    rate and no further action) must make 100 to within the rounding of its cells."""
    out = []
    for i, row in enumerate(rows):
        cells = [(s, t) for (s, pct), t in zip(row, texts[i], strict=True) if pct and s is not None]
        if len(cells) < 2 or _changes_not_shares("", [t for _, t in cells]):
            continue
        total = sum((s.value for s, _ in cells), Decimal(0))
        places = max(s.places for s, _ in cells)
        if not Decimal(85) <= total <= Decimal(115):
            continue  # not a split of one whole (a row of rates by month, say)
        slack = half(places) * len(cells)
        right = abs(total - 100) <= slack
        parts = " + ".join(t for _, t in cells)
        out.append(_row_claim(para, i, file, "row makes 100", "consistent" if right else "inconsistent",
                              f"{parts} = {total}%" + (", 100% to within rounding" if right else
                                                       f", not 100% (rounding explains at most {slack}%)")))
    return out


def _changes_not_shares(heading: str, cells: list[str]) -> bool:
    """Signed percentages ("+7.5%", "−12%") or a column headed as a change are changes, which add
    up to nothing in particular: only shares of a whole must make 100."""
    return bool(re.search(r"change|increase|reduction|rate", heading, re.I)) or any(
        t.lstrip()[:1] in "+−-" for t in cells if t.strip())


def _columns_make_100(para: Paragraph, rows: list[Row], texts: list[list[str]], file: str) -> list[Claim]:
    """A column of three or more percentages that comes near 100 (the shares of a whole: victims
    by ethnic group, say) must make 100 to within the rounding of its cells; a column with a
    total row is checked by that row."""
    out = []
    width = max((len(r) for r in rows), default=0)
    for j in range(1, width):
        cells = [(i, s) for i, r in enumerate(rows) if len(r) > j and r[j][1] and (s := r[j][0]) is not None]
        labels = [texts[i][0].lower() for i, _ in cells]
        heading = texts[0][j] if texts and len(texts[0]) > j else f"column {j + 1}"
        if len(cells) < 3 or any("total" in label for label in labels) or _changes_not_shares(
                heading, [texts[i][j] for i, _ in cells]):
            continue
        total = sum((s.value for _, s in cells), Decimal(0))
        if not Decimal(85) <= total <= Decimal(115):
            continue
        slack = half(max(s.places for _, s in cells)) * len(cells)
        right = abs(total - 100) <= slack
        last = cells[-1][0]
        out.append(_row_claim(para, last, file, "column makes 100", "consistent" if right else "inconsistent",
                              f"the column “{heading}” adds up to {total}%"
                              + (", 100% to within rounding" if right else
                                 f", not 100% (rounding explains at most {slack}%)")))
    return out


def _stated_totals(para: Paragraph, rows: list[Row], texts: list[list[str]], file: str) -> list[Claim]:
    """A row labelled as a total against the sum of the rows above it in its table."""
    out = []
    for i, row in enumerate(rows):
        label = texts[i][0].lower() if texts[i] else ""
        if i == 0 or not ("total" in label and "sub" not in label):
            continue
        for j in range(1, len(row)):
            stated, pct = row[j]
            above = [s.value for r in rows[1:i] if len(r) > j and (s := r[j][0]) is not None and not r[j][1]]
            if stated is None or pct or len(above) < 2:
                continue
            parts = _without_subtotals(above)
            added = sum(parts, Decimal(0))
            right = added == stated.value
            out.append(_row_claim(para, i, file, "total", "consistent" if right else "inconsistent",
                                  f"the {len(parts)} rows above add up to {plain(added)}"
                                  + (", as stated" if right else f", not the {stated.text} stated")))
    return out


def _without_subtotals(values: list[Decimal]) -> list[Decimal]:
    """The rows a total adds up: a row equal to the sum of the two or more rows since the last
    such row is a subtotal of them ("Sub-Total", "7 Local CSP's"), and is not counted again."""
    kept: list[Decimal] = []
    group: list[Decimal] = []
    for v in values:
        if len(group) >= 2 and v == sum(group, Decimal(0)):
            group = []
            continue
        kept.append(v)
        group.append(v)
    return kept
