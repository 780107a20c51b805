"""Write one document in the formats asked for; each renderer only lays out the model.

Files are named by the kind of document (``statement.html``, ``board-paper.docx``) beside
``report.json`` (the model, for ``scorecard verify``) and the CSV tables.  WeasyPrint is the
slow step and holds the GIL, so when both PDF and Word are asked for, the PDF is printed in a
second process while this one writes the Word paper.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scorecard.documents.model import Document
from scorecard.render import data

FORMATS = ("html", "docx", "pdf", "json", "csv")


def base_name(doc: Document) -> str:
    return doc.kind.replace("_", "-")


def write_document(doc: Document, formats: list[str], out_dir: Path, *, parallel: bool = True) -> list[Path]:
    """Write ``doc`` into ``out_dir`` in each of ``formats``; the paths written.  ``parallel``
    prints the PDF in a second process (off when the caller already runs one document a core)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = base_name(doc)
    written: list[Path] = []
    if "json" in formats:
        path = out_dir / "report.json"
        path.write_text(data.document_json(doc) + "\n", "utf-8")
        written.append(path)
    if "csv" in formats:
        for file, rows in (("figures.csv", data.figure_rows(doc)), ("scorecard.csv", data.scorecard_rows(doc))):
            if rows:
                path = out_dir / file
                path.write_text(data.to_csv(rows), "utf-8")
                written.append(path)
    html_text = ""
    if "html" in formats or "pdf" in formats:
        from scorecard.render.html import render_html

        html_text = render_html(doc, out_dir)
        if "html" in formats:
            path = out_dir / f"{name}.html"
            path.write_text(html_text, "utf-8")
            written.append(path)
    pdf_path = out_dir / f"{name}.pdf"
    pool = pdf_job = None
    if parallel and "pdf" in formats and "docx" in formats and (os.cpu_count() or 1) > 1:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        pdf_job = pool.submit(_pdf, html_text, pdf_path)
    try:
        if "docx" in formats:
            from scorecard.render.docx import render_docx

            path = out_dir / f"{name}.docx"
            render_docx(doc, path)
            written.append(path)
        if "pdf" in formats:
            if pdf_job is not None:
                pdf_job.result()
            else:
                _pdf(html_text, pdf_path)
            written.append(pdf_path)
    finally:
        if pool is not None:
            pool.shutdown()
    return written


def _pdf(html_text: str, path: Path) -> None:
    from scorecard.render.pdf import write_pdf

    write_pdf(html_text, path, path.parent)
