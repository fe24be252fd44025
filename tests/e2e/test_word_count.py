"""The running word count under an answer with a word limit, in a real browser, in English and
French; the server's check on submit stays the rule (tests/vendors)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    complete_plan,
    set_status,
)
from vendors import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def draft():
    challenge = ChallengeFactory()
    complete_plan(challenge)
    ResponseQuestionFactory(
        challenge=challenge, order=1, prompt="Describe your approach", max_words=5
    )
    set_status(challenge, "published")
    membership = VendorMembershipFactory()
    membership.user.set_password(PASSWORD)
    membership.user.save()
    proposal = services.proposal_start(
        challenge=challenge, vendor=membership.vendor, actor=membership.user
    )
    return proposal, membership.user


def test_the_count_follows_the_typing_and_flags_an_answer_over_the_limit(new_page, draft):
    proposal, user = draft
    page = new_page()
    sign_in(page, user.username, PASSWORD)
    page.goto(f"/vendors/proposals/{proposal.public_id}/")

    answer = page.get_by_label("Describe your approach")
    count = page.locator(".word-count")
    expect(count).to_have_text("0 of 5 words")
    answer.fill("Heat pumps for every home")
    expect(count).to_have_text("5 of 5 words")
    answer.fill("Heat pumps for every home, fast")
    expect(count).to_have_text("6 words: 1 over the limit of 5. Shorten it.")
    expect(count).to_have_class("help word-count over-limit")


def test_the_count_reads_in_french(new_page, draft):
    proposal, user = draft
    page = new_page()
    sign_in(page, user.username, PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": page.url}])
    page.goto(f"/vendors/proposals/{proposal.public_id}/")

    page.locator("textarea[data-max-words]").fill("Des thermopompes pour chaque maison")
    expect(page.locator(".word-count")).to_have_text("5 mots sur 5")
