"""The data governance record in a real browser (docs/data-governance.md): the owner fills it,
review refuses it while it is incomplete and says why, the approver weighs its risks beside the
statement, and once the challenge is public a visitor reads it without its confidential part.

Locators go by role and label, as in the other journeys.
"""

import pytest
from playwright.sync_api import expect

from challenges.models import DataGovernanceRecord
from tests.e2e.conftest import confirm, sign_in
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    DataSharingFactory,
    EngagementActivityFactory,
    complete_plan,
    set_status,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DATASET = "Households subscribed to flood alerts"
OUTSIDE = "Personal information is stored outside Canada."
SECRET_PARTY = "Riverbend Fire Department"
WHERE_QUESTION = "Where will the municipality's data be stored and processed?"
EXIT_CRITERION = "Returns all data in open formats at exit"


def expect_status(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_the_owner_fills_the_record_the_approver_weighs_its_risks_and_the_public_reads_it(
    new_page, alice, carol, department
):
    challenge = ChallengeFactory(
        owner=alice, department=department, title="Flood alerts that reach every household"
    )
    challenge = set_status(challenge, "co_design")
    complete_plan(challenge)
    EngagementActivityFactory(challenge=challenge)
    record_url = f"/challenges/{challenge.reference}/data-governance/"

    # The owner lists a personal dataset.
    staff = new_page()
    sign_in(staff, "alice", PASSWORD)
    staff.goto(record_url)
    expect(staff.get_by_role("heading", level=1, name="Data governance record")).to_be_visible()
    staff.get_by_role("link", name="Add a dataset").click()
    staff.get_by_label("Dataset or data category").fill(DATASET)
    staff.get_by_label("What it is").fill("Names, addresses and phone numbers of subscribers.")
    staff.get_by_label("Personal information").select_option(
        label="Identifiable personal information"
    )
    staff.get_by_label("Who provides it").fill("Residents, when they subscribe")
    staff.get_by_label("Who owns what the solution produces from it").fill("The municipality")
    staff.get_by_role("button", name="Save", exact=True).click()
    data = staff.get_by_role("region", name="Data", exact=True)
    expect(data).to_contain_text(DATASET)

    # Storage outside Canada, with its reason, but the record is not finished yet.
    form = staff.get_by_role("region", name="Privacy, technology and exit")
    form.get_by_label("Where the data is stored").select_option(label="Outside Canada")
    form.get_by_label("Why it is stored there").fill(
        "The alerting service's only data centre is in Virginia."
    )
    form.get_by_role("button", name="Save the record").click()
    status = staff.get_by_role("region", name="Completeness and risks")
    expect(status).to_contain_text(OUTSIDE)
    expect(status).to_contain_text("state the legal authority")

    # Review is not offered while the record is incomplete; the page says what is missing.
    staff.goto(challenge.get_absolute_url())
    expect(staff.get_by_text("Not yet possible: Submit for review")).to_be_visible()
    expect(staff.get_by_role("main")).to_contain_text("state the legal authority")
    expect(staff.get_by_role("button", name="Submit for review")).to_have_count(0)

    # The owner completes it.
    staff.goto(record_url)
    form = staff.get_by_role("region", name="Privacy, technology and exit")
    form.get_by_label("Legal authority for collection").fill("Emergency Measures Act, s. 10.")
    form.get_by_label("Retention period").fill("While the household stays subscribed.")
    form.get_by_label("Privacy impact assessment").select_option(label="In progress")
    form.get_by_label("Accessibility standard required").select_option(label="WCAG 2.1 level AA")
    form.get_by_label("All data returned in open formats at the end").check()
    form.get_by_role("button", name="Save the record").click()
    status = staff.get_by_role("region", name="Completeness and risks")
    expect(status).to_contain_text("The record is complete")
    expect(status).to_contain_text(OUTSIDE)  # a risk, not a blocker
    # A sharing the public must not see (written directly: the row form is covered elsewhere).
    DataSharingFactory(
        record=DataGovernanceRecord.objects.get(challenge=challenge),
        party=SECRET_PARTY,
        confidential=True,
        confidential_reason="Says where people who cannot leave alone live.",
    )

    # From the record come proposed questions and criteria; the owner accepts one of each.
    staff.goto(challenge.get_absolute_url())
    staff.get_by_role("link", name="Questions vendors answer", exact=True).click()
    proposed = staff.get_by_role("region", name="Questions the data governance record proposes")
    proposed.get_by_role("button", name=f"Add “{WHERE_QUESTION}”").click()
    expect(staff.get_by_role("main")).to_contain_text(WHERE_QUESTION)
    expect(proposed.get_by_role("button", name=f"Add “{WHERE_QUESTION}”")).to_have_count(0)
    staff.goto(challenge.get_absolute_url())
    staff.get_by_role("link", name="Evaluation plan", exact=True).click()
    proposed = staff.get_by_role("region", name="Criteria the data governance record proposes")
    proposed.get_by_role("button", name=f"Add “{EXIT_CRITERION}”").click()
    expect(proposed.get_by_role("button", name=f"Add “{EXIT_CRITERION}”")).to_have_count(0)
    assert challenge.response_questions.filter(governance_key="data_location").exists()

    staff.goto(challenge.get_absolute_url())
    staff.get_by_role("button", name="Submit for review").click()
    expect_status(staff, "The challenge is now “In review”")

    # The approver sees the record and its risk beside the statement.
    approver = new_page()
    sign_in(approver, "carol", PASSWORD)
    approver.goto(challenge.get_absolute_url())
    under_review = approver.get_by_role("region", name="Data governance record under review")
    expect(under_review).to_contain_text(DATASET)
    expect(under_review).to_contain_text(OUTSIDE)
    approver.get_by_role("button", name="Approve").click()
    confirm(approver, "Yes, approve the challenge")
    expect_status(approver, "The challenge is now “Approved”")

    # Published, the record is public on the challenge page, minus its confidential row.
    set_status(challenge, "published")
    visitor = new_page()
    visitor.goto(challenge.get_absolute_url())
    public = visitor.get_by_role("region", name="Data governance", exact=True)
    expect(public).to_contain_text(DATASET)
    expect(public).to_contain_text("Outside Canada")
    expect(visitor.get_by_role("main")).not_to_contain_text(SECRET_PARTY)
