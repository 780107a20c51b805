"""The store as the site reads it: a copy of the last committed load, so loading never stops it.

DuckDB lets one process write a store file at a time, and nobody else open it meanwhile: a
`scorecard ingest` into the store the site served from would make every page that needs a
figure fail until it finished.  So the site reads a *snapshot*, a copy of the store taken when
nobody is writing it.  Each request asks for the current snapshot.  When the store file has
changed since the snapshot was taken and can be opened (the load has committed and let go of
it), a new copy is taken and readers switch to it; until then, and whenever a writer holds the
store, they keep the figures of the last committed load.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from scorecard.errors import StoreError
from scorecard.store import Store


@dataclass(frozen=True)
class Snapshot:
    path: Path
    source_mtime: int


_lock = threading.Lock()
_current: dict[str, Snapshot] = {}


def current() -> Path:
    """The snapshot to read now (taking a new one when the store has changed and is free)."""
    source = Path(settings.STORE)
    key = str(source)
    try:
        mtime = source.stat().st_mtime_ns
    except FileNotFoundError:
        return source  # nothing to copy: opening it says what is wrong
    held = _current.get(key)
    if held is not None and held.source_mtime == mtime and held.path.exists():
        return held.path
    with _lock:
        held = _current.get(key)
        if held is not None and held.source_mtime == mtime and held.path.exists():
            return held.path
        fresh = _take(source, mtime)
        if fresh is None:  # a load is writing the store: keep reading the last committed one
            return held.path if held is not None else source
        _current[key] = fresh
        if held is not None and held.path != fresh.path:
            held.path.unlink(missing_ok=True)  # open handles keep reading it until they close
        return fresh.path


def _take(source: Path, mtime: int) -> Snapshot | None:
    folder = Path(settings.HOME) / "snapshots"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"store-{mtime}.duckdb"
    try:
        with Store.open(source, read_only=True):  # refused while a writer holds the file
            partial = target.with_suffix(".partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
    except StoreError:
        return None
    if source.stat().st_mtime_ns != mtime:  # written while copied: try again next time
        target.unlink(missing_ok=True)
        return None
    return Snapshot(target, mtime)
