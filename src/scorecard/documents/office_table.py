"""An office or partner table (``sources.office_tables``) as a document table, and the findings
a draft report lists before it may be published.

The figures are published as the office supplied them, formatted once here: counts and money
by their units, percentages to the places they were written with.  Total, subtotal and heading
rows keep their kind so that every renderer sets them apart the same way.  Each table says where
it came from: its source, the figures it quotes, and the file and sheet it was loaded from.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.documents import format as fmt
from scorecard.documents.model import Column, Paragraph, Row, Section, Table
from scorecard.sources.office_tables import ColumnSpec, Finding, OfficeTable

#: The unit each numeric column type is printed by (``scorecard.units``).
_UNIT_OF = {"count": "count", "number": "score", "percent": "percentage"}


def _unit(column: ColumnSpec) -> str:
    if column.kind == "money":
        return "pounds_and_pence" if column.places == 2 else "pounds"
    return _UNIT_OF[column.kind]


def office_table(t: OfficeTable) -> Table:
    columns = tuple(Column(c.heading, numeric=c.numeric, nowrap=c.kind == "period") for c in t.columns)
    rows = []
    for k, values in enumerate(t.rows):
        cells = []
        for j, (value, column) in enumerate(zip(values, t.columns, strict=True)):
            ref = f"table.{t.id}.{k + 1}.{j + 1}"
            if not column.numeric:
                cells.append(fmt.text("" if value is None else str(value)))
            elif value is None:
                cells.append(fmt.Cell(None, "", _unit(column), ref))  # left blank in the file: nothing to show
            else:
                cells.append(fmt.as_written(float(value), _unit(column), column.places, ref))
        rows.append(Row(tuple(cells), kind=t.row_kinds[k]))
    where = f"{t.file}, sheet {t.sheet!r}" if t.sheet else t.file
    notes = [f"Source: {t.source}."]
    if t.quoted_from:
        notes.append(f"Figures quoted from {t.quoted_from}.")
    notes += list(t.notes)
    notes.append(f"Supplied in the table file {where}; loaded and checked by Policing Scorecard.")
    return Table(t.caption, columns, tuple(rows), tuple(notes), id=t.id)


def validation_section(findings: Sequence[Finding], unplaced: Sequence[OfficeTable] = ()) -> Section | None:
    """The findings a draft lists for the office to resolve or explain before approval."""
    if not findings and not unplaced:
        return None
    rows = tuple(Row((fmt.text(f.where), fmt.text(f.problem))) for f in findings)
    rows += tuple(Row((fmt.text(f"{t.file}, sheet {t.sheet!r}" if t.sheet else t.file),
                       fmt.text(f"table {t.id!r} ({t.caption}) is held for this year but no chapter places it")))
                  for t in unplaced)
    count = fmt.count_of(len(rows), "finding", "findings")
    table = Table(f"Validation: {count} in the supplied tables", (Column("Where"), Column("What to check")), rows,
                  ("Each finding compares a stated figure with what the table's other figures give, to the "
                   "places it was written with. The tables are printed as supplied; this section is in the draft "
                   "only, for the office to resolve or explain before the report is approved.",), id="validation")
    intro = Paragraph("These figures in the supplied tables do not agree with each other. Check them with whoever "
                      "supplied the table before the report is approved.")
    return Section("validation", "Validation of the supplied tables", (intro, table))
