"""``scorecard verify report.json``: build a published document again and list what differs.

After a revised month or quarter is loaded, a statement published last quarter may quote figures
the data no longer supports.  ``report.json`` keeps everything needed to build the document again
exactly as it was built — the force, the period, the whole configuration, the commentary as
written — and nothing that is a local path.  ``verify`` rebuilds it from the store as it is now and
compares every published figure: each value and change (unrounded), every cell of every table
(statuses and SPC words included), every chart point and its process limits, every generated
sentence, and the commentary with its references filled in again; and it checks the typed numbers
in the commentary against today's figures.  Each difference names the figure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scorecard import config_files
from scorecard.areas import forces
from scorecard.catalogue.schema import Catalogue
from scorecard.documents.commentary import VOICE_HEADINGS, check_numbers, resolve
from scorecard.documents.config import DocumentConfig, DocumentConfigFile
from scorecard.documents.model import Commentary, Table, Voice
from scorecard.documents.parts import DocumentInputs
from scorecard.errors import ConfigError, InputError
from scorecard.periods import FinancialYear, PeriodError, parse
from scorecard.publish import gather
from scorecard.render.data import FORMAT, document_json
from scorecard.store import Store

#: Largest report.json read (a real one is about 200 KB).
MAX_BYTES = 16 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class _Cell(_Strict):
    value: float | None
    text: str
    unit: str
    ref: str | None = None


class _Figure(BaseModel):
    """One published figure: what verify compares (other fields are kept as published)."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True, allow_inf_nan=False)
    measure_id: str
    priority_id: str
    role: str
    period: str
    value: _Cell
    change: _Cell | None = None


class _Published(BaseModel):
    """The parts of report.json that verify needs; everything else is compared as it is."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True, allow_inf_nan=False)
    format: str
    kind: str
    force_id: str
    catalogue_version: str
    config: dict[str, Any]
    sections: list[dict[str, Any]] = Field(min_length=1)
    figures: list[_Figure]


@dataclass(frozen=True)
class Difference:
    file: str
    where: str  # "priority homicide, figure homicide.current (YE Mar 2024) value"
    published: object
    now: object
    now_from: str = "store now gives"

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: published {self.published!r}, {self.now_from} {self.now!r}"


def read_published(path: Path) -> tuple[_Published, dict[str, Any]]:
    """report.json read strictly: bounded, one shape, every problem named by its key."""
    doc = config_files.load_json(path, what="report.json", limit=MAX_BYTES)
    data = doc.data
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError(path, f"not a report.json written by `scorecard report` (no \"format\": \"{FORMAT}\")")
    published = config_files.validate(_Published, doc)
    if published.force_id not in forces():
        raise ConfigError(path, f"unknown force {published.force_id!r}", where="key force_id")
    return published, data


def _config(path: Path, published: _Published, catalogue: Catalogue) -> tuple[DocumentConfig, str]:
    settings = {k: v for k, v in published.config.items() if v is not None and k != "period"}
    period = published.config.get("period")
    if not isinstance(period, str):
        raise ConfigError(path, "report.json does not record the period it was built for", where="key config.period")
    try:
        parse(period)
    except PeriodError as exc:
        raise ConfigError(path, str(exc), where="key config.period") from None
    try:
        spec = DocumentConfigFile.model_validate(settings, strict=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(k) for k in first["loc"])
        raise ConfigError(path, first["msg"], where=f"key config.{key}") from None
    doc = config_files.Document(str(path), settings, {})
    return DocumentConfig.from_spec(spec, doc, catalogue=catalogue, folder_base=None, source=str(path)), period


def _commentary(data: dict[str, Any]) -> list[tuple[str, Voice, str, str | None]]:
    """(priority id, voice, text as written, file) of every commentary block published."""
    out = []
    for section in data["sections"]:
        for block in section.get("blocks", []):
            if block.get("block") == "Commentary":
                sid = str(section["id"]).removeprefix("force-").removeprefix("pcc-")
                out.append((sid, block["voice"], block.get("written", ""), block.get("source_file")))
    return out


def verify(path: Path, store: Store, catalogue: Catalogue) -> list[Difference]:
    """Every published figure, sentence and commentary that the store no longer supports."""
    from scorecard.areas import force
    from scorecard.documents import board_paper, statement

    published, data = read_published(path)
    if published.kind == "annual_report":
        return verify_annual_report(path)
    if published.catalogue_version != catalogue.version:
        raise ConfigError(path, f"the document used catalogue {published.catalogue_version}, this catalogue is "
                                f"{catalogue.version}: pass the matching --catalogue")
    config, period = _config(path, published, catalogue)
    sp, figures = gather(store, catalogue, [published.force_id], period, config)
    figs = figures[published.force_id]
    results = {mid: mf.result for mid, mf in figs.by_measure.items() if mf.result is not None}
    blocks: dict[tuple[str, Voice], Commentary] = {}
    flags: list[str] = []
    diffs: list[Difference] = []
    for priority_id, voice, written, source in _commentary(data):
        label = source or f"{priority_id} commentary"
        try:
            resolved, used = resolve(written, results, file=label)
        except ConfigError as exc:
            diffs.append(Difference(str(path), f"commentary {label}", "references filled in", str(exc)))
            continue
        flags.extend(check_numbers(written, results, file=label))
        blocks[(priority_id, voice)] = Commentary(voice, VOICE_HEADINGS[voice], resolved, source, used,
                                                  written=written)
    inputs = DocumentInputs(catalogue=catalogue, force_id=published.force_id, area_name=force(published.force_id).name,
                            period=sp, figures=figs, config=config, commentary=blocks, flags=tuple(flags),
                            generated_at=str(data.get("generated_at", "")),
                            software_version=str(data.get("software_version", "")))
    builder = board_paper.build_board_paper if published.kind == "board_paper" else statement.build_statement

    now = json.loads(document_json(builder(inputs)))
    name = str(path)
    diffs.extend(_compare_figures(name, data["figures"], now["figures"]))
    diffs.extend(_compare_sections(name, data["sections"], now["sections"]))
    return [d if d.file else Difference(name, d.where, d.published, d.now) for d in diffs]


def _workforce_table(settings: object, force_id: str,
                     open_store: Callable[[], AbstractContextManager[Store]] | None) -> dict[str, Table]:
    """The workforce table, from the store's Home Office workforce figures again."""
    from scorecard.documents.annual_config import WorkforceFile
    from scorecard.documents.workforce_table import workforce_table
    from scorecard.publish_annual import annual_workforce

    if open_store is None:
        raise ValueError("its workforce table needs the store it was built from (--store)")
    with open_store() as store:
        figures = annual_workforce(store, WorkforceFile.model_validate(settings), force_id)
    assert figures is not None
    return {"workforce": workforce_table(figures)}


def _stop_search_tables(settings: object, force_id: str,
                       open_store: Callable[[], AbstractContextManager[Store]] | None) -> dict[str, Table]:
    """The stop-and-search tables, from the store's data.police.uk rows again."""
    from scorecard.documents.annual_config import StopSearchFile
    from scorecard.documents.stop_search_table import ethnicity_table, outcomes_table
    from scorecard.publish_annual import annual_stop_search

    if open_store is None:
        raise ValueError("its stop-and-search tables need the store they were built from (--store)")
    with open_store() as store:
        figures = annual_stop_search(store, StopSearchFile.model_validate(settings), force_id)
    assert figures is not None
    return {"stop_search": outcomes_table(figures), "stop_search_ethnicity": ethnicity_table(figures)}


def _office_tables(settings: dict[str, Any], force_id: str, ids: list[str],
                   open_store: Callable[[], AbstractContextManager[Store]] | None) -> dict[str, Table]:
    """The report's tables from table files, and its validation table, from the store again."""
    from scorecard.documents.office_table import office_table, validation_section
    from scorecard.sources.office_table_load import held_tables
    from scorecard.sources.office_tables import cross_check

    if open_store is None:
        raise ValueError("its tables from table files need the store they were loaded into (--store)")
    with open_store() as store:
        held = {t.id: t for t in held_tables(store, force_id, str(settings.get("year")))}
    missing = [i for i in ids if i not in held]
    if missing:
        raise ValueError(f"the store holds no table {missing[0]!r} for {force_id} {settings.get('year')}")
    used = [held[i] for i in ids]
    out = {t.id: office_table(t) for t in used}
    if settings.get("status") != "approved":
        section = validation_section([f for t in used for f in t.findings] + cross_check(used),
                                     [t for t in held.values() if t.id not in ids])
        if section is not None:
            out.update({b.id: b for b in section.blocks if isinstance(b, Table)})
    return out


def verify_annual_report(path: Path, catalogue: Catalogue | None = None,
                         open_store: Callable[[], AbstractContextManager[Store]] | None = None) -> list[Difference]:
    """An annual report's computed tables, worked out again from the configuration it was built
    with (kept in report.json): every cell, and each table's caption, headings and notes (which
    carry its source).  A published table the configuration does not account for is listed too.
    The chapters are the office's text, published as written.  No store is needed: the tables
    are computed from the configuration alone, except a figures table's, which come from the
    store (``open_store``, with ``catalogue``) through the results stage, as when it was built."""
    from scorecard.documents.annual_config import FiguresTableFile, PeelFile, Precept, PreceptFile
    from scorecard.documents.annual_report import figures_table, peel_table, precept_table
    from scorecard.figures import year_figures
    from scorecard.precept import pounds

    _, data = read_published(path)
    settings = data.get("config")
    rebuilt = {}
    try:
        if not isinstance(settings, dict):
            raise ValueError("'config' is not a mapping")
        if settings.get("precept") is not None:
            precept = PreceptFile.model_validate(settings["precept"])
            amounts = sorted(((parse(label), pounds(amount)) for label, amount in precept.band_d.items()),
                             key=lambda pair: pair[0].first)
            if len(amounts) != 2 or not all(isinstance(fy, FinancialYear) for fy, _ in amounts):
                raise ValueError("config.precept.band_d must give two financial years")
            (before, d_before), (year, d_now) = amounts
            assert isinstance(before, FinancialYear) and isinstance(year, FinancialYear)  # checked just above
            rebuilt["precept"] = precept_table(Precept((before, d_before), (year, d_now), precept.source))
        if settings.get("peel") is not None:
            rebuilt["peel"] = peel_table(PeelFile.model_validate(settings["peel"]))
        tables = [FiguresTableFile.model_validate(t) for t in settings.get("figures") or []]
        if tables:
            year = parse(str(settings.get("year")))
            if not isinstance(year, FinancialYear):
                raise ValueError("config.year is not a financial year")
            if catalogue is None or open_store is None:
                raise ValueError("its figures tables need the store they were built from (--store)")
            unknown = [m for t in tables for m in t.measures if m not in catalogue.by_id]
            if unknown:
                raise ValueError(f"measure {unknown[0]!r} is in neither the catalogue nor the store")
            with open_store() as store:
                held = year_figures(store, catalogue, str(data.get("force_id")),
                                    [m for t in tables for m in t.measures], year)
            rebuilt.update({t.id: figures_table(t, held, year) for t in tables})
        if settings.get("workforce") is not None:
            rebuilt.update(_workforce_table(settings["workforce"], str(data.get("force_id")), open_store))
        if settings.get("stop_search") is not None:
            rebuilt.update(_stop_search_tables(settings["stop_search"], str(data.get("force_id")), open_store))
        office_ids = [str(t) for t in settings.get("office_tables") or []]
        if office_ids:
            rebuilt.update(_office_tables(settings, str(data.get("force_id")), office_ids, open_store))
    except (ValueError, PeriodError) as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigError(path, f"the annual report's configuration in report.json cannot be read: {exc}") from None
    now = {tid: {"block": "Table", **asdict(t)} for tid, t in rebuilt.items()}
    diffs: list[Difference] = []
    found: set[str] = set()
    for section in (s for s in data.get("sections") or [] if isinstance(s, dict)):
        for i, block in enumerate(b for b in section.get("blocks") or [] if isinstance(b, dict)):
            if block.get("block") != "Table" or not block.get("id"):
                continue
            tid, where = str(block["id"]), f"section {section.get('id')}, block {i + 1}"
            if tid not in now:
                diffs.append(Difference("", f"{where} (table {tid})", "published", "not in its configuration"))
                continue
            found.add(tid)
            fresh = now[tid]
            for key in ("caption", "columns", "notes"):
                if block.get(key) != json.loads(json.dumps(fresh[key])):
                    diffs.append(Difference("", f"{where} (table {tid}) {key}", block.get(key), fresh[key]))
            diffs.extend(_compare_block(where, block, fresh))
    diffs.extend(Difference("", f"table {tid}", "not published", "configured") for tid in now.keys() - found)
    diffs.extend(_chapter_references(data, catalogue, open_store))
    return [Difference(str(path), d.where, d.published, d.now, "worked out again from its configuration gives")
            for d in diffs]


def _quoting_chapters(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, block) of every chapter text of an annual report that quotes a figure."""
    return [(f"section {section.get('id')}, block {i + 1} ({block.get('source_file')})", block)
            for section in data.get("sections") or [] if isinstance(section, dict)
            for i, block in enumerate(b for b in section.get("blocks") or [] if isinstance(b, dict))
            if block.get("block") == "Commentary" and block.get("references")]


def annual_report_needs_store(data: dict[str, Any]) -> bool:
    """Whether verifying an annual report needs the store: a table from it, or a quoted figure."""
    settings = data.get("config")
    tables = isinstance(settings, dict) and any(settings.get(k) for k in ("figures", "office_tables", "stop_search",
                                                                          "workforce"))
    return bool(tables or _quoting_chapters(data))


def _chapter_references(data: dict[str, Any], catalogue: Catalogue | None,
                        open_store: Callable[[], AbstractContextManager[Store]] | None) -> list[Difference]:
    """Each chapter text's ``{measure.field}`` references filled in again from the year's figures."""
    from scorecard.documents.commentary import REFERENCE
    from scorecard.figures import year_figures

    quoting = _quoting_chapters(data)
    if not quoting:
        return []
    year = parse(str((data.get("config") or {}).get("year")))
    if catalogue is None or open_store is None or not isinstance(year, FinancialYear):
        raise ConfigError("report.json", "its chapters quote figures: verify needs the store they came from")
    ids = list(dict.fromkeys(m.group(1) for _, b in quoting for m in REFERENCE.finditer(str(b.get("written", "")))
                             if m.group(1) in catalogue.by_id))
    with open_store() as store:
        held = year_figures(store, catalogue, str(data.get("force_id")), ids, year)
    results = {mid: mf.result for mid, mf in held.items() if mf.result is not None}
    diffs = []
    for where, block in quoting:
        try:
            resolved, _ = resolve(str(block.get("written", "")), results, file=str(block.get("source_file")))
        except InputError as exc:
            diffs.append(Difference("", where, "references filled in", exc.problem))
            continue
        if resolved != block.get("markdown"):
            diffs.append(Difference("", where, block.get("markdown"), resolved))
    return diffs


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _figure_key(f: dict[str, Any]) -> tuple[str, str]:
    return (str(f.get("measure_id")), str(f.get("role")))


def _compare_figures(file: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    now = {_figure_key(f): f for f in new}
    out: list[Difference] = []
    for f in old:
        key = _figure_key(f)
        where = f"priority {f.get('priority_id')}, figure {key[0]}.{key[1]} ({f.get('period')})"
        g = now.get(key)
        if g is None:
            out.append(Difference(file, where, (f.get("value") or {}).get("text"), "no figure"))
            continue
        for field in ("value", "change"):
            a, b = f.get(field) or {}, g.get(field) or {}
            if a.get("text") != b.get("text"):
                out.append(Difference(file, f"{where} {field}", a.get("text"), b.get("text")))
            elif not _same(a.get("value"), b.get("value")):  # the same when shown, but not the same figure
                out.append(Difference(file, f"{where} {field} (unrounded)", a.get("value"), b.get("value")))
        if f.get("period") != g.get("period"):
            out.append(Difference(file, f"{where} period", f.get("period"), g.get("period")))
    for key in now.keys() - {_figure_key(f) for f in old}:
        g = now[key]
        out.append(Difference(file, f"priority {g.get('priority_id')}, figure {key[0]}.{key[1]} ({g.get('period')})",
                              "not published", (g.get("value") or {}).get("text")))
    return out


def _compare_sections(file: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    now = {s["id"]: s for s in new}
    out: list[Difference] = []
    for section in old:
        fresh = now.get(section["id"])
        if fresh is None:
            out.append(Difference("", f"section {section['id']}", section.get("heading"), "no such section"))
            continue
        for i, (a, b) in enumerate(zip(section.get("blocks", []), fresh.get("blocks", []), strict=False)):
            where = f"section {section['id']}, {a.get('block', 'block').lower()} {i + 1}"
            out.extend(_compare_block(where, a, b))
        if len(section.get("blocks", [])) != len(fresh.get("blocks", [])):
            out.append(Difference("", f"section {section['id']}", f"{len(section.get('blocks', []))} blocks",
                                  f"{len(fresh.get('blocks', []))} blocks"))
    return out


def _compare_block(where: str, a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    kind = a.get("block")
    if kind != b.get("block"):
        return [Difference("", where, kind, b.get("block"))]
    if kind == "Paragraph":
        return [] if a.get("text") == b.get("text") else [Difference("", where, a.get("text"), b.get("text"))]
    if kind == "Commentary":
        return [] if a.get("markdown") == b.get("markdown") else [Difference("", where, a.get("markdown"),
                                                                             b.get("markdown"))]
    if kind == "Table":
        out = []
        for r, (ra, rb) in enumerate(zip(a.get("rows", []), b.get("rows", []), strict=False)):
            for c, (ca, cb) in enumerate(zip(ra.get("cells", []), rb.get("cells", []), strict=False)):
                if ca.get("text") != cb.get("text") or not _same(ca.get("value"), cb.get("value")):
                    heading = a["columns"][c]["heading"] if c < len(a.get("columns", [])) else c
                    first = ra["cells"][0]["text"] if ra.get("cells") else ""
                    out.append(Difference("", f"{where} ({a.get('caption')}), row {r + 1} ({first}), {heading}",
                                          ca.get("text"), cb.get("text")))
        if len(a.get("rows", [])) != len(b.get("rows", [])):
            out.append(Difference("", f"{where} ({a.get('caption')})", f"{len(a.get('rows', []))} rows",
                                  f"{len(b.get('rows', []))} rows"))
        return out
    if kind == "Chart":
        out = []
        for pa_, pb in zip(a.get("points", []), b.get("points", []), strict=False):
            for field in ("mean", "lower", "upper", "point_type"):
                if not _same(pa_.get(field), pb.get(field)):
                    out.append(Difference("", f"{where} ({a.get('title')}), {pa_.get('label')} {field}", pa_.get(field),
                                          pb.get(field)))
            if not _same((pa_.get("value") or {}).get("value"), (pb.get("value") or {}).get("value")):
                out.append(Difference("", f"{where} ({a.get('title')}), {pa_.get('label')} value",
                                      (pa_.get("value") or {}).get("text"), (pb.get("value") or {}).get("text")))
        return out
    return [] if a == b else [Difference("", where, a.get("text"), b.get("text"))]
