"""The counts of data.police.uk rows the load keeps (``street_counts``) equal a count
over the rows themselves: after a load of the real October 2018 archive, after a revision, after
a load that fails part-way or is killed part-way, and when a store written before the counts
existed is opened."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import OCTOBER, private_copy
from scorecard import street_counts
from scorecard.errors import ScorecardError
from scorecard.ingest import ingest_path
from scorecard.store import Store
from scorecard.street_counts import COUNTED

WEST_MERCIA = "2018-10/2018-10-west-mercia-street.csv"


@pytest.fixture
def october(october_template: Path, tmp_path: Path) -> Iterator[Store]:
    yield from private_copy(october_template, tmp_path)


def differences(store: Store) -> dict[str, int]:
    """Rows of each counts table that a fresh count of the rows does not give, either way."""
    out = {}
    for kind, (table, _, _) in COUNTED.items():
        fresh = street_counts._select(kind, "true")
        (n,) = store.con.execute(
            f"""SELECT count(*) FROM ((SELECT * FROM {table}_counts EXCEPT ALL ({fresh}))
                UNION ALL (({fresh}) EXCEPT ALL SELECT * FROM {table}_counts))""").fetchone() or (0,)
        out[kind] = int(n)
    return out


def test_the_counts_equal_the_rows_after_a_load(october: Store) -> None:
    assert differences(october) == {"street": 0, "outcomes": 0, "stop-and-search": 0}
    (rows,) = october.con.execute("SELECT count(*) FROM police_uk_street").fetchone() or (0,)
    (counted, groups) = october.con.execute("SELECT sum(n), count(*) FROM police_uk_street_counts").fetchone() or (0, 0)
    assert counted == rows == 358_382 and groups < rows / 10


def test_each_row_is_counted_in_the_sub_area_its_lsoa_gives(october: Store) -> None:
    """The rule spelled out row by row, independently of how the load groups them: a row's
    local authority and CSP are its LSOA's when the LSOA is in the publishing force's area,
    "outside" when it is in another force's (or not in the lookup), "unknown" without one."""
    row_by_row = """
        SELECT s.force_id, s.month, sub.lad_code, sub.lad_name, sub.csp_code, sub.csp_name,
               s.crime_type, s.last_outcome_category, count(*) AS n
        FROM police_uk_street s LEFT JOIN lsoa_lookup l ON l.lsoa_code = s.lsoa_code,
        LATERAL (SELECT CASE WHEN coalesce(s.lsoa_code, '') = '' THEN ['unknown', 'Location not known',
                                                                        'unknown', 'Location not known']
                             WHEN l.force_id IS NOT DISTINCT FROM s.force_id AND l.lsoa_code IS NOT NULL
                             THEN [l.lad_code, l.lad_name, l.csp_code, l.csp_name]
                             ELSE ['outside', 'Outside the force area', 'outside', 'Outside the force area']
                        END AS v) x,
        LATERAL (SELECT x.v[1] AS lad_code, x.v[2] AS lad_name, x.v[3] AS csp_code, x.v[4] AS csp_name) sub
        GROUP BY ALL"""
    expected = sorted(october.con.execute(row_by_row).fetchall(), key=repr)
    kept = sorted(october.con.execute(
        "SELECT force_id, month, lad_code, lad_name, csp_code, csp_name, crime_type, last_outcome_category, "
        "sum(n) FROM police_uk_street_counts GROUP BY ALL").fetchall(), key=repr)
    assert kept == expected
    kinds = {row[2] for row in kept}
    assert {"unknown", "outside"} <= kinds and len(kinds) > 250  # every case occurs in the real month


def test_the_counts_follow_a_revision(october: Store, tmp_path: Path) -> None:
    with zipfile.ZipFile(OCTOBER) as zf:
        lines = zf.read(WEST_MERCIA).rstrip(b"\n").split(b"\n")
    revised = tmp_path / "republished" / "2018-10-west-mercia-street.csv"
    revised.parent.mkdir()
    revised.write_bytes(b"\n".join(lines[:-500]) + b"\n")
    assert ingest_path(october, revised)["status"] == "loaded"
    assert differences(october) == {"street": 0, "outcomes": 0, "stop-and-search": 0}
    (counted,) = october.con.execute("SELECT sum(n) FROM police_uk_street_counts").fetchone() or (0,)
    assert counted == 358_382 - 500


def test_a_load_that_fails_part_way_leaves_rows_and_counts_as_they_were(
        october: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with zipfile.ZipFile(OCTOBER) as zf:
        data = zf.read(WEST_MERCIA)
    other = tmp_path / "again" / "2018-10-west-mercia-street.csv"
    other.parent.mkdir()
    other.write_bytes(data.rstrip(b"\n").rsplit(b"\n", 1)[0] + b"\n")

    def fail(*_: object) -> None:
        raise ScorecardError("stopped after the rows were inserted")

    monkeypatch.setattr(street_counts, "remove", fail)
    with pytest.raises(ScorecardError):
        ingest_path(october, other)
    assert differences(october) == {"street": 0, "outcomes": 0, "stop-and-search": 0}
    (counted,) = october.con.execute("SELECT sum(n) FROM police_uk_street_counts").fetchone() or (0,)
    assert counted == 358_382


def test_a_store_written_before_the_counts_gets_them_when_opened_for_writing(october: Store) -> None:
    path = october.path
    for table, _, _ in COUNTED.values():
        october.con.execute(f"DELETE FROM {table}_counts")
    october.con.execute("DELETE FROM meta WHERE key = 'police_uk_counts'")
    october.close()
    with Store.open(path, read_only=True) as old:
        assert not old.counts_kept  # results count the rows of such a store
    with Store.open(path) as upgraded:
        assert upgraded.counts_kept and differences(upgraded) == {"street": 0, "outcomes": 0, "stop-and-search": 0}


@pytest.mark.parametrize("after_seconds", [0.5, 1.0, 2.0])
def test_a_load_killed_part_way_leaves_counts_equal_to_the_rows(october_template: Path, tmp_path: Path,
                                                                after_seconds: float) -> None:
    """``scorecard ingest`` of two more months, killed with SIGKILL part-way: whatever the kill
    interrupted, the store holds the counts of exactly the rows it holds."""
    store = tmp_path / "store.duckdb"
    shutil.copyfile(october_template, store)
    archives = [str(OCTOBER.with_name(n)) for n in ("2018-11.zip", "2018-12.zip")]
    exe = str(Path(sys.executable).parent / "scorecard")
    proc = subprocess.Popen([exe, "ingest", "--store", str(store), *archives], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "SCORECARD_SCRATCH": str(tmp_path)})
    time.sleep(after_seconds)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store.open(store) as after:
        assert differences(after) == {"street": 0, "outcomes": 0, "stop-and-search": 0}
        (rows,) = after.con.execute("SELECT count(*) FROM police_uk_street").fetchone() or (0,)
        (counted,) = after.con.execute("SELECT sum(n) FROM police_uk_street_counts").fetchone() or (0,)
        assert counted == rows >= 358_382
