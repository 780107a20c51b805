"""The local series file, as the analysts who fill it in will meet it.

Each test is a small file an analyst might write and what the reader makes of it: the
observations it yields, or the one message that tells them what to fix.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scorecard.errors import InputError, UnknownForce
from scorecard.sources.local_series import (
    COLUMNS,
    REPLACE_KEY,
    WELL_KNOWN_SERIES,
    looks_like_local_series,
    read_local_series,
    series_label,
)
from scorecard.sources.observations import OBSERVATION_SCHEMA

DOCS = Path(__file__).resolve().parents[2] / "docs" / "local-series.md"
DEMO = Path(__file__).resolve().parents[2] / "demo" / "data"

HEADER = "force,series,period,value,numerator,denominator,unit,note\n"


def write(tmp_path: Path, text: str, name: str = "local.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rejected(tmp_path: Path, text: str) -> InputError:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_local_series(path)
    assert caught.value.file == str(path)
    return caught.value


def rows(path: Path) -> list[dict[str, object]]:
    return read_local_series(path).table.to_pylist()


# --- what a good file gives ---------------------------------------------------------------

def test_a_force_wide_count_becomes_one_observation(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "West Midlands,homicides,YE Jun 2019,52,,,,seed 001 para 4\n")

    parsed = read_local_series(path)

    assert parsed.kind == "local_series_csv"
    assert parsed.dataset == "local_series"
    assert parsed.table.schema == OBSERVATION_SCHEMA
    assert parsed.replace_key == REPLACE_KEY
    assert parsed.replace_key == ("force_id", "area_type", "area_code", "series", "first_month", "last_month")
    assert parsed.covers == "West Midlands: 1 series, Jul 2018 to Jun 2019"
    assert parsed.warnings == []
    assert parsed.table.to_pylist() == [
        {
            "dataset": "local_series",
            "force_id": "west-midlands",
            "area_type": "force",
            "area_code": "E23000014",
            "area_name": "West Midlands",
            "series": "homicides",
            "series_label": "Homicides",
            "series_group": "homicide",
            "series_subgroup": None,
            "first_month": date(2018, 7, 1),
            "last_month": date(2019, 6, 1),
            "unit": "count",
            "value": 52.0,
            "numerator": None,
            "denominator": None,
            "source_line": 2,
            "source_sheet": None,
        }
    ]


def test_only_force_series_period_and_value_columns_are_needed(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value,series,force\n2022-23 Q1,4,homicides,west-mercia\n")
    [row] = rows(path)
    assert (row["force_id"], row["first_month"], row["last_month"]) == (
        "west-mercia", date(2022, 4, 1), date(2022, 6, 1),
    )


def test_any_period_label_the_parser_reads_sets_the_months(tmp_path: Path) -> None:
    text = HEADER + "\n".join(
        [
            "West Midlands,homicides,YE Jun 2019,52,,,,",
            "West Midlands,homicides,Jan 2021 to Dec 2021,46,,,,",
            "West Midlands,homicides,2021-22,53,,,,",
            "West Midlands,homicides,2024-25 Q1,9,,,,",
            "West Midlands,homicides,2019-06,4,,,,",
            "West Midlands,homicides,Jun 2020,5,,,,",
        ]
    )
    months = [(r["first_month"], r["last_month"]) for r in rows(write(tmp_path, text))]
    assert months == [
        (date(2018, 7, 1), date(2019, 6, 1)),
        (date(2021, 1, 1), date(2021, 12, 1)),
        (date(2021, 4, 1), date(2022, 3, 1)),
        (date(2024, 4, 1), date(2024, 6, 1)),
        (date(2019, 6, 1), date(2019, 6, 1)),
        (date(2020, 6, 1), date(2020, 6, 1)),
    ]


def test_force_may_be_written_as_name_id_ons_code_or_police_uk_name(tmp_path: Path) -> None:
    text = HEADER + "\n".join(
        [
            "West Midlands,homicides,2019,1,,,,",
            "west-midlands,homicides,2020,2,,,,",
            "E23000014,homicides,2021,3,,,,",
            "West Midlands Police,homicides,2022,4,,,,",
        ]
    )
    assert {r["force_id"] for r in rows(write(tmp_path, text))} == {"west-midlands"}


def test_thousands_commas_and_percent_signs_are_accepted(tmp_path: Path) -> None:
    text = HEADER + (
        'West Midlands,drug_treatment_referrals,2020,"1,087",,,,\n'
        "West Midlands,calls_999_answered_in_sla,Jun 2024,92%,,,,percentage only\n"
    )
    referrals, calls = rows(write(tmp_path, text))
    assert referrals["value"] == 1087.0
    assert (calls["value"], calls["unit"], calls["numerator"], calls["denominator"]) == (
        92.0, "percentage", None, None,
    )


def test_a_percentage_can_be_given_as_numerator_and_denominator(tmp_path: Path) -> None:
    text = HEADER + "West Mercia,victim_satisfaction_domestic_abuse,Jan 2022 to Jun 2022,,73,100,,\n"
    [row] = rows(write(tmp_path, text))
    assert (row["value"], row["numerator"], row["denominator"]) == (73.0, 73.0, 100.0)


def test_a_published_percentage_agrees_with_its_counts_to_the_precision_written(tmp_path: Path) -> None:
    text = HEADER + (
        "West Midlands,calls_999_answered_in_sla,2023-24,93,754107,810868,,rounded to a whole percent\n"
        "West Midlands,calls_101_answered_in_sla,2023-24,76.04,498000,655000,,within 0.05\n"
    )
    calls_999, calls_101 = rows(write(tmp_path, text))
    assert calls_999["value"] == 93.0  # the published figure is kept; the counts are kept beside it
    assert calls_999["numerator"] == 754107.0
    assert calls_101["value"] == 76.04


def test_a_percentage_that_disagrees_with_its_counts_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,victim_satisfaction,2023,55,50,80,,\n")
    assert error.line == 2
    assert "value 55 does not match numerator/denominator (50 of 80 is 62.50%)" in str(error)

    error = rejected(tmp_path, HEADER + "West Midlands,victim_satisfaction,2023,62.6,50,80,,\n")
    assert "does not match" in error.problem  # 62.6 written to 1 d.p. must be within 0.05 of 62.5


def test_well_known_series_get_their_label_unit_and_priority(tmp_path: Path) -> None:
    text = HEADER + "West Midlands,firearm_discharges,YE Dec 2021,147,,,,\n"
    [row] = rows(write(tmp_path, text))
    assert row["series_label"] == "Offences involving the discharge of a firearm"
    assert row["unit"] == "count"
    assert row["series_group"] == "serious_violence"


def test_other_series_need_a_unit_and_are_labelled_from_the_id_or_a_label_column(tmp_path: Path) -> None:
    text = (
        "force,series,series_label,period,value,unit\n"
        "West Midlands,nrm_referrals_county_lines,,2021,124,count\n"
        "West Midlands,weapons_surrendered,Weapons handed in to surrender bins,2024-25 Q1,1118,count\n"
        "West Midlands,median_999_answer_time,,2024-06,4.5,seconds\n"
    )
    nrm, weapons, answer = rows(write(tmp_path, text))
    assert nrm["series_label"] == "NRM referrals county lines"
    assert weapons["series_label"] == "Weapons handed in to surrender bins"
    assert (answer["unit"], answer["value"], answer["series_group"]) == ("seconds", 4.5, None)
    assert series_label("homicides") == "Homicides"


def test_a_label_typed_for_a_well_known_series_gives_way_to_the_built_in_one(tmp_path: Path) -> None:
    text = "force,series,series_label,period,value\nWest Midlands,homicides,Murders,2021,46\n"
    path = write(tmp_path, text)
    parsed = read_local_series(path)
    assert parsed.table.column("series_label").to_pylist() == ["Homicides"]
    assert any("built-in label 'Homicides'" in w for w in parsed.warnings)


def test_sub_area_figures_carry_their_area(tmp_path: Path) -> None:
    text = (
        "force,area_type,area_code,area_name,series,period,value\n"
        "West Midlands,local_authority,E08000025,Birmingham,homicides,2023-24,20\n"
        "West Midlands,npu,,Birmingham West,homicides,2023-24,6\n"
        "West Midlands,,,,homicides,2023-24,43\n"
    )
    birmingham, npu, force_wide = rows(write(tmp_path, text))
    assert (birmingham["area_type"], birmingham["area_code"], birmingham["area_name"]) == (
        "local_authority", "E08000025", "Birmingham",
    )
    assert (npu["area_type"], npu["area_code"], npu["area_name"]) == (
        "npu", "birmingham-west", "Birmingham West",
    )
    assert (force_wide["area_type"], force_wide["area_code"]) == ("force", "E23000014")


def test_series_ids_are_read_case_insensitively(tmp_path: Path) -> None:
    [row] = rows(write(tmp_path, HEADER + "West Midlands,Homicides,2021,46,,,,\n"))
    assert row["series"] == "homicides"


def test_blank_lines_are_skipped_and_lines_are_counted_as_in_an_editor(tmp_path: Path) -> None:
    text = HEADER + (
        "\n"
        'West Midlands,homicides,2020,50,,,,"a note\nover two lines"\n'
        ",,,,,,,\n"
        "West Midlands,homicides,2021,46,,,,\n"
    )
    assert [r["source_line"] for r in rows(write(tmp_path, text))] == [3, 6]


def test_semicolon_separated_files_from_european_excel_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "force;series;period;value\nWest Midlands;homicides;2021;46\n")
    assert rows(path)[0]["value"] == 46.0


def test_a_byte_order_mark_from_excel_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "West Midlands,homicides,2021,46,,,,\n", encoding="utf-8-sig")
    assert rows(path)[0]["value"] == 46.0


def test_a_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    text = HEADER + "West Midlands,homicides,2021,46,,,,cost £1m – see annex\n"
    parsed = read_local_series(write(tmp_path, text, encoding="cp1252"))
    assert parsed.table.num_rows == 1
    assert len(parsed.warnings) == 1
    assert "Windows-1252" in parsed.warnings[0]


def test_markup_and_formulas_in_text_are_kept_as_plain_data(tmp_path: Path) -> None:
    label = '<script>alert("x")</script> =HYPERLINK("http://evil")'
    quoted = '"' + label.replace('"', '""') + '"'
    header = "force,series,series_label,period,value,unit,note\n"
    text = header + f"West Midlands,odd_series,{quoted},2021,1,count,x\n"
    [row] = rows(write(tmp_path, text))
    assert row["series_label"] == label


@pytest.mark.parametrize(("hidden", "code"), [("\x00", "U+0000"), ("\x1b[31m", "U+001B"), ("\u202e", "U+202E")])
def test_a_control_character_in_any_cell_is_refused_with_its_line_and_column(
        tmp_path: Path, hidden: str, code: str) -> None:
    header = "force,series,series_label,period,value,unit,note\n"
    text = (header + "West Midlands,homicides,,2021,46,,\n"
            + f"West Midlands,odd_series,Odd{hidden}label,2021,1,count,x\n")
    error = rejected(tmp_path, text)
    assert error.line == 3
    assert error.problem == f"column 'series_label' holds the control character {code} (character 4); " \
                            "a cell holds only printable text"


def test_tabs_and_line_breaks_inside_a_cell_become_spaces(tmp_path: Path) -> None:
    header = "force,series,series_label,period,value,unit\n"
    [row] = rows(write(tmp_path, header + 'West Midlands,odd_series,"Two\tword\r\nlabel",2021,1,count\n'))
    assert row["series_label"] == "Two word label"


def test_extra_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "force,series,period,value,owner\nWest Midlands,homicides,2021,46,Jo\n")
    parsed = read_local_series(path)
    assert parsed.table.num_rows == 1
    assert parsed.warnings == [f"{path}: ignored column(s) not part of the format: 'owner'"]


def test_covers_names_the_forces_series_and_months(tmp_path: Path) -> None:
    text = HEADER + (
        "West Midlands,homicides,YE Jun 2019,52,,,,\n"
        "West Midlands,calls_999_answered_in_sla,Jun 2024,92,,,,\n"
        "West Mercia,homicides,2022-23 Q1,4,,,,\n"
    )
    parsed = read_local_series(write(tmp_path, text))
    assert parsed.covers == "West Midlands, West Mercia: 2 series, Jul 2018 to Jun 2024"


# --- what a bad file is told --------------------------------------------------------------

def test_a_percentage_over_100_is_refused_with_its_line(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,homicides,2021,46,,,,\n"
                     "West Midlands,victim_satisfaction,2021,104.2,,,,\n")
    assert error.line == 3
    assert error.problem == "percentage 104.2 is over 100"
    assert str(error).endswith("line 3: percentage 104.2 is over 100")


def test_a_negative_percentage_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,victim_satisfaction,2021,-3,,,,\n")
    assert error.problem == "percentage -3 is below 0"


def test_a_numerator_larger_than_its_denominator_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,victim_satisfaction,2021,,12,10,,\n")
    assert (error.line, error.problem) == (2, "numerator 12 is greater than denominator 10")


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (",12,", "numerator and denominator must be given together"),
        (",,", "a percentage needs a value, or a numerator and a denominator"),
        (",0,0", "denominator is 0"),
        (",-1,10", "numerator and denominator cannot be negative"),
    ],
)
def test_incomplete_percentages_are_refused(tmp_path: Path, cells: str, problem: str) -> None:
    error = rejected(tmp_path, HEADER + f"West Midlands,victim_satisfaction,2021,{cells},,\n")
    assert error.problem == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("-1", "count -1 is negative"),
        ("4.5", "count 4.5 is not a whole number"),
        ("n/a", "column 'value': 'n/a' is not a number"),
        ("1,08,7", "column 'value': '1,08,7' is not a number (commas separate thousands in groups of three, "
                   "as in 1,234; decimals take a full stop)"),
        ("1,2", "column 'value': '1,2' is not a number (commas separate thousands in groups of three, "
                "as in 1,234; decimals take a full stop)"),
        ("1e3", "column 'value': '1e3' is not a number (write the figure in full, without an exponent)"),
        ("1 087", "column 'value': '1 087' is not a number (a number has no spaces inside it)"),
        ("NaN", "column 'value': 'NaN' is not a number"),
        ("12%", "value '12%' has a % sign but the unit is count"),
        ("", "column 'value' is blank"),
    ],
)
def test_counts_must_be_whole_non_negative_numbers(tmp_path: Path, value: str, problem: str) -> None:
    error = rejected(tmp_path, HEADER + f'West Midlands,homicides,2021,"{value}",,,,\n')
    assert (error.line, error.problem) == (2, problem)


def test_counts_have_no_numerator_or_denominator(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,homicides,2021,46,46,50,,\n")
    assert error.problem == "numerator and denominator only apply to percentages, not to a count"


def test_an_unknown_force_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "West Midlands,homicides,2021,46,,,,\nGotham City,homicides,2021,9,,,,\n")
    with pytest.raises(UnknownForce) as caught:
        read_local_series(path)
    assert caught.value.line == 3
    assert "Gotham City" in caught.value.problem


def test_an_unreadable_period_gives_the_parsers_message_and_line(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,homicides,last summer,46,,,,\n")
    assert error.line == 2
    assert error.problem.startswith("cannot read period 'last summer'; try '2024-25 Q1'")


def test_a_period_that_has_not_ended_yet_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + "West Midlands,homicides,2199,46,,,,\n")
    assert error.problem == "period '2199' ends in Dec 2199, which has not happened yet"


@pytest.mark.parametrize("missing", ["force", "series", "period", "value"])
def test_a_missing_required_column_is_named(tmp_path: Path, missing: str) -> None:
    columns = [c for c in ("force", "series", "period", "value") if c != missing]
    error = rejected(tmp_path, ",".join(columns) + "\n" + ",".join("x" for _ in columns) + "\n")
    assert error.problem.startswith(f"missing required column {missing!r}")


def test_a_row_with_the_wrong_number_of_fields_is_refused_with_its_line(tmp_path: Path) -> None:
    text = HEADER + "West Midlands,homicides,2021,46,,,,\nWest Midlands,homicides,2022,40\n"
    error = rejected(tmp_path, text)
    assert (error.line, error.problem) == (3, "this row has 4 fields but the header has 8")


@pytest.mark.parametrize(("text", "problem"), [("", "the file is empty"), ("\n \n", "the file is empty"),
                                               (HEADER, "the file has a header but no data rows")])
def test_an_empty_file_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    assert rejected(tmp_path, text).problem == problem


def test_the_same_figure_twice_in_one_file_names_both_lines(tmp_path: Path) -> None:
    error = rejected(
        tmp_path,
        HEADER + "West Midlands,homicides,2021,46,,,,\n"
        "West Midlands,firearm_discharges,2021,140,,,,\n"
        "west-midlands,homicides,Jan 2021 to Dec 2021,47,,,,\n",
    )
    assert error.line == 4
    assert "repeats line 2" in error.problem


def test_the_same_series_and_period_for_different_areas_is_not_a_duplicate(tmp_path: Path) -> None:
    text = (
        "force,area_type,area_code,series,period,value\n"
        "West Midlands,,,homicides,2021,46\n"
        "West Midlands,csp,E08000025,homicides,2021,20\n"
        "West Mercia,,,homicides,2021,8\n"
    )
    assert len(rows(write(tmp_path, text))) == 3


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("West Midlands,homicides,2021,46,,,percentage,",
         "series 'homicides' is always a count, not a percentage; "
         "use a different series id for a different measure"),
        ("West Midlands,my_series,2021,46,,,,",
         "series 'my_series' is not a well-known series, so its unit must be given"),
        ("West Midlands,my_series,2021,46,,,furlongs,", "unit 'furlongs' is not one of"),
        ("West Midlands,knife crime,2021,46,,,count,", "series id 'knife crime' must be lower-case"),
        ("West Midlands,,2021,46,,,count,", "column 'series' is blank"),
        (",homicides,2021,46,,,,", "column 'force' is blank"),
        ("West Midlands,homicides,,46,,,,", "column 'period' is blank"),
    ],
)
def test_series_units_and_blank_identifiers_are_checked(tmp_path: Path, row: str, problem: str) -> None:
    error = rejected(tmp_path, HEADER + row + "\n")
    assert error.line == 2
    assert error.problem.startswith(problem)


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ("force,E08000025,", "area_code 'E08000025' is not West Midlands's code 'E23000014'"),
        ("force,,Birmingham", "area_name 'Birmingham' is not West Midlands"),
        ("csp,,", "area_type 'csp' needs an area_code or an area_name"),
        ("Local Authority,E08000025,", "area_type 'local authority' must be lower-case"),
    ],
)
def test_areas_are_checked(tmp_path: Path, cells: str, problem: str) -> None:
    header = "force,area_type,area_code,area_name,series,period,value\n"
    text = header + f"West Midlands,{cells},homicides,2021,4\n"
    assert rejected(tmp_path, text).problem.startswith(problem)


def test_a_custom_series_keeps_one_label(tmp_path: Path) -> None:
    text = (
        "force,series,series_label,period,value,unit\n"
        "West Midlands,fraud_victimisation,Fraud victims,2020,13331,count\n"
        "West Midlands,fraud_victimisation,Fraud victimisation,2021,15555,count\n"
    )
    error = rejected(tmp_path, text)
    assert (error.line, error.problem) == (
        3,
        "series 'fraud_victimisation' is labelled 'Fraud victimisation' here but 'Fraud victims' on line 2",
    )


def test_a_duplicated_column_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, "force,series,period,value,Value\nWest Midlands,homicides,2021,1,2\n")
    assert (error.line, error.problem) == (1, "column 'value' appears twice in the header")


def test_an_overlong_cell_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + f"West Midlands,homicides,2021,46,,,,{'x' * 5000}\n")
    assert error.problem == "column 'note' holds 5,000 characters; the limit is 2,000"


def test_a_workbook_saved_as_csv_is_refused(tmp_path: Path) -> None:
    assert "spreadsheet workbook" in rejected(tmp_path, "PK\x03\x04 rest of a zip").problem


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "force,series,period,value\n", name="local.json")
    with pytest.raises(InputError, match=r"unsupported file type '\.json'"):
        read_local_series(path)


# --- XLSX --------------------------------------------------------------------------------

WM, WMC = "West Midlands", "West Mercia"
SAMPLE: list[list[object]] = [
    ["force", "area_type", "area_code", "series", "period", "value", "numerator", "denominator", "unit",
     "note"],
    [WM, "", "", "homicides", "YE Jun 2019", 52, None, None, "", "seed 001 para 4"],
    [WM, "", "", "drug_treatment_referrals", "2020", "1,087", None, None, "", "seed 001 para 15"],
    [WM, "csp", "E08000025", "homicides", "2021", 20, None, None, "", "made up"],
    [WM, "", "", "calls_999_answered_in_sla", "2023-24", 93, 754107, 810868, "", "made up counts"],
    [WMC, "", "", "victim_satisfaction_domestic_abuse", "Jan 2022 to Jun 2022", "73%", None, None, "", ""],
    [WMC, "", "", "cyber_flagged_offences", "2021-22", 5454, None, None, "count", "seed 002"],
]


def sample_csv(tmp_path: Path) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [["" if cell is None else cell for cell in row] for row in SAMPLE]
    )
    return write(tmp_path, buffer.getvalue(), name="sample.csv")


def workbook(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "sample.xlsx") -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, grid in sheets.items():
        sheet = book.create_sheet(title)
        for row in grid:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_a_workbook_gives_the_same_observations_as_the_csv(tmp_path: Path) -> None:
    from_csv = read_local_series(sample_csv(tmp_path))
    from_xlsx = read_local_series(workbook(tmp_path, {"series": SAMPLE}))

    assert from_xlsx.kind == "local_series_xlsx"
    assert from_xlsx.covers == from_csv.covers
    assert from_xlsx.warnings == []
    assert from_xlsx.table.column("source_sheet").to_pylist() == ["series"] * 6
    same = [name for name in OBSERVATION_SCHEMA.names if name != "source_sheet"]
    assert from_xlsx.table.select(same).equals(from_csv.table.select(same))


def test_the_sheet_named_series_is_read_wherever_it_is(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"Read me": [["This workbook holds our local series"]], "Series": SAMPLE})
    parsed = read_local_series(path)
    assert parsed.table.num_rows == 6
    assert parsed.table.column("source_sheet").to_pylist()[0] == "Series"


def test_without_a_series_sheet_the_first_sheet_is_read_with_a_warning(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"2024": SAMPLE, "Old": [["nothing"]]})
    parsed = read_local_series(path)
    assert parsed.table.num_rows == 6
    assert parsed.warnings == [f"{path}: no sheet is named 'series'; read the first sheet, '2024'"]


def test_workbook_line_numbers_are_spreadsheet_row_numbers(tmp_path: Path) -> None:
    grid: list[list[object]] = [[], [], *SAMPLE[:3]]  # the header is the first row with anything in it
    bad = [*SAMPLE[:2], ["West Midlands", "", "", "victim_satisfaction", "2021", 104.2, None, None, "", ""]]
    parsed = read_local_series(workbook(tmp_path, {"series": grid}))
    assert parsed.table.column("source_line").to_pylist() == [4, 5]
    with pytest.raises(InputError) as caught:
        read_local_series(workbook(tmp_path, {"series": [[], *bad]}, name="bad.xlsx"))
    assert (caught.value.line, caught.value.problem) == (4, "percentage 104.2 is over 100")


def test_a_date_typed_into_the_period_column_is_that_month(tmp_path: Path) -> None:
    grid: list[list[object]] = [
        ["force", "series", "period", "value"],
        ["West Midlands", "homicides", date(2024, 6, 1), 3],
    ]
    [row] = rows(workbook(tmp_path, {"series": grid}))
    assert (row["first_month"], row["last_month"]) == (date(2024, 6, 1), date(2024, 6, 1))


def test_a_percentage_typed_as_a_fraction_in_excel_is_warned_about(tmp_path: Path) -> None:
    grid: list[list[object]] = [
        ["force", "series", "period", "value"],
        ["West Midlands", "calls_999_answered_in_sla", "Jun 2024", 0.92],
    ]
    parsed = read_local_series(workbook(tmp_path, {"series": grid}))
    assert parsed.table.column("value").to_pylist() == [0.92]
    assert "looks like a fraction" in parsed.warnings[0]


def test_an_empty_or_broken_workbook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="sheet 'series' is empty"):
        read_local_series(workbook(tmp_path, {"series": []}))
    broken = write(tmp_path, "not a zip", name="broken.xlsx")
    with pytest.raises(InputError, match="not a spreadsheet workbook"):
        read_local_series(broken)


# --- sniffing ----------------------------------------------------------------------------

def test_the_header_is_enough_to_recognise_a_local_series_file(tmp_path: Path) -> None:
    assert looks_like_local_series(sample_csv(tmp_path))
    assert looks_like_local_series(workbook(tmp_path, {"series": SAMPLE}))
    assert looks_like_local_series(write(tmp_path, "\ufeffForce,Series,Period,Value\n", name="bom.csv"))


def test_other_files_are_not_mistaken_for_local_series(tmp_path: Path) -> None:
    police_uk = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code\n"
    assert not looks_like_local_series(write(tmp_path, police_uk, name="street.csv"))
    assert not looks_like_local_series(write(tmp_path, "", name="empty.csv"))
    assert not looks_like_local_series(write(tmp_path, "not a zip", name="broken.xlsx"))
    assert not looks_like_local_series(write(tmp_path, "force,series,period,value\n", name="x.ods"))
    assert not looks_like_local_series(tmp_path / "missing.csv")


# --- the bundled demo files and the documentation ---------------------------------------

def test_the_west_midlands_demo_file_holds_figures_from_the_seeds() -> None:
    parsed = read_local_series(Path(str(DEMO.joinpath("local-series-west-midlands.csv"))))
    assert parsed.warnings == []
    assert parsed.covers == "West Midlands: 14 series, Jul 2018 to Jun 2024"
    figures = {
        (r["series"], r["first_month"], r["last_month"]): r["value"] for r in parsed.table.to_pylist()
    }
    assert figures[("homicides", date(2021, 1, 1), date(2021, 12, 1))] == 46
    assert figures[("homicides", date(2018, 7, 1), date(2019, 6, 1))] == 52
    assert figures[("homicides", date(2021, 4, 1), date(2022, 3, 1))] == 53
    assert figures[("under_25_sharp_object_admissions", date(2020, 11, 1), date(2021, 10, 1))] == 145
    assert figures[("under_25_sharp_object_admissions", date(2018, 7, 1), date(2019, 6, 1))] == 145 + 70
    assert figures[("firearm_discharges", date(2021, 1, 1), date(2021, 12, 1))] == 147
    assert figures[("firearm_discharges", date(2021, 10, 1), date(2021, 12, 1))] == 33
    assert figures[("drug_treatment_referrals", date(2020, 1, 1), date(2020, 12, 1))] == 1087
    assert figures[("drug_treatment_referrals", date(2021, 1, 1), date(2021, 12, 1))] == 1229
    assert figures[("calls_999_answered_in_sla", date(2024, 6, 1), date(2024, 6, 1))] == 92


def test_the_west_mercia_demo_file_holds_figures_from_the_seeds() -> None:
    parsed = read_local_series(Path(str(DEMO.joinpath("local-series-west-mercia.csv"))))
    assert parsed.warnings == []
    table = parsed.table
    figures = {
        (r["series"], r["first_month"]): (r["value"], r["numerator"]) for r in table.to_pylist()
    }
    assert figures[("homicides", date(2022, 4, 1))] == (4, None)
    assert figures[("homicides", date(2022, 1, 1))] == (6, None)
    assert figures[("firearm_discharges", date(2022, 4, 1))] == (3, None)
    assert figures[("firearm_discharges", date(2022, 1, 1))] == (0, None)
    assert figures[("drug_related_homicides", date(2022, 4, 1))] == (1, None)
    assert figures[("victim_satisfaction_domestic_abuse", date(2022, 1, 1))] == (73, None)
    assert figures[("cyber_flagged_offences", date(2021, 4, 1))] == (5454, None)
    assert set(table.column("force_id").to_pylist()) == {"west-mercia"}
    assert set(table.column("dataset").to_pylist()) == {"local_series"}


def test_every_demo_row_says_where_its_figure_comes_from() -> None:
    for name in ("local-series-west-midlands.csv", "local-series-west-mercia.csv"):
        text = DEMO.joinpath(name).read_text("utf-8")
        for row in csv.DictReader(io.StringIO(text)):
            assert row["note"].startswith(("Seed 00", "Derived")), row


def test_the_documentation_lists_every_well_known_series_and_column() -> None:
    docs = DOCS.read_text("utf-8")
    for series, info in WELL_KNOWN_SERIES.items():
        assert f"`{series}`" in docs, series
        assert info.unit in docs
    for column in COLUMNS:
        assert f"| `{column}` |" in docs, column


def test_the_example_in_the_documentation_is_a_valid_file(tmp_path: Path) -> None:
    docs = DOCS.read_text("utf-8")
    example = docs.split("```csv\n", 1)[1].split("```", 1)[0]
    parsed = read_local_series(write(tmp_path, example))
    assert parsed.table.num_rows == 7
    assert parsed.warnings == []


def test_an_unclosed_quote_is_refused(tmp_path: Path) -> None:
    error = rejected(tmp_path, HEADER + 'West Midlands,homicides,2021,46,,,,"a note that never ends\n')
    assert error.problem.startswith("cannot read CSV:")
    assert error.line == 2


# --- the cell grammar in a local series ------------------------------------------------------

@pytest.mark.parametrize(("period", "problem"), [
    ("2024-13", "cannot read period '2024-13'"),
    ("Feb 30 2024", "cannot read period 'Feb 30 2024'"),
    ("2024-02-30", "cannot read period '2024-02-30'"),
    ("2024 Q5", "cannot read period '2024 Q5'"),
    ("0000-01", "cannot read period '0000-01': year 0 is out of range"),
], ids=["month-13", "feb-30", "iso-feb-30", "q5", "year-0"])
def test_an_impossible_period_is_refused_with_its_line(tmp_path: Path, period: str, problem: str) -> None:
    error = rejected(tmp_path, HEADER + f"West Midlands,homicides,{period},46,,,,\n")
    assert error.line == 2
    assert error.problem.startswith(problem)


def test_a_formula_without_a_saved_value_is_an_error_naming_its_cell(tmp_path: Path) -> None:
    grid: list[list[object]] = [["force", "series", "period", "value"],
                                ["West Midlands", "homicides", "2021", "=40+6"]]
    path = workbook(tmp_path, {"series": grid})
    with pytest.raises(InputError) as caught:
        read_local_series(path)
    assert str(caught.value) == (f"{path}, sheet 'series', line 2: cell D2 holds a formula with no saved value "
                                 "(=40+6): open the workbook in Excel and save it again")


def test_a_time_typed_into_the_period_column_is_not_a_month(tmp_path: Path) -> None:
    from datetime import time

    grid: list[list[object]] = [["force", "series", "period", "value"], ["West Midlands", "homicides", time(9), 3]]
    with pytest.raises(InputError) as caught:
        read_local_series(workbook(tmp_path, {"series": grid}))
    assert (caught.value.line, caught.value.problem) == (2, "column 'period': 09:00:00 is a time, not a month")


def test_a_true_false_value_is_not_a_count(tmp_path: Path) -> None:
    grid: list[list[object]] = [["force", "series", "period", "value"], ["West Midlands", "homicides", "2021", True]]
    with pytest.raises(InputError) as caught:
        read_local_series(workbook(tmp_path, {"series": grid}))
    assert caught.value.problem == "column 'value': TRUE is a true/false value, not a number"


def test_a_utf16_file_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "West Midlands,homicides,2021,46,,,,\n", encoding="utf-16")
    assert rows(path)[0]["value"] == 46.0


def test_a_windows_1252_file_with_a_byte_windows_1252_lacks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "local.csv"
    path.write_bytes(HEADER.encode() + b"West Midlands,homicides,2021,46,,,,note \x81\n")
    with pytest.raises(InputError) as caught:
        read_local_series(path)
    assert caught.value.line == 2
    assert "neither UTF-8 nor Windows-1252 text (byte 0x81)" in caught.value.problem
