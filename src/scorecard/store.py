"""The validated store: one DuckDB file, its schema, provenance and revisions.

Every load runs in a single transaction: either the whole file is stored, with a row in
``loads`` saying where it came from, or nothing is.  DuckDB's write-ahead log makes that
hold even when the process is killed mid-load.  A later file covering the same
force-period (or force-month) replaces the earlier rows in the same transaction, and
the replacement is written to ``revisions`` so a published figure can be traced to the
data that has since changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scorecard.errors import StoreError, printable

if TYPE_CHECKING:  # imported when a store is opened: `scorecard --help` does not load DuckDB (50 ms)
    import duckdb

SCHEMA_VERSION = 2  # 2: crime IDs held as 32-byte hashes (crime_hash, crime_id_text)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE SEQUENCE IF NOT EXISTS load_ids START 1;
CREATE TABLE IF NOT EXISTS loads (
    load_id      BIGINT PRIMARY KEY,
    path         VARCHAR NOT NULL,   -- as given on the command line
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    bytes        BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,   -- detected file type
    dataset      VARCHAR NOT NULL,
    rows         BIGINT NOT NULL,
    covers       VARCHAR NOT NULL,   -- what the file covers, for people
    first_month  DATE,
    last_month   DATE,
    loaded_at    TIMESTAMP NOT NULL,
    warnings     VARCHAR[]
);

-- Members of an archive (or the file itself): the unit a revision replaces.
CREATE TABLE IF NOT EXISTS load_members (
    load_id      BIGINT NOT NULL,
    member       VARCHAR NOT NULL,
    crc32        VARCHAR,
    kind         VARCHAR NOT NULL,
    force_id     VARCHAR,
    month        DATE,
    rows         BIGINT NOT NULL,
    superseded_by BIGINT            -- load that replaced this member, if any
);

CREATE TABLE IF NOT EXISTS revisions (
    revised_at   TIMESTAMP NOT NULL,
    dataset      VARCHAR NOT NULL,
    force_id     VARCHAR NOT NULL,
    what         VARCHAR NOT NULL,   -- e.g. "2018-10 street" or "2018-19 Q2"
    old_load_id  BIGINT NOT NULL,
    new_load_id  BIGINT NOT NULL,
    old_rows     BIGINT NOT NULL,
    new_rows     BIGINT NOT NULL,
    old_total    DOUBLE,
    new_total    DOUBLE
);

CREATE TABLE IF NOT EXISTS observations (
    load_id BIGINT NOT NULL,
    dataset VARCHAR NOT NULL, force_id VARCHAR NOT NULL,
    area_type VARCHAR NOT NULL, area_code VARCHAR NOT NULL, area_name VARCHAR NOT NULL,
    series VARCHAR NOT NULL, series_label VARCHAR NOT NULL,
    series_group VARCHAR, series_subgroup VARCHAR,
    first_month DATE NOT NULL, last_month DATE NOT NULL,
    unit VARCHAR NOT NULL, value DOUBLE, numerator DOUBLE, denominator DOUBLE,
    source_line BIGINT, source_sheet VARCHAR
);

CREATE TABLE IF NOT EXISTS police_uk_street (
    load_id BIGINT NOT NULL,
    force_id VARCHAR NOT NULL,       -- from the file name: the force that published it
    month DATE NOT NULL,
    -- "Crime ID" is 64 hex digits: held as its 32 bytes, with nothing for DuckDB to compress
    -- (its FSST costs a fifth of the load's CPU for the same size).  An ID that is not lower-
    -- case hex is kept as written in crime_id_text; police_uk_street_rows gives crime_id back.
    crime_hash BLOB USING COMPRESSION uncompressed,
    crime_id_text VARCHAR,
    falls_within VARCHAR,
    longitude DOUBLE, latitude DOUBLE,
    location VARCHAR,
    lsoa_code VARCHAR, lsoa_name VARCHAR,
    crime_type VARCHAR NOT NULL,
    last_outcome_category VARCHAR,
    context VARCHAR
);

CREATE TABLE IF NOT EXISTS police_uk_outcomes (
    load_id BIGINT NOT NULL,
    force_id VARCHAR NOT NULL,
    month DATE NOT NULL,
    crime_hash BLOB USING COMPRESSION uncompressed, crime_id_text VARCHAR,  -- as in police_uk_street
    falls_within VARCHAR,
    longitude DOUBLE, latitude DOUBLE,
    location VARCHAR,
    lsoa_code VARCHAR, lsoa_name VARCHAR,
    outcome_type VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS police_uk_stop_search (
    load_id BIGINT NOT NULL,
    force_id VARCHAR NOT NULL,
    month DATE NOT NULL,
    type VARCHAR, occurred_at TIMESTAMPTZ,
    part_of_policing_operation VARCHAR, policing_operation VARCHAR,
    latitude DOUBLE, longitude DOUBLE,
    gender VARCHAR, age_range VARCHAR,
    self_defined_ethnicity VARCHAR, officer_defined_ethnicity VARCHAR,
    legislation VARCHAR, object_of_search VARCHAR, outcome VARCHAR,
    outcome_linked_to_object VARCHAR, removal_of_more_than_outer_clothing VARCHAR
);

-- The rows above counted by what street-level measures ask of them (street_counts.py),
-- kept by the load in the transaction that changes the rows: results read these, not the rows.
CREATE TABLE IF NOT EXISTS police_uk_street_counts (
    load_id BIGINT NOT NULL, force_id VARCHAR NOT NULL, month DATE NOT NULL,
    lad_code VARCHAR, lad_name VARCHAR, csp_code VARCHAR, csp_name VARCHAR,
    crime_type VARCHAR, last_outcome_category VARCHAR, n BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS police_uk_outcomes_counts (
    load_id BIGINT NOT NULL, force_id VARCHAR NOT NULL, month DATE NOT NULL,
    lad_code VARCHAR, lad_name VARCHAR, csp_code VARCHAR, csp_name VARCHAR,
    outcome_type VARCHAR, n BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS police_uk_stop_search_counts (
    load_id BIGINT NOT NULL, force_id VARCHAR NOT NULL, month DATE NOT NULL,
    type VARCHAR, object_of_search VARCHAR, outcome VARCHAR, legislation VARCHAR, gender VARCHAR,
    age_range VARCHAR, self_defined_ethnicity VARCHAR, officer_defined_ethnicity VARCHAR, n BIGINT NOT NULL
);

-- LSOA (2001/2011/2021 codes) -> local authority -> community safety partnership -> force.
CREATE TABLE IF NOT EXISTS lsoa_lookup (
    lsoa_code VARCHAR PRIMARY KEY,
    lad_code VARCHAR, lad_name VARCHAR,
    csp_code VARCHAR, csp_name VARCHAR,
    force_id VARCHAR
);

-- Tables the PCC's office or partners supply (scorecard.sources.office_tables), one row each:
-- the checked table and its findings as JSON, replaced by a later load of the same id and year.
CREATE TABLE IF NOT EXISTS office_tables (
    load_id BIGINT NOT NULL,
    force_id VARCHAR NOT NULL, year VARCHAR NOT NULL, table_id VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL, sheet VARCHAR,
    body VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS population (
    area_type VARCHAR NOT NULL, area_code VARCHAR NOT NULL, force_id VARCHAR,
    year INTEGER NOT NULL, population DOUBLE NOT NULL, source VARCHAR NOT NULL
);
"""


#: Read the data.police.uk rows through these to see each crime ID as published.
VIEWS = """
CREATE VIEW IF NOT EXISTS police_uk_street_rows AS
SELECT load_id, force_id, month, coalesce(crime_id_text, lower(hex(crime_hash))) AS crime_id, falls_within,
       longitude, latitude, location, lsoa_code, lsoa_name, crime_type, last_outcome_category, context
FROM police_uk_street;
CREATE VIEW IF NOT EXISTS police_uk_outcomes_rows AS
SELECT load_id, force_id, month, coalesce(crime_id_text, lower(hex(crime_hash))) AS crime_id, falls_within,
       longitude, latitude, location, lsoa_code, lsoa_name, outcome_type
FROM police_uk_outcomes;
"""


def crime_hash_sql(crime_id: str) -> str:
    """SQL for ``crime_hash``: the ID's bytes when it is hex (NULL when it is not)."""
    return f"try(unhex({crime_id}))"


def crime_id_text_sql(crime_id: str) -> str:
    """SQL for ``crime_id_text``: the ID as written when its bytes would not give it back
    (not hex, an odd number of digits, which unhex pads, or capitals), else NULL; so every
    ID is kept exactly."""
    return (f"CASE WHEN try(unhex({crime_id})) IS NULL OR strlen({crime_id}) % 2 = 1 "
            f"OR {crime_id} <> lower({crime_id}) THEN {crime_id} END")


_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple[Any, ...] | None:
    """First row of a query, fully consuming the result.

    DuckDB 2.0 keeps a half-read result open on the connection and refuses the next
    statement, so ``fetchone()`` is never used on the shared connection.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _first_line(exc: BaseException) -> str:
    return printable(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def default_store_path() -> Path:
    """``--store`` wins, then ``SCORECARD_STORE``, then the user's data directory."""
    env = os.environ.get("SCORECARD_STORE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("policing-scorecard")) / "scorecard.duckdb"


@dataclass
class Store:
    """An open store. Use ``Store.open(path)``; close it (or use ``with``) when done."""

    path: Path
    con: duckdb.DuckDBPyConnection

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False) -> Store:
        """Open (or, for writing, create) the store at ``path``.

        Every way this can fail — no store yet, a folder in the way, a file that is not a
        DuckDB database or is truncated, a store locked by another process, one written by
        a newer version, a folder that cannot be entered — is a ``StoreError`` naming the
        path; nothing is created or changed when it fails.
        """
        import duckdb

        p = Path(path) if path is not None else default_store_path()
        shown = printable(p)
        try:
            exists = p.exists()
            if exists and not p.is_file():
                raise StoreError(f"store {shown} is not a file (a folder or device is in the way)")
            if read_only and not exists:
                raise StoreError(f"no store at {shown}: run `scorecard ingest` first (or pass --store)")
            if not exists:
                p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot use {shown} as the store: {exc.strerror or exc}") from None
        try:
            con = duckdb.connect(str(p), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {shown}: {_first_line(exc)}") from None
        try:
            con.execute("SET enable_progress_bar = false")
            store = cls(p, con)
            if read_only:
                store._check_schema()
            else:
                store._migrate()
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"store {shown} cannot be read (damaged, or not a scorecard store?): "
                             f"{_first_line(exc)}") from None
        except StoreError:
            con.close()
            raise
        return store

    def _check_schema(self) -> None:
        """A read-only store must be one of ours, from this version or an older one."""
        names = {r[0] for r in self.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        if "meta" not in names or "loads" not in names:
            raise StoreError(f"{printable(self.path)} is a DuckDB file but not a scorecard store "
                             "(no meta or loads table)")
        row = fetch_one(self.con, "SELECT value FROM meta WHERE key = 'schema_version'")
        if row is None or not str(row[0]).isdigit():
            raise StoreError(f"{printable(self.path)} has no schema version: not a scorecard store")
        if int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"store {printable(self.path)} was written by a newer version (schema {row[0]})")

    def _migrate(self) -> None:
        self.con.execute("BEGIN")
        try:
            names = {r[0] for r in self.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
            if names and "meta" not in names:
                raise StoreError(f"{printable(self.path)} is a DuckDB file but not a scorecard store "
                                 f"(it holds {', '.join(sorted(names)[:5])}); give another --store")
            self.con.execute(SCHEMA)
            row = fetch_one(self.con, "SELECT value FROM meta WHERE key = 'schema_version'")
            if row is None:
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            elif not str(row[0]).isdigit() or int(row[0]) > SCHEMA_VERSION:
                raise StoreError(f"store {printable(self.path)} was written by a newer version "
                                 f"(schema {printable(row[0])})")
            elif int(row[0]) < 2:
                self._hash_crime_ids()
            self.con.execute(VIEWS)
            self._load_reference_data()
            self._count_rows_once()
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _hash_crime_ids(self) -> None:
        """Schema 1 held crime IDs as text; each table is rebuilt with them as hashes (its rows
        otherwise as they were), so that fresh and upgraded stores have one column order."""
        for table in ("police_uk_street", "police_uk_outcomes"):
            columns = [r[0] for r in self.con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]).fetchall()]
            self.con.execute(f"ALTER TABLE {table} RENAME TO {table}_schema1")
            self.con.execute(SCHEMA)  # creates the table again, in this version's layout
            rest = ", ".join(c for c in columns if c not in ("load_id", "force_id", "month", "crime_id"))
            self.con.execute(
                f"""INSERT INTO {table} SELECT load_id, force_id, month, {crime_hash_sql('crime_id')},
                           {crime_id_text_sql('crime_id')}, {rest} FROM {table}_schema1""")
            self.con.execute(f"DROP TABLE {table}_schema1")
        self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])

    def _count_rows_once(self) -> None:
        """A store written before the load kept counts of its data.police.uk rows gets them now."""
        if fetch_one(self.con, "SELECT 1 FROM meta WHERE key = 'police_uk_counts'") is not None:
            return
        from scorecard.street_counts import rebuild

        rebuild(self)
        self.con.execute("INSERT INTO meta VALUES ('police_uk_counts', '1')")

    @property
    def counts_kept(self) -> bool:
        """Whether the store keeps counts of its data.police.uk rows (every store opened for
        writing by this version does; an older one opened read-only may not)."""
        return fetch_one(self.con, "SELECT 1 FROM meta WHERE key = 'police_uk_counts'") is not None

    def _load_reference_data(self) -> None:
        """Bundled lookups (LSOA -> authority -> CSP -> force, populations), loaded once."""
        row = fetch_one(self.con, "SELECT count(*) FROM lsoa_lookup")
        if row and row[0]:
            return
        base = resources.files("scorecard").joinpath("data/lookups")
        with resources.as_file(base.joinpath("lsoa.csv.gz")) as lsoa, \
                resources.as_file(base.joinpath("population.csv")) as pop:
            self.con.execute(
                "INSERT INTO lsoa_lookup SELECT * FROM read_csv(?, header = true, all_varchar = true)",
                [str(lsoa)])
            self.con.execute(
                """INSERT INTO population SELECT 'force', force_id, force_id, year, population, source
                   FROM read_csv(?, header = true, columns = {'force_id': 'VARCHAR', 'year': 'INTEGER',
                                 'population': 'DOUBLE', 'source': 'VARCHAR'})""", [str(pop)])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: on any exception the store is exactly as it was."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    @contextmanager
    def loading(self, *, memory_limit: str, track_progress: bool = False) -> Iterator[None]:
        """Settings for a bulk load, put back afterwards: DuckDB's memory limit (e.g. "512MB"),
        and progress tracking for ``query_progress`` (never printed).  Enter and leave it
        outside any transaction: DuckDB refuses settings in a transaction that has failed."""
        if not _MEMORY_SIZE.fullmatch(memory_limit.strip()):
            raise StoreError(f"memory limit {memory_limit!r} is not a size such as 512MB or 2GiB")
        self.con.execute(f"SET memory_limit = '{memory_limit.strip()}'")
        if track_progress:
            self.con.execute("SET enable_progress_bar_print = false")
            self.con.execute("SET enable_progress_bar = true")
        try:
            yield
        finally:
            self.con.execute("RESET memory_limit")
            self.con.execute("SET enable_progress_bar = false")

    def next_load_id(self) -> int:
        row = fetch_one(self.con, "SELECT nextval('load_ids')")
        assert row is not None
        return int(row[0])

    def find_load_by_checksum(self, sha256: str) -> int | None:
        row = fetch_one(self.con, "SELECT load_id FROM loads WHERE sha256 = ? ORDER BY load_id DESC LIMIT 1",
                        [sha256])
        return int(row[0]) if row else None

    def record_load(
        self,
        *,
        load_id: int,
        path: str,
        sha256: str,
        size: int,
        kind: str,
        dataset: str,
        rows: int,
        covers: str,
        first_month: object,
        last_month: object,
        warnings: list[str],
    ) -> None:
        self.con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, path, Path(path).name, sha256, size, kind, dataset, rows, covers,
             first_month, last_month, datetime.now().replace(microsecond=0), warnings],
        )

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """Every table's row count and an order-independent hash of all its rows.

        For checking that a refused load left the store exactly as it was: any row added,
        removed or changed in any table (figures, provenance, revisions, lookups) changes it.
        """
        con = self.con
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1").fetchall()]
        out: dict[str, tuple[int, int]] = {}
        for t in tables:
            sql = f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{t}" t'
            count, digest = con.execute(sql).fetchall()[0]
            out[t] = (int(count), int(digest))
        return out

    def series_held(self) -> list[tuple[str, str, str, str]]:
        """(dataset, series, label, unit) of every aggregate series held, for measures nobody curated."""
        rows = self.con.execute(
            """SELECT dataset, series, any_value(series_label), any_value(unit) FROM observations
               GROUP BY dataset, series ORDER BY dataset, series""").fetchall()
        return [(str(d), str(s), str(label), str(unit)) for d, s, label, unit in rows]

    def loads(self) -> list[dict[str, object]]:
        cur = self.con.execute(
            "SELECT load_id, file_name, kind, dataset, rows, covers, loaded_at, sha256 FROM loads ORDER BY load_id"
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def office_tables(self, force_id: str, year: str) -> list[str]:
        """The JSON bodies of the office tables held for a force and financial year, by id (none
        from a store written before office tables were kept)."""
        if fetch_one(self.con, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'office_tables'") is None:
            return []
        rows = self.con.execute("SELECT body FROM office_tables WHERE force_id = ? AND year = ? ORDER BY table_id",
                                [force_id, year]).fetchall()
        return [str(r[0]) for r in rows]

    def revisions(self) -> list[dict[str, object]]:
        cur = self.con.execute("SELECT * FROM revisions ORDER BY revised_at, force_id, what")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
