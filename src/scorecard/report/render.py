"""Write one report model in the requested formats; each renderer only draws the model."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scorecard.report import data
from scorecard.report.model import Report


def render_all(report: Report, formats: list[str], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "json" in formats:
        path = out_dir / "report.json"
        path.write_text(data.report_json(report) + "\n", "utf-8")
        written.append(path)
    if "csv" in formats:
        for name, rows in (("figures.csv", data.figures_rows(report)), ("scorecard.csv", data.scorecard_rows(report))):
            path = out_dir / name
            path.write_text(data.to_csv(rows), "utf-8")
            written.append(path)
    html_text: str | None = None
    if "html" in formats or "pdf" in formats:
        from scorecard.report import html

        html_text = html.render(report, out_dir)
        if "html" in formats:
            path = out_dir / "statement.html"
            path.write_text(html_text, "utf-8")
            written.append(path)
    pdf_job = None
    pool = None
    if "pdf" in formats and "docx" in formats and (os.cpu_count() or 1) > 1:
        # WeasyPrint is the slow step and holds the GIL: print the PDF in a second process
        # while this one writes the Word paper.
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        pdf_job = pool.submit(_render_pdf, report, out_dir / "statement.pdf", html_text)
    try:
        if "docx" in formats:
            from scorecard.report import docx

            path = out_dir / "statement.docx"
            docx.render(report, path)
            written.append(path)
        if "pdf" in formats:
            path = out_dir / "statement.pdf"
            if pdf_job is not None:
                pdf_job.result()
            else:
                _render_pdf(report, path, html_text)
            written.append(path)
    finally:
        if pool is not None:
            pool.shutdown()
    return written


def _render_pdf(report: Report, path: Path, html_text: str | None) -> None:
    from scorecard.report import pdf

    pdf.render(report, path, html_text=html_text)
