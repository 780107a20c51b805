"""Every error the scorecard reports to a user, in one tree, each kind with its exit code.

    ScorecardError                 (exit 1 is never an error: it is `verify`/`check` finding differences)
    ├── UsageError          2      the command line is wrong: an unknown area, measure or format
    │   └── PeriodError            a period label that cannot be read (scorecard.periods)
    ├── InputError          3      a file we were given is wrong: names the file, line/sheet/key and problem
    │   ├── UnknownForce           a force name or id no lookup knows
    │   └── ConfigError            a configuration file (catalogue, report configuration, report.json)
    │       └── CatalogueError     the measure catalogue fails its schema or refers to nothing
    ├── StoreError          4      the store is missing, unreadable, locked or from a newer version
    └── FetchError          5      a download failed after its retries

Click's own usage errors (a missing option, an unknown flag) also exit with 2.  Anything
else that escapes is a bug: the command prints one line saying so and exits with 70
(``INTERNAL_ERROR``).  An ``InputError`` is raised before anything is written, so the store
is never left half-loaded; the message is written for the analyst who supplied the file.

Messages hold untrusted text (file names, member names inside archives, cell values), so
they are shown through ``printable`` (``scorecard.characters``): control characters and
bidirectional overrides are escaped, never sent to the terminal raw.
"""

from __future__ import annotations

from pathlib import Path

from scorecard.characters import printable

__all__ = [
    "EXIT_DIFFERENCES", "EXIT_FETCH", "EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_STORE", "EXIT_USAGE",
    "INTERNAL_ERROR", "CatalogueError", "ConfigError", "FetchError", "InputError", "ScorecardError", "StoreError",
    "UnknownForce", "UsageError", "printable",
]

#: Exit codes, as documented in the README ("Exit codes").
EXIT_OK = 0
EXIT_DIFFERENCES = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_STORE = 4
EXIT_FETCH = 5
INTERNAL_ERROR = 70
EXIT_INTERRUPTED = 130


class ScorecardError(Exception):
    """Base of every error we raise on purpose."""

    exit_code = EXIT_INPUT


class UsageError(ScorecardError):
    """Something given on the command line cannot be used (not a file's content)."""

    exit_code = EXIT_USAGE


class InputError(ScorecardError):
    """A problem in an input file, located as precisely as we can.

    ``line`` is the 1-based line (or spreadsheet row); ``where`` adds what a line number
    cannot say: the sheet, a member of an archive, or a configuration key.
    """

    exit_code = EXIT_INPUT

    def __init__(self, file: str | Path, problem: str, line: int | None = None, *, where: str | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.where = where
        self.problem = problem
        place = self.file
        if where:
            place += f", {where}"
        if line is not None:
            place += f", line {line}"
        super().__init__(f"{place}: {problem}")


class UnknownForce(InputError):
    """A force name that matches none of the 43 forces (plus BTP)."""


class ConfigError(InputError):
    """A configuration file is wrong: a key that is unknown, repeated or of the wrong type."""


class CatalogueError(ConfigError):
    """The measure catalogue is invalid."""


class StoreError(ScorecardError):
    """The store cannot be opened or used."""

    exit_code = EXIT_STORE


class FetchError(ScorecardError):
    """A download from data.police.uk failed."""

    exit_code = EXIT_FETCH
