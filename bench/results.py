"""Results benchmark: every catalogue measure for all 43 forces vs for one force, every quarter.

For each financial quarter from 2018-19 Q1 to the latest quarter the store holds data for,
``ResultsEngine.compute(all measures, quarter, force_ids=...)`` is called once with the 43
territorial forces and once with a single force (default west-mercia).  The engine is meant
to be set-based (one query per measure answers every force), so all forces should cost
little more than one: the target is all/one <= 5.

The store is built once with the real ``scorecard ingest`` (Home Office police recorded
crime parquet, the ONS year-ending-June-2019 workbook, the nine data.police.uk archives) and
reused while it holds those files: ``--store PATH`` to choose where, ``--rebuild`` to force.

The machine is shared and noisy: the two contenders run in turn, the order alternating
between rounds, each round on a fresh read-only connection, and the ratio is taken round by
round; its median is what is quoted.

    python bench/results.py                # 3 counted rounds after 1 warm-up round
    python bench/results.py --runs 5 --breakdown
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_STORE = Path(tempfile.gettempdir()) / "scorecard-bench" / "results-store.duckdb"


def inputs(data: Path) -> list[Path]:
    files = [data / "home-office" / "prc_pfa_long.parquet",
             data / "ons" / "policeforceareatablesyearendingjune2019.xlsx",
             *sorted((data / "police-uk").glob("20*.zip"))]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise SystemExit(f"missing input files: {', '.join(missing)}")
    return files


def store_holds(store: Path, files: list[Path]) -> bool:
    """True when ``store`` opens and has a load of every input file."""
    if not store.exists():
        return False
    from scorecard.store import Store

    try:
        with Store.open(store, read_only=True) as st:
            names = {r[0] for r in st.con.execute("SELECT file_name FROM loads WHERE rows > 0").fetchall()}
    except Exception as exc:  # an older or newer schema, a half-written file: rebuild
        print(f"store {store} not reusable ({type(exc).__name__}: {str(exc)[:120]}); rebuilding")
        return False
    return {f.name for f in files} <= names


def build_store(store: Path, files: list[Path]) -> None:
    for p in (store, Path(str(store) + ".wal")):
        if p.exists():
            p.unlink()
    store.parent.mkdir(parents=True, exist_ok=True)
    exe = Path(sys.executable).with_name("scorecard")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from scorecard.cli import app; app()"]
    t = time.perf_counter()
    proc = subprocess.run([*cmd, "ingest", "--store", str(store), *map(str, files)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"building the store failed (exit {proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    print(f"built store {store} in {time.perf_counter() - t:.1f}s (not part of the timing)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="counted rounds (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE,
                    help=f"store to use or build (default {DEFAULT_STORE})")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the store even if it holds the inputs")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default {DEFAULT_DATA})")
    ap.add_argument("--force", default="west-mercia", help="the single force (default west-mercia)")
    ap.add_argument("--breakdown", action="store_true", help="also time each dataset's measures separately")
    args = ap.parse_args()

    from scorecard.areas import territorial_forces
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.periods import FinancialQuarter, Month
    from scorecard.results import ResultsEngine
    from scorecard.store import Store

    files = inputs(args.data)
    if args.rebuild or not store_holds(args.store, files):
        build_store(args.store, files)
    else:
        print(f"reusing store {args.store}")

    cat = load_catalogue()
    measures = cat.measures
    all_forces = [f.force_id for f in territorial_forces()]
    with Store.open(args.store, read_only=True) as st:
        latest = st.con.execute("SELECT max(last_month) FROM loads").fetchall()[0][0]
    last_q = FinancialQuarter.containing(Month.from_date(latest))
    quarters = []
    q = FinancialQuarter(2018, 1)
    while q.first <= last_q.first:
        quarters.append(q)
        q = q.shift(3)
    by_dataset: dict[str, int] = defaultdict(int)
    for m in measures:
        by_dataset[m.dataset] += 1
    print(f"{len(measures)} measures ({', '.join(f'{k} {v}' for k, v in sorted(by_dataset.items()))}); "
          f"{len(quarters)} quarters {quarters[0].label} .. {quarters[-1].label} (latest data month {latest:%Y-%m}); "
          f"{len(all_forces)} forces vs {args.force}; {os.cpu_count()} cores; "
          f"{args.runs} counted rounds after {args.warmup} warm-up, order alternating")

    contenders = {"all_forces": all_forces, "one_force": [args.force]}

    def one_run(force_ids: list[str], per_dataset: dict[str, float] | None = None) -> tuple[float, int, int]:
        with Store.open(args.store, read_only=True) as st:
            engine = ResultsEngine(st, cat)
            n = complete = 0
            c0 = time.process_time()
            t0 = time.perf_counter()
            for quarter in quarters:
                if per_dataset is None:
                    rs = engine.compute(measures, quarter, force_ids=force_ids)
                else:  # same work, one measure at a time, to say where the time goes
                    rs = []
                    for m in measures:
                        t = time.perf_counter()
                        rs += engine.compute([m], quarter, force_ids=force_ids)
                        per_dataset[m.dataset] += time.perf_counter() - t
                n += len(rs)
                complete += sum(r.current.status == "complete" for r in rs)
            wall = time.perf_counter() - t0
            cpu_times[id(force_ids)] = time.process_time() - c0
            return wall, n, complete

    cpu_times: dict[int, float] = {}
    times: dict[str, list[float]] = {k: [] for k in contenders}
    cpus: dict[str, list[float]] = {k: [] for k in contenders}
    counts: dict[str, tuple[int, int]] = {}
    names = list(contenders)
    for i in range(args.warmup + args.runs):
        order = names if i % 2 == 0 else names[::-1]
        counted = i >= args.warmup
        line = []
        for name in order:
            secs, n, complete = one_run(contenders[name])
            counts[name] = (n, complete)
            if counted:
                times[name].append(secs)
                cpus[name].append(cpu_times[id(contenders[name])])
            line.append(f"{name} {secs:.2f}s")
        tag = f"round {i - args.warmup + 1}" if counted else f"warm-up {i + 1}"
        print(f"  {tag:10s} ({' -> '.join(order)}): {', '.join(line)}")

    n_all, n_one = counts["all_forces"][0], counts["one_force"][0]
    print(f"\nresults per run: all_forces {n_all:,} ({counts['all_forces'][1]:,} complete), "
          f"one_force {n_one:,} ({counts['one_force'][1]:,} complete)")
    if n_all != len(all_forces) * n_one:
        print(f"warning: expected {len(all_forces)} x {n_one} results for all forces, got {n_all}")
    for name in names:
        ts = times[name]
        per_call = statistics.median(ts) / (len(quarters) * len(measures)) * 1000
        print(f"{name:11s} wall min {min(ts):7.2f}s  median {statistics.median(ts):7.2f}s  "
              f"({per_call:.1f} ms per measure-quarter);  cpu median {statistics.median(cpus[name]):7.2f}s")
    paired = [a / o for a, o in zip(times["all_forces"], times["one_force"], strict=True)]
    ratio = statistics.median(paired)
    cpu_ratio = statistics.median(a / o for a, o in zip(cpus["all_forces"], cpus["one_force"], strict=True))
    print(f"all forces / one force: median {ratio:.2f}x (rounds: {', '.join(f'{r:.2f}' for r in paired)}); "
          f"by CPU time {cpu_ratio:.2f}x")

    if args.breakdown:
        print("\nbreakdown by dataset (one extra pass each, measure by measure):")
        split: dict[str, dict[str, float]] = {}
        for name in names:
            split[name] = defaultdict(float)
            one_run(contenders[name], split[name])
        for ds in sorted(by_dataset, key=lambda d: -split["all_forces"][d]):
            a, o = split["all_forces"][ds], split["one_force"][ds]
            print(f"  {ds:24s} {by_dataset[ds]:3d} measures  all_forces {a:7.2f}s  one_force {o:7.2f}s  "
                  f"ratio {a / o if o else float('nan'):.2f}")

    print()
    print(f"RATIO results_all_forces_vs_one_force={ratio:.2f} target=<=5 ok={'yes' if ratio <= 5 else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
