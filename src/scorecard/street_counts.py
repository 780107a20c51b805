"""Counts of the data.police.uk rows, kept by the load, that street-level results read.

A street-level figure is a count of rows by force, month, sub-area and the columns a measure
filters on (crime type, outcome, object of search...).  Counting millions of rows for each
measure made `results --area all` grow with every month held (issue 12), so the load keeps
those counts in ``<table>_counts`` in the same transaction that inserts or replaces the rows:
the counts are never out of step with the rows as seen from outside, through revisions and a
load that fails or is killed part-way (which leaves neither; tests/test_street_counts.py).
``rebuild`` makes them from the rows of a store written before they existed.

A row's sub-area is resolved here once, as results used to resolve it on every query: its LSOA's
local authority and CSP when the LSOA lies in the publishing force's area, "outside" when it
lies in another's (anonymised points snap across boundaries), "unknown" when it has no LSOA.
"""

from __future__ import annotations

from datetime import date

from scorecard.store import Store

#: The columns each kind's counts are kept by, beside load, force, month (and sub-area).
COUNTED: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "street": ("police_uk_street", ("crime_type", "last_outcome_category"), True),
    "outcomes": ("police_uk_outcomes", ("outcome_type",), True),
    "stop-and-search": ("police_uk_stop_search", ("type", "object_of_search", "outcome", "legislation", "gender",
                                                  "age_range", "self_defined_ethnicity",
                                                  "officer_defined_ethnicity"), False),
}


def _area(code: str, name: str) -> str:
    return (f"CASE WHEN s.lsoa_code IS NULL OR s.lsoa_code = '' THEN 'unknown' "
            f"WHEN l.force_id = s.force_id THEN l.{code} ELSE 'outside' END, "
            f"CASE WHEN s.lsoa_code IS NULL OR s.lsoa_code = '' THEN 'Location not known' "
            f"WHEN l.force_id = s.force_id THEN l.{name} ELSE 'Outside the force area' END")


def _select(kind: str, where: str) -> str:
    table, columns, located = COUNTED[kind]
    areas = f"{_area('lad_code', 'lad_name')}, {_area('csp_code', 'csp_name')}, " if located else ""
    join = "LEFT JOIN lsoa_lookup l ON l.lsoa_code = s.lsoa_code" if located else ""
    return (f"SELECT s.load_id, s.force_id, s.month, {areas}{', '.join('s.' + c for c in columns)}, count(*) "
            f"FROM {table} s {join} WHERE {where} GROUP BY ALL")


def add(store: Store, kind: str, load_ids: list[int]) -> None:
    """Count the rows these loads have just inserted (inside the load's transaction)."""
    table, _, _ = COUNTED[kind]
    store.con.execute(f"INSERT INTO {table}_counts {_select(kind, 'list_contains(?, s.load_id)')}", [load_ids])


def rows_by_file(store: Store, kind: str, load_ids: list[int]) -> list[tuple[int, str, date, int]]:
    """(load, force, month, rows) of each file these loads hold, summed from their counts."""
    table, _, _ = COUNTED[kind]
    rows = store.con.execute(f"SELECT load_id, force_id, month, sum(n) FROM {table}_counts "
                             "WHERE list_contains(?, load_id) GROUP BY ALL", [load_ids]).fetchall()
    return [(int(load_id), str(force_id), month, int(n)) for load_id, force_id, month, n in rows]


def remove(store: Store, kind: str, superseded: str) -> None:
    """Drop the counts of the force-months ``superseded`` (a table of kind, force_id, month,
    old_load) names, as their rows are deleted."""
    table, _, _ = COUNTED[kind]
    store.con.execute(f"""DELETE FROM {table}_counts t USING {superseded} s
                          WHERE s.kind = ? AND t.load_id = s.old_load AND t.force_id = s.force_id
                            AND t.month = s.month""", [kind])


def rebuild(store: Store) -> None:
    """Count every row again (a store written before the counts were kept)."""
    for kind, (table, _, _) in COUNTED.items():
        store.con.execute(f"DELETE FROM {table}_counts")
        store.con.execute(f"INSERT INTO {table}_counts {_select(kind, 'true')}")
