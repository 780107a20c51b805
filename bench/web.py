"""Latency of the public pages under load: `scorecard serve` on loopback, 50 clients at once (wrk).

Sets up a site in a temporary folder on the demo store (out/demo.duckdb: run ./scripts/demo
first), publishes West Midlands' 2024-25 Q1 statement through the workbench's own path, starts
`scorecard serve`, and for each kind of public page runs wrk (Debian's package; apt-get install
wrk) with 50 connections for --seconds, then prints the 95th-percentile latency against the
target of 100 ms, and the ratio.

    .venv/bin/python bench/web.py [--store out/demo.duckdb] [--seconds 10] [--connections 50]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORECARD = str(Path(sys.executable).parent / "scorecard")
TARGET_MS = 100.0
P95 = "done = function(summary, latency, requests) io.write(string.format('p95 %f\\n', latency:percentile(95))) end"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def publish_one(home: Path, store: Path) -> str:
    """Publish the demo statement as an approver would, in a child process with the site's settings."""
    code = """
from scorecard.web import setup
setup.configure()
setup.migrate()
setup.ensure_drafts()
setup.add_user("bench-approver", roles=[("west-midlands", "approver")])
from django.contrib.auth.models import User
from scorecard.web import publishing
from scorecard.web.models import Draft
draft = Draft.objects.get(config_name="west-midlands-2024-25-q1-statement.yaml")
pub = publishing.publish(draft, User.objects.get(username="bench-approver"))
print(f"/forces/{pub.force_id}/{pub.kind}/{pub.period_slug}/v{pub.version}/")
"""
    env = {**os.environ, "SCORECARD_WEB_HOME": str(home), "SCORECARD_STORE": str(store)}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def p95_ms(url: str, seconds: int, connections: int, script: Path) -> float:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", str(script), url],
                         check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("p95 "))
    return float(line.split()[1]) / 1000.0  # wrk reports microseconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=ROOT / "out" / "demo.duckdb")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    if not args.store.exists():
        sys.exit(f"no store at {args.store}: run ./scripts/demo first (or pass --store)")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "web"
        version = publish_one(home, args.store.resolve())
        port = free_port()
        server = subprocess.Popen([SCORECARD, "serve", "--port", str(port), "--store", str(args.store),
                                   "--home", str(home)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            script = Path(tmp) / "p95.lua"
            script.write_text(P95, "utf-8")
            pages = {"index of forces": "/", "a force's publications": "/forces/west-midlands/",
                     "a published version": version, "the published document": version + "statement.html"}
            print(f"{args.connections} clients for {args.seconds} s each, target p95 < {TARGET_MS:.0f} ms")
            for what, path in pages.items():
                p95 = p95_ms(base + path, args.seconds, args.connections, script)
                print(f"  {what:28} p95 {p95:7.1f} ms   ratio to target {p95 / TARGET_MS:.2f}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
