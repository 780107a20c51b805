"""What a careful reader checks in a table, worked out exactly: the findings of docs/tables.md.

Each check compares a figure the table states with the figure its other cells imply, to the
precision the statement was written with: a total to the penny (``Decimal``), a percentage to
half a unit of its last written place ("94%" stands for 93.5 to 94.5), a row of percentages
to that half-unit times the number of cells added (each was rounded on its own).  A finding
never changes a figure: the table is published as supplied, and the finding is listed in the
draft report's validation section for the office to resolve or explain.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from scorecard.sources.office_tables import Finding, OfficeTable, Value, shown

HUNDRED = Decimal(100)


def check(table: OfficeTable, meta: dict[str, list[str]]) -> list[Finding]:
    """Every finding in one table (``meta`` is its key block: which rows and columns are totals)."""
    return [*_totals(table), *_subtotals(table), *_total_column(table, meta.get("total column", [])),
            *_columns_make_100(table, meta.get("sums to 100", [])),
            *_rows_make_100(table, meta.get("rows sum to 100", [])), *_ratios(table), *_shares(table),
            *_repeated_rows(table)]


def _half_unit(places: int) -> Decimal:
    return Decimal(5).scaleb(-places - 1)


def _show(value: Decimal, kind: str = "number") -> str:
    return shown(value, kind)


def _finding(t: OfficeTable, k: int | None, j: int | None, problem: str) -> Finding:
    return Finding(t.file, t.sheet, None if k is None else t.lines[k], None if j is None else t.column_ref(j), problem)


def _data_rows(t: OfficeTable) -> list[int]:
    return [k for k, kind in enumerate(t.row_kinds) if kind == "data"]


def _summed(t: OfficeTable, rows: Sequence[int], j: int) -> Decimal | None:
    held = [v for k in rows if isinstance(v := t.rows[k][j], Decimal)]
    return sum(held, Decimal(0)) if held else None


def _additive(t: OfficeTable) -> list[int]:
    return [j for j, c in enumerate(t.columns) if c.kind in ("count", "money")]


def _totals(t: OfficeTable) -> list[Finding]:
    out = []
    for k, kind in enumerate(t.row_kinds):
        if kind != "total":
            continue
        for j in _additive(t):
            stated, added, unit = t.rows[k][j], _summed(t, _data_rows(t), j), t.columns[j].kind
            if isinstance(stated, Decimal) and added is not None and stated != added:
                gap = _show(abs(stated - added), unit)
                out.append(_finding(t, k, j, f"the stated total {_show(stated, unit)} differs from the sum of the "
                                             f"rows above it, {_show(added, unit)} (a difference of {gap})"))
    return out


def _subtotals(t: OfficeTable) -> list[Finding]:
    out = []
    start = 0
    for k, kind in enumerate(t.row_kinds):
        if kind != "subtotal":
            continue
        rows = [r for r in range(start, k) if t.row_kinds[r] == "data"]
        for j in _additive(t):
            stated, added, unit = t.rows[k][j], _summed(t, rows, j), t.columns[j].kind
            if isinstance(stated, Decimal) and added is not None and stated != added:
                out.append(_finding(t, k, j, f"the stated subtotal {_show(stated, unit)} differs from the sum of "
                                             f"the {len(rows)} rows since the last subtotal, {_show(added, unit)}"))
        start = k + 1
    return out


def _total_column(t: OfficeTable, names: list[str]) -> list[Finding]:
    out = []
    headings = [c.heading for c in t.columns]
    for name in names:
        jt = headings.index(name)
        kind = t.columns[jt].kind
        parts = [j for j, c in enumerate(t.columns) if j != jt and c.kind == kind]
        for k, row in enumerate(t.rows):
            stated = row[jt]
            held = [v for j in parts if isinstance(v := row[j], Decimal)]
            if isinstance(stated, Decimal) and held and stated != sum(held, Decimal(0)):
                out.append(_finding(t, k, jt, f"the row's total {_show(stated, kind)} differs from the sum of "
                                              f"its {len(held)} columns, {_show(sum(held, Decimal(0)), kind)}"))
    return out


def _near_100(values: list[Decimal], places: int) -> bool:
    return abs(sum(values, Decimal(0)) - HUNDRED) <= _half_unit(places) * len(values)


def _columns_make_100(t: OfficeTable, names: list[str]) -> list[Finding]:
    out = []
    headings = [c.heading for c in t.columns]
    for name in names:
        j = headings.index(name)
        held = [v for k in _data_rows(t) if isinstance(v := t.rows[k][j], Decimal)]
        if held and not _near_100(held, t.columns[j].places):
            out.append(_finding(t, None, j, f"the column's percentages add up to {_show(sum(held, Decimal(0)))}%, "
                                            "not 100% (more than rounding explains)"))
    return out


def _rows_make_100(t: OfficeTable, names: list[str]) -> list[Finding]:
    if not names:
        return []
    headings = [c.heading for c in t.columns]
    idx = [headings.index(n) for n in names]
    places = max(t.columns[j].places for j in idx)
    out = []
    for k, row in enumerate(t.rows):
        held = [v for j in idx if isinstance(v := row[j], Decimal)]
        if len(held) == len(idx) and not _near_100(held, places):
            parts = " + ".join(f"{_show(v)}%" for v in held)
            out.append(_finding(t, k, idx[0], f"{_label(row)}: {' and '.join(repr(n) for n in names)} add up to "
                                              f"{parts} = {_show(sum(held, Decimal(0)))}%, not 100%"))
    return out


def _label(row: Sequence[Value]) -> str:
    return str(row[0]) if row and row[0] is not None else "this row"


def _percent_of(t: OfficeTable, k: int, j: int, part: Value, whole: Value, base: str) -> Finding | None:
    """A finding when row ``k``'s percentage in column ``j`` is not ``part`` of ``whole`` to the
    places it was written with; ``base`` says what the whole is, for the message."""
    stated, places = t.rows[k][j], t.columns[j].places
    if not (isinstance(stated, Decimal) and isinstance(part, Decimal) and isinstance(whole, Decimal)) or not whole:
        return None
    exact = part / whole * HUNDRED
    if abs(stated - exact) <= _half_unit(places):
        return None
    return _finding(t, k, j, f"{_show(stated)}% disagrees with {_show(part)} of {base}{_show(whole)}, which is "
                             f"{exact:.{places + 1}f}%")


def _ratios(t: OfficeTable) -> list[Finding]:
    """``percent = A / B``: each row's percentage against its own A and B."""
    headings = [c.heading for c in t.columns]
    out: list[Finding | None] = []
    for j, c in enumerate(t.columns):
        if c.ratio is not None:
            jn, jd = headings.index(c.ratio[0]), headings.index(c.ratio[1])
            for k, row in enumerate(t.rows):
                if row[jd] == 0 and isinstance(row[j], Decimal):
                    out.append(_finding(t, k, j, f"{c.ratio[1]!r} is 0, so there is no percentage to give"))
                else:
                    out.append(_percent_of(t, k, j, row[jn], row[jd], ""))
    return [f for f in out if f is not None]


def _shares(t: OfficeTable) -> list[Finding]:
    """``share of A``: each data row's percentage against its A over the column's total of A."""
    headings = [c.heading for c in t.columns]
    out: list[Finding | None] = []
    for j, c in enumerate(t.columns):
        if c.share_of is not None:
            ja = headings.index(c.share_of)
            whole = _summed(t, _data_rows(t), ja)
            out += [_percent_of(t, k, j, t.rows[k][ja], whole, "the column's ") for k in _data_rows(t)]
    return [f for f in out if f is not None]


def _repeated_rows(t: OfficeTable) -> list[Finding]:
    out = []
    first: dict[str, int] = {}
    for k in _data_rows(t):
        label = _label(t.rows[k])
        if t.rows[k][0] is None:
            continue
        if label not in first:
            first[label] = k
            continue
        k0 = first[label]
        differ = [j for j, c in enumerate(t.columns) if c.numeric and t.rows[k][j] != t.rows[k0][j]]
        if differ:
            j = differ[0]
            out.append(_finding(t, k, j, f"{label!r} is given twice with different values: {t.rows[k0][j]} on row "
                                         f"{t.lines[k0]}, {t.rows[k][j]} here"))
        else:
            out.append(_finding(t, k, 0, f"{label!r} is given twice (also row {t.lines[k0]}), with the same values"))
    return out
