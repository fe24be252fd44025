"""One resident, one challenge, from co-design to the pilot's outcomes: input given without an
account, the challenge followed by e-mail (double opt-in), news of the award and of the pilot's
start, feedback during the pilot; the owner moderates; the outcomes page shows "you said, we
did" and the reach ledger. axe-core checks every page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from challenges import theme_services
from challenges.models import CommunityInput
from procurement.models import OutgoingEmail
from procurement.services import award as award_services
from procurement.services import pilot as pilot_services
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    ActivityReachFactory,
    EngagementActivityFactory,
    PriorityGroupFactory,
    ReachTargetFactory,
    set_status,
)
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IDEA = "Lend heat pumps to renters, like library books."
FEEDBACK = "The new thermostat's screen is too small for my mother to read."
ADDRESS = "marie@example.org"


def latest_link(address: str) -> tuple[str, str]:
    """The subject of the newest e-mail to `address` and the path of its first link."""
    email = OutgoingEmail.objects.filter(to=address).latest("pk")
    return email.subject, re.search(r"https?://[^/\s]+(/\S*)", email.body).group(1)


def test_a_resident_is_heard_and_kept_informed_from_co_design_to_the_pilot(
    new_page, alice, frank, carol, decided
):
    alice.set_password(PASSWORD)
    alice.save()
    challenge = decided.challenge
    renters = PriorityGroupFactory(slug="e2e-renters", name_en="Renters", name_fr="Locataires")
    # The pipeline's fixtures start at publication: the challenge is first shown as it was in
    # co-design, then put back where the evaluation left it.
    where_it_was = challenge.status
    set_status(challenge, "co_design")

    # Co-design: the resident gives input without signing in...
    resident = new_page()
    resident.goto(challenge.get_absolute_url())
    resident.get_by_label("Your input").fill(IDEA)
    resident.get_by_label("Your name (optional)").fill("Marie")
    resident.get_by_label("Renters").check()
    resident.get_by_label("The city may publish my input on this page").check()
    resident.get_by_role("button", name="Send my input").click()
    expect(resident.get_by_text("Your input will appear here once a moderator")).to_be_visible()
    expect(resident.get_by_role("region", name="What residents told us")).not_to_contain_text(IDEA)

    # ...and follows the challenge by e-mail: nothing is sent until the address confirms.
    resident.get_by_role("link", name="Follow by e-mail, without an account").click()
    resident.get_by_label("Your e-mail address").fill(ADDRESS)
    resident.get_by_label("English").check()
    resident.get_by_role("button", name="Send me the confirmation link").click()
    expect(resident.get_by_role("status")).to_contain_text("we sent it a link to confirm")
    _subject, confirm = latest_link(ADDRESS)
    resident.goto(confirm)
    resident.get_by_role("button", name="Confirm").click()
    expect(resident.get_by_role("status")).to_contain_text("Confirmed.")

    # The owner sees where the input came from and publishes it.
    staff = new_page()
    sign_in(staff, "alice", PASSWORD)
    staff.goto(challenge.get_absolute_url())
    pending = staff.get_by_role("region", name="Awaiting moderation")
    expect(pending).to_contain_text("no account")
    expect(pending).to_contain_text("Renters")
    pending.get_by_role("button", name="Publish", exact=True).click()
    expect(staff.get_by_text("Input published.")).to_be_visible()
    resident.goto(challenge.get_absolute_url())
    told = resident.get_by_role("region", name="What residents told us")
    expect(told).to_contain_text(IDEA)
    expect(told).to_contain_text("Marie")
    set_status(challenge, where_it_was)

    # The winner is chosen (four eyes, then the letters): the follower is told, once.
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award = award_services.award_notify(award=award, actor=alice)
    subject, outcomes = latest_link(ADDRESS)
    assert f"The winner of {challenge.reference} is chosen" in subject
    resident.goto(outcomes)
    expect(resident.get_by_role("region", name="What the city bought, and why")).to_contain_text(
        award.proposal.vendor.legal_name
    )

    # The pilot starts: the follower is told, and gives feedback on the pilot's page.
    with time_machine.travel(award.standstill_ends_at, tick=False):
        award_services.award_finalise(award=award, actor=alice)
    pilot = pilot_services.pilot_create(award=award, actor=alice)
    pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=date.today() + timedelta(30)
    )
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")
    subject, _outcomes = latest_link(ADDRESS)
    assert f"The pilot of {challenge.reference} started" in subject
    assert OutgoingEmail.objects.filter(to=ADDRESS).count() == 3  # confirmation, award, pilot

    resident.goto(f"/challenges/{challenge.reference}/pilot/")
    feedback = resident.get_by_role("region", name="What residents say about the pilot")
    feedback.get_by_label("Your feedback on the pilot").fill(FEEDBACK)
    feedback.get_by_label("The city may publish my input on this page").check()
    feedback.get_by_role("button", name="Send my feedback").click()
    expect(resident.get_by_text("Your feedback on the pilot will appear")).to_be_visible()
    expect(resident).to_have_url(f"{resident.url.split('#')[0]}#pilot-feedback")
    assert CommunityInput.objects.get(body=FEEDBACK).stage == "pilot"

    # The owner reads it beside the indicators and publishes it from there.
    staff.goto(f"/challenges/{challenge.reference}/pilot/")
    section = staff.get_by_role("region", name="What residents say about the pilot")
    expect(section).to_contain_text(FEEDBACK)
    section.get_by_role("button", name="Publish", exact=True).click()
    expect(staff.get_by_text("Input published.")).to_be_visible()

    # What the owner did with what residents said, and whom co-design reached.
    theme_services.theme_create(
        challenge=challenge,
        actor=alice,
        title_en="Renters cannot change their heating",
        you_said_en="Renters asked for equipment they can take with them.",
        outcome="pilot_measure",
        we_did_en="The pilot lends portable heat pumps to 20 renter households.",
    )
    ReachTargetFactory(challenge=challenge, group=renters, target=30)
    activity = EngagementActivityFactory(challenge=challenge, participants=14)
    ActivityReachFactory(activity=activity, group=renters, participants=12)

    # The outcomes page shows the feedback, "you said, we did" and the reach ledger.
    resident.goto(f"/challenges/{challenge.reference}/outcomes/")
    said = resident.get_by_role("region", name="What residents said about the pilot")
    expect(said).to_contain_text(FEEDBACK)
    you_said = resident.get_by_role("region", name="You said, we did")
    expect(you_said).to_contain_text("Renters cannot change their heating")
    expect(you_said).to_contain_text("portable heat pumps")
    ledger = resident.get_by_role("region", name="Reach per priority group")
    expect(ledger.get_by_role("row", name=re.compile("Renters"))).to_contain_text("18")
    expect(resident.get_by_text("One priority group is under its target")).to_be_visible()
