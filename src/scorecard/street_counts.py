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


#: A row's sub-area when its LSOA does not say which of the force's own: (key, code, name).
_UNKNOWN = (-1, "unknown", "Location not known")
_OUTSIDE = (-2, "outside", "Outside the force area")

#: Each distinct (local authority, CSP) pair of the LSOA lookup numbered ``k``, beside each LSOA,
#: and the two pairs a row has when its LSOA is missing or in another force's area.
_AREAS = f"""l AS (SELECT *, dense_rank() OVER (ORDER BY lad_code, lad_name, csp_code, csp_name) AS k
                FROM lsoa_lookup),
       a AS (SELECT DISTINCT k, lad_code, lad_name, csp_code, csp_name FROM l
             UNION ALL SELECT {_UNKNOWN[0]}, '{_UNKNOWN[1]}', '{_UNKNOWN[2]}', '{_UNKNOWN[1]}', '{_UNKNOWN[2]}'
             UNION ALL SELECT {_OUTSIDE[0]}, '{_OUTSIDE[1]}', '{_OUTSIDE[2]}', '{_OUTSIDE[1]}', '{_OUTSIDE[2]}')"""


def _select(kind: str, where: str) -> str:
    """The counts of ``kind``'s rows matching ``where``, in the counts table's column order.

    Rows are grouped by a number for their sub-area and its codes and names joined to the
    groups afterwards: grouping 12 M rows by four more strings took twice the CPU (3.9 s
    against 2.0 s over 36 national months, the same 711,084 counts)."""
    table, columns, located = COUNTED[kind]
    kept = ", ".join("s." + c for c in columns)
    if not located:
        return f"SELECT s.load_id, s.force_id, s.month, {kept}, count(*) FROM {table} s WHERE {where} GROUP BY ALL"
    grouped = ", ".join("g." + c for c in columns)
    return f"""WITH {_AREAS},
       g AS (SELECT s.load_id, s.force_id, s.month,
                    CASE WHEN s.lsoa_code IS NULL OR s.lsoa_code = '' THEN {_UNKNOWN[0]}
                         WHEN l.force_id = s.force_id THEN l.k ELSE {_OUTSIDE[0]} END AS k,
                    {kept}, count(*) AS n
             FROM {table} s LEFT JOIN l ON l.lsoa_code = s.lsoa_code WHERE {where} GROUP BY ALL)
       SELECT g.load_id, g.force_id, g.month, a.lad_code, a.lad_name, a.csp_code, a.csp_name, {grouped}, g.n
       FROM g JOIN a ON a.k = g.k"""


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
