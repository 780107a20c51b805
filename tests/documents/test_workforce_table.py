"""The annual report's workforce table, built from typed figures (no store): rows, gaps, total, notes."""

from __future__ import annotations

from datetime import date

from scorecard.documents.format import MISSING
from scorecard.documents.model import Table
from scorecard.documents.workforce_table import LICENCE, workforce_table
from scorecard.sources.workforce import Basis
from scorecard.workforce import TABLE_ROLES, HeldFigure, RoleFigures, WorkforceFigures

SEP19 = "police-workforce-sep19-tables.ods"
SEP18 = "police-workforce-sep18-tables.ods"


def held(value: float, sheet: str = "Table_7", file: str = SEP19, load: int = 2) -> HeldFigure:
    return HeldFigure(value, load, file, sheet, 32)


def figures(by_role: dict[str, tuple[HeldFigure | None, HeldFigure | None]], basis: Basis = "headcount",
            earlier: date = date(2019, 3, 31), later: date = date(2019, 9, 30)) -> WorkforceFigures:
    return WorkforceFigures("west-midlands", "West Midlands", basis, earlier, later,
                            tuple(RoleFigures(role, *by_role.get(role.key, (None, None))) for role in TABLE_ROLES))


# West Midlands' headcount at 31 March and 30 September 2019, from the September 2019 tables
# (tests/golden/workforce/police-workforce-sep19-tables.tsv).
WEST_MIDLANDS = {
    "officers": (held(6641), held(6546)),
    "staff": (held(3562, "Table_8"), held(3636, "Table_8")),
    "pcsos": (held(437, "Table_11"), held(455, "Table_11")),
    "specials": (held(179, "Table_12"), held(205, "Table_12")),
}


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_each_role_then_the_total_with_change_and_percent_change() -> None:
    table = workforce_table(figures(WEST_MIDLANDS))
    assert table.caption == "Police workforce headcount, 31 March 2019 and 30 September 2019"
    assert [c.heading for c in table.columns] == ["Role", "31 March 2019", "30 September 2019", "Change", "% change"]
    assert texts(table) == [
        ["Police officers", "6,641", "6,546", "\u221295", "\u22121.4%"],
        ["Police staff", "3,562", "3,636", "74", "+2.1%"],
        ["Police community support officers", "437", "455", "18", "+4.1%"],
        ["Special constables", "179", "205", "26", "+15%"],
        ["Total", "10,819", "10,842", "23", "+0.2%"],
    ]
    assert table.id == "workforce"


def test_cells_keep_their_values_units_and_references() -> None:
    table = workforce_table(figures(WEST_MIDLANDS))
    officers = table.rows[0].cells
    assert (officers[1].value, officers[1].unit, officers[1].ref) == (6641, "count", "workforce.officers.2019-03-31")
    assert officers[3].ref == "workforce.officers.change" and officers[3].value == -95
    assert officers[4].ref == "workforce.officers.change_pct"
    total = table.rows[-1].cells
    assert (total[2].value, total[2].ref) == (10842, "workforce.total.2019-09-30")
    assert all(c.numeric for c in table.columns[1:])


def test_a_role_held_at_neither_date_is_left_out_and_named() -> None:
    table = workforce_table(figures(WEST_MIDLANDS))
    assert "Designated officers" not in [row.cells[0].text for row in table.rows]
    [note] = [n for n in table.notes if n.startswith("Left out")]
    assert note.startswith("Left out, no figure held for either date: designated officers.")
    assert "usually counts them in police staff" in note


def test_a_date_without_a_figure_shows_a_dash_and_no_total_for_that_date() -> None:
    """31 March 2018: the Home Office tables give a headcount of specials but not of officers,
    staff or PCSOs, so that date's total would be a part passed off as the whole."""
    partial = {
        "officers": (None, held(6641)),
        "staff": (None, held(3562, "Table_8")),
        "pcsos": (None, held(437, "Table_11")),
        "specials": (held(155, "Table_6", SEP18, 1), held(179, "Table_12")),
    }
    table = workforce_table(figures(partial, earlier=date(2018, 3, 31), later=date(2019, 3, 31)))
    assert texts(table)[0] == ["Police officers", MISSING, "6,641", MISSING, MISSING]
    assert texts(table)[3] == ["Special constables", "155", "179", "24", "+15%"]
    assert texts(table)[-1] == ["Total", MISSING, "10,819", MISSING, MISSING]
    [gap] = [n for n in table.notes if n.startswith("Not held")]
    assert gap.startswith("Not held for 31 March 2018: police officers, police staff and police community support "
                          "officers")
    assert "the total is not given for that date" in gap


def test_notes_name_the_source_files_and_sheets_the_basis_and_the_licence() -> None:
    partial = {"officers": (None, held(6641)), "specials": (held(155, "Table_6", SEP18, 1), held(179, "Table_12"))}
    notes = workforce_table(figures(partial)).notes
    assert notes[0] == ("Source: Home Office, Police workforce, England and Wales: police-workforce-sep18-tables.ods "
                        "(sheet Table_6); police-workforce-sep19-tables.ods (sheets Table_7 and Table_12).")
    assert notes[1].startswith("Headcount: the number of people in post at each date, not full-time equivalents.")
    assert "never summed over months" in notes[1]
    assert notes[2].startswith("Total: the sum of the rows above, worked out here")
    assert "leaves out special constables, who are volunteers" in notes[2]
    assert notes[-1] == LICENCE


def test_full_time_equivalents_are_labelled_as_such_everywhere() -> None:
    fte = {"officers": (held(6494.7, "Table_1"), held(6405.063575, "Table_1")),
           "staff": (held(3316.18, "Table_2"), held(3381.3110943829, "Table_2"))}
    table = workforce_table(figures(fte, basis="fte"))
    assert table.caption == "Police workforce full-time equivalents, 31 March 2019 and 30 September 2019"
    assert texts(table) == [
        ["Police officers", "6,495", "6,405", "\u221290", "\u22121.4%"],
        ["Police staff", "3,316", "3,381", "65", "+2.0%"],
        ["Total", "9,811", "9,786", "\u221225", "\u22120.2%"],  # 9,810.88 to 9,786.37
    ]
    assert table.rows[0].cells[1].unit == "fte" and table.rows[0].cells[1].ref == "workforce.officers_fte.2019-03-31"
    assert table.rows[-1].cells[1].ref == "workforce.total_fte.2019-03-31"
    assert any(n.startswith("Full-time equivalents at each date") and "not headcount" in n for n in table.notes)
    assert not any("special constables, who are volunteers" in n for n in table.notes)


def test_no_change_and_a_rise_from_zero() -> None:
    table = workforce_table(figures({"officers": (held(3129), held(3129)), "pcsos": (held(0), held(4))}))
    assert texts(table)[0][3:] == ["0", "0.0%"]
    assert texts(table)[1][3:] == ["4", "new"]
