"""The real thing in a real browser: each role signs in and takes West Midlands' 2024-25 Q1
statement from draft to a public page, and every page a visitor meets is checked for
accessibility (axe-core) and for panning sideways at 375 px.

The site runs in pytest-django's live server on the session's real store (tests/conftest.py);
the browser is the machine's Chromium, driven by Playwright.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from scorecard.web import setup
from scorecard.web.models import AuditEntry, Draft, Publication

PASSWORD = "correct-horse-battery-staple-2026"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: `
                                      + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; '));
}"""

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason="Chromium is needed at /usr/bin/chromium")


@pytest.fixture
def live_site(transactional_db: None, live_server: Any, settings: Any, real_store_path: Path,
              tmp_path: Path) -> str:
    settings.STORE = real_store_path
    settings.PUBLISHED = tmp_path / "published"
    for name, roles in {"analyst": [("west-midlands", "analyst")],
                        "approver": [("west-midlands", "approver")]}.items():
        setup.add_user(name, roles=roles, password=PASSWORD)
    setup.add_user("admin", admin=True, password=PASSWORD)
    setup.ensure_drafts()
    return str(live_server.url)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM queries are
    # ordinary synchronous ones, so Django is told they are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def signed_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base + "/workbench/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/workbench/")
    return page


def open_statement(page: Any) -> None:
    page.click("text=West Midlands: National Policing Priorities statement")
    page.wait_for_selector("h1")


def test_draft_check_submit_return_resubmit_approve_publish_and_read(live_site: str, browser: Any,
                                                                     tmp_path: Path) -> None:
    base = live_site
    analyst = signed_in(browser, base, "analyst")
    open_statement(analyst)
    box = analyst.locator("textarea[name='homicide.pcc']")
    # A reference is filled in as the document shows it; a typed number that matches no figure is flagged.
    box.fill("Recorded homicides: {homicide.value}. We had 1,700 robberies.")
    field = box.get_attribute("id")
    expect(analyst.locator(f"#{field}-preview")).to_contain_text(re.compile(r"Recorded homicides: \d+\."),
                                                                 timeout=20_000)
    expect(analyst.locator(f"#{field}-check")).to_contain_text("'1,700 robberies' matches no figure")
    box.fill("Recorded homicides: {homicide.value}, as the Home Office counts them.")
    analyst.click("button:has-text('Save')")
    assert "Saved 1 change(s)." in analyst.locator(".govuk-notification-banner").inner_text()
    analyst.click("button:has-text('Submit for approval')")
    assert analyst.locator("#status").inner_text() == "Submitted for approval"

    approver = signed_in(browser, base, "approver")
    open_statement(approver)
    approver.fill("#comment", "Say which months the homicide figure covers.")
    approver.click("button:has-text('Return to the analyst')")
    assert approver.locator("#status").inner_text() == "Returned to the analyst"

    analyst.reload()
    assert "Say which months the homicide figure covers." in analyst.locator("main").inner_text()
    analyst.locator("textarea[name='homicide.pcc']").fill(
        "Recorded homicides: {homicide.value} in {homicide.period}, as the Home Office counts them.")
    analyst.click("button:has-text('Save')")
    analyst.click("button:has-text('Submit for approval')")

    approver.reload()
    approver.click("button:has-text('Approve and publish')")
    approver.wait_for_url(re.compile(r".*/forces/west-midlands/statement/2024-25-Q1/v1/$"))
    assert "Approved and published as version 1." in approver.locator(".govuk-notification-banner").inner_text()

    # The public, signed in as nobody: the force's page, the version, the document and its downloads.
    public = browser.new_context(viewport={"width": 375, "height": 800}, accept_downloads=True).new_page()
    public.goto(base + "/forces/west-midlands/")
    public.click("main table a")  # the document's link
    public.wait_for_url(re.compile(r".*/v1/$"))
    with public.expect_download() as download:
        public.click("a:text-is('report.json')")
    report = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert report["status"] == "approved"
    assert "as the Home Office counts them" in json.dumps(report["sections"])
    public.click("text=Read the document")
    assert "as the Home Office counts them" in public.locator("main").inner_text()
    assert public.locator(".app-draft-banner").count() == 0  # approved: no draft marking

    pub = Publication.objects.get()
    assert pub.version == 1 and pub.superseded_by is None
    actions = list(AuditEntry.objects.order_by("at", "id").values_list("username", "action"))
    assert actions == [("analyst", "commentary.edit"), ("analyst", "draft.submit"), ("approver", "draft.return"),
                       ("analyst", "commentary.edit"), ("analyst", "draft.submit"),
                       ("approver", "draft.approve"), ("approver", "publication.publish")]
    admin = signed_in(browser, base, "admin")
    admin.goto(base + "/workbench/audit/")
    assert admin.locator("tbody tr").count() == len(actions)
    edit = AuditEntry.objects.filter(action="commentary.edit").order_by("at", "id").last()
    assert edit is not None and "in {homicide.period}" in str(edit.after) and "Home Office" in str(edit.before)


def test_a_second_approval_publishes_version_2_and_version_1_says_so(live_site: str, browser: Any) -> None:
    from django.test import Client

    draft = Draft.objects.get(config_name="west-midlands-2024-25-q1-statement.yaml")
    analyst, approver = Client(), Client()
    analyst.force_login(User.objects.get(username="analyst"))
    approver.force_login(User.objects.get(username="approver"))
    for text in ("First published text.", "Corrected text."):
        analyst.post(f"/workbench/drafts/{draft.pk}/save", {"homicide.pcc": text})
        analyst.post(f"/workbench/drafts/{draft.pk}/submit")
        approver.post(f"/workbench/drafts/{draft.pk}/approve")
    first, second = Publication.objects.order_by("version")
    assert (first.version, second.version, first.superseded_by_id) == (1, 2, second.pk)
    page = browser.new_page()
    page.goto(live_site + "/forces/west-midlands/statement/2024-25-Q1/v1/")
    page.click("text=version 2")
    assert page.url.endswith("/v2/")


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is needed in node_modules (npm ci)")
@pytest.mark.parametrize("width", [1280, 375])
def test_every_kind_of_page_is_accessible_and_does_not_pan_at_375(live_site: str, browser: Any, width: int) -> None:
    from django.test import Client

    draft = Draft.objects.get(config_name="west-midlands-2024-25-q1-statement.yaml")
    analyst, approver = Client(), Client()
    analyst.force_login(User.objects.get(username="analyst"))
    approver.force_login(User.objects.get(username="approver"))
    analyst.post(f"/workbench/drafts/{draft.pk}/submit")
    approver.post(f"/workbench/drafts/{draft.pk}/approve")
    version = "/forces/west-midlands/statement/2024-25-Q1/v1/"
    public_pages = ["/", "/forces/west-midlands/", version, "/forces/west-midlands/measures/homicide/",
                    "/measures/burglary/", "/workbench/login/"]
    bench_pages = ["/workbench/", f"/workbench/drafts/{draft.pk}/", "/workbench/audit/", "/workbench/loads/"]
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)  # to inject axe
    page = context.new_page()
    problems = []
    for path in public_pages:
        problems += _look(page, live_site + path)
    page.goto(live_site + "/workbench/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    for path in bench_pages:
        problems += _look(page, live_site + path)
    assert problems == []


def _look(page: Any, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    found = [f"{url}: {v}" for v in page.evaluate(RUN_AXE)]
    width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width > window:
        found.append(f"{url}: the page is {width} px wide in a {window} px window")
    return found


def test_the_workbench_and_the_public_pages_work_by_keyboard_alone(live_site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(live_site + "/")
    page.keyboard.press("Tab")  # the skip link comes first, and takes the reader to the content
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    page.goto(live_site + "/workbench/login/")
    page.focus("#id_username")
    page.keyboard.type("analyst")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_site + "/workbench/")
    for _ in range(40):  # Tab to the statement's link, then follow it with Enter
        page.keyboard.press("Tab")
        if "National Policing Priorities statement" in page.evaluate("document.activeElement.textContent"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("textarea[name='homicide.pcc']")
    page.focus("textarea[name='homicide.pcc']")
    page.keyboard.type(" Typed from the keyboard.")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Save":
            break
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved 1 change(s).")
    # Every control a keyboard reaches shows where the focus is.
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle !== 'none' || "
                         "getComputedStyle(document.activeElement).boxShadow !== 'none' || "
                         "getComputedStyle(document.activeElement).backgroundColor !== 'rgba(0, 0, 0, 0)'")
