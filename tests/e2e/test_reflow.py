"""Reflow at 320 CSS pixels (WCAG 2.1, 1.4.10) and axe-core on every page, for each role, in
English and French.

The demo data (`seed_demo`) has a challenge at every stage, evaluations, an award, a pilot and
vendors' proposals. Each person starts from the pages the site's header and menus lead to and
follows the site's own links from there, so a new page is walked as soon as something links to
it. Each kind of page (URL name) is opened a few times per person, with different objects, to
keep the walk short.
"""

from collections import Counter
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e import axe
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = 320
# The demo's people, one per role; None is a visitor who has not signed in.
PEOPLE = [None, "vendor", "evaluator", "staff", "approver"]
START = [
    "/",
    "/open-data/",
    "/dashboard/",
    "/inbox/",
    "/inbox/preferences/",
    "/vendors/",
    "/vendors/register/",
    "/evaluation/mine/",
    "/accounts/tokens/",
    "/audit/head/",
    "/api/docs/",
    "/no-such-page/",
]
ANONYMOUS_START = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
]
# Files, feeds and machine-readable answers rather than pages, and the admin site (Django's own).
NOT_PAGES = (".csv", ".ics", ".json", ".atom", "/download/", "/documents/", "/logout/")
NOT_PAGE_PREFIXES = ("/admin/", "/i18n/", "/static/", "/media/")
PER_KIND = 2

LINKS = """() => Array.from(document.querySelectorAll("a[href]"), (link) => link.href)"""
WIDTH_AND_CULPRITS = """(limit) => ({
  width: document.documentElement.scrollWidth,
  culprits: Array.from(document.querySelectorAll("body *"))
    .filter((element) => element.getBoundingClientRect().right > limit + 0.5)
    .filter((element) => !element.closest(".table-scroll, .visually-hidden"))
    .slice(0, 5)
    .map((element) => element.tagName.toLowerCase()
      + (element.id ? "#" + element.id : "")
      + (element.className && typeof element.className === "string"
        ? "." + element.className.trim().split(/\\s+/).join(".") : "")
      + " " + JSON.stringify((element.textContent || "").trim().slice(0, 40))),
})"""


def kind_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def is_page(path: str) -> bool:
    if path.startswith("/api/"):
        return path == "/api/docs/"
    return not path.endswith(NOT_PAGES) and not path.startswith(NOT_PAGE_PREFIXES)


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=StringIO())
    for user in get_user_model().objects.filter(username__in=[p for p in PEOPLE if p]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def walk(page, origin: str, starts: list[str], problems: list[str], audited: set) -> int:
    """Open the start pages and the pages they link to; return how many were checked. axe runs
    on each page whose key (URL name, and the person or language) is not in `audited` yet."""
    queue = list(starts)
    seen = set(queue)
    opened = Counter()
    checked = 0
    while queue:
        path = queue.pop(0)
        kind = kind_of(urlsplit(path).path)
        if kind is not None and opened[kind] >= PER_KIND:
            continue
        opened[kind] += 1
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if page.url.startswith(origin + "/api/docs/"):
            page.locator(".swagger-ui .opblock").first.wait_for()
        checked += 1
        measured = page.evaluate(WIDTH_AND_CULPRITS, WIDTH)
        if measured["width"] > WIDTH:
            problems.append(
                f"{page.url} is {measured['width']} px wide at {WIDTH} px; "
                f"past the edge: {', '.join(measured['culprits'])}"
            )
        if (kind, path) not in audited:
            audited.add((kind, path))
            found = axe.violations(page)
            if found:
                problems.append(axe.describe(page.url, found))
        for href in page.evaluate(LINKS):
            url, _fragment = urldefrag(href)
            if not url.startswith(origin + "/"):
                continue
            target = url[len(origin) :]
            if target not in seen and is_page(urlsplit(target).path):
                seen.add(target)
                queue.append(target)
    return checked


def test_every_page_reflows_at_320_px_and_passes_axe_for_every_role_in_both_languages(
    browser, live_server, demo
):
    problems: list[str] = []
    checked = Counter()
    # axe runs on every page each person opens in English; in French, where only the words
    # change, on each page the walk has not yet had axe check in French (reflow is measured on
    # every page in both languages).
    audited_in_french = set()
    for username in PEOPLE:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": WIDTH, "height": 640},
            locale="en-CA",
        )
        context.set_default_timeout(15_000)
        axe.install(context)
        page = context.new_page()
        if username:
            sign_in(page, username)
        for language in ("en", "fr"):
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            starts = START if username else START + ANONYMOUS_START
            audited = set() if language == "en" else audited_in_french
            checked[username, language] = walk(page, live_server.url, starts, problems, audited)
        context.close()

    assert not problems, "\n".join(problems)
    # The walk reached the pages behind each person's links, not only the start pages.
    for (username, language), count in checked.items():
        assert count > 10, f"only {count} pages opened for {username or 'a visitor'} ({language})"
