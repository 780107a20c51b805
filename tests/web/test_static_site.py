"""`scorecard site build DIR`: the public pages as files whose every link works from the disk."""

from __future__ import annotations

import re
from pathlib import Path

from scorecard.web.models import Publication
from scorecard.web.static_site import build, relative


def test_a_link_is_made_relative_to_the_page_it_is_on() -> None:
    assert relative("/", "/") == "index.html"
    assert relative("/forces/west-midlands/", "/") == "forces/west-midlands/index.html"
    assert relative("/forces/kent/", "/forces/west-midlands/") == "../../forces/kent/index.html"
    assert relative("/assets/site.css", "/forces/x/statement/2024-25-Q1/v1/") == "../../../../../assets/site.css"


def test_every_link_of_the_static_site_resolves_to_a_file_and_none_is_absolute(publication: Publication,
                                                                              tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(out) > 43
    pages = list(out.rglob("*.html"))
    assert (out / "index.html").is_file() and (out / "forces" / "west-midlands" / "index.html").is_file()
    assert (out / "forces" / "west-midlands" / "statement" / "2024-25-Q1" / "v1" / "statement.html").is_file()
    broken = []
    for page in pages:
        html = page.read_text("utf-8")
        assert "Sign in to the workbench" not in html, page
        for link in re.findall(r'(?:href|src)="([^"#]+)', html):
            if link.startswith(("http:", "https:", "mailto:", "data:")):
                continue
            if link.startswith("/") or not (page.parent / link).resolve().exists():
                broken.append((str(page.relative_to(out)), link))
    assert broken == []
    assert (out / "forces" / "west-midlands" / "measures" / "homicide" / "chart.svg").read_bytes().startswith(b"<svg")
