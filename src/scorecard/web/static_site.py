"""``scorecard site build DIR``: the public pages as a static site a PCC office can upload.

Every public page the server answers (the index, each force, each force's national measures,
every published version and its files) is rendered by the same views and templates, written
as ``DIR/<path>/index.html``, and its links made relative, so the folder works from any web
server or straight from the disk.  The workbench is not part of it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath

from django.test import Client

from scorecard.areas import territorial_forces
from scorecard.catalogue.schema import load_catalogue
from scorecard.web.models import Publication

_LINK = re.compile(r'(href|src)="(/[^"]*)"')


def relative(target: str, page: str) -> str:
    """``target`` (a site path: "/forces/x/") as a link from the page at site path ``page``."""
    path, _, fragment = target.partition("#")
    if path.endswith("/"):
        path += "index.html"
    here = PurePosixPath(page if page.endswith("/") else str(PurePosixPath(page).parent) + "/")
    ups = len(here.parts) - 1  # "/" is one part
    link = "../" * ups + path.lstrip("/")
    return link + (f"#{fragment}" if fragment else "")


def _links_made_relative(html: str, page: str) -> str:
    return _LINK.sub(lambda m: f'{m.group(1)}="{relative(m.group(2), page)}"', html)


def pages() -> list[str]:
    """Every public page's path."""
    national = [m.id for m in load_catalogue().measures if m.role == "national"]
    out = ["/", *(f"/measures/{mid}/" for mid in national)]
    for f in territorial_forces():
        out.append(f"/forces/{f.force_id}/")
        out += [f"/forces/{f.force_id}/measures/{mid}/" for mid in national]
    for p in Publication.objects.all():
        out.append(f"/forces/{p.force_id}/{p.kind}/{p.period_slug}/v{p.version}/")
    return out


def build(out: Path) -> int:
    """Write the static site into ``out`` (emptied first); the number of files written."""
    if out.exists():
        shutil.rmtree(out)
    client = Client()
    written = 0
    for path in pages():
        response = client.get(path, HTTP_X_SCORECARD_STATIC="1")
        if response.status_code != 200:
            continue
        target = out / path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_links_made_relative(response.content.decode("utf-8"), path), "utf-8")
        written += 1
        if "/measures/" in path:
            chart = client.get(path + "chart.svg")
            if chart.status_code == 200:
                (target.parent / "chart.svg").write_bytes(chart.content)
                written += 1
    for pub in Publication.objects.all():  # every version's files, as published (checked by their hashes)
        folder = out / "forces" / pub.force_id / pub.kind / pub.period_slug / f"v{pub.version}"
        for name in pub.files:
            data = client.get(f"/forces/{pub.force_id}/{pub.kind}/{pub.period_slug}/v{pub.version}/{name}")
            if data.status_code == 200:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data.content)
                written += 1
    for name in ("govuk-frontend.min.css", "site.css"):
        (out / "assets").mkdir(parents=True, exist_ok=True)
        (out / "assets" / name).write_bytes(client.get(f"/assets/{name}").content)
        written += 1
    return written
