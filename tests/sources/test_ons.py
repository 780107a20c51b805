"""Reading ONS police force area tables (Table P1) from the eight real editions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scorecard.areas import territorial_forces
from scorecard.errors import InputError, UnknownForce
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile
from scorecard.sources.ons import read_ons_workbook

# /work/main/tests/sources/test_ons.py -> parents[3] is /work
ONS_DIR = Path(__file__).parents[3] / "shared" / "data" / "ons"

# Edition file -> the rolling year its title names.
EDITIONS = {
    "policeforceareatablesyearendingmarch2018v2.xlsx": "YE Mar 2018",
    "policeforceareadatatablesyearendingjune2018corrected.xlsx": "YE Jun 2018",
    "policeforceareatablesyearendingsep18corrected.xlsx": "YE Sep 2018",
    "policeforceareatablesyearendingdecember2018.xlsx": "YE Dec 2018",
    "policeforceareatablesyeendingmarch2019.xlsx": "YE Mar 2019",
    "policeforceareatablesyearendingjune2019.xlsx": "YE Jun 2019",
    "policeforceareatablesyearendingseptember2019.xlsx": "YE Sep 2019",
    "pfatablesdec19.xlsx": "YE Dec 2019",
}
BASELINE = ONS_DIR / "policeforceareatablesyearendingjune2019.xlsx"

# Every edition has the same 23 offence columns once footnotes are removed.
SERIES = {
    "total_recorded_crime_excluding_fraud",
    "violence_against_the_person",
    "homicide",
    "violence_with_injury",
    "violence_without_injury",
    "stalking_and_harassment",
    "death_or_serious_injury_unlawful_driving",
    "sexual_offences",
    "robbery",
    "theft_offences",
    "burglary",
    "residential_burglary",
    "non_residential_burglary",
    "vehicle_offences",
    "theft_from_the_person",
    "bicycle_theft",
    "shoplifting",
    "other_theft_offences",
    "criminal_damage_and_arson",
    "drug_offences",
    "possession_of_weapons_offences",
    "public_order_offences",
    "miscellaneous_crimes",
}


def figure(parsed: ParsedFile, force: str, series: str) -> float:
    """The one value a parsed file holds for a force and series."""
    rows = [
        r for r in parsed.table.to_pylist() if r["force_id"] == force and r["series"] == series
    ]
    assert len(rows) == 1, rows
    value = rows[0]["value"]
    assert isinstance(value, float)
    return value


def forces_in(parsed: ParsedFile) -> set[str]:
    return set(parsed.table.column("force_id").to_pylist())


# --- the real editions ---------------------------------------------------------------------

def test_baseline_edition_gives_the_west_midlands_figures_quoted_in_the_seed_documents() -> None:
    parsed = read_ons_workbook(BASELINE)

    assert figure(parsed, "west-midlands", "burglary") == 28_675
    assert figure(parsed, "west-midlands", "robbery") == 8_945
    assert figure(parsed, "west-midlands", "homicide") == 53
    assert figure(parsed, "west-midlands", "residential_burglary") == 21_542
    assert figure(parsed, "west-midlands", "total_recorded_crime_excluding_fraud") == 262_558


def test_the_west_midlands_region_is_not_mistaken_for_the_force() -> None:
    # The region "West Midlands " (E12000005) has burglary 45,559; the force has 28,675.
    parsed = read_ons_workbook(BASELINE)
    wm = [r for r in parsed.table.to_pylist() if r["force_id"] == "west-midlands"]

    assert {r["area_code"] for r in wm} == {"E23000014"}
    assert {r["source_line"] for r in wm} == {34}
    codes = set(parsed.table.column("area_code").to_pylist())
    assert not [c for c in codes if c[:3] in ("E12", "E92", "K04", "W92")]


def test_baseline_rows_follow_the_observation_contract() -> None:
    parsed = read_ons_workbook(BASELINE)
    row = next(
        r for r in parsed.table.to_pylist()
        if r["force_id"] == "greater-manchester" and r["series"] == "homicide"
    )

    assert parsed.table.schema == OBSERVATION_SCHEMA
    assert parsed.kind == "ons_pfa_tables_xlsx"
    assert parsed.dataset == "ons_pfa_tables"
    assert parsed.covers == "YE Jun 2019, 43 forces + BTP, 23 series"
    assert parsed.warnings == []
    assert row == {
        "dataset": "ons_pfa_tables",
        "force_id": "greater-manchester",
        "area_type": "force",
        "area_code": "E23000005",
        "area_name": "Greater Manchester",
        "series": "homicide",
        "series_label": "Homicide",
        "series_group": "Victim-based crime",
        "series_subgroup": None,
        "first_month": date(2018, 7, 1),
        "last_month": date(2019, 6, 1),
        "unit": "count",
        "value": row["value"],
        "numerator": None,
        "denominator": None,
        "source_line": 16,
        "source_sheet": "Table P1",
    }


def test_labels_lose_their_footnote_digits_and_keep_their_parent_group() -> None:
    parsed = read_ons_workbook(BASELINE)
    labels = {
        r["series"]: (r["series_label"], r["series_group"])
        for r in parsed.table.to_pylist() if r["force_id"] == "cheshire"
    }

    assert labels["total_recorded_crime_excluding_fraud"] == ("Total recorded crime (excluding fraud)", None)
    assert labels["residential_burglary"] == ("Residential burglary", "Victim-based crime")
    assert labels["stalking_and_harassment"] == ("Stalking and harassment", "Victim-based crime")
    assert labels["drug_offences"] == ("Drug offences", "Other crimes against society")


def test_british_transport_police_has_no_area_code_and_is_found_by_name() -> None:
    parsed = read_ons_workbook(BASELINE)
    btp = [r for r in parsed.table.to_pylist() if r["force_id"] == "btp"]

    assert {(r["area_code"], r["area_name"]) for r in btp} == {("btp", "British Transport Police")}
    assert figure(parsed, "btp", "theft_from_the_person") == 8_841


@pytest.mark.parametrize(("filename", "label"), EDITIONS.items())
def test_every_edition_parses_to_all_forces_for_its_rolling_year(filename: str, label: str) -> None:
    parsed = read_ons_workbook(ONS_DIR / filename)

    first_months = set(parsed.table.column("first_month").to_pylist())
    last_months = set(parsed.table.column("last_month").to_pylist())
    assert parsed.covers.startswith(label + ", ")
    assert len(first_months) == len(last_months) == 1
    (first,), (last,) = first_months, last_months
    assert (last.year - first.year) * 12 + last.month - first.month == 11
    assert last.strftime("%b %Y") == label.removeprefix("YE ")

    # A force whose whole row is ".." is left out with a warning, so every one of the 43
    # is either in the table or named in a warning.
    territorial = {f.force_id: f.name for f in territorial_forces()}
    present = forces_in(parsed)
    warned = {fid for fid, name in territorial.items() if any(name in w for w in parsed.warnings)}
    assert present | warned >= set(territorial)
    assert len(present & set(territorial)) >= 42
    assert "btp" in present
    assert set(parsed.table.column("series").to_pylist()) == SERIES
    assert parsed.table.schema == OBSERVATION_SCHEMA


@pytest.mark.parametrize("filename", list(EDITIONS))
def test_greater_manchester_has_figures_except_when_ons_printed_dots(filename: str) -> None:
    parsed = read_ons_workbook(ONS_DIR / filename)

    if EDITIONS[filename] in ("YE Sep 2019", "YE Dec 2019"):
        # GMP's new recording system: every figure is "..", which is not zero.
        assert "greater-manchester" not in forces_in(parsed)
        assert parsed.warnings == [
            "line 16: Greater Manchester has no figures in Table P1 ('..' or blank); left out"
        ]
        assert parsed.covers.endswith("42 forces + BTP, 23 series (no figures for Greater Manchester)")
    else:
        assert figure(parsed, "greater-manchester", "robbery") > 0
        assert parsed.warnings == []
        assert parsed.table.num_rows == 44 * 23


def test_sheet_name_with_a_trailing_space_is_found_and_recorded_as_written() -> None:
    parsed = read_ons_workbook(ONS_DIR / "policeforceareatablesyeendingmarch2019.xlsx")

    assert set(parsed.table.column("source_sheet").to_pylist()) == {"Table P1 "}


def test_two_digit_year_with_glued_footnotes_in_the_title() -> None:
    # The title reads "... year ending June 181,2": 2018 plus footnotes 1 and 2.
    parsed = read_ons_workbook(ONS_DIR / "policeforceareadatatablesyearendingjune2018corrected.xlsx")

    assert set(parsed.table.column("last_month").to_pylist()) == {date(2018, 6, 1)}


def test_the_wording_change_for_miscellaneous_crimes_keeps_one_series_key() -> None:
    sep19 = read_ons_workbook(ONS_DIR / "policeforceareatablesyearendingseptember2019.xlsx")
    jun19 = read_ons_workbook(BASELINE)

    assert {r["series_label"] for r in sep19.table.to_pylist() if r["series"] == "miscellaneous_crimes"} == {
        "Miscellaneous crimes against society"
    }
    assert {r["series_label"] for r in jun19.table.to_pylist() if r["series"] == "miscellaneous_crimes"} == {
        "Miscellaneous crimes"
    }


# --- files that are not what they claim ----------------------------------------------------

def write_p1(
    path: Path,
    body: list[list[object]],
    *,
    title: str | None = None,
    offences: tuple[str, ...] = ("Homicide", "Robbery4"),
) -> Path:
    """A minimal Table P1: title, parent row, header row, unit row, then ``body``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Table P1"
    ws.append([title or "Table P1: Police recorded crime, number of offences, year ending March 20201,2"])
    ws.append([])
    ws.append(["", "", "Total recorded crime (excluding fraud3)", "", "Victim-based crime"])
    ws.append(["Area Code", "Area Name", "", "", *offences])
    ws.append(["", "", "Numbers"])
    for row in body:
        ws.append(row)
    ws.append(["Source: Home Office - Police recorded crime"])
    ws.append(["1. Police recorded crime data are not designated as National Statistics."])
    wb.save(path)
    return path


def test_a_small_workbook_without_merged_cells_still_groups_its_columns(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [
        ["E12000005", "West Midlands ", 500, "", 80, 11_000],
        ["E23000014", "West Midlands", 300, "", 50, 9_000],
        ["", "British Transport Police", 70, "", 6, 800],
    ])

    parsed = read_ons_workbook(path)

    assert parsed.covers == "YE Mar 2020, 1 force + BTP, 3 series"
    assert [
        (r["force_id"], r["series"], r["series_group"], r["value"], r["source_line"])
        for r in parsed.table.to_pylist()
    ] == [
        ("west-midlands", "total_recorded_crime_excluding_fraud", None, 300.0, 7),
        ("west-midlands", "homicide", "Victim-based crime", 50.0, 7),
        ("west-midlands", "robbery", "Victim-based crime", 9_000.0, 7),
        ("btp", "total_recorded_crime_excluding_fraud", None, 70.0, 8),
        ("btp", "homicide", "Victim-based crime", 6.0, 8),
        ("btp", "robbery", "Victim-based crime", 800.0, 8),
    ]
    assert "42 of 43 territorial forces are not in Table P1" in parsed.warnings[0]


def test_dots_and_blanks_are_left_out_with_a_warning_not_stored_as_zero(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [["E23000014", "West Midlands", 300, "", "..", None]])

    parsed = read_ons_workbook(path)

    assert parsed.table.column("series").to_pylist() == ["total_recorded_crime_excluding_fraud"]
    assert parsed.warnings[0] == (
        "line 6: West Midlands has no figure for Homicide, Robbery ('..' or blank); left out, not zero"
    )


def test_older_burglary_names_stay_separate_series(tmp_path: Path) -> None:
    # "Domestic burglary" counted different buildings from "Residential burglary" (April
    # 2017 reclassification), so it is not folded into residential_burglary.
    path = write_p1(
        tmp_path / "p1.xlsx",
        [["E23000014", "West Midlands", 300, "", 20, 10]],
        offences=("Domestic burglary5", "Non-domestic burglary 5"),
    )

    parsed = read_ons_workbook(path)

    assert parsed.table.column("series").to_pylist() == [
        "total_recorded_crime_excluding_fraud",
        "domestic_burglary",
        "non_domestic_burglary",
    ]


def test_truncated_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "truncated.xlsx"
    data = BASELINE.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(InputError, match="the zip is damaged") as err:
        read_ons_workbook(path)
    assert err.value.file == str(path)


def test_garbage_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(b"this is not a spreadsheet\n" * 50)

    with pytest.raises(InputError, match=r"not a spreadsheet workbook \(an \.xlsx or \.ods file is a zip archive\)"):
        read_ons_workbook(path)


def test_workbook_without_table_p1_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Budget"
    ws.append(["Force", "Spend"])
    ws.append(["West Midlands", 1_000_000])
    wb.save(path)

    with pytest.raises(InputError, match="no 'Table P1' sheet") as err:
        read_ons_workbook(path)
    assert "'Budget'" in err.value.problem


def test_table_p1_without_a_header_row_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "p1.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Table P1"
    ws.append(["Force", "Robbery"])
    ws.append(["West Midlands", 8945])
    wb.save(path)

    with pytest.raises(InputError, match="no header row with 'Area Code' and 'Area Name'"):
        read_ons_workbook(path)


def test_title_without_a_rolling_year_is_an_input_error(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [["E23000014", "West Midlands", 1, "", 1, 1]],
                    title="Table P1: Police recorded crime by offence group")

    with pytest.raises(InputError, match="no 'year ending <month> <year>'"):
        read_ons_workbook(path)


def test_unknown_force_code_names_its_row(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [
        ["E23000014", "West Midlands", 300, "", 50, 9_000],
        ["E23999999", "Atlantis", 1, "", 1, 1],
    ])

    with pytest.raises(UnknownForce, match="unknown police force area code 'E23999999'") as err:
        read_ons_workbook(path)
    assert err.value.line == 7


def test_unknown_force_name_without_a_code_names_its_row(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [["", "Atlantis Constabulary", 1, "", 1, 1]])

    with pytest.raises(UnknownForce) as err:
        read_ons_workbook(path)
    assert err.value.line == 6


def test_text_where_a_count_should_be_is_an_input_error(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [["E23000014", "West Midlands", 300, "", "fifty", 9_000]])

    with pytest.raises(InputError, match="Homicide: 'fifty' is not a number") as err:
        read_ons_workbook(path)
    assert (err.value.line, err.value.where) == (6, "sheet 'Table P1', cell E6")


def test_code_and_name_that_disagree_are_an_input_error(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [["E23000014", "Greater Manchester", 300, "", 50, 9_000]])

    with pytest.raises(InputError, match="E23000014 is West Midlands but the row is named 'Greater Manch"):
        read_ons_workbook(path)


def test_a_force_listed_twice_is_an_input_error(tmp_path: Path) -> None:
    path = write_p1(tmp_path / "p1.xlsx", [
        ["E23000014", "West Midlands", 300, "", 50, 9_000],
        ["E23000014", "West Midlands", 300, "", 50, 9_000],
    ])

    with pytest.raises(InputError, match="appears twice") as err:
        read_ons_workbook(path)
    assert err.value.line == 7


# --- cells the grammar refuses: an error naming the cell, never a gap --------------------

ONS_JUNE_2019_DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / BASELINE.name
WM_RESIDENTIAL_BURGLARY = b'<c r="O34" s="24"><v>21542</v></c>'


def edited_table_p1(tmp_path: Path, old: bytes, new: bytes, name: str = "ons.xlsx") -> Path:
    """The real June 2019 workbook with one cell of Table P1 rewritten in the sheet XML,
    everything else byte for byte as published."""
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(ONS_JUNE_2019_DEMO) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                assert data.count(old) == 1
                data = data.replace(old, new)
            zout.writestr(info, data)
    return path


def with_table_p1_cell(tmp_path: Path, replacement: bytes) -> Path:
    """... with West Midlands' residential burglary (cell O34, 21,542) written as ``replacement``."""
    return edited_table_p1(tmp_path, WM_RESIDENTIAL_BURGLARY, replacement)


def test_a_formula_with_no_saved_value_is_an_error_naming_its_cell_not_a_gap(tmp_path: Path) -> None:
    path = with_table_p1_cell(tmp_path, b'<c r="O34" s="24"><f>N34-P34</f></c>')

    with pytest.raises(InputError) as err:
        read_ons_workbook(path)

    assert str(err.value) == (f"{path}, sheet 'Table P1', line 34: cell O34 holds a formula with no saved value "
                              "(=N34-P34): open the workbook in Excel and save it again")


def test_a_formula_with_its_saved_value_reads_as_the_published_figure(tmp_path: Path) -> None:
    path = with_table_p1_cell(tmp_path, b'<c r="O34" s="24"><f>N34-P34</f><v>21542</v></c>')
    assert figure(read_ons_workbook(path), "west-midlands", "residential_burglary") == 21_542


@pytest.mark.parametrize(("cell", "problem"), [
    (b'<c r="O34" s="24"><v>21542.5</v></c>', "Residential burglary: 21542.5 is not a whole number"),
    (b'<c r="O34" s="24"><v>-21542</v></c>', "Residential burglary: -21542 is negative"),
    (b'<c r="O34" s="24" t="inlineStr"><is><t>1,2</t></is></c>',
     "Residential burglary: '1,2' is not a number (commas separate thousands in groups of three, as in 1,234; "
     "decimals take a full stop)"),
    (b'<c r="O34" s="24" t="inlineStr"><is><t>21,542</t></is></c>', None),
    (b'<c r="O34" s="24" t="b"><v>1</v></c>', "Residential burglary: TRUE is a true/false value, not a number"),
    (b'<c r="O34" s="24" t="inlineStr"><is><t>2.1542e4</t></is></c>',
     "Residential burglary: '2.1542e4' is not a number (write the figure in full, without an exponent)"),
], ids=["fraction", "negative", "one-comma-two", "grouped-thousands", "true", "exponent"])
def test_west_midlands_residential_burglary_written_otherwise(tmp_path: Path, cell: bytes, problem: str | None) -> None:
    path = with_table_p1_cell(tmp_path, cell)
    if problem is None:  # "21,542" typed as text is the same figure
        assert figure(read_ons_workbook(path), "west-midlands", "residential_burglary") == 21_542
        return
    with pytest.raises(InputError) as err:
        read_ons_workbook(path)
    assert (err.value.line, err.value.where, err.value.problem) == (34, "sheet 'Table P1', cell O34", problem)


@pytest.mark.parametrize("control", [b"\x1b", b"\x00", b"&#x202E;"], ids=["escape", "NUL", "RLO"])
def test_a_control_character_in_an_area_name_is_an_error_naming_its_row(tmp_path: Path, control: bytes) -> None:
    path = edited_table_p1(tmp_path, b'<c r="B34" s="5" t="s"><v>78</v></c>',
                           b'<c r="B34" s="5" t="inlineStr"><is><t>West' + control + b"Midlands</t></is></c>")
    with pytest.raises(InputError) as err:
        read_ons_workbook(path)
    assert err.value.line == 34
    assert err.value.problem.startswith("Area Name holds the control character U+")


def test_a_force_row_with_no_figure_at_all_is_read_not_skipped(tmp_path: Path) -> None:
    # Every cell text: the row is still West Midlands' (its code says so), so the text is an error.
    path = write_p1(tmp_path / "p1.xlsx", [["E23000014", "West Midlands", "three hundred", "", "fifty", "many"]])
    with pytest.raises(InputError, match="Total recorded crime \\(excluding fraud\\): 'three hundred' is not a number"):
        read_ons_workbook(path)


def test_a_table_p1_that_claims_a_million_rows_reads_as_the_72_it_holds(tmp_path: Path) -> None:
    # <dimension ref="A1:XFD1048576"/> is only a claim: calamine and the workbook checks go by
    # the cells, so the figures are the published ones.
    path = edited_table_p1(tmp_path, b'<dimension ref="A1:AA72"/>', b'<dimension ref="A1:XFD1048576"/>')

    parsed = read_ons_workbook(path)

    assert figure(parsed, "west-midlands", "residential_burglary") == 21_542
    assert figure(parsed, "west-midlands", "burglary") == 28_675
    assert parsed.table.num_rows == 44 * 23
