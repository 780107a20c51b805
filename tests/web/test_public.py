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
    every = page.split("beside every force")[1]
    ranked = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td><th scope="row"', every)
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


def test_a_measure_s_page_ranks_the_force_in_its_peer_group(site: object, db: None) -> None:
    import re

    # demo/web/peer-groups.yaml: the West Midlands Region of the bundled ONS lookup, with its source and date.
    page = Client().get("/forces/west-mercia/measures/homicide/").content.decode()
    group = page.split("in its peer group: West Midlands Region")[1].split("</table>")[0]
    assert [n for n in ("Staffordshire", "Warwickshire", "West Mercia", "West Midlands") if n in group] == [
        "Staffordshire", "Warwickshire", "West Mercia", "West Midlands"]
    ranks = re.findall(r'numeric">(\d+)</td><th scope="row"', group)
    assert sorted(int(r) for r in ranks) == [1, 2, 3, 4]
    assert "not HMICFRS most similar groups, 2024-06-30" in page


def test_a_measure_with_sub_areas_breaks_down_by_local_authority(real_store_path: object) -> None:
    from scorecard.catalogue.schema import load_catalogue
    from scorecard.figures import sub_area_figures
    from scorecard.periods import parse
    from scorecard.store import Store

    with Store.open(real_store_path, read_only=True) as store:  # type: ignore[arg-type]
        rows = sub_area_figures(store, load_catalogue(), "street_burglary", "west-mercia", parse("2024 Q1"))
        none = sub_area_figures(store, load_catalogue(), "homicide", "west-mercia", parse("2024 Q1"))
    names = {r.area.name for r in rows}
    assert {"Bromsgrove", "Redditch", "Shropshire", "Telford and Wrekin", "Worcester"} <= names
    assert none == []  # Home Office figures are force-wide
