"""Supporting experiment for bench/ingest.py: what the *shape* of the DuckDB load costs.

Not scorecard's code path: plain DuckDB on the nine archives' street CSVs (extracted
beforehand, outside the timing), into a table shaped like ``police_uk_street``.  Each variant
runs as its own process (wall, CPU and peak RSS from ``os.wait4``), variants in turn, the
order alternating between rounds:

* ``ctas``            - the read_csv baseline of bench/ingest.py (one CREATE TABLE AS).
* ``one_insert_join`` - scorecard's INSERT ... read_csv JOIN _members SELECT, over all files in
                        one statement and one commit.
* ``two_inserts_one_txn`` - the first archive in one INSERT, the other eight in a second, one commit.
* ``per_month_one_txn`` - the same SQL once per archive, all nine inside one BEGIN/COMMIT.
* ``per_month_join``  - the same SQL once per archive, each in its own BEGIN/COMMIT (what
                        ``scorecard ingest 20*.zip`` does): nine commits, checkpoint left to close.
* ``per_month_join_checkpoint`` - as above with CHECKPOINT after each COMMIT.
* ``per_month_no_join`` - per archive, force taken from the file name with regexp_extract
                        instead of joining a temp table.

    python bench/ingest_sql_variants.py --runs 3
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import DEFAULT_DATA, EXPECTED_ROWS, READ_CSV, _columns, count_rows, remove_db, run_measured

VARIANTS = ["ctas", "one_insert_join", "two_inserts_one_txn", "per_month_one_txn", "per_month_join",
            "per_month_join_checkpoint", "per_month_no_join"]
OPTS = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true"
TABLE = """CREATE TABLE s (load_id BIGINT NOT NULL, force_id VARCHAR NOT NULL, month DATE NOT NULL,
    crime_id VARCHAR, falls_within VARCHAR, longitude DOUBLE, latitude DOUBLE, location VARCHAR,
    lsoa_code VARCHAR, lsoa_name VARCHAR, crime_type VARCHAR NOT NULL, last_outcome_category VARCHAR,
    context VARCHAR)"""
SELECT = """try_strptime(r."Month", '%Y-%m')::DATE, r."Crime ID", r."Falls within", r."Longitude", r."Latitude",
    r."Location", r."LSOA code", r."LSOA name", r."Crime type", r."Last outcome category", r."Context" """


def child(variant: str, db: str, groups: list[list[str]]) -> None:
    import duckdb

    con = duckdb.connect(db)
    if variant == "ctas":
        con.execute(READ_CSV, [[f for g in groups for f in g], _columns()])
        con.close()
        return
    con.execute(TABLE)
    if variant == "one_insert_join":
        groups = [[f for g in groups for f in g]]
    if variant == "two_inserts_one_txn":
        groups = [groups[0], [f for g in groups[1:] for f in g]]
    one_txn = variant in ("per_month_one_txn", "two_inserts_one_txn")
    if one_txn:
        con.execute("BEGIN")
    for i, files in enumerate(groups):
        if not one_txn:
            con.execute("BEGIN")
        if variant == "per_month_no_join":
            con.execute(f"""INSERT INTO s SELECT ?,
                                   regexp_extract(r.filename, '\\d{{4}}-\\d{{2}}-(.*)-street\\.csv$', 1), {SELECT}
                            FROM read_csv(?, columns = ?, {OPTS}, filename = true) r""",
                        [i, files, _columns()])
        else:
            con.execute("CREATE OR REPLACE TEMP TABLE _members (path VARCHAR, member INTEGER, force_id VARCHAR)")
            con.executemany("INSERT INTO _members VALUES (?, ?, ?)",
                            [[f, j, os.path.basename(f)[8:-len("-street.csv")]] for j, f in enumerate(files)])
            con.execute(f"""INSERT INTO s SELECT ?, f.force_id, {SELECT}
                            FROM read_csv(?, columns = ?, {OPTS}, filename = true) r
                            JOIN _members f ON r.filename = f.path""", [i, files, _columns()])
        if not one_txn:
            con.execute("COMMIT")
        if variant == "per_month_join_checkpoint":
            con.execute("CHECKPOINT")
    if one_txn:
        con.execute("COMMIT")
    con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="counted rounds (default 3)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--only", help="comma-separated variants to run (default all)")
    ap.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.db, json.loads(Path(args.inputs[0]).read_text()))
        return 0

    work = Path(tempfile.mkdtemp(prefix="scorecard-bench-variants-"))
    try:
        groups = []
        for z in sorted(glob.glob(str(args.data / "20*.zip"))):
            with zipfile.ZipFile(z) as zf:
                zf.extractall(work / "csv")
                groups.append(sorted(str(work / "csv" / n) for n in zf.namelist() if n.endswith(".csv")))
        (work / "groups.json").write_text(json.dumps(groups))
        variants = args.only.split(",") if args.only else VARIANTS
        res: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
        blocks: dict[str, str] = {}
        for i in range(1 + args.runs):  # the first round is a warm-up
            for v in (variants if i % 2 == 0 else variants[::-1]):
                db = work / f"{v}.duckdb"
                remove_db(db)
                m = run_measured([sys.executable, __file__, "--child", v, "--db", str(db), str(work / "groups.json")],
                                 log=work / "log.txt")
                table = "t" if v == "ctas" else "s"
                if count_rows(db, table) != EXPECTED_ROWS:
                    raise SystemExit(f"{v}: wrong row count")
                import duckdb

                con = duckdb.connect(str(db), read_only=True)
                size = con.execute("PRAGMA database_size").fetchall()[0]
                con.close()
                blocks[v] = f"{size[3]}/{size[4]}/{size[5]}"
                if i:
                    res[v].append(m)
        print(f"{args.runs} rounds after 1 warm-up; medians; file blocks total/used/free after close")
        base = statistics.median(r["cpu"] for r in res["ctas"]) if "ctas" in res else float("nan")
        for v in variants:
            w = statistics.median(r["wall"] for r in res[v])
            c = statistics.median(r["cpu"] for r in res[v])
            rss = statistics.median(r["rss_mb"] for r in res[v])
            print(f"  {v:28s} wall {w:6.2f}s  cpu {c:6.2f}s ({c / base:4.2f}x ctas)  peak {rss:5.0f} MiB  "
                  f"blocks {blocks[v]}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
