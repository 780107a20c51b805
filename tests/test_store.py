"""The store: its schema, all-or-nothing transactions, and surviving a killed process.

The crash tests run a real ingest of a data.police.uk archive in a child process and kill
it with SIGKILL.  To kill it at a known point, the child wraps one function of the loader
(``police_uk.replace_superseded``, the last step before the load is recorded and committed)
so that it signals the test and then waits: every row of the load has been written, but the
transaction is still open.  No hook in the package is needed for this.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scorecard.errors import StoreError
from scorecard.ingest import ingest_path
from scorecard.store import SCHEMA_VERSION, Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
OCTOBER = SHARED / "police-uk" / "2018-10.zip"
WEST_MERCIA = "2018-10/2018-10-west-mercia-street.csv"
needs_real_data = pytest.mark.skipif(not OCTOBER.exists(), reason="needs ../shared/data/police-uk")


def fingerprint(store: Store) -> dict[str, Any]:
    return store.fingerprint()


def assert_consistent(store: Store) -> None:
    """Every stored row belongs to a recorded load, and every load holds exactly what it says."""
    con = store.con
    orphans = con.execute("""SELECT DISTINCT s.load_id FROM police_uk_street s
                             LEFT JOIN loads l USING (load_id) WHERE l.load_id IS NULL""").fetchall()
    assert orphans == [], "street rows without a loads row"
    assert con.execute("""SELECT DISTINCT m.load_id FROM load_members m
                          LEFT JOIN loads l USING (load_id) WHERE l.load_id IS NULL""").fetchall() == []
    # A load's row count is the sum of its members' when loaded ...
    mismatched = con.execute("""SELECT l.load_id, l.rows, sum(m.rows) FROM loads l
                                JOIN load_members m USING (load_id) WHERE l.dataset = 'police_uk'
                                GROUP BY ALL HAVING l.rows <> sum(m.rows)""").fetchall()
    assert mismatched == []
    # ... and each member still current has all its rows, each replaced one none.
    held = con.execute("""SELECT m.load_id, m.force_id, m.month, m.rows, m.superseded_by, count(s.load_id)
                          FROM load_members m LEFT JOIN police_uk_street s
                            ON s.load_id = m.load_id AND s.force_id = m.force_id AND s.month = m.month
                          WHERE m.kind = 'street' GROUP BY ALL""").fetchall()
    for load_id, force_id, month, rows, superseded_by, found in held:
        expected = 0 if superseded_by is not None else rows
        assert found == expected, (load_id, force_id, month)
    # One current member per force-month.
    assert con.execute("""SELECT force_id, month FROM load_members WHERE superseded_by IS NULL
                          GROUP BY ALL HAVING count(*) > 1""").fetchall() == []


# --- schema and transactions ---------------------------------------------------------------

def test_a_new_store_has_its_schema_and_reference_data_once(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        first = fingerprint(store)
        assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            (str(SCHEMA_VERSION),)]
        assert first["lsoa_lookup"][0] > 30_000
        assert first["population"][0] > 0
        assert first["loads"][0] == 0
    with Store.open(path) as store:  # opening again adds nothing
        assert fingerprint(store) == first


def test_a_store_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        store.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    with pytest.raises(StoreError, match="newer version"):
        Store.open(path)


def test_reading_a_store_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `scorecard ingest` first"):
        Store.open(tmp_path / "nowhere.duckdb", read_only=True)
    assert not (tmp_path / "nowhere.duckdb").exists()


def test_a_failed_transaction_leaves_the_store_exactly_as_it_was(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        before = fingerprint(store)

        with pytest.raises(RuntimeError), store.transaction() as con:
            load_id = store.next_load_id()
            store.record_load(load_id=load_id, path="x.csv", sha256="0" * 64, size=1, kind="test",
                              dataset="test", rows=1, covers="nothing", first_month=None, last_month=None,
                              warnings=[])
            con.execute("INSERT INTO police_uk_street (load_id, force_id, month, crime_type) "
                        "VALUES (?, 'west-mercia', DATE '2018-10-01', 'Burglary')", [load_id])
            raise RuntimeError("something went wrong half way")

        assert fingerprint(store) == before


def test_settings_for_a_load_are_put_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        def setting(name: str) -> object:
            return store.con.execute(f"SELECT current_setting('{name}')").fetchall()[0][0]

        before = setting("memory_limit")

        with store.loading(memory_limit="512MB", track_progress=True):
            assert (setting("memory_limit"), setting("enable_progress_bar")) == ("488.2 MiB", True)
            assert setting("enable_progress_bar_print") is False  # tracked, never printed

        assert (setting("memory_limit"), setting("enable_progress_bar")) == (before, False)
        with pytest.raises(StoreError, match="not a size"), \
                store.loading(memory_limit="1GB'; DROP TABLE loads; --"):
            pass
        assert setting("memory_limit") == before


# --- a process killed mid-ingest -----------------------------------------------------------

CHILD = """
import sys, time
from pathlib import Path
from scorecard.ingest import ingest_path
from scorecard.sources import police_uk
from scorecard.store import Store

store_path, data_path, signal_file, stall = sys.argv[1:5]
real_replace = police_uk.replace_superseded

def replace_then_stall(store, load_ids):
    real_replace(store, load_ids)
    if stall == "in-transaction":  # every row written, nothing committed
        Path(signal_file).write_text(str(load_ids))
        time.sleep(600)

police_uk.replace_superseded = replace_then_stall
with Store.open(store_path) as store:
    Path(signal_file + ".ready").write_text("ingesting")
    summary = ingest_path(store, Path(data_path))
    if stall == "after-commit":
        Path(signal_file).write_text(str(summary["load_id"]))
        time.sleep(600)
"""


@pytest.fixture
def killed(tmp_path: Path) -> Iterator[Any]:
    """Runs an ingest in a child process and kills it (SIGKILL) at the point asked for."""
    children: list[subprocess.Popen[bytes]] = []

    def run(store: Path, data: Path, stall: str, *, after_ready: float | None = None) -> None:
        signal_file = tmp_path / f"signal-{len(children)}"
        log = tmp_path / f"child-{len(children)}.log"
        # A killed child cannot clean its scratch folder: keep it where pytest cleans up.
        scratch = tmp_path / f"scratch-{len(children)}"
        scratch.mkdir()
        env = {**os.environ, "SCORECARD_SCRATCH": str(scratch)}
        with log.open("wb") as log_file:
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(store), str(data), str(signal_file), stall],
                                     stdout=subprocess.DEVNULL, stderr=log_file, env=env)
        children.append(child)
        wanted = signal_file if after_ready is None else Path(f"{signal_file}.ready")
        deadline = time.monotonic() + 120
        while not wanted.exists():
            if child.poll() is not None:
                raise AssertionError(f"child ended early: {log.read_text()}")
            assert time.monotonic() < deadline, "child never reached the kill point"
            time.sleep(0.02)
        if after_ready is not None:
            time.sleep(after_ready)
            if child.poll() is not None:  # it finished first: nothing left to interrupt
                assert child.returncode == 0, log.read_text()
                return
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL

    yield run
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait()


def published_crime_ids(archive: Path, member: str) -> list[str | None]:
    """The "Crime ID" column as the file has it, read with the csv module (not DuckDB)."""
    with zipfile.ZipFile(archive) as zf:
        lines = zf.read(member).decode("utf-8").splitlines()
    return [row["Crime ID"] or None for row in csv.DictReader(lines)]


def stored_crime_ids(store: Store, force_id: str) -> list[str | None]:
    return [r[0] for r in store.con.execute(
        "SELECT crime_id FROM police_uk_street_rows WHERE force_id = ?", [force_id]).fetchall()]


def by_value(ids: list[str | None]) -> list[str]:
    return sorted("" if i is None else i for i in ids)


@needs_real_data
def test_crime_ids_are_held_as_their_bytes_and_read_back_as_published(october_template: Path) -> None:
    """A 64-hex-digit ID held as its 32 bytes, uncompressed: half the space of the text and
    none of the CPU DuckDB's FSST spends on it (docs/benchmarks.md)."""
    with Store.open(october_template, read_only=True) as store:
        methods = dict(store.con.execute(
            """SELECT column_name, list(DISTINCT compression) FROM pragma_storage_info('police_uk_street')
               WHERE segment_type IN ('BLOB', 'VARCHAR') AND column_name IN ('crime_hash', 'crime_type')
               GROUP BY ALL""").fetchall())
        kept_as_text = store.con.execute("SELECT count(crime_id_text) FROM police_uk_street").fetchall()
        ids = stored_crime_ids(store, "west-mercia")

    assert methods["crime_hash"] == ["Uncompressed"]
    assert methods["crime_type"] != ["Uncompressed"]  # the other columns keep DuckDB's choice
    assert kept_as_text == [(0,)]  # every published ID is lower-case hex
    published = published_crime_ids(OCTOBER, WEST_MERCIA)
    assert len(ids) == len(published) > 5_000
    assert by_value(ids) == by_value(published)


@needs_real_data
def test_an_id_that_is_not_lower_case_hex_is_kept_exactly_as_written(tmp_path: Path) -> None:
    with zipfile.ZipFile(OCTOBER) as zf:
        lines = zf.read(WEST_MERCIA).decode("utf-8").splitlines(keepends=True)
    unusual = ["ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",  # capitals
               "abc", "12345", "WM/2018/000123", " 00ff", "0x00ff", "ab cd", "00", "Ab"]
    for i, crime_id in enumerate(unusual, start=1):
        lines[i] = f'"{crime_id}"' + lines[i][lines[i].index(","):]
    csv_path = tmp_path / "2018-10-west-mercia-street.csv"
    csv_path.write_text("".join(lines), encoding="utf-8")
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest_path(store, csv_path)
        ids = stored_crime_ids(store, "west-mercia")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        published = [row["Crime ID"] or None for row in csv.DictReader(fh)]
    assert set(unusual) <= set(published)
    assert by_value(ids) == by_value(published)


@needs_real_data
def test_a_store_of_schema_1_is_upgraded_keeping_every_crime_id(tmp_path: Path, october_template: Path) -> None:
    """Schema 1 held crime IDs as text, in the column after month."""
    path = tmp_path / "old.duckdb"
    shutil.copy(october_template, path)
    with Store.open(path) as store:
        before = store.con.execute("SELECT * FROM police_uk_street_rows").fetchall()
        layout = store.con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = "
                                   "'police_uk_street' ORDER BY column_index").fetchall()
        con = store.con
        con.execute("DROP VIEW police_uk_street_rows")
        con.execute("DROP VIEW police_uk_outcomes_rows")
        for table in ("police_uk_street", "police_uk_outcomes"):
            rest = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]).fetchall()][3:]
            rest = [c for c in rest if c not in ("crime_hash", "crime_id_text")]
            con.execute(f"""CREATE TABLE {table}_1 AS SELECT load_id, force_id, month,
                            coalesce(crime_id_text, lower(hex(crime_hash))) AS crime_id, {", ".join(rest)}
                            FROM {table}""")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE {table}_1 RENAME TO {table}")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        assert "crime_id" in {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'police_uk_street'").fetchall()}

    with Store.open(path) as store:
        after = store.con.execute("SELECT * FROM police_uk_street_rows").fetchall()
        assert store.con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = "
                                 "'police_uk_street' ORDER BY column_index").fetchall() == layout
        assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            (str(SCHEMA_VERSION),)]
    assert len(after) == 358_382
    assert sorted(after, key=repr) == sorted(before, key=repr)


@needs_real_data
def test_killed_inside_the_load_transaction_leaves_no_trace(tmp_path: Path, killed: Any) -> None:
    store_path = tmp_path / "s.duckdb"
    with Store.open(store_path) as store:
        before = fingerprint(store)

    killed(store_path, OCTOBER, "in-transaction")

    with Store.open(store_path) as store:
        assert fingerprint(store) == before
        assert store.loads() == []
        assert_consistent(store)
        # And the archive loads in full afterwards.
        summary = ingest_path(store, OCTOBER)
        assert (summary["status"], summary["rows"]) == ("loaded", 358_382)
        assert store.con.execute("SELECT count(*) FROM police_uk_street").fetchall() == [(358_382,)]
        assert_consistent(store)


@needs_real_data
def test_killed_while_replacing_a_force_month_keeps_the_old_rows(
    tmp_path: Path, october_template: Path, killed: Any,
) -> None:
    store_path = tmp_path / "s.duckdb"
    shutil.copyfile(october_template, store_path)
    with zipfile.ZipFile(OCTOBER) as zf:
        lines = zf.read(WEST_MERCIA).rstrip(b"\n").split(b"\n")
    revised = tmp_path / "2018-10-west-mercia-street.csv"
    revised.write_bytes(b"\n".join(lines[:-100]) + b"\n")
    with Store.open(store_path) as store:
        before = fingerprint(store)

    killed(store_path, revised, "in-transaction")  # old rows deleted, new ones in, not committed

    with Store.open(store_path) as store:
        assert fingerprint(store) == before
        assert store.revisions() == []
        assert_consistent(store)
        summary = ingest_path(store, revised)
        assert summary["status"] == "loaded"
        (revision,) = store.revisions()
        assert (revision["old_rows"], revision["new_rows"]) == (len(lines) - 1, len(lines) - 101)
        assert_consistent(store)


@needs_real_data
def test_killed_after_the_commit_keeps_the_complete_load(tmp_path: Path, killed: Any) -> None:
    store_path = tmp_path / "s.duckdb"
    Store.open(store_path).close()

    killed(store_path, OCTOBER, "after-commit")

    with Store.open(store_path) as store:
        (load,) = store.loads()
        assert (load["file_name"], load["rows"]) == ("2018-10.zip", 358_382)
        assert store.con.execute("SELECT count(*) FROM police_uk_street").fetchall() == [(358_382,)]
        assert_consistent(store)
        assert ingest_path(store, OCTOBER)["status"] == "unchanged"


@needs_real_data
def test_killed_at_an_arbitrary_moment_leaves_all_or_nothing(tmp_path: Path, killed: Any) -> None:
    """No hook: the child is killed 0.6 s into the ingest (extracting or inserting), wherever it is."""
    store_path = tmp_path / "s.duckdb"
    Store.open(store_path).close()

    killed(store_path, OCTOBER, "no-stall", after_ready=0.6)

    with Store.open(store_path) as store:
        rows = store.con.execute("SELECT count(*) FROM police_uk_street").fetchall()[0][0]
        assert [ld["rows"] for ld in store.loads()] == ([358_382] if rows else [])
        assert rows in (0, 358_382)
        assert_consistent(store)
        summary = ingest_path(store, OCTOBER)
        assert summary["status"] == ("unchanged" if rows else "loaded")
        assert store.con.execute(
            "SELECT count(*), min(month), max(month) FROM police_uk_street").fetchall() == [
            (358_382, date(2018, 10, 1), date(2018, 10, 1))]
        assert_consistent(store)
