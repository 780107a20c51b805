"""Starting the site: the database migrated, the demo's drafts in place, users made from the
command line (their passwords generated and printed once, never kept in the repository)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import django

from scorecard.areas import force as force_info

if TYPE_CHECKING:
    from scorecard.documents.config import DocumentConfig
    from scorecard.store import Store


def configure(home: Path | None = None, store: Path | None = None, database_url: str | None = None) -> None:
    """Django configured for this process (before any model is imported): the site's folder
    (``home``, else ``$SCORECARD_WEB_HOME``, else ``out/web``) made, with its secret key."""
    home = (home or Path(os.environ.get("SCORECARD_WEB_HOME", "out/web"))).resolve()
    os.environ["SCORECARD_WEB_HOME"] = str(home)
    if store is not None:
        os.environ["SCORECARD_STORE"] = str(store)
    if database_url is not None:
        os.environ["SCORECARD_DATABASE_URL"] = database_url
    from scorecard.web.secret import ensure_secret_key

    ensure_secret_key(home)  # makes the folder too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.web.settings")
    django.setup()


ROOT = Path(__file__).resolve().parents[3]


def demo_files() -> list[Path]:
    """The bundled data ``./scripts/demo`` loads, in its order."""
    data = ROOT / "demo" / "data"
    return [data / "prc_pfa_long.parquet", data / "policeforceareatablesyearendingjune2019.xlsx",
            data / "west-mercia-street-sample.zip", data / "local-series-west-midlands.csv",
            data / "local-series-west-mercia.csv", *sorted(data.glob("stop-and-search-*.zip")),
            data / "police-workforce-sep19-tables.ods", *sorted((ROOT / "demo" / "annual" / "tables").glob("*.csv"))]


def load_demo_data(store: Store) -> Iterator[dict[str, Any]]:
    from scorecard.ingest import iter_ingest

    yield from iter_ingest(store, demo_files())


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_drafts() -> list[str]:
    """A draft for each document configuration the site offers (the demo's three), its commentary
    seeded from the configuration's commentary files the first time."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from scorecard.catalogue.schema import load_catalogue
    from scorecard.documents.config import DocumentConfig
    from scorecard.web.models import CommentaryVersion, Draft
    from scorecard.web.publishing import documents_dir

    catalogue = load_catalogue()
    made = []
    system, _ = get_user_model().objects.get_or_create(username="scorecard-import",
                                                        defaults={"is_active": False})
    for path in sorted(documents_dir().glob("*.yaml")):
        config = DocumentConfig.load(path, catalogue=catalogue)
        force_id, period = _force_and_period(path)
        if force_id is None or period is None:
            continue
        with transaction.atomic():
            draft, created = Draft.objects.get_or_create(
                force_id=force_id, kind=config.document, period=period,
                defaults={"config_name": path.name, "title": _title(config.document, force_id)})
            if created:
                made.append(str(draft))
                for (priority, voice), text in _commentary_files(config, force_id, period).items():
                    CommentaryVersion.objects.create(draft=draft, priority_id=priority, voice=voice, text=text,
                                                     author=system)
    return made


def _title(kind: str, force_id: str) -> str:
    what = "board paper" if kind == "board_paper" else "National Policing Priorities statement"
    return f"{force_info(force_id).name}: {what}"


#: Which force and period each demo configuration is published for (as scripts/demo runs them).
DEMO_DOCUMENTS = {
    "west-midlands-2024-25-q1-statement.yaml": ("west-midlands", "2024-25 Q1"),
    "west-mercia-2022-23-q1-statement.yaml": ("west-mercia", "2022-23 Q1"),
    "west-midlands-2022-05-board-paper.yaml": ("west-midlands", "2021-22 Q4"),
}


def _force_and_period(path: Path) -> tuple[str | None, str | None]:
    found = DEMO_DOCUMENTS.get(path.name)
    return found if found is not None else (None, None)


def _commentary_files(config: DocumentConfig, force_id: str, period: str) -> dict[tuple[str, str], str]:
    """The configuration's commentary files for the force and period, by (priority, voice)."""
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.documents.commentary import VOICE_FILES, find_file, read_text
    from scorecard.publish import statement_period

    if config.commentary_dir is None:
        return {}
    sp = statement_period(period, config)
    out: dict[tuple[str, str], str] = {}
    for p in load_catalogue().priorities:
        for voice in VOICE_FILES:
            found = find_file(config.commentary_dir, force_id, sp, p.id, voice)
            if found is not None:
                out[(p.id, voice)] = read_text(found)
    return out


def add_user(username: str, *, roles: Sequence[tuple[str, str]] = (), admin: bool = False,
             password: str | None = None) -> str:
    """Make (or update) a user with these (force, role) pairs; the password, generated if not given."""
    from django.contrib.auth import get_user_model

    from scorecard.web.models import Membership

    secret = password or secrets.token_urlsafe(12)
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.set_password(secret)
    user.is_superuser = user.is_staff = admin
    user.is_active = True
    user.save()
    for force_id, role in roles:
        force_info(force_id)
        Membership.objects.get_or_create(user=user, force_id=force_id, role=role)
    return secret


DEMO_USERS = {
    "wm-analyst": [("west-midlands", "analyst")], "wm-approver": [("west-midlands", "approver")],
    "wmerc-analyst": [("west-mercia", "analyst")], "wmerc-approver": [("west-mercia", "approver")],
}
