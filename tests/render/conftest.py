"""The demo documents the layout tests render, built as `scorecard report` builds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from scorecard.catalogue.schema import Catalogue
from scorecard.documents.config import DocumentConfig
from scorecard.documents.model import Document, Status
from scorecard.publish import build, gather
from scorecard.store import Store

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "demo" / "config"
FIXED_TIME = "2026-01-05T09:30:00"

DemoDocument = Callable[[Path, Catalogue, tuple[str, str, str], Status | None], Document]


def _demo_document(store_path: Path, catalogue: Catalogue, which: tuple[str, str, str],
                   status: Status | None = None) -> Document:
    """A document from a demo configuration, ``which`` = (force, period, configuration file),
    with the store's load times, the build time and the software version fixed so that it is
    the same on every run."""
    force_id, period, config_file = which
    config = DocumentConfig.load(DEMO_CONFIG / config_file, catalogue=catalogue)
    if status is not None:
        config = replace(config, status=status)
    with Store.open(store_path, read_only=True) as store:
        sp, figures = gather(store, catalogue, [force_id], period, config)
    held = figures[force_id]
    held = replace(held, sources=tuple({**s, "loaded_at": FIXED_TIME} for s in held.sources))
    return replace(build(catalogue, force_id, sp, held, config, generated_at=FIXED_TIME), software_version="test")


@pytest.fixture(scope="session")
def demo_document() -> Callable[..., Document]:
    return _demo_document
