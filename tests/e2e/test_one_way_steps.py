"""A one-way step asks first on a phone, in French: with script in a dialog, without script on a
confirmation page; both fit 320 px, say what cannot be undone, and act only when confirmed."""

import pytest
from playwright.sync_api import expect

from challenges.models import Challenge
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Le conseil a retiré le financement."


def phone_in_french(browser, live_server, *, script):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-CA",
        viewport={"width": 320, "height": 740},
        java_script_enabled=script,
    )
    context.set_default_timeout(10_000)
    return context


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button").click()
    expect(page.get_by_text(username, exact=True)).to_be_visible()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 320


def status_of(challenge):
    return Challenge.objects.values_list("status", flat=True).get(pk=challenge.pk)


@pytest.mark.parametrize("script", [True, False], ids=["dialog", "page"])
def test_cancelling_asks_first_in_french_at_320_px(
    browser, live_server, published_challenge, script
):
    context = phone_in_french(browser, live_server, script=script)
    try:
        page = context.new_page()
        sign_in(page, "alice")
        page.goto(published_challenge.get_absolute_url())
        assert page.locator("html").get_attribute("lang") == "fr"

        # Cancelling stands apart, last, under its own heading.
        stop = page.get_by_role("region", name="Arrêter ce défi")
        expect(stop).to_be_visible()
        stop.locator("textarea").fill(REASON)
        stop.get_by_role("button", name="Annuler le défi").click()

        asking = page.get_by_role("dialog") if script else page.locator("section.confirm")
        expect(asking).to_be_visible()
        expect(asking).to_contain_text(f"Annuler {published_challenge.reference}?")
        expect(asking).to_contain_text("Ce qui va se passer")
        expect(asking).to_contain_text("Ce qui ne pourra pas être annulé")
        expect(asking).to_contain_text("Un défi annulé ne peut pas être rouvert")
        # The confirmation page fits; the dialog fits the screen, whatever the page under it does.
        if not script:
            assert fits(page)
        box = asking.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"confirm-cancel-fr-320-{page_kind(script)}.png"))
        assert status_of(published_challenge) == Challenge.Status.PUBLISHED

        if script:
            # Going back closes the dialog and changes nothing; asking again still works.
            asking.get_by_role("button", name="Revenir en arrière").click()
            expect(asking).to_be_hidden()
            assert status_of(published_challenge) == Challenge.Status.PUBLISHED
            stop.get_by_role("button", name="Annuler le défi").click()
            expect(asking).to_be_visible()
        else:
            expect(asking).to_contain_text(REASON)

        asking.get_by_role("button", name="Oui, annuler le défi").click()

        expect(page.locator(".notice-bad")).to_contain_text(REASON)
        assert status_of(published_challenge) == Challenge.Status.CANCELLED
    finally:
        context.close()


def page_kind(script: bool) -> str:
    return "dialog" if script else "page"
