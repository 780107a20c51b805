"""Analysts' commentary: Markdown files beside the data, citing figures by reference.

A commentary written as "burglary fell by {burglary.change_pct_abs}%" can never disagree
with the table beside it: the reference is filled from the same results.  Files live at
``DIR/<force>/<period>/<priority>.md`` (period as in "2024-25-Q1"), falling back to
``DIR/<force>/<priority>.md``.

The folder is read strictly (``check_folder``), because a file that is never read is a
commentary that silently goes unpublished: every file and folder in it must be a force id,
a period that reads back to the same name, or a known priority's ``.md`` file; names that
start with a dot (``.git``, ``.DS_Store``) are left alone.  Nothing but regular files is
opened, each at most ``MAX_BYTES``, as UTF-8 text without control characters.  The text is
untrusted and is escaped or sanitised by each renderer; here it is only read and its
references resolved.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Collection, Iterator
from functools import partial
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING

from scorecard import config_files
from scorecard.areas import find_force, forces
from scorecard.errors import ConfigError, InputError
from scorecard.numbers import format_number, round_half_away
from scorecard.periods import Period, PeriodError, parse
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


#: Largest commentary file: a priority's commentary is a few paragraphs (a few KB); 256 KiB
#: is a short book, so anything larger is the wrong file.
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


def find_file(directory: Path | None, force_id: str, period: Period, priority_id: str) -> Path | None:
    if directory is None:
        return None
    for candidate in (directory / force_id / period_slug(period) / f"{priority_id}.md",
                      directory / force_id / f"{priority_id}.md"):
        if candidate.is_file():
            return candidate
    return None


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
    if path.suffix != ".md":
        raise ConfigError(path, f"not a commentary file: commentary files are <priority>.md, "
                                f"one of {config_files.listed(sorted(priority_ids))}")
    if path.stem not in priority_ids:
        raise ConfigError(path, f"no priority {path.stem!r}{config_files.suggest(path.stem, priority_ids)}: "
                                f"commentary files are named by priority id, one of "
                                f"{config_files.listed(sorted(priority_ids))}")
    if kind != "file":
        raise ConfigError(path, "not a regular file (a pipe, device or socket): commentary is a Markdown file")


def read_text(path: Path) -> str:
    """A commentary file's text: a regular file of at most ``MAX_BYTES``, UTF-8, no control characters."""
    return config_files.read_text(path, what="commentary", limit=MAX_BYTES)


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
    resolved, used = resolve(read_text(path), results, file=str(path))
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
