"""Time to build every format of the statement: one force, then every force (43).

Prints the time for one statement (target: under 5 s on the 2-core machine) and the time
per statement when all 43 are built in one run; the ratio per-statement(all) /
per-statement(one) shows whether rendering scales linearly (<= 1.0) or worse.

    .venv/bin/python bench/report.py [--store out/demo.duckdb] [--runs 3] [--forces 43]
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
from scorecard.catalogue.schema import load_catalogue
from scorecard.periods import parse
from scorecard.report.build import build_report
from scorecard.report.render import render_all
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ["html", "docx", "pdf", "json", "csv"]


def one(store: Store, force_id: str, period: str, out: Path) -> float:
    start = time.perf_counter()
    model = build_report(store, load_catalogue(), force_id, parse(period))
    render_all(model, FORMATS, out / force_id)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=ROOT / "out" / "demo.duckdb")
    ap.add_argument("--period", default="2021-22")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--forces", type=int, default=43, help="how many forces in the all-forces run")
    args = ap.parse_args()
    if not args.store.exists():
        subprocess.run([str(ROOT / "scripts" / "demo")], check=True, stdout=subprocess.DEVNULL)
    with Store.open(args.store, read_only=True) as store, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        one(store, "west-midlands", args.period, out)  # warm imports and caches
        singles = [one(store, "west-midlands", args.period, out) for _ in range(args.runs)]
        forces = [f.force_id for f in territorial_forces()][: args.forces]
        start = time.perf_counter()
        for f in forces:
            one(store, f, args.period, out)
        total = time.perf_counter() - start
    single = min(singles)
    per = total / len(forces)
    print(f"one statement, all formats: min {single:.2f} s, median {statistics.median(singles):.2f} s "
          f"over {args.runs} runs (target < 5 s)")
    print(f"{len(forces)} statements: {total:.1f} s, {per:.2f} s each")
    print(f"RATIO one_statement_seconds={single:.2f} target=5 ok={'yes' if single < 5 else 'no'}")
    ratio = per / single
    print(f"RATIO per_statement_all_vs_one={ratio:.2f} target=1.0 ok={'yes' if ratio <= 1.05 else 'no'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
