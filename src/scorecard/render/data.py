"""A document's figures as data: ``document.json`` (the whole model) and CSV tables.

``document.json`` holds the model as published — every block, every figure with its unrounded
value and its text, the sources, and the configuration it was built with — so ``scorecard
verify`` can build it again and compare, and so nothing in it is a local path (a commentary
file is named relative to its folder).  ``figures.csv`` has one row per figure and comparison,
``scorecard.csv`` one per KPI, each with the value unrounded beside the text as shown, and
``table-<id>.csv`` each named table (an annual report's precept table) with its source.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, is_dataclass
from typing import Any

from scorecard.documents.model import Document, Table

FORMAT = "policing-scorecard/document@1"


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out = {"block": type(value).__name__} if type(value).__name__ in _BLOCKS else {}
        out.update({k: _plain(v) for k, v in asdict(value).items()})
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


_BLOCKS = {"Paragraph", "BulletList", "Table", "Chart", "Commentary", "Note"}


def document_json(doc: Document) -> str:
    blocks = {s.id: [{"block": type(b).__name__, **_plain(b)} for b in s.blocks] for s in doc.sections}
    data = _plain(doc)
    for section in data["sections"]:
        section["blocks"] = blocks[section["id"]]
    data["approved"] = doc.approved
    return json.dumps({"format": FORMAT, **data}, indent=2, ensure_ascii=False)


def figure_rows(doc: Document) -> list[dict[str, Any]]:
    files = {s.load_id: s for s in doc.sources}
    return [{
        "area": doc.area_name, "force_id": doc.force_id, "priority_id": f.priority_id, "measure_id": f.measure_id,
        "measure": f.measure, "role": f.role, "period": f.period, "period_first": f.period_first,
        "period_last": f.period_last, "unit": f.value.unit, "value": f.value.value, "value_text": f.value.text,
        "change": f.change.value if f.change else None, "change_text": f.change.text if f.change else "",
        "status": f.status, "stale": f.stale, "source": f.source,
        "source_files": " ".join(files[i].file for i in f.load_ids if i in files),
        "source_sha256": " ".join(files[i].sha256 for i in f.load_ids if i in files),
        "catalogue_version": doc.catalogue_version, "document_status": doc.status,
    } for f in doc.figures]


def scorecard_rows(doc: Document) -> list[dict[str, Any]]:
    tables = [b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind == "scorecard"]
    return [record for table in tables for record in table_rows(doc, table)]


def named_tables(doc: Document) -> list[Table]:
    """The plain tables with an id (an annual report's precept table): each gets table-<id>.csv."""
    return [b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind == "plain" and b.id]


def table_rows(doc: Document, table: Table) -> list[dict[str, Any]]:
    """A table's rows as CSV records: each cell's text as shown, and beside a figure's text its
    unrounded value (a column carries values when any of its cells is a figure, in every row
    alike); then the table's notes (its source), the same in every row."""
    keys = [re.sub(r"[^a-z0-9]+", "_", column.heading.lower()).strip("_") for column in table.columns]
    valued = {k for row in table.rows for k, cell in zip(keys, row.cells, strict=True) if cell.unit != "text"}
    rows: list[dict[str, Any]] = []
    for row in table.rows:
        record: dict[str, Any] = {"area": doc.area_name, "force_id": doc.force_id}
        for key, cell in zip(keys, row.cells, strict=True):
            record[key] = cell.text
            if key in valued:
                record[f"{key}_value"] = cell.value
        if table.kind == "plain":
            record["notes"] = " ".join(table.notes)
            record["document_status"] = doc.status
        rows.append(record)
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buf.getvalue()
