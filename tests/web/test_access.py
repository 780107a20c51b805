"""Every URL of the site, asked by each kind of visitor: what each gets is written out here.

The list of URLs is the application's own (``web.urls``): a URL added without a row below fails
``test_every_url_is_in_the_table``.  Visitors: nobody signed in, an analyst of another force
(West Mercia), West Midlands' analyst and approver, and an administrator.  The draft is West
Midlands' 2024-25 Q1 statement, in its first state ("draft"), so only its analyst may write it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import get_resolver

from scorecard.web.models import Draft, Publication

VISITORS = ("anonymous", "other-analyst", "analyst", "approver", "admin")
LOGIN = "sign in"  # a 302 to the sign-in page

# name: (method, {visitor: status, or LOGIN}).
EXPECTED: dict[str, tuple[str, dict[str, int | str]]] = {
    "index": ("GET", dict.fromkeys(VISITORS, 200)),  # public: the same for everyone
    "stylesheet": ("GET", dict.fromkeys(VISITORS, 200)),
    "asset": ("GET", dict.fromkeys(VISITORS, 200)),
    "force": ("GET", dict.fromkeys(VISITORS, 200)),
    "measure": ("GET", dict.fromkeys(VISITORS, 200)),
    "national_measure": ("GET", dict.fromkeys(VISITORS, 200)),
    "measure_chart": ("GET", dict.fromkeys(VISITORS, 200)),
    "publication": ("GET", dict.fromkeys(VISITORS, 200)),
    "publication_file": ("GET", dict.fromkeys(VISITORS, 200)),
    "login": ("GET", {"anonymous": 200, "other-analyst": 302, "analyst": 302, "approver": 302, "admin": 302}),
    "logout": ("POST", dict.fromkeys(VISITORS, 302)),
    "workbench": ("GET", {"anonymous": LOGIN, "other-analyst": 200, "analyst": 200, "approver": 200, "admin": 200}),
    "draft": ("GET", {"anonymous": LOGIN, "other-analyst": 404, "analyst": 200, "approver": 200, "admin": 200}),
    "save": ("POST", {"anonymous": LOGIN, "other-analyst": 404, "analyst": 302, "approver": 403, "admin": 403}),
    "preview": ("POST", {"anonymous": LOGIN, "other-analyst": 404, "analyst": 200, "approver": 200, "admin": 200}),
    "submit": ("POST", {"anonymous": LOGIN, "other-analyst": 404, "analyst": 302, "approver": 403, "admin": 403}),
    "return": ("POST", {"anonymous": LOGIN, "other-analyst": 404, "analyst": 403, "approver": 403, "admin": 403}),
    "approve": ("POST", {"anonymous": LOGIN, "other-analyst": 404, "analyst": 403, "approver": 403, "admin": 403}),
    "audit": ("GET", {"anonymous": LOGIN, "other-analyst": 403, "analyst": 403, "approver": 403, "admin": 200}),
    "loads": ("GET", {"anonymous": LOGIN, "other-analyst": 403, "analyst": 403, "approver": 403, "admin": 200}),
}


def url_for(name: str, draft: Draft, pub: Publication) -> str:
    version = f"/forces/{pub.force_id}/{pub.kind}/{pub.period_slug}/v{pub.version}/"
    return {
        "index": "/", "stylesheet": "/assets/govuk-frontend.min.css", "asset": "/assets/site.css",
        "force": "/forces/west-midlands/", "publication": version,
        "measure": "/forces/west-midlands/measures/homicide/", "national_measure": "/measures/burglary/",
        "measure_chart": "/forces/west-midlands/measures/homicide/chart.svg",
        "publication_file": version + "statement.html",
        "login": "/workbench/login/", "logout": "/workbench/logout/", "workbench": "/workbench/",
        "audit": "/workbench/audit/", "loads": "/workbench/loads/", "draft": f"/workbench/drafts/{draft.pk}/",
    }.get(name, f"/workbench/drafts/{draft.pk}/{name}")


def test_every_url_is_in_the_table() -> None:
    names = {p.name for p in get_resolver().url_patterns}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_what_each_visitor_gets(name: str, visitor: str, wm_statement: Draft, publication: Publication,
                                people: dict[str, User]) -> None:
    client = Client()
    if visitor != "anonymous":
        client.force_login(people[visitor])
    method, expected = EXPECTED[name]
    url = url_for(name, wm_statement, publication)
    body: dict[str, Any] = {"comment": "Please check the homicide figure."} if name == "return" else {}
    if name == "preview":
        response = client.post(url, '{"field": "homicide.pcc", "text": "x"}', content_type="application/json")
    elif method == "POST":
        response = client.post(url, {"homicide.pcc": "A new sentence.", **body})
    else:
        response = client.get(url)
    want = expected[visitor]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/workbench/login/"), name
    else:
        assert response.status_code == want, (name, visitor, response.status_code)


def test_a_get_never_changes_anything(wm_statement: Draft, people: dict[str, User]) -> None:
    client = Client()
    client.force_login(people["analyst"])
    for name in ("save", "submit", "approve", "return"):
        assert client.get(f"/workbench/drafts/{wm_statement.pk}/{name}").status_code == 405
    wm_statement.refresh_from_db()
    assert wm_statement.status == "draft" and wm_statement.reviews.count() == 0
