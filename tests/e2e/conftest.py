"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.roles import ROLE_LABELS
from tests.e2e.axe import AxeWatch

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make for
# set-up and checks happen outside it, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests and was not found at {CHROMIUM}.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # DEBUG=0 marks cookies Secure; the live server speaks plain http, where they would be lost.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _roles(request):
    """Recreate the role groups: a transactional test's flush empties what migrations made."""
    if not request.node.get_closest_marker("django_db"):
        return
    from django.contrib.auth.models import Group

    request.getfixturevalue("db")
    for name in ROLE_LABELS:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a fresh browser context (its own cookies) per person in a journey. axe-core checks
    every page the journey shows (tests/e2e/axe.py); a violation fails the test."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-CA")
        # A step that leaves a page waits for axe to finish checking it.
        context.set_default_timeout(20_000)
        contexts.append((context, AxeWatch(context, live_server.url)))
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    problems = []
    for index, (context, watch) in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for page in context.pages:
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{index}.png"))
        else:
            watch.finish(context)
            problems.extend(watch.problems)
        context.unroute_all(behavior="ignoreErrors")
        context.close()
    if problems:
        pytest.fail("axe-core found accessibility violations:\n" + "\n".join(problems))


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def local_input(moment) -> str:
    """The value a datetime-local field takes: wall-clock time in the municipality's zone."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%dT%H:%M")


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def confirm(page, button):
    """Confirm a one-way step: with script its <dialog> asks in place, without script the
    confirmation page asks; either way it says what will happen before `button` is pressed."""
    asking = page.get_by_role("dialog").or_(page.locator("section.confirm"))
    expect(asking).to_be_visible()
    expect(asking).to_contain_text("What cannot be undone")
    asking.get_by_role("button", name=button, exact=True).click()
