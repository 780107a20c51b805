"""From a draft to a document: the same pipeline as ``scorecard report``, commentary from the database.

A draft names a document configuration (a file in ``SCORECARD_DOCUMENTS``, default the demo's
``demo/config``), a force and a period.  Its figures come from the store through
``publish.gather`` and its commentary from the draft's latest versions through
``commentary.from_written``, the path commentary files take too; ``publish.build`` builds it and
``render.write`` writes it.  Approving publishes it: the files are written once into a new
version folder, their SHA-256 kept in the database, and the version before is marked superseded.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from scorecard.catalogue.schema import load_catalogue
from scorecard.documents.commentary import Written, period_slug
from scorecard.documents.config import DocumentConfig
from scorecard.documents.model import Commentary, Document, Status
from scorecard.errors import ScorecardError
from scorecard.periods import parse
from scorecard.publish import build, gather
from scorecard.render.write import write_document
from scorecard.store import Store
from scorecard.web import snapshots
from scorecard.web.models import Draft, Publication

FORMATS = ["html", "docx", "pdf", "json", "csv"]
#: The commentary voices each kind of document prints: the statutory statement is the PCC's;
#: a board paper carries the force's statement and the PCC's (documents.statement, board_paper).
#: Touched when a publication commits: the public pages' cache is fresh while it is unchanged.
STAMP = ".last-published"
VOICES_OF = {"statement": ("pcc",), "board_paper": ("force", "pcc")}


def documents_dir() -> Path:
    return Path(os.environ.get("SCORECARD_DOCUMENTS", Path(__file__).resolve().parents[3] / "demo" / "config"))


def config_of(draft: Draft, status: Status) -> DocumentConfig:
    config = DocumentConfig.load(documents_dir() / draft.config_name, catalogue=load_catalogue())
    return replace(config, status=status)


def written_of(texts: dict[tuple[str, str], str]) -> list[Written]:
    return [Written(priority, "pcc" if voice == "pcc" else "force", text, f"the workbench ({priority}, {voice})",
                    f"workbench: {priority} ({voice})") for (priority, voice), text in sorted(texts.items())]


def document(draft: Draft, texts: dict[tuple[str, str], str], status: Status = "draft") -> Document:
    """The draft's document with ``texts`` as its commentary (``ScorecardError`` for a reference
    that cannot be filled in)."""
    catalogue = load_catalogue()
    config = config_of(draft, status)
    with Store.open(snapshots.current(), read_only=True) as store:
        sp, figures = gather(store, catalogue, [draft.force_id], draft.period, config)
    return build(catalogue, draft.force_id, sp, figures[draft.force_id], config, written=written_of(texts))


@dataclass(frozen=True)
class Checked:
    """What the workbench shows beside the text: the flags, or the error that stops a build, and
    each text as the document shows it (references filled in)."""

    flags: tuple[str, ...]
    error: str | None
    shown: dict[str, Commentary] = field(default_factory=dict)  # by "priority.voice"


def check(draft: Draft, texts: dict[tuple[str, str], str]) -> Checked:
    try:
        doc = document(draft, texts)
    except ScorecardError as exc:
        return Checked((), str(exc))
    shown = {f"{p}.{v}": block for section in doc.sections for block in section.blocks
             if isinstance(block, Commentary) and block.source_file
             for (p, v) in [_key_of(block.source_file)] if p}
    return Checked(doc.flags, None, shown)


def _key_of(shown: str) -> tuple[str, str]:
    """("homicide", "force") from the source a workbench text is shown with ("workbench: homicide (force)")."""
    if not shown.startswith("workbench: ") or " (" not in shown:
        return ("", "")
    priority, _, voice = shown.removeprefix("workbench: ").partition(" (")
    return (priority, voice.rstrip(")"))


def slug_of(draft: Draft) -> str:
    return period_slug(parse(draft.period))


@transaction.atomic
def publish(draft: Draft, user: User) -> Publication:
    """Publish the draft as its next version: files written once, then the row, then the link
    from the version before."""
    slug = slug_of(draft)
    before = (Publication.objects.select_for_update().filter(force_id=draft.force_id, kind=draft.kind,
                                                              period_slug=slug).order_by("-version").first())
    version = before.version + 1 if before else 1
    folder = f"{draft.force_id}/{draft.kind}/{slug}/v{version}"
    target = Path(settings.PUBLISHED) / folder
    if target.exists():
        raise ScorecardError(f"{target} already exists: a published version is never written twice")
    doc = document(draft, draft.current_texts(), status="approved")
    write_document(doc, FORMATS, target)
    files = {str(p.relative_to(target)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(target.rglob("*")) if p.is_file()}  # the documents, their tables and assets
    pub = Publication.objects.create(force_id=draft.force_id, kind=draft.kind, period=draft.period,
                                     period_slug=slug, version=version, title=doc.title, folder=folder,
                                     files=files, published_by=user)
    if before is not None:
        before.superseded_by = pub
        before.save()
    transaction.on_commit(lambda: _touch(Path(settings.PUBLISHED) / STAMP))
    return pub


def _touch(stamp: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(str(time.time_ns()), "utf-8")
    os.utime(stamp, ns=(time.time_ns(), time.time_ns()))
