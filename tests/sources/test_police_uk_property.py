"""Property: whatever is done to a real data.police.uk file, loading it either succeeds or
raises one of our own errors (``InputError``), and when it raises, the store is exactly as it
was.  No ``KeyError``, ``ValueError``, DuckDB error or traceback may come out of the reader.

Each example mutates a small piece of a real published file — bytes flipped, inserted or
deleted, lines duplicated or cut, a cell replaced by an odd string, a zip header field
overwritten — and loads it into its own copy of a small store holding real rows.
Hypothesis is derandomised, so a CI run is reproducible, and kept to a modest number of
examples so the file runs in well under a minute.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scorecard.errors import InputError
from scorecard.ingest import ingest_path
from scorecard.store import Store

POLICE_UK = Path(__file__).resolve().parents[3] / "shared" / "data" / "police-uk"
OCTOBER = POLICE_UK / "2018-10.zip"
pytestmark = pytest.mark.skipif(not OCTOBER.exists(), reason="needs ../shared/data/police-uk")

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@cache
def first_lines(archive: str, name: str, lines: int = 40) -> bytes:
    """The header and first rows of a real member, as published."""
    with zipfile.ZipFile(POLICE_UK / archive) as zf:
        return b"\n".join(zf.read(name).split(b"\n")[:lines]) + b"\n"


SAMPLES = {
    "2018-10-west-mercia-street.csv": ("2018-10.zip", "2018-10/2018-10-west-mercia-street.csv"),
    "2022-01-thames-valley-outcomes.csv": ("thames-valley-2022-01-custom-download.zip",
                                           "2022-01/2022-01-thames-valley-outcomes.csv"),
    "2019-12-merseyside-stop-and-search.csv": ("stop-and-search-2019-12.zip",
                                               "2019-12/2019-12-merseyside-stop-and-search.csv"),
}
ODD = ["", " ", "\0", "\x1b[31m", "\u202e", '"', '""', '"a,b"', "9" * 400, "-1e400", "nan", "NULL", "2018-13",
       "2018-10-99T99:99:99", "Kent Police", "\ufeff", "é", "\r", "\\", ",", "\x85", "\ud7ff", "0x10"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding real rows of all three kinds, the ones the samples would replace."""
    folder = tmp_path_factory.mktemp("property-template")
    for name, (archive, member) in SAMPLES.items():
        (folder / "real" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "real" / name).write_bytes(first_lines(archive, member, 60))
    path = folder / "store.duckdb"
    with Store.open(path) as store:
        ingest_path(store, folder / "real")
    return path


def loads_or_refuses_cleanly(template: Path, folder: Path, name: str, data: bytes) -> None:
    """Load ``data`` saved as ``name`` into a copy of the template store: it loads, or it
    raises InputError and leaves every table exactly as it was."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    store_path = folder / "store.duckdb"
    shutil.copyfile(template, store_path)
    path = folder / name
    path.write_bytes(data)
    with Store.open(store_path) as store:
        before = store.fingerprint()
        try:
            summary = ingest_path(store, path)
        except InputError as exc:
            event(f"refused: {type(exc).__name__}")
            assert str(path) in str(exc), "the message must name the file"
            assert store.fingerprint() == before
        else:
            event(summary["status"])
            assert summary["status"] in ("loaded", "unchanged")
            if summary["status"] == "unchanged":
                assert store.fingerprint() == before


# --- mutations ---------------------------------------------------------------------------------

Mutation = Callable[[bytes], bytes]


@st.composite
def byte_mutation(draw: st.DrawFn) -> Mutation:
    """Flip, insert or delete a few bytes anywhere."""
    what = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
    at = draw(st.floats(0, 1, exclude_max=True))
    value = draw(st.binary(min_size=1, max_size=8))
    span = draw(st.integers(1, 200))

    def mutate(data: bytes) -> bytes:
        i = int(at * len(data))
        if what == "flip" and data:
            return data[:i] + bytes([data[i] ^ value[0]]) + data[i + 1:]
        if what == "insert":
            return data[:i] + value + data[i:]
        if what == "delete":
            return data[:i] + data[i + span:]
        return data[:i]

    return mutate


@st.composite
def line_mutation(draw: st.DrawFn) -> Mutation:
    """Duplicate, drop, cut or swap whole lines."""
    what = draw(st.sampled_from(["duplicate", "drop", "cut", "swap", "crlf", "no-final-newline"]))
    a, b = draw(st.floats(0, 1, exclude_max=True)), draw(st.floats(0, 1, exclude_max=True))
    cut = draw(st.floats(0, 1))

    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        i, j = int(a * len(lines)), int(b * len(lines))
        if what == "duplicate":
            lines.insert(i, lines[j])
        elif what == "drop":
            del lines[i]
        elif what == "cut":
            lines[i] = lines[i][: int(cut * len(lines[i]))]
        elif what == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif what == "crlf":
            return data.replace(b"\n", b"\r\n")
        else:
            return data.rstrip(b"\n")
        return b"\n".join(lines)

    return mutate


@st.composite
def cell_mutation(draw: st.DrawFn) -> Mutation:
    """Replace one cell of one row by an odd string (or any text)."""
    odd = draw(st.one_of(st.sampled_from(ODD), st.text(max_size=12)))
    row, column = draw(st.floats(0, 1, exclude_max=True)), draw(st.integers(0, 16))

    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        i = int(row * len(lines))
        cells = lines[i].split(b",")
        cells[column % len(cells)] = odd.encode("utf-8", errors="surrogatepass")
        lines[i] = b",".join(cells)
        return b"\n".join(lines)

    return mutate


ANY_MUTATION = st.lists(st.one_of(byte_mutation(), line_mutation(), cell_mutation()), min_size=1, max_size=3)


def applied(data: bytes, mutations: list[Mutation]) -> bytes:
    for mutate in mutations:
        data = mutate(data)
    return data


# --- properties ------------------------------------------------------------------------------

@PROPERTY
@given(sample=st.sampled_from(sorted(SAMPLES)), mutations=ANY_MUTATION)
def test_a_mutated_csv_loads_or_is_refused_cleanly(template: Path, tmp_path: Path, sample: str,
                                                   mutations: list[Mutation]) -> None:
    data = applied(first_lines(*SAMPLES[sample]), mutations)
    loads_or_refuses_cleanly(template, tmp_path / "case", sample, data)


def _zip(members: dict[str, bytes], compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@PROPERTY
@given(mutations=ANY_MUTATION, compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_an_archive_of_mutated_members_loads_or_is_refused_cleanly(
    template: Path, tmp_path: Path, mutations: list[Mutation], compression: int,
) -> None:
    members = {f"{name[:7]}/{name}": applied(first_lines(*where), mutations) for name, where in SAMPLES.items()}
    loads_or_refuses_cleanly(template, tmp_path / "case", "2018-10.zip", _zip(members, compression))


# Fields of the local header and the central directory entry, as (offset, size).
LOCAL_FIELDS = [(4, 2), (6, 2), (8, 2), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2)]
CENTRAL_FIELDS = [(6, 2), (8, 2), (10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (30, 2), (32, 2), (42, 4)]
END_FIELDS = [(8, 2), (10, 2), (12, 4), (16, 4), (20, 2)]


@st.composite
def structure_mutation(draw: st.DrawFn) -> Callable[[bytearray], None]:
    """Overwrite one field of a local header, a directory entry or the end record."""
    where = draw(st.sampled_from(["local", "central", "end"]))
    fields = {"local": LOCAL_FIELDS, "central": CENTRAL_FIELDS, "end": END_FIELDS}[where]
    offset, size = draw(st.sampled_from(fields))
    which = draw(st.integers(0, 2))
    value = draw(st.one_of(st.just(0), st.just(2 ** (8 * size) - 1), st.integers(0, 2 ** (8 * size) - 1)))
    signature = {"local": b"PK\x03\x04", "central": b"PK\x01\x02", "end": b"PK\x05\x06"}[where]

    def mutate(data: bytearray) -> None:
        starts = [i for i in range(len(data) - 3) if data[i:i + 4] == signature]
        if starts:
            at = starts[which % len(starts)] + offset
            if at + size <= len(data):
                struct.pack_into("<H" if size == 2 else "<I", data, at, value)

    return mutate


@PROPERTY
@given(changes=st.lists(structure_mutation(), min_size=1, max_size=3),
       compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_an_archive_with_altered_structure_loads_or_is_refused_cleanly(
    template: Path, tmp_path: Path, changes: list[Callable[[bytearray], None]], compression: int,
) -> None:
    members = {f"{name[:7]}/{name}": first_lines(*where, 20) for name, where in SAMPLES.items()}
    data = bytearray(_zip(members, compression))
    for change in changes:
        change(data)
    loads_or_refuses_cleanly(template, tmp_path / "case", "2018-10.zip", bytes(data))


@PROPERTY
@given(mutations=st.lists(byte_mutation(), min_size=1, max_size=4))
def test_an_archive_with_damaged_bytes_loads_or_is_refused_cleanly(
    template: Path, tmp_path: Path, mutations: list[Mutation],
) -> None:
    members = {f"{name[:7]}/{name}": first_lines(*where, 20) for name, where in SAMPLES.items()}
    data = applied(_zip(members, zipfile.ZIP_DEFLATED), mutations)
    loads_or_refuses_cleanly(template, tmp_path / "case", "2018-10.zip", data)
