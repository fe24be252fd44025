"""The owner attaches and withdraws a document on a phone, in English and in French; a visitor
then reads it on the challenge page. Every page fits 320 px and passes axe (tests/e2e/axe.py)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from challenges.models import Document
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = 320


def fits(page) -> bool:
    # Measured once the stylesheet applies: before it, a digest does not wrap yet.
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button").click()
    expect(page.get_by_text(username, exact=True)).to_be_visible()


@pytest.mark.parametrize(
    "language, attach, withdraw, reason_label",
    [
        ("en", "Attach the document", "Yes, withdraw the document", "Why it is withdrawn"),
        ("fr", "Joindre le document", "Oui, retirer le document", "Pourquoi il est retiré"),
    ],
)
def test_the_owner_attaches_and_withdraws_a_document_on_a_phone(
    new_page, live_server, published_challenge, tmp_path, language, attach, withdraw, reason_label
):
    counts = Path(tmp_path) / "counts.csv"
    counts.write_text("street,count\nKing,120\nQueen,80\n", encoding="utf-8")
    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": 740})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    sign_in(page, "alice")
    page.goto(f"/challenges/{published_challenge.reference}/documents/")
    assert fits(page)

    # The challenge is published: its own documents are fixed, so attach to the governance
    # record's privacy impact assessment, which may come later.
    page.locator("#id_place").select_option("governance")
    page.locator("#id_title").fill("Traffic counts")
    page.locator("#id_kind").select_option("x_privacyImpactAssessment")
    page.locator("#id_file").set_input_files(str(counts))
    page.get_by_role("button", name=attach).click()

    document = Document.objects.get()
    card = page.locator(f"#document-{document.public_id}")
    expect(card).to_contain_text(document.sha256)
    assert fits(page)

    card.get_by_label(reason_label).fill("Wrong year")
    card.get_by_role("button").click()
    # The one-way step asks first, in the page's language, then withdraws.
    asking = page.get_by_role("dialog").or_(page.locator("section.confirm"))
    expect(asking).to_be_visible()
    asking.get_by_role("button", name=withdraw, exact=True).click()

    expect(page.locator(f"#document-{document.public_id}")).to_contain_text("Wrong year")
    document.refresh_from_db()
    assert document.withdrawal_reason == "Wrong year"
    assert fits(page)

    visitor = new_page()
    visitor.set_viewport_size({"width": WIDTH, "height": 740})
    visitor.goto(published_challenge.get_absolute_url())
    assert fits(visitor)
