"""Commentary: what people write about a priority, in their own voice, beside the figures.

A statement carries the PCC's statement on each priority; a board paper carries two voices on
the same figures, the force's and the PCC's.  Each is a Markdown file in the commentary
folder:

    DIR/<force>/<period>/<priority>.md         the PCC's statement (voice "pcc")
    DIR/<force>/<period>/<priority>.force.md   the force's statement (voice "force")

(or directly in ``DIR/<force>/`` for text that holds whatever the period).  The folder is read
strictly (``check_folder``): a file or folder that matches no force, period, priority or
voice is an error naming it, so a misnamed file can never be published without its
commentary while the check says all is well.

Figures are cited by reference, ``{burglary.change_pct_abs}``, filled in from the same
figures the tables show and formatted by ``scorecard.documents.format``, so commentary cannot
disagree with the table beside it.  Numbers typed by hand are checked against the figures
(``check_numbers``); any that match none are the document's flags, and keep it a draft.
"""

from __future__ import annotations

import os
import re
import stat
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard import config_files
from scorecard.areas import find_force, forces
from scorecard.catalogue.schema import ROLE_PREFERENCE, Catalogue
from scorecard.documents import format as fmt
from scorecard.documents.model import Commentary, Voice
from scorecard.errors import ConfigError, InputError
from scorecard.numbers import round_half_away
from scorecard.periods import Period, PeriodError, parse
from scorecard.units import UNITS
from scorecard.windows import StatementPeriod

if TYPE_CHECKING:
    from scorecard.figures import StatementFigures
    from scorecard.results import Result, Role

__all__ = ["FIELDS", "VOICE_FILES", "check_all", "check_folder", "check_numbers", "find_file", "read_for", "resolve"]

#: Voice by file name ending.
VOICE_FILES: dict[Voice, str] = {"pcc": ".md", "force": ".force.md"}
VOICE_HEADINGS: dict[Voice, str] = {"pcc": "Police and Crime Commissioner's statement",
                                    "force": "Force statement", "analyst": "Commentary"}

REFERENCE = re.compile(r"\{((?:[a-z]+\.)?[a-z][a-z0-9_]*)\.([a-z_]+)\}")

FIELDS = {
    "value": "the figure for its window",
    "baseline": "the national baseline figure",
    "year_before": "the figure a year earlier",
    "previous": "the figure for the previous period (in a statement, the quarter before)",
    "change": "% change on the baseline (or points, for a percentage), signed",
    "change_pct": "% change on the baseline, signed",
    "change_pct_abs": "size of the % change on the baseline",
    "change_year_before": "% change on the year before, signed",
    "period": "the figure's window, e.g. YE Mar 2024",
    "baseline_period": "the baseline's label",
}


def _period_folder(sp: StatementPeriod) -> str:
    try:
        return period_slug(parse(sp.asked_as)) if sp.asked_as else ""
    except ValueError:
        return ""


def find_file(directory: Path | None, force_id: str, sp: StatementPeriod, priority_id: str,
              voice: Voice) -> Path | None:
    """The commentary file for a force, period, priority and voice, if there is one."""
    if directory is None or voice not in VOICE_FILES:
        return None
    name = f"{priority_id}{VOICE_FILES[voice]}"
    folder = _period_folder(sp)
    for candidate in ((directory / force_id / folder / name) if folder else None, directory / force_id / name):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _value(result: Result, field: str) -> str | None:
    """The text a reference stands for: the same text the document's table shows."""
    m = result.measure
    figures = result.figures
    current = figures["current"].value
    texts: dict[str, Callable[[], str | None]] = {
        "value": lambda: fmt.figure(current, m.unit).text if current is not None else None,
        "baseline": lambda: _or_none(fmt.compared(figures["baseline"].value, m.unit,
                                                  figures["baseline"].scaled_to_months)),
        "year_before": lambda: _or_none(fmt.figure(figures["same_period_last_year"].value, m.unit)),
        "previous": lambda: _or_none(fmt.figure(figures["previous"].value, m.unit)),
        "change": lambda: _or_none(fmt.change(current, figures["baseline"].value, m.unit)),
        "change_pct": lambda: _or_none(fmt.change(current, figures["baseline"].value, m.unit)),
        "change_pct_abs": lambda: _abs(fmt.change(current, figures["baseline"].value, m.unit)),
        "change_year_before": lambda: _or_none(fmt.change(current, figures["same_period_last_year"].value, m.unit)),
        "period": lambda: figures["current"].period.label,
        "baseline_period": lambda: figures["baseline"].period.label,
    }
    return texts[field]() if field in texts else None


def _or_none(cell: fmt.Cell) -> str | None:
    return None if cell.value is None and cell.text == fmt.MISSING else cell.text


def _abs(cell: fmt.Cell) -> str | None:
    text = _or_none(cell)
    return None if text is None else text.lstrip("+" + fmt.MINUS)


def resolve(text: str, results: dict[str, Result], *, file: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Fill in ``{measure.field}`` references; an unknown or empty one is an error with its line."""
    used: list[tuple[str, str]] = []

    def sub(line: int, match: re.Match[str]) -> str:
        measure_id, field = match.group(1), match.group(2)
        if measure_id not in results:
            raise InputError(file, f"reference {match.group(0)}: no figure of a measure {measure_id!r} is held "
                                   "for this document", line)
        if field not in FIELDS:
            raise InputError(file, f"reference {match.group(0)}: unknown field {field!r} (use one of "
                                   f"{', '.join(FIELDS)})", line)
        value = _value(results[measure_id], field)
        if value is None:
            raise InputError(file, f"reference {match.group(0)}: no figure for this period", line)
        used.append((match.group(0), value))
        return value

    lines = [REFERENCE.sub(partial(sub, n), line) for n, line in enumerate(text.splitlines(), start=1)]
    return "\n".join(lines), tuple(used)


def _files_for(directory: Path | None, force_id: str, sp: StatementPeriod,
               catalogue: Catalogue) -> Iterator[tuple[str, Voice, Path]]:
    """(priority id, voice, file) of every commentary file for a force and period."""
    for p in catalogue.priorities:
        for voice in VOICE_FILES:
            path = find_file(directory, force_id, sp, p.id, voice)
            if path is not None:
                yield p.id, voice, path


def _results(figures: StatementFigures) -> dict[str, Result]:
    return {mid: mf.result for mid, mf in figures.by_measure.items() if mf.result is not None}


def check_all(directory: Path, force_id: str, sp: StatementPeriod, catalogue: Catalogue,
              figures: StatementFigures) -> tuple[list[Path], list[str]]:
    """``scorecard check``: the commentary files for a force and period, and every problem in
    them — a reference that cannot be filled in, a typed number that matches no figure."""
    results = _results(figures)
    files: list[Path] = []
    problems: list[str] = []
    for _, _, path in _files_for(directory, force_id, sp, catalogue):
        files.append(path)
        text = read_text(path)
        try:
            resolve(text, results, file=str(path))
        except InputError as exc:
            problems.append(str(exc))
        problems.extend(check_numbers(text, results, file=str(path)))
    return files, problems


def read_for(directory: Path | None, force_id: str, sp: StatementPeriod, catalogue: Catalogue,
             figures: StatementFigures) -> tuple[dict[tuple[str, Voice], Commentary], tuple[str, ...]]:
    """Every commentary file for a force and period, references filled in, and the flags: typed
    numbers that match no figure (``check_numbers``)."""
    written = []
    for priority_id, voice, path in _files_for(directory, force_id, sp, catalogue):
        shown = str(path.relative_to(directory)) if directory is not None else path.name
        written.append(Written(priority_id, voice, read_text(path), str(path), shown))
    return from_written(written, figures)


@dataclass(frozen=True)
class Written:
    """One commentary text as its writer left it: in a file, or in the workbench's database."""

    priority_id: str
    voice: Voice
    text: str
    where: str  # for errors: the file, or "the workbench"
    shown: str  # what the document says it came from


def from_written(written: Iterable[Written], figures: StatementFigures
                 ) -> tuple[dict[tuple[str, Voice], Commentary], tuple[str, ...]]:
    """Commentary blocks with their references filled in, and the flags of typed numbers that
    match no figure: the one path for commentary files and the workbench's drafts alike."""
    results = _results(figures)
    blocks: dict[tuple[str, Voice], Commentary] = {}
    flags: list[str] = []
    for w in written:
        flags.extend(check_numbers(w.text, results, file=w.where))
        resolved, used = resolve(w.text, results, file=w.where)
        blocks[(w.priority_id, w.voice)] = Commentary(w.voice, VOICE_HEADINGS[w.voice], resolved, w.shown, used,
                                                      written=w.text)
    return blocks, tuple(flags)


MAX_BYTES = 256 * 1024

#: Most entries looked at in one commentary folder (43 forces x many periods x 6 priorities
#: is a few thousand); a folder holding more is not a commentary folder.
MAX_ENTRIES = 20_000


def period_slug(period: Period) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", period.label).strip("-")


def period_from_slug(slug: str) -> Period | None:
    """The period whose folder name is ``slug`` ("2024-25-Q1" → 2024-25 Q1), or None.

    A slug has lost its spaces, so each hyphen is tried as a hyphen and as a space; only a
    period whose own slug is ``slug`` again counts, so "2024-25-q1" is not 2024-25 Q1 (its
    folder would never be found).
    """
    return next((p for p in _readings(slug) if period_slug(p) == slug), None)


def _readings(name: str) -> Iterator[Period]:
    """Every period ``name`` reads as when each hyphen is taken as a hyphen or a space."""
    parts = name.split("-")
    if not name or len(parts) > 8:
        return
    for separators in product("- ", repeat=len(parts) - 1):
        label = parts[0] + "".join(sep + part for sep, part in zip(separators, parts[1:], strict=True))
        try:
            yield parse(label)
        except PeriodError:
            continue


def _near_period(name: str) -> str:
    """" (did you mean '2024-25-Q1'?)" when ``name`` is another spelling of a period's folder."""
    hyphenated = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")
    found = next(_readings(hyphenated), None)
    return f" (did you mean '{period_slug(found)}'?)" if found is not None else ""


def check_folder(directory: Path, priority_ids: Collection[str]) -> None:
    """Refuse a commentary folder holding anything that matches no force, period or priority.

    Only names and ``stat`` results are looked at; no file is opened.  The first problem, in
    name order, is a ``ConfigError`` naming the file or folder and what it should be.
    """
    if _kind_of(directory, "the commentary folder") != "folder":
        raise ConfigError(directory, "not a folder: --commentary and commentary_dir name a folder of "
                                     "<force>/<period>/<priority>.md files")
    seen = 0
    for force_entry, kind in _entries(directory):
        seen += 1
        if kind != "folder":
            raise ConfigError(force_entry, "not a folder: the commentary folder holds one folder per force "
                                           "(<force>/<priority>.md or <force>/<period>/<priority>.md)")
        _check_force_name(force_entry)
        for entry, entry_kind in _entries(force_entry):
            seen += 1
            if entry_kind == "folder":
                _check_period_name(entry)
                for leaf, leaf_kind in _entries(entry):
                    seen += 1
                    if leaf_kind == "folder":
                        raise ConfigError(leaf, "a folder inside a period folder: commentary is "
                                                "<force>/<period>/<priority>.md")
                    _check_priority_file(leaf, leaf_kind, priority_ids)
            else:
                _check_priority_file(entry, entry_kind, priority_ids)
            if seen > MAX_ENTRIES:
                raise ConfigError(directory, f"holds more than {MAX_ENTRIES:,} files and folders: "
                                             "is this the commentary folder?")


def _kind_of(path: Path, what: str) -> str:
    """"folder", "file" (regular) or "other", following links; a broken link is an error."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(path, f"no such file or folder ({what})") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot look at {what}: {exc.strerror or exc}") from None
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _entries(folder: Path) -> list[tuple[Path, str]]:
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if not e.name.startswith("."))
    except OSError as exc:
        raise ConfigError(folder, f"cannot list the commentary folder: {exc.strerror or exc}") from None
    if len(names) > MAX_ENTRIES:
        raise ConfigError(folder, f"holds more than {MAX_ENTRIES:,} files and folders: is this the commentary folder?")
    return [(folder / n, _kind_of(folder / n, "a commentary file")) for n in names]


def _check_force_name(folder: Path) -> None:
    name = folder.name
    if name in forces():
        return
    found = find_force(name)
    hint = f" (did you mean '{found}'?)" if found else config_files.suggest(name, forces())
    raise ConfigError(folder, f"not a force id{hint}: commentary folders are named by force id, e.g. west-mercia")


def _check_period_name(folder: Path) -> None:
    if period_from_slug(folder.name) is None:
        raise ConfigError(folder, f"not a period{_near_period(folder.name)}: period folders are named like "
                                  "2024-25-Q1, 2024-25, YE-Jun-2019 or Jan-2024")


def _check_priority_file(path: Path, kind: str, priority_ids: Collection[str]) -> None:
    """``<priority>.md`` (the PCC's voice) or ``<priority>.force.md`` (the force's)."""
    if path.suffix != ".md":
        raise ConfigError(path, f"not a commentary file: commentary files are <priority>.md (the PCC's statement) "
                                f"or <priority>.force.md (the force's), for one of "
                                f"{config_files.listed(sorted(priority_ids))}")
    stem = path.name.removesuffix(".md")
    priority, _, voice = stem.partition(".")
    if voice and f".{voice}.md" not in VOICE_FILES.values():
        raise ConfigError(path, f"no voice {voice!r}: a commentary file is <priority>.md (the PCC's statement) or "
                                "<priority>.force.md (the force's)")
    if priority not in priority_ids:
        raise ConfigError(path, f"no priority {priority!r}{config_files.suggest(priority, priority_ids)}: "
                                f"commentary files are named by priority id, one of "
                                f"{config_files.listed(sorted(priority_ids))}")
    if kind != "file":
        raise ConfigError(path, "not a regular file (a pipe, device or socket): commentary is a Markdown file")


def read_text(path: Path) -> str:
    """A commentary file's text: a regular file of at most ``MAX_BYTES``, UTF-8, no control characters."""
    return config_files.read_text(path, what="commentary", limit=MAX_BYTES)


def check_numbers(text: str, results: dict[str, Result], *, file: str) -> list[str]:
    """Numbers typed into commentary that match no figure of the measure they are about.

    One message per flagged number, naming the file, line, the words quoted, the measure and
    the figures it could have been (or that the data holds none of it for the period).
    Numbers inside ``{measure.field}`` references are never looked at (they are the data).

    **Which measure a number is about.**  Each measure is named in text by its noun (singular
    and plural), its aliases and its title without the bracketed qualifier ("Robbery (all)" is
    "robbery"), whole words only, any case, across line breaks.  Where names overlap the
    longest wins ("robberies of personal property", not "robberies"; "non-residential
    burglary" is "burglary", never "residential burglary").  A name several measures share
    ("possession of weapons offences": the Home Office proxy and the police.uk context
    measure) means one of them, never both: the one with a value for the period, then the
    higher role (national, proxy, local, context), then catalogue order.  A number is about the
    nearest name in its clause (clauses end at commas, semicolons, colons, brackets, dashes,
    table cells and "and", "but", "while", "whilst", "whereas", "although": "burglary fell
    30%, robbery 12%"), else the nearest in its sentence ("robberies, a 12% reduction"); the
    distance is the text between them, whitespace aside, and the name after the number wins
    a tie, so "1,700 robberies" is about robberies whatever comes before it.  Sentences end
    at ".", "!" or "?" before a space or the end, at a blank line and where a list item
    starts; a heading or a table row is a sentence of its own (Markdown's blocks, see
    ``_layout``).  A sentence naming no measure is not checked.

    **Years and counts.**  A number written with a thousands comma, a decimal point or a %
    is never a year.  A four-digit number from 1900 to 2100 otherwise is a year when it is
    part of a date or period — joined by "-", "/" or "–" to two or four digits (2021/22,
    2021-22, 2019–2021), after a month (March 2024, year ending June 2019, 22 February 2022)
    or beside a quarter (Q1 2022, 2024 Q1) — or when a time word comes before it (in, since,
    during, until, till, before, after, between, ending, throughout, year, FY, YE, early,
    late, mid-, pre-, post-), or "with", "than", "vs", "versus", "on", "of", "from" or "for"
    does and no measure's name follows it ("compared with 2019", but "a total of 2000
    robberies"), or it follows "and", "to", "or" or a dash after a year (between 2019 and
    2021), or "baseline", "onwards" or "levels" follows it (the 2019 baseline).  Any other
    number is a count and is checked: "there were 2021 burglaries", "rose to 2050".

    Also not figures: the other numbers of a date or period (the "22" of 2021-22, a day of
    the month), a list item's number, a number inside a measure's name ("999 calls answered
    within 10 seconds"), a rate's base ("per 1,000"), an age ("aged 25", "the age of 25"), a
    bound (after under, over, below, above, more, fewer or less than, at least, at most, up
    to: "many are under 25", "more than 2,000 robberies"), a length of time ("the last 12
    months", "a 12-month"), a part of a figure ("11 of the 36 discharges") and digits glued
    to letters ("Q1", "22nd", "under-25s").

    **Which figures are allowed.**  The measure's value, baseline, previous period and same
    period last year; its change on each of those three (the size, so "fell by" and "rose
    by" are both read); its % change on each (a count or any unit but a percentage) or, for a
    percentage, the change in points; and a count's rate per its population base
    (``Measure.rate_base``).  A number with a % (or "per cent") is compared with the % figures —
    % changes, or a percentage's values and point changes; a number without one with the
    values, changes and rate.  The typed number is compared with each figure rounded half
    away from zero to the decimal places it is typed with, so "16%" is 15.99% and "2,233.8"
    or "2,234" is a baseline of 2,233.75 (whole and one decimal are what the report
    publishes; a rate has two); a number typed with more than two decimal places matches
    nothing.
    """
    blocks, list_numbers = _layout(text)
    view = _view(text, list_numbers)
    names = _name_spans(view, _measures_by_name(results))
    dates = _mask(len(view), (m.span() for m in _DATES.finditer(view)))
    line_starts = _line_starts(text)
    problems: list[str] = []
    year_ends: set[int] = set()
    name_starts = [n.start for n in names.spans]
    figures: dict[str, list[_Figure]] = {}
    allowed: dict[tuple[str, bool, int], set[Decimal]] = {}
    for start, end in _sentences(view, blocks):
        found = names.spans[bisect_left(name_starts, start):bisect_left(name_starts, end)]
        if not found:
            continue
        sentence = _Sentence(start, end, found, [n.start for n in found],
                             [(c.start(), c.end()) for c in _CLAUSE_END.finditer(view, start, end)])
        for m in _NUMBER.finditer(view, start, end):
            if names.covers(m.start()) or not _is_figure(m, view, dates, names, year_ends):
                continue
            about = sentence.about(m, view)
            typed = _Typed.of(m)
            measure_id = about.result.measure.id
            if measure_id not in figures:
                figures[measure_id] = _figures(about.result)
            candidates = [f for f in figures[measure_id] if (f.percent if typed.percent else f.plain)]
            key = (measure_id, typed.percent, typed.places)
            if key not in allowed:
                allowed[key] = _rounded(candidates, typed.places)
            if typed.value in allowed[key]:
                continue
            listed = "; ".join(f.listed for f in candidates) or "no figure of it is held"
            problems.append(f"{file}, line {bisect_right(line_starts, m.start())}: '{_quote(text, m, about)}' "
                            f"matches no figure of {measure_id} for "
                            f"{about.result.current.period.label} ({listed})")
    return problems


#: The order in which a name shared by several measures picks one: the report's headline first.
_ROLE_ORDER = ROLE_PREFERENCE

_YEAR = r"(?:19\d\d|20\d\d|2100)"
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_MONTH = rf"(?:{_MONTHS}|may)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"

#: Dates and periods: every number inside one is part of the date.
_DATES = re.compile("|".join((
    rf"(?<![\w.,]){_YEAR}(?:\s*[-/–]\s*(?:\d{{4}}|\d{{2}})(?!\w|[.,]\d))+",  # 2021/22, 2019–2021, 2022-03-31
    rf"\b{_DAY}\s+{_MONTH}\b\.?,?\s+{_YEAR}\b",  # 22 February 2022
    rf"\b{_DAY}\s+(?:{_MONTHS})\b",  # 22 February ("22 may" is more often a verb than a date)
    rf"\b{_MONTH}\b\.?\s+(?:{_DAY},?\s+)?{_YEAR}\b",  # March 2024, February 22, 2022
    rf"\bq[1-4]\s*{_YEAR}\b|\b{_YEAR}\s*q[1-4]\b",  # Q1 2022, 2024 Q1
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",  # 31/03/2022
)), re.IGNORECASE)

_NUMBER = re.compile(r"(?<![\w.])(?<!\d,)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?(?!\w|[.,]\d)"
                     r"(?P<percent>\s*%|\s+per\s?cent\b|\s+percent\b)?", re.IGNORECASE)

_TIME_WORD = re.compile(r"(?:\b(?:in|since|during|until|till|before|after|between|ending|throughout|year|fy|ye"
                        r"|early|late)\s+|\b(?:mid|pre|post)-\s*)$", re.IGNORECASE)
_WEAK_TIME_WORD = re.compile(r"\b(?:with|than|vs\.?|versus|on|of|from|for)\s+$", re.IGNORECASE)
_AFTER_A_YEAR = re.compile(r"(?<![\w.,])\d{4}\s*(?:\band|\bto|\bor|[-–])\s*$", re.IGNORECASE)
_YEAR_SUFFIX = re.compile(r"\s+(?:baseline|onwards|levels?)\b", re.IGNORECASE)
_TIME_LENGTH = re.compile(r"(?:\s+|\s*-\s*)(?:months?|quarters?|years?|weeks?)\b", re.IGNORECASE)
_PART_OF = re.compile(r"\s+of\s+(?:the|these|those|which|them|all)\b", re.IGNORECASE)
_NOT_A_FIGURE_AFTER = re.compile(r"\b(?:per|aged?(?:\s+of)?|ages|under|over|below|above|(?:more|fewer|less)\s+than"
                                 r"|at\s+(?:least|most)|up\s+to)\s+$", re.IGNORECASE)
_SPACES = re.compile(r"\s*")

#: Blanked before reading (offsets kept): references, link targets and addresses, and
#: Markdown emphasis marks (so "**1,700** robberies" reads as written).
_NOT_TEXT = re.compile(r"\{[a-z][a-z0-9_]*\.[a-z_]+\}|\]\([^)\s]*\)|\bhttps?://\S+|[*_`]")

#: A line's bullet ("- ", "* ", "+ ") and list number ("22." or "22)"), either or both.
_LIST_ITEM = re.compile(r"[ \t]*(?:([-*+])[ \t]+)?(?:(\d{1,9})[.)](?=\s|$))?")
#: A line that is a block of its own: a heading or a table row.
_BLOCK_ALONE = re.compile(r"[ \t]*[#|]")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_CLAUSE_END = re.compile(r",(?!\d)|[;:()\[\]|–—]|\s-\s|\s(?:and|but|while|whilst|whereas|although)\s", re.IGNORECASE)

_LEVELS: tuple[tuple[Role, str], ...] = (
    ("current", "value"), ("baseline", "baseline"), ("previous", "previous period"),
    ("same_period_last_year", "same period last year"))
_AGAINST: tuple[tuple[Role, str], ...] = (
    ("baseline", "on baseline"), ("previous", "on previous period"),
    ("same_period_last_year", "on same period last year"))
_MOST_PLACES = 2


def _view(text: str, blank: list[tuple[int, int]]) -> str:
    """``text`` with what is not prose, and the spans ``blank``, turned to spaces; every
    offset (and line) kept."""
    chars = list(_NOT_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text))
    for start, end in blank:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _layout(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The blocks of ``text`` and the spans of its list-item numbers, read as Markdown reads
    them: a block ends at a blank line; a bullet item, a heading and a table row start one
    (a heading or table row is a block of its own); a line's "22." is a list number after a
    bullet, at the start, after a blank line or another item, or when it is "1." — anywhere
    else a paragraph goes on, so "to\n148. In the last quarter" is the figure 148."""
    blocks: list[tuple[int, int]] = []
    numbers: list[tuple[int, int]] = []
    at, previous = 0, "blank"
    for line in text.splitlines(keepends=True):
        kind = "blank"
        if line.strip():
            item = _LIST_ITEM.match(line)
            bullet, number = (item.group(1), item.group(2)) if item else (None, None)
            ordered = number is not None and bool(bullet or previous in ("blank", "item") or int(number) == 1)
            if item and ordered:
                numbers.append((at + item.start(2), at + item.end(2) + 1))
            kind = "item" if bullet or ordered else "alone" if _BLOCK_ALONE.match(line) else "text"
            if kind != "text" or previous in ("blank", "alone"):
                blocks.append((at, at + len(line)))
            else:
                blocks[-1] = (blocks[-1][0], at + len(line))
        previous = kind
        at += len(line)
    return blocks, numbers


def _mask(length: int, spans: Iterator[tuple[int, int]]) -> bytearray:
    mask = bytearray(length)
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


def _line_starts(text: str) -> list[int]:
    """Offsets at which each line starts, counted as ``str.splitlines`` (and ``resolve``) count them."""
    starts, at = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(at)
        at += len(line)
    return starts or [0]


def _sentences(view: str, blocks: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of each block: a sentence ends at ".", "!" or "?"
    before a space or the end."""
    for start, end in blocks:
        for stop in _SENTENCE_END.finditer(view, start, end):
            yield start, stop.end()
            start = stop.end()
        if start < end:
            yield start, end


def _preference(result: Result) -> tuple[bool, int]:
    role = result.measure.role
    return result.current.value is None, _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)


def _measures_by_name(results: dict[str, Result]) -> dict[str, Result]:
    """The one measure each name means (see ``check_numbers``); ``min`` keeps catalogue order on ties."""
    sharing: dict[str, list[Result]] = {}
    for result in results.values():
        for name in result.measure.names:
            sharing.setdefault(name, []).append(result)
    return {name: min(rs, key=_preference) for name, rs in sharing.items()}


@dataclass(frozen=True)
class _Name:
    start: int
    end: int
    result: Result


@dataclass(frozen=True)
class _Names:
    spans: list[_Name]  # in text order, none overlapping
    starts: dict[int, _Name]
    mask: bytearray

    def covers(self, at: int) -> bool:
        return bool(self.mask[at])


def _name_spans(view: str, by_name: dict[str, Result]) -> _Names:
    """Where measures are named: every whole-word match, the longest kept where two overlap."""
    found: list[_Name] = []
    for name, result in by_name.items():
        pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, name.split())) + r"(?![\w-])"
        found += [_Name(m.start(), m.end(), result) for m in re.finditer(pattern, view, re.IGNORECASE)]
    mask = bytearray(len(view))
    kept = []
    for n in sorted(found, key=lambda n: (n.start - n.end, n.start)):
        if not any(mask[n.start:n.end]):
            mask[n.start:n.end] = b"\x01" * (n.end - n.start)
            kept.append(n)
    kept.sort(key=lambda n: n.start)
    return _Names(kept, {n.start: n for n in kept}, mask)


def _is_figure(m: re.Match[str], view: str, dates: bytearray, names: _Names, year_ends: set[int]) -> bool:
    """Whether the number ``m`` is a figure (see ``check_numbers``); years are remembered in ``year_ends``."""
    start, end = m.start(), m.end()
    if dates[start]:
        year_ends.add(m.end("whole"))
        return False
    before = view[max(0, start - 24):start]
    if _NOT_A_FIGURE_AFTER.search(before) or _PART_OF.match(view, end):
        return False
    if m.group("percent"):
        return True
    if _TIME_LENGTH.match(view, end):
        return False
    whole = m.group("whole")
    if m.group("fraction") is not None or not (len(whole) == 4 and 1900 <= int(whole) <= 2100):
        return True
    chained = _AFTER_A_YEAR.search(before)
    is_year = bool(
        _TIME_WORD.search(before)
        or (_WEAK_TIME_WORD.search(before) and _next_word(view, end) not in names.starts)
        or (chained and start - (len(before) - chained.start()) + 4 in year_ends)
        or _YEAR_SUFFIX.match(view, end))
    if is_year:
        year_ends.add(end)
    return not is_year


def _next_word(view: str, at: int) -> int:
    """Where the next word after offset ``at`` starts."""
    spaces = _SPACES.match(view, at)
    return spaces.end() if spaces else at


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    names: list[_Name]  # the names in it, in text order (at least one)
    name_starts: list[int]
    cuts: list[tuple[int, int]]  # where its clauses end, in text order

    def about(self, m: re.Match[str], view: str) -> _Name:
        """The name a number is about: the nearest in its clause, else in the sentence; the
        distance is the text between them, whitespace aside, and the name after wins a tie.
        Names never overlap a number checked, so only the name either side can be nearest."""
        start, end = m.start(), m.end()
        i = bisect_left(self.name_starts, end)
        sides = [(_apart(view, end, n.start), 0, n) for n in self.names[i:i + 1]] + \
                [(_apart(view, n.end, start), 1, n) for n in self.names[max(0, i - 1):i]]
        j = bisect_left(self.cuts, (end, end))
        clause_end = self.cuts[j][0] if j < len(self.cuts) else self.end
        clause_start = self.cuts[j - 1][1] if j > 0 else self.start
        in_clause = [side for side in sides if clause_start <= side[2].start and side[2].end <= clause_end]
        return min(in_clause or sides, key=lambda side: side[:2])[2]


#: Beyond this many characters apart, whitespace is counted as it stands (a sentence can be
#: a whole file; collapsing the runs between every number and a far name would be quadratic).
_FAR = 200


def _apart(view: str, start: int, end: int) -> int:
    """How far apart two spans are: the characters between them, each run of whitespace as one."""
    return end - start if end - start > _FAR else len(" ".join(view[start:end].split()))


@dataclass(frozen=True)
class _Typed:
    value: Decimal
    places: int
    percent: bool

    @classmethod
    def of(cls, m: re.Match[str]) -> _Typed:
        fraction = m.group("fraction") or ""
        digits = m.group("whole").replace(",", "") + (f".{fraction}" if fraction else "")
        return cls(Decimal(digits), len(fraction), bool(m.group("percent")))


def _rounded(figures: list[_Figure], places: int) -> set[Decimal]:
    """The sizes of ``figures`` rounded half away from zero to ``places``, as a number typed
    with that many decimal places must read; none beyond ``_MOST_PLACES``."""
    if places > _MOST_PLACES:
        return set()
    return {Decimal(repr(round_half_away(abs(f.value), places))) for f in figures}


@dataclass(frozen=True)
class _Figure:
    value: float
    listed: str  # as the message lists it: "baseline 8,935"
    percent: bool  # written with a % sign
    plain: bool  # written as a plain number


def _figures(result: Result) -> list[_Figure]:
    """Every figure of ``result`` commentary may quote, with how each is written."""
    unit = result.measure.unit_info
    in_percent = unit.kind == "percentage"

    def shown(v: float, signed: bool = False) -> str:
        return fmt.signed_number(v, unit) if signed else fmt.number_text(v, unit)

    out: list[_Figure] = []
    for role, label in _LEVELS:
        v = result.figures[role].value
        if v is not None:
            out.append(_Figure(v, f"{label} {shown(v)}", percent=in_percent, plain=True))
    for role, label in _AGAINST:
        change = result.change(role)
        if change is not None:
            text = f"{fmt.signed_number(change, unit).removesuffix('%')} points" if unit.change_in_points \
                else shown(change, signed=True)
            out.append(_Figure(change, f"change {label} {text}", percent=unit.change_in_points, plain=True))
    for role, label in _AGAINST:
        pct = result.change_pct(role)
        if pct is not None:
            out.append(_Figure(pct, f"% change {label} {fmt.signed_percent(pct)}", percent=True, plain=False))
    rate, base = result.population_rate, result.measure.rate_base
    if rate is not None and base is not None:
        out.append(_Figure(rate, f"rate {fmt.number_text(rate, UNITS[f'rate_per_{base}'])}",
                           percent=False, plain=True))
    return out


def _quote(text: str, m: re.Match[str], about: _Name) -> str:
    """The words flagged: from the number to the name it is about (or the two, when far apart)."""
    start, end = min(m.start(), about.start), max(m.end(), about.end)
    quoted = " ".join(text[start:end].split()) if end - start <= _FAR else ""
    if quoted and len(quoted) <= 60:
        return quoted
    number, name = " ".join(m.group(0).split()), " ".join(text[about.start:about.end].split())
    return f"{number} … {name}" if m.start() < about.start else f"{name} … {number}"
