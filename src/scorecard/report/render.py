"""Write one report model in the requested formats; each renderer only draws the model."""

from __future__ import annotations

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
    if "docx" in formats:
        from scorecard.report import docx

        path = out_dir / "statement.docx"
        docx.render(report, path)
        written.append(path)
    if "pdf" in formats:
        from scorecard.report import pdf

        path = out_dir / "statement.pdf"
        pdf.render(report, path, html_text=html_text)
        written.append(path)
    return written
