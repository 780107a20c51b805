"""Census population by ethnic group for each police force area: the denominator of stop-and-search rates.

Stop and search by ethnic group is published as searches per 1,000 people of each group and the
ratio of each group's rate to the White rate (disproportionality, as the Home Office and the Race
Disparity Unit define it).  The people counted are the force area's usual residents at a census, in
the census's five ethnic groups (White, Mixed, Asian, Black, Other).  Which census is a choice that
changes every rate, and the population has changed since it was taken, so the year is given by the
caller (``load_census(2011)``) and is carried by every figure built from it, as its caveat.

The bundled file (``data/lookups/census2011-ethnic-group.csv``; its header says how it was derived)
holds every local authority, each force area and England and Wales.  A figure that does not add up
would make every rate after it wrong without a sign, so loading checks, and refuses the file when
any fails, that:

* each row's five groups add up to its "All categories" count;
* each force's local authorities add up, group by group, to the force's row, and no authority is
  in two forces;
* the forces add up to England and Wales, and every one of the 43 forces has a row.

Only Census 2011 is bundled; asking for another year is an error that says which years are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

from scorecard.areas import forces, territorial_forces
from scorecard.errors import InputError, UsageError

EthnicGroup = Literal["White", "Mixed", "Asian", "Black", "Other"]
"""The five ethnic groups of the census classification for England and Wales, in its order."""

GROUPS: tuple[EthnicGroup, ...] = get_args(EthnicGroup)

#: The bundled census files, by census year.
BUNDLED: dict[int, str] = {2011: "census2011-ethnic-group.csv"}

#: Where each bundled census comes from, as a document's note cites it.
SOURCES: dict[int, str] = {
    2011: "Census 2011 (Office for National Statistics), usual residents by ethnic group, local authorities "
          "summed to police force areas",
}

COLUMNS = ("area_type", "area_code", "area_name", "force_id", "all_categories", "white", "mixed", "asian", "black",
           "other")
_GROUP_COLUMNS: dict[EthnicGroup, str] = {"White": "white", "Mixed": "mixed", "Asian": "asian", "Black": "black",
                                          "Other": "other"}
_AREA_TYPES = ("country", "force", "local_authority")


@dataclass(frozen=True)
class Population:
    """One area's usual residents: all of them and each of the five groups (whole people, never rounded)."""

    total: int
    by_group: Mapping[EthnicGroup, int]

    def group(self, group: EthnicGroup) -> int:
        return self.by_group[group]


@dataclass(frozen=True)
class ForcePopulation(Population):
    """A police force area's population, with the local authorities (ONS codes) it was summed from."""

    force_id: str = ""
    local_authorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Census:
    """Population by ethnic group of every police force area at one census.

    ``source`` is the citation a document prints; ``caveat`` the sentence every rate built on it
    carries."""

    year: int
    source: str
    file: str
    england_and_wales: Population
    forces: Mapping[str, ForcePopulation]

    @property
    def caveat(self) -> str:
        return f"Population from Census {self.year}; the population has changed since."

    def population(self, force_id: str) -> ForcePopulation:
        """The force area's population; a ``UsageError`` for a force with no residents of its own (BTP)."""
        try:
            return self.forces[force_id]
        except KeyError:
            known = forces().get(force_id)
            name = known.name if known else repr(force_id)
            raise UsageError(f"{name} has no population by ethnic group in Census {self.year}: rates per "
                             "1,000 people are worked out for the 43 police force areas of England and Wales "
                             "only") from None


@dataclass(frozen=True)
class _Row:
    line: int
    area_type: str
    code: str
    name: str
    force_id: str
    population: Population


def load_census(year: int = 2011, path: Path | None = None) -> Census:
    """The census of ``year`` as bundled (or read from ``path``, a file in the bundled layout), checked
    as the module docstring says.  A year not bundled is a ``UsageError`` naming the years that are;
    a file that fails a check is an ``InputError`` naming the file, the line and what does not add up."""
    if year not in BUNDLED:
        years = ", ".join(str(y) for y in BUNDLED)
        raise UsageError(f"no Census {year} population by ethnic group is bundled: the census years available "
                         f"are {years}")
    if path is None:
        resource = resources.files("scorecard").joinpath(f"data/lookups/{BUNDLED[year]}")
        text, shown = resource.read_text("utf-8"), f"scorecard/data/lookups/{BUNDLED[year]}"
    else:
        text, shown = _read(path), str(path)
    rows = list(_rows(text, shown))
    country = _one_country(rows, shown)
    by_force = _forces(rows, shown)
    _check_sum(shown, country, [p for p in by_force.values()], "England and Wales", "its forces")
    return Census(year, SOURCES[year], shown, country.population, MappingProxyType(by_force))


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the census file: {exc}") from None


def _rows(text: str, file: str) -> Iterator[_Row]:
    """The file's data rows, each checked on its own: known area type, whole counts, groups adding up."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line and not line.startswith("#")]
    if not lines:
        raise InputError(file, "no header: expected " + ",".join(COLUMNS))
    header_line, header = lines[0]
    if tuple(next(csv.reader([header]))) != COLUMNS:
        raise InputError(file, "the header is not " + ",".join(COLUMNS), header_line)
    for number, line in lines[1:]:
        cells = next(csv.reader([line]))
        if len(cells) != len(COLUMNS):
            raise InputError(file, f"{len(cells)} fields where {len(COLUMNS)} are expected", number)
        row = dict(zip(COLUMNS, cells, strict=True))
        if row["area_type"] not in _AREA_TYPES:
            raise InputError(file, f"area type {row['area_type']!r} is not one of {', '.join(_AREA_TYPES)}", number)
        population = Population(_count(row["all_categories"], file, number),
                                MappingProxyType({g: _count(row[c], file, number) for g, c in _GROUP_COLUMNS.items()}))
        groups = sum(population.by_group.values())
        if groups != population.total:
            raise InputError(file, f"{row['area_name']}: the five groups add up to {groups:,}, not to its "
                                   f"{population.total:,} people in all categories", number)
        yield _Row(number, row["area_type"], row["area_code"], row["area_name"], row["force_id"], population)


def _count(cell: str, file: str, line: int) -> int:
    if not cell.isdigit():
        raise InputError(file, f"{cell!r} is not a count of people (a whole number)", line)
    return int(cell)


def _one_country(rows: list[_Row], file: str) -> _Row:
    countries = [r for r in rows if r.area_type == "country"]
    if len(countries) != 1:
        raise InputError(file, f"{len(countries)} England and Wales rows: expected one")
    return countries[0]


def _forces(rows: list[_Row], file: str) -> dict[str, ForcePopulation]:
    """Each force's row, checked against the sum of its local authorities."""
    force_rows: dict[str, _Row] = {}
    for r in (r for r in rows if r.area_type == "force"):
        if r.force_id not in forces() or not forces()[r.force_id].territorial:
            raise InputError(file, f"{r.force_id!r} is not one of the 43 police force areas", r.line)
        if r.force_id in force_rows:
            raise InputError(file, f"{r.force_id} has a second force row (the first is line "
                                   f"{force_rows[r.force_id].line})", r.line)
        force_rows[r.force_id] = r
    missing = [f.force_id for f in territorial_forces() if f.force_id not in force_rows]
    if missing:
        raise InputError(file, f"no row for {', '.join(missing)}: every police force area needs one")
    authorities: dict[str, list[_Row]] = {f: [] for f in force_rows}
    seen: dict[str, int] = {}
    for r in (r for r in rows if r.area_type == "local_authority"):
        if r.force_id not in authorities:
            raise InputError(file, f"{r.name} is placed in {r.force_id!r}, which has no force row", r.line)
        if r.code in seen:
            raise InputError(file, f"{r.name} ({r.code}) is listed twice (first at line {seen[r.code]})", r.line)
        seen[r.code] = r.line
        authorities[r.force_id].append(r)
    out: dict[str, ForcePopulation] = {}
    for force_id, row in force_rows.items():
        parts = authorities[force_id]
        _check_sum(file, row, [p.population for p in parts], row.name, "its local authorities")
        out[force_id] = ForcePopulation(row.population.total, row.population.by_group, force_id,
                                        tuple(p.code for p in parts))
    return out


def _check_sum(file: str, whole: _Row, parts: list[Population], name: str, what: str) -> None:
    """``whole`` must be, in every column, the sum of ``parts``."""
    if not parts:
        raise InputError(file, f"{name} has no {what.removeprefix('its ')} to add up", whole.line)
    total = sum(p.total for p in parts)
    if total != whole.population.total:
        raise InputError(file, f"{what} add up to {total:,} people, not to {name}'s {whole.population.total:,}",
                         whole.line)
    for group in GROUPS:
        summed = sum(p.group(group) for p in parts)
        if summed != whole.population.group(group):
            raise InputError(file, f"{what} add up to {summed:,} {group} people, not to {name}'s "
                                   f"{whole.population.group(group):,}", whole.line)


__all__ = ["BUNDLED", "GROUPS", "SOURCES", "Census", "EthnicGroup", "ForcePopulation", "Population", "load_census"]
