"""The PDF printer: WeasyPrint in a process of its own, started before the page is ready.

A command that prints one document starts it as its first step, so that loading WeasyPrint
overlaps importing the publishing code and querying the figures; a command that fails stops it
rather than waiting for it (docs/benchmarks.md, "Publishing")."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scorecard.render import printer
from scorecard.render.printer import PdfPrinter, printer_for


def _loads_for_a_minute() -> None:
    """Stands in for loading WeasyPrint, long enough that waiting for it cannot go unnoticed."""
    time.sleep(60)


def test_a_printer_prints_the_page_it_is_given(tmp_path: Path) -> None:
    pdf = tmp_path / "page.pdf"
    with PdfPrinter() as p:
        p.print("<!doctype html><title>t</title><p>There were 48 homicides.</p>", pdf).result()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "There were 48 homicides." in text


def test_a_failed_command_stops_its_printer_instead_of_waiting_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printer, "_load_weasyprint", _loads_for_a_minute)
    with pytest.raises(RuntimeError, match="unknown key"), PdfPrinter() as p:
        workers = list(p._pool._processes.values())  # type: ignore[union-attr]
        raise RuntimeError("unknown key 'comparisons_'")
    assert [w.exitcode for w in workers] == [-signal.SIGTERM]


_ORDER_PROBE = """
import json, sys
from scorecard.render import printer
seen = []
start = printer.PdfPrinter.__init__
def recording(self):
    seen.append(sorted(m for m in ("scorecard.publish", "scorecard.figures", "duckdb") if m in sys.modules))
    start(self)
printer.PdfPrinter.__init__ = recording
from scorecard.cli import app
sys.argv = ["scorecard", "report", "--store", sys.argv[1], "--area", "west-mercia", "--period", "2022-23 Q1",
            "--format", "html,pdf", "--out", sys.argv[2]]
try:
    app()
except SystemExit as exc:
    print(json.dumps({"started_with": seen, "exit": exc.code}))
"""


def test_report_starts_its_printer_before_it_loads_the_publishing_code(real_store_path: Path,
                                                                        tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _ORDER_PROBE, str(real_store_path), str(tmp_path / "out")],
                          capture_output=True, text=True, check=True, timeout=300)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {"started_with": [[]], "exit": 0}
    assert (tmp_path / "out" / "statement.pdf").stat().st_size > 0


def test_a_report_of_every_force_starts_no_printer_of_its_own() -> None:
    """Several documents are printed by forked workers, one a core, each with WeasyPrint itself."""
    with printer_for(["html", "pdf"], documents=43) as none:
        assert none is None
    with printer_for(["html", "docx"], documents=1) as none:
        assert none is None
