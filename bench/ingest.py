"""Ingest benchmark: ``scorecard ingest`` of the nine data.police.uk archives vs DuckDB's own read_csv.

Three contenders, each run as a whole process (``subprocess`` + ``os.wait4``, so every run
has its own wall time, CPU time and peak RSS):

* ``scorecard``  - the real code path: ``scorecard ingest --store FRESH.duckdb 20*.zip``
  (discovery, checksums, extraction, checks, load, validation, provenance, close).
* ``read_csv``   - DuckDB alone: ``CREATE TABLE t AS SELECT * FROM read_csv([...], columns={...},
  header=true, auto_detect=false, ...)`` of the same CSVs, extracted beforehand (outside the timing),
  into a fresh DuckDB file.
* ``unzip+read_csv`` - the end-to-end baseline: Python ``zipfile`` extraction of the nine
  archives into a fresh folder, then the same read_csv.

The machine is shared and noisy, so nothing here asserts an absolute time: the contenders
run in turn within each round, the order alternating between rounds, and the ratio
"scorecard speed / baseline speed" (= baseline time / scorecard time) is taken round by
round; the median is what is quoted.  Row counts are checked after every run (3,066,084).

    python bench/ingest.py                 # 5 counted rounds after 1 warm-up round
    python bench/ingest.py --runs 5 --profile

``--profile`` adds an in-process breakdown of where scorecard's ingest spends its time and
memory (the real functions, wrapped with timers; see ``profile_child``).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

EXPECTED_ROWS = 3_066_084
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "police-uk"
STREET_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
READ_CSV = ("CREATE TABLE t AS SELECT * FROM read_csv(?, columns = ?, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"')")


# --- child processes (what is timed) ---------------------------------------------------------

def _columns() -> dict[str, str]:
    return {c: ("DOUBLE" if c in ("Longitude", "Latitude") else "VARCHAR") for c in STREET_COLUMNS}


def child_read_csv(db: str, files: list[str]) -> None:
    import duckdb

    con = duckdb.connect(db)
    con.execute(READ_CSV, [files, _columns()])
    con.close()


def child_unzip_read_csv(db: str, zips: list[str], dest: str) -> None:
    files: list[str] = []
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            zf.extractall(dest)  # zlib inflate + CRC check, as any Python unzip does
            files += [os.path.join(dest, n) for n in zf.namelist() if n.endswith(".csv")]
    child_read_csv(db, sorted(files))


# --- running and measuring -------------------------------------------------------------------

def run_measured(cmd: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> dict[str, float]:
    """Run ``cmd`` to completion; wall seconds, CPU seconds and peak RSS (MiB) of that process."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log else ""
        raise SystemExit(f"benchmark command failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    # ru_maxrss of wait4 is this child's own high-water mark, in KiB on Linux.
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}


def count_rows(db: Path, table: str) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    finally:
        con.close()


def remove_db(db: Path) -> None:
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()


def scorecard_command() -> list[str]:
    exe = Path(sys.executable).with_name("scorecard")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from scorecard.cli import app; app()"]


def fmt_s(xs: list[float]) -> str:
    return f"min {min(xs):6.2f}s  median {statistics.median(xs):6.2f}s"


# --- profile of scorecard's own ingest -------------------------------------------------------

def profile_child(store_path: str, zips: list[str]) -> None:
    """Run the CLI's ingest in-process with the real functions wrapped by timers; print JSON."""
    t_start = time.perf_counter()

    def high_water() -> int:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmHWM"))

    import scorecard.cli  # noqa: F401  - the same imports as the command
    t_import = time.perf_counter() - t_start
    from collections import defaultdict

    from scorecard.ingest import ingest
    from scorecard.sources import police_uk
    from scorecard.store import Store

    secs: dict[str, float] = defaultdict(float)
    grew: dict[str, int] = defaultdict(int)

    def timed(name, fn):  # type: ignore[no-untyped-def]
        def wrapper(*a, **k):  # type: ignore[no-untyped-def]
            before, t = high_water(), time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                secs[name] += time.perf_counter() - t
                grew[name] += high_water() - before
        return wrapper

    for n in ("discover_all", "extract", "_insert_rows", "_record_members", "replace_superseded"):
        setattr(police_uk, n, timed(n, getattr(police_uk, n)))

    class Con:
        def __init__(self, con):  # type: ignore[no-untyped-def]
            self._con = con

        def execute(self, sql, *a):  # type: ignore[no-untyped-def]
            word = sql.split()[0].upper()
            if word in ("COMMIT", "CHECKPOINT"):
                return timed(f"sql {word}", self._con.execute)(sql, *a)
            return self._con.execute(sql, *a)

        def __getattr__(self, n):  # type: ignore[no-untyped-def]
            return getattr(self._con, n)

    t = time.perf_counter()
    st = Store.open(store_path)
    t_open = time.perf_counter() - t
    raw = st.con
    st.con = Con(raw)  # type: ignore[assignment]
    t = time.perf_counter()
    ingest(st, [Path(z) for z in zips])
    t_ingest = time.perf_counter() - t
    st.con = raw
    t = time.perf_counter()
    st.close()
    t_close = time.perf_counter() - t
    print(json.dumps({
        "import": t_import, "open": t_open, "ingest": t_ingest, "close": t_close,
        "phases": {k: [secs[k], grew[k]] for k in secs}, "high_water": high_water(),
        "total": time.perf_counter() - t_start,
    }))


def report_profile(workdir: Path, zips: list[str], repeats: int) -> None:
    store = workdir / "profile.duckdb"
    log = workdir / "profile.log"
    runs, whole = [], []
    for _ in range(repeats):
        remove_db(store)
        log.write_text("")
        cmd = [sys.executable, __file__, "--child", "profile", "--db", str(store), "--", *zips]
        whole.append(run_measured(cmd, log=log))
        runs.append(json.loads(next(x for x in reversed(log.read_text().splitlines()) if x.startswith("{"))))
    med = statistics.median

    def m(key: str) -> float:
        return med(r[key] for r in runs)

    print(f"\n--- profile: where scorecard ingest spends its time (real code, in-process); median of {repeats}")
    print(f"  whole process: wall {med(w['wall'] for w in whole):.2f}s, cpu {med(w['cpu'] for w in whole):.2f}s, "
          f"peak RSS {max(w['rss_mb'] for w in whole):.0f} MiB (max)")
    print(f"  import scorecard.cli ............ {m('import'):6.2f}s")
    print(f"  Store.open (schema, lookups) .... {m('open'):6.2f}s")
    print(f"  ingest of {len(zips)} paths ............ {m('ingest'):6.2f}s   of which:")
    for k in sorted(runs[0]["phases"], key=lambda k: -runs[0]["phases"][k][0]):
        s = med(r["phases"][k][0] for r in runs)
        g = max(r["phases"][k][1] for r in runs)
        print(f"    {k:30s} {s:6.2f}s  peak RSS +{g} MiB")
    hwm = max(r["high_water"] for r in runs)
    print(f"  Store.close ..................... {m('close'):6.2f}s   high-water {hwm} MiB")
    print(f"  total in process ................ {m('total'):6.2f}s")


# --- main ------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="counted rounds (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of the archives (default {DEFAULT_DATA})")
    ap.add_argument("--workdir", type=Path, help="scratch folder (default: a new temp dir, removed at the end)")
    ap.add_argument("--profile", action="store_true", help="also break down scorecard's ingest time and memory")
    ap.add_argument("--profile-runs", type=int, default=3, help="runs of each profile, medians quoted (default 3)")
    ap.add_argument("--child", choices=["read_csv", "unzip_read_csv", "profile"], help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--dest", help=argparse.SUPPRESS)
    ap.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child == "read_csv":
        child_read_csv(args.db, json.loads(Path(args.inputs[0]).read_text()))
        return 0
    if args.child == "unzip_read_csv":
        child_unzip_read_csv(args.db, args.inputs, args.dest)
        return 0
    if args.child == "profile":
        profile_child(args.db, args.inputs)
        return 0

    zips = sorted(glob.glob(str(args.data / "20*.zip")))
    if len(zips) != 9:
        print(f"warning: expected the nine monthly archives in {args.data}, found {len(zips)}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="scorecard-bench-ingest-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        # Set-up, not timed: the CSVs for the read_csv baseline.
        csv_dir = workdir / "csv"
        if not csv_dir.exists():
            for z in zips:
                with zipfile.ZipFile(z) as zf:
                    zf.extractall(csv_dir)
        files = sorted(str(p) for p in csv_dir.rglob("*.csv"))
        file_list = workdir / "files.json"
        file_list.write_text(json.dumps(files))
        csv_bytes = sum(os.path.getsize(f) for f in files)
        print(f"{len(zips)} archives, {sum(os.path.getsize(z) for z in zips) / 1e6:.0f} MB zipped; "
              f"{len(files)} CSVs, {csv_bytes / 1e6:.0f} MB; {os.cpu_count()} cores; "
              f"{args.runs} counted rounds after {args.warmup} warm-up, order alternating")

        sc_db, rc_db, e2e_db = workdir / "scorecard.duckdb", workdir / "read_csv.duckdb", workdir / "e2e.duckdb"
        e2e_dest = workdir / "e2e-csv"
        log = workdir / "runs.log"
        contenders = {
            "scorecard": (lambda: remove_db(sc_db),
                          [*scorecard_command(), "ingest", "--store", str(sc_db), *zips],
                          lambda: count_rows(sc_db, "police_uk_street")),
            "read_csv": (lambda: remove_db(rc_db),
                         [sys.executable, __file__, "--child", "read_csv", "--db", str(rc_db), str(file_list)],
                         lambda: count_rows(rc_db, "t")),
            "unzip+read_csv": (lambda: (remove_db(e2e_db), shutil.rmtree(e2e_dest, ignore_errors=True)),
                               [sys.executable, __file__, "--child", "unzip_read_csv", "--db", str(e2e_db),
                                "--dest", str(e2e_dest), "--", *zips],
                               lambda: count_rows(e2e_db, "t")),
        }
        names = list(contenders)
        results: dict[str, list[dict[str, float]]] = {n: [] for n in names}
        for i in range(args.warmup + args.runs):
            order = names if i % 2 == 0 else names[::-1]
            counted = i >= args.warmup
            for n in order:
                prepare, cmd, check = contenders[n]
                prepare()
                m = run_measured(cmd, log=log)
                rows = check()
                if rows != EXPECTED_ROWS:
                    raise SystemExit(f"{n}: {rows:,} rows stored, expected {EXPECTED_ROWS:,}")
                if counted:
                    results[n].append(m)
            tag = f"round {i - args.warmup + 1}" if counted else f"warm-up {i + 1}"
            print(f"  {tag:10s} ({' -> '.join(order)}): " + ", ".join(
                f"{n} {results[n][-1]['wall']:.2f}s" if counted else n for n in order))

        print(f"\nrows: {EXPECTED_ROWS:,} in every run of every contender")
        print(f"{'':16s} {'wall':>30s}   {'cpu (user+sys)':>30s}   peak RSS (median, max)")
        for n in names:
            rs = results[n]
            rss = [r["rss_mb"] for r in rs]
            print(f"{n:16s} {fmt_s([r['wall'] for r in rs]):>30s}   {fmt_s([r['cpu'] for r in rs]):>30s}   "
                  f"{statistics.median(rss):5.0f} MiB, {max(rss):5.0f} MiB")
        ratios = {}
        for base in ("read_csv", "unzip+read_csv"):
            paired = [b["wall"] / s["wall"] for s, b in zip(results["scorecard"], results[base], strict=True)]
            cpu = [b["cpu"] / s["cpu"] for s, b in zip(results["scorecard"], results[base], strict=True)]
            ratios[base] = statistics.median(paired)
            print(f"scorecard speed / {base} speed: median {statistics.median(paired):.2f} "
                  f"(rounds: {', '.join(f'{r:.2f}' for r in paired)}); by CPU time {statistics.median(cpu):.2f}")
        peak = max(r["rss_mb"] for r in results["scorecard"])
        print(f"scorecard peak RSS (max over rounds): {peak:.0f} MiB (target < 1024 MiB)")

        if args.profile:
            report_profile(workdir, zips, repeats=args.profile_runs)

        print()
        print(f"RATIO ingest_peak_rss_mib={peak:.0f} target=<1024 ok={'yes' if peak < 1024 else 'no'}")
        r = ratios["unzip+read_csv"]
        print(f"RATIO ingest_speed_vs_unzip_read_csv={r:.2f} target=>=0.8 ok={'yes' if r >= 0.8 else 'no'}")
        r = ratios["read_csv"]
        print(f"RATIO ingest_speed_vs_read_csv={r:.2f} target=>=0.8 ok={'yes' if r >= 0.8 else 'no'}")
        return 0
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
