"""GOV.UK Frontend's stylesheet, found in the npm package the project installs and copied
beside a page with the GDS Transport ``@font-face`` rules removed (that typeface, and the crown,
are licensed only for services on GOV.UK; a PCC's statement is not one).

Its own module, importing nothing heavy, because the PDF printer needs the stylesheet while it
loads WeasyPrint (``render.printer``), and the page's template engine is not needed for that.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from pathlib import Path

GOVUK_FRONTEND_ENV = "SCORECARD_GOVUK_FRONTEND"
STYLESHEET = "assets/govuk-frontend.min.css"
_CSS_IN_PACKAGE = Path("dist") / "govuk" / "govuk-frontend.min.css"


def find_govuk_frontend() -> Path | None:
    """The installed ``govuk-frontend`` npm package: ``$SCORECARD_GOVUK_FRONTEND``, else the
    project's ``node_modules``, else ``./node_modules``."""
    candidates: list[Path] = []
    if os.environ.get(GOVUK_FRONTEND_ENV):
        candidates.append(Path(os.environ[GOVUK_FRONTEND_ENV]))
    candidates.append(Path(__file__).resolve().parents[3] / "node_modules" / "govuk-frontend")
    candidates.append(Path.cwd() / "node_modules" / "govuk-frontend")
    for candidate in candidates:
        if (candidate / _CSS_IN_PACKAGE).is_file():
            return candidate
    return None


# Crown and typeface licensed for GOV.UK only; the page uses neither.
_GOVUK_ONLY = frozenset({"images/govuk-crest.svg"})
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_ASSET_URL = re.compile(r"url\((['\"]?)/assets/([^)'\"]+)\1\)")


def copy_assets(out_dir: Path) -> str | None:
    """Copy GOV.UK Frontend's stylesheet (and any image it refers to) into ``out_dir/assets``.

    Returns the stylesheet's path relative to ``out_dir``, or ``None`` (with a warning) when
    the package is not installed.
    """
    package = find_govuk_frontend()
    if package is None:
        warnings.warn("GOV.UK Frontend is not installed (run `npm ci` or scripts/setup); the HTML page "
                      "falls back to minimal inline styles", stacklevel=3)
        return None
    text, images = _stylesheet(package)
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in images:
        target = assets / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / "dist" / "govuk" / "assets" / name, target)
    target = out_dir / STYLESHEET
    if not target.is_file() or target.read_text("utf-8") != text:
        target.write_text(text, "utf-8")
    return STYLESHEET


def govuk_stylesheet() -> str | None:
    """The stylesheet ``copy_assets`` writes (None: GOV.UK Frontend is not installed)."""
    package = find_govuk_frontend()
    return _stylesheet(package)[0] if package is not None else None


def _stylesheet(package: Path) -> tuple[str, list[str]]:
    """GOV.UK Frontend's stylesheet as the page links it, and the images it refers to."""
    dist = package / "dist" / "govuk"
    try:
        version = str(json.loads((package / "package.json").read_text("utf-8")).get("version", "?"))
    except (OSError, ValueError):
        version = "?"
    css = (package / _CSS_IN_PACKAGE).read_text("utf-8")
    css = _FONT_FACE.sub("", css).replace("GDS Transport,", "")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    images = [m[1] for m in sorted(set(_ASSET_URL.findall(css)))
              if m[1] not in _GOVUK_ONLY and (dist / "assets" / m[1]).is_file()]
    css = _ASSET_URL.sub(r"url(\1\2\1)", css)
    header = (f"/* GOV.UK Frontend {version} (https://github.com/alphagov/govuk-frontend), MIT licence, "
              "(c) Crown copyright. Copied by Policing Scorecard with the GDS Transport font-face rules "
              "removed: that typeface is for services on GOV.UK only. */\n")
    css = css.lstrip("\ufeff")
    charset = '@charset "UTF-8";'
    return charset + "\n" + header + css.removeprefix(charset), images
