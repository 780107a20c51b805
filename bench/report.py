"""Time to publish statements: one force, every force in one run, and 43 runs of one force.

Runs the real command (`scorecard report`, html, docx, pdf and json) side by side in each round
and prints, with their medians:

* one statement (target: under 2 s on the 2-core machine);
* every force's statement in one run, `--area all` (target: under 60 s), and its ratio to 43
  single-force runs (one run shares the figures' queries and uses both cores);
* the same ratio per statement against one statement alone.

    .venv/bin/python bench/report.py [--store out/demo.duckdb] [--runs 3] [--singles 43]

`--singles N` times N single-force runs and scales to 43 (all 43 take several minutes a round).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scorecard.areas import territorial_forces

ROOT = Path(__file__).resolve().parents[1]
SCORECARD = str(Path(sys.executable).parent / "scorecard")
FORMATS = "html,docx,pdf,json"
PERIOD = "2024-25 Q1"


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([SCORECARD, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def report(store: Path, area: str, out: Path) -> list[str]:
    return ["report", "--store", str(store), "--area", area, "--period", PERIOD, "--format", FORMATS, "--out", str(out)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=ROOT / "out" / "demo.duckdb")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--singles", type=int, default=43)
    args = ap.parse_args()
    if not args.store.exists():
        sys.exit(f"no store at {args.store}: run ./scripts/demo first (or pass --store)")
    forces = [f.force_id for f in territorial_forces()]
    singles = forces[: args.singles]
    one_times: list[float] = []
    all_times: list[float] = []
    single_totals: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed(report(args.store, "west-midlands", out / "warm"))
        for r in range(args.runs):
            one_times.append(timed(report(args.store, "west-midlands", out / f"one-{r}")))
            all_times.append(timed(report(args.store, "all", out / f"all-{r}")))
            total = sum(timed(report(args.store, f, out / f"single-{r}" / f)) for f in singles)
            single_totals.append(total * 43 / len(singles))
            print(f"  round {r + 1}: one {one_times[-1]:.2f} s, all 43 {all_times[-1]:.1f} s, "
                  f"43 single runs {single_totals[-1]:.1f} s" + ("" if len(singles) == 43 else
                                                                  f" (scaled from {len(singles)})"))
    one, every, singles_total = (statistics.median(x) for x in (one_times, all_times, single_totals))
    print(f"\none statement ({FORMATS}): median {one:.2f} s (target < 2 s)")
    print(f"all 43 in one run: median {every:.1f} s (target < 60 s)")
    print(f"43 single-force runs: median {singles_total:.1f} s")
    print(f"all-in-one / 43 single runs: {every / singles_total:.2f}; per statement vs one alone: "
          f"{every / 43 / one:.2f}")
    print(f"\nRATIO report_one_statement_s={one:.2f} target=<2 ok={'yes' if one < 2 else 'no'}")
    print(f"RATIO report_all_forces_s={every:.1f} target=<60 ok={'yes' if every < 60 else 'no'}")
    print(f"RATIO report_all_vs_43_single_runs={every / singles_total:.2f} target=<1 "
          f"ok={'yes' if every < singles_total else 'no'}")


if __name__ == "__main__":
    main()
