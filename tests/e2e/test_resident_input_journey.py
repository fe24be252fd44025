"""A resident without an account gives input in co-design and feedback during the pilot; the
owner moderates both; the outcomes page shows the feedback. axe-core checks every page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from challenges.models import CommunityInput
from procurement.services import pilot as pilot_services
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, ChallengeFactory, PriorityGroupFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IDEA = "Lend heat pumps to renters, like library books."
FEEDBACK = "The new thermostat's screen is too small for my mother to read."


def test_a_resident_without_an_account_is_heard_in_co_design_and_during_the_pilot(
    new_page, alice, pilot, department
):
    alice.set_password(PASSWORD)
    alice.save()
    PriorityGroupFactory(slug="e2e-renters", name_en="Renters", name_fr="Locataires")
    co_design = set_status(ChallengeFactory(owner=alice, department=department), "co_design")

    # Co-design: the resident gives input without signing in.
    resident = new_page()
    resident.goto(co_design.get_absolute_url())
    resident.get_by_label("Your input").fill(IDEA)
    resident.get_by_label("Your name (optional)").fill("Marie")
    resident.get_by_label("Renters").check()
    resident.get_by_label("The city may publish my input on this page").check()
    resident.get_by_role("button", name="Send my input").click()
    expect(resident.get_by_text("Your input will appear here once a moderator")).to_be_visible()
    expect(resident.get_by_role("region", name="What residents told us")).not_to_contain_text(IDEA)

    # The owner sees where it came from and publishes it.
    staff = new_page()
    sign_in(staff, "alice", PASSWORD)
    staff.goto(co_design.get_absolute_url())
    pending = staff.get_by_role("region", name="Awaiting moderation")
    expect(pending).to_contain_text("no account")
    expect(pending).to_contain_text("Renters")
    pending.get_by_role("button", name="Publish", exact=True).click()
    expect(staff.get_by_text("Input published.")).to_be_visible()

    resident.reload()
    told = resident.get_by_role("region", name="What residents told us")
    expect(told).to_contain_text(IDEA)
    expect(told).to_contain_text("Marie")

    # The pilot runs: the resident gives feedback on the pilot's page, beside its indicators.
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
    reference = pilot.challenge.reference
    resident.goto(f"/challenges/{reference}/pilot/")
    feedback = resident.get_by_role("region", name="What residents say about the pilot")
    feedback.get_by_label("Your feedback on the pilot").fill(FEEDBACK)
    feedback.get_by_label("The city may publish my input on this page").check()
    feedback.get_by_role("button", name="Send my feedback").click()
    expect(resident.get_by_text("Your feedback on the pilot will appear")).to_be_visible()
    expect(resident).to_have_url(f"{resident.url.split('#')[0]}#pilot-feedback")
    assert CommunityInput.objects.get(body=FEEDBACK).stage == "pilot"

    # The owner reads it beside the indicators and publishes it from there.
    staff.goto(f"/challenges/{reference}/pilot/")
    section = staff.get_by_role("region", name="What residents say about the pilot")
    expect(section).to_contain_text(FEEDBACK)
    section.get_by_role("button", name="Publish", exact=True).click()
    expect(staff.get_by_text("Input published.")).to_be_visible()
    expect(staff).to_have_url(f"{staff.url.split('#')[0]}#pilot-feedback")

    # The outcomes page shows what residents said about the pilot.
    resident.goto(f"/challenges/{reference}/outcomes/")
    said = resident.get_by_role("region", name="What residents said about the pilot")
    expect(said).to_contain_text(FEEDBACK)
    expect(said).to_contain_text("A resident")
