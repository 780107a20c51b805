"""Hostile stores, paths and command lines: refused with one line and the documented exit code."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from harness import Case, Outcome, check, run_all, write

from scorecard.errors import EXIT_INPUT, EXIT_STORE, EXIT_USAGE


def truncated_store(template: Path) -> Case:
    def make(folder: Path) -> Path:
        data = template.read_bytes()
        return write(folder, "truncated.duckdb", data[: len(data) // 3])

    return Case("store-truncated", "a store cut to a third of its size is refused, not read", make,
                ("results", "--store", "{input}", "--area", "west-mercia", "--period", "2024"), EXIT_STORE)


def fifo(name: str) -> Case:
    def make(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    return Case(f"fifo-{name}", f"a named pipe called {name} is refused at once, never opened", make,
                seconds=20, says="not a regular file")


def link_to(target: str, name: str, says: str = "not a regular file") -> Case:
    def make(folder: Path) -> Path:
        path = folder / name
        path.symlink_to(target)
        return path

    return Case(f"link-{name}", f"a link named {name} to {target} is refused, never read", make,
                seconds=20, says=says)


def _plain(folder: Path) -> Path:
    return write(folder, "plain.txt", "not a folder\n")


def _other_duckdb(folder: Path) -> Path:
    import duckdb

    path = folder / "someone-elses.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE invoices AS SELECT 1 AS id")
    return path


def _folder(folder: Path) -> Path:
    path = folder / "a-folder.duckdb"
    path.mkdir()
    return path


def _named(name: str) -> Case:
    return Case(f"missing-{name.encode().hex()[:12]}", f"a missing file named {name!r} is named, escaped, in the error",
                lambda folder: folder / name, says="no such file")


STORE_CASES = [
    Case("store-is-csv", "a CSV given as the store is refused and left as it is",
         lambda f: write(f, "figures.csv", "a,b\n1,2\n"),
         ("results", "--store", "{input}", "--area", "west-mercia", "--period", "2024"), EXIT_STORE),
    Case("store-other-duckdb", "another program's DuckDB file given as the store is refused, not migrated",
         _other_duckdb, ("ingest", "--store", "{input}", "{input}"), EXIT_STORE, says="not a scorecard store"),
    Case("store-other-duckdb-read", "another program's DuckDB file is refused by a reading command too",
         _other_duckdb, ("loads", "--store", "{input}"), EXIT_STORE, says="not a scorecard store"),
    Case("store-is-folder", "a folder given as the store is refused", _folder,
         ("loads", "--store", "{input}"), EXIT_STORE, says="not a file"),
    Case("store-under-file", "a store path under a regular file is refused, the file left alone", _plain,
         ("ingest", "--store", "{input}/store.duckdb", "{input}"), EXIT_STORE, names="plain.txt"),
]

PATH_CASES = [
    fifo("2018-10-west-mercia-street.csv"),
    fifo("series.csv"),
    link_to("/dev/zero", "2018-10-west-mercia-street.csv"),
    link_to("/dev/urandom", "table.xlsx"),
    link_to("nowhere.csv", "dangling.csv", says="no such file"),
    _named("weird[/]name.csv"),
    _named("[bold]loud[/bold].csv"),
    _named("\x1b[31mred\x1b[0m.csv"),
    _named("bell\x07.csv"),
    _named("right-to-left\u202eVSC.csv"),
    Case("empty-file", "an empty file is refused, naming line 1", lambda f: write(f, "empty.csv", b""), line=1),
    Case("unknown-kind", "a file of no kind the scorecard reads is refused, saying what it reads",
         lambda f: write(f, "notes.txt", "minutes of the meeting\n"), says="not a file type the scorecard reads"),
]

USAGE_CASES = [
    Case("unknown-area", "an unknown area is a usage error (exit 2), not a data error",
         lambda f: f, ("results", "--area", "Atlantis", "--period", "2024"), EXIT_USAGE, names="Atlantis"),
    Case("bad-period", "a period that cannot be read is a usage error naming it",
         lambda f: f, ("results", "--area", "west-mercia", "--period", "2024-13"), EXIT_USAGE, names="2024-13"),
    Case("bad-option", "an unknown option is a usage error", lambda f: f,
         ("results", "--area", "west-mercia", "--period", "2024", "--colour", "red"), EXIT_USAGE, names="--colour"),
    Case("bad-format", "an unknown report format is a usage error naming it", lambda f: f,
         ("report", "--area", "west-mercia", "--period", "2024", "--format", "html,rtf", "--out", "{dir}/out"),
         EXIT_USAGE, names="rtf"),
]

def _fifo_named(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        os.mkfifo(folder / name)
        return folder / name

    return make


def _zero_named(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).symlink_to("/dev/zero")
        return folder / name

    return make


SPC_CASES = [
    Case("spc-fifo", "a named pipe given to `spc` is refused unopened", _fifo_named("series.csv"),
         ("spc", "{input}"), seconds=20, says="not a regular file"),
    Case("spc-dev-zero", "a link to /dev/zero given to `spc` is refused unread", _zero_named("series.csv"),
         ("spc", "{input}"), seconds=20, says="not a regular file"),
    Case("spc-bad-number", "a value written '1,2' in an SPC series is refused on its line",
         lambda f: write(f, "series.csv", 'date,value\n2024-01-01,5\n2024-02-01,"1,2"\n'), ("spc", "{input}"),
         line=3, says="groups of three"),
]

CASES = [*STORE_CASES, *PATH_CASES, *USAGE_CASES, *SPC_CASES]


@pytest.fixture(scope="module")
def outcomes(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    cases = [*CASES, truncated_store(hostile_store)]
    return run_all(cases, hostile_store, tmp_path_factory.mktemp("store-and-cli"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    check(case, outcomes[case.id])


def test_truncated_store_is_refused(hostile_store: Path, outcomes: dict[str, Outcome]) -> None:
    check(truncated_store(hostile_store), outcomes["store-truncated"])


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to drop to nobody")
def test_store_in_a_folder_nobody_may_enter(tmp_path: Path) -> None:
    """Run as 'nobody': a store inside a folder it cannot enter is a store error, not a traceback."""
    import subprocess
    import sys

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o700)
    tmp_path.chmod(0o755)
    cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c",
           "from scorecard.cli import app; app(prog_name='scorecard')", "loads", "--store",
           str(locked / "store.duckdb")]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": "/tmp"})
    assert res.returncode == EXIT_STORE, res.stderr
    assert "Traceback" not in res.stderr and "store.duckdb" in res.stderr
    assert EXIT_INPUT != EXIT_STORE
