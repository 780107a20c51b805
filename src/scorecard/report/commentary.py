"""Analysts' commentary: Markdown files beside the data, citing figures by reference.

A commentary written as "burglary fell by {burglary.change_pct_abs}%" can never disagree
with the table beside it: the reference is filled from the same results.  Files live at
``DIR/<force>/<period>/<priority>.md`` (period as in "2024-25-Q1"), falling back to
``DIR/<force>/<priority>.md``.  The text is untrusted and is escaped or sanitised by each
renderer; here it is only read and its references resolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard.errors import InputError
from scorecard.numbers import format_number, round_half_away
from scorecard.periods import Period
from scorecard.report.model import Commentary

if TYPE_CHECKING:
    from scorecard.results import Result

REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z_]+)\}")

FIELDS = {
    "value": "the value for the period",
    "baseline": "the baseline value",
    "change": "change on the baseline (signed)",
    "change_abs": "size of the change on the baseline",
    "change_pct": "% change on the baseline (signed, 1 decimal place)",
    "change_pct_abs": "size of the % change on the baseline (1 decimal place)",
    "change_pct_whole": "size of the % change on the baseline (whole per cent)",
    "previous": "value for the previous period",
    "last_year": "value for the same period last year",
    "period": "the period label",
    "baseline_period": "the baseline period label",
}


def period_slug(period: Period) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", period.label).strip("-")


def find_file(directory: Path | None, force_id: str, period: Period, priority_id: str) -> Path | None:
    if directory is None:
        return None
    for candidate in (directory / force_id / period_slug(period) / f"{priority_id}.md",
                      directory / force_id / f"{priority_id}.md"):
        if candidate.is_file():
            return candidate
    return None


def _value(result: Result, field: str) -> str | None:
    pct = result.measure.unit == "percentage"

    def num(v: float | None, places: int = 0) -> str | None:
        if v is None:
            return None
        return format_number(v, 1 if pct else places if v != int(v) or places else 0)

    change_pct = result.change_pct()
    change = result.change()
    values: dict[str, str | None] = {
        "value": num(result.current.value),
        "baseline": num(result.baseline.value),
        "change": num(change),
        "change_abs": num(abs(change)) if change is not None else None,
        "change_pct": None if change_pct is None else f"{round_half_away(change_pct, 1):+.1f}",
        "change_pct_abs": None if change_pct is None else f"{round_half_away(abs(change_pct), 1):.1f}",
        "change_pct_whole": None if change_pct is None else f"{round_half_away(abs(change_pct), 0):.0f}",
        "previous": num(result.figures["previous"].value),
        "last_year": num(result.figures["same_period_last_year"].value),
        "period": result.current.period.label,
        "baseline_period": result.baseline.period.label,
    }
    return values.get(field)


def resolve(text: str, results: dict[str, Result], *, file: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Replace ``{measure.field}`` references; an unknown or empty one is an error with its line."""
    used: list[tuple[str, str]] = []

    def sub(match: re.Match[str], line: int) -> str:
        measure_id, field = match.group(1), match.group(2)
        if measure_id not in results:
            raise InputError(file, f"reference {match.group(0)}: no measure {measure_id!r}", line)
        if field not in FIELDS:
            raise InputError(file, f"reference {match.group(0)}: unknown field {field!r} "
                                   f"(use one of {', '.join(FIELDS)})", line)
        value = _value(results[measure_id], field)
        if value is None:
            raise InputError(file, f"reference {match.group(0)}: no figure for this period", line)
        used.append((match.group(0), value))
        return value

    lines = []
    for n, line in enumerate(text.splitlines(), start=1):
        lines.append(REFERENCE.sub(partial(_call, sub, n), line))
    return "\n".join(lines), tuple(used)


def load(directory: Path | None, force_id: str, period: Period, priority_id: str,
         results: dict[str, Result]) -> Commentary | None:
    path = find_file(directory, force_id, period, priority_id)
    if path is None:
        return None
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"commentary is not UTF-8 text ({exc.reason})") from None
    resolved, used = resolve(text, results, file=str(path))
    return Commentary(markdown=resolved, source_file=str(path), references=used)


def _call(fn: Callable[[re.Match[str], int], str], line: int, match: re.Match[str]) -> str:
    return fn(match, line)


_NUMBER = re.compile(r"(?<![\w.{])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*%)?")


def check_numbers(text: str, results: dict[str, Result], *, file: str) -> list[str]:
    """Numbers typed into commentary that match no figure of the measures its paragraph names.

    A paragraph that names a measure (by title or id) and quotes a number that is none of
    that measure's figures — value, baseline, previous, last year, changes, in any
    published rounding — is flagged: it is probably stale or mistyped.
    """
    problems = []
    for n, line in enumerate(text.splitlines(), start=1):
        if REFERENCE.search(line) and not _NUMBER.search(REFERENCE.sub("", line)):
            continue
        lowered = line.lower()
        named = [r for mid, r in results.items()
                 if mid in lowered or r.measure.title.lower().split(" (")[0] in lowered]
        if not named:
            continue
        allowed: set[float] = set()
        for r in named:
            for v in (r.current.value, r.baseline.value, r.figures["previous"].value,
                      r.figures["same_period_last_year"].value, r.change(), r.change_pct(),
                      r.change_pct("previous"), r.change_pct("same_period_last_year")):
                if v is not None:
                    allowed |= {round_half_away(abs(v), 0), round_half_away(abs(v), 1), round_half_away(abs(v), 2)}
        for m in _NUMBER.finditer(REFERENCE.sub("", line)):
            number = float(m.group(1).replace(",", ""))
            if 1900 <= number <= 2100 and not m.group(2):
                continue  # a year
            if number not in allowed:
                titles = ", ".join(r.measure.id for r in named)
                problems.append(f"{file}, line {n}: {m.group(0).strip()} matches no figure of {titles} "
                                f"for {named[0].current.period.label}")
    return problems
