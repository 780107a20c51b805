"""The public pages: no login.  An index of forces, each force's publications, and every
published version at a permanent URL with its downloads and, when a newer version exists, a link
to it.  The files of a version are served exactly as they were written when it was published."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from scorecard.areas import force, territorial_forces
from scorecard.render.govuk_assets import govuk_stylesheet
from scorecard.web.models import Publication
from scorecard.web.publishing import STAMP

#: Rendered public pages, by path and the state of the publications: a page changes only when a
#: version is published (or superseded), so until then it is served from here, not rendered.
_PAGES: dict[tuple[str, str, int, str], tuple[bytes, dict[str, str], object]] = {}
_MAX_PAGES = 2_000


def _publications_state() -> int:
    """When a version was last published (``publishing.STAMP``, touched once each commits): one
    file's time, the same in every server process, so no query is needed to know a page is fresh."""
    try:
        return (Path(settings.PUBLISHED) / STAMP).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _store_state() -> str:
    """The snapshot of the store being read (``web.snapshots``): a committed load makes a new one,
    and the figures a measure's page shows change with it."""
    from scorecard.web import snapshots

    return snapshots.current().name


def cached_public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from ``_PAGES`` while no publication has changed; only for visitors
    who are not signed in (a signed-in visitor's page carries their name and a CSRF token)."""

    @wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return view(request, *args, **kwargs)
        key = (str(settings.PUBLISHED), request.get_full_path() + request.META.get("HTTP_X_SCORECARD_STATIC", ""),
               _publications_state(), _store_state())
        hit = _PAGES.get(key)
        if hit is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return response
            if len(_PAGES) >= _MAX_PAGES:
                _PAGES.clear()
            hit = _PAGES[key] = (response.content, dict(response.headers), getattr(response, "_csp_update", None))
        content, headers, csp = hit
        fresh = HttpResponse(content, headers=headers)  # a new response each time: middleware adds to it
        if csp is not None:
            fresh._csp_update = csp  # type: ignore[attr-defined]
        return fresh

    return serve


_STYLE = re.compile(rb"<style>(.*?)</style>", re.DOTALL)
_CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".json": "application/json", ".csv": "text/csv; charset=utf-8",
                  ".css": "text/css; charset=utf-8", ".pdf": "application/pdf", ".svg": "image/svg+xml",
                  ".png": "image/png",
                  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@require_safe
@cached_public
def index(request: HttpRequest) -> HttpResponse:
    counts: dict[str, int] = {}
    for force_id in Publication.objects.filter(superseded_by=None).values_list("force_id", flat=True):
        counts[force_id] = counts.get(force_id, 0) + 1
    from scorecard.catalogue.schema import load_catalogue

    rows = [(f, counts.get(f.force_id, 0)) for f in territorial_forces()]
    measures = [m for m in load_catalogue().measures if m.role == "national"]
    return render(request, "web/index.html", {"forces": rows, "measures": measures})


def _measure_page(force_id: str, measure_id: str) -> Any:
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.web import measure_page

    catalogue = load_catalogue()
    if measure_id not in catalogue.by_id or force_id not in {f.force_id for f in territorial_forces()}:
        raise Http404("no such measure or force")
    return measure_page.build(catalogue, measure_id, force_id)


@require_safe
@cached_public
def measure(request: HttpRequest, force_id: str, measure_id: str) -> HttpResponse:
    page = _measure_page(force_id, measure_id)
    return render(request, "web/measure.html", {"page": page, "force_id": force_id})


@require_safe
@cached_public
def national_measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    """One measure for every force: a map shaded by each force's fifth of the ranking, and the
    same figures in a table."""
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.render.force_map import Area, force_map_svg
    from scorecard.web import measure_page

    catalogue = load_catalogue()
    if measure_id not in catalogue.by_id:
        raise Http404("no such measure")
    m, ranked = measure_page.national(catalogue, measure_id)
    areas = {c.force_id: Area(ranked.bands.get(c.force_id),
                              f"{c.area}: {c.rate if ranked.rate_label else c.value}"
                              + (f", rank {c.rank} of {ranked.of}" if c.rank else ", no figure"),
                              f"/forces/{c.force_id}/measures/{measure_id}/") for c in ranked.comparison}
    svg = force_map_svg(areas, f"Map of the police force areas: {m.title}", "ranking")
    return render(request, "web/national_measure.html", {"measure": m, "ranked": ranked, "map": svg})


@require_safe
@cached_public
def measure_chart(request: HttpRequest, force_id: str, measure_id: str) -> HttpResponse:
    """The measure's SPC chart as an SVG image (the page's <img>, with its text alternative there)."""
    from scorecard.render.charts import chart_svg

    page = _measure_page(force_id, measure_id)
    if page.chart is None:
        raise Http404("too few points for a chart")
    return HttpResponse(str(chart_svg(page.chart)), content_type="image/svg+xml")


@require_safe
@cached_public
def force_page(request: HttpRequest, force_id: str) -> HttpResponse:
    try:
        info = force(force_id)
    except Exception:
        raise Http404("no such force") from None
    from scorecard.catalogue.schema import load_catalogue

    pubs = Publication.objects.filter(force_id=force_id).order_by("kind", "-period_slug", "-version")
    measures = [m for m in load_catalogue().measures if m.role == "national"]
    return render(request, "web/force.html", {"force": info, "publications": pubs, "measures": measures})


def _publication(force_id: str, kind: str, slug: str, version: int) -> Publication:
    try:
        return Publication.objects.get(force_id=force_id, kind=kind, period_slug=slug, version=version)
    except Publication.DoesNotExist:
        raise Http404("no such publication") from None


@require_safe
@cached_public
def publication(request: HttpRequest, force_id: str, kind: str, slug: str, version: int) -> HttpResponse:
    pub = _publication(force_id, kind, slug, version)
    downloads = sorted(name for name in pub.files if "/" not in name)
    changes, checked = _newer_data(pub)
    return render(request, "web/publication.html", {"pub": pub, "force": force(force_id), "downloads": downloads,
                                                     "changes": changes, "checked": checked})


def _newer_data(pub: Publication) -> tuple[list[str], str | None]:
    """What the data loaded since would change in the version (``scorecard verify``, against the
    snapshot the site reads), or why that could not be checked."""
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.errors import ScorecardError
    from scorecard.store import Store
    from scorecard.verify import verify
    from scorecard.web import snapshots

    report = Path(settings.PUBLISHED) / pub.folder / "report.json"
    if "report.json" not in pub.files or not report.is_file():
        return [], "this version has no report.json to check"
    try:
        with Store.open(snapshots.current(), read_only=True) as store:
            diffs = verify(report, store, load_catalogue())
    except ScorecardError as exc:
        return [], f"it could not be checked: {exc}"
    return [f"{d.where}: published {d.published}, the data now gives {d.now}" for d in diffs], None


@require_safe
@cached_public
def publication_file(request: HttpRequest, force_id: str, kind: str, slug: str, version: int,
                     name: str) -> HttpResponse:
    """A file of a published version, only if it was written when the version was published and
    is unchanged since (its SHA-256 is the one recorded)."""
    pub = _publication(force_id, kind, slug, version)
    if name not in pub.files:
        raise Http404("no such file in this version")
    path = Path(settings.PUBLISHED) / pub.folder / name
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != pub.files[name]:
        raise Http404("this file no longer matches what was published")
    response = HttpResponse(data, content_type=_CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
    if path.suffix == ".html":  # the document's own inline styles, allowed by their hashes alone
        hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(m).digest()).decode()}'" for m in _STYLE.findall(data)]
        response._csp_update = {"style-src": hashes}  # type: ignore[attr-defined]
    if path.suffix in (".docx", ".pdf", ".json", ".csv"):
        response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response


@cache
def _stylesheet() -> bytes:
    return (govuk_stylesheet() or "").encode("utf-8")


_ASSETS = {"site.css": "text/css; charset=utf-8", "workbench.js": "text/javascript; charset=utf-8"}


@require_safe
def asset(request: HttpRequest, name: str) -> HttpResponse:
    """The site's own stylesheet and script, from the package."""
    if name not in _ASSETS:
        raise Http404("no such asset")
    response = HttpResponse((Path(__file__).parent / "static" / "web" / name).read_bytes(),
                            content_type=_ASSETS[name])
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def stylesheet(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
