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


def test_a_measure_s_page_has_its_chart_its_series_and_every_force_ranked(site: object, db: None) -> None:
    import re

    page = Client().get("/forces/west-midlands/measures/homicide/").content.decode()
    assert '<img class="app-chart-image" src="chart.svg" alt="Homicide, ' in page
    ranked = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td><th scope="row"', page)
    assert [int(r) for r in ranked] == list(range(1, 44))  # the 43 territorial forces, each with its rank
    assert "West Midlands</a> <strong class=\"govuk-tag\">This force</strong>" in page
    assert " to " in page and " -" not in page.split("The series")[1].split("</table>")[0]  # no limit below zero
    chart = Client().get("/forces/west-midlands/measures/homicide/chart.svg")
    assert chart["Content-Type"] == "image/svg+xml" and chart.content.startswith(b"<svg")
    assert Client().get("/forces/west-midlands/measures/no_such_measure/").status_code == 404


def test_the_map_links_every_force_and_the_table_beside_it_gives_the_same_figures(site: object, db: None) -> None:
    import re

    page = Client().get("/measures/burglary/").content.decode()
    svg = page.split('<svg class="app-map"')[1].split("</svg>")[0]
    labels = re.findall(r'<a href="/forces/([a-z-]+)/measures/burglary/" aria-label="([^"]+)"', svg)
    assert len(labels) == 43
    table = page.split('id="ranking"')[1]
    for force_id, label in labels:  # "Cumbria: 1.93 per 1,000 people, rank 1 of 43" is the table's row
        _, rest = label.split(": ", 1)
        rate, rank = rest.split(", rank ")
        row = re.search(rf'(\d+)</td><th scope="row" class="govuk-table__header"><a class="govuk-link" '
                        rf'href="/forces/{force_id}/measures/burglary/">[^<]+</a></th><td[^>]*>[^<]+</td>'
                        rf'<td[^>]*>([^<]+)</td>', table)
        assert row is not None and row.group(1) == rank.split(" of ")[0] and row.group(2) == rate, force_id
    assert 'aria-describedby="ranking"' in svg
