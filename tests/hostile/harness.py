"""Hostile inputs through the real ``scorecard`` command, and what must hold for every one.

A case is one line of intent, the command line to run and a function that writes the input
into the case's own folder.  For every case the harness checks what a data steward is
promised (issue 7):

* the exit code is the one documented for the kind of problem (``scorecard.errors``);
* no Python traceback and no "internal error" is printed;
* the message names the file as printed (control characters escaped), and the line,
  sheet or key where the case says there is one;
* every table of the store has the same fingerprint afterwards (``Store.fingerprint``), and
  the input file itself is unchanged;
* the command ends within a time ceiling and a peak-memory ceiling set far above normal
  use, so an input that makes the program hang or grow is a failure, not a stuck CI run.

Cases run as real processes, a few at a time, each on its own copy of a store that holds
real data, so what is checked is what an analyst at a terminal would see.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.errors import EXIT_INPUT, printable
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[2]
SCORECARD = [sys.executable, "-c", "from scorecard.cli import app; app(prog_name='scorecard')"]

Make = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    """One hostile input and what the command must do with it."""

    id: str
    intent: str  # one line: what the input is, and what must happen
    make: Make  # writes the input under the folder it is given and returns its path
    args: Sequence[str] = ("ingest", "{input}")  # "{input}", "{store}" and "{dir}" are filled in
    exit: int = EXIT_INPUT
    names: str | None = "{input_name}"  # text the message must contain (None: nothing required)
    line: int | None = None  # the message must say "line N"
    says: str | None = None  # a regular expression the message must match
    seconds: float = 60.0  # wall-clock ceiling
    memory_mib: int = 1024  # peak resident memory ceiling (normal loads stay near 550 MiB)
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    exit: int
    output: str  # stdout and stderr together
    seconds: float
    peak_mib: float
    input_path: Path
    input_unchanged: bool
    fingerprint_before: dict[str, tuple[int, int]]
    fingerprint_after: dict[str, tuple[int, int]] | str  # or why it could not be taken
    timed_out: bool


def _digest(path: Path) -> str | None:
    """SHA-256 of a regular file (None for anything else: a folder, a pipe, a device)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        h = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def run_case(case: Case, template: Path, folder: Path, before: dict[str, tuple[int, int]]) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store.duckdb"
    shutil.copyfile(template, store)
    inputs = folder / "input"
    inputs.mkdir(exist_ok=True)
    input_path = case.make(inputs)
    digest = _digest(input_path)
    values = {"input": str(input_path), "store": str(store), "dir": str(inputs)}
    argv = [*SCORECARD, *(_fill(a, values) for a in case.args)]
    env = {**os.environ, "SCORECARD_STORE": str(store), "COLUMNS": "240", "NO_COLOR": "1",
           "SCORECARD_SCRATCH": str(folder), **{k: _fill(v, values) for k, v in case.env.items()}}
    env.pop("SCORECARD_CATALOGUE", None)
    env.pop("SCORECARD_DEBUG", None)
    out_path = folder / "output.txt"
    timed_out = False
    with out_path.open("wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=folder, start_new_session=True)

        def kill() -> None:
            nonlocal timed_out
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(case.seconds, kill)
        timer.start()
        peak = _PeakWatcher(proc.pid)
        try:
            _, status, _usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            peak.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - start
    after: dict[str, tuple[int, int]] | str
    try:
        with Store.open(store, read_only=True) as st:
            after = st.fingerprint()
    except Exception as exc:  # the check below reports it
        after = f"store cannot be opened after the case: {exc}"
    return Outcome(
        exit=proc.returncode, output=out_path.read_text("utf-8", errors="replace"), seconds=elapsed,
        peak_mib=peak.kib / 1024, input_path=input_path,
        input_unchanged=_digest(input_path) == digest, fingerprint_before=before,
        fingerprint_after=after, timed_out=timed_out,
    )


class _PeakWatcher:
    """The child's own peak resident memory (``VmHWM``), polled while it runs.

    ``ru_maxrss`` from ``wait4`` is no good here: Linux carries the parent's high-water mark
    across fork and exec, so every child of a large pytest process would seem large.
    ``VmHWM`` belongs to the child's own address space and only ever rises, so the last
    reading before it exits is its peak (to within one polling interval).
    """

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.kib = 0
        self._path = Path(f"/proc/{pid}/status")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(every,), daemon=True)
        self._thread.start()

    def _poll(self, every: float) -> None:
        while not self._stop.is_set():
            self._read()
            self._stop.wait(every)

    def _read(self) -> None:
        try:
            for line in self._path.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.kib = max(self.kib, int(line.split()[1]))
        except (OSError, ValueError):
            pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_all(cases: Sequence[Case], template: Path, root: Path) -> dict[str, Outcome]:
    """Run every case (a few at a time) and return what each did, by id."""
    ids = [c.id for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"case ids must be unique: {duplicates}"
    with Store.open(template, read_only=True) as st:
        before = st.fingerprint()
    workers = max(2, min(6, (os.cpu_count() or 2) * 2))
    with ThreadPoolExecutor(workers) as pool:
        futures = {c.id: pool.submit(run_case, c, template, root / c.id, before) for c in cases}
        return {cid: fut.result() for cid, fut in futures.items()}


def check(case: Case, outcome: Outcome) -> None:
    """Assert everything the harness promises for one case; the message says which failed."""
    shown = outcome.output
    context = f"\n--- {case.id}: {case.intent}\n--- output:\n{shown}"
    assert not outcome.timed_out, f"did not finish within {case.seconds} s{context}"
    assert "Traceback" not in shown, f"a traceback was printed{context}"
    assert "internal error" not in shown, f"an internal error was reported{context}"
    assert outcome.exit == case.exit, f"exit code {outcome.exit}, expected {case.exit}{context}"
    if case.names is not None:
        expected = printable(case.names.replace("{input_name}", outcome.input_path.name))
        assert expected in shown, f"the message does not name {expected!r}{context}"
    if case.line is not None:
        assert re.search(rf"\bline {case.line}\b", shown), f"the message does not say line {case.line}{context}"
    if case.says is not None:
        assert re.search(case.says, shown), f"the message does not match {case.says!r}{context}"
    assert outcome.fingerprint_after == outcome.fingerprint_before, f"the store changed{context}"
    assert outcome.input_unchanged, f"the input file was changed{context}"
    assert outcome.seconds < case.seconds, f"took {outcome.seconds:.1f} s{context}"
    assert outcome.peak_mib < case.memory_mib, f"peak memory {outcome.peak_mib:.0f} MiB{context}"
    assert not re.search(r"\x1b|\x07|\u202e", shown), f"raw control characters reached the terminal{context}"


# --- building inputs from real files ---------------------------------------------------------

SHARED = ROOT.parent / "shared" / "data"
DEMO = ROOT / "demo" / "data"
POLICE_UK = SHARED / "police-uk"


def real_member(archive: Path, name: str) -> bytes:
    """The bytes of one member of a real archive, as published."""
    import zipfile

    with zipfile.ZipFile(archive) as zf:
        return zf.read(name)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    """Write ``data`` to ``folder/name`` (creating sub-folders) and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)
    return path


def copy_of(source: Path, name: str | None = None) -> Make:
    """A case input that is a real file copied as it is (optionally under another name)."""

    def make(folder: Path) -> Path:
        target = folder / (name or source.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return target

    return make


def edited(source: Path, edit: Callable[[bytes], bytes], name: str | None = None) -> Make:
    """A case input that is a real file with one edit applied to its bytes."""

    def make(folder: Path) -> Path:
        return write(folder, name or source.name, edit(source.read_bytes()))

    return make


def replace_line(line_no: int, new: bytes) -> Callable[[bytes], bytes]:
    """An edit that replaces the 1-based line ``line_no`` (keeping its line ending)."""

    def edit(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        ending = lines[line_no - 1][len(lines[line_no - 1].rstrip(b"\r\n")):]
        lines[line_no - 1] = new + ending
        return b"".join(lines)

    return edit
