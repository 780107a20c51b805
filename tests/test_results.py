"""Results for measure × area × period, checked against figures the seed documents publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.catalogue.schema import Catalogue, Measure
from scorecard.ingest import ingest_path
from scorecard.output import result_row
from scorecard.periods import parse
from scorecard.results import Result, ResultsEngine
from scorecard.store import Store


def one(store: Store, catalogue: Catalogue, measure: str, period: str, force: str = "west-midlands") -> Result:
    [result] = ResultsEngine(store, catalogue).compute([catalogue.measure(measure)], parse(period),
                                                       force_ids=[force])
    return result


def test_ons_tables_give_the_baseline_figures_the_seeds_quote(real_store: Store, catalogue: Catalogue) -> None:
    # Seed 001 paras 20-21: "28,675 Burglaries" and "8,945 robberies" in the year ending June 2019.
    assert one(real_store, catalogue, "ons_burglary", "YE Jun 2019").current.value == 28_675
    assert one(real_store, catalogue, "ons_robbery", "year ending June 2019").current.value == 8_945


def test_home_office_homicide_baseline_is_52(real_store: Store, catalogue: Catalogue) -> None:
    # Seed 001 para 4: "52 in the year ending June 2019 baseline".
    r = one(real_store, catalogue, "homicide", "2021-22")
    assert r.baseline.value == 52
    assert r.current.value == 48
    assert r.change() == -4
    assert r.change_pct() == pytest.approx(-7.6923, abs=1e-3)
    row = result_row(r)
    assert row["change_pct"] == -7.7 and row["baseline_period"] == "YE Jun 2019"
    assert row["previous_period"] == "2020-21" and row["previous_value"] == 43


def test_local_series_figures_from_the_seeds(real_store: Store, catalogue: Catalogue) -> None:
    # Seed 004 para 5: 53 homicides April 2021 - March 2022 against 52, "a 1.9% increase".
    r = one(real_store, catalogue, "homicides_local", "Apr 2021 to Mar 2022")
    assert (r.current.value, r.baseline.value) == (53, 52)
    assert result_row(r)["change_pct"] == 1.9
    # Seed 001 para 9: firearm discharges 162 in the baseline, 147 in the year ending December 2021.
    # The file also holds Oct-Dec 2021 (33): the exact year row is used, not a sum.
    r = one(real_store, catalogue, "firearm_discharges", "YE Dec 2021")
    assert (r.current.value, r.baseline.value, r.change()) == (147, 162, -15)


def test_percentages_are_not_summed_or_rescaled(real_store: Store, catalogue: Catalogue) -> None:
    r = one(real_store, catalogue, "calls_999_within_10s", "Jun 2024")
    assert r.current.value == 92
    assert r.change_pct() is None  # a change in a percentage is in points, not per cent


def test_quarterly_source_asked_for_a_month_is_incomplete_not_summed(real_store: Store, catalogue: Catalogue) -> None:
    r = one(real_store, catalogue, "homicide", "2019-06")
    assert r.current.value is None
    assert r.current.status == "incomplete"
    assert "do not fit" in r.current.note


def test_missing_months_make_a_period_incomplete(real_store: Store, catalogue: Catalogue) -> None:
    # Only five baseline-year months of police.uk data are held (Oct 2018 - Feb 2019).
    r = one(real_store, catalogue, "street_burglary", "2024 Q1", force="west-mercia")
    assert r.current.status == "complete" and r.current.value and r.current.value > 0
    assert r.baseline.status == "incomplete" and r.baseline.months_covered == 5
    assert "5 of 12 months" in r.baseline.note


def test_a_quarter_is_compared_with_a_quarter_of_the_baseline_year(real_store: Store, catalogue: Catalogue) -> None:
    r = one(real_store, catalogue, "homicide", "2022-23 Q1", force="west-mercia")
    full_year = one(real_store, catalogue, "homicide", "YE Jun 2019", force="west-mercia").current.value
    assert full_year is not None
    assert r.baseline.value == pytest.approx(full_year / 4)
    assert "averaged to 3 months" in r.baseline.note


def test_all_forces_at_once_match_one_at_a_time(real_store: Store, catalogue: Catalogue) -> None:
    engine = ResultsEngine(real_store, catalogue)
    measure = catalogue.measure("neighbourhood_crime")
    everyone = engine.compute([measure], parse("2024-25"))
    assert len(everyone) == 43
    by_force = {r.area.force_id: r.current.value for r in everyone}
    for force in ("west-midlands", "city-of-london", "dyfed-powys"):
        [single] = engine.compute([measure], parse("2024-25"), force_ids=[force])
        assert single.current.value == by_force[force]


def test_sub_areas_add_up_to_the_force(real_store: Store, catalogue: Catalogue) -> None:
    engine = ResultsEngine(real_store, catalogue)
    measure = catalogue.measure("street_burglary")
    [force] = engine.compute([measure], parse("2024 Q1"), force_ids=["west-mercia"])
    parts = engine.compute([measure], parse("2024 Q1"), force_ids=["west-mercia"], by="local_authority")
    names = {p.area.name for p in parts}
    assert {"Shropshire", "Herefordshire", "Worcester", "Telford and Wrekin"} <= names
    assert sum(p.current.value or 0 for p in parts) == force.current.value
    csps = engine.compute([measure], parse("2024 Q1"), force_ids=["west-mercia"], by="csp")
    assert sum(p.current.value or 0 for p in csps) == force.current.value


def test_rate_per_1000_uses_the_population_of_the_year(real_store: Store, catalogue: Catalogue) -> None:
    r = one(real_store, catalogue, "burglary", "2024-25")
    assert r.population_year == 2024 and r.population == 3_036_605
    assert r.rate_per_1000 == pytest.approx((r.current.value or 0) / 3_036_605 * 1000)


def test_series_behind_a_figure_is_quarterly_for_home_office(real_store: Store, catalogue: Catalogue) -> None:
    r = one(real_store, catalogue, "burglary", "2021-22")
    assert r.series[0].first.iso() == "2018-07"  # from the start of the baseline
    assert all(p.last.ordinal - p.first.ordinal == 2 for p in r.series)
    assert r.series[-1].last.iso() == "2022-03"


def test_provenance_names_the_files(real_store: Store, catalogue: Catalogue) -> None:
    from scorecard.results import provenance

    r = one(real_store, catalogue, "homicide", "2021-22")
    [prov] = provenance(real_store, r.load_ids)
    assert prov["file"] == "prc_pfa_long.parquet" and len(prov["sha256"]) == 64


# --- what a figure is: the catalogue says how it combines ------------------------------------

LOCAL_HEADER = "force,series,series_label,period,value,numerator,denominator,unit,note\n"


def kpi(measure_id: str, series: str, unit: str, **extra: object) -> Measure:
    """A local KPI as a force would add it to its catalogue (no Python)."""
    return Measure.model_validate({"id": measure_id, "title": series.replace("_", " ").capitalize(),
                                   "priority": "victim_satisfaction", "role": "local", "dataset": "local_series",
                                   "filter": {"series": [series]}, "unit": unit, "direction": "decrease",
                                   "source_text": "Force records (local series)", **extra})


def local_store(tmp_path: Path, rows: list[str]) -> Store:
    path = tmp_path / "local.csv"
    path.write_text(LOCAL_HEADER + "".join(rows), "utf-8")
    store = Store.open(tmp_path / "s.duckdb")
    ingest_path(store, path)
    return store


def months_of_2023(series: str, label: str, unit: str, value: str) -> list[str]:
    return [f"West Midlands,{series},{label},2023-{m:02d},{value},,,{unit},test figure\n" for m in range(1, 13)]


def test_a_mean_time_is_averaged_over_the_year_not_summed(tmp_path: Path, catalogue: Catalogue) -> None:
    """A mean time to answer 101 calls of 30 seconds every month is 30 seconds for the year
    (issue 8: it was summed to 360 seconds, "a 25% reduction")."""
    with local_store(tmp_path, months_of_2023("mean_101_answer", "Mean time to answer 101 calls", "seconds",
                                              "30")) as store:
        [r] = ResultsEngine(store, catalogue).compute([kpi("mean_101", "mean_101_answer", "seconds")],
                                                      parse("2023"), force_ids=["west-midlands"])
    assert (r.current.value, r.current.status) == (30.0, "complete")


def test_money_is_summed_and_a_stock_takes_its_latest_value(tmp_path: Path, catalogue: Catalogue) -> None:
    rows = months_of_2023("cash_seized", "Cash seized", "pounds", "1250.50")
    rows += [f"West Midlands,officers,Police officers (headcount),2023-{m:02d},{6900 + m},,,count,test figure\n"
             for m in range(1, 13)]
    with local_store(tmp_path, rows) as store:
        engine = ResultsEngine(store, catalogue)
        [cash] = engine.compute([kpi("cash", "cash_seized", "pounds")], parse("2023"), force_ids=["west-midlands"])
        [staff] = engine.compute([kpi("officers", "officers", "count", aggregation="latest")], parse("2023"),
                                 force_ids=["west-midlands"])
    assert cash.current.value == pytest.approx(12 * 1250.50)
    assert staff.current.value == 6912  # the headcount at the end of December, not 83,478 officer-months


def test_a_series_holding_months_and_quarters_is_charted_in_one_grain(tmp_path: Path, catalogue: Catalogue) -> None:
    rows = months_of_2023("calls_999_received", "", "", "60000")
    rows += [f"West Midlands,calls_999_received,,2023 Q{q},180000,,,,test figure\n" for q in (1, 2)]
    measure = catalogue.measure("calls_999_within_10s").model_copy(
        update={"id": "calls_999", "filter": {"series": ["calls_999_received"]}, "unit": "count"})
    with local_store(tmp_path, rows) as store:
        [r] = ResultsEngine(store, catalogue).compute([measure], parse("2023"), force_ids=["west-midlands"],
                                                      series_from=parse("2023-01").first)
    assert [(p.first.short(), p.last.short()) for p in r.series] == [(f"{m} 2023", f"{m} 2023") for m in (
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")]


def test_homicide_rate_is_per_million_people(real_store: Store, catalogue: Catalogue) -> None:
    """Homicide is never "0.00 per 1,000": the catalogue gives its rate base (1,000,000)."""
    r = one(real_store, catalogue, "homicide", "2021-22")
    assert r.measure.rate_base == 1_000_000
    assert r.population is not None and r.population > 2_900_000
    assert r.population_rate == pytest.approx(48 / r.population * 1_000_000)  # about 16 per million
