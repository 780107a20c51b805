"""The site's secret key file: written once, readable by its owner alone, never in the repository."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def secret_key_file(home: Path) -> Path:
    return home / "secret_key"


def ensure_secret_key(home: Path) -> None:
    """Write a new secret key for the site in ``home`` (mode 0600), unless it has one."""
    path = secret_key_file(home)
    if path.is_file():
        return
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(50))
