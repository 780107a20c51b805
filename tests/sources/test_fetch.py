"""The downloader against a real HTTP server on 127.0.0.1 that misbehaves on request.

A mock transport cannot drop a connection half-way through a body or send a body shorter
than its Content-Length. Those are the failures a gigabyte download meets, so these tests
use a real socket. The server is a ``ThreadingHTTPServer`` on port 0. Each test gives it a
script of what to do with the next requests, and every request it receives is recorded.
The server is shut down at the end of each test, or by a watchdog timer if a test hangs.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from scorecard.errors import FetchError
from scorecard.periods import Month
from scorecard.sources import fetch
from scorecard.sources.fetch import (
    USER_AGENT,
    archive_url,
    extract_force,
    fetch_archives,
    fetch_force_months,
    make_client,
)

pytestmark = pytest.mark.timeout(60)

OCT, NOV = Month(2018, 10), Month(2018, 11)

# --- realistic small archives ----------------------------------------------------------
# The headers and the row shapes are copied from real data.police.uk files
# (2018-10-cumbria-street.csv, 2022-01-thames-valley-outcomes.csv and
# -stop-and-search.csv). The crime ids are made-up hashes, so no two rows are the same and
# a deflated member stays tens of kilobytes.

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type"
)
STOP_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    "Outcome linked to object of search,Removal of more than just outer clothing"
)
FORCE_NAMES = {"cumbria": "Cumbria Constabulary", "durham": "Durham Constabulary"}
CRIME_TYPES = [
    ("Burglary", "Investigation complete; no suspect identified"),
    ("Criminal damage and arson", "Investigation complete; no suspect identified"),
    ("Drugs", "Court result unavailable"),
    ("Shoplifting", "Offender given a caution"),
]


def _crime_id(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


def force_csv(force: str, month: Month, kind: str, rows: int = 150) -> bytes:
    name = FORCE_NAMES[force]
    iso = month.iso()
    lines: list[str]
    if kind == "street":
        lines = [STREET_HEADER]
        for i in range(rows):
            if i % 5 == 0:  # ASB: no crime id and no outcome
                lines.append(
                    f",{iso},{name},{name},-3.384851,54.860349,On or near B5301,E01019126,"
                    "Allerdale 001A,Anti-social behaviour,,"
                )
            else:
                crime, outcome = CRIME_TYPES[i % len(CRIME_TYPES)]
                lines.append(
                    f"{_crime_id(force, iso, i)},{iso},{name},{name},-3.{389556 + i},54.{868069 - i},"
                    f"On or near Station Road,E01019126,Allerdale 001A,{crime},{outcome},"
                )
    elif kind == "outcomes":
        lines = [OUTCOMES_HEADER]
        lines += [
            f"{_crime_id(force, iso, 'o', i)},{iso},{name},{name},,,No location,,,Suspect charged"
            for i in range(rows)
        ]
    else:
        lines = [STOP_HEADER]
        lines += [
            f"Person and Vehicle search,{iso}-01T{i % 24:02d}:15:00+00:00,False,,,,Male,18-24,"
            "Asian/Asian British - Pakistani,Asian,,Controlled drugs,A no further action disposal,,False"
            for i in range(rows)
        ]
    return ("\n".join(lines) + "\n").encode()


def monthly_archive(
    *months: Month, forces: tuple[str, ...] = ("cumbria", "durham"), extra: dict[str, bytes] | None = None
) -> bytes:
    """A zip laid out like data.police.uk's: a folder entry per month, then a CSV per force and kind."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for month in months:
            zf.writestr(f"{month.iso()}/", b"")
            for force in forces:
                for kind in fetch.KINDS:
                    name = f"{month.iso()}/{month.iso()}-{force}-{kind}.csv"
                    zf.writestr(name, force_csv(force, month, kind))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def oct_zip() -> bytes:
    return monthly_archive(OCT)


# --- the local server --------------------------------------------------------------------


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class Script:
    """What the server holds and how it should misbehave.

    ``plan`` holds one action for each of the next requests.  When it is empty, every
    request is served properly.  The actions are:

    * ``"503"`` or ``"429"``: answer with that status. ``"503 retry-after=7"`` also sends
      a Retry-After header.
    * ``"drop"``: send the full Content-Length, then half the body, then close.
    * ``"ignore-range"``: answer 200 with the whole body even if a Range was asked for.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    script: Script

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that goes away mid-body is expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        script = self.server.script
        with script.lock:
            script.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            action = script.plan.pop(0) if script.plan else "ok"

        status, _, option = action.partition(" ")
        if status.isdigit():
            extra = {"Retry-After": option.split("=", 1)[1]} if option.startswith("retry-after=") else {}
            self._reply(int(status), extra)
            return
        body = script.files.get(self.path)
        if body is None:
            self._reply(404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
            return

        code, headers = 200, {"Content-Type": "application/zip", "Accept-Ranges": "bytes"}
        wanted = self.headers.get("Range")
        if wanted and action != "ignore-range":
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
            if start >= len(body):
                self._reply(416, {"Content-Range": f"bytes */{len(body)}"})
                return
            code, headers["Content-Range"] = 206, f"bytes {start}-{len(body) - 1}/{len(body)}"
            body = body[start:]

        if action == "drop":
            self.send_response(code)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self._reply(code, headers, body)


@dataclass
class Site:
    base_url: str
    script: Script

    def publish(self, month: Month, data: bytes) -> None:
        self.script.files[f"/data/archive/{month.iso()}.zip"] = data

    @property
    def seen(self) -> list[Seen]:
        return self.script.seen


@pytest.fixture
def site() -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.script = Script()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    watchdog = threading.Timer(60, server.shutdown)
    watchdog.daemon = True
    thread.start()
    watchdog.start()
    try:
        host, port = server.server_address[:2]
        yield Site(f"http://{host!s}:{port}/data/archive/", server.script)
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    # trust_env=False: a proxy set in the environment must not see requests to 127.0.0.1.
    with make_client(timeout=5.0, trust_env=False) as c:
        yield c


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Records the backoff waits instead of sleeping them."""
    recorded: list[float] = []
    monkeypatch.setattr(fetch, "_sleep", recorded.append)
    return recorded


def get(site: Site, client: httpx.Client, dest: Path, *months: Month, **kwargs: Any) -> list[Path]:
    options: dict[str, Any] = {"retries": 3, "backoff": 0.01} | kwargs
    return fetch_archives(list(months) or [OCT], dest, base_url=site.base_url, client=client, **options)


# --- downloading -------------------------------------------------------------------------


def test_archive_url() -> None:
    assert archive_url(Month(2023, 8)) == "https://data.police.uk/data/archive/2023-08.zip"
    assert archive_url(Month(2023, 8), "http://127.0.0.1:1/x") == "http://127.0.0.1:1/x/2023-08.zip"


def test_plain_download(site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path) -> None:
    site.publish(OCT, oct_zip)
    calls: list[tuple[str, int, int | None]] = []

    paths = get(site, client, tmp_path, progress=lambda *a: calls.append(a))

    assert paths == [tmp_path / "2018-10.zip"]
    assert paths[0].read_bytes() == oct_zip
    assert list(tmp_path.iterdir()) == paths  # no .part left over
    assert len(site.seen) == 1
    assert site.seen[0].path == "/data/archive/2018-10.zip"
    assert site.seen[0].headers["user-agent"] == USER_AGENT
    assert "range" not in site.seen[0].headers
    assert calls[-1] == ("2018-10.zip", len(oct_zip), len(oct_zip))


def test_user_agent_names_the_version() -> None:
    from scorecard import __version__

    assert f"policing-scorecard/{__version__}" == USER_AGENT


def test_retries_after_503s(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    site.publish(OCT, oct_zip)
    site.script.plan = ["503", "503", "429"]

    [path] = get(site, client, tmp_path, backoff=0.5)

    assert path.read_bytes() == oct_zip
    assert len(site.seen) == 4
    assert waits == [0.5, 1.0, 2.0]  # exponential


def test_honours_retry_after_up_to_a_cap(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    site.publish(OCT, oct_zip)
    site.script.plan = ["503 retry-after=7", "503 retry-after=86400"]

    get(site, client, tmp_path, max_wait=30.0)

    assert waits == [7.0, 30.0]


def test_gives_up_after_retries(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    site.publish(OCT, oct_zip)
    site.script.plan = ["503"] * 10

    with pytest.raises(FetchError, match=r"2018-10.*HTTP 503"):
        get(site, client, tmp_path, retries=2)

    assert len(site.seen) == 3  # the first try and two retries
    assert list(tmp_path.iterdir()) == []


def test_resumes_after_a_dropped_connection(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    site.publish(OCT, oct_zip)
    site.script.plan = ["drop"]

    [path] = get(site, client, tmp_path)

    assert path.read_bytes() == oct_zip
    assert len(site.seen) == 2
    assert "range" not in site.seen[0].headers
    assert site.seen[1].headers["range"] == f"bytes={len(oct_zip) // 2}-"


def test_restarts_when_the_server_ignores_range(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    site.publish(OCT, oct_zip)
    site.script.plan = ["drop", "ignore-range"]

    [path] = get(site, client, tmp_path)

    assert site.seen[1].headers["range"] == f"bytes={len(oct_zip) // 2}-"
    assert path.read_bytes() == oct_zip  # the 200 body replaced the partial one; nothing doubled


def test_resumes_a_part_file_left_by_an_earlier_run(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path
) -> None:
    site.publish(OCT, oct_zip)
    (tmp_path / "2018-10.zip.part").write_bytes(oct_zip[:1000])

    [path] = get(site, client, tmp_path)

    assert [s.headers.get("range") for s in site.seen] == ["bytes=1000-"]
    assert path.read_bytes() == oct_zip


def test_a_complete_part_file_is_finished_without_downloading(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path
) -> None:
    site.publish(OCT, oct_zip)
    (tmp_path / "2018-10.zip.part").write_bytes(oct_zip)

    [path] = get(site, client, tmp_path)

    assert len(site.seen) == 1  # answered 416 with the full length
    assert path.read_bytes() == oct_zip


def test_a_stale_part_file_is_replaced(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    # The .part came from another version of the archive, so resuming produces a zip that
    # fails its checks. One clean download from zero must fix it.
    site.publish(OCT, oct_zip)
    (tmp_path / "2018-10.zip.part").write_bytes(monthly_archive(OCT, forces=("durham",))[:1000])

    [path] = get(site, client, tmp_path)

    assert path.read_bytes() == oct_zip
    assert [s.headers.get("range") for s in site.seen] == ["bytes=1000-", None]


def test_404_is_not_retried(site: Site, client: httpx.Client, tmp_path: Path, waits: list[float]) -> None:
    url = f"{site.base_url}2031-01.zip"
    with pytest.raises(FetchError, match=rf"archive 2031-01 not published \(404\) at {url}"):
        get(site, client, tmp_path, Month(2031, 1))

    assert len(site.seen) == 1
    assert waits == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Service temporarily unavailable</body></html>" * 20,
        b"",
        # A real zip cut short loses its central directory.
        b"PK\x03\x04" + b"\x00" * 500,
    ],
    ids=["html", "empty", "truncated"],
)
def test_a_corrupt_body_is_an_error_and_leaves_nothing(
    site: Site, client: httpx.Client, tmp_path: Path, body: bytes
) -> None:
    site.publish(OCT, body)

    with pytest.raises(FetchError, match=r"2018-10.*not a readable zip"):
        get(site, client, tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_a_bad_crc_is_caught(site: Site, client: httpx.Client, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("2018-10/2018-10-cumbria-street.csv", force_csv("cumbria", OCT, "street"))
    data = bytearray(buf.getvalue())
    data[200] ^= 0xFF  # flip a byte of stored CSV text: the directory still reads, the CRC does not
    site.publish(OCT, bytes(data))

    with pytest.raises(FetchError, match="CRC"):
        get(site, client, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_encrypted_download_is_an_error_not_a_crash(site: Site, client: httpx.Client, tmp_path: Path) -> None:
    """zipfile raises RuntimeError (not BadZipFile) when it meets an encrypted entry."""
    site.publish(OCT, _encrypted_flag(monthly_archive(OCT)))

    with pytest.raises(FetchError, match="encrypted"):
        get(site, client, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_complete_archive_is_skipped(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path
) -> None:
    site.publish(OCT, oct_zip)
    (tmp_path / "2018-10.zip").write_bytes(oct_zip)

    assert get(site, client, tmp_path) == [tmp_path / "2018-10.zip"]
    assert site.seen == []

    get(site, client, tmp_path, refresh=True)
    assert len(site.seen) == 1


def test_a_failed_refresh_keeps_the_old_copy(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path, waits: list[float]
) -> None:
    (tmp_path / "2018-10.zip").write_bytes(oct_zip)
    site.script.plan = ["503"] * 10

    with pytest.raises(FetchError):
        get(site, client, tmp_path, refresh=True, retries=1)

    assert (tmp_path / "2018-10.zip").read_bytes() == oct_zip


def test_a_broken_archive_in_place_is_downloaded_again(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path
) -> None:
    site.publish(OCT, oct_zip)
    (tmp_path / "2018-10.zip").write_bytes(b"not a zip")

    [path] = get(site, client, tmp_path)

    assert len(site.seen) == 1
    assert path.read_bytes() == oct_zip


def test_several_months_and_duplicates(site: Site, client: httpx.Client, tmp_path: Path) -> None:
    site.publish(OCT, monthly_archive(OCT))
    site.publish(NOV, monthly_archive(NOV))

    paths = get(site, client, tmp_path, NOV, OCT, NOV)

    assert paths == [tmp_path / "2018-11.zip", tmp_path / "2018-10.zip"]
    assert len(site.seen) == 2


def test_connection_refused_is_retried_then_reported(tmp_path: Path, waits: list[float]) -> None:
    # Bind a port and close it again: nothing is listening there now.
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    with make_client(timeout=2.0, trust_env=False) as client, pytest.raises(FetchError, match="ConnectError"):
        fetch_archives([OCT], tmp_path, base_url=f"http://127.0.0.1:{port}/", client=client, retries=2)
    assert len(waits) == 2


def test_injected_transport(tmp_path: Path, oct_zip: bytes) -> None:
    """Other modules can test against ``httpx.MockTransport`` without a server."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=oct_zip)

    with make_client(transport=httpx.MockTransport(handler)) as client:
        [path] = fetch_archives([OCT], tmp_path, client=client)

    assert str(seen[0].url) == "https://data.police.uk/data/archive/2018-10.zip"
    assert seen[0].headers["user-agent"] == USER_AGENT
    assert path.read_bytes() == oct_zip


def test_rejects_a_non_http_base_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="http"):
        fetch_archives([OCT], tmp_path, base_url="file:///etc/")


# --- extracting --------------------------------------------------------------------------


def test_extract_force_takes_only_that_force(tmp_path: Path, oct_zip: bytes) -> None:
    archive = tmp_path / "2018-10.zip"
    archive.write_bytes(oct_zip)

    paths = extract_force(archive, "cumbria", tmp_path / "out")

    month_dir = tmp_path / "out" / "2018-10"
    assert paths == sorted(month_dir / f"2018-10-cumbria-{kind}.csv" for kind in fetch.KINDS)
    assert sorted(p.name for p in month_dir.iterdir()) == [p.name for p in paths]
    for kind in fetch.KINDS:
        assert (month_dir / f"2018-10-cumbria-{kind}.csv").read_bytes() == force_csv("cumbria", OCT, kind)


def test_extract_force_kinds_and_months(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(monthly_archive(OCT, NOV))

    paths = extract_force(archive, "durham", tmp_path / "out", kinds=("street",), months=[NOV])

    assert paths == [tmp_path / "out" / "2018-11" / "2018-11-durham-street.csv"]
    assert not (tmp_path / "out" / "2018-10").exists()


def test_extract_force_missing_force_is_empty(tmp_path: Path, oct_zip: bytes) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(oct_zip)
    assert extract_force(archive, "west-midlands", tmp_path / "out") == []


@pytest.mark.parametrize(
    "evil",
    [
        "../2018-10-cumbria-street.csv",
        "2018-10/../../2018-10-cumbria-street.csv",
        "/tmp/2018-10-cumbria-street.csv",
        "..\\..\\evil.csv",
        "C:/evil.csv",
    ],
)
def test_extract_force_refuses_escaping_entries(tmp_path: Path, evil: str) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(monthly_archive(OCT, extra={evil: b"x"}))
    out = tmp_path / "deep" / "out"

    with pytest.raises(FetchError, match="outside the destination"):
        extract_force(archive, "cumbria", out)

    assert not out.exists()  # refused before anything was written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]


def test_extract_force_caps_entry_size(tmp_path: Path, oct_zip: bytes) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(oct_zip)

    with pytest.raises(FetchError, match="limit"):
        extract_force(archive, "cumbria", tmp_path / "out", max_bytes=1000)
    assert not (tmp_path / "out").exists()


def _central_entries(data: bytes | bytearray) -> list[int]:
    """Offsets of the central directory's entries."""
    found, at = [], data.index(b"PK\x01\x02")
    while data[at:at + 4] == b"PK\x01\x02":
        found.append(at)
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, at + 28)
        at += 46 + name_len + extra_len + comment_len
    return found


def _all_pointing_at_the_first(data: bytes) -> bytes:
    """Every directory entry made to point at the first entry's bytes: overlapping entries."""
    patched = bytearray(data)
    for at in _central_entries(patched):
        struct.pack_into("<I", patched, at + 42, 0)
    return bytes(patched)


def _encrypted_flag(data: bytes) -> bytes:
    patched = bytearray(data)
    for at in _central_entries(patched):
        patched[at + 8] |= 1
    return bytes(patched)


@pytest.mark.parametrize(("archive_bytes", "says"), [
    (lambda: _all_pointing_at_the_first(monthly_archive(OCT)), "overlaps"),
    (lambda: _encrypted_flag(monthly_archive(OCT)), "encrypted"),
], ids=["overlapping entries", "encrypted members"])
def test_extract_force_refuses_what_the_loader_refuses(
    tmp_path: Path, archive_bytes: Callable[[], bytes], says: str,
) -> None:
    """A downloaded archive meets the same guards as one given to ``ingest`` (police_uk's)."""
    archive = tmp_path / "a.zip"
    archive.write_bytes(archive_bytes())

    with pytest.raises(FetchError, match=says):
        extract_force(archive, "cumbria", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_extract_force_checks_each_members_crc(tmp_path: Path) -> None:
    data = bytearray(monthly_archive(OCT, forces=("cumbria",)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("2018-10/2018-10-cumbria-street.csv")
    struct.pack_into("<I", data, info.header_offset + 14, info.CRC ^ 1)  # local header
    for at in _central_entries(data):
        if data[at + 46:at + 46 + len(info.filename)] == info.filename.encode():
            struct.pack_into("<I", data, at + 16, info.CRC ^ 1)
    archive = tmp_path / "a.zip"
    archive.write_bytes(bytes(data))

    with pytest.raises(FetchError, match="CRC"):
        extract_force(archive, "cumbria", tmp_path / "out", kinds=("street",))
    assert not list((tmp_path / "out").rglob("*.csv*"))


def test_extract_force_validates_its_arguments(tmp_path: Path, oct_zip: bytes) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(oct_zip)
    with pytest.raises(ValueError, match="force id"):
        extract_force(archive, "../cumbria", tmp_path)
    with pytest.raises(ValueError, match="kinds"):
        extract_force(archive, "cumbria", tmp_path, kinds=("crimes",))
    (tmp_path / "bad.zip").write_bytes(b"nope")
    with pytest.raises(FetchError, match="not a readable zip"):
        extract_force(tmp_path / "bad.zip", "cumbria", tmp_path)


# --- one force, several months ---------------------------------------------------------------


def test_fetch_force_months(site: Site, client: httpx.Client, tmp_path: Path) -> None:
    site.publish(OCT, monthly_archive(OCT))
    site.publish(NOV, monthly_archive(NOV))
    out = tmp_path / "cumbria"

    paths = fetch_force_months(
        "cumbria", [OCT, NOV], out, base_url=site.base_url, client=client, backoff=0.01
    )

    assert [p.relative_to(out).as_posix() for p in paths] == [
        f"{m}/{m}-cumbria-{kind}.csv" for m in ("2018-10", "2018-11") for kind in sorted(fetch.KINDS)
    ]
    assert [s.path for s in site.seen] == ["/data/archive/2018-11.zip", "/data/archive/2018-10.zip"]
    assert list((out / "archives").iterdir()) == []  # archives are deleted once used

    # Run again: every file is already there, so there is nothing to download.
    assert fetch_force_months("cumbria", [OCT, NOV], out, base_url=site.base_url, client=client) == paths
    assert len(site.seen) == 2


def test_fetch_force_months_uses_a_newer_archive_for_older_months(
    site: Site, client: httpx.Client, tmp_path: Path
) -> None:
    site.publish(NOV, monthly_archive(OCT, NOV))  # an archive holding more than its own month
    site.publish(OCT, monthly_archive(OCT))

    paths = fetch_force_months(
        "durham", [OCT, NOV], tmp_path, kinds=("street",), base_url=site.base_url, client=client,
        keep_archives=True, archive_dir=tmp_path / "cache",
    )

    assert [p.name for p in paths] == ["2018-10-durham-street.csv", "2018-11-durham-street.csv"]
    assert [s.path for s in site.seen] == ["/data/archive/2018-11.zip"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["2018-11.zip"]


def test_fetch_force_months_unknown_force(site: Site, client: httpx.Client, tmp_path: Path) -> None:
    site.publish(OCT, monthly_archive(OCT))

    with pytest.raises(FetchError, match=r"'west-midland'.*cumbria, durham"):
        fetch_force_months("west-midland", [OCT], tmp_path, base_url=site.base_url, client=client)


def test_fetch_force_months_warns_about_a_missing_month(
    site: Site, client: httpx.Client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site.publish(OCT, monthly_archive(OCT, forces=("durham",)))  # cumbria published nothing for October
    site.publish(NOV, monthly_archive(NOV))

    with caplog.at_level(logging.WARNING, logger="scorecard.sources.fetch"):
        paths = fetch_force_months("cumbria", [OCT, NOV], tmp_path, base_url=site.base_url, client=client)

    assert {p.parent.name for p in paths} == {"2018-11"}
    assert "no cumbria files for 2018-10" in caplog.text


def test_fetch_force_months_keeps_a_pre_existing_archive(
    site: Site, client: httpx.Client, oct_zip: bytes, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "2018-10.zip").write_bytes(oct_zip)

    fetch_force_months(
        "cumbria", [OCT], tmp_path / "out", archive_dir=cache, base_url=site.base_url, client=client
    )

    assert site.seen == []
    assert (cache / "2018-10.zip").read_bytes() == oct_zip


REAL_ARCHIVE = Path(__file__).parents[3] / "shared" / "data" / "police-uk" / "2018-10.zip"


@pytest.mark.slow
@pytest.mark.skipif(not REAL_ARCHIVE.is_file(), reason="needs the shared data.police.uk archives")
def test_a_real_archive_survives_a_drop(
    site: Site, client: httpx.Client, tmp_path: Path, waits: list[float]
) -> None:
    data = REAL_ARCHIVE.read_bytes()
    site.publish(OCT, data)
    site.script.plan = ["drop"]

    paths = fetch_force_months("cumbria", [OCT], tmp_path, base_url=site.base_url, client=client)

    assert [p.name for p in paths] == ["2018-10-cumbria-street.csv"]  # this archive has street files only
    with zipfile.ZipFile(REAL_ARCHIVE) as zf:
        assert paths[0].read_bytes() == zf.read("2018-10/2018-10-cumbria-street.csv")
    assert site.seen[1].headers["range"] == f"bytes={len(data) // 2}-"
