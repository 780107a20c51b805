"""Download data.police.uk monthly archives, and keep one force's files from them.

data.police.uk has no per-force download that a script can ask for.  The stable URLs are
the whole monthly archives (``archive/YYYY-MM.zip``), one folder per month inside, and one
``YYYY-MM-<force>-<kind>.csv`` per force and dataset.  On the real site each archive is over
a gigabyte.  That size shapes this module:

* A dropped connection resumes with an HTTP ``Range`` request instead of starting again.
* Bytes go to ``<name>.part``, and the file is renamed only once it has been read back as a
  whole zip with good CRCs.  So any ``YYYY-MM.zip`` in the destination is complete, and a
  later run can skip it without opening it.
* ``fetch_force_months`` keeps one force's CSVs and, by default, deletes each archive once
  its files are out.

The site is also said to put more than one month's folder in an archive (the past three
years).  This is unconfirmed, so nothing here depends on it.  ``fetch_force_months`` takes
whatever requested months an archive holds, starting from the newest, and downloads another
archive only for months still missing.  If each archive holds one month, every month is
downloaded.  If it holds three years, one download covers them all.

Only this module talks to the network.  Each function takes an ``httpx.Client``, so tests
and other modules can pass an ``httpx.MockTransport`` (see ``make_client``) or point
``base_url`` at a local server.
"""

from __future__ import annotations

import email.utils
import logging
import os
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TypeVar

import httpx

from scorecard import __version__
from scorecard.errors import FetchError, InputError
from scorecard.periods import Month
from scorecard.sources import police_uk

__all__ = [
    "DEFAULT_BASE_URL",
    "KINDS",
    "USER_AGENT",
    "Progress",
    "archive_url",
    "extract_force",
    "fetch_archives",
    "fetch_force_months",
    "make_client",
]

DEFAULT_BASE_URL = "https://data.police.uk/data/archive/"
KINDS: tuple[str, ...] = ("street", "outcomes", "stop-and-search")
USER_AGENT = f"policing-scorecard/{__version__}"

# Connecting should be quick. A read may stall for a while on a big archive before we
# treat it as a dropped connection and resume.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, read=120.0)
# The largest real force CSV (Metropolitan outcomes) is tens of megabytes. Anything near
# this cap is a zip bomb or a broken archive, not data.
MAX_ENTRY_BYTES = 1 << 30
_T = TypeVar("_T")

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(file_name, bytes_so_far, total_bytes_or_None)`` while downloading."""

logger = logging.getLogger(__name__)

# Tests replace this so that they can check the waits without sleeping.
_sleep = time.sleep

_FORCE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_ENTRY = re.compile(
    r"(?P<folder>\d{4}-\d{2})/(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)"
    r"-(?P<kind>street|outcomes|stop-and-search)\.csv\Z"
)
_CONTENT_RANGE = re.compile(r"bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)", re.IGNORECASE)


def make_client(
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    trust_env: bool = True,
) -> httpx.Client:
    """A client set up as the downloader expects.

    It identifies the tool to the site's operators and follows redirects, because archive
    URLs may be served from elsewhere. Pass ``transport`` to test without a network.
    """
    return httpx.Client(
        transport=transport,
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        trust_env=trust_env,
    )


def archive_url(month: Month, base_url: str = DEFAULT_BASE_URL) -> str:
    return f"{base_url.rstrip('/')}/{month.iso()}.zip"


def fetch_archives(
    months: Iterable[Month],
    dest: Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    client: httpx.Client | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    max_wait: float = 60.0,
    refresh: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Download the whole monthly archive ``dest/YYYY-MM.zip`` for each month.

    If an archive is already in ``dest`` it is complete, because only verified files are
    renamed into place, so it is skipped unless ``refresh``. A leftover ``.part`` from an
    interrupted run is resumed rather than thrown away.

    ``retries`` counts failed attempts in a row that got no new bytes.  An attempt that got
    some bytes before the connection dropped resets the count.  Without that, a long
    download on a poor line would fail even though it is still moving forward.  Waits
    double from ``backoff`` seconds.  A server's ``Retry-After`` is honoured, but no wait
    is longer than ``max_wait``.
    """
    dest = Path(dest)
    owned = client is None
    http = client if client is not None else make_client()
    try:
        downloader = _Downloader(http, base_url, retries, backoff, max_wait, progress)
        return [downloader.archive(month, dest, refresh=refresh)[0] for month in dict.fromkeys(months)]
    finally:
        if owned:
            http.close()


def extract_force(
    archive: Path,
    force_id: str,
    dest: Path,
    kinds: Sequence[str] = KINDS,
    *,
    months: Iterable[Month] | None = None,
    max_bytes: int = MAX_ENTRY_BYTES,
) -> list[Path]:
    """Copy one force's CSVs out of a monthly archive to ``dest/YYYY-MM/<same name>``.

    The output keeps the archive's layout, which is also the layout of the site's custom
    download, so whatever reads one reads the other.

    The archive comes from the network.  So if any entry has an absolute path or ``..``,
    the whole archive is refused before anything is written, and so is one the loader would
    refuse (``police_uk.check_archive`` and friends: overlapping or repeated entries,
    encrypted or oddly compressed members, zip bombs).  Entries over ``max_bytes`` are
    refused as well.  Each file is written to ``.part`` and then renamed, so an
    interrupted extraction never leaves a truncated CSV behind.

    A force with no files in the archive gives an empty list. Forces did miss months, so
    this is not an error here.
    """
    _check_force_id(force_id)
    wanted_kinds = _check_kinds(kinds)
    wanted_months = None if months is None else {m.iso() for m in months}
    archive, dest = Path(archive), Path(dest)
    try:
        zf = police_uk.open_archive(archive)
    except InputError as exc:
        raise FetchError(f"{archive} is not a readable zip archive: {exc.problem}") from None
    with zf, archive.open("rb") as fh:
        infos = zf.infolist()
        for info in infos:
            if not _safe_entry_name(info.filename):
                raise FetchError(
                    f"refusing to extract from {archive}: entry {info.filename!r} would be "
                    "written outside the destination folder"
                )
        data_offsets = _checked(lambda: police_uk.check_archive(archive, zf, fh), archive)
        chosen: list[zipfile.ZipInfo] = []
        for info in infos:
            match = _ENTRY.match(info.filename)
            if (
                match is None
                or match["folder"] != match["month"]
                or match["force"] != force_id
                or match["kind"] not in wanted_kinds
                or (wanted_months is not None and match["month"] not in wanted_months)
            ):
                continue
            if info.file_size > max_bytes:
                raise FetchError(
                    f"refusing to extract {info.filename} from {archive}: it is "
                    f"{info.file_size:,} bytes, over the {max_bytes:,}-byte limit"
                )
            _checked(partial(police_uk.check_member_readable, archive, info), archive)
            chosen.append(info)
        _checked(lambda: police_uk.check_inflated_size(archive, chosen, archive.stat().st_size), archive)
        root = dest.resolve()
        written: list[Path] = []
        for info in chosen:
            target = dest.joinpath(*PurePosixPath(info.filename).parts)
            if not target.resolve().is_relative_to(root):  # pragma: no cover - the regex already ensures it
                raise FetchError(f"refusing to extract {info.filename!r}: outside {dest}")
            _extract_member(fh, info, data_offsets[info.header_offset], target, max_bytes, archive)
            written.append(target)
    return sorted(written)


def fetch_force_months(
    force_id: str,
    months: Iterable[Month],
    dest: Path,
    *,
    kinds: Sequence[str] = KINDS,
    archive_dir: Path | None = None,
    keep_archives: bool = False,
    refresh: bool = False,
    base_url: str = DEFAULT_BASE_URL,
    client: httpx.Client | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    max_wait: float = 60.0,
    progress: Progress | None = None,
) -> list[Path]:
    """Get one force's CSVs for the given months into ``dest/YYYY-MM/``.

    A month whose requested files are all in ``dest`` already is not fetched again, so a
    long run that was stopped can be restarted.  Months go newest first.  An archive's
    copy of an older month is the latest revision the site has published, so it is used
    for every requested month it contains.

    Archives are downloaded to ``archive_dir`` (default ``dest/archives``).  They are
    deleted after extraction unless ``keep_archives``, because each one is about a
    gigabyte.  Archives that were already there are left alone.

    Raises ``FetchError`` if none of the archives has any file for the force, since that
    usually means a wrong force id.  A month that is missing while others are present is
    logged as a warning: some forces have not published some months.
    """
    _check_force_id(force_id)
    kinds = _check_kinds(kinds)
    dest = Path(dest)
    store = Path(archive_dir) if archive_dir is not None else dest / "archives"
    wanted = sorted(set(months), reverse=True)

    found: dict[Month, list[Path]] = {}
    if not refresh:
        for month in wanted:
            existing = [p for p in _force_files(dest, force_id, month, kinds) if p.is_file()]
            if len(existing) == len(kinds):
                found[month] = existing
    fetched_any = bool(found)
    forces_seen: set[str] = set()

    owned = client is None
    http = client if client is not None else make_client()
    try:
        downloader = _Downloader(http, base_url, retries, backoff, max_wait, progress)
        pending = [m for m in wanted if m not in found]
        while pending:
            month = pending[0]
            archive, downloaded = downloader.archive(month, store, refresh=refresh)
            try:
                got = extract_force(archive, force_id, dest, kinds, months=pending)
                if not got:
                    forces_seen = _forces_in(archive)
            finally:
                if downloaded and not keep_archives:
                    archive.unlink(missing_ok=True)
            for path in got:
                found.setdefault(_month_of(path), []).append(path)
            fetched_any = fetched_any or bool(got)
            found.setdefault(month, [])  # its own archive has been read: nothing more to try
            pending = [m for m in pending if m not in found]
    finally:
        if owned:
            http.close()

    if not fetched_any and wanted:
        known = ", ".join(sorted(forces_seen)) or "none"
        raise FetchError(
            f"no files for force {force_id!r} in the data.police.uk archives for "
            f"{wanted[-1]} to {wanted[0]}; forces in the archive: {known}"
        )
    empty = sorted(m.iso() for m, paths in found.items() if not paths)
    if empty:
        logger.warning("data.police.uk has no %s files for %s", force_id, ", ".join(empty))
    return sorted(p for paths in found.values() for p in paths)


# --- downloading -------------------------------------------------------------------------


@dataclass
class _Transfer:
    """What one attempt achieved. It is filled in as bytes arrive, so it survives an exception."""

    received: int = 0
    resumed: bool = False


@dataclass(frozen=True)
class _Retry:
    problem: str
    retry_after: float | None = None


@dataclass(frozen=True)
class _Downloader:
    client: httpx.Client
    base_url: str
    retries: int
    backoff: float
    max_wait: float
    progress: Progress | None

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http(s) URL, got {self.base_url!r}")

    def archive(self, month: Month, dest: Path, *, refresh: bool) -> tuple[Path, bool]:
        """Returns the archive's path and whether it was downloaded just now."""
        url = archive_url(month, self.base_url)
        label = month.iso()
        target = dest / f"{label}.zip"
        part = target.with_name(target.name + ".part")
        try:
            if not refresh and zipfile.is_zipfile(target):
                return target, False
            # An old copy stays in place until a verified one replaces it, so a failed
            # refresh loses nothing.
            if refresh:
                part.unlink(missing_ok=True)
            dest.mkdir(parents=True, exist_ok=True)
            resumed = self._download(url, part, label)
            problem = _zip_problem(part)
            if problem is not None and resumed:
                # The bytes kept from an earlier attempt may belong to a different version
                # of the file. Try once more from zero before blaming the server.
                logger.warning("archive %s failed verification after resuming; downloading it again", label)
                part.unlink()
                self._download(url, part, label)
                problem = _zip_problem(part)
            if problem is not None:
                part.unlink(missing_ok=True)
                raise FetchError(
                    f"archive {label} from {url} is not a readable zip ({problem}); nothing was kept"
                )
            os.replace(part, target)
        except OSError as exc:
            raise FetchError(f"could not write archive {label} to {dest}: {exc}") from exc
        return target, True

    def _download(self, url: str, part: Path, label: str) -> bool:
        """Fill ``part`` with the body of ``url``, resuming and retrying. Returns whether it resumed."""
        failures = 0
        resumed = False
        while True:
            offset = part.stat().st_size if part.exists() else 0
            transfer = _Transfer()
            try:
                outcome = self._attempt(url, part, offset, label, transfer)
            except httpx.TransportError as exc:
                outcome = _Retry(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            resumed = resumed or transfer.resumed
            if outcome is None:
                return resumed
            failures = 0 if transfer.received else failures + 1
            if failures > self.retries:
                raise FetchError(
                    f"could not download archive {label} from {url}: {outcome.problem} "
                    f"({failures} attempts in a row without progress)"
                )
            if outcome.retry_after is not None:
                wait = min(outcome.retry_after, self.max_wait)
            else:
                wait = min(self.backoff * 2 ** max(failures - 1, 0), self.max_wait)
            logger.warning("archive %s: %s; retrying in %.1fs", label, outcome.problem, wait)
            _sleep(wait)

    def _attempt(self, url: str, part: Path, offset: int, label: str, transfer: _Transfer) -> _Retry | None:
        """One GET. Returns None when ``part`` holds the whole body, a ``_Retry`` for a passing failure."""
        # Ask for the bytes exactly as stored. A compressed response would make Range
        # offsets refer to something other than the file on disk.
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in (404, 410):
                raise FetchError(f"archive {label} not published ({status}) at {url}")
            if status == 416 and offset:
                _, _, total = _content_range(response.headers.get("Content-Range"))
                if total == offset:
                    return None  # an earlier run got every byte and stopped before renaming
                part.unlink(missing_ok=True)
                return _Retry(f"server could not resume at byte {offset} (416); starting again")
            if status >= 500 or status in (408, 429):
                return _Retry(f"HTTP {status}", _retry_after(response.headers.get("Retry-After")))
            if status not in (200, 206):
                raise FetchError(f"archive {label}: unexpected HTTP {status} from {url}")

            if status == 206:
                start, _, total = _content_range(response.headers.get("Content-Range"))
                if start != offset:
                    # Appending bytes that start anywhere else would corrupt the file silently.
                    part.unlink(missing_ok=True)
                    return _Retry(f"server resumed at byte {start}, not {offset}; starting again")
                transfer.resumed = offset > 0
                mode = "ab"
            else:
                # 200 is the whole body. The server ignored Range, or we sent none.
                offset = 0
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                mode = "wb"

            if response.headers.get("Content-Encoding", "identity").lower() != "identity":
                total = None  # the server compressed anyway: its lengths are not the file's
            done = offset
            with part.open(mode) as out:
                # Chunks as they arrive, not re-buffered to a fixed size: when the connection
                # drops, whatever came before it must already be on disk to resume from.
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    done += len(chunk)
                    transfer.received += len(chunk)
                    if self.progress is not None:
                        self.progress(f"{label}.zip", done, total)
                out.flush()
                os.fsync(out.fileno())
        if total is not None and done != total:
            if done > total:
                part.unlink(missing_ok=True)
            return _Retry(f"body ended at byte {done:,} of {total:,}")
        return None


def _content_range(value: str | None) -> tuple[int | None, int | None, int | None]:
    """``bytes 100-999/1000`` → (100, 999, 1000); unknown parts are None."""
    match = _CONTENT_RANGE.fullmatch(value.strip()) if value else None
    if match is None:
        return None, None, None
    first, last, total = match.groups()
    return (
        int(first) if first is not None else None,
        int(last) if last is not None else None,
        int(total) if total is not None and total != "*" else None,
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _zip_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable zip, or None. Reads every member so that the CRCs are checked."""
    try:
        with zipfile.ZipFile(path) as zf:
            if not zf.infolist():
                return "it has no entries"
            bad = zf.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError,
            OSError, struct.error) as exc:  # RuntimeError: an encrypted entry
        return str(exc) or type(exc).__name__
    return None if bad is None else f"entry {bad} fails its CRC check"


# --- extracting --------------------------------------------------------------------------


def _check_force_id(force_id: str) -> None:
    # Force ids are data.police.uk slugs. Checking the form keeps a mistyped argument out
    # of the paths we build.
    if not _FORCE_ID.match(force_id):
        raise ValueError(f"not a data.police.uk force id: {force_id!r} (expected e.g. 'west-midlands')")


def _check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    if isinstance(kinds, str):
        kinds = (kinds,)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be some of {', '.join(KINDS)}; got {list(kinds)}")
    return tuple(dict.fromkeys(kinds))


def _safe_entry_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or re.match(r"[A-Za-z]:", normalised):
        return False
    return ".." not in normalised.split("/")


def _checked(check: Callable[[], _T], archive: Path) -> _T:
    """Run one of the archive guards the loader uses (``police_uk``), as a fetch error here:
    a downloaded archive is refused for the same reasons a given one is."""
    try:
        return check()
    except InputError as exc:
        raise FetchError(f"refusing to extract from {archive}: {exc.problem}") from None


def _extract_member(
    fh: BinaryIO, info: zipfile.ZipInfo, data_offset: int, target: Path, max_bytes: int, archive: Path
) -> None:
    """Write one member to ``target`` through ``.part``, read by the loader's own reader: never
    more bytes than declared (nor than ``max_bytes``), and its CRC checked before the rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    written = 0
    try:
        with part.open("wb") as out:
            for chunk in police_uk.member_pieces(archive, info, data_offset, fh):
                written += len(chunk)
                if written > max_bytes:
                    raise FetchError(
                        f"refusing to extract {info.filename} from {archive}: "
                        f"over the {max_bytes:,}-byte limit"
                    )
                out.write(chunk)
        os.replace(part, target)
    except InputError as exc:
        part.unlink(missing_ok=True)
        raise FetchError(f"{archive}: entry {info.filename} is corrupt: {exc.problem}") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _force_files(dest: Path, force_id: str, month: Month, kinds: Sequence[str]) -> list[Path]:
    return [dest / month.iso() / f"{month.iso()}-{force_id}-{kind}.csv" for kind in kinds]


def _month_of(path: Path) -> Month:
    year, month = path.parent.name.split("-")
    return Month(int(year), int(month))


def _forces_in(archive: Path) -> set[str]:
    with zipfile.ZipFile(archive) as zf:
        return {m["force"] for name in zf.namelist() if (m := _ENTRY.match(name))}
