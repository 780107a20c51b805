"""data.police.uk street, outcomes and stop-and-search files: archives, folders or CSVs.

These are the only row-level inputs (three million rows for nine months), so they take
a different path from the aggregate sources: DuckDB reads every file of a command straight
into the store in one statement per file kind, inside one transaction, with every column
declared, and each archive member reaches it through a named pipe, inflated and checked on
a thread as it is read (``_Feed``), so no member is written to disk and a command is one
transaction whatever its size.  Where the platform has no named pipes, members are inflated
into a scratch folder first and a long command is split (``BATCH_BYTES``).
Each path is still its own load, with its own provenance and revisions.  Declaring the
dialect matters for correctness, not only speed: with automatic detection DuckDB 2.0
silently dropped every 2024 file when reading them together with 2018 files.

Files are identified by the names data.police.uk gives them,
``YYYY-MM/YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv``; the month and force in
the name are checked against the rows.  A member whose force, month and kind is already
stored with the same CRC is skipped; one with different content replaces the stored
rows and is recorded as a revision.

What is checked, and why each check is cheap enough to run on every load:

* **Text.**  Every byte of every member is looked at as it is inflated: UTF-8 (decoded only
  when a piece is not plain ASCII, which published files are), no control characters (a NUL
  or an escape byte is damage, not data; tab, CR and LF are ordinary), a header line that is
  the kind's layout, and at least one row.  A problem is reported with its line.
* **Rows**, inside the one ``INSERT`` per kind, so that nothing is read twice: each street and
  outcomes row's month and "Reported by" must be those of its file's name (a force is
  matched exactly against a few spellings first, and only a row that misses them all is
  normalised as ``scorecard.areas`` does, so a real file pays almost nothing); a crime or
  outcome type must be present; coordinates must be numbers in range; a stop-and-search
  "Date" must be a real timestamp of its file's month.  A row that fails raises DuckDB's
  ``error()``; the first failing row is then found, with its line, on a connection of its own.
* **Stop-and-search locations.**  Those files carry no force column, so their force is
  checked by place: a sample of up to ``AREA_SAMPLE`` located rows per file is tested against
  the named force's boundary (ONS, bundled as ``data/lookups/force-areas.json.gz``), and a
  file is refused when at least ``AREA_MIN_LOCATED`` rows are located and most of them (more
  than half) lie outside.  Measured with this very check on the real 2019-12, 2020-01 and
  2020-02 archives: 96.1-100% of the located rows lie inside their force's area for
  Derbyshire, Durham, Essex, Leicestershire and Merseyside, and 68.8-70.2% for the City of
  London, whose officers often stop people just across its one-square-mile boundary; South
  Yorkshire's files and the Thames Valley custom download's have no located rows, so they are
  not checked.  The same December 2019 files under a neighbour's name have at most 1% of their
  rows inside it (Derbyshire as Nottinghamshire, Durham as Cleveland, Merseyside as Cheshire),
  and the City of London's as the Metropolitan Police's 26.9%.  British Transport Police and
  Northern Ireland have no area here and are not checked.
* **Archives** are read with bounded work: at most ``MAX_MEMBERS`` entries; no two entries
  with one name and no entry overlapping another (each entry's local header is read, once);
  no member to be read that is encrypted or compressed by anything but stored or deflate;
  none inflating more than ``MAX_COMPRESSION_RATIO`` times its compressed size, and members
  adding up to no more than ``MAX_ARCHIVE_RATIO`` times the archive's own size (real
  archives: 3.9 to 16.7) nor ``MAX_UNZIPPED_BYTES``; and never more bytes inflated than an
  entry declares.  Each entry is read from its own local header, so the time grows linearly
  with the number of entries (20,000 stored members take four times as long as 5,000).
* **Folders** are walked without following links to folders (a link loop cannot hang it),
  and anything named ``*.csv`` that is not a regular file — a pipe, a device, a socket, a
  dangling link — is never opened: it is skipped with a warning.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import tempfile
import threading
import types
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

import duckdb

from scorecard import files, street_counts
from scorecard.areas import find_force, forces
from scorecard.characters import FORBIDDEN
from scorecard.errors import InputError, StoreError, UnknownForce
from scorecard.store import Store, crime_hash_sql, crime_id_text_sql

if TYPE_CHECKING:  # imported where used: a street or outcomes load never needs pyarrow
    import pyarrow as pa

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

#: data.police.uk publishes from December 2010; a file name outside these years is a typo.
FIRST_YEAR = 2010

#: Refuse archives that would inflate to more than this (override: SCORECARD_MAX_UNZIPPED_BYTES).
MAX_UNZIPPED_BYTES = int(os.environ.get("SCORECARD_MAX_UNZIPPED_BYTES", str(16 * 1024**3)))
#: Police CSVs compress about 5:1 (at most 26:1 for one member); a member claiming far more is a zip bomb.
MAX_COMPRESSION_RATIO = 200
#: What an archive's members may add up to, as a multiple of the archive's own size.  Real
#: monthly archives are 4.7-4.9, the stop-and-search ones 15.8-16.7, a custom download 3.9;
#: a bomb of many members, each under the per-member ratio (or all pointing at the same
#: bytes), is far above.
MAX_ARCHIVE_RATIO = 100
#: Entries one archive may hold.  A monthly archive holds about 45 forces x 3 kinds (130);
#: one covering three years about 5,000.
MAX_MEMBERS = 50_000

#: The dialect, declared.  The buffer is DuckDB's per file being read (32 MiB by default): a
#: streamed member cannot be split between threads, so a load reads as many files at once as
#: DuckDB has threads, and sixteen default buffers alone filled the 512 MB memory limit.  With
#: the buffer set, the longest line allowed must be set too (DuckDB's default, 2 MiB).
_CSV_OPTIONS = ("header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, max_line_size = 2097152, buffer_size = 8388608")


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
    data_offset: int = 0  # where an archive member's compressed bytes start
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
    month_num, year = int(m["month"]), int(m["year"])
    if not 1 <= month_num <= 12:
        raise InputError(source, f"{name}: month {m['month']} in the file name is not a month")
    last_year = date.today().year + 1
    if not FIRST_YEAR <= year <= last_year:
        raise InputError(source, f"{name}: year {m['year']} in the file name is not one data.police.uk "
                                 f"publishes ({FIRST_YEAR} to {last_year})")
    return m["kind"], force_id, date(year, month_num, 1)


def _check_member_path(archive: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise InputError(archive, f"unsafe path in archive: {name!r} would be written outside the "
                                  "target folder")


def _open_regular(path: Path) -> IO[bytes]:
    """Open ``path`` for reading only if it is a regular file: a pipe swapped in after the
    folder was listed must not block the load, nor a device feed it forever."""
    return files.open_regular(path, what="data.police.uk file")


def _file_chunks(path: Path, size: int = 4 * 1024 * 1024) -> Iterator[bytes]:
    with _open_regular(path) as f:
        while chunk := f.read(size):
            yield chunk


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    for chunk in _file_chunks(path):
        h.update(chunk)
    return h.hexdigest()


def _crc_of(path: Path) -> str:
    crc = 0
    for chunk in _file_chunks(path):
        crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def looks_like_police_uk_csv(path: Path) -> bool:
    try:
        with _open_regular(path) as f:
            first = f.readline(4096).decode("utf-8-sig", errors="replace").strip()
    except (OSError, InputError):
        return False
    return any(first == ",".join(h) for h in HEADERS.values()) or NAME_RE.match(path.name) is not None


def zip_has_police_uk_members(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(NAME_RE.match(PurePosixPath(n).name) for n in zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return False


def discover(path: Path) -> PoliceUkBatch:
    """Find the data.police.uk CSVs in a zip, a folder or a single CSV, checking names and sizes."""
    if path.is_dir():
        return _discover_folder(path)
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


def _summarised(notes: list[str], what: str, shown: int = 5) -> list[str]:
    """At most ``shown`` notes, then one line for the rest: an archive of 50,000 stray
    files must not become 50,000 warnings in the store."""
    if len(notes) <= shown:
        return notes
    return [*notes[:shown], f"… and {len(notes) - shown:,} more {what}"]


def _discover_folder(path: Path) -> PoliceUkBatch:
    """A folder's regular, police-named CSVs, each read once here for its CRC; anything else is
    skipped with a warning.  The folder's checksum is over those files' names and CRCs, so the
    same files given again are recognised without a second pass."""
    skipped: list[str] = []
    not_police: list[str] = []
    members: list[Member] = []
    for csv_path in csv_files_under(path, skipped):
        parsed = parse_member_name(csv_path.name, source=csv_path)
        if parsed is None:
            not_police.append(f"{csv_path}: not a data.police.uk file name; skipped")
            continue
        size = csv_path.stat().st_size
        members.append(Member(csv_path, csv_path.name, *parsed, crc32=_crc_of(csv_path), size=size))
    warnings = _summarised(skipped, "entries that are not regular files") + _summarised(
        not_police, "files that are not data.police.uk files")
    if not members:
        because = f" ({'; '.join(warnings[:3])})" if warnings else ""
        raise InputError(path, "folder holds no data.police.uk CSV files (YYYY-MM-<force>-street.csv …)"
                               + because)
    digest = hashlib.sha256()
    for m in members:
        digest.update(f"{m.source.relative_to(path)}\0{m.crc32}\n".encode())
    return PoliceUkBatch(path, digest.hexdigest(), sum(m.size for m in members), "police_uk_folder",
                         members, warnings)


def csv_files_under(folder: Path, skipped: list[str] | None = None) -> list[Path]:
    """The regular ``*.csv`` files under ``folder``, sorted, without following links to folders
    (a link loop must not hang the walk) and without recursion (``os.walk`` recurses, so a
    folder nested a thousand deep would exhaust Python's stack).  Anything else named
    ``*.csv`` — a FIFO, a device, a link to one, a dangling link — is never opened: it is
    listed in ``skipped``, as is a folder that cannot be listed."""
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            if skipped is not None:
                skipped.append(f"{current}: cannot be listed ({exc.strerror or exc}); skipped")
            continue
        for entry in entries:
            if _is_real_folder(entry):
                pending.append(Path(entry.path))
                continue
            if not entry.name.lower().endswith(".csv"):
                continue
            path = Path(entry.path)
            try:
                regular = stat.S_ISREG(path.stat().st_mode)  # a link to a regular file is one
            except OSError:
                regular = False
            if regular:
                found.append(path)
            elif skipped is not None:
                skipped.append(f"{path}: not a regular file (a pipe, device, socket, folder link or broken "
                               "link); skipped")
    return sorted(found)


def _is_real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


# --- archives: bounded work whatever the archive holds ------------------------------------

_LOCAL_HEADER = struct.Struct("<4s5H3I2H")  # signature … file name length, extra field length
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "deflate64", 93: "Zstandard"}


def open_archive(path: Path) -> zipfile.ZipFile:
    """``zipfile.ZipFile(path)``, with every way a damaged directory fails as an InputError."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError) as exc:
        raise InputError(path, f"not a complete zip archive (truncated or corrupt?): {exc}") from None


def check_archive(path: Path, zf: zipfile.ZipFile, fh: IO[bytes]) -> dict[int, int]:
    """Check an archive's structure before anything is inflated: how many entries, safe and
    unique names, and no entry overlapping another or the directory.  Returns where each
    entry's data starts (by its local header's offset), read from its local header once.

    Overlapping entries are how a small archive inflates to a huge size while every entry
    looks modest: forty entries pointing at the same compressed bytes.
    """
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(path, f"archive has {len(infos):,} entries, more than the {MAX_MEMBERS:,} a "
                               "data.police.uk archive could hold; refusing it")
    names: set[str] = set()
    for info in infos:
        _check_member_path(path, info)
        if info.filename in names:
            raise InputError(path, f"{info.filename}: the archive holds two entries with this name; "
                                   "refusing it (which one would be meant?)")
        names.add(info.filename)
    data_offsets: dict[int, int] = {}
    end_of_previous, previous = 0, None
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end_of_previous:
            raise InputError(path, f"{info.filename}: entry overlaps {previous}; refusing the archive "
                                   "(a crafted zip?)")
        data_offsets[info.header_offset] = data_offset = _data_offset(path, info, fh)
        end_of_previous, previous = data_offset + info.compress_size, info.filename
    if end_of_previous > zf.start_dir:
        raise InputError(path, f"{previous}: entry runs into the archive's directory; refusing the archive "
                               "(truncated or crafted?)")
    return data_offsets


def _data_offset(path: Path, info: zipfile.ZipInfo, fh: IO[bytes]) -> int:
    """Where ``info``'s compressed bytes start, from its local header (whose name must be the
    directory's: an archive showing one name to a listing and another to a reader is refused)."""
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise InputError(path, f"{info.filename}: archive is truncated or corrupt (bad local header)")
    name_len, extra_len = (int(n) for n in _LOCAL_HEADER.unpack(header)[-2:])
    local_name = fh.read(name_len)
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        same = local_name == info.orig_filename.encode(encoding)
    except UnicodeEncodeError:
        same = False
    if not same:
        raise InputError(path, f"{info.filename}: its local header names it {local_name[:80]!r}; "
                               "refusing the archive (a crafted zip?)")
    return info.header_offset + _LOCAL_HEADER.size + name_len + extra_len


def check_member_readable(path: Path, info: zipfile.ZipInfo) -> None:
    """Refuse a member we cannot or should not inflate: encrypted, compressed by a method other
    than stored or deflate, or claiming a compression ratio no CSV has."""
    if info.flag_bits & 0x41:
        raise InputError(path, f"{info.filename}: the member is encrypted; data.police.uk archives "
                               "never are — give the archive as downloaded")
    if info.compress_type not in _METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise InputError(path, f"{info.filename}: compressed with {method}; only stored and deflate "
                               "members are read (re-zip it with an ordinary zip tool)")
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise InputError(path, f"{info.filename}: stored uncompressed but its sizes disagree "
                               f"({info.compress_size:,} and {info.file_size:,} bytes); archive is corrupt")
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
        raise InputError(path, f"{info.filename}: compression ratio "
                               f"{info.file_size / info.compress_size:,.0f}:1 looks like a zip bomb")
    if not info.compress_size and info.file_size:
        raise InputError(path, f"{info.filename}: claims {info.file_size:,} bytes from no compressed data")


def check_inflated_size(path: Path, infos: Iterable[zipfile.ZipInfo], archive_bytes: int) -> None:
    """What the members to be inflated add up to: within ``MAX_UNZIPPED_BYTES`` and within
    ``MAX_ARCHIVE_RATIO`` times the archive's own size."""
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(path, f"archive would inflate to more than {MAX_UNZIPPED_BYTES:,} bytes; "
                               "refusing it (set SCORECARD_MAX_UNZIPPED_BYTES to raise the limit)")
    if total > MAX_ARCHIVE_RATIO * max(archive_bytes, 1):
        raise InputError(path, f"members would inflate to {total:,} bytes, {total / max(archive_bytes, 1):,.0f} "
                               f"times the archive's {archive_bytes:,}; looks like a zip bomb, refusing it")


def _discover_zip(path: Path) -> PoliceUkBatch:
    batch = PoliceUkBatch(path, sha256_of(path), path.stat().st_size, "police_uk_zip")
    not_police: list[str] = []
    with open_archive(path) as zf, _open_regular(path) as fh:
        offsets = check_archive(path, zf, fh)
        for info in zf.infolist():
            if info.is_dir():
                continue
            parsed = parse_member_name(info.filename, source=path)
            if parsed is None:
                not_police.append(f"{path}!{info.filename}: not a data.police.uk file; skipped")
                continue
            check_member_readable(path, info)
            batch.members.append(Member(path, info.filename, *parsed, crc32=f"{info.CRC:08x}",
                                        size=info.file_size, info=info,
                                        data_offset=offsets[info.header_offset]))
    check_inflated_size(path, (m.info for m in batch.members if m.info is not None), batch.size)
    batch.warnings = _summarised(not_police, "members that are not data.police.uk files")
    if not batch.members:
        raise InputError(path, "archive holds no data.police.uk CSV files "
                               "(YYYY-MM/YYYY-MM-<force>-street.csv …)")
    return batch


# --- extraction and checks on raw bytes ---------------------------------------------------

#: Members are inflated and written in pieces of this size: no buffer the size of a member
#: (the Met's monthly file is 70 MB), and pieces small enough for the allocator to reuse.
PIECE_BYTES = 1024 * 1024


def member_pieces(archive: Path, info: zipfile.ZipInfo, data_offset: int,
                  fh: IO[bytes]) -> Generator[bytes, None, None]:
    """One member's bytes, piece by piece, read from where its data starts (no second parse of
    the directory per member), then a check of its size and CRC; raw deflate through ISA-L
    when available.  Never more bytes than the member declares: a forged size must not let
    a small archive fill the disk before the CRC check could refuse it."""
    check_member_readable(archive, info)
    fh.seek(data_offset)
    pieces = _stored(archive, info, fh) if info.compress_type == zipfile.ZIP_STORED else _inflated(archive, info, fh)
    crc = size = 0
    for piece in pieces:
        size += len(piece)
        if size > info.file_size:
            raise InputError(archive, f"{info.filename}: inflates to more than the {info.file_size:,} bytes "
                                      "the archive declares for it; refusing it (a zip bomb?)")
        crc = _inflate_lib.crc32(piece, crc)
        yield piece
    if size != info.file_size or crc != info.CRC:
        raise InputError(archive, f"{info.filename}: archive is truncated or corrupt (CRC mismatch)")


def _stored(archive: Path, info: zipfile.ZipInfo, fh: IO[bytes]) -> Iterator[bytes]:
    left = info.compress_size
    while left:
        piece = fh.read(min(left, PIECE_BYTES))
        if not piece:
            raise InputError(archive, f"{info.filename}: archive is truncated")
        left -= len(piece)
        yield piece


def _inflated(archive: Path, info: zipfile.ZipInfo, fh: IO[bytes]) -> Iterator[bytes]:
    """Inflate raw deflate, reading the compressed bytes a bounded piece at a time (a member
    of a gigabyte compressed must not be read into memory whole)."""
    inflater = _inflate_lib.decompressobj(-15)
    left, pending = info.compress_size, b""
    while True:
        if not pending and left:
            pending = fh.read(min(left, PIECE_BYTES))
            if not pending:
                raise InputError(archive, f"{info.filename}: archive is truncated")
            left -= len(pending)
        try:
            piece: bytes = inflater.decompress(pending, PIECE_BYTES)
        except Exception as exc:
            raise InputError(archive, f"{info.filename}: corrupt compressed data ({exc})") from exc
        pending = inflater.unconsumed_tail
        if piece:
            yield piece
        elif inflater.eof or pending or not left:  # nothing more can come out
            return


_NOT_SPACE = re.compile(rb"\S")
#: Bytes no data.police.uk file holds: C0 controls but tab, LF and CR, and DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
#: ``translate(None, delete)`` with these leaves only the bytes a check must look at.
_PLAIN_ASCII = bytes(b for b in range(0x80) if b not in _CONTROL_BYTES)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAX_HEADER_BYTES = 64 * 1024


class TextCheck:
    """The checks on a member's raw bytes, fed piece by piece as it is inflated or read.

    Published files are ASCII, so a piece is decoded only when it is not (and then every
    piece after it, since a character may straddle two); control bytes are looked for in every
    piece by ``bytes.translate`` deleting every plain ASCII byte, so that an empty result
    answers both questions at once.  Deleting writes nothing for a clean piece: 3.0 GB/s,
    against 1.65 for mapping control bytes to a non-ASCII one and testing ``isascii``, 0.34
    for a regular expression, 0.6 for pyarrow's RE2.  Lines are counted only when there is
    something to report: ``lines_before(n)`` counts the newlines in the first ``n`` bytes of
    the stream.  The first problem in the stream is the one reported.
    """

    def __init__(self, label: str, kind: str, lines_before: Callable[[int], int]) -> None:
        self.label, self.kind, self._lines_before = label, kind, lines_before
        self._offset = 0  # bytes fed before the current piece
        self._decoder: codecs.IncrementalDecoder | None = None
        self._head = b""
        self._header_done = False
        self._seen_text = False
        self._seen_row = False
        self._blank_first_line = False

    def feed(self, piece: bytes) -> None:
        if self._decoder is None and not piece.translate(None, _PLAIN_ASCII):
            control = None  # the usual case, in one pass: plain ASCII with no control bytes
        elif piece.translate(None, _NOT_CONTROL):
            control = _CONTROL_RE.search(piece)
        else:
            control = None
        if control is None:
            self._check_encoding(piece)
        else:
            at = control.start()
            self._check_encoding(piece[:at], current=piece)  # an encoding error before it comes first
            self._fail_at(self._offset + at, f"control character 0x{piece[at]:02x} in the text; data.police.uk "
                          "files hold none (is the file damaged, or not UTF-8 text?)", piece)
        self._seen_text = self._seen_text or _NOT_SPACE.search(piece) is not None
        start = 0
        if not self._header_done:
            start = self._take_header(piece)
        if self._header_done and not self._seen_row:
            self._seen_row = _NOT_SPACE.search(piece, start) is not None
            if self._seen_row and self._blank_first_line:
                self._check_header(b"")
        self._offset += len(piece)

    def finish(self) -> None:
        if self._decoder is not None:
            self._decode(b"", final=True)
        if not self._seen_text:
            raise InputError(self.label, "empty file: expected a header line and data rows", 1)
        if not self._header_done:
            self._check_header(self._head)
            self._header_done = True
        if not self._seen_row:
            raise InputError(self.label, "no data rows after the header line: a data.police.uk file always has "
                                         "some; was the download cut short?", 2)

    def _check_encoding(self, piece: bytes, current: bytes | None = None) -> None:
        if self._decoder is None:
            if piece.isascii():
                return
            self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._decode(piece, final=False, current=piece if current is None else current)

    def _decode(self, data: bytes, *, final: bool, current: bytes = b"") -> None:
        assert self._decoder is not None
        carried = len(self._decoder.getstate()[0])
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            at = self._offset - carried + exc.start
            byte = (exc.object[exc.start] if exc.start < len(exc.object) else 0)
            self._fail_at(max(at, 0), f"not UTF-8 text (byte 0x{byte:02x} at offset {max(at, 0)}); data.police.uk "
                          "files are UTF-8 — was it re-saved in another encoding?", current)
        found = FORBIDDEN.search(text)  # C1 controls and bidirectional overrides, beyond the C0 bytes
        if found:
            at = self._offset - carried + len(text[:found.start()].encode("utf-8"))
            self._fail_at(max(at, 0), f"control character U+{ord(found.group()):04X} in the text; data.police.uk "
                          "files hold none", current)

    def _take_header(self, piece: bytes) -> int:
        """Collect the header line; check it once whole.  Returns where the rows start in ``piece``."""
        end = piece.find(b"\n")
        if end < 0:
            self._head += piece
            if len(self._head) > _MAX_HEADER_BYTES:
                self._check_header(self._head[:_MAX_HEADER_BYTES])
            return len(piece)
        self._head += piece[:end]
        self._header_done = True
        if self._head.strip() or _NOT_SPACE.search(piece, end) is not None:
            self._check_header(self._head)  # a blank first line is only wrong if text follows
        else:
            self._blank_first_line = True
        return end + 1

    def _check_header(self, line: bytes) -> None:
        first = line.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
        expected = ",".join(HEADERS[self.kind])
        if first == expected:
            return
        if first.split("\r")[0].strip() == expected:
            raise InputError(self.label, "lines end in a carriage return alone (old Mac line endings); "
                                         "save it with LF or CRLF line endings", 1)
        if first.split(",")[0] != HEADERS[self.kind][0]:
            raise InputError(self.label, f"header line missing or wrong: expected {expected!r}, "
                                         f"found {first[:120]!r}", 1)
        raise InputError(self.label, f"header does not match the {self.kind} layout: expected {expected!r}, "
                                     f"found {first[:200]!r}", 1)

    def _fail_at(self, offset: int, problem: str, current: bytes) -> None:
        in_piece = offset - self._offset
        if 0 <= in_piece <= len(current):
            line = self._lines_before(self._offset) + current.count(b"\n", 0, in_piece) + 1
        else:
            line = self._lines_before(offset) + 1
        raise InputError(self.label, problem, line)


def _newlines_in(path: Path, limit: int) -> int:
    """Newlines in the first ``limit`` bytes of ``path`` (only ever counted to report a line)."""
    count = 0
    with path.open("rb") as f:
        while limit > 0 and (chunk := f.read(min(limit, 4 * 1024 * 1024))):
            count += chunk.count(b"\n")
            limit -= len(chunk)
    return count


def _newlines_in_member(m: Member, limit: int) -> int:
    """Newlines in the first ``limit`` bytes of a member, inflated again from its archive
    (only ever counted to report a line; a member streamed to DuckDB is on no disk)."""
    if m.info is None:
        return _newlines_in(m.source, limit)
    count = 0
    with _open_regular(m.source) as fh:
        pieces = member_pieces(m.source, m.info, m.data_offset, fh)
        try:
            for piece in pieces:
                count += piece.count(b"\n", 0, limit)
                limit -= len(piece)
                if limit <= 0:
                    break
        finally:
            pieces.close()
    return count


def _check_file(m: Member) -> None:
    """Check a CSV given as a file, which DuckDB reads where it is."""
    check = TextCheck(m.label, m.kind, lambda n: _newlines_in(m.source, n))
    for piece in _file_chunks(m.source, PIECE_BYTES):
        check.feed(piece)
    check.finish()


def _copy_checked(m: Member, out: IO[bytes] | None) -> None:
    """Inflate an archive member, checking every piece, into ``out`` (or only check it)."""
    assert m.info is not None
    check = TextCheck(m.label, m.kind, lambda n: _newlines_in_member(m, n))
    with _open_regular(m.source) as fh:
        for piece in member_pieces(m.source, m.info, m.data_offset, fh):  # size and CRC: checked at the end
            check.feed(piece)
            if out is not None:
                out.write(piece)
    check.finish()


def _check_member(m: Member) -> None:
    """Check a member without keeping its bytes (after a load failed, to report the first problem)."""
    if m.info is None:
        _check_file(m)
    else:
        _copy_checked(m, None)


def _extract_member(m: Member, scratch: Path) -> None:
    """Check one member and make it readable by DuckDB as a file: archives into ``scratch``,
    files in place.  The load streams members instead (``_Feed``); this is for a platform
    without named pipes and for finding a bad row's line after a load failed."""
    if m.info is None:
        _check_file(m)
        m.extracted = m.source
        return
    # Named by position only: a member's own name may be longer than a file name may be.
    target = scratch / f"{m.index:06d}-{m.kind}.csv"
    try:
        with target.open("wb") as out:
            _copy_checked(m, out)
    except OSError as exc:
        raise InputError(m.label, f"cannot extract it to the scratch folder {scratch} ({exc.strerror or exc}); "
                                  "set SCORECARD_SCRATCH to a folder with room for it") from None
    m.extracted = target


def _workers() -> int:
    """Inflating (ISA-L), hashing and writing release the GIL, so a thread per core pays."""
    return max(1, min(4, os.cpu_count() or 1))


def extract(members: list[Member], scratch: Path, progress: Callable[[int], None] | None = None) -> None:
    """Extract and check ``members`` on a few threads before DuckDB reads them (where named
    pipes are missing); the first bad one, in order, is reported.

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


#: Members reach DuckDB through named pipes where the platform has them (see ``_Feed``);
#: SCORECARD_STREAM=0 extracts them to scratch files first instead.
STREAM = hasattr(os, "mkfifo") and os.environ.get("SCORECARD_STREAM", "1") != "0"
_PIPE_BYTES = 1024 * 1024  # a pipe's buffer, raised from 64 KiB where Linux allows (fewer switches)
_UNSEEN = object()


#: Where a load's named pipes are made unless SCORECARD_SCRATCH names a folder: a pipe holds
#: no data, so only making it costs, and making the 1,448 of a national load took 0.34-0.99 s
#: in a new folder under /tmp on ext4, against 0.01 s on tmpfs (docs/benchmarks.md).
PIPE_ROOT = Path("/dev/shm")


def _pipe_folder() -> Path | None:
    """A new folder for the pipes on tmpfs, or None (they go in the scratch folder) when
    SCORECARD_SCRATCH is set or there is no tmpfs that takes a pipe."""
    if os.environ.get("SCORECARD_SCRATCH") or not PIPE_ROOT.is_dir():
        return None
    try:
        folder = Path(tempfile.mkdtemp(prefix="scorecard-pipes-", dir=PIPE_ROOT))
    except OSError:
        return None
    try:
        os.mkfifo(folder / "probe", 0o600)
        os.unlink(folder / "probe")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return folder


class _Feed:
    """The members of one INSERT handed to DuckDB as it reads them.

    Each archive member is inflated and checked on a thread straight into a named pipe that
    the INSERT's ``read_csv`` reads, so no member is written to disk and inflating overlaps
    parsing: writing scratch files and reading them back had made the kernel 38% of a
    national load's CPU, and capped a transaction at the scratch space (issue 12).  A CSV
    given as a file is checked on a thread while DuckDB reads it in place.

    Whatever goes wrong, the store's transaction fails: a member whose bytes fail a check
    interrupts the statement (before its pipe closes, so DuckDB cannot take a cut-short
    member for a whole one); ``stop`` then unblocks every thread still waiting on a pipe,
    and ``first_problem`` reports what the load did before streaming: the first member, in
    order, whose bytes are wrong, checking again any member the failed statement stopped
    reading, and only then DuckDB's own complaint about a row.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, members: list[Member], scratch: Path,
                 progress: Callable[[int], None] | None) -> None:
        self._con, self._members, self._progress = con, members, progress
        self._outcome: dict[int, BaseException | None] = {}
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._own_folder = _pipe_folder() if any(m.info is not None for m in members) else None
        folder = self._own_folder or scratch
        for m in members:
            if m.info is None:
                m.extracted = m.source
            else:
                m.extracted = folder / f"{m.index:06d}-{m.kind}.pipe"
                try:
                    os.mkfifo(m.extracted, 0o600)
                except OSError as exc:
                    self._remove_folder()
                    raise StoreError(f"cannot make a named pipe in {folder} "
                                     f"({exc.strerror or exc}); set SCORECARD_SCRATCH to another folder, "
                                     "or SCORECARD_STREAM=0 to extract members to files there") from None
        # A writer for every file DuckDB may have open at once (one a thread, in order), or
        # a reader could wait on a pipe no thread writes yet while the writers wait on it.
        threads = int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])
        self._pool = ThreadPoolExecutor(max(_workers(), threads + 1))
        self._futures = [self._pool.submit(self._feed, i, m) for i, m in enumerate(members)]

    def _feed(self, i: int, m: Member) -> None:
        if self._cancelled.is_set():
            return
        try:
            if m.info is None:
                _check_file(m)
            else:
                assert m.extracted is not None
                with m.extracted.open("wb") as out:  # waits until DuckDB opens it
                    _widen(out)
                    try:
                        _copy_checked(m, out)
                    except BrokenPipeError:
                        raise
                    except BaseException:
                        self._con.interrupt()
                        raise
        except BrokenPipeError:
            return  # DuckDB stopped reading: the statement failed, and first_problem looks again
        except BaseException as exc:  # reported, in member order, by first_problem
            self._outcome[i] = exc
            return
        self._outcome[i] = None
        if self._progress:
            with self._lock:
                self._progress(m.weight // 2)

    def stop(self) -> None:
        """Wait for every thread, opening (and closing at once) any pipe one still waits on."""
        self._cancelled.set()
        pending = set(self._futures)
        while pending:
            for i, fut in enumerate(self._futures):
                path = self._members[i].extracted
                if fut in pending and self._members[i].info is not None and path is not None:
                    with suppress(OSError):
                        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
            pending = wait(pending, timeout=0.05).not_done
        self._pool.shutdown()
        self._remove_folder()

    def _remove_folder(self) -> None:
        if self._own_folder is not None:
            shutil.rmtree(self._own_folder, ignore_errors=True)

    def first_problem(self, *, statement_failed: bool) -> BaseException | None:
        """The first member, in order, whose bytes are wrong; None when every member is right."""
        if not statement_failed and all(self._outcome.get(i, _UNSEEN) is None for i in range(len(self._members))):
            return None
        for i, m in enumerate(self._members):
            outcome = self._outcome.get(i, _UNSEEN)
            if outcome is None:
                continue
            if isinstance(outcome, BaseException):
                return outcome
            try:
                _check_member(m)
            except InputError as exc:
                return exc
        if not statement_failed:  # pragma: no cover - DuckDB read every pipe to its end
            return StoreError("the load stopped reading a file before its end; nothing was stored")
        return None


def _widen(out: IO[bytes]) -> None:
    with suppress(ImportError, OSError, AttributeError):  # Linux only; elsewhere the default buffer
        import fcntl

        fcntl.fcntl(out.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


# --- loading: one INSERT per kind, every row checked as it goes in ---------------------------

@dataclass(frozen=True)
class _Check:
    """One thing every row must satisfy.  ``passes`` are SQL conditions on the row ``r`` and its
    member ``f``, tried in turn (so a cheap exact test spares the dearer one); ``value`` is the
    column stored when one holds.  ``problem`` says what is wrong with a row that fails, from
    the raw text of ``shown`` (a SQL expression)."""

    passes: tuple[str, ...]
    value: str
    shown: str
    problem: Callable[[Member, str | None], str]


def _spelled(force_sql: str) -> str:
    """A force name normalised in SQL as ``scorecard.areas`` does: "Avon & Somerset Constabulary"
    and "Avon and Somerset Police" both become "avonandsomerset"."""
    return (f"regexp_replace(regexp_replace(lower(replace({force_sql}, '&', ' and ')), "
            r"'\b(police service|police force|constabulary|police)\b', ' ', 'g'), '[^a-z]+', '', 'g')")


def _month_problem(m: Member, raw: str | None) -> str:
    if raw is None or not raw.strip():
        return f"row has no month; the file name says {m.month:%Y-%m}"
    return f"row is for month {raw!r} but the file name says {m.month:%Y-%m}"


def _force_problem(m: Member, raw: str | None) -> str:
    if raw is None or not raw.strip():
        return f"row has no 'Reported by'; the file name says {m.force_id}"
    return f"row is reported by {raw!r} but the file name says {m.force_id}"


def _blank(column: str) -> Callable[[Member, str | None], str]:
    return lambda m, raw: f"row has no {column!r}: every {m.kind} row has one"


def _coordinate(column: str, limit: int) -> Callable[[Member, str | None], str]:
    return lambda m, raw: f"{column!r} is not a {column.lower()} (a number from -{limit} to {limit}): {raw!r}"


def _date_problem(m: Member, raw: str | None) -> str:
    return f"'Date' is not a date and time: {raw!r}"


_MONTH_OF_ROW = {"street": 'r."Month"', "outcomes": 'r."Month"', "stop-and-search": 'substr(r."Date", 1, 7)'}
_REPORTED_BY = 'r."Reported by"'
_FORCE_CHECK = _Check((f"list_contains(f.spellings, {_REPORTED_BY})", f"{_spelled(_REPORTED_BY)} = f.spelled"),
                      "f.force_id", _REPORTED_BY, _force_problem)


def _month_check(kind: str) -> _Check:
    return _Check((f"{_MONTH_OF_ROW[kind]} = f.month_text",), "f.month", _MONTH_OF_ROW[kind], _month_problem)


def _double_check(column: str, limit: int) -> _Check:
    """A coordinate read as DOUBLE by the CSV reader (which refuses text, with its line)."""
    col = f'r."{column}"'
    return _Check((f"{col} IS NULL OR {col} BETWEEN -{limit} AND {limit}",), col, f"{col}::VARCHAR",
                  _coordinate(column, limit))


def _text_double_check(column: str, limit: int) -> _Check:
    """A stop-and-search coordinate, read as text (it is often blank) and converted here."""
    col = f'r."{column}"'
    return _Check((f"{col} IS NULL OR try_cast({col} AS DOUBLE) BETWEEN -{limit} AND {limit}",),
                  f"try_cast({col} AS DOUBLE)", col, _coordinate(column, limit))


def _present(column: str) -> _Check:
    col = f'r."{column}"'
    return _Check((f"{col} IS NOT NULL",), col, col, _blank(column))


_DATE_CHECK = _Check(('try_cast(r."Date" AS TIMESTAMPTZ) IS NOT NULL',), 'try_cast(r."Date" AS TIMESTAMPTZ)',
                     'r."Date"', _date_problem)

#: For each kind: its table, and every stored column after load_id, in the table's order —
#: a plain column of the row, or a check that yields the column.
_CRIME_ID = [crime_hash_sql('r."Crime ID"'), crime_id_text_sql('r."Crime ID"')]
_LAYOUT: dict[str, tuple[str, list[str | _Check]]] = {
    "street": ("police_uk_street", [
        _FORCE_CHECK, _month_check("street"), *_CRIME_ID, 'r."Falls within"',
        _double_check("Longitude", 180), _double_check("Latitude", 90), 'r."Location"', 'r."LSOA code"',
        'r."LSOA name"', _present("Crime type"), 'r."Last outcome category"', 'r."Context"']),
    "outcomes": ("police_uk_outcomes", [
        _FORCE_CHECK, _month_check("outcomes"), *_CRIME_ID, 'r."Falls within"',
        _double_check("Longitude", 180), _double_check("Latitude", 90), 'r."Location"', 'r."LSOA code"',
        'r."LSOA name"', _present("Outcome type")]),
    "stop-and-search": ("police_uk_stop_search", [
        "f.force_id", _month_check("stop-and-search"), 'r."Type"', _DATE_CHECK,
        'r."Part of a policing operation"', 'r."Policing operation"', _text_double_check("Latitude", 90),
        _text_double_check("Longitude", 180), 'r."Gender"', 'r."Age range"', 'r."Self-defined ethnicity"',
        'r."Officer-defined ethnicity"', 'r."Legislation"', 'r."Object of search"', 'r."Outcome"',
        'r."Outcome linked to object of search"', 'r."Removal of more than just outer clothing"']),
}
_TABLES = {kind: table for kind, (table, _) in _LAYOUT.items()}

# Raised from inside the INSERT (DuckDB's error()) when a row fails a check; the member's index follows.
_BAD_ROW = "scorecard-bad-row-in-member:"
_BAD_ROW_RE = re.compile(re.escape(_BAD_ROW) + r"(\d+)")


def _checks(kind: str) -> list[_Check]:
    return [c for c in _LAYOUT[kind][1] if isinstance(c, _Check)]


def _select_list(kind: str) -> str:
    """The INSERT's columns, with every check of the row folded into one guard on its month:
    ``CASE WHEN <each check's first test> THEN month WHEN <each check's any test> THEN month
    ELSE error(…) END``.  DuckDB narrows the rows as it evaluates an AND, and tries a later WHEN
    only on the rows an earlier one did not take, so a real file pays for the cheap exact tests
    alone (measured on the nine archives: one guard adds less than half the CPU time that a
    CASE per checked column did)."""
    checks = _checks(kind)
    first = " AND ".join(f"({c.passes[0]})" for c in checks)
    whens = f"WHEN {first} THEN f.month"
    if any(len(c.passes) > 1 for c in checks):
        every = " AND ".join("(" + " OR ".join(f"({p})" for p in c.passes) + ")" for c in checks)
        whens += f" WHEN {every} THEN f.month"
    guard = f"CASE {whens} ELSE error('{_BAD_ROW}' || f.member) END"
    out = []
    for column in _LAYOUT[kind][1]:
        if isinstance(column, _Check):
            out.append(guard if column.value == "f.month" else column.value)
        else:
            out.append(column)
    return ",\n".join(out)


def _columns(kind: str) -> dict[str, str]:
    return {c: ("DOUBLE" if c in _DOUBLE_COLUMNS and kind != "stop-and-search" else "VARCHAR")
            for c in HEADERS[kind]}


def _spellings(force_id: str) -> list[str]:
    """How data.police.uk spells a force in "Reported by": its published name and the usual
    variants ("Avon and Somerset Constabulary", "Humberside Police")."""
    f = forces()[force_id]
    names = [f.police_uk_name, f.police_uk_name.replace("&", "and"), f.name]
    names += [f"{f.name} {suffix}" for suffix in ("Police", "Constabulary", "Police Service")]
    return list(dict.fromkeys(names))


def _members_table(con: duckdb.DuckDBPyConnection, ms: list[Member]) -> None:
    """``_members``: what each row is checked against, one row per member being loaded."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _members AS
                    SELECT *, {_spelled('spellings[1]')} AS spelled FROM (
                        SELECT unnest($path::VARCHAR[]) AS path, unnest($member::BIGINT[]) AS member,
                               unnest($load_id::BIGINT[]) AS load_id, unnest($force_id::VARCHAR[]) AS force_id,
                               unnest($month::DATE[]) AS month, unnest($month_text::VARCHAR[]) AS month_text,
                               unnest($spellings::VARCHAR[][]) AS spellings)""",
                {"path": [str(m.extracted) for m in ms], "member": list(range(len(ms))),
                 "load_id": [m.load_id for m in ms], "force_id": [m.force_id for m in ms],
                 "month": [m.month for m in ms], "month_text": [m.month.strftime("%Y-%m") for m in ms],
                 "spellings": [_spellings(m.force_id) for m in ms]})


def _locate_bad_row(m: Member, scratch: Path) -> InputError:
    """The first row of ``m`` that fails a check, with its line and what is wrong with it.

    Runs on a connection of its own: the store's transaction has already failed.  A member
    that was streamed is extracted to ``scratch`` for it.
    """
    if m.extracted is None or not m.extracted.is_file():
        _extract_member(m, scratch)
    assert m.extracted is not None
    checks = _checks(m.kind)
    failing = ", ".join(f"NOT coalesce({' OR '.join(f'({p})' for p in c.passes)}, false) AS bad{i}, "
                        f"{c.shown} AS shown{i}" for i, c in enumerate(checks))
    any_bad = " OR ".join(f"bad{i}" for i in range(len(checks)))
    with duckdb.connect() as con:
        _members_table(con, [m])
        try:
            cur = con.execute(
                f"""SELECT * FROM (
                      SELECT row_number() OVER () AS rn, {failing}
                      FROM read_csv(?, columns = ?, {_CSV_OPTIONS}) r, _members f)
                    WHERE {any_bad} ORDER BY rn LIMIT 1""",
                [str(m.extracted), _columns(m.kind)],
            )
            row = cur.fetchone()
        except duckdb.Error as exc:
            return _csv_error(exc, [m])
    if row is None:  # pragma: no cover - only called when a row failed
        return InputError(m.label, "a row fails the checks on its values")
    line = int(row[0]) + 1
    for i, c in enumerate(checks):
        if row[1 + 2 * i]:
            return InputError(m.label, c.problem(m, row[2 + 2 * i]), line)
    return InputError(m.label, "a row fails the checks on its values", line)  # pragma: no cover


_CSV_ERROR_LINE = re.compile(r"(?:Line|line)[:\s]+(\d+)")
_CONVERSION = re.compile(r'converting column "([^"]*)"\. Could not convert string "(.*)" to')


def _csv_error(exc: duckdb.Error, members: list[Member]) -> InputError:
    """Turn DuckDB's CSV error into ours, naming the member and line it reports, and saying in
    a few words what DuckDB explains at length."""
    text = str(exc)
    line_match = _CSV_ERROR_LINE.search(text)
    line = int(line_match.group(1)) if line_match else None
    culprit = next((m for m in members if m.extracted and str(m.extracted) in text), None)
    if culprit is None and len(members) == 1:
        culprit = members[0]
    label = culprit.label if culprit else ", ".join(sorted({str(m.source) for m in members}))
    problem = text.split("\n")[0]
    conversion = _CONVERSION.search(text)
    if "Expected Number of Columns" in text:
        problem = "row has the wrong number of columns"
    elif conversion:
        problem = f"{conversion.group(1)!r} is not a number: {conversion.group(2)[:80]!r}"
    elif "unterminated quote" in text:
        problem = "a quoted value is never closed (unterminated quote)"
    elif "Maximum line size" in text:
        problem = "line is too long to be a row (over 2,000,000 bytes)"
    elif "Could not convert" in text or "conversion" in text.lower():
        problem = f"value of the wrong type ({problem})"
    elif "CSV Error" in problem:
        detail = next((ln.strip() for ln in text.split("\n")[2:] if ln.strip()), "")
        problem = f"row cannot be read as CSV ({detail[:160]})" if detail else "row cannot be read as CSV"
    return InputError(label, problem, line)


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


def _insert_rows(store: Store, members: list[Member], scratch: Path,
                 progress: Callable[[int], None] | None = None) -> None:
    """One ``INSERT … read_csv`` per kind over every member of the command, each row tagged
    with its own member's load; archive members are streamed to it through named pipes
    (``_Feed``) unless they were extracted to ``scratch`` beforehand.

    One statement matters for speed: DuckDB writes each statement's rows optimistically and
    rewrites them at checkpoint when several statements append to a table, which made nine
    archives 40% slower as nine statements, even inside one transaction (docs/benchmarks.md).
    Every row is checked against its own file's name as it is inserted (checking per force
    and month afterwards would let a row of one month hide in another file of the same force
    when a folder holds several months).
    """
    con = store.con
    for kind in KINDS:
        ms = [m for m in members if m.kind == kind]
        if not ms:
            continue
        feed = _Feed(con, ms, scratch, progress) if STREAM else None
        failure: duckdb.Error | None = None
        try:
            _members_table(con, ms)
            with _reporting(store, ms, progress):
                con.execute(
                    f"""INSERT INTO {_TABLES[kind]}
                        SELECT f.load_id, {_select_list(kind)}
                        FROM read_csv(?, columns = ?, {_CSV_OPTIONS}, filename = true) r
                        JOIN _members f ON r.filename = f.path""",
                    [[str(m.extracted) for m in ms], _columns(kind)],
                )
        except duckdb.Error as exc:
            failure = exc
        finally:
            if feed is not None:
                feed.stop()
        problem = feed.first_problem(statement_failed=failure is not None) if feed is not None else None
        if problem is not None:
            raise problem
        if failure is not None:
            bad = _BAD_ROW_RE.search(str(failure))
            if bad:
                raise _locate_bad_row(ms[int(bad.group(1))], scratch) from None
            raise _csv_error(failure, ms) from None
        load_ids = sorted({m.load_id for m in ms})
        street_counts.add(store, kind, load_ids)
        # Rows per file, from the counts just kept (no second pass over the rows): load, force
        # and month identify a file, since all three were checked.
        by_key = {(m.load_id, m.force_id, m.month): m for m in ms}
        for load_id, force_id, month_start, n in street_counts.rows_by_file(store, kind, load_ids):
            by_key[(load_id, force_id, month_start)].rows = n
        con.execute("DROP TABLE _members")
        if kind == "stop-and-search":
            check_stop_search_areas(store, ms)


# --- stop and search: is the file's force the one whose area its rows are in? ---------------

#: Located rows tested per stop-and-search file, and how many make a judgement (see the module docstring).
AREA_SAMPLE = 500
AREA_MIN_LOCATED = 10
#: A file is refused when fewer than this share of its located rows lie in the named force's area.
AREA_MIN_INSIDE = 0.5


@cache
def _force_edges() -> pa.Table:
    """Every edge of every force area's rings, as (force_id, x1, y1, x2, y2) in degrees."""
    import pyarrow as pa  # here: only a stop-and-search load needs it

    raw = resources.files("scorecard").joinpath("data/lookups/force-areas.json.gz").read_bytes()
    rings: dict[str, list[list[float]]] = json.loads(gzip.decompress(raw))["rings"]
    cols: dict[str, list[Any]] = {"force_id": [], "x1": [], "y1": [], "x2": [], "y2": []}
    for force_id, force_rings in rings.items():
        for ring in force_rings:
            points = list(zip(ring[0::2], ring[1::2], strict=True))
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
                if y1 != y2:  # a level edge never crosses a ray cast along a line of latitude
                    for name, value in zip(cols, (force_id, x1, y1, x2, y2), strict=True):
                        cols[name].append(value)
    return pa.table(cols)


def located_inside(store: Store, load_ids: list[int]) -> dict[tuple[int, str, date], tuple[int, int]]:
    """For each stop-and-search file of these loads whose force has an area: how many of its
    sampled rows are located, and how many of those lie inside the force's area.

    The sample is the ``AREA_SAMPLE`` located rows with the lowest hash of their place and
    time (the same rows every time); each is tested against the force's boundary by casting a
    ray east and counting the edges it crosses, all in one query.
    """
    con = store.con
    con.register("_force_edges", _force_edges())
    try:
        found = con.execute(
            """WITH sample AS (
                 SELECT load_id, force_id, month, longitude AS x, latitude AS y,
                        row_number() OVER (PARTITION BY load_id, force_id, month
                                           ORDER BY hash(longitude, latitude, occurred_at)) AS pid
                 FROM police_uk_stop_search
                 WHERE list_contains($loads, load_id) AND latitude IS NOT NULL AND longitude IS NOT NULL
                   AND force_id IN (SELECT force_id FROM _force_edges)
                 QUALIFY pid <= $sample),
               crossings AS (
                 SELECT p.load_id, p.force_id, p.month, p.pid, count(*) AS n
                 FROM sample p JOIN _force_edges e ON e.force_id = p.force_id
                   AND p.y >= least(e.y1, e.y2) AND p.y < greatest(e.y1, e.y2)
                 WHERE p.x < e.x1 + (p.y - e.y1) * (e.x2 - e.x1) / (e.y2 - e.y1)
                 GROUP BY ALL)
               SELECT p.load_id, p.force_id, p.month, count(*) AS located,
                      count(*) FILTER (WHERE c.n % 2 = 1) AS inside
               FROM sample p LEFT JOIN crossings c USING (load_id, force_id, month, pid)
               GROUP BY ALL""",
            {"loads": load_ids, "sample": AREA_SAMPLE},
        ).fetchall()
    finally:
        con.unregister("_force_edges")
    return {(load_id, force_id, month): (int(located), int(inside))
            for load_id, force_id, month, located, inside in found}


def check_stop_search_areas(store: Store, members: list[Member]) -> None:
    """Refuse a stop-and-search file whose located rows mostly lie outside the named force's
    area (the rule and the real files' figures are in the module docstring).

    Runs after the file's rows are in, inside the load's transaction, so a refusal undoes them.
    """
    by_key = {(m.load_id, m.force_id, m.month): m for m in members}
    for key, (located, inside) in located_inside(store, sorted({m.load_id for m in members})).items():
        if located >= AREA_MIN_LOCATED and inside < AREA_MIN_INSIDE * located:
            m = by_key[key]
            raise InputError(m.label, f"{located - inside} of {located} located rows checked lie outside "
                                      f"{forces()[m.force_id].name}'s police force area, which the file name "
                                      f"says ({m.force_id}); is it another force's file?")


def _record_members(store: Store, members: list[Member]) -> None:
    con = store.con
    con.execute("""INSERT INTO load_members
                   SELECT unnest($load_id::BIGINT[]), unnest($member::VARCHAR[]), unnest($crc32::VARCHAR[]),
                          unnest($kind::VARCHAR[]), unnest($force_id::VARCHAR[]), unnest($month::DATE[]),
                          unnest($rows::BIGINT[]), NULL""",
                {"load_id": [m.load_id for m in members], "member": [m.name for m in members],
                 "crc32": [m.crc32 for m in members], "kind": [m.kind for m in members],
                 "force_id": [m.force_id for m in members], "month": [m.month for m in members],
                 "rows": [m.rows for m in members]})


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
        con.execute(f"""DELETE FROM {_TABLES[kind]} t USING _superseded s
                        WHERE s.kind = ? AND t.load_id = s.old_load AND t.force_id = s.force_id
                          AND t.month = s.month""", [kind])
        street_counts.remove(store, kind, "_superseded")
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

#: Where members must be extracted before they are read (no named pipes: ``STREAM`` false),
#: paths given together load in one transaction up to this much CSV (override:
#: SCORECARD_BATCH_BYTES), and a longer command is split into transactions of about this size,
#: which bounds the scratch space extraction needs.  Streamed, a command is one transaction
#: whatever its size.
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
    file for it must replace the earlier one as a revision) and, when members are extracted
    to scratch files first, not too much to extract."""
    groups: list[list[PoliceUkBatch]] = []
    keys: set[tuple[str, str, date]] = set()
    size = 0
    for batch in batches:
        batch_keys = {m.key for m in batch.members}
        batch_size = sum(m.size for m in batch.members)
        if not groups or keys & batch_keys or (not STREAM and size + batch_size > BATCH_BYTES and groups[-1]):
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
        if not STREAM:
            extract(everything, Path(scratch), progress)
        with store.transaction():
            load_ids = []
            for p in pending:
                load_ids.append(store.next_load_id())
                for m in p.members:
                    m.load_id = load_ids[-1]
            _insert_rows(store, everything, Path(scratch), progress)
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

    Paths given together are one transaction (split only when a force-month repeats, or, where
    members cannot be streamed, when the command holds more than ``BATCH_BYTES`` of CSV): a bad
    file anywhere leaves the store as it was before that transaction, and one statement per file
    kind loads them all.
    """
    for group in _groups(discover_all(paths)):
        yield from _load_group(store, group, progress)


def ingest_police_uk(store: Store, path: Path, *,
                     progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Load one archive, folder or CSV. Returns a summary for the CLI."""
    (summary,) = ingest_police_uk_paths(store, [path], progress=progress)
    return summary
