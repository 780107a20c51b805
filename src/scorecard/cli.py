"""The ``scorecard`` command.

Each sub-command is a thin shell over one stage of the data flow (ingest → store →
catalogue → results → output); it parses arguments, calls the stage and prints.  Errors
we raise on purpose (``ScorecardError``) are shown as one clear line with the exit code of
their kind (``scorecard.errors``: 2 usage, 3 a bad file, 4 the store, 5 a download).
Anything else is a bug: one line says so, exit code 70, and the traceback goes to a file
(or to the terminal with ``SCORECARD_DEBUG=1``).

Everything printed may hold untrusted text (file and member names, cell values), so the
consoles never interpret markup and every message passes through ``errors.printable``.
"""

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from scorecard import __version__
from scorecard.errors import (
    EXIT_DIFFERENCES,
    EXIT_INTERRUPTED,
    EXIT_STORE,
    INTERNAL_ERROR,
    InputError,
    ScorecardError,
    StoreError,
    UsageError,
    printable,
)

# Only what every command needs is imported here, so that `scorecard --help` and `scorecard
# version` start quickly: neither loads DuckDB, pyarrow, the store or the periods, and rich is
# loaded only to print.  The rest is imported by the commands that use it; the names below are
# for the type checker only, so annotations naming them are quoted.  (No ``from __future__
# import annotations`` here: typer would then evaluate every command's annotations as strings
# on each start, a few milliseconds of the 0.15 s that --help may take.)
if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from scorecard.catalogue.schema import Catalogue, Measure
    from scorecard.periods import Month, Period
    from scorecard.render.printer import PdfPrinter
    from scorecard.store import Store
    from scorecard.sub_areas import SubArea


class _Scorecard(typer.Typer):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line.  ``scorecard version`` alone is answered by its command
        directly: typer's parsing imports pydantic (55 ms) to read any command's arguments."""
        if not args and not kwargs and sys.argv[1:] == ["version"]:
            version()
            return None
        return super().__call__(*args, **kwargs)


app = _Scorecard(help="Police data in, National Policing Priorities statements and scorecards out.",
                 no_args_is_help=True, add_completion=False)
catalogue_app = typer.Typer(help="Inspect and validate the measure catalogue.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


@cache
def _console(stderr: bool) -> "Console":
    """The console for stdout or stderr, made on first use.

    Markup and highlighting off: a path holding "[/]" or "[bold]" must print as it is."""
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=True, markup=False)


def _err() -> "Console":
    return _console(True)


def _out() -> "Console":
    return _console(False)


def __getattr__(name: str) -> Any:
    """``cli.err`` and ``cli.out``, the two consoles, as before they were made on first use."""
    if name in ("err", "out"):
        return _console(name == "err")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _open_store(path: Path | None, *, read_only: bool = False) -> "Store":
    from scorecard.store import Store

    return Store.open(path, read_only=read_only)


def default_store_path() -> Path:
    from scorecard.store import default_store_path as default

    return default()


def parse_period(label: str) -> "Period":
    from scorecard.periods import parse

    return parse(label)


def parse_month(label: str) -> "Month":
    from scorecard.periods import parse_month as parse

    return parse(label)


StoreOpt = Annotated[Path | None, typer.Option("--store", envvar="SCORECARD_STORE",
                                               help="DuckDB store file (default: your user data directory).")]
CatalogueOpt = Annotated[Path | None, typer.Option("--catalogue", envvar="SCORECARD_CATALOGUE",
                                                   help="Measure catalogue YAML (default: the built-in one).")]

T = TypeVar("T")


def load_catalogue(path: Path | None) -> "Catalogue":
    """The measure catalogue, imported on first use: ``ingest`` never needs it (0.12 s of start-up)."""
    from scorecard.catalogue.schema import load_catalogue as load

    return load(path)


def _run(fn: Callable[[], T], *, store: Path | None = None) -> T:
    """Run a command's work: our errors as one line with their exit code, bugs as exit 70.

    ``store`` is the command's ``--store`` (None: the default), named if the store turns out
    to be damaged part-way through."""
    try:
        return fn()
    except (typer.Exit, typer.Abort):
        raise
    except ScorecardError as exc:
        _say_error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _say_error("interrupted; nothing half-written was kept")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except RecursionError:
        _say_error("input nested too deeply to read")
        raise typer.Exit(INTERNAL_ERROR) from None
    except Exception as exc:
        damage = _store_damage(exc)
        if damage is not None:
            _say_error(f"{store or default_store_path()}: {damage}")
            raise typer.Exit(EXIT_STORE) from None
        _report_bug(exc)
        raise typer.Exit(INTERNAL_ERROR) from None


def _store_damage(exc: Exception) -> str | None:
    """What to say when DuckDB finds the store file damaged in the middle of a command.

    A store can open cleanly and still hold a block that fails its checksum or is cut short;
    DuckDB finds out only when a query reads that block.  That is the store's fault, not a
    bug: say so, with exit code 4.  Other DuckDB errors (a mistake in our SQL) stay bugs.
    """
    import duckdb

    text = str(exc).strip()
    damaged = (isinstance(exc, duckdb.IOException | duckdb.SerializationException)
               or "Corrupt database file" in text or "Could not read enough bytes" in text)
    if not isinstance(exc, duckdb.Error) or not damaged:
        return None
    first = text.splitlines()[0] if text else type(exc).__name__
    return (f"the store could not be read: it is damaged ({first}). Nothing was changed; load the files "
            "again into a new store (--store) or restore a copy")


def _say_error(message: str) -> None:
    from rich.text import Text

    text = Text("error: ", style="bold red")
    text.append(printable(message))
    _err().print(text)


def _report_bug(exc: BaseException) -> None:
    """An exception we did not raise on purpose: a bug.  The analyst gets one line and where
    the details are; ``SCORECARD_DEBUG=1`` prints the traceback instead."""
    import os
    import tempfile
    import traceback

    details = "".join(traceback.format_exception(exc))
    if os.environ.get("SCORECARD_DEBUG"):
        sys.stderr.write(details)
        where = "above"
    else:
        fd, name = tempfile.mkstemp(prefix="scorecard-bug-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(details)
        where = f"in {name}"
    _say_error(f"internal error ({type(exc).__name__}: {exc}). This is a bug in scorecard, not in your "
               f"data; the details are {where}. Nothing was stored.")


def _say(message: object) -> None:
    """One line of output, exactly as given, with control characters escaped."""
    from rich.text import Text

    _out().print(Text(printable(message)))


def _add_row(table: "Table", *cells: object) -> None:
    """A table row that prints exactly what it holds (no markup, controls escaped)."""
    from rich.text import Text

    table.add_row(*(Text(printable(c)) for c in cells))


def _note(message: object) -> None:
    """A line about the output rather than part of it, on stderr: CSV and JSON on stdout stay clean."""
    from rich.text import Text

    text = Text("note: ", style="bold")
    text.append(printable(message))
    _err().print(text)


def _write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Rows as CSV on stdout: a header, then one line per row; None is empty, text is printable."""
    import csv

    def cell(v: object) -> object:
        if v is None:
            return ""
        return v if isinstance(v, int | float) else printable(v)

    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(row.get(k)) for k in columns})


def _write_json(rows: object) -> None:
    """JSON on stdout: non-ASCII and controls written as escapes, so nothing can drive the terminal."""
    import json

    sys.stdout.write(json.dumps(rows, default=str, indent=2) + "\n")


def _wide() -> "Console":
    """A console at least 160 columns wide for tables, so columns are not squeezed into one letter each."""
    from rich.console import Console

    return Console(width=max(_out().width, 160), soft_wrap=True, markup=False, highlight=False)


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class By(StrEnum):
    force = "force"
    local_authority = "local_authority"
    csp = "csp"


@app.command()
def version() -> None:
    """Print the version."""
    _say(__version__)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Archives, folders or files to load (type is detected).")],
    store: StoreOpt = None,
    refuse_findings: Annotated[bool, typer.Option(
        "--refuse-findings", help="Refuse a table file with any finding (a total that does not add up, "
                                  "percentages that do not make 100 ...) instead of loading it with warnings.",
    )] = False,
) -> None:
    """Load data.police.uk archives/CSVs, Home Office tables, ONS and workforce workbooks, local series
    files and table files."""
    from scorecard.ingest import iter_ingest

    def work() -> None:
        with _open_store(store) as st:
            with _progress_bar(sum(_size(p) for p in paths)) as advance:
                for summary in iter_ingest(st, paths, progress=advance, refuse_findings=refuse_findings):
                    _print_summary(summary)
            _say(f"store: {st.path}")

    _run(work, store=store)


@contextlib.contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int], None] | None]:
    """A bar on a terminal for a load of 20 MB or more, given bytes as they are read; otherwise
    nothing, and rich's progress module not even imported (45 ms of a one-month load)."""
    if not (_err().is_terminal and total >= 20_000_000):
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=_err()) as bar:
        task = bar.add_task("ingesting", total=total)
        yield lambda n: bar.advance(task, n)
        bar.update(task, completed=total)


def _size(p: Path) -> int:
    """Bytes to read, for the progress bar only: 0 for anything that cannot be looked at."""
    try:
        if p.is_dir():
            from scorecard.sources.police_uk import csv_files_under

            return sum(f.stat().st_size for f in csv_files_under(p))
        return p.stat().st_size if p.is_file() else 0
    except (OSError, ScorecardError):
        return 0


def _print_summary(summary: dict[str, Any]) -> None:
    if summary["status"] == "unchanged":
        _say(f"{summary['path']}: already loaded, nothing changed")
        return
    _say(f"{summary['path']}: loaded {summary['rows']:,} rows as load #{summary['load_id']} "
              f"({summary.get('covers', '')})")
    for w in summary.get("warnings", [])[:10]:
        _say(f"  warning: {w}")


@app.command()
def fetch(
    force: Annotated[str, typer.Option(help="Force id, e.g. west-mercia.")],
    months: Annotated[list[str], typer.Option("--month", help="Month(s) to fetch, e.g. 2024-01 (repeatable).")],
    dest: Annotated[Path, typer.Option(help="Where to put the CSVs.")] = Path("police-uk-downloads"),
    base_url: Annotated[str, typer.Option(help="Archive location.")] = "https://data.police.uk/data/archive/",
    load: Annotated[bool, typer.Option("--ingest/--no-ingest", help="Load what was fetched.")] = True,
    store: StoreOpt = None,
) -> None:
    """Download data.police.uk monthly archives (with retries and resume) and keep one force's files."""
    from scorecard.ingest import iter_ingest
    from scorecard.sources.fetch import fetch_force_months

    def work() -> None:
        force_id = _force_id(force, store, option="--force")
        if not base_url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url {base_url!r} is not an http(s) URL; data.police.uk's archives are at "
                             "https://data.police.uk/data/archive/")
        wanted = [parse_month(m) for m in months]
        files = fetch_force_months(force_id, wanted, dest, base_url=base_url)
        _say(f"fetched {len(files)} file(s) into {dest}")
        if load and files:
            with _open_store(store) as st:
                for summary in iter_ingest(st, files):
                    _print_summary(summary)
                _say(f"store: {st.path}")

    _run(work, store=store)


@app.command()
def results(
    area: Annotated[str, typer.Option(help="Force id or name, or 'all' for every force.")],
    period: Annotated[str, typer.Option(help="e.g. '2024-25 Q1', 'YE Jun 2019', '2018-19', '2024-01'.")],
    measure: Annotated[list[str] | None, typer.Option(help="Measure id(s); default: all.")] = None,
    by: Annotated[By, typer.Option(help="Break a force down by local authority or CSP "
                                        "(`scorecard areas --force ID` lists them).")] = By.force,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv or json.")] = Fmt.table,
    include_empty: Annotated[bool, typer.Option(help="Show measures with no data.")] = False,
    store: StoreOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Value, baseline, changes, rate per 1,000 and provenance for measures × area × period."""
    from scorecard.areas import territorial_forces
    from scorecard.output import to_csv, to_json
    from scorecard.results import ResultsEngine

    def work() -> None:
        cat = load_catalogue(catalogue)
        p = parse_period(period)
        if area.strip().lower() == "all":
            force_ids = [f.force_id for f in territorial_forces()]
        else:
            force_ids = [_force_id(area, store, option="--area")]
        if measure and any("." in m for m in measure):  # a series the store holds, not curated
            cat = _with_held_series(cat, store)
        asked = [cat.measure(m) for m in measure] if measure else None
        measures = _measures_by(asked, cat.measures, by)
        with _open_store(store, read_only=True) as st:
            rs = ResultsEngine(st, cat).compute(measures, p, force_ids=force_ids, by=by.value)
            if by is not By.force and (measure or include_empty):
                _note_missing_sub_areas(measures, rs, by, force_ids, p.label)
            if not include_empty and not measure:
                rs = [r for r in rs if r.current.status != "no_data"]
            if fmt is Fmt.json:
                sys.stdout.write(to_json(st, rs, catalogue_version=cat.version) + "\n")
            elif fmt is Fmt.csv:
                sys.stdout.write(to_csv(rs))
            elif rs:
                _print_table(rs, p.label)
            else:
                _say(f"no figures held for {area} in {p.label}"
                     + ("" if include_empty or measure else "; --include-empty shows the measures without data"))

    _run(work, store=store)


def _force_id(name: str, store: Path | None, *, option: str, one_force: bool = False) -> str:
    """The force ``name`` spells; anything else is a usage error saying what it is (a local
    authority or CSP: how to ask for it) or which known name is closest.  ``one_force``: the
    command takes exactly one force (no 'all', no --by), whatever its option is called."""
    from scorecard.areas import find_force
    from scorecard.sub_areas import explain_area

    found = find_force(name)
    if found is not None:
        return found
    results_area = option == "--area" and not one_force  # results: 'all', and a force broken down with --by
    raise UsageError(explain_area(name, _known_sub_areas(store), option=option, allow_all=results_area,
                                  by=results_area))


def _known_sub_areas(store: Path | None) -> "list[SubArea]":
    """Every local authority and CSP in the store's lookup, or none when there is no usable store
    (the message about an unknown area then names forces only)."""
    from scorecard.sub_areas import sub_areas

    try:
        with _open_store(store, read_only=True) as st:
            return sub_areas(st.con)
    except StoreError:
        return []


#: Datasets whose rows can be placed in a local authority or CSP, and why the others cannot.
_FORCE_LEVEL_WHY = {
    "home_office_prc": "Home Office police recorded crime is published per force",
    "ons_pfa_tables": "the ONS Police Force Area tables are per force",
    "police_uk_stop_search": "stop and search records carry no LSOA to place them in a sub-area",
}


def _breakable_by(m: "Measure", by: By) -> bool:
    """Whether a measure's dataset can be broken down by ``by`` (``results.breakable_by``)."""
    from scorecard.results import breakable_by

    return breakable_by(m, by.value)


def _why_not(ms: "Iterable[Measure]") -> str:
    reasons = dict.fromkeys(_FORCE_LEVEL_WHY.get(m.dataset, f"{m.dataset} figures are force-level") for m in ms)
    return "; ".join(reasons)


def _measures_by(asked: "list[Measure] | None", every: "Sequence[Measure]", by: By) -> "list[Measure]":
    """The measures to compute: with ``--by`` a sub-area, only those that can be broken down by it.

    Named with ``--measure``, one that cannot is a usage error; by default they are left out
    with one line saying which and why."""
    from scorecard.sub_areas import KIND_NAMES

    if by is By.force:
        return list(asked or every)
    kind = KIND_NAMES[by.value]
    can = [m for m in every if _breakable_by(m, by)]
    if asked is not None:
        cannot = [m for m in asked if not _breakable_by(m, by)]
        if cannot:
            ids = ", ".join(m.id for m in cannot)
            raise UsageError(f"{ids} cannot be broken down by {kind} ({_why_not(cannot)}); measures that can: "
                             f"{', '.join(m.id for m in can) or 'none in this catalogue'}")
        return asked
    if not can:
        raise UsageError(f"no measure in the catalogue can be broken down by {kind}: "
                         "only police.uk street crime and outcomes, and local series with sub-area rows, can")
    left = [m for m in every if not _breakable_by(m, by)]
    if left:
        _note(f"left out {len(left)} measure(s) that cannot be broken down by {kind} ({_why_not(left)}): "
              f"{', '.join(m.id for m in left)}")
    return can


def _note_missing_sub_areas(measures: "Sequence[Measure]", rs: Sequence[Any], by: By, force_ids: Sequence[str],
                            label: str) -> None:
    """One line for the measures that gave no sub-area figure at all, so an empty answer says why."""
    from scorecard.sub_areas import KIND_NAMES

    given = {r.measure.id for r in rs}
    missing = [m for m in measures if m.id not in given]
    if not missing:
        return
    where = _forces_named(force_ids)
    local = [m.id for m in missing if m.dataset == "local_series"]
    police = [m.id for m in missing if m.dataset != "local_series"]
    kind = KIND_NAMES[by.value]
    if police:
        _note(f"no {kind} figures for {', '.join(police)}: no data.police.uk rows for them are held for {where} "
              f"in {label} or the periods it is compared with (`scorecard loads` lists what is held)")
    if local:
        _note(f"no {kind} figures for {', '.join(local)} in {where}: the local series loaded give them for "
              f"the whole force only (a local series file gives sub-areas in rows with area_type {by.value})")


def _forces_named(force_ids: Sequence[str]) -> str:
    if len(force_ids) > 3:
        return f"the {len(force_ids)} forces"
    from scorecard.areas import force as force_of

    return ", ".join(force_of(f).name for f in force_ids)


def _with_held_series(cat: "Catalogue", store: Path | None) -> "Catalogue":
    """The catalogue with a measure for every series the store holds (``ons.<series>``,
    ``local.<series>``): any of them can be asked for without a catalogue entry."""
    from scorecard.catalogue.schema import HeldSeries

    with _open_store(store, read_only=True) as st:
        held = [HeldSeries(*row) for row in st.series_held()]
    return cat.with_held_series(held)


def _print_table(rs: list[Any], label: str) -> None:
    """Results as a terminal table: every figure's text from the one formatting layer
    (``documents.format``), the same text a statement prints."""
    from rich.table import Table
    from rich.text import Text

    from scorecard.areas import forces
    from scorecard.documents import format as fmt
    from scorecard.output import result_row

    table = Table(title=f"Results for {label}", show_lines=False)
    for col in ("Measure", "Area", "Value", "Baseline", "Change", "vs previous", "vs last year", "Rate", "Status"):
        table.add_column(col, justify="left" if col in ("Measure", "Area", "Status") else "right",
                         no_wrap=col not in ("Measure", "Area", "Rate"))
    notes: list[str] = []
    # Sub-areas of several forces (--area all --by csp): "Location not known" and "Outside the
    # force area" are one per force, so each sub-area is shown with its force.
    several = len({r.area.force_id for r in rs if r.area.area_type != "force"}) > 1
    for r in rs:
        row = result_row(r)
        area_name = f"{r.area.name} ({forces()[r.area.force_id].name})" if several else r.area.name
        unit = r.measure.unit
        f = r.figures
        current = f["current"].value
        status = row["status"]
        if row["note"]:
            notes.append(f"[{len(notes) + 1}] {r.measure.title}, {area_name}: {row['note']}")
            status += f" [{len(notes)}]"
        rate = (fmt.figure(r.population_rate, f"rate_per_{r.measure.rate_base}").text
                if r.population_rate is not None else fmt.MISSING)
        _add_row(table, r.measure.title, area_name, fmt.figure(current, unit).text,
                 fmt.compared(f["baseline"].value, unit, f["baseline"].scaled_to_months).text,
                 fmt.change(current, f["baseline"].value, unit).text,
                 fmt.change(current, f["previous"].value, unit).text,
                 fmt.change(current, f["same_period_last_year"].value, unit).text, rate, status)
    wide = _wide()
    wide.print(table)
    for n in notes:
        wide.print(Text(printable(n)))


#: Columns of ``Store.loads()`` and ``Store.revisions()``, for a CSV header even when there are no rows.
LOAD_COLUMNS = ("load_id", "file_name", "kind", "dataset", "rows", "covers", "loaded_at", "sha256")
REVISION_COLUMNS = ("revised_at", "dataset", "force_id", "what", "old_load_id", "new_load_id", "old_rows",
                    "new_rows", "old_total", "new_total")


def _columns(rows: Sequence[dict[str, Any]], default: Sequence[str]) -> list[str]:
    return list(rows[0]) if rows else list(default)


@app.command()
def loads(store: StoreOpt = None,
          fmt: Annotated[Fmt, typer.Option("--format", help="table, csv or json.")] = Fmt.table) -> None:
    """Every file loaded: name, checksum, rows, when, what it covers."""
    from rich.table import Table
    from rich.text import Text

    def work() -> None:
        with _open_store(store, read_only=True) as st:
            rows = st.loads()
        if fmt is Fmt.json:
            _write_json(rows)
            return
        if fmt is Fmt.csv:
            _write_csv(rows, _columns(rows, LOAD_COLUMNS))
            return
        if not rows:
            _say(f"nothing loaded in {store or default_store_path()} yet: `scorecard ingest PATH...` loads files")
            return
        table = Table(title=Text(printable(f"Loads in {store or default_store_path()}")))
        for col in ("#", "file", "kind", "rows", "covers", "loaded at", "sha256"):
            table.add_column(col, justify="right" if col in ("#", "rows") else "left")
        for r in rows:
            _add_row(table, str(r["load_id"]), str(r["file_name"]), str(r["kind"]), f"{r['rows']:,}",
                     str(r["covers"]), str(r["loaded_at"]), str(r["sha256"])[:12])
        _wide().print(table)

    _run(work, store=store)


@app.command()
def revisions(store: StoreOpt = None,
              fmt: Annotated[Fmt, typer.Option("--format", help="table, csv or json.")] = Fmt.table) -> None:
    """Figures replaced by a newer file: what changed, from which load to which."""
    from rich.table import Table

    def work() -> None:
        with _open_store(store, read_only=True) as st:
            rows = st.revisions()
        if fmt is Fmt.json:
            _write_json(rows)
            return
        if fmt is Fmt.csv:
            _write_csv(rows, _columns(rows, REVISION_COLUMNS))
            return
        if not rows:
            _say("no revisions: nothing loaded has been replaced by a newer file")
            return
        table = Table(title="Revisions")
        for col in ("when", "dataset", "force", "what", "old load", "new load", "old total", "new total"):
            table.add_column(col)
        for r in rows:
            _add_row(table, str(r["revised_at"]), str(r["dataset"]), str(r["force_id"]), str(r["what"]),
                     str(r["old_load_id"]), str(r["new_load_id"]), str(r["old_total"]), str(r["new_total"]))
        _wide().print(table)

    _run(work, store=store)


FORCE_COLUMNS = ("force_id", "name", "ons_code", "region", "local_authorities", "csps")
SUB_AREA_COLUMNS = ("force_id", "area_type", "code", "name", "csp_code", "csp_name")


@app.command()
def areas(
    force: Annotated[str | None, typer.Option(help="A force id or name: list its local authorities and CSPs.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv or json.")] = Fmt.table,
    store: StoreOpt = None,
) -> None:
    """The forces (id, name, ONS code, region), or one force's local authorities and CSPs with their codes."""
    from rich.table import Table
    from rich.text import Text

    from scorecard.areas import forces
    from scorecard.sub_areas import sub_areas

    def work() -> None:
        if force is None:
            _list_forces(store, fmt)
            return
        force_id = _force_id(force, store, option="--force")
        with _open_store(store, read_only=True) as st:
            found = sub_areas(st.con, force_id)
        rows = [{"force_id": a.force_id, "area_type": a.area_type, "code": a.code, "name": a.name,
                 "csp_code": a.csp_code, "csp_name": a.csp_name} for a in found]
        if fmt is Fmt.json:
            _write_json(rows)
        elif fmt is Fmt.csv:
            _write_csv(rows, SUB_AREA_COLUMNS)
        elif not rows:
            _say(f"{forces()[force_id].name}: the store's lookup places no local authority in this force")
        else:
            table = Table(title=Text(printable(f"{forces()[force_id].name}: local authorities and CSPs "
                                               f"(results --area {force_id} --by local_authority | csp)")))
            for col in ("--by", "code", "name", "in CSP"):
                table.add_column(col)
            for a in found:
                _add_row(table, a.area_type, a.code, a.name, a.csp_name or "")
            _wide().print(table)

    _run(work, store=store)


def _list_forces(store: Path | None, fmt: Fmt) -> None:
    """Every force; with a store, how many local authorities and CSPs the lookup places in each."""
    from collections import Counter

    from rich.table import Table

    from scorecard.areas import forces
    from scorecard.sub_areas import sub_areas

    counts: dict[str, tuple[int, int]] | None
    try:
        with _open_store(store, read_only=True) as st:
            held = Counter((a.force_id, a.area_type) for a in sub_areas(st.con))
        counts = {f: (held[(f, "local_authority")], held[(f, "csp")]) for f in forces()}
    except StoreError as exc:
        counts = None
        _note(f"forces only: {exc}; the local authorities and CSPs are listed from a store")
    rows = [{"force_id": f.force_id, "name": f.name, "ons_code": f.ons_code or None, "region": f.region or None,
             "local_authorities": counts[f.force_id][0] if counts is not None else None,
             "csps": counts[f.force_id][1] if counts is not None else None}
            for f in forces().values()]
    if fmt is Fmt.json:
        _write_json(rows)
        return
    if fmt is Fmt.csv:
        _write_csv(rows, FORCE_COLUMNS)
        return
    table = Table(title="Forces (results --area ID; areas --force ID lists a force's local authorities and CSPs)")
    for col in ("id", "name", "ONS code", "region", *(("local authorities", "CSPs") if counts is not None else ())):
        table.add_column(col, justify="right" if col in ("local authorities", "CSPs") else "left")
    for r in rows:
        cells = [r["force_id"], r["name"], r["ons_code"] or "", r["region"] or ""]
        if counts is not None:
            cells += [str(r["local_authorities"]), str(r["csps"])]
        _add_row(table, *cells)
    _wide().print(table)


class Direction(StrEnum):
    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


@app.command()
def spc(
    file: Annotated[Path, typer.Argument(help="CSV with columns date (YYYY-MM-DD) and value.")],
    direction: Annotated[Direction, typer.Option(help="Which way is improvement.")] = Direction.increase,
    target: Annotated[float | None, typer.Option(help="Target, for the assurance icon.")] = None,
    rebase: Annotated[list[str] | None, typer.Option(help="Start a new segment at this date (repeatable).")] = None,
    fix_after: Annotated[int | None, typer.Option("--fix-after", help="Fix limits after N points.")] = None,
    screen_outliers: Annotated[bool, typer.Option("--screen-outliers/--no-screen-outliers")] = True,
    shift_length: Annotated[int, typer.Option(help="Points in a run on one side of the mean.")] = 7,
    trend_length: Annotated[int, typer.Option(help="Points in a rising or falling run.")] = 7,
    fmt: Annotated[Fmt, typer.Option("--format", help="csv or json (table prints csv).")] = Fmt.csv,
) -> None:
    """Statistical process control (Making Data Count XmR rules) on any series."""
    import csv
    import json
    from datetime import date

    from scorecard import spc as spc_mod

    def work() -> None:
        dates = []
        for d in rebase or []:
            try:
                dates.append(date.fromisoformat(d))
            except ValueError:
                raise UsageError(f"--rebase {d!r} is not a date (YYYY-MM-DD)") from None
        try:  # the options are the command line's: a bad one is a usage error naming it
            options = spc_mod.SpcOptions(
                direction=direction.value, target=target, rebase=tuple(dates),
                fix_after_n_points=fix_after, screen_outliers=screen_outliers,
                shift_length=shift_length, trend_length=trend_length)
        except ValueError as exc:
            text = str(exc)
            for field, option in (("fix_after_n_points", "--fix-after"), ("shift_length", "--shift-length"),
                                  ("trend_length", "--trend-length"), ("target", "--target")):
                text = text.replace(field, option)
            raise UsageError(text) from None
        series = spc_mod.read_series_csv(file)
        try:
            result = spc_mod.spc(series, options)
        except ValueError as exc:  # the series and the options do not fit (a rebase date it lacks)
            raise InputError(file, str(exc)) from exc
        rows = spc_mod.spc_rows(result)
        if fmt is Fmt.json:
            sys.stdout.write(json.dumps({"variation_icon": result.variation_icon,
                                         "assurance_icon": result.assurance_icon,
                                         "points": rows}, indent=2) + "\n")
            return
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["date"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    _run(work)


RENDERERS = ("html", "docx", "pdf", "json", "csv")


class DocumentKindOpt(StrEnum):
    statement = "statement"
    board_paper = "board-paper"


def _formats(fmt: str) -> list[str]:
    """``--format``'s list, every name checked."""
    formats = [f.strip().lower() for f in fmt.split(",") if f.strip()]
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise UsageError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(RENDERERS)}")
    return formats


def _pdf_printer(formats: list[str], *, documents: int) -> "contextlib.AbstractContextManager[PdfPrinter | None]":
    """The PDF printer (``render.printer.printer_for``), started as the command's first step: forked
    before the publishing code is imported (0.3 s) and the figures are queried, it has WeasyPrint
    loaded by the time the page is ready (docs/benchmarks.md, "Publishing")."""
    from scorecard.render.printer import printer_for

    return printer_for(formats, documents=documents)


@app.command()
def report(
    area: Annotated[str, typer.Option(help="Force id or name, or 'all' for every force (one folder each, "
                                           "and an index page).")],
    period: Annotated[str, typer.Option(help="What the document is published for: '2024-25 Q1' (the '2024-25 Q1 "
                                             "update', figures for the twelve months to June 2024) or 'YE Mar "
                                             "2025'.")],
    fmt: Annotated[str, typer.Option("--format", help="Comma-separated list.")] = ",".join(RENDERERS),
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out/report"),
    config: Annotated[Path | None, typer.Option(help="Document configuration YAML (docs/report.md).")] = None,
    commentary: Annotated[Path | None, typer.Option(help="Folder of commentary Markdown files.")] = None,
    document: Annotated[DocumentKindOpt | None, typer.Option(
        help="statement (the statutory statement) or board-paper; default: the configuration's.")] = None,
    store: StoreOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """The statutory statement or the board paper with its KPI scorecard, in every format, from one model."""
    from collections import Counter

    from scorecard.areas import territorial_forces

    def work() -> None:
        formats = _formats(fmt)
        everyone = area.strip().lower() == "all"
        force_ids = [f.force_id for f in territorial_forces()] if everyone else [_force_id(area, store,
                                                                                           option="--area")]
        parse_period(period)  # a usage error before any file is read
        with _pdf_printer(formats, documents=len(force_ids)) as printer:
            from scorecard.documents.config import DocumentConfig, ReportKind
            from scorecard.publish import publish

            cat = load_catalogue(catalogue)
            kind: ReportKind | None = None
            if document is not None:
                kind = "board_paper" if document is DocumentKindOpt.board_paper else "statement"
            settings = DocumentConfig.load(config, catalogue=cat, commentary_dir=commentary, document=kind)
            with _open_store(store, read_only=True) as st:
                published = publish(st, cat, force_ids, period, settings, formats, out_dir, index=everyone,
                                    printer=printer)
        for p in published:
            for path in p.paths:
                _say(str(path))
        drafts = [p.document for p in published if not p.document.approved]
        if everyone:
            _say(str(out_dir / "index.html"))
            for text, count in Counter(d.status_text for d in drafts).items():
                _note(f"{count} of {len(published)} documents: {text}")
        for d in drafts if not everyone else []:
            _note(f"{d.area_name}: {d.status_text}")

    _run(work, store=store)


@app.command("annual-report")
def annual_report(
    area: Annotated[str, typer.Option(help="Force id or name.")],
    year: Annotated[str, typer.Option(help="The financial year the report covers, e.g. '2023-24'.")],
    config: Annotated[Path, typer.Option(help="Annual report configuration YAML (docs/annual-report.md).")],
    fmt: Annotated[str, typer.Option("--format", help="Comma-separated list.")] = ",".join(RENDERERS),
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out/annual-report"),
    store: StoreOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """The PCC's annual report: the office's chapters with tables computed from data (the precept
    by council tax band from Band D, PEEL grades), in every format, from the same document model."""
    from scorecard.periods import FinancialYear

    def work() -> None:
        formats = _formats(fmt)
        force_id = _force_id(area, store, option="--area", one_force=True)
        fy = parse_period(year)
        if not isinstance(fy, FinancialYear):
            raise UsageError(f"--year {year!r} is not a financial year: give one such as '2023-24'")
        with _pdf_printer(formats, documents=1) as printer:
            from scorecard.publish_annual import publish_annual_report

            cat = load_catalogue(catalogue)
            with contextlib.suppress(StoreError):  # a report of configured tables alone needs no store
                cat = _with_held_series(cat, store)  # the series the store holds can be quoted too
            published = publish_annual_report(config, force_id, fy, cat,
                                              lambda: _open_store(store, read_only=True), formats, out_dir,
                                              printer=printer)
        for path in published.paths:
            _say(str(path))
        if not published.document.approved:
            _note(f"{published.document.area_name}: {published.document.status_text}")

    _run(work, store=store)


@app.command()
def verify(
    report_json: Annotated[Path, typer.Argument(help="report.json written by `scorecard report`.")],
    store: StoreOpt = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Build a published document again from the store: list every figure, sentence, table cell, chart
    limit and commentary number that now differs."""
    from scorecard.verify import annual_report_needs_store, read_published, verify_annual_report
    from scorecard.verify import verify as verify_report

    def work() -> None:
        published, data = read_published(report_json)
        annual = published.kind == "annual_report"
        if annual:  # its tables come from its configuration (and, for a figures table, the store)
            cat = load_catalogue(catalogue)
            if annual_report_needs_store(data):
                cat = _with_held_series(cat, store)  # no store: says so (exit 4)
            diffs = verify_annual_report(report_json, cat, lambda: _open_store(store, read_only=True))
        else:
            cat = load_catalogue(catalogue)
            with _open_store(store, read_only=True) as st:
                diffs = verify_report(report_json, st, cat)
        against = "its configuration and the store" if annual else "the store"
        if not diffs:
            _say(f"{report_json}: every figure agrees with {against}")
            return
        _say(f"{report_json}: {len(diffs)} published figure(s) and text(s) differ from {against} now:")
        for d in diffs:
            _say(f"  {d}")
        raise typer.Exit(EXIT_DIFFERENCES)

    _run(work, store=store)


@app.command()
def check(
    documents: Annotated[list[Path] | None, typer.Argument(
        help="Documents to check claim by claim against themselves (text or Markdown).")] = None,
    area: Annotated[str | None, typer.Option(help="Force id or name (checking commentary files).")] = None,
    period: Annotated[str | None, typer.Option(help="What the document is published for, as for `report`.")] = None,
    commentary: Annotated[Path | None, typer.Option(help="Folder of commentary Markdown files.")] = None,
    config: Annotated[Path | None, typer.Option(help="Document configuration YAML, as for `report`.")] = None,
    fmt_: Annotated[str, typer.Option("--format", help="table, json or html (documents).")] = "table",
    store: StoreOpt = None,
    catalogue: CatalogueOpt = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Check documents against themselves only.")] = False,
    tolerance: Annotated[str, typer.Option(
        help="How far a count may differ from the store's and still be a revision: 'PCT%' of the store's value "
             "or an absolute number of units, e.g. '1%,1' (both: within either).")] = "1%,1",
    tolerance_points: Annotated[float, typer.Option(
        help="How far a percentage or a change may differ from the store's, in percentage points.")] = 1.0,
) -> None:
    """Check the numbers of any document claim by claim (`check FILE...`), or flag commentary that
    quotes numbers matching no figure the document shows (`check --area --period --commentary`)."""
    from scorecard.documents import commentary as cm
    from scorecard.documents.config import DocumentConfig
    from scorecard.publish import gather

    if documents:
        _run(lambda: _check_documents(documents, fmt_, store, catalogue,
                                      _tolerance(tolerance, tolerance_points), use_store=not no_store), store=store)
        return
    if area is None or period is None or commentary is None:
        _run(lambda: _usage("give documents to check (`scorecard check FILE...`), or --area, --period and "
                            "--commentary to check commentary files"))
        return

    def work() -> None:
        assert area is not None and period is not None and commentary is not None
        fid = _force_id(area, store, option="--area")
        parse_period(period)
        cat = load_catalogue(catalogue)
        settings = DocumentConfig.load(config, catalogue=cat, commentary_dir=commentary)
        with _open_store(store, read_only=True) as st:
            sp, figures = gather(st, cat, [fid], period, settings)
        files, problems = cm.check_all(commentary, fid, sp, cat, figures[fid])
        if not files:
            _say(f"no commentary for {fid} and {sp.label} in {commentary}: nothing to check")
            return
        if not problems:
            _say(f"commentary agrees with the data ({len(files)} file{'s' if len(files) != 1 else ''})")
            return
        for pmsg in problems:
            _say(pmsg)
        raise typer.Exit(EXIT_DIFFERENCES)

    _run(work, store=store)


@catalogue_app.command("check")
def catalogue_check(catalogue: CatalogueOpt = None) -> None:
    """Validate the catalogue against its schema."""
    cat = _run(lambda: load_catalogue(catalogue))
    name = catalogue or "the built-in catalogue"
    _say(f"{name}: catalogue {cat.version}, {len(cat.measures)} measures in {len(cat.priorities)} priorities, valid")


#: The columns ``catalogue list`` shows as a table; CSV and JSON give every field of the Measure model.
CATALOGUE_TABLE = ("id", "title", "priority", "role", "dataset", "unit", "direction")


@catalogue_app.command("list")
def catalogue_list(
    catalogue: CatalogueOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv or json (csv and json: every field).")] = Fmt.table,
    held: Annotated[bool, typer.Option("--held/--curated", help="Also list every series the store holds "
                                                                "(ons.<series>, local.<series>).")] = False,
    store: StoreOpt = None,
) -> None:
    """List every measure with its id, title, priority, role, dataset, unit and direction."""
    import json

    from rich.table import Table
    from rich.text import Text

    from scorecard.catalogue.schema import Measure

    def work() -> None:
        cat = load_catalogue(catalogue)
        if held:
            cat = _with_held_series(cat, store)
        rows = [m.model_dump(mode="json") for m in cat.measures]
        fields = list(Measure.model_fields)
        if fmt is Fmt.json:
            _write_json(rows)
            return
        if fmt is Fmt.csv:
            # Lists and mappings (filter, target, caveats) as JSON in their cell.
            _write_csv(({k: v if v is None or isinstance(v, str | int | float) else json.dumps(v)
                         for k, v in row.items()} for row in rows), fields)
            return
        table = Table(title=Text(printable(f"Measure catalogue {cat.version} (baseline {cat.baseline})")))
        shown = [c for c in CATALOGUE_TABLE if c in fields]
        for col in shown:
            table.add_column(col, no_wrap=col == "id")
        for row in rows:
            _add_row(table, *(row[c] for c in shown))
        _wide().print(table)

    _run(work, store=store)


@catalogue_app.command("schema")
def catalogue_schema() -> None:
    """Print the catalogue's JSON Schema."""
    import json

    from scorecard.catalogue.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


if __name__ == "__main__":  # pragma: no cover
    app()


# --------------------------------------------------------------------------- the web application

web_app = typer.Typer(help="The workbench and public site: its users and database.", no_args_is_help=True)
app.add_typer(web_app, name="web")
HomeOpt = Annotated[Path, typer.Option("--home", envvar="SCORECARD_WEB_HOME",
                                       help="The site's folder: its SQLite database and published versions.")]
DatabaseOpt = Annotated[str | None, typer.Option("--database", envvar="SCORECARD_DATABASE_URL",
                                                 help="sqlite:///path (default: HOME/web.sqlite3) or "
                                                      "postgresql://user:password@host:port/name.")]
DEMO_STORE = Path("out") / "demo.duckdb"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    store: Annotated[Path, typer.Option("--store", envvar="SCORECARD_STORE",
                                        help="DuckDB store the figures come from (default: the demo's, "
                                             "loaded from the bundled data when it is not there).")] = DEMO_STORE,
    home: HomeOpt = Path("out") / "web",
    database: DatabaseOpt = None,
    threads: Annotated[int, typer.Option(help="Requests served at once.")] = 8,
) -> None:
    """Start the workbench and public site (http://HOST:PORT/) on the store's figures."""

    def work() -> None:
        from scorecard.web import setup

        if not store.exists():
            _note(f"{store} does not exist: loading the bundled demo data into it")
            with _open_store(store) as st:
                for summary in setup.load_demo_data(st):
                    _print_summary(summary)
        setup.configure(home.resolve(), store.resolve(), database)
        setup.migrate()
        for made in setup.ensure_drafts():
            _note(f"draft: {made}")
        import waitress

        from scorecard.web.wsgi import application

        _say(f"serving http://{host}:{port}/ (figures from {store}; the site's data in {home}). "
             "Make users with `scorecard web demo-users` or `scorecard web adduser`.")
        waitress.serve(application, host=host, port=port, threads=threads, ident="scorecard")

    _run(work)


@web_app.command("adduser")
def web_adduser(
    username: Annotated[str, typer.Argument(help="The user's sign-in name.")],
    role: Annotated[list[str] | None, typer.Option(
        "--role", help="FORCE:ROLE, e.g. west-midlands:analyst or west-midlands:approver (repeatable).")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="An administrator: reads the audit log.")] = False,
    home: HomeOpt = Path("out") / "web",
    database: DatabaseOpt = None,
) -> None:
    """Make a user (or reset one's password) with roles; the password is generated and printed once."""

    def work() -> None:
        from scorecard.web import setup

        pairs = []
        for given in role or []:
            force_name, _, kind = given.partition(":")
            if kind not in ("analyst", "approver"):
                raise UsageError(f"--role {given!r}: give FORCE:analyst or FORCE:approver")
            pairs.append((_force_id(force_name, None, option="--role", one_force=True), kind))
        setup.configure(home.resolve(), None, database)
        setup.migrate()
        _say(f"{username}: {setup.add_user(username, roles=pairs, admin=admin)}")

    _run(work)


@web_app.command("demo-users")
def web_demo_users(home: HomeOpt = Path("out") / "web", database: DatabaseOpt = None) -> None:
    """The demo's users (an analyst and an approver for West Midlands and West Mercia, and an
    administrator), each with a new generated password, printed once."""

    def work() -> None:
        from scorecard.web import setup

        setup.configure(home.resolve(), None, database)
        setup.migrate()
        for username, roles in setup.DEMO_USERS.items():
            _say(f"{username}: {setup.add_user(username, roles=roles)}")
        _say(f"admin: {setup.add_user('admin', admin=True)}")

    _run(work)


site_app = typer.Typer(help="The public pages as a static site.", no_args_is_help=True)
app.add_typer(site_app, name="site")


def _usage(message: str) -> None:
    raise UsageError(message)


def _tolerance(text: str, points: float) -> Any:
    """``--tolerance '1%,1'`` and ``--tolerance-points`` as a ``claims.Tolerance``."""
    from decimal import Decimal, InvalidOperation

    from scorecard.claims import Tolerance

    relative, absolute = Decimal(0), Decimal(0)
    try:
        for part in (p.strip() for p in text.split(",") if p.strip()):
            if part.endswith("%"):
                relative = Decimal(part[:-1])
            else:
                absolute = Decimal(part)
        pts = Decimal(repr(points))
    except InvalidOperation:
        raise UsageError(f"--tolerance {text!r}: give a percentage and/or a number of units, such as '1%,1'") \
            from None
    if relative < 0 or absolute < 0 or pts < 0 or not (relative.is_finite() and absolute.is_finite()
                                                       and pts.is_finite()):
        raise UsageError("tolerances are zero or more")
    return Tolerance(relative, absolute, pts)


def _check_documents(paths: list[Path], fmt: str, store: Path | None, catalogue: Path | None,
                     tolerance: Any, *, use_store: bool) -> None:
    """Every claim of each document with its verdict; the problems first; exit 1 if any.

    Figures are checked against the store when there is one (``--store``, ``SCORECARD_STORE``
    or the default); with ``--no-store``, or no store at all, against the document only, and the
    output says so."""
    import json
    from contextlib import ExitStack

    from scorecard.claims.check import Against, check_file
    from scorecard.claims.report import render_terminal, report_json
    from scorecard.claims.store_figures import StoreFigures

    if fmt not in ("table", "json", "html"):
        raise UsageError(f"--format {fmt!r}: give table, json or html")
    for p in paths:
        if not p.is_file():
            raise UsageError(f"{p}: no such document")
    with ExitStack() as stack:
        against = None
        path = store if store is not None else default_store_path()
        if use_store and Path(path).is_file():
            st = stack.enter_context(_open_store(path, read_only=True))
            cat = load_catalogue(catalogue)
            against = Against(StoreFigures(st, cat), cat, tolerance)
        elif use_store and store is not None:
            raise UsageError(f"--store {store}: no store there; load one with `scorecard ingest`, or give --no-store")
        checked = [check_file(p, against) for p in paths]
    store_note = (f"Figures checked against the store {printable(Path(path))}; {tolerance.describe()}."
                  if against is not None else
                  "Not checked against any store (--no-store, or none loaded): only against the documents themselves.")
    bad = sum(c.problem for d in checked for c in d.claims)
    if fmt == "html":
        from scorecard.render.claims_html import render_claims

        print(render_claims(checked, store_note))
    elif fmt == "json":
        print(json.dumps(report_json(checked, store_note), indent=2))
    else:
        for line in render_terminal(checked, store_note):
            _say(line)
    if bad:
        raise typer.Exit(EXIT_DIFFERENCES)


@site_app.command("build")
def site_build(
    out_dir: Annotated[Path, typer.Argument(help="The folder to write (emptied first).")],
    store: Annotated[Path, typer.Option("--store", envvar="SCORECARD_STORE",
                                        help="DuckDB store the figures come from.")] = DEMO_STORE,
    home: HomeOpt = Path("out") / "web",
    database: DatabaseOpt = None,
) -> None:
    """Write the public pages (forces, measures, every published version and its files) as a static
    site with relative links, to upload to a PCC's own website or open from the disk."""

    def work() -> None:
        from scorecard.web import setup

        if not store.exists():
            raise UsageError(f"no store at {store}: run ./scripts/demo, or give --store")
        setup.configure(home.resolve(), store.resolve(), database)
        setup.migrate()
        from scorecard.web.static_site import build

        n = build(out_dir)
        _say(f"{out_dir}: {n:,} files; open {out_dir / 'index.html'}")

    _run(work)
