"""A damaged store file is refused as a store error, however it is damaged.

DuckDB checks a block's checksum only when a query reads it, so a damaged store can open cleanly
and fail part-way through a command.  Whatever the damage — bytes overwritten, the file cut
short, a page zeroed — the command must either answer (the damage missed what it reads) or stop
with exit code 4 naming the store: never a traceback, never "internal error".  Each example is a
real ``scorecard`` process on a copy of a real store (ONS June 2019 tables and a local series).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO, store_holding
from scorecard.errors import EXIT_OK, EXIT_STORE

SCORECARD = [sys.executable, "-c", "from scorecard.cli import app; app(prog_name='scorecard')"]
COMMANDS = [
    ("results", "--area", "west-midlands", "--period", "YE Jun 2019", "--format", "csv"),
    ("loads", "--format", "json"),
    ("revisions",),
]


@pytest.fixture(scope="module")
def store_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = store_holding(tmp_path_factory, "damaged-store", DEMO / "policeforceareatablesyearendingjune2019.xlsx",
                         DEMO / "local-series-west-midlands.csv")
    return path.read_bytes()


def damaged(data: bytes, how: str, at: float, junk: bytes) -> bytes:
    cut = int(at * (len(data) - 1))
    if how == "overwrite":
        return data[:cut] + junk + data[cut + len(junk):]
    if how == "truncate":
        return data[:cut]
    page = cut // 4096 * 4096
    return data[:page] + bytes(4096) + data[page + 4096:]


@settings(max_examples=24, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=st.sampled_from(["overwrite", "truncate", "zero-page"]), at=st.floats(0, 1),
       junk=st.binary(min_size=1, max_size=64), command=st.sampled_from(COMMANDS))
def test_a_damaged_store_answers_or_is_a_store_error(store_bytes: bytes, tmp_path: Path, how: str, at: float,
                                                     junk: bytes, command: tuple[str, ...]) -> None:
    store = tmp_path / f"store-{os.getpid()}-{abs(hash((how, at, junk)))}.duckdb"
    store.write_bytes(damaged(store_bytes, how, at, junk))
    try:
        res = subprocess.run([*SCORECARD, *command, "--store", str(store)], capture_output=True, text=True,
                             timeout=120, stdin=subprocess.DEVNULL)
    finally:
        store.unlink(missing_ok=True)
        Path(f"{store}.wal").unlink(missing_ok=True)
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    assert res.returncode in (EXIT_OK, EXIT_STORE), res.stderr
    if res.returncode == EXIT_STORE:
        assert store.name in res.stderr and res.stderr.count("\n") == 1, res.stderr
