"""Street-level results at national scale (issue 12, point 2): `scorecard results --area all`
for every data.police.uk street measure over 60 months against the same over the nine real
archives, and all forces against one force.

The street measures are answered from the counts the load keeps (street_counts.py), not by
scanning the rows, so their cost should hardly grow with history or with the number of forces:
targets 60 months ≤ 1.2× nine archives, all forces ≤ 3× one force.

Stores, built once with the real `scorecard ingest` and reused (``--workdir``):

* ``nine``: the nine archives in ../shared/data/police-uk (2018-10 .. 2019-02, 2024-01 .. 04),
  3.07 M street rows;
* ``sixty``: the first 60 months of bench/national.py's set (the same archives re-dated to
  2015-01 .. 2019-12), 20.5 M street rows.

Each store is asked for its own latest quarter (2023-24 Q4; 2019-20 Q3), so that each result
is a whole quarter with its year-before and baseline comparisons and its monthly series.

Contenders, each a whole command (wall time of the process, as a user meets it) and, on a fresh
read-only connection, the engine's own ``compute`` (without the process's start-up):
``nine all``, ``sixty all``, ``sixty one`` (west-mercia). Rounds alternate the order; ratios are
taken round by round and the median quoted.  Nothing is asserted: the machine is shared.

    .venv/bin/python bench/street_results.py [--runs 5] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import national  # bench/national.py builds the re-dated set

SCORECARD = str(Path(sys.executable).parent / "scorecard")
PERIODS = {"nine": "2023-24 Q4", "sixty": "2019-20 Q3"}


def street_measures() -> list[str]:
    from scorecard.catalogue.schema import load_catalogue

    return [m.id for m in load_catalogue().measures if m.dataset == "police_uk_street"]


def store_for(name: str, work: Path) -> Path:
    store = work / f"street-results-{name}.duckdb"
    if store.exists():
        return store
    archives = (national.originals() if name == "nine"
                else national.build_set(60, work / "archives")[:60])
    t = time.perf_counter()
    subprocess.run([SCORECARD, "ingest", "--store", str(store), *map(str, archives)], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"built {store} from {len(archives)} archives in {time.perf_counter() - t:.1f} s (not timed)")
    return store


def command(store: Path, period: str, area: str, measures: list[str]) -> tuple[float, str]:
    args = [SCORECARD, "results", "--store", str(store), "--area", area, "--period", period, "--format", "csv"]
    for m in measures:
        args += ["--measure", m]
    t = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, out


def engine(store: Path, period: str, force_ids: list[str], measures: list[str]) -> tuple[float, int]:
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.periods import parse
    from scorecard.results import ResultsEngine
    from scorecard.store import Store

    cat = load_catalogue()
    asked = [cat.measure(m) for m in measures]
    with Store.open(store, read_only=True) as st:
        t = time.perf_counter()
        results = ResultsEngine(st, cat).compute(asked, parse(period), force_ids=force_ids)
        return time.perf_counter() - t, len(results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="counted rounds (default 5, after one warm-up)")
    ap.add_argument("--workdir", type=Path, help="where the stores are built and kept (default: a temp dir)")
    ap.add_argument("--force", default="west-mercia")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="street-results-"))
    work.mkdir(parents=True, exist_ok=True)

    from scorecard.areas import territorial_forces

    measures = street_measures()
    stores = {name: store_for(name, work) for name in PERIODS}
    every = [f.force_id for f in territorial_forces()]
    contenders = {"nine all": ("nine", "all", every), "sixty all": ("sixty", "all", every),
                  "sixty one": ("sixty", args.force, [args.force])}
    print(f"{len(measures)} street measures: {', '.join(measures)}")
    cmd: dict[str, list[float]] = {k: [] for k in contenders}
    eng: dict[str, list[float]] = {k: [] for k in contenders}
    names = list(contenders)
    for r in range(args.runs + 1):
        order = names if r % 2 == 0 else names[::-1]
        line = []
        for name in order:
            store_name, area, force_ids = contenders[name]
            secs, out = command(stores[store_name], PERIODS[store_name], area, measures)
            esecs, n = engine(stores[store_name], PERIODS[store_name], force_ids, measures)
            if r:
                cmd[name].append(secs)
                eng[name].append(esecs)
            line.append(f"{name} {secs:.2f} s (engine {esecs:.3f} s, {n} results, {out.count(chr(10)) - 1} rows)")
        print(f"  {'warm-up' if r == 0 else f'round {r}'}: " + "; ".join(line))

    def paired(a: str, b: str, times: dict[str, list[float]]) -> float:
        return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))

    for name in names:
        print(f"{name:10s} command median {statistics.median(cmd[name]):.3f} s, "
              f"engine median {statistics.median(eng[name]):.3f} s")
    history = paired("sixty all", "nine all", cmd)
    forces = paired("sixty all", "sixty one", cmd)
    print(f"engine alone: 60 months / nine archives {paired('sixty all', 'nine all', eng):.2f}x; "
          f"all forces / one force {paired('sixty all', 'sixty one', eng):.2f}x")
    print(f"RATIO street_results_60_months_vs_9={history:.2f} target=<=1.2 ok={'yes' if history <= 1.2 else 'no'}")
    print(f"RATIO street_results_all_forces_vs_one={forces:.2f} target=<=3 ok={'yes' if forces <= 3 else 'no'}")


if __name__ == "__main__":
    main()
