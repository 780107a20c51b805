"""``scorecard ingest PATH...``: detect what each file is and load it, all or nothing.

Detection looks at content, not only names: a data.police.uk CSV by its header, a Home
Office table by its columns, an ONS workbook by its "Table P1" sheet, a Home Office police
workforce workbook by a sheet titled "Table N: ... by police force area", a local series by
its ``series``/``period`` columns.  Each file is loaded in its own transaction, and data.police.uk
paths given together in one, so a bad file stops with a precise error and leaves the store as it
was before that transaction.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorecard.errors import InputError
from scorecard.numbers import format_number
from scorecard.periods import FinancialQuarter, Month, MonthRange, RollingYear
from scorecard.sources import police_uk
from scorecard.store import Store, fetch_one

if TYPE_CHECKING:  # pyarrow is imported where a table file is loaded: a data.police.uk load never needs it
    import pyarrow as pa

    from scorecard.sources.observations import ParsedFile

Progress = Callable[[int], None]


def detect(path: Path) -> str:
    """The kind of input at ``path``: police_uk, home_office, ons, workforce, local_series, office_tables."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file or folder") from None
    except OSError as exc:
        raise InputError(path, f"cannot look at it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        return "police_uk"
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file (a pipe, device or socket): give a file or a folder")
    if info.st_size == 0:
        raise InputError(path, "empty file", 1)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _workbook_kind(path)
    if suffix == ".zip" or zipfile.is_zipfile(path):
        _refuse_misnamed_workbook(path)
        return "police_uk"
    if suffix == ".csv" and police_uk.looks_like_police_uk_csv(path):
        return "police_uk"
    from scorecard.sources.office_tables import looks_like_office_tables

    if suffix == ".csv" and looks_like_office_tables(path):
        return "office_tables"
    from scorecard.sources import home_office, local_series

    if home_office.looks_like_home_office(path):
        return "home_office"
    if local_series.looks_like_local_series(path):
        return "local_series"
    raise _not_ours(path)


#: Spreadsheet workbooks: checked (size, zip structure, inflation, sheets) before any sniffing.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb")
#: The largest aggregate file (Home Office parquet, CSV or workbook; local series) read at all;
#: each reader has its own, smaller or equal, limit.  Checked before the file is hashed.
AGGREGATE_MAX_BYTES = 256 * 1024 * 1024


#: DuckDB's memory limit while an aggregate file is loaded (``Store.loading``).  Left at its
#: default (80% of RAM) DuckDB keeps what it has read: the 321,893-row Home Office parquet
#: then peaks about 50 MB higher, at the same speed.
AGGREGATE_LOAD_MEMORY = "256MB"


@contextmanager
def system_arrow_memory() -> Iterator[None]:
    """Arrow allocates from the C library's allocator while an aggregate file is read and loaded.

    pyarrow's default allocator (mimalloc) keeps much of what the column-at-a-time checks free,
    and what DuckDB's scan of the table allocates: loading the 321,893-row Home Office parquet
    peaked over 100 MB higher with it.  An allocator chosen with ``ARROW_DEFAULT_MEMORY_POOL``
    is left as it is.  Buffers remember their allocator, so they may outlive the block.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        yield
        return
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _not_ours(path: Path) -> InputError:
    return InputError(
        path,
        "not a file type the scorecard reads: expected a data.police.uk archive or CSV, a Home Office "
        "police recorded crime table (ODS/XLSX/CSV/parquet), an ONS Police Force Area data tables "
        "workbook, a Home Office police workforce tables workbook (ODS), a local series file "
        "(see docs/local-series.md), or a table file (docs/tables.md)",
    )


def _workbook_kind(path: Path) -> str:
    """A workbook's kind, after ``cells.open_workbook`` has checked it: a workbook that would
    inflate without bound, is damaged or is misnamed is refused here, for its own reason,
    before any sniffer opens it (calamine inflates shared strings just to list sheet names)."""
    from scorecard.sources import cells, home_office, local_series, workforce

    with cells.open_workbook(path) as book:
        names = list(book.sheet_names)
    from scorecard.sources.office_tables import looks_like_office_tables

    if looks_like_office_tables(path):
        return "office_tables"
    if home_office.looks_like_home_office(path):
        return "home_office"
    if any(n.strip().casefold() == "table p1" for n in names):
        return "ons"
    if workforce.looks_like_workforce(path):
        return "workforce"
    if local_series.looks_like_local_series(path):
        return "local_series"
    raise _not_ours(path)


def _refuse_misnamed_workbook(path: Path) -> None:
    """A zip that is really an XLSX or ODS workbook under another name is not an archive of
    police files: say what it is rather than "holds no data.police.uk CSV files"."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()[:10_000])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # the police.uk reader says what is wrong with the archive
    if "xl/workbook.xml" in names or {"mimetype", "content.xml"} <= names:
        kind = "an XLSX" if "xl/workbook.xml" in names else "an ODS"
        raise InputError(path, f"this is {kind} spreadsheet workbook saved under a {path.suffix or 'bare'} name; "
                               "give it its proper extension (.xlsx or .ods)")


def parse(path: Path, kind: str) -> ParsedFile:
    from scorecard.sources import home_office, local_series, ons, workforce

    if kind == "home_office":
        return home_office.read_home_office(path)
    if kind == "ons":
        return ons.read_ons_workbook(path)
    if kind == "workforce":
        return workforce.read_workforce(path)
    if kind == "local_series":
        return local_series.read_local_series(path)
    raise AssertionError(kind)  # pragma: no cover


def ingest_path(store: Store, path: Path, *, progress: Progress | None = None,
                kind: str | None = None, refuse_findings: bool = False) -> dict[str, Any]:
    """Load one path in its own transaction (``kind`` when already detected).  With
    ``refuse_findings`` a table file with any finding (docs/tables.md) is refused, not loaded."""
    kind = kind or detect(path)
    if kind == "police_uk":
        return police_uk.ingest_police_uk(store, path, progress=progress)
    from scorecard.sources import cells

    cells.regular_file_size(path, limit=AGGREGATE_MAX_BYTES, what="aggregate table")  # before hashing it
    sha = police_uk.sha256_of(path)
    previous = store.find_load_by_checksum(sha)
    if previous is not None:
        return {"path": str(path), "status": "unchanged", "rows": 0, "load_id": previous}
    if kind == "office_tables":
        from scorecard.sources.office_table_load import load_office_tables

        return load_office_tables(store, path, sha256=sha, size=path.stat().st_size, refuse_findings=refuse_findings)
    with system_arrow_memory():
        parsed = parse(path, kind)
        span = _span(parsed)
        if kind == "workforce":
            parsed = _keep_newest_editions(store, parsed, span)
            if parsed.table.num_rows == 0:
                return {"path": str(path), "status": "unchanged", "rows": 0, "load_id": None,
                        "warnings": list(parsed.warnings)}
        result = load_parsed(store, parsed, sha256=sha, size=path.stat().st_size, span=span)
    if progress:
        progress(path.stat().st_size)
    return result


def _span(parsed: ParsedFile) -> tuple[date, date] | None:
    """The first and last month of a file's figures (None for a file with none)."""
    import pyarrow.compute as pc  # here, not at the top: a data.police.uk load never needs it (40 ms)

    if parsed.table.num_rows == 0:
        return None
    return pc.min(parsed.table.column("first_month")).as_py(), pc.max(parsed.table.column("last_month")).as_py()


def _keep_newest_editions(store: Store, parsed: ParsedFile, span: tuple[date, date] | None) -> ParsedFile:
    """A workforce edition without the census dates the store holds from a newer edition
    (``workforce.without_dates``): the dates are those of loads whose span ends later."""
    if span is None:
        return parsed
    from scorecard.sources import workforce

    held = store.con.execute(
        """SELECT o.first_month, min(l.file_name) FROM observations o JOIN loads l ON l.load_id = o.load_id
           WHERE o.dataset = ? AND l.last_month > ? GROUP BY o.first_month""", [parsed.dataset, span[1]]).fetchall()
    return workforce.without_dates(parsed, dict(held))


def load_parsed(store: Store, parsed: ParsedFile, *, sha256: str, size: int,
                span: tuple[date, date] | None = None) -> dict[str, Any]:
    """Load observations, replacing what the file supersedes and recording revisions.

    ``span`` is recorded as the months the load covers when given (the whole file's, even where
    some of its figures were left out); by default, the months of the figures loaded."""
    from scorecard.sources.observations import OBSERVATION_SCHEMA

    table = parsed.table
    if table.schema != OBSERVATION_SCHEMA:
        table = table.cast(OBSERVATION_SCHEMA)
    if table.num_rows == 0:
        raise InputError(parsed.path, "file holds no figures")
    con = store.con
    key_cols = ", ".join(parsed.replace_key)
    join_on = " AND ".join(f"o.{c} IS NOT DISTINCT FROM n.{c}" for c in parsed.replace_key)
    # DuckDB reads the Arrow table where it lies: copying it into a temporary table first, and
    # building the table of its keys when the store holds nothing it could replace, were a
    # third of the 0.55 GB that loading the 321,893-row Home Office parquet took.
    with store.loading(memory_limit=AGGREGATE_LOAD_MEMORY):
        con.register("_new", table)
        try:
            with store.transaction():
                load_id = store.next_load_id()
                now = datetime.now().replace(microsecond=0)
                # Nothing held for the dataset: nothing is superseded, revised or removed.
                replacing = fetch_one(con, "SELECT 1 FROM observations WHERE dataset = ? LIMIT 1",
                                      [parsed.dataset]) is not None
                removed = _replace_held(store, parsed, load_id, now, key_cols, join_on) if replacing else []
                con.execute("INSERT INTO observations SELECT ? AS load_id, * FROM _new", [load_id])
                held = span or fetch_one(con, "SELECT min(first_month), max(last_month) FROM _new")
                assert held is not None
                store.record_load(load_id=load_id, path=parsed.path, sha256=sha256, size=size, kind=parsed.kind,
                                  dataset=parsed.dataset, rows=table.num_rows, covers=parsed.covers,
                                  first_month=held[0], last_month=held[1], warnings=list(parsed.warnings))
        finally:
            con.unregister("_new")
    return {"path": parsed.path, "status": "loaded", "load_id": load_id, "rows": table.num_rows,
            "covers": parsed.covers, "removed": removed, "warnings": [*removed, *parsed.warnings]}


def _replace_held(store: Store, parsed: ParsedFile, load_id: int, now: datetime, key_cols: str,
                  join_on: str) -> list[str]:
    """Delete the figures the file ``_new`` supersedes, recording in ``revisions`` each key whose
    figures changed and each figure it no longer holds; the messages about the removed ones."""
    con = store.con
    # Keys this file covers, with its totals, and what is already held for them.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _keys AS
                    SELECT {key_cols}, count(*) AS rows, sum(value) AS total FROM _new GROUP BY ALL""")
    superseded = con.execute(
        f"""SELECT o.load_id, {', '.join('n.' + c for c in parsed.replace_key)},
                   count(*) AS old_rows, sum(o.value) AS old_total, any_value(n.rows), any_value(n.total)
            FROM observations o JOIN _keys n ON o.dataset = ? AND {join_on}
            GROUP BY ALL""",
        [parsed.dataset],
    ).fetchall()
    key_index = {c: i + 1 for i, c in enumerate(parsed.replace_key)}
    for row in superseded:
        old_load, (old_rows, old_total, new_rows, new_total) = row[0], row[-4:]
        if old_rows == new_rows and _same(old_total, new_total):
            continue  # the same figures again: replace silently, nothing was revised
        force = row[key_index["force_id"]] if "force_id" in key_index else ""
        what = _describe_key(parsed.replace_key, row[1:1 + len(parsed.replace_key)])
        con.execute("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [now, parsed.dataset, force, what, old_load, load_id, old_rows, new_rows,
                     old_total, new_total])
    removed = _record_removed_figures(store, parsed, load_id, now, join_on)
    con.execute(f"""DELETE FROM observations o WHERE o.dataset = ? AND EXISTS (
                      SELECT 1 FROM _keys n WHERE {join_on})""", [parsed.dataset])
    con.execute("DROP TABLE _keys")
    return removed


#: At most this many removed figures are listed one by one in a load's summary; all are in revisions.
_REMOVED_LISTED = 20


def _record_removed_figures(store: Store, parsed: ParsedFile, load_id: int, now: datetime,
                            join_on: str) -> list[str]:
    """Figures the store holds that this file replaces but no longer contains: each one is
    written to ``revisions`` (new rows 0, new total empty) and named in the summary.

    A file replaces what it covers (its ``replace_key``: an ONS edition replaces the force's
    whole year), so a series missing from a corrected file would otherwise vanish from the
    store without a word — and from every statement built after it.
    """
    con = store.con
    rows = con.execute(
        f"""SELECT o.force_id, o.area_type, o.area_code, o.area_name, o.series, any_value(o.series_label),
                   o.first_month, o.last_month, o.load_id, count(*), sum(o.value)
            FROM observations o JOIN _keys n ON o.dataset = ? AND {join_on}
            WHERE NOT EXISTS (
                SELECT 1 FROM _new x
                WHERE x.force_id = o.force_id AND x.area_type = o.area_type AND x.area_code = o.area_code
                  AND x.series = o.series AND x.first_month = o.first_month AND x.last_month = o.last_month)
            GROUP BY ALL ORDER BY ALL""",
        [parsed.dataset],
    ).fetchall()
    messages: list[str] = []
    for force_id, area_type, area_code, area_name, series, label, first, last, old_load, n, total in rows:
        what = _describe_key(("first_month", "last_month", "area_type", "area_code", "series"),
                             (first, last, area_type, area_code, series))
        con.execute("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, NULL)",
                    [now, parsed.dataset, force_id, f"{what}: removed (not in the new file)", old_load, load_id,
                     n, total])
        if len(messages) < _REMOVED_LISTED:
            shown = format_number(total, 0 if total is None or float(total).is_integer() else 1)
            messages.append(f"{area_name}, {label} ({what}) was {shown} and is not in this file: "
                            "removed from the store (see `scorecard revisions`)")
    if len(rows) > _REMOVED_LISTED:
        messages.append(f"… and {len(rows) - _REMOVED_LISTED} more figures removed; `scorecard revisions` "
                        "lists them all")
    return messages


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-9


def _describe_key(columns: tuple[str, ...], values: tuple[Any, ...]) -> str:
    """People's words for what was revised: "2018-19 Q2, offence 1" or "YE Jun 2019, homicides"."""
    key = dict(zip(columns, values, strict=True))
    parts = []
    if "first_month" in key and "last_month" in key:
        first, last = Month.from_date(key["first_month"]), Month.from_date(key["last_month"])
        span = MonthRange(first, last)
        if span.n_months == 3 and first.month in (1, 4, 7, 10):
            parts.append(FinancialQuarter.containing(first).label)
        elif span.n_months == 12:
            parts.append(RollingYear(last).label)
        else:
            parts.append(span.label)
    if key.get("area_type") not in (None, "force"):
        parts.append(f"{key['area_type']} {key.get('area_code')}")
    if "series" in key:
        parts.append(f"series {key['series']}")
    return ", ".join(parts)


def iter_ingest(store: Store, paths: list[Path], *, progress: Progress | None = None,
                refuse_findings: bool = False) -> Iterator[dict[str, Any]]:
    """Load several paths in order, yielding each one's summary once it is committed.

    Stops at the first bad path.  Other files are one transaction each, so those before it
    stay loaded; consecutive data.police.uk paths are one transaction together (see
    ``police_uk.ingest_police_uk_paths``), so a bad archive also undoes the archives given
    with it, and loading them together is what makes it as fast as DuckDB's own reader.
    """
    run: list[Path] = []
    for path in paths:
        try:
            kind = detect(path)
        except InputError:
            yield from police_uk.ingest_police_uk_paths(store, run, progress=progress)
            raise
        if kind == "police_uk":
            run.append(path)
            continue
        yield from police_uk.ingest_police_uk_paths(store, run, progress=progress)
        run = []
        yield ingest_path(store, path, progress=progress, kind=kind, refuse_findings=refuse_findings)
    yield from police_uk.ingest_police_uk_paths(store, run, progress=progress)


def ingest(store: Store, paths: list[Path], *, progress: Progress | None = None) -> list[dict[str, Any]]:
    """Load several paths in order (see ``iter_ingest``); the summaries of all of them."""
    return list(iter_ingest(store, paths, progress=progress))


def empty_observations() -> pa.Table:
    from scorecard.sources.observations import OBSERVATION_SCHEMA

    return OBSERVATION_SCHEMA.empty_table()
