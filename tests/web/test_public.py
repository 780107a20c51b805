"""The public pages: served from a cache of rendered pages until a version is published."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from scorecard.web import publishing
from scorecard.web.models import Draft


def test_a_new_version_shows_at_once_though_the_pages_are_cached(wm_statement: Draft, people: dict[str, User],
                                                                  django_capture_on_commit_callbacks: object) -> None:
    anonymous = Client()
    before = anonymous.get("/forces/west-midlands/").content.decode()
    assert "Nothing has been published for West Midlands yet." in before
    assert anonymous.get("/forces/west-midlands/").content.decode() == before  # the same page, from the cache
    wm_statement.status = "submitted"
    wm_statement.save()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        publishing.publish(wm_statement, people["approver"])
    after = anonymous.get("/forces/west-midlands/").content.decode()
    assert "/forces/west-midlands/statement/2024-25-Q1/v1/" in after


def test_a_signed_in_visitor_never_gets_a_cached_page(wm_statement: Draft, people: dict[str, User]) -> None:
    Client().get("/")
    analyst = Client()
    analyst.force_login(people["analyst"])
    assert "Sign out analyst" in analyst.get("/").content.decode()
