"""data.police.uk street, outcomes and stop-and-search files: archives, folders or CSVs.

These are the only row-level inputs (three million rows for nine months), so they take
a different path from the aggregate sources: members are inflated once into a scratch
folder and DuckDB reads them straight into the store inside one transaction, with every
column declared.  Declaring the dialect matters for correctness, not only speed: with
automatic detection DuckDB 2.0 silently dropped every 2024 file when reading them together
with 2018 files.

Files are identified by the names data.police.uk gives them,
``YYYY-MM/YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv``; the month and force in
the name are checked against the rows.  A member whose force, month and kind is already
stored with the same CRC is skipped; one with different content replaces the stored
rows and is recorded as a revision.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
import types
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb

from scorecard.areas import find_force
from scorecard.errors import InputError, UnknownForce
from scorecard.store import Store, fetch_one

_inflate_lib: types.ModuleType
try:  # ISA-L inflates about twice as fast as zlib; fall back quietly if it is missing.
    from isal import isal_zlib

    _inflate_lib = isal_zlib
except ImportError:  # pragma: no cover
    _inflate_lib = zlib

KINDS = ("street", "outcomes", "stop-and-search")

HEADERS: dict[str, list[str]] = {
    "street": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
               "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"],
    "outcomes": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Outcome type"],
    "stop-and-search": ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
                        "Longitude", "Gender", "Age range", "Self-defined ethnicity",
                        "Officer-defined ethnicity", "Legislation", "Object of search", "Outcome",
                        "Outcome linked to object of search", "Removal of more than just outer clothing"],
}
_DOUBLE_COLUMNS = {"Longitude", "Latitude"}

NAME_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<force>[a-z][a-z-]*?)"
                     r"-(?P<kind>street|outcomes|stop-and-search)\.csv$")

#: Refuse archives that would inflate to more than this (override: SCORECARD_MAX_UNZIPPED_BYTES).
MAX_UNZIPPED_BYTES = int(os.environ.get("SCORECARD_MAX_UNZIPPED_BYTES", str(16 * 1024**3)))
#: Police CSVs compress about 8:1; a member claiming far more is a zip bomb.
MAX_COMPRESSION_RATIO = 200

_CSV_OPTIONS = ("header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true")


@dataclass
class Member:
    """One CSV to load: a file on disk, or a member of an archive."""

    source: Path  # the archive or file given by the user
    name: str  # member name inside the archive, or the file name
    kind: str
    force_id: str
    month: date
    crc32: str
    size: int
    info: zipfile.ZipInfo | None = None
    extracted: Path | None = None
    rows: int = 0

    @property
    def label(self) -> str:
        return f"{self.source}!{self.name}" if self.info is not None else str(self.source)

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.kind, self.force_id, self.month)


@dataclass
class PoliceUkBatch:
    """Everything found in one user-supplied path."""

    path: Path
    sha256: str
    size: int
    kind: str  # "police_uk_zip" | "police_uk_folder" | "police_uk_csv"
    members: list[Member] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- discovery ---------------------------------------------------------------------------

def parse_member_name(name: str, *, source: Path) -> tuple[str, str, date] | None:
    """(kind, force_id, month) from a published file name, or None if it is not one."""
    base = PurePosixPath(name).name
    m = NAME_RE.match(base)
    if not m:
        return None
    force_id = find_force(m["force"])
    if force_id is None:
        raise UnknownForce(source, f"{name}: unknown police force {m['force']!r} in the file name")
    month_num = int(m["month"])
    if not 1 <= month_num <= 12:
        raise InputError(source, f"{name}: month {m['month']} in the file name is not a month")
    return m["kind"], force_id, date(int(m["year"]), month_num, 1)


def _check_member_path(archive: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise InputError(archive, f"unsafe path in archive: {name!r} would be written outside the "
                                  "target folder")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(4 * 1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def looks_like_police_uk_csv(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            first = f.readline(4096).decode("utf-8-sig", errors="replace").strip()
    except OSError:
        return False
    return any(first == ",".join(h) for h in HEADERS.values()) or NAME_RE.match(path.name) is not None


def zip_has_police_uk_members(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(NAME_RE.match(PurePosixPath(n).name) for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def discover(path: Path) -> PoliceUkBatch:
    """Find the data.police.uk CSVs in a zip, a folder or a single CSV, checking names and sizes."""
    if path.is_dir():
        batch = PoliceUkBatch(path, _folder_digest(path), 0, "police_uk_folder")
        for csv_path in sorted(path.rglob("*.csv")):
            parsed = parse_member_name(csv_path.name, source=csv_path)
            if parsed is None:
                batch.warnings.append(f"{csv_path}: not a data.police.uk file name; skipped")
                continue
            size = csv_path.stat().st_size
            batch.size += size
            batch.members.append(Member(csv_path, csv_path.name, *parsed, crc32=_crc_of(csv_path), size=size))
        if not batch.members:
            raise InputError(path, "folder holds no data.police.uk CSV files (YYYY-MM-<force>-street.csv …)")
        return batch
    if zipfile.is_zipfile(path):
        return _discover_zip(path)
    if path.suffix.lower() == ".zip":
        raise InputError(path, "not a complete zip archive (truncated or corrupt download?)")
    parsed = parse_member_name(path.name, source=path)
    if parsed is None:
        raise InputError(path, "file name must be YYYY-MM-<force>-street.csv, -outcomes.csv or "
                               "-stop-and-search.csv as published by data.police.uk")
    size = path.stat().st_size
    member = Member(path, path.name, *parsed, crc32=_crc_of(path), size=size)
    return PoliceUkBatch(path, sha256_of(path), size, "police_uk_csv", [member])


def _discover_zip(path: Path) -> PoliceUkBatch:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, f"not a complete zip archive (truncated or corrupt?): {exc}") from exc
    batch = PoliceUkBatch(path, sha256_of(path), path.stat().st_size, "police_uk_zip")
    total = 0
    with zf:
        for info in zf.infolist():
            _check_member_path(path, info)
            if info.is_dir():
                continue
            total += info.file_size
            if total > MAX_UNZIPPED_BYTES:
                raise InputError(path, f"archive would inflate to more than {MAX_UNZIPPED_BYTES:,} bytes; "
                                       "refusing it (set SCORECARD_MAX_UNZIPPED_BYTES to raise the limit)")
            if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
                raise InputError(path, f"{info.filename}: compression ratio "
                                       f"{info.file_size / info.compress_size:,.0f}:1 looks like a zip bomb")
            parsed = parse_member_name(info.filename, source=path)
            if parsed is None:
                batch.warnings.append(f"{path}!{info.filename}: not a data.police.uk file; skipped")
                continue
            batch.members.append(Member(path, info.filename, *parsed, crc32=f"{info.CRC:08x}",
                                        size=info.file_size, info=info))
    if not batch.members:
        raise InputError(path, "archive holds no data.police.uk CSV files "
                               "(YYYY-MM/YYYY-MM-<force>-street.csv …)")
    return batch


def _crc_of(path: Path) -> str:
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(4 * 1024 * 1024):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def _folder_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*.csv")):
        h.update(str(p.relative_to(path)).encode())
        h.update(_crc_of(p).encode())
    return h.hexdigest()


# --- extraction and checks on raw bytes ---------------------------------------------------

def _read_member_bytes(archive: Path, info: zipfile.ZipInfo, fh: Any) -> bytes:
    """Inflate one member, checking its CRC; raw deflate through ISA-L when available."""
    if info.compress_type == zipfile.ZIP_DEFLATED:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise InputError(archive, f"{info.filename}: archive is truncated or corrupt (bad local header)")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        raw = fh.read(info.compress_size)
        if len(raw) < info.compress_size:
            raise InputError(archive, f"{info.filename}: archive is truncated")
        try:
            # Never inflate more than the member declares: a forged size must not let a
            # small archive fill memory before the size check below can refuse it.
            data: bytes = _inflate_lib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except Exception as exc:
            raise InputError(archive, f"{info.filename}: corrupt compressed data ({exc})") from exc
        if len(data) > info.file_size:
            raise InputError(archive, f"{info.filename}: inflates to more than the {info.file_size:,} bytes "
                                      "the archive declares for it; refusing it (a zip bomb?)")
    else:
        with zipfile.ZipFile(archive) as zf:
            try:
                data = zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise InputError(archive, f"{info.filename}: archive is truncated or corrupt "
                                          f"({exc})") from exc
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise InputError(archive, f"{info.filename}: archive is truncated or corrupt (CRC mismatch)")
    return data


def _check_text(label: str, data: bytes, kind: str) -> None:
    """Header present and right, whole file valid UTF-8: cheap checks with exact line numbers."""
    if not data.strip():
        raise InputError(label, "empty file: expected a header line and data rows", 1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(label, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                "data.police.uk files are UTF-8 — was it re-saved in another encoding?",
                         line) from None
    first = data.split(b"\n", 1)[0].decode("utf-8").lstrip("\ufeff").strip()
    expected = ",".join(HEADERS[kind])
    if first != expected:
        if first.split(",")[0] != HEADERS[kind][0]:
            raise InputError(label, f"header line missing or wrong: expected {expected!r}, "
                                    f"found {first[:120]!r}", 1)
        raise InputError(label, f"header does not match the {kind} layout: expected {expected!r}, "
                                f"found {first[:200]!r}", 1)
    rest = data.split(b"\n", 1)[1] if b"\n" in data else b""
    if not rest.strip():
        raise InputError(label, "no data rows after the header line: a data.police.uk file always has some; "
                                "was the download cut short?", 2)


def extract(batch: PoliceUkBatch, members: list[Member], scratch: Path,
            progress: Callable[[int], None] | None = None) -> None:
    """Write each member to ``scratch`` (archives) or check it in place (files)."""
    by_archive: dict[Path, list[Member]] = {}
    for m in members:
        if m.info is None:
            data = m.source.read_bytes()
            _check_text(m.label, data, m.kind)
            m.extracted = m.source
            if progress:
                progress(m.size)
        else:
            by_archive.setdefault(m.source, []).append(m)
    for archive, ms in by_archive.items():
        with archive.open("rb") as fh:
            for i, m in enumerate(ms):
                assert m.info is not None
                data = _read_member_bytes(archive, m.info, fh)
                _check_text(m.label, data, m.kind)
                target = scratch / f"{i:05d}-{PurePosixPath(m.name).name}"
                target.write_bytes(data)
                m.extracted = target
                if progress:
                    progress(m.size)


# --- loading ------------------------------------------------------------------------------

_SELECTS = {
    "street": (
        "police_uk_street",
        """r."Crime ID", r."Falls within", r."Longitude",
           r."Latitude", r."Location", r."LSOA code", r."LSOA name", r."Crime type",
           r."Last outcome category", r."Context" """,
    ),
    "outcomes": (
        "police_uk_outcomes",
        """r."Crime ID", r."Falls within", r."Longitude",
           r."Latitude", r."Location", r."LSOA code", r."LSOA name", r."Outcome type" """,
    ),
    "stop-and-search": (
        "police_uk_stop_search",
        """r."Type", try_cast(r."Date" AS TIMESTAMPTZ),
           r."Part of a policing operation", r."Policing operation", r."Latitude", r."Longitude",
           r."Gender", r."Age range", r."Self-defined ethnicity", r."Officer-defined ethnicity",
           r."Legislation", r."Object of search", r."Outcome", r."Outcome linked to object of search",
           r."Removal of more than just outer clothing" """,
    ),
}
# The month each row says it is for, as text ("2018-10"); it must be the month in the file name.
_MONTH_SOURCE = {"street": 'r."Month"', "outcomes": 'r."Month"', "stop-and-search": 'substr(r."Date", 1, 7)'}
# Raised from inside the INSERT (DuckDB's error()) when a row's month is not its file's.
_MONTH_MISMATCH = "scorecard-month-mismatch-in-member:"
_MONTH_MISMATCH_RE = re.compile(re.escape(_MONTH_MISMATCH) + r"(\d+)")


def _columns(kind: str) -> dict[str, str]:
    return {c: ("DOUBLE" if c in _DOUBLE_COLUMNS and kind != "stop-and-search" else "VARCHAR")
            for c in HEADERS[kind]}


_CSV_ERROR_LINE = re.compile(r"(?:Line|line)[:\s]+(\d+)")


def _csv_error(exc: duckdb.Error, members: list[Member]) -> InputError:
    """Turn DuckDB's CSV error into ours, naming the member and line it reports."""
    text = str(exc)
    line_match = _CSV_ERROR_LINE.search(text)
    line = int(line_match.group(1)) if line_match else None
    culprit = next((m for m in members if m.extracted and str(m.extracted) in text), None)
    label = culprit.label if culprit else ", ".join(sorted({str(m.source) for m in members}))
    problem = text.split("\n")[0]
    if "Expected Number of Columns" in text or "columns" in problem.lower():
        problem = "row has the wrong number of columns"
    elif "Could not convert" in text or "conversion" in text.lower():
        problem = f"value of the wrong type ({problem})"
    return InputError(label, problem, line)


def _locate_bad_month(m: Member) -> InputError:
    """The first row of ``m`` whose month is not the one in its name, with its line.

    Runs on a connection of its own: the store's transaction has already failed.
    """
    assert m.extracted is not None
    month_expr = _MONTH_SOURCE[m.kind]
    with duckdb.connect() as scratch:
        row = fetch_one(
            scratch,
            f"""SELECT rn, month_text FROM (
                  SELECT row_number() OVER () AS rn, {month_expr} AS month_text
                  FROM read_csv(?, columns = ?, {_CSV_OPTIONS}) r)
                WHERE month_text IS DISTINCT FROM ? ORDER BY rn LIMIT 1""",
            [str(m.extracted), _columns(m.kind), m.month.strftime("%Y-%m")],
        )
    if row is None:  # pragma: no cover - only called when a mismatch was seen
        return InputError(m.label, "month in the rows disagrees with the file name")
    line = int(row[0]) + 1
    if row[1] is None or not str(row[1]).strip():
        return InputError(m.label, f"row has no month; the file name says {m.month:%Y-%m}", line)
    return InputError(m.label, f"row is for month {row[1]!r} but the file name says {m.month:%Y-%m}", line)


def load_batch(store: Store, batch: PoliceUkBatch, load_id: int, members: list[Member]) -> int:
    """Insert ``members`` (already extracted) under ``load_id``; caller holds the transaction.

    Every row's month is checked against its own file's name as it is inserted (checking
    per force and month after the insert would let a row of one month hide in another file
    of the same force when a folder or custom download holds several months).
    """
    con = store.con
    total = 0
    for kind in KINDS:
        ms = [m for m in members if m.kind == kind]
        if not ms:
            continue
        table, select = _SELECTS[kind]
        con.execute("""CREATE OR REPLACE TEMP TABLE _members
                       (path VARCHAR, member INTEGER, force_id VARCHAR, month DATE, month_text VARCHAR)""")
        con.executemany("INSERT INTO _members VALUES (?, ?, ?, ?, ?)",
                        [[str(m.extracted), i, m.force_id, m.month, m.month.strftime("%Y-%m")]
                         for i, m in enumerate(ms)])
        month = (f"CASE WHEN {_MONTH_SOURCE[kind]} IS NOT DISTINCT FROM f.month_text THEN f.month "
                 f"ELSE error('{_MONTH_MISMATCH}' || f.member) END")
        try:
            con.execute(
                f"""INSERT INTO {table}
                    SELECT ?, f.force_id, {month}, {select}
                    FROM read_csv(?, columns = ?, {_CSV_OPTIONS}, filename = true) r
                    JOIN _members f ON r.filename = f.path""",
                [load_id, [str(m.extracted) for m in ms], _columns(kind)],
            )
        except duckdb.Error as exc:
            mismatch = _MONTH_MISMATCH_RE.search(str(exc))
            if mismatch:
                raise _locate_bad_month(ms[int(mismatch.group(1))]) from None
            raise _csv_error(exc, ms) from None
        # Row counts per file: force and month identify the file, since both were checked.
        counts = con.execute(
            f"""SELECT force_id, month, count(*) FROM {table} WHERE load_id = ? GROUP BY ALL""",
            [load_id],
        ).fetchall()
        by_key = {(m.force_id, m.month): m for m in ms}
        for force_id, month_start, n in counts:
            by_key[(force_id, month_start)].rows = int(n)
            total += int(n)
    return total


def replace_superseded(store: Store, load_id: int, members: list[Member]) -> None:
    """Delete stored rows of force-months this load replaces, recording each revision."""
    con = store.con
    now = datetime.now().replace(microsecond=0)
    for m in members:
        old = con.execute(
            """SELECT load_id, rows FROM load_members
               WHERE kind = ? AND force_id = ? AND month = ? AND superseded_by IS NULL AND load_id <> ?""",
            [m.kind, m.force_id, m.month, load_id],
        ).fetchall()
        table = _SELECTS[m.kind][0]
        for old_load, old_rows in old:
            con.execute(f"DELETE FROM {table} WHERE load_id = ? AND force_id = ? AND month = ?",
                        [old_load, m.force_id, m.month])
            con.execute(
                """UPDATE load_members SET superseded_by = ?
                   WHERE load_id = ? AND kind = ? AND force_id = ? AND month = ?""",
                [load_id, old_load, m.kind, m.force_id, m.month],
            )
            con.execute(
                "INSERT INTO revisions VALUES (?, 'police_uk', ?, ?, ?, ?, ?, ?, ?, ?)",
                [now, m.force_id, f"{m.month:%Y-%m} {m.kind}", old_load, load_id, old_rows, m.rows,
                 float(old_rows), float(m.rows)],
            )


def unchanged_members(store: Store, members: Iterable[Member]) -> set[tuple[str, str, date]]:
    """Keys already stored with byte-identical content: loading them again would change nothing."""
    rows = store.con.execute(
        "SELECT kind, force_id, month, crc32 FROM load_members WHERE superseded_by IS NULL"
    ).fetchall()
    held = {(k, f, mo): crc for k, f, mo, crc in rows}
    return {m.key for m in members if held.get(m.key) == m.crc32}


def ingest_police_uk(store: Store, path: Path, *,
                     progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Load one archive, folder or CSV. Returns a summary for the CLI."""
    batch = discover(path)
    seen: dict[tuple[str, str, date], Member] = {}
    for m in batch.members:
        if m.key in seen:
            raise InputError(path, f"two files for {m.force_id} {m.month:%Y-%m} {m.kind}: "
                                   f"{seen[m.key].name} and {m.name}")
        seen[m.key] = m
    if store.find_load_by_checksum(batch.sha256) is not None:
        return {"path": str(path), "status": "unchanged", "rows": 0, "members": len(batch.members)}
    same = unchanged_members(store, batch.members)
    todo = [m for m in batch.members if m.key not in same]
    if not todo:
        return {"path": str(path), "status": "unchanged", "rows": 0, "members": len(batch.members)}
    scratch_root = os.environ.get("SCORECARD_SCRATCH") or None
    with tempfile.TemporaryDirectory(prefix="scorecard-", dir=scratch_root) as scratch:
        extract(batch, todo, Path(scratch), progress)
        with store.transaction():
            load_id = store.next_load_id()
            rows = load_batch(store, batch, load_id, todo)
            store.con.executemany(
                "INSERT INTO load_members VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                [[load_id, m.name, m.crc32, m.kind, m.force_id, m.month, m.rows] for m in todo],
            )
            replace_superseded(store, load_id, todo)
            months = sorted({m.month for m in todo})
            forces = sorted({m.force_id for m in todo})
            kinds = sorted({m.kind for m in todo})
            covers = (f"{months[0]:%Y-%m}" + (f" to {months[-1]:%Y-%m}" if len(months) > 1 else "")
                      + f", {len(forces)} force{'s' if len(forces) != 1 else ''}, {', '.join(kinds)}")
            store.record_load(load_id=load_id, path=str(path), sha256=batch.sha256, size=batch.size,
                              kind=batch.kind, dataset="police_uk", rows=rows, covers=covers,
                              first_month=months[0], last_month=months[-1], warnings=batch.warnings)
    # Write the archive's rows out now rather than at close: a checkpoint deferred over
    # nine archives took DuckDB's memory past 1 GB (see docs/benchmarks.md).
    store.con.execute("CHECKPOINT")
    return {"path": str(path), "status": "loaded", "load_id": load_id, "rows": rows,
            "members": len(todo), "skipped_unchanged": len(same), "covers": covers,
            "warnings": batch.warnings}
