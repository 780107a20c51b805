"""The shape every aggregate source is turned into before it reaches the store.

Home Office tables, ONS workbooks and a force's local series differ in layout, grain and
spelling, but each row says the same thing: *this many* of *this series*, for *this force
(or sub-area)*, over *these months*.  Parsers build a ``ParsedFile`` whose ``table`` has
exactly ``OBSERVATION_SCHEMA``; the store loads it without knowing where it came from.

Row-level data.police.uk files are different (millions of rows, sub-areas derived from
LSOAs) and have their own tables; see ``scorecard.sources.police_uk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

OBSERVATION_SCHEMA = pa.schema(
    [
        # Which family of data this is: "home_office_prc", "ons_pfa_tables", "local_series".
        pa.field("dataset", pa.string(), nullable=False),
        # Canonical force id from scorecard.areas.force_id(), e.g. "west-midlands".
        pa.field("force_id", pa.string(), nullable=False),
        # "force" for force-wide figures; "local_authority", "csp", "lpa"... for sub-areas.
        pa.field("area_type", pa.string(), nullable=False),
        # For area_type "force" the force's ONS code (or force_id when it has none).
        pa.field("area_code", pa.string(), nullable=False),
        pa.field("area_name", pa.string(), nullable=False),
        # The series key the catalogue filters on: a Home Office offence code ("28E"), an
        # ONS column key ("residential_burglary"), a local series id ("homicides").
        pa.field("series", pa.string(), nullable=False),
        pa.field("series_label", pa.string(), nullable=False),
        # Optional grouping the catalogue may filter on (Home Office offence group/subgroup).
        pa.field("series_group", pa.string()),
        pa.field("series_subgroup", pa.string()),
        # First and last month covered, as the first day of each month (inclusive).
        pa.field("first_month", pa.date32(), nullable=False),
        pa.field("last_month", pa.date32(), nullable=False),
        # "count", "percentage" (numerator/denominator given), "rate", "seconds", ...
        pa.field("unit", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("numerator", pa.float64()),
        pa.field("denominator", pa.float64()),
        # 1-based line (or row) in the source file/sheet, for error messages and provenance.
        pa.field("source_line", pa.int64()),
        pa.field("source_sheet", pa.string()),
    ]
)


@dataclass(frozen=True)
class ParsedFile:
    """A whole input file, validated and normalised, ready to load in one transaction."""

    path: str
    kind: str  # e.g. "home_office_prc_ods", "ons_pfa_tables", "local_series_csv"
    dataset: str
    table: pa.Table  # schema == OBSERVATION_SCHEMA
    # Columns of ``table`` that identify what a newer file replaces: rows already stored
    # with the same values of these columns (and the same dataset) are superseded.
    replace_key: tuple[str, ...] = ("force_id", "area_type", "area_code", "first_month", "last_month")
    # Human summary of what the file covers, e.g. "YE Jun 2019, 43 forces + BTP".
    covers: str = ""
    warnings: list[str] = field(default_factory=list)


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)
