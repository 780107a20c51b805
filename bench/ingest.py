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

    python bench/ingest.py                 # 3 counted rounds after 1 warm-up round
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

def profile_child(store_path: str, zips: list[str], checkpoint_each: bool) -> None:
    """Run the CLI's ingest in-process with the real functions wrapped by timers; print JSON.

    ``checkpoint_each`` is an experiment, not the shipped code path: it issues CHECKPOINT
    after every archive's COMMIT, to show what deferring the checkpoint to close() costs.
    """
    t_start = time.perf_counter()

    def mem() -> dict[str, int]:
        d = {}
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(("VmRSS", "VmHWM")):
                    k, v = line.split(":")
                    d[k] = int(v.split()[0]) // 1024
        return d

    import scorecard.cli  # noqa: F401  - the same imports as the command
    t_import = time.perf_counter() - t_start
    from collections import defaultdict

    from scorecard.ingest import ingest_path
    from scorecard.sources import police_uk
    from scorecard.store import Store

    secs: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    grew: dict[str, int] = defaultdict(int)

    def timed(name, fn):  # type: ignore[no-untyped-def]
        def wrapper(*a, **k):  # type: ignore[no-untyped-def]
            before = mem()["VmHWM"]
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                secs[name] += time.perf_counter() - t
                calls[name] += 1
                grew[name] += mem()["VmHWM"] - before
        return wrapper

    class Lib:
        def __init__(self, lib, prefix):  # type: ignore[no-untyped-def]
            self._lib, self._prefix = lib, prefix

        def __getattr__(self, n):  # type: ignore[no-untyped-def]
            v = getattr(self._lib, n)
            if n == "decompressobj":  # time the object's decompress() under the same name
                return lambda *a, **k: Lib(v(*a, **k), self._prefix)
            return timed(f"{self._prefix}.{n}", v) if callable(v) else v

    police_uk._inflate_lib = Lib(police_uk._inflate_lib, "inflate (ISA-L)")  # type: ignore[assignment]
    police_uk.zlib = Lib(police_uk.zlib, "zlib")  # type: ignore[assignment]
    for n in ("discover", "sha256_of", "unchanged_members", "extract", "_read_member_bytes", "_check_text",
              "load_batch", "replace_superseded"):
        setattr(police_uk, n, timed(n, getattr(police_uk, n)))
    Path.write_bytes = timed("Path.write_bytes (scratch)", Path.write_bytes)  # type: ignore[method-assign]

    def sql_kind(sql: str) -> str:
        s = " ".join(sql.split())
        if s.startswith("INSERT INTO police_uk_"):
            return "sql INSERT ... read_csv JOIN _members"
        if "GROUP BY ALL" in s and "WHERE load_id = ?" in s:
            return "sql validation (rows, months per file)"
        if s.startswith("COMMIT"):
            return "sql COMMIT"
        if s.startswith("CHECKPOINT"):
            return "sql CHECKPOINT (experiment)"
        if s.startswith("SELECT load_id, rows FROM load_members"):
            return "sql replace_superseded: one SELECT per member"
        return "sql other"

    class Con:
        def __init__(self, con):  # type: ignore[no-untyped-def]
            self._con = con

        def execute(self, sql, *a):  # type: ignore[no-untyped-def]
            res = timed(sql_kind(sql), self._con.execute)(sql, *a)
            if checkpoint_each and sql.strip().startswith("COMMIT"):
                timed("sql CHECKPOINT (experiment)", self._con.execute)("CHECKPOINT")
            return res

        def executemany(self, sql, *a):  # type: ignore[no-untyped-def]
            return timed(f"sql executemany INSERT INTO {sql.split()[2]}", self._con.executemany)(sql, *a)

        def __getattr__(self, n):  # type: ignore[no-untyped-def]
            return getattr(self._con, n)

    t = time.perf_counter()
    st = Store.open(store_path)
    t_open = time.perf_counter() - t
    mem_open = mem()
    st.con = Con(st.con)  # type: ignore[assignment]
    per_archive = []
    t = time.perf_counter()
    for z in zips:
        tz = time.perf_counter()
        summary = ingest_path(st, Path(z))
        per_archive.append({"archive": Path(z).name, "s": time.perf_counter() - tz, "rows": summary["rows"],
                            **mem()})
    t_ingest = time.perf_counter() - t
    mem_before_close = mem()
    raw = st.con._con  # type: ignore[attr-defined]
    size = raw.execute("PRAGMA database_size").fetchall()[0]
    st.con = raw
    t = time.perf_counter()
    st.close()
    t_close = time.perf_counter() - t
    print(json.dumps({
        "import": t_import, "open": t_open, "mem_open": mem_open, "ingest": t_ingest,
        "phases": {k: [secs[k], calls[k], grew[k]] for k in secs},
        "mem_before_close": mem_before_close, "blocks_before_close": [size[3], size[4], size[5]],
        "close": t_close, "mem_end": mem(), "total": time.perf_counter() - t_start,
        "per_archive": per_archive,
    }))


def report_profile(workdir: Path, zips: list[str], checkpoint_each: bool, repeats: int) -> None:
    import duckdb

    store = workdir / ("profile-ckpt.duckdb" if checkpoint_each else "profile.duckdb")
    log = workdir / "profile.log"
    runs, whole, after = [], [], None
    for _ in range(repeats):
        remove_db(store)
        log.write_text("")
        cmd = [sys.executable, __file__, "--child", "profile", "--db", str(store),
               *(["--checkpoint-each"] if checkpoint_each else []), "--", *zips]
        whole.append(run_measured(cmd, log=log))
        runs.append(json.loads(next(x for x in reversed(log.read_text().splitlines()) if x.startswith("{"))))
        con = duckdb.connect(str(store), read_only=True)
        after = con.execute("PRAGMA database_size").fetchall()[0]
        con.close()
    med = statistics.median

    def m(key: str) -> float:
        return med(r[key] for r in runs)

    title = ("what-if: CHECKPOINT after each archive's COMMIT (monkeypatched, not the shipped code)"
             if checkpoint_each else "where scorecard ingest spends its time (real code, in-process)")
    print(f"\n--- profile: {title}; median of {repeats} run(s)")
    print(f"  whole process: wall {med(w['wall'] for w in whole):.2f}s, cpu {med(w['cpu'] for w in whole):.2f}s, "
          f"peak RSS {max(w['rss_mb'] for w in whole):.0f} MiB (max)")
    print(f"  import scorecard.cli ............ {m('import'):6.2f}s")
    print(f"  Store.open (schema, lookups) .... {m('open'):6.2f}s")
    print(f"  ingest_path x {len(zips)} ............. {m('ingest'):6.2f}s   of which (nested rows overlap):")
    phases = runs[0]["phases"]
    rows = {k: (med(r["phases"][k][0] for r in runs), phases[k][1], max(r["phases"][k][2] for r in runs))
            for k in phases}
    for k, (s, n, g) in sorted(rows.items(), key=lambda kv: -kv[1][0]):
        print(f"    {k:46s} {s:6.2f}s  calls {n:4d}  peak RSS +{g} MiB")
    last = runs[-1]
    b = last["blocks_before_close"]
    print(f"  before close: high-water {max(r['mem_before_close']['VmHWM'] for r in runs)} MiB;"
          f" file blocks total/used/free {b[0]}/{b[1]}/{b[2]}")
    print(f"  Store.close (final checkpoint) .. {m('close'):6.2f}s   high-water after "
          f"{max(r['mem_end']['VmHWM'] for r in runs)} MiB; "
          f"file blocks total/used/free {after[3]}/{after[4]}/{after[5]}")
    print(f"  total in process ................ {m('total'):6.2f}s")


# --- main ------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="counted rounds (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of the archives (default {DEFAULT_DATA})")
    ap.add_argument("--workdir", type=Path, help="scratch folder (default: a new temp dir, removed at the end)")
    ap.add_argument("--profile", action="store_true", help="also break down scorecard's ingest time and memory")
    ap.add_argument("--profile-runs", type=int, default=3, help="runs of each profile, medians quoted (default 3)")
    ap.add_argument("--child", choices=["read_csv", "unzip_read_csv", "profile"], help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--dest", help=argparse.SUPPRESS)
    ap.add_argument("--checkpoint-each", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child == "read_csv":
        child_read_csv(args.db, json.loads(Path(args.inputs[0]).read_text()))
        return 0
    if args.child == "unzip_read_csv":
        child_unzip_read_csv(args.db, args.inputs, args.dest)
        return 0
    if args.child == "profile":
        profile_child(args.db, args.inputs, args.checkpoint_each)
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
            report_profile(workdir, zips, checkpoint_each=False, repeats=args.profile_runs)
            report_profile(workdir, zips, checkpoint_each=True, repeats=args.profile_runs)

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
