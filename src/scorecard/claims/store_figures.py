"""The store's figures as the checker asks for them: one measure, area and period at a time.

This is the one place the checker meets the store; it asks ``ResultsEngine`` (the stage that
computes every figure the documents print) and keeps what it is given, so a figure checked in a
document is the figure a statement built from the same store would print.
"""

from __future__ import annotations

from scorecard.catalogue.schema import Catalogue
from scorecard.periods import Period
from scorecard.results import Result, ResultsEngine, breakable_by, provenance
from scorecard.store import Store
from scorecard.sub_areas import SubArea, sub_areas


class StoreFigures:
    """``against_store.Figures`` over an open store."""

    def __init__(self, store: Store, catalogue: Catalogue) -> None:
        self.store = store
        self.catalogue = catalogue
        self.engine = ResultsEngine(store, catalogue)
        self._results: dict[tuple[str, str, str | None, Period], Result | None] = {}
        self._files: dict[int, str] = {}

    def result(self, measure_id: str, force_id: str, sub_area: SubArea | None, period: Period) -> Result | None:
        key = (measure_id, force_id, sub_area.code if sub_area else None, period)
        if key not in self._results:
            self._results[key] = self._compute(measure_id, force_id, sub_area, period)
        return self._results[key]

    def _compute(self, measure_id: str, force_id: str, sub_area: SubArea | None, period: Period) -> Result | None:
        measure = self.catalogue.measure(measure_id)
        by = "force" if sub_area is None else sub_area.area_type
        if by != "force" and not breakable_by(measure, by):
            return None
        found = self.engine.compute([measure], period, force_ids=[force_id], by=by)
        for r in found:
            if sub_area is None or r.area.code == sub_area.code:
                held = [f for f in r.figures.values() if f.load_ids or f.value is not None]
                return r if held else None
        return None

    def source(self, result: Result) -> str:
        """The measure's source as documents print it, and the files its figures were loaded from."""
        ids = [i for i in result.load_ids if i not in self._files]
        for p in provenance(self.store, ids):
            self._files[int(p["load_id"])] = str(p["file"])
        files = ", ".join(f"load {i} ({self._files.get(i, '?')})" for i in result.load_ids)
        return f"{result.measure.source_text}" + (f"; {files}" if files else "")

    def sub_areas(self, force_id: str | None) -> list[SubArea]:
        return sub_areas(self.store.con, force_id) if force_id else []
