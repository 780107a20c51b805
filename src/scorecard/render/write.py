"""Write one document in the formats asked for; each renderer only lays out the model.

Files are named by the kind of document (``statement.html``, ``board-paper.docx``) beside
``report.json`` (the model, for ``scorecard verify``) and the CSV tables.  WeasyPrint is the
slow step: loading it (Pango through cffi) takes about half a second and it holds the GIL
while it lays out.  So a ``PdfPrinter`` is a second process, started before the figures are
queried, that has WeasyPrint loaded by the time the page is ready, and prints the PDF while
this process writes the Word paper.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

from scorecard.documents.model import Document
from scorecard.render import data

FORMATS = ("html", "docx", "pdf", "json", "csv")


def base_name(doc: Document) -> str:
    return doc.kind.replace("_", "-")


class PdfPrinter:
    """A process of its own that prints PDFs, WeasyPrint loaded while the caller does other work.

    Forked, so it starts without importing anything again; it never touches the store it may
    inherit a handle to (a forked worker leaves through ``os._exit``, running no finalizer).
    """

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._pool.submit(_load_weasyprint)

    def print(self, html_text: str, path: Path) -> Future[None]:
        return self._pool.submit(_pdf, html_text, path)

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def worthwhile(formats: list[str]) -> bool:
        """A second process pays when there is a second core and other work to overlap it with."""
        return "pdf" in formats and (os.cpu_count() or 1) > 1


def write_document(doc: Document, formats: list[str], out_dir: Path, *,
                   printer: PdfPrinter | None = None) -> list[Path]:
    """Write ``doc`` into ``out_dir`` in each of ``formats``; the paths written.  With a
    ``printer`` the PDF is printed in its process while the other formats are written here."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = base_name(doc)
    written: list[Path] = []
    html_text = ""
    if "html" in formats or "pdf" in formats:
        from scorecard.render.html import render_html

        html_text = render_html(doc, out_dir)
    pdf_path = out_dir / f"{name}.pdf"
    pdf_job = printer.print(html_text, pdf_path) if printer is not None and "pdf" in formats else None
    if "json" in formats:
        path = out_dir / "report.json"
        path.write_text(data.document_json(doc) + "\n", "utf-8")
        written.append(path)
    if "csv" in formats:
        tables = [(f"table-{t.id}.csv", data.table_rows(doc, t)) for t in data.named_tables(doc)]
        for file, rows in (("figures.csv", data.figure_rows(doc)), ("scorecard.csv", data.scorecard_rows(doc)),
                           *tables):
            if rows:
                path = out_dir / file
                path.write_text(data.to_csv(rows), "utf-8")
                written.append(path)
    if "html" in formats:
        path = out_dir / f"{name}.html"
        path.write_text(html_text, "utf-8")
        written.append(path)
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
    return written


def _load_weasyprint() -> None:
    from scorecard.render.pdf import prepare

    prepare()


def _pdf(html_text: str, path: Path) -> None:
    from scorecard.render.pdf import write_pdf

    write_pdf(html_text, path, path.parent)
