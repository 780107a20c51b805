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

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from scorecard.catalogue.schema import Catalogue
from scorecard.documents import format as fmt
from scorecard.documents.model import Commentary, Voice
from scorecard.errors import InputError
from scorecard.figures import StatementFigures
from scorecard.periods import parse
from scorecard.report.commentary import check_folder, check_numbers, period_slug, read_text
from scorecard.results import Result
from scorecard.windows import StatementPeriod

__all__ = ["FIELDS", "VOICE_FILES", "check_folder", "check_numbers", "find_file", "read_for", "resolve"]

#: Voice by file name ending.
VOICE_FILES: dict[Voice, str] = {"pcc": ".md", "force": ".force.md"}
VOICE_HEADINGS: dict[Voice, str] = {"pcc": "Police and Crime Commissioner's statement",
                                    "force": "Force statement", "analyst": "Commentary"}

REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z_]+)\}")

FIELDS = {
    "value": "the figure for its window",
    "baseline": "the national baseline figure",
    "year_before": "the figure a year earlier",
    "previous_quarter": "the figure a quarter earlier",
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
        "baseline": lambda: _or_none(fmt.figure(figures["baseline"].value, m.unit)),
        "year_before": lambda: _or_none(fmt.figure(figures["same_period_last_year"].value, m.unit)),
        "previous_quarter": lambda: _or_none(fmt.figure(figures["previous"].value, m.unit)),
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


def read_for(directory: Path | None, force_id: str, sp: StatementPeriod, catalogue: Catalogue,
             figures: StatementFigures) -> tuple[dict[tuple[str, Voice], Commentary], tuple[str, ...]]:
    """Every commentary file for a force and period, references filled in, and the flags: typed
    numbers that match no figure (``check_numbers``)."""
    results = {mid: mf.result for mid, mf in figures.by_measure.items() if mf.result is not None}
    blocks: dict[tuple[str, Voice], Commentary] = {}
    flags: list[str] = []
    for p in catalogue.priorities:
        for voice in VOICE_FILES:
            path = find_file(directory, force_id, sp, p.id, voice)
            if path is None:
                continue
            text = read_text(path)
            flags.extend(check_numbers(text, results, file=str(path)))
            resolved, used = resolve(text, results, file=str(path))
            shown = str(path.relative_to(directory)) if directory is not None else path.name
            blocks[(p.id, voice)] = Commentary(voice, VOICE_HEADINGS[voice], resolved, shown, used, written=text)
    return blocks, tuple(flags)
