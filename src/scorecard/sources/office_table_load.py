"""Loading table files into the store, all or nothing (``scorecard ingest tables.xlsx``).

The file is read and checked in full first (``office_tables.read_office_tables``); its
local-authority columns are then checked against the store's lookup for the table's force.
Only then is anything written, in one transaction: each table replaces the one held for the
same force, year and id, and a replaced table whose figures changed is recorded as a revision.
A table's findings travel with it; the findings between tables (``cross_check``, against the
other tables held for the same force and year) are reported as the load's warnings.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from scorecard import config_files
from scorecard.errors import InputError
from scorecard.sources.office_tables import Finding, OfficeTable, cross_check, read_office_tables
from scorecard.store import Store
from scorecard.sub_areas import sub_areas

DATASET = "office_tables"


def held_tables(store: Store, force_id: str, year: str) -> list[OfficeTable]:
    """The office tables the store holds for a force and financial year."""
    return [OfficeTable.from_dict(json.loads(body)) for body in store.office_tables(force_id, year)]


def _check_areas(store: Store, path: Path, tables: tuple[OfficeTable, ...]) -> None:
    for t in tables:
        columns = [j for j, c in enumerate(t.columns) if c.kind == "local authority"]
        if not columns:
            continue
        names = {a.name for a in sub_areas(store.con, t.force_id) if a.area_type == "local_authority"}
        for k, row in enumerate(t.rows):
            for j in columns:
                value = row[j]
                if isinstance(value, str) and value not in names and t.row_kinds[k] == "data":
                    where = f"sheet {t.sheet!r}, column {t.column_ref(j)}" if t.sheet else f"column {t.column_ref(j)}"
                    raise InputError(path, f"{value!r} is not a local authority in the {t.force_id} force area"
                                           f"{config_files.suggest(value, names)}; they are "
                                           f"{config_files.listed(sorted(names))}", t.lines[k], where=where)


def findings_of(store: Store, path: Path, tables: tuple[OfficeTable, ...]) -> list[Finding]:
    """Every finding of a file's tables: each table's own, and those between them and the other
    tables held for the same force and year (checked after those, so that what this file
    disagrees with is reported against this file)."""
    found = [f for t in tables for f in t.findings]
    for force_id, year in dict.fromkeys((t.force_id, t.year) for t in tables):
        ours = [t for t in tables if (t.force_id, t.year) == (force_id, year)]
        others = [t for t in held_tables(store, force_id, year) if t.id not in {o.id for o in ours}]
        found += [f for f in cross_check([*others, *ours]) if f.file == path.name]
    return found


def load_office_tables(store: Store, path: Path, *, sha256: str, size: int,
                       refuse_findings: bool = False) -> dict[str, Any]:
    """Load a table file's tables, replacing those held with the same force, year and id; with
    ``refuse_findings``, a file with any finding is refused and nothing is stored."""
    tables = read_office_tables(path)
    _check_areas(store, path, tables)
    found = findings_of(store, path, tables)
    if refuse_findings and found:
        first = found[0]
        more = f" ({len(found) - 1} more finding(s) in the file)" if len(found) > 1 else ""
        where = ", ".join(w for w in (f"sheet {first.sheet!r}" if first.sheet else "",
                                      f"column {first.column}" if first.column else "") if w)
        raise InputError(path, f"{first.problem}{more}; nothing was loaded (--refuse-findings)", first.row,
                         where=where or None)
    warnings = [f"{f.where}: {f.problem}" for f in found]
    con = store.con
    now = datetime.now().replace(microsecond=0)
    with store.transaction():
        load_id = store.next_load_id()
        for t in tables:
            body = json.dumps(t.as_dict(), sort_keys=True)
            old = con.execute("SELECT load_id, body FROM office_tables WHERE force_id = ? AND year = ? "
                              "AND table_id = ?", [t.force_id, t.year, t.id]).fetchall()
            for old_load, old_body in old:
                if old_body != body:
                    before = OfficeTable.from_dict(json.loads(old_body))
                    con.execute("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [now, DATASET, t.force_id, f"{t.year} table {t.id}", old_load, load_id,
                                 len(before.rows), len(t.rows), None, None])
            con.execute("DELETE FROM office_tables WHERE force_id = ? AND year = ? AND table_id = ?",
                        [t.force_id, t.year, t.id])
            con.execute("INSERT INTO office_tables VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [load_id, t.force_id, t.year, t.id, t.file, t.sheet, body])
        covers = "; ".join(f"{len([t for t in tables if (t.force_id, t.year) == key])} table(s), {key[0]} {key[1]}"
                           for key in dict.fromkeys((t.force_id, t.year) for t in tables))
        rows = sum(len(t.rows) for t in tables)
        store.record_load(load_id=load_id, path=str(path), sha256=sha256, size=size, kind="office_tables",
                          dataset=DATASET, rows=rows, covers=covers, first_month=None, last_month=None,
                          warnings=warnings)
    return {"path": str(path), "status": "loaded", "load_id": load_id, "rows": rows, "covers": covers,
            "warnings": warnings}
