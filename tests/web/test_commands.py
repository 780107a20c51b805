"""The web application's commands as an administrator runs them: real processes, a fresh site
folder each time (its SQLite database made by the migrations), the session's real store."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SCORECARD = str(Path(sys.executable).parent / "scorecard")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCORECARD, *args], capture_output=True, text=True, timeout=600)


def test_users_are_made_with_generated_passwords_printed_once(tmp_path: Path) -> None:
    home = tmp_path / "web"
    made = run("web", "demo-users", "--home", str(home))
    assert made.returncode == 0, made.stderr
    passwords = dict(line.split(": ") for line in made.stdout.splitlines())
    assert set(passwords) == {"wm-analyst", "wm-approver", "wmerc-analyst", "wmerc-approver", "admin"}
    assert all(len(p) >= 16 for p in passwords.values()) and len(set(passwords.values())) == 5
    assert (home / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner alone
    one = run("web", "adduser", "clerk", "--role", "West Mercia:approver", "--home", str(home))
    assert one.returncode == 0 and one.stdout.startswith("clerk: ")
    wrong = run("web", "adduser", "clerk", "--role", "west-mercia:editor", "--home", str(home))
    assert wrong.returncode == 2 and "FORCE:analyst or FORCE:approver" in wrong.stderr


def test_serve_answers_on_the_store_and_the_static_site_is_built(tmp_path: Path, real_store_path: Path) -> None:
    home = tmp_path / "web"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([SCORECARD, "serve", "--port", str(port), "--store", str(real_store_path),
                               "--home", str(home)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    page = answer.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        assert "The 43 territorial police force areas" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/forces/west-mercia/measures/homicide/") as answer:
            measure = answer.read()
        assert b"app-chart-image" in measure
    finally:
        server.terminate()
        server.wait(timeout=20)
    built = run("site", "build", str(tmp_path / "site"), "--store", str(real_store_path), "--home", str(home))
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "forces" / "west-mercia" / "measures" / "homicide" / "index.html").is_file()
