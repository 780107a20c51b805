"""Time to check the longest seed document (the annual report, about 90 KB of text) against the
time to read it, side by side in one run; the target is under 5 s on the 2-core machine.

    .venv/bin/python bench/check.py [--runs 5] [--store out/demo.duckdb]

Prints the median of each in-process (reading the text; finding and checking every claim, against
the document and against the store), and the whole command (`scorecard check FILE --store`,
Python's start and opening the store included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from scorecard.catalogue.schema import load_catalogue
from scorecard.claims.check import Against, check_file
from scorecard.claims.reading import document_text
from scorecard.claims.store_figures import StoreFigures
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT.parent / "shared" / "seeds").glob("003_*.txt"))
TARGET_S = 5.0


def median_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--store", type=Path, default=ROOT / "out" / "demo.duckdb",
                    help="the store to check against (./scripts/demo writes it)")
    args = ap.parse_args()
    scorecard = str(Path(sys.executable).parent / "scorecard")
    catalogue = load_catalogue()
    read = median_of(args.runs, lambda: document_text(SEED))
    within = median_of(args.runs, lambda: check_file(SEED))
    with Store.open(args.store, read_only=True) as store:
        def against() -> int:
            return len(check_file(SEED, Against(StoreFigures(store, catalogue), catalogue)).claims)
        with_store = median_of(args.runs, against)
        claims = against()
    command = median_of(args.runs, lambda: subprocess.run([scorecard, "check", str(SEED), "--store", str(args.store)],
                                                          capture_output=True))
    size = SEED.stat().st_size
    print(f"{SEED.name}: {size / 1024:.0f} KiB, {claims} claims")
    print(f"  read the text                 {read * 1000:8.1f} ms")
    print(f"  check against the document    {within * 1000:8.1f} ms   ({within / read:.0f}x reading it)")
    print(f"  check against it and the store{with_store * 1000:8.1f} ms   ({with_store / read:.0f}x reading it)")
    print(f"  scorecard check FILE --store  {command * 1000:8.1f} ms   "
          f"ratio to the {TARGET_S:.0f} s target {command / TARGET_S:.3f}")
    ok = "yes" if command < TARGET_S else "no"
    print(f"RATIO check_command_vs_target={command / TARGET_S:.3f} target=<1 ok={ok}")
    print(f"RATIO check_vs_read={with_store / read:.0f} target=none ok=yes")


if __name__ == "__main__":
    main()
