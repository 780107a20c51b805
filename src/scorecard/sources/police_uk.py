"""data.police.uk street, outcomes and stop-and-search files: archives, folders or CSVs.

These are the only row-level inputs (three million rows for nine months), so they take
a different path from the aggregate sources: members are inflated once into a scratch
folder (on a thread per core) and DuckDB reads every file of a command straight into the
store in one statement per file kind, inside one transaction, with every column declared.
Each path is still its own load, with its own provenance and revisions.  Declaring the
dialect matters for correctness, not only speed: with automatic detection DuckDB 2.0
silently dropped every 2024 file when reading them together with 2018 files.

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
import stat
import struct
import tempfile
import threading
import types
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import pyarrow as pa

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
    load_id: int = 0  # the load (one per path) this member goes in under
    index: int = 0  # position among the members loaded together

    @property
    def label(self) -> str:
        return f"{self.source}!{self.name}" if self.info is not None else str(self.source)

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.kind, self.force_id, self.month)

    @property
    def weight(self) -> int:
        """Its share of the input's size (compressed, for an archive member): progress units."""
        return self.info.compress_size if self.info is not None else self.size


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


def csv_files_under(folder: Path, skipped: list[str] | None = None) -> list[Path]:
    """The regular ``*.csv`` files under ``folder``, sorted, without following links to folders
    (a link loop must not hang the walk).  Anything else named ``*.csv`` — a FIFO, a device,
    a link to one, a dangling link — is never opened: it is listed in ``skipped``."""
    found: list[Path] = []
    for root, _dirs, files in os.walk(folder, followlinks=False):
        for name in files:
            if not name.lower().endswith(".csv"):
                continue
            path = Path(root) / name
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:
                regular = False
            if regular:
                found.append(path)
            elif skipped is not None:
                skipped.append(f"{path}: not a regular file (a pipe, device or broken link); skipped")
    return sorted(found)


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

#: Members are inflated and written in pieces of this size: no buffer the size of a member
#: (the Met's monthly file is 70 MB), and pieces small enough for the allocator to reuse.
PIECE_BYTES = 1024 * 1024


def _inflate_pieces(archive: Path, info: zipfile.ZipInfo, fh: Any) -> Iterator[bytes]:
    """One member's bytes, piece by piece, then a check of its size and CRC; raw deflate
    through ISA-L when available."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        yield from _stored_pieces(archive, info)
        return
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise InputError(archive, f"{info.filename}: archive is truncated or corrupt (bad local header)")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    pending = fh.read(info.compress_size)
    if len(pending) < info.compress_size:
        raise InputError(archive, f"{info.filename}: archive is truncated")
    inflater = _inflate_lib.decompressobj(-15)
    crc = size = 0
    while True:
        try:
            piece: bytes = inflater.decompress(pending, PIECE_BYTES)
        except Exception as exc:
            raise InputError(archive, f"{info.filename}: corrupt compressed data ({exc})") from exc
        if not piece:
            break
        pending = inflater.unconsumed_tail
        size += len(piece)
        # Never inflate more than the member declares: a forged size must not let a
        # small archive fill the disk before the CRC check could refuse it.
        if size > info.file_size:
            raise InputError(archive, f"{info.filename}: inflates to more than the {info.file_size:,} bytes "
                                      "the archive declares for it; refusing it (a zip bomb?)")
        crc = _inflate_lib.crc32(piece, crc)
        yield piece
    if size != info.file_size or crc != info.CRC:
        raise InputError(archive, f"{info.filename}: archive is truncated or corrupt (CRC mismatch)")


def _stored_pieces(archive: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member stored without compression (or another method): zipfile reads and checks it."""
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(info) as member:
            while piece := member.read(PIECE_BYTES):
                yield piece
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        problem = "CRC mismatch" if "CRC" in str(exc) else str(exc)
        raise InputError(archive, f"{info.filename}: archive is truncated or corrupt ({problem})") from exc


_NOT_SPACE = re.compile(rb"\S")


def _check_text(label: str, data: bytes, kind: str) -> None:
    """Header present and right, whole file valid UTF-8: cheap checks with exact line numbers."""
    if _NOT_SPACE.search(data) is None:
        raise InputError(label, "empty file: expected a header line and data rows", 1)
    if not data.isascii():  # published files are ASCII: the full decode is only for the rare others
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(label, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                    "data.police.uk files are UTF-8 — was it re-saved in another encoding?",
                             line) from None
    end = data.find(b"\n")
    end = len(data) if end < 0 else end
    first = data[:end].decode("utf-8").lstrip("\ufeff").strip()
    expected = ",".join(HEADERS[kind])
    if first != expected:
        if first.split(",")[0] != HEADERS[kind][0]:
            raise InputError(label, f"header line missing or wrong: expected {expected!r}, "
                                    f"found {first[:120]!r}", 1)
        raise InputError(label, f"header does not match the {kind} layout: expected {expected!r}, "
                                f"found {first[:200]!r}", 1)
    if _NOT_SPACE.search(data, end) is None:
        raise InputError(label, "no data rows after the header line: a data.police.uk file always has some; "
                                "was the download cut short?", 2)


def _extract_member(m: Member, scratch: Path) -> None:
    """Check one member and make it readable by DuckDB: archives into ``scratch``, files in place."""
    if m.info is None:
        _check_text(m.label, m.source.read_bytes(), m.kind)
        m.extracted = m.source
        return
    target = scratch / f"{m.index:06d}-{PurePosixPath(m.name).name}"
    head, ascii_only = b"", True
    with m.source.open("rb") as fh, target.open("wb") as out:
        for piece in _inflate_pieces(m.source, m.info, fh):  # size and CRC are checked before the text
            head = head or piece
            ascii_only = ascii_only and piece.isascii()
            out.write(piece)
    whole = len(head) == m.info.file_size
    try:
        # Published files are ASCII: then the first piece holds all a check needs to see.
        _check_text(m.label, head if ascii_only else target.read_bytes(), m.kind)
    except InputError:
        if not ascii_only or whole:
            raise
        _check_text(m.label, target.read_bytes(), m.kind)  # a first piece of only blanks: look at it all
    m.extracted = target


def _workers() -> int:
    """Inflating (ISA-L), hashing and writing release the GIL, so a thread per core pays."""
    return max(1, min(4, os.cpu_count() or 1))


def extract(members: list[Member], scratch: Path, progress: Callable[[int], None] | None = None) -> None:
    """Extract and check ``members`` on a few threads; the first bad one, in order, is reported.

    Progress counts half of each member's weight here and the other half as DuckDB loads it.
    """
    with ThreadPoolExecutor(_workers()) as pool:
        futures = [pool.submit(_extract_member, m, scratch) for m in members]
        try:
            for m, fut in zip(members, futures, strict=True):
                fut.result()
                if progress:
                    progress(m.weight // 2)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


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


@contextmanager
def _reporting(store: Store, members: list[Member],
               progress: Callable[[int], None] | None) -> Iterator[None]:
    """Advance ``progress`` through the members' second halves as DuckDB reports its progress
    on the statement running meanwhile (polled from a thread; see ``Store.loading``)."""
    total = sum(m.weight - m.weight // 2 for m in members)
    if progress is None:
        yield
        return
    con, done, stop = store.con, 0, threading.Event()

    def poll() -> None:
        nonlocal done
        while not stop.wait(0.2):
            percent = con.query_progress()
            if percent > 0:
                target = min(total, int(total * percent / 100))
                if target > done:
                    progress(target - done)
                    done = target

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        yield
    finally:
        stop.set()
        poller.join()
    progress(total - done)


def _insert_rows(store: Store, members: list[Member], progress: Callable[[int], None] | None = None) -> None:
    """One ``INSERT … read_csv`` per kind over every member of the command, each row tagged
    with its own member's load.

    One statement matters for speed: DuckDB writes each statement's rows optimistically and
    rewrites them at checkpoint when several statements append to a table, which made nine
    archives 40% slower as nine statements, even inside one transaction (docs/benchmarks.md).
    Every row's month is checked against its own file's name as it is inserted (checking
    per force and month afterwards would let a row of one month hide in another file of the
    same force when a folder holds several months).
    """
    con = store.con
    for kind in KINDS:
        ms = [m for m in members if m.kind == kind]
        if not ms:
            continue
        table, select = _SELECTS[kind]
        con.register("_members_arrow", pa.table({
            "path": [str(m.extracted) for m in ms],
            "member": list(range(len(ms))),
            "load_id": [m.load_id for m in ms],
            "force_id": [m.force_id for m in ms],
            "month": [m.month for m in ms],
            "month_text": [m.month.strftime("%Y-%m") for m in ms],
        }))
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE _members AS SELECT * FROM _members_arrow")
        finally:
            con.unregister("_members_arrow")
        month = (f"CASE WHEN {_MONTH_SOURCE[kind]} IS NOT DISTINCT FROM f.month_text THEN f.month "
                 f"ELSE error('{_MONTH_MISMATCH}' || f.member) END")
        try:
            with _reporting(store, ms, progress):
                con.execute(
                    f"""INSERT INTO {table}
                        SELECT f.load_id, f.force_id, {month}, {select}
                        FROM read_csv(?, columns = ?, {_CSV_OPTIONS}, filename = true) r
                        JOIN _members f ON r.filename = f.path""",
                    [[str(m.extracted) for m in ms], _columns(kind)],
                )
        except duckdb.Error as exc:
            mismatch = _MONTH_MISMATCH_RE.search(str(exc))
            if mismatch:
                raise _locate_bad_month(ms[int(mismatch.group(1))]) from None
            raise _csv_error(exc, ms) from None
        # Rows per file: load, force and month identify it, since all three were checked.
        counts = con.execute(
            f"""SELECT load_id, force_id, month, count(*) FROM {table}
                WHERE list_contains(?, load_id) GROUP BY ALL""",
            [sorted({m.load_id for m in ms})],
        ).fetchall()
        by_key = {(m.load_id, m.force_id, m.month): m for m in ms}
        for load_id, force_id, month_start, n in counts:
            by_key[(load_id, force_id, month_start)].rows = int(n)
        con.execute("DROP TABLE _members")


def _record_members(store: Store, members: list[Member]) -> None:
    con = store.con
    con.register("_load_members_arrow", pa.table({
        "load_id": pa.array([m.load_id for m in members], pa.int64()),
        "member": [m.name for m in members],
        "crc32": [m.crc32 for m in members],
        "kind": [m.kind for m in members],
        "force_id": [m.force_id for m in members],
        "month": [m.month for m in members],
        "rows": pa.array([m.rows for m in members], pa.int64()),
    }))
    try:
        con.execute("INSERT INTO load_members SELECT *, NULL FROM _load_members_arrow")
    finally:
        con.unregister("_load_members_arrow")


def replace_superseded(store: Store, load_ids: list[int]) -> None:
    """Delete stored rows of force-months these loads replace, recording each revision.

    Runs inside the load's transaction, after its rows and members are in: a force-month
    is never missing, and never held twice, as seen from outside.
    """
    con = store.con
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _superseded AS
           SELECT o.load_id AS old_load, o.kind, o.force_id, o.month, o.rows AS old_rows,
                  n.load_id AS new_load, n.rows AS new_rows
           FROM load_members n JOIN load_members o
             ON o.kind = n.kind AND o.force_id = n.force_id AND o.month = n.month
           WHERE list_contains($ids, n.load_id) AND NOT list_contains($ids, o.load_id)
             AND o.superseded_by IS NULL""",
        {"ids": load_ids},
    )
    for kind in KINDS:
        con.execute(f"""DELETE FROM {_SELECTS[kind][0]} t USING _superseded s
                        WHERE s.kind = ? AND t.load_id = s.old_load AND t.force_id = s.force_id
                          AND t.month = s.month""", [kind])
    con.execute("""UPDATE load_members SET superseded_by = s.new_load FROM _superseded s
                   WHERE load_members.load_id = s.old_load AND load_members.kind = s.kind
                     AND load_members.force_id = s.force_id AND load_members.month = s.month""")
    con.execute(
        """INSERT INTO revisions
           SELECT ?, 'police_uk', force_id, strftime(month, '%Y-%m') || ' ' || kind, old_load, new_load,
                  old_rows, new_rows, old_rows, new_rows
           FROM _superseded ORDER BY new_load, kind, force_id, month, old_load""",
        [datetime.now().replace(microsecond=0)],
    )
    con.execute("DROP TABLE _superseded")


def unchanged_members(store: Store, members: Iterable[Member]) -> set[tuple[str, str, date]]:
    """Keys already stored with byte-identical content: loading them again would change nothing."""
    rows = store.con.execute(
        "SELECT kind, force_id, month, crc32 FROM load_members WHERE superseded_by IS NULL"
    ).fetchall()
    held = {(k, f, mo): crc for k, f, mo, crc in rows}
    return {m.key for m in members if held.get(m.key) == m.crc32}


# --- one command's paths --------------------------------------------------------------------

#: Paths given together load in one transaction, up to this much CSV (override:
#: SCORECARD_BATCH_BYTES); a longer command is split into transactions of about this size,
#: which bounds the scratch space extraction needs.
BATCH_BYTES = int(os.environ.get("SCORECARD_BATCH_BYTES", str(4 * 1024**3)))
#: DuckDB's memory limit while loading (override: SCORECARD_INGEST_MEMORY).  Left at its
#: default (80% of RAM) DuckDB holds on to what it reads: 1.1 GiB for 4 GiB of CSV, where
#: 512 MB keeps that under 600 MiB at the same speed (docs/benchmarks.md).
INGEST_MEMORY = os.environ.get("SCORECARD_INGEST_MEMORY", "512MB")


def _check_no_repeats(batch: PoliceUkBatch) -> None:
    seen: dict[tuple[str, str, date], Member] = {}
    for m in batch.members:
        if m.key in seen:
            raise InputError(batch.path, f"two files for {m.force_id} {m.month:%Y-%m} {m.kind}: "
                                         f"{seen[m.key].name} and {m.name}")
        seen[m.key] = m


def _groups(batches: list[PoliceUkBatch]) -> list[list[PoliceUkBatch]]:
    """Consecutive paths that can share one transaction: no force-month-kind twice (a later
    file for it must replace the earlier one as a revision) and not too much to extract."""
    groups: list[list[PoliceUkBatch]] = []
    keys: set[tuple[str, str, date]] = set()
    size = 0
    for batch in batches:
        batch_keys = {m.key for m in batch.members}
        batch_size = sum(m.size for m in batch.members)
        if not groups or keys & batch_keys or (size + batch_size > BATCH_BYTES and groups[-1]):
            groups.append([])
            keys, size = set(), 0
        groups[-1].append(batch)
        keys |= batch_keys
        size += batch_size
    return groups


def _covers(members: list[Member]) -> str:
    months = sorted({m.month for m in members})
    forces = sorted({m.force_id for m in members})
    kinds = sorted({m.kind for m in members})
    return (f"{months[0]:%Y-%m}" + (f" to {months[-1]:%Y-%m}" if len(months) > 1 else "")
            + f", {len(forces)} force{'s' if len(forces) != 1 else ''}, {', '.join(kinds)}")


@dataclass
class _Pending:
    """A path of the group with members to load, and what its summary will say."""

    batch: PoliceUkBatch
    members: list[Member]
    skipped: int
    summary: dict[str, Any]


def _load_group(store: Store, group: list[PoliceUkBatch],
                progress: Callable[[int], None] | None) -> list[dict[str, Any]]:
    """Load a group of paths in one transaction: all of them, or (on any error) none."""
    summaries: list[dict[str, Any]] = []
    pending: list[_Pending] = []
    for batch in group:
        summaries.append({"path": str(batch.path), "status": "unchanged", "rows": 0,
                          "members": len(batch.members)})
        if any(p.batch.sha256 == batch.sha256 for p in pending) or store.find_load_by_checksum(batch.sha256):
            continue
        same = unchanged_members(store, batch.members)
        members = [m for m in batch.members if m.key not in same]
        if members:
            pending.append(_Pending(batch, members, len(same), summaries[-1]))
    everything = [m for p in pending for m in p.members]
    for i, m in enumerate(everything):
        m.index = i
    if not everything:
        return summaries
    scratch_root = os.environ.get("SCORECARD_SCRATCH") or None
    with tempfile.TemporaryDirectory(prefix="scorecard-", dir=scratch_root) as scratch, \
            store.loading(memory_limit=INGEST_MEMORY, track_progress=progress is not None):
        extract(everything, Path(scratch), progress)
        with store.transaction():
            load_ids = []
            for p in pending:
                load_ids.append(store.next_load_id())
                for m in p.members:
                    m.load_id = load_ids[-1]
            _insert_rows(store, everything, progress)
            _record_members(store, everything)
            replace_superseded(store, load_ids)
            for p, load_id in zip(pending, load_ids, strict=True):
                rows = sum(m.rows for m in p.members)
                months = sorted({m.month for m in p.members})
                covers = _covers(p.members)
                store.record_load(load_id=load_id, path=str(p.batch.path), sha256=p.batch.sha256,
                                  size=p.batch.size, kind=p.batch.kind, dataset="police_uk", rows=rows,
                                  covers=covers, first_month=months[0], last_month=months[-1],
                                  warnings=p.batch.warnings)
                p.summary.update(
                    status="loaded", load_id=load_id, rows=rows, members=len(p.members),
                    skipped_unchanged=p.skipped, covers=covers, warnings=p.batch.warnings)
    # Write the rows out now rather than at close: a checkpoint deferred over several
    # loads took DuckDB's memory past 1 GB (see docs/benchmarks.md).
    store.con.execute("CHECKPOINT")
    return summaries


def discover_all(paths: list[Path]) -> list[PoliceUkBatch]:
    """Discover several paths on a few threads (hashing dominates); the first bad one, in order."""
    with ThreadPoolExecutor(_workers()) as pool:
        batches = list(pool.map(discover, paths))
    for batch in batches:
        _check_no_repeats(batch)
    return batches


def ingest_police_uk_paths(store: Store, paths: list[Path], *,
                           progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Load archives, folders or CSVs given together, yielding a summary per path as each
    transaction commits.

    Paths given together are one transaction (split only when a force-month repeats or the
    command holds more than ``BATCH_BYTES`` of CSV): a bad file anywhere leaves the store as
    it was before that transaction, and one statement per file kind loads them all.
    """
    for group in _groups(discover_all(paths)):
        yield from _load_group(store, group, progress)


def ingest_police_uk(store: Store, path: Path, *,
                     progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Load one archive, folder or CSV. Returns a summary for the CLI."""
    (summary,) = ingest_police_uk_paths(store, [path], progress=progress)
    return summary
