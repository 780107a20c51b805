"""Loading data.police.uk archives, folders and CSVs into the store.

Every test works from the real monthly archives in ``../shared/data/police-uk``: the
October 2018 archive is loaded once into a template store, and each test gets its own copy.
Bad files are built from real rows (the first 200 lines of West Mercia's October 2018
file) with one thing wrong, so each test shows an analyst's mistake and the message it gets.
"""

from __future__ import annotations

import hashlib
import struct
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import private_copy
from scorecard.catalogue.schema import Measure, load_catalogue
from scorecard.errors import InputError, StoreError, UnknownForce
from scorecard.ingest import ingest, ingest_path
from scorecard.periods import parse
from scorecard.results import ResultsEngine
from scorecard.sources import police_uk
from scorecard.store import Store

POLICE_UK = Path(__file__).resolve().parents[3] / "shared" / "data" / "police-uk"
OCTOBER = POLICE_UK / "2018-10.zip"
ALL_MONTHS = sorted(POLICE_UK.glob("20??-??.zip"))
pytestmark = pytest.mark.skipif(not OCTOBER.exists(), reason="needs ../shared/data/police-uk")

WEST_MERCIA = "2018-10/2018-10-west-mercia-street.csv"
WEST_MERCIA_NAME = "2018-10-west-mercia-street.csv"

# Every street row of a force, whatever its crime type.
ALL_STREET_CRIME = Measure(
    id="street_all", title="All street-level crime and ASB", priority="neighbourhood_crime",
    role="context", dataset="police_uk_street", direction="neutral", source_text="data.police.uk",
)


# --- helpers -----------------------------------------------------------------------------

def fingerprint(store: Store) -> dict[str, Any]:
    return store.fingerprint()


def street_count(store: Store, force_id: str | None = None, month: date | None = None) -> int:
    sql = "SELECT count(*) FROM police_uk_street WHERE (? IS NULL OR force_id = ?) AND (? IS NULL OR month = ?)"
    return int(store.con.execute(sql, [force_id, force_id, month, month]).fetchall()[0][0])


def real_member(name: str, archive: Path = OCTOBER) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def with_line(data: bytes, line: int, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with its ``line``-th line (1-based, as an editor counts) changed."""
    lines = data.split(b"\n")
    lines[line - 1] = change(lines[line - 1])
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def sample() -> bytes:
    """The header and first 199 rows of West Mercia's October 2018 street file, as published."""
    return b"\n".join(real_member(WEST_MERCIA).split(b"\n")[:200]) + b"\n"


@pytest.fixture
def october(october_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A store holding the October 2018 archive (a private copy for this test)."""
    yield from private_copy(october_template, tmp_path)


# --- loading a real archive ---------------------------------------------------------------

def test_an_archive_is_loaded_whole_and_its_provenance_recorded(tmp_path: Path) -> None:
    started = datetime.now().replace(microsecond=0)
    with Store.open(tmp_path / "s.duckdb") as store:
        summary = ingest_path(store, OCTOBER)

        assert summary["status"] == "loaded"
        assert summary["rows"] == 358_382
        assert street_count(store) == 358_382
        assert store.con.execute("SELECT count(DISTINCT force_id) FROM police_uk_street").fetchall() == [(39,)]

        # Where the rows came from: file, checksum, size, rows, time and what it covers.
        (load,) = store.con.execute("SELECT * FROM loads").fetchall()
        cols = [d[0] for d in store.con.description]
        row = dict(zip(cols, load, strict=True))
        assert row["load_id"] == summary["load_id"]
        assert row["path"] == str(OCTOBER)
        assert row["file_name"] == "2018-10.zip"
        assert row["sha256"] == hashlib.sha256(OCTOBER.read_bytes()).hexdigest()
        assert row["bytes"] == OCTOBER.stat().st_size
        assert row["kind"] == "police_uk_zip"
        assert row["dataset"] == "police_uk"
        assert row["rows"] == 358_382
        assert row["covers"] == "2018-10, 39 forces, street"
        assert row["first_month"] == row["last_month"] == date(2018, 10, 1)
        assert started <= row["loaded_at"] <= datetime.now() + timedelta(seconds=1)
        assert row["warnings"] == []

        # Each member file is recorded with its CRC and row count: the unit a revision replaces.
        members = store.con.execute(
            "SELECT member, crc32, force_id, month, rows, superseded_by FROM load_members ORDER BY member"
        ).fetchall()
        assert len(members) == 39
        assert sum(m[4] for m in members) == 358_382
        with zipfile.ZipFile(OCTOBER) as zf:
            crcs = {i.filename: f"{i.CRC:08x}" for i in zf.infolist()}
        assert all(crcs[m[0]] == m[1] for m in members)
        west_mercia = next(m for m in members if m[0] == WEST_MERCIA)
        assert west_mercia[2:] == ("west-mercia", date(2018, 10, 1), 11_006, None)
        # Forces missing from the archive are simply not held (not zero).
        assert {"metropolitan", "lancashire", "northumbria"}.isdisjoint({m[2] for m in members})


def test_progress_is_reported_while_extracting_and_while_loading(tmp_path: Path) -> None:
    steps: list[int] = []
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest_path(store, OCTOBER, progress=steps.append)

        assert store.con.execute("SELECT current_setting('enable_progress_bar')").fetchall() == [(False,)]
    with zipfile.ZipFile(OCTOBER) as zf:
        members = [i for i in zf.infolist() if i.filename.endswith(".csv")]
    # Half of each member's compressed size as it is extracted, the other half as DuckDB loads it.
    assert sum(steps) == sum(i.compress_size for i in members)
    assert len(steps) > len(members)


def test_loading_the_same_archive_again_changes_nothing(october: Store) -> None:
    before = fingerprint(october)

    summary = ingest_path(october, OCTOBER)

    assert summary["status"] == "unchanged"
    assert summary["rows"] == 0
    assert fingerprint(october) == before


def test_the_same_file_under_another_name_changes_nothing(october: Store, tmp_path: Path) -> None:
    """A force's own copy of a file already loaded from the archive is recognised by its content."""
    copy = write(tmp_path / "downloads" / WEST_MERCIA_NAME, real_member(WEST_MERCIA))
    before = fingerprint(october)

    assert ingest_path(october, copy)["status"] == "unchanged"
    assert ingest_path(october, copy.parent)["status"] == "unchanged"  # the folder, too
    assert fingerprint(october) == before


def test_a_newer_file_for_a_force_month_replaces_it_and_is_recorded_as_a_revision(
    october: Store, tmp_path: Path,
) -> None:
    # data.police.uk republished West Mercia's October 2018 file with 500 fewer rows.
    published = real_member(WEST_MERCIA)
    lines = published.rstrip(b"\n").split(b"\n")
    revised = write(tmp_path / "republished" / WEST_MERCIA_NAME, b"\n".join(lines[:-500]) + b"\n")
    old_rows = len(lines) - 1
    new_rows = old_rows - 500
    (old_load,) = [r["load_id"] for r in october.loads()]
    others_before = october.con.execute(
        "SELECT force_id, count(*) FROM police_uk_street WHERE force_id <> 'west-mercia' GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    engine = ResultsEngine(october, load_catalogue())
    (before,) = engine.compute([ALL_STREET_CRIME], parse("2018-10"), force_ids=["west-mercia"])
    assert before.current.value == old_rows

    summary = ingest_path(october, revised)

    assert summary["status"] == "loaded"
    assert summary["rows"] == new_rows
    new_load = summary["load_id"]
    # The old rows are gone and the new ones are in; no other force is touched.
    assert street_count(october, "west-mercia", date(2018, 10, 1)) == new_rows
    assert october.con.execute(
        "SELECT DISTINCT load_id FROM police_uk_street WHERE force_id = 'west-mercia'").fetchall() == [(new_load,)]
    assert october.con.execute(
        "SELECT force_id, count(*) FROM police_uk_street WHERE force_id <> 'west-mercia' GROUP BY ALL ORDER BY ALL"
    ).fetchall() == others_before
    assert street_count(october) == 358_382 - 500
    # The revision says what changed, from which load to which, and by how much.
    (revision,) = october.revisions()
    assert revision["dataset"] == "police_uk"
    assert revision["force_id"] == "west-mercia"
    assert revision["what"] == "2018-10 street"
    assert (revision["old_load_id"], revision["new_load_id"]) == (old_load, new_load)
    assert (revision["old_rows"], revision["new_rows"]) == (old_rows, new_rows)
    assert (revision["old_total"], revision["new_total"]) == (old_rows, new_rows)
    # The archive's member is marked as replaced, and the new load has its own provenance.
    assert october.con.execute(
        "SELECT superseded_by FROM load_members WHERE load_id = ? AND force_id = 'west-mercia'", [old_load]
    ).fetchall() == [(new_load,)]
    loads = october.loads()
    assert [(ld["load_id"], ld["file_name"], ld["kind"], ld["rows"], ld["covers"]) for ld in loads] == [
        (old_load, "2018-10.zip", "police_uk_zip", 358_382, "2018-10, 39 forces, street"),
        (new_load, WEST_MERCIA_NAME, "police_uk_csv", new_rows, "2018-10, 1 force, street"),
    ]
    # Results use the new data, and say which load they came from.
    (after,) = ResultsEngine(october, load_catalogue()).compute(
        [ALL_STREET_CRIME], parse("2018-10"), force_ids=["west-mercia"])
    assert after.current.value == new_rows
    assert after.current.status == "complete"
    assert after.current.load_ids == (new_load,)

    # Loading either file again now changes nothing.
    settled = fingerprint(october)
    assert ingest_path(october, revised)["status"] == "unchanged"
    assert ingest_path(october, OCTOBER)["status"] == "unchanged"
    assert fingerprint(october) == settled


def test_one_file_per_force_month_in_a_folder_of_several_months(tmp_path: Path) -> None:
    """A folder (like the bundled demo sample) may hold several months of one force."""
    folder = tmp_path / "west-mercia"
    write(folder / "2018-10" / WEST_MERCIA_NAME, real_member(WEST_MERCIA))
    write(folder / "2018-11" / "2018-11-west-mercia-street.csv",
          real_member("2018-11/2018-11-west-mercia-street.csv", POLICE_UK / "2018-11.zip"))
    with Store.open(tmp_path / "s.duckdb") as store:
        summary = ingest_path(store, folder)

        assert summary["status"] == "loaded"
        assert summary["covers"] == "2018-10 to 2018-11, 1 force, street"
        assert store.loads()[0]["kind"] == "police_uk_folder"
        held = store.con.execute("SELECT month, rows FROM load_members ORDER BY month").fetchall()
        assert held == store.con.execute(
            "SELECT month, count(*) FROM police_uk_street GROUP BY month ORDER BY month").fetchall()
        assert [m for m, _ in held] == [date(2018, 10, 1), date(2018, 11, 1)]


# --- bad input: a clear error, and the store exactly as it was ----------------------------

def refused(store: Store, path: Path) -> InputError:
    """Ingest ``path``, expecting an InputError, and check the store did not change at all."""
    before = fingerprint(store)
    with pytest.raises(InputError) as caught:
        ingest_path(store, path)
    assert fingerprint(store) == before
    assert str(path) in str(caught.value), "the message must name the file"
    return caught.value


def test_a_file_without_its_header_line(october: Store, sample: bytes, tmp_path: Path) -> None:
    headless = write(tmp_path / WEST_MERCIA_NAME, sample.split(b"\n", 1)[1])

    err = refused(october, headless)

    assert err.line == 1
    assert "header line missing" in err.problem
    assert "Crime ID,Month,Reported by" in err.problem  # says what was expected


def test_an_archive_cut_in_half(october: Store, tmp_path: Path) -> None:
    data = OCTOBER.read_bytes()
    truncated = write(tmp_path / "2018-10.zip", data[: len(data) // 2])

    err = refused(october, truncated)

    assert "not a complete zip archive" in err.problem


def test_an_archive_with_a_damaged_member(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WEST_MERCIA, sample)
    data = bytearray(path.read_bytes())
    data[200:220] = bytes(20)  # inside the compressed data; the directory is intact
    path.write_bytes(bytes(data))

    err = refused(october, path)

    assert WEST_MERCIA in err.problem
    assert "corrupt" in err.problem


def test_a_file_saved_as_utf16(october: Store, sample: bytes, tmp_path: Path) -> None:
    utf16 = write(tmp_path / WEST_MERCIA_NAME, sample.decode("utf-8").encode("utf-16"))

    err = refused(october, utf16)

    assert err.line == 1
    assert "not UTF-8" in err.problem


def test_a_latin1_byte_in_a_data_row(october: Store, sample: bytes, tmp_path: Path) -> None:
    # Line 51 re-typed in a Windows editor: "é" saved as the single byte 0xe9.
    bad = with_line(sample, 51, lambda row: row.replace(b"On or near", b"On or n\xe9ar"))
    path = write(tmp_path / WEST_MERCIA_NAME, bad)

    err = refused(october, path)

    assert err.line == 51
    assert "not UTF-8" in err.problem
    assert "0xe9" in err.problem


@pytest.mark.parametrize("change", [lambda row: row + b",extra", lambda row: row.rsplit(b",", 3)[0]],
                         ids=["one column too many", "three columns short"])
def test_a_row_with_the_wrong_number_of_columns(
    october: Store, sample: bytes, tmp_path: Path, change: Callable[[bytes], bytes],
) -> None:
    path = write(tmp_path / WEST_MERCIA_NAME, with_line(sample, 61, change))

    err = refused(october, path)

    assert err.line == 61
    assert err.problem == "row has the wrong number of columns"


def test_a_row_whose_month_disagrees_with_the_file_name(october: Store, sample: bytes, tmp_path: Path) -> None:
    bad = with_line(sample, 71, lambda row: row.replace(b",2018-10,", b",2018-09,"))
    path = write(tmp_path / WEST_MERCIA_NAME, bad)

    err = refused(october, path)

    assert err.line == 71
    assert err.problem == "row is for month '2018-09' but the file name says 2018-10"


def test_a_row_with_no_month(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = write(tmp_path / WEST_MERCIA_NAME, with_line(sample, 31, lambda row: row.replace(b",2018-10,", b",,")))

    err = refused(october, path)

    assert err.line == 31
    assert "no month" in err.problem


def test_a_month_that_belongs_to_another_file_of_the_same_folder(october: Store, sample: bytes,
                                                                 tmp_path: Path) -> None:
    """A row of November's file saying October must not slip into October's count."""
    folder = tmp_path / "west-mercia"
    write(folder / WEST_MERCIA_NAME, sample)
    november = sample.replace(b",2018-10,", b",2018-11,")
    november = with_line(november, 21, lambda row: row.replace(b",2018-11,", b",2018-10,"))
    write(folder / "2018-11-west-mercia-street.csv", november)

    err = refused(october, folder)

    assert err.file == str(folder / "2018-11-west-mercia-street.csv")
    assert err.line == 21
    assert err.problem == "row is for month '2018-10' but the file name says 2018-11"


def test_a_bad_row_inside_an_archive_names_the_member(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WEST_MERCIA, sample)
        cumbria = sample.replace(b"West Mercia Police", b"Cumbria Constabulary")
        zf.writestr("2018-10/2018-10-cumbria-street.csv", with_line(cumbria, 41, lambda row: row + b",x"))

    err = refused(october, path)

    assert err.file == f"{path}!2018-10/2018-10-cumbria-street.csv"
    assert err.line == 41


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED], ids=["deflated", "stored"])
def test_a_bad_byte_far_into_a_large_member_is_found_on_its_line(
    october: Store, tmp_path: Path, compression: int,
) -> None:
    # Members are inflated in pieces: the byte is in a later piece than the header.
    whole = real_member(WEST_MERCIA)
    lines = whole.split(b"\n")
    line = max(i for i, row in enumerate(lines, start=1) if b"On or near" in row)
    assert len(b"\n".join(lines[:line])) > police_uk.PIECE_BYTES
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr(WEST_MERCIA, with_line(whole, line, lambda row: row.replace(b"On or near", b"On or n\xe9ar")))

    err = refused(october, path)

    assert (err.line, "0xe9" in err.problem) == (line, True)


def test_a_large_member_whose_first_piece_is_blank_still_loads(tmp_path: Path) -> None:
    whole = real_member(WEST_MERCIA)
    header, rows = whole.split(b"\n", 1)
    padded = header + b"\n" + b" " * (police_uk.PIECE_BYTES + 10) + b"\n" + rows
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WEST_MERCIA, padded)
    with Store.open(tmp_path / "s.duckdb") as store, pytest.raises(InputError) as caught:
        ingest_path(store, path)

    # Not refused as "no data rows": the blank line is a row of the wrong shape, found on its line.
    assert (caught.value.line, caught.value.problem) == (2, "row has the wrong number of columns")


@pytest.mark.parametrize("content", [b"", b"\n\n"], ids=["zero bytes", "blank lines"])
def test_an_empty_file(october: Store, tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / WEST_MERCIA_NAME, content)

    err = refused(october, path)

    assert err.line == 1
    assert "empty file" in err.problem


def test_a_header_with_no_rows_does_not_wipe_a_month(october: Store, sample: bytes, tmp_path: Path) -> None:
    """A download cut short after its header must not replace a month of real data with nothing."""
    path = write(tmp_path / WEST_MERCIA_NAME, sample.split(b"\n", 1)[0] + b"\n")

    err = refused(october, path)

    assert err.line == 2
    assert "no data rows" in err.problem
    assert street_count(october, "west-mercia") == 11_006


def test_an_archive_entry_that_climbs_out_of_the_folder(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(WEST_MERCIA, sample)
        zf.writestr("../../2018-10-cumbria-street.csv", sample)

    err = refused(october, path)

    assert "unsafe path" in err.problem
    assert "../../2018-10-cumbria-street.csv" in err.problem
    assert not (tmp_path.parent / "2018-10-cumbria-street.csv").exists()


def test_a_zip_bomb(october: Store, sample: bytes, tmp_path: Path) -> None:
    """200 MB of zeros squeezed into a few hundred kilobytes."""
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WEST_MERCIA, sample)
        with zf.open("2018-10/2018-10-cumbria-street.csv", "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(200):
                member.write(zeros)
    assert path.stat().st_size < 1_000_000

    err = refused(october, path)

    assert "zip bomb" in err.problem
    assert "2018-10-cumbria-street.csv" in err.problem


def test_an_archive_larger_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(police_uk, "MAX_UNZIPPED_BYTES", 50_000_000)  # October inflates to 130 MB
    with Store.open(tmp_path / "s.duckdb") as store:
        err = refused(store, OCTOBER)

    assert "more than 50,000,000 bytes" in err.problem
    assert "SCORECARD_MAX_UNZIPPED_BYTES" in err.problem


def test_a_zip_that_lies_about_its_size_is_not_inflated(october: Store, tmp_path: Path) -> None:
    """A member declaring a modest size (and ratio) while holding 64 MB must be stopped early."""
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(WEST_MERCIA, bytes(64 << 20))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(WEST_MERCIA)
    claimed = info.compress_size * 4  # an ordinary compression ratio
    struct.pack_into("<I", data, info.header_offset + 22, claimed)  # local header: uncompressed size
    directory = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, directory + 24, claimed)  # central directory: uncompressed size
    path.write_bytes(bytes(data))

    tracemalloc.start()
    try:
        err = refused(october, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "inflates to more than" in err.problem
    assert peak < 16 << 20, f"inflated {peak:,} bytes before refusing"


def test_an_unknown_force_in_the_file_name(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = write(tmp_path / "2018-10-gotham-street.csv", sample)

    err = refused(october, path)

    assert isinstance(err, UnknownForce)
    assert "unknown police force 'gotham'" in err.problem


def test_two_files_for_one_force_month(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(WEST_MERCIA, sample)
        zf.writestr("copy/" + WEST_MERCIA_NAME, sample)

    err = refused(october, path)

    assert "two files for west-mercia 2018-10 street" in err.problem


def test_after_a_refused_file_the_store_takes_a_good_one(october: Store, sample: bytes, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad" / WEST_MERCIA_NAME, with_line(sample, 61, lambda row: row + b",extra"))
    refused(october, bad)

    good = write(tmp_path / "good" / WEST_MERCIA_NAME, sample)
    summary = ingest_path(october, good)

    assert summary["status"] == "loaded"
    assert street_count(october, "west-mercia") == 199
    assert len(october.revisions()) == 1


# --- several paths in one command ----------------------------------------------------------

WARWICKSHIRE = "2018-10/2018-10-warwickshire-street.csv"


@pytest.fixture(scope="module")
def warwickshire() -> bytes:
    """The header and first 99 rows of Warwickshire's October 2018 street file."""
    return b"\n".join(real_member(WARWICKSHIRE).split(b"\n")[:100]) + b"\n"


def test_paths_given_together_are_each_a_load_of_their_own(sample: bytes, warwickshire: bytes,
                                                          tmp_path: Path) -> None:
    mercia = write(tmp_path / "a" / WEST_MERCIA_NAME, sample)
    warks = write(tmp_path / "b" / "2018-10-warwickshire-street.csv", warwickshire)
    with Store.open(tmp_path / "s.duckdb") as store:
        summaries = ingest(store, [mercia, warks])

        assert [(s["status"], s["rows"]) for s in summaries] == [("loaded", 199), ("loaded", 99)]
        assert [(ld["file_name"], ld["rows"]) for ld in store.loads()] == [(mercia.name, 199), (warks.name, 99)]
        assert store.con.execute(
            "SELECT load_id, force_id, count(*) FROM police_uk_street GROUP BY ALL ORDER BY load_id").fetchall() \
            == [(summaries[0]["load_id"], "west-mercia", 199), (summaries[1]["load_id"], "warwickshire", 99)]


def test_a_bad_path_undoes_the_paths_given_with_it(sample: bytes, warwickshire: bytes, tmp_path: Path) -> None:
    good = write(tmp_path / "good" / WEST_MERCIA_NAME, sample)
    bad = write(tmp_path / "bad" / "2018-10-warwickshire-street.csv",
                with_line(warwickshire, 61, lambda row: row + b",extra"))
    with Store.open(tmp_path / "s.duckdb") as store:
        before = fingerprint(store)

        with pytest.raises(InputError) as caught:
            ingest(store, [good, bad])

        assert (caught.value.line, str(bad) in str(caught.value)) == (61, True)
        assert fingerprint(store) == before


def a_good_path_and_a_bad_one(sample: bytes, warwickshire: bytes, tmp_path: Path) -> tuple[Path, Path]:
    """West Mercia's sample as published, and Warwickshire's with one row given an extra field."""
    good = write(tmp_path / "good" / WEST_MERCIA_NAME, sample)
    bad = write(tmp_path / "bad" / "2018-10-warwickshire-street.csv",
                with_line(warwickshire, 61, lambda row: row + b",extra"))
    return good, bad


def test_a_long_command_is_one_transaction_when_members_are_streamed(
    sample: bytes, warwickshire: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing is extracted to disk, so no size splits a command: a bad file anywhere keeps nothing."""
    monkeypatch.setattr(police_uk, "BATCH_BYTES", len(sample))  # would split, were members extracted first
    good, bad = a_good_path_and_a_bad_one(sample, warwickshire, tmp_path)
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError):
            ingest(store, [good, bad])

        assert store.loads() == []
        assert street_count(store) == 0


def test_without_named_pipes_a_long_command_is_split_and_keeps_what_was_committed(
    sample: bytes, warwickshire: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(police_uk, "STREAM", False)  # members extracted to scratch files first
    monkeypatch.setattr(police_uk, "BATCH_BYTES", len(sample))  # one path per transaction
    good, bad = a_good_path_and_a_bad_one(sample, warwickshire, tmp_path)
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError):
            ingest(store, [good, bad])

        assert [ld["file_name"] for ld in store.loads()] == [good.name]
        assert street_count(store) == 199


def test_a_machine_with_many_cores_streams_an_archive_within_the_load_s_memory(tmp_path: Path) -> None:
    """A streamed member is read by one thread, so DuckDB reads as many at once as it has
    threads; with its default 32 MiB buffer each, sixteen filled the 512 MB limit."""
    with Store.open(tmp_path / "s.duckdb") as store:
        store.con.execute("SET threads = 16")
        ingest_path(store, OCTOBER)

        assert street_count(store) == 358_382


def test_a_scratch_folder_without_named_pipes_is_reported_and_nothing_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(path: Any, mode: int = 0o666) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(police_uk.os, "mkfifo", refuse)
    with Store.open(tmp_path / "s.duckdb") as store:
        before = store.fingerprint()
        with pytest.raises(StoreError, match=r"cannot make a named pipe .* SCORECARD_STREAM=0"):
            ingest_path(store, OCTOBER)

        assert store.fingerprint() == before


def pipes_made_by_a_load(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    made: list[Path] = []
    real_mkfifo = police_uk.os.mkfifo

    def mkfifo(path: Any, mode: int = 0o666) -> None:
        made.append(Path(path))
        real_mkfifo(path, mode)

    monkeypatch.setattr(police_uk.os, "mkfifo", mkfifo)
    ingest_path(store, OCTOBER)
    return [p for p in made if p.name != "probe"]


def test_pipes_are_made_on_tmpfs_and_gone_after_the_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shm = tmp_path / "shm"
    shm.mkdir()
    monkeypatch.setattr(police_uk, "PIPE_ROOT", shm)
    monkeypatch.delenv("SCORECARD_SCRATCH", raising=False)
    with Store.open(tmp_path / "s.duckdb") as store:
        pipes = pipes_made_by_a_load(store, monkeypatch)

        with zipfile.ZipFile(OCTOBER) as zf:
            assert len(pipes) == sum(name.endswith(".csv") for name in zf.namelist())  # a pipe a member
        assert all(p.parent.parent == shm for p in pipes)
        assert list(shm.iterdir()) == []
        assert street_count(store) == 358_382


def test_pipes_go_in_the_scratch_folder_when_one_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shm, scratch = tmp_path / "shm", tmp_path / "scratch"
    shm.mkdir()
    scratch.mkdir()
    monkeypatch.setattr(police_uk, "PIPE_ROOT", shm)
    monkeypatch.setenv("SCORECARD_SCRATCH", str(scratch))
    with Store.open(tmp_path / "s.duckdb") as store:
        pipes = pipes_made_by_a_load(store, monkeypatch)

        assert pipes and all(p.parent.parent == scratch for p in pipes)
        assert list(scratch.iterdir()) == [] and list(shm.iterdir()) == []


def test_pipes_go_in_the_scratch_folder_where_there_is_no_tmpfs(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(police_uk, "PIPE_ROOT", tmp_path / "no-such-folder")
    monkeypatch.delenv("SCORECARD_SCRATCH", raising=False)
    with Store.open(tmp_path / "s.duckdb") as store:
        pipes = pipes_made_by_a_load(store, monkeypatch)

        assert pipes and all(p.parent.name.startswith("scorecard-") for p in pipes)
        assert not any(p.parent.name.startswith("scorecard-pipes-") for p in pipes)


def test_a_later_path_for_the_same_force_month_revises_the_earlier(sample: bytes, tmp_path: Path) -> None:
    first = write(tmp_path / "first" / WEST_MERCIA_NAME, sample)
    revised = write(tmp_path / "revised" / WEST_MERCIA_NAME, b"\n".join(sample.split(b"\n")[:150]) + b"\n")
    with Store.open(tmp_path / "s.duckdb") as store:
        summaries = ingest(store, [first, revised])

        assert [s["rows"] for s in summaries] == [199, 149]
        assert street_count(store, "west-mercia") == 149
        (revision,) = store.revisions()
        assert (revision["what"], revision["old_rows"], revision["new_rows"]) == ("2018-10 street", 199, 149)


def test_the_same_file_twice_in_one_command_loads_once(sample: bytes, tmp_path: Path) -> None:
    path = write(tmp_path / WEST_MERCIA_NAME, sample)
    with Store.open(tmp_path / "s.duckdb") as store:
        summaries = ingest(store, [path, path])

        assert [s["status"] for s in summaries] == ["loaded", "unchanged"]
        assert street_count(store) == 199
        assert len(store.loads()) == 1


# --- the whole real data set -------------------------------------------------------------

def _rows_in(archive: Path) -> dict[date, int]:
    """Data rows per month, counted from the raw bytes (no CSV reader involved)."""
    counts: dict[date, int] = {}
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".csv"):
                data = zf.read(info)
                month = date(int(info.filename[:4]), int(info.filename[5:7]), 1)
                counts[month] = counts.get(month, 0) + data.count(b"\n") - 1 + (not data.endswith(b"\n"))
    return counts


@pytest.mark.slow
@pytest.mark.skipif(len(ALL_MONTHS) != 9, reason="needs all nine monthly archives")
def test_all_nine_monthly_archives(tmp_path: Path) -> None:
    """3,066,084 rows: with CSV auto-detection DuckDB 2.0 silently dropped every 2024 file."""
    expected: dict[date, int] = {}
    for archive in ALL_MONTHS:
        expected |= _rows_in(archive)
    assert sum(expected.values()) == 3_066_084

    with Store.open(tmp_path / "s.duckdb") as store:
        summaries = ingest(store, ALL_MONTHS)  # one command: one transaction, one INSERT

        assert [s["status"] for s in summaries] == ["loaded"] * 9
        assert street_count(store) == 3_066_084
        loads = store.loads()
        assert [ld["file_name"] for ld in loads] == [a.name for a in ALL_MONTHS]
        assert sum(int(str(ld["rows"])) for ld in loads) == 3_066_084
        held = dict(store.con.execute("SELECT month, count(*) FROM police_uk_street GROUP BY month").fetchall())
        assert held == expected
        assert dict(store.con.execute(
            "SELECT month, sum(rows) FROM load_members GROUP BY month").fetchall()) == expected
        # 2024 uses 2021 LSOA codes and lost Northern Ireland; both eras are fully there.
        assert store.con.execute(
            "SELECT count(DISTINCT force_id) FROM police_uk_street WHERE month = '2024-01-01'").fetchall() == [(40,)]

        # Results count the same rows, month by month, over every force that publishes.
        engine = ResultsEngine(store, load_catalogue())
        forces = [f for (f,) in store.con.execute("SELECT DISTINCT force_id FROM load_members").fetchall()]
        for month, rows in expected.items():
            results = engine.compute([ALL_STREET_CRIME], parse(f"{month:%Y-%m}"), force_ids=forces)
            held_results = [r for r in results if r.current.status == "complete"]
            assert sum(r.current.value or 0 for r in held_results) == rows, month

        # Loading them all again changes nothing.
        before = fingerprint(store)
        assert {ingest_path(store, a)["status"] for a in ALL_MONTHS} == {"unchanged"}
        assert fingerprint(store) == before



# --- files that must load exactly as they are ---------------------------------------------------

def _csv_rows(data: bytes) -> int:
    """Data rows, counted by Python's csv module (independently of DuckDB)."""
    import csv
    import io

    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))) - 1


def test_a_file_with_windows_line_endings_loads_every_row(tmp_path: Path) -> None:
    crlf = real_member(WEST_MERCIA).replace(b"\n", b"\r\n")
    path = write(tmp_path / WEST_MERCIA_NAME, crlf)
    with Store.open(tmp_path / "s.duckdb") as store:
        summary = ingest_path(store, path)

        assert summary["rows"] == _csv_rows(crlf) == 11_006
        assert street_count(store, "west-mercia", date(2018, 10, 1)) == 11_006
        # The values are the published ones, with no carriage return left on the last column.
        assert store.con.execute("SELECT count(*) FROM police_uk_street WHERE context LIKE '%\r%'"
                                 " OR crime_type LIKE '%\r%'").fetchall() == [(0,)]


def test_a_character_split_across_two_pieces_is_read_as_one(tmp_path: Path) -> None:
    """Members are checked in 1 MiB pieces; a two-byte "é" straddling a boundary is still UTF-8."""
    whole = real_member(WEST_MERCIA)
    at = whole.index(b"On or near", police_uk.PIECE_BYTES - 400)
    shift = police_uk.PIECE_BYTES - 1 - (at + len(b"On or "))
    assert shift >= 0
    padded = whole[:at] + b"On or " + b"n" * shift + b"\xc3\xa9ar" + whole[at + len(b"On or near"):]
    assert padded[police_uk.PIECE_BYTES - 1:police_uk.PIECE_BYTES + 1] == "é".encode()
    for compression in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        archive = tmp_path / f"{compression}" / "2018-10.zip"
        archive.parent.mkdir()
        with zipfile.ZipFile(archive, "w", compression) as zf:
            zf.writestr(WEST_MERCIA, padded)
        single = write(tmp_path / f"{compression}" / "single" / WEST_MERCIA_NAME, padded)
        for path in (archive, single):
            with Store.open(tmp_path / f"{compression}" / f"{path.suffix}.duckdb") as store:
                assert ingest_path(store, path)["rows"] == 11_006


def test_real_stop_and_search_files_are_in_their_forces_areas(tmp_path: Path) -> None:
    """Every real stop-and-search file passes the location check, City of London's included
    (70% of its located rows are inside its square mile) and files with no located rows."""
    archives = [*sorted(POLICE_UK.glob("stop-and-search-*.zip")),
                POLICE_UK / "thames-valley-2022-01-custom-download.zip"]
    expected = 0
    for archive in archives:
        with zipfile.ZipFile(archive) as zf:
            expected += sum(_csv_rows(zf.read(n)) for n in zf.namelist() if n.endswith("stop-and-search.csv"))
    with Store.open(tmp_path / "s.duckdb") as store:
        summaries = ingest(store, archives)

        assert [s["status"] for s in summaries] == ["loaded"] * len(archives)
        assert store.con.execute("SELECT count(*) FROM police_uk_stop_search").fetchall() == [(expected,)]
        assert store.con.execute("SELECT count(*) FROM police_uk_stop_search WHERE occurred_at IS NULL"
                                 ).fetchall() == [(0,)]
        # Well clear of the line (half): the City of London's are the lowest, at about 70%.
        shares = {(force, month): inside / located for (_, force, month), (located, inside)
                  in police_uk.located_inside(store, [int(str(ld["load_id"])) for ld in store.loads()]).items()}
        assert len(shares) == 18  # six forces with located rows, three months
        assert min(shares, key=shares.__getitem__)[0] == "city-of-london"
        assert 0.68 < min(shares.values()) < 0.71
        assert min(v for (force, _), v in shares.items() if force != "city-of-london") > 0.95


def test_a_folder_with_a_pipe_loads_its_files_and_says_what_it_skipped(tmp_path: Path, sample: bytes) -> None:
    import os

    folder = tmp_path / "downloads"
    write(folder / WEST_MERCIA_NAME, sample)
    os.mkfifo(folder / "2018-11-west-mercia-street.csv")  # opening it would block for ever
    with Store.open(tmp_path / "s.duckdb") as store:
        summary = ingest_path(store, folder)

        assert (summary["status"], summary["rows"]) == ("loaded", 199)
        assert summary["warnings"] == [
            f"{folder / '2018-11-west-mercia-street.csv'}: not a regular file (a pipe, device, socket, folder link or "
            "broken link); skipped"]


def test_member_names_are_stored_as_given_and_only_shown_escaped(tmp_path: Path, sample: bytes) -> None:
    from scorecard.errors import printable

    odd = "\x1b[31m[bold]2018\u202e/" + WEST_MERCIA_NAME
    archive = tmp_path / "odd.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(odd, sample)
        zf.writestr("\x1b]0;title\x07.txt", b"not police data\n")
    with Store.open(tmp_path / "s.duckdb") as store:
        summary = ingest_path(store, archive)

        assert store.con.execute("SELECT member FROM load_members").fetchall() == [(odd,)]
        (warning,) = summary["warnings"]
        assert "not a data.police.uk file" in warning
        assert "\x1b" not in printable(warning) and "\\x1b]0;title\\x07" in printable(warning)


# --- file names, forces and values -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["0000-10-west-mercia-street.csv", "9999-10-west-mercia-street.csv",
                                  "2009-12-west-mercia-street.csv"])
def test_a_year_no_one_publishes_in_the_file_name(name: str) -> None:
    with pytest.raises(InputError) as caught:
        police_uk.parse_member_name(name, source=Path(name))

    assert f"year {name[:4]} in the file name" in caught.value.problem


def test_another_forces_file_under_this_forces_name(october: Store, tmp_path: Path) -> None:
    """Kent's real October file saved as West Mercia's must not replace West Mercia's month."""
    path = write(tmp_path / WEST_MERCIA_NAME, real_member("2018-10/2018-10-kent-street.csv"))

    err = refused(october, path)

    assert (err.line, err.problem) == (2, "row is reported by 'Kent Police' but the file name says west-mercia")
    assert street_count(october, "west-mercia") == 11_006


def test_a_force_spelt_another_way_is_still_that_force(tmp_path: Path, sample: bytes) -> None:
    """"Reported by" is matched exactly against a few spellings, then normalised as areas does."""
    respelt = with_line(sample, 5, lambda row: row.replace(b"West Mercia Police,", b"West  Mercia  Constabulary,", 1))
    path = write(tmp_path / WEST_MERCIA_NAME, respelt)
    with Store.open(tmp_path / "s.duckdb") as store:
        assert ingest_path(store, path)["rows"] == 199


def test_a_stop_and_search_date_that_is_not_a_time(october: Store, tmp_path: Path) -> None:
    stops = real_member("2019-12/2019-12-durham-stop-and-search.csv", POLICE_UK / "stop-and-search-2019-12.zip")
    bad = with_line(stops, 9, lambda row: row.replace(b"2019-12-", b"2019-12-99T99:99:99,", 1).split(b",", 2)[0]
                    + b"," + b"2019-12-99T99:99:99" + b"," + row.split(b",", 2)[2])
    path = write(tmp_path / "2019-12-durham-stop-and-search.csv", bad)

    err = refused(october, path)

    assert (err.line, err.problem) == (9, "'Date' is not a date and time: '2019-12-99T99:99:99'")


def test_an_encrypted_member_is_refused_without_reading_it(october: Store, sample: bytes, tmp_path: Path) -> None:
    path = tmp_path / "2018-10.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("2018-10/2018-10-kent-street.csv", sample)
    data = bytearray(path.read_bytes())
    data[6] |= 1  # local header: general purpose flags
    data[data.index(b"PK\x01\x02") + 8] |= 1  # central directory
    path.write_bytes(bytes(data))

    err = refused(october, path)

    assert err.problem.startswith("2018-10/2018-10-kent-street.csv: the member is encrypted")


@pytest.mark.parametrize(("nul_line", "latin1_line"), [(9, 5), (5, 9)])
def test_of_two_bad_bytes_the_first_is_reported(october: Store, sample: bytes, tmp_path: Path,
                                               nul_line: int, latin1_line: int) -> None:
    bad = with_line(sample, nul_line, lambda row: row + b"\0")
    bad = with_line(bad, latin1_line, lambda row: row.replace(b"On or near", b"On or n\xe9ar"))
    path = write(tmp_path / WEST_MERCIA_NAME, bad)

    err = refused(october, path)

    assert err.line == min(nul_line, latin1_line)
    assert ("control character 0x00" in err.problem) == (nul_line < latin1_line)
