"""Time to check the longest seed document (the annual report, about 90 KB of text) against the
time to read it, side by side in one run; the target is under 5 s on the 2-core machine.

    .venv/bin/python bench/check.py [--runs 5]

Prints the median of each in-process (reading the text; finding and checking every claim), and
the whole command (`scorecard check FILE`, Python's start included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from scorecard.claims import check_file, document_text

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
    args = ap.parse_args()
    scorecard = str(Path(sys.executable).parent / "scorecard")
    read = median_of(args.runs, lambda: document_text(SEED))
    checked = median_of(args.runs, lambda: check_file(SEED))
    command = median_of(args.runs, lambda: subprocess.run([scorecard, "check", str(SEED)], capture_output=True))
    size = SEED.stat().st_size
    print(f"{SEED.name}: {size / 1024:.0f} KiB, {len(check_file(SEED))} claims")
    print(f"  read the text        {read * 1000:8.1f} ms")
    print(f"  find and check       {checked * 1000:8.1f} ms   ({checked / read:.0f}x reading it)")
    print(f"  scorecard check FILE {command * 1000:8.1f} ms   "
          f"ratio to the {TARGET_S:.0f} s target {command / TARGET_S:.3f}")


if __name__ == "__main__":
    main()
