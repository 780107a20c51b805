"""Write one document in the formats asked for; each renderer only lays out the model.

Files are named by the kind of document (``statement.html``, ``board-paper.docx``) beside
``report.json`` (the model, for ``scorecard verify``) and the CSV tables.  Given a
``PdfPrinter`` (``render.printer``: WeasyPrint loaded in a process of its own), the PDF is
printed there while this process writes the other formats; without one, it is printed here.
"""

from __future__ import annotations

from pathlib import Path

from scorecard.documents.model import Document
from scorecard.render import data
from scorecard.render.printer import PdfPrinter, print_here

FORMATS = ("html", "docx", "pdf", "json", "csv")


def base_name(doc: Document) -> str:
    return doc.kind.replace("_", "-")


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
            print_here(html_text, pdf_path)
        written.append(pdf_path)
    return written
