"""``scorecard verify``: a published document built again from the store, every difference named.

The statement is published from the real store (West Mercia, 2022-23 Q1 update: figures for the
year ending June 2022), then a corrected Home Office file is loaded that adds one homicide to
West Mercia's 2021-22 Q4 — a quarter inside that year — as a revision would.  verify must name
the homicide figure, its change, the table cell and the sentence that state it, and the chart
point; and nothing at all for a store that has not changed.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import SHARED_DATA, report_json_of
from scorecard.catalogue.schema import Catalogue
from scorecard.ingest import ingest_path
from scorecard.store import Store
from scorecard.verify import verify

PRC = SHARED_DATA / "home-office" / "prc_pfa_long.parquet"
HEADER = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
          "Offence Subgroup", "Offence Code", "Number of Offences"]


@pytest.fixture
def published(real_store_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """report.json for West Mercia's 2022-23 Q1 update, and a private copy of its store."""
    store = tmp_path / "store.duckdb"
    shutil.copyfile(real_store_path, store)
    path = tmp_path / "report.json"
    path.write_text(report_json_of(store, "west-mercia", "2022-23 Q1"), "utf-8")
    return path, store


def one_more_homicide(folder: Path) -> Path:
    """West Mercia's real 2021-22 Q4 rows with one more murder (offence code 1), as a correction."""
    rows = pq.read_table(PRC, filters=[("FY", "=", "2021/22"), ("Force", "=", "West Mercia"),
                                       ("Financial Quarter", "=", 4.0)]).to_pylist()
    path = folder / "prc-correction.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for r in rows:
            n = int(r["n"]) + (1 if r["Offence Code"] == "1" else 0)
            out.writerow([r["FY"], int(r["Financial Quarter"]), r["Force"], r["Offence Description"], r["Group"],
                          r["Offence Subgroup"], r["Offence Code"], n])
    return path


def test_an_unchanged_store_gives_no_difference(published: tuple[Path, Path], catalogue: Catalogue) -> None:
    path, store = published
    with Store.open(store, read_only=True) as st:
        assert verify(path, st, catalogue) == []


def test_a_revised_quarter_is_named_in_every_place_it_was_published(
        published: tuple[Path, Path], catalogue: Catalogue, tmp_path: Path) -> None:
    path, store = published
    before = json.loads(path.read_text("utf-8"))
    homicides = next(f for f in before["figures"] if f["measure_id"] == "homicide" and f["role"] == "current")
    with Store.open(store) as st:
        ingest_path(st, one_more_homicide(tmp_path))
    with Store.open(store, read_only=True) as st:
        diffs = [str(d) for d in verify(path, st, catalogue)]
    was, now = homicides["value"]["text"], f"{int(homicides['value']['value']) + 1:,}"
    assert f"{path}, priority homicide, figure homicide.current (YE Jun 2022) value: published '{was}', " \
           f"store now gives '{now}'" in diffs
    assert any("figure homicide.baseline (YE Jun 2019) change" in d for d in diffs)
    assert any(d.startswith(f"{path}, section homicide, paragraph") and f"there were {now} homicides" in d
               for d in diffs)
    assert any("(Figures: reduce murder and other homicide), row 1 (Homicide), Figure" in d for d in diffs)
    assert any("(Homicide), 2021-22 Q4 value" in d for d in diffs)  # the chart's point
    assert all(d.startswith(str(path)) for d in diffs)
    assert not any("drug" in d for d in diffs)  # nothing else changed
