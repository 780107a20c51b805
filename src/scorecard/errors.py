"""Every error the scorecard reports to a user, in one tree.

    ScorecardError
    ├── InputError          a file we were given is wrong: names the file, line and problem
    │   └── UnknownForce    a force name or id no lookup knows
    ├── PeriodError         a period label that cannot be read (scorecard.periods)
    ├── CatalogueError      the measure catalogue fails its schema or refers to nothing
    ├── StoreError          the store is missing, locked or from a newer version
    └── FetchError          a download failed after its retries

An ``InputError`` is raised before anything is written, so the store is never left
half-loaded; the message is written for the analyst who supplied the file.
"""

from __future__ import annotations

from pathlib import Path


class ScorecardError(Exception):
    """Base of every error we raise on purpose."""


class InputError(ScorecardError):
    """A problem in an input file, located as precisely as we can."""

    def __init__(self, file: str | Path, problem: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.problem = problem
        where = f"{self.file}, line {line}" if line is not None else self.file
        super().__init__(f"{where}: {problem}")


class UnknownForce(InputError):
    """A force name that matches none of the 43 forces (plus BTP)."""


class CatalogueError(ScorecardError):
    """The measure catalogue is invalid."""


class StoreError(ScorecardError):
    """The store cannot be opened or used."""


class FetchError(ScorecardError):
    """A download from data.police.uk failed."""
