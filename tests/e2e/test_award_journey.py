"""An award and its pilot in a real browser, one context per person: the panel's chair
recommends the best ranked proposal; the recommender cannot approve it, an approver does; the
owner notifies the vendors, who read their result letters, and the unsuccessful one asks for a
debrief; the owner makes the award final once the standstill period is over (the clock is moved
with time-machine, which the live server's thread shares); then the owner starts the pilot and
records measurements that the outcome chart draws against the target.

The starting point (a decided evaluation, both proposals shortlisted, Acme by dave ranked first,
Globex by erin second) and the pilot's plan are built through the services, not the pages.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from challenges import services as challenge_services
from challenges.models import Challenge
from core.roles import APPROVER, STAFF
from core.timefmt import format_day
from evaluation import services as evaluation_services
from evaluation.models import Evaluation
from procurement.models import Award, DebriefRequest, Measurement, Pilot
from procurement.services import pilot as pilot_services
from tests.e2e.conftest import confirm, sign_in
from tests.evaluation.conftest import Field, accept, passes, record_consensus, score_everything
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    EngagementActivityFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    complete_plan,
    set_status,
)
from tests.vendors.conftest import fill_in
from vendors import services as vendor_services
from vendors.models import Proposal

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after the test would drop the role groups migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Warmer homes for tenants of older social housing"
ACME = "Acme Heat Solutions Ltd."
GLOBEX = "Globex Retrofit Co-operative"
WHY = "Ranked first: the strongest technical plan at a fair price."
DEBRIEF = "Please explain how our installation plan was scored."
FOUR_EYES_REFUSAL = (
    "Only an approver who did not recommend this award can approve or reject it; "
    "ask another approver."
)
STANDSTILL_RUNS = re.compile(
    r"^The standstill period runs until .+; the award can be made final only after it ends\.$"
)
INDICATOR = "Average energy burden"
UNIT = "% of income"


def expect_status(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_stage(page, text):
    expect(page.locator("#award-status")).to_have_text(text)


def _submitted_proposal(challenge, user, legal_name, questions, amount):
    vendor = VendorMembershipFactory(user=user, vendor__legal_name=legal_name, role="owner").vendor
    proposal = vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
    fill_in(proposal, user, questions, amount=amount)
    return vendor_services.proposal_submit(proposal=proposal, actor=user)


def decided_evaluation(alice, dave, erin, frank, grace) -> Evaluation:
    """The evaluation suite's chain, step by step: Acme 8 and 7, Globex 6 and 6 from the two
    evaluators, consensus 8 against 6, prices opened, ranked, both proposals shortlisted."""
    challenge = ChallengeFactory(owner=alice, title=TITLE)
    complete_plan(challenge)
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, "approved")
    challenge_services.challenge_transition(challenge=challenge, actor=alice, name="publish")
    challenge.refresh_from_db()
    questions = [
        ResponseQuestionFactory(challenge=challenge, order=1, prompt="Approach", required=True),
        ResponseQuestionFactory(challenge=challenge, order=2, prompt="Team", required=False),
    ]
    acme = _submitted_proposal(challenge, dave, ACME, questions, "100000.00")
    globex = _submitted_proposal(challenge, erin, GLOBEX, questions, "80000.00")
    with time_machine.travel(challenge.submission_deadline, tick=False):
        challenge_services.challenge_transition(challenge=challenge, actor=alice, name="close")
    challenge_services.challenge_transition(
        challenge=challenge, actor=alice, name="start_evaluation"
    )
    field = Field(Evaluation.objects.get(challenge=challenge), acme, globex).refresh()
    evaluation = field.evaluation
    for proposal in (field.acme, field.globex):
        evaluation_services.screening_record(
            evaluation=evaluation, proposal=proposal, actor=alice, results=passes(field)
        )
    due = timezone.now() + timedelta(days=14)
    chair = evaluation_services.panel_assign(
        evaluation=evaluation, actor=alice, evaluator=frank, due_at=due, is_chair=True
    )
    member = evaluation_services.panel_assign(
        evaluation=evaluation, actor=alice, evaluator=grace, due_at=due
    )
    accept(chair, frank)
    accept(member, grace)
    evaluation_services.evaluation_transition(
        evaluation=evaluation, actor=alice, name="start_scoring"
    )
    field.refresh()
    score_everything(field, frank, {field.acme: "8", field.globex: "6"})
    score_everything(field, grace, {field.acme: "7", field.globex: "6"})
    evaluation_services.evaluation_transition(
        evaluation=evaluation, actor=frank, name="open_consensus"
    )
    field.refresh()
    record_consensus(field, frank, {field.acme: "8", field.globex: "6"})
    evaluation_services.consensus_lock(evaluation=evaluation, actor=frank)
    evaluation_services.prices_open(evaluation=field.refresh().evaluation, actor=alice)
    evaluation_services.evaluation_rank(evaluation=field.refresh().evaluation, actor=alice)
    evaluation_services.evaluation_decide(
        evaluation=field.refresh().evaluation, actor=alice, shortlist_size=2
    )
    field.refresh()
    assert field.evaluation.status == Evaluation.Status.DECIDED
    return field.evaluation


def planned_pilot(award, alice) -> Pilot:
    """A pilot from the final award, with one milestone and one indicator (8.5 down to 6)."""
    pilot = pilot_services.pilot_create(award=award, actor=alice)
    pilot_services.milestone_add(
        pilot=pilot,
        actor=alice,
        title="Heat pumps installed in 20 homes",
        due_on=date.today() + timedelta(days=30),
    )
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name=INDICATOR,
        unit=UNIT,
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    return pilot


def shown(day: str) -> str:
    """A date as the pages print it in English."""
    with translation.override("en"):
        return format_day(date.fromisoformat(day))


def open_award_from_the_challenge(page, challenge):
    page.goto(challenge.get_absolute_url())
    page.get_by_role("list", name="Evaluation").get_by_role("link", name="Award").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Award")


def post_from_the_page(page, path):
    """Submit a form the page does not offer, as a hand-made request would (with the CSRF
    token from the cookie): the server must refuse it whatever the page shows."""
    page.evaluate(
        """(path) => {
            const token = document.cookie.split("; ")
                .find((c) => c.startsWith("csrftoken=")).split("=")[1];
            const form = document.createElement("form");
            form.method = "post";
            form.action = path;
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = "csrfmiddlewaretoken";
            input.value = token;
            form.appendChild(input);
            document.body.appendChild(form);
            form.submit();
        }""",
        path,
    )


def test_an_award_is_recommended_approved_notified_made_final_and_piloted(
    new_page, alice, carol, dave, erin, frank, grace
):
    evaluation = decided_evaluation(alice, dave, erin, frank, grace)
    challenge = evaluation.challenge
    # The chair is also staff with approval rights (an approver is staff, DESIGN.md §1):
    # only the four-eyes rule stops him approving his own recommendation.
    frank.groups.add(*Group.objects.filter(name__in=[STAFF, APPROVER]))
    reference = challenge.reference
    letter_path = reverse("procurement:result_letter", kwargs={"reference": reference})

    # The chair opens the award page: the best ranked proposal is offered first.
    chair = new_page()
    sign_in(chair, "frank", PASSWORD)
    open_award_from_the_challenge(chair, challenge)
    recommend = chair.get_by_role("region", name="Recommend an award")
    proposal = recommend.get_by_label("Proposal to recommend")
    expect(proposal.locator("option")).to_have_text([ACME, GLOBEX])
    acme = Proposal.objects.get(challenge=challenge, vendor__legal_name=ACME)
    expect(proposal).to_have_value(str(acme.pk))
    recommend.get_by_label("Why this proposal").fill(WHY)
    recommend.get_by_role("button", name="Recommend").click()
    confirm(chair, "Yes, recommend the award")
    expect_status(chair, "The award is recommended; approvers are asked.")
    expect_stage(chair, "Recommended")
    expect(chair.locator("#award-facts")).to_contain_text(ACME)
    expect(chair.locator("#award-facts")).to_contain_text(WHY)
    award = Award.objects.get(challenge=challenge)
    assert award.recommended_by == frank
    assert award.proposal.vendor.legal_name == ACME

    # Four eyes: the recommender is told another approver decides and is offered no step;
    # a hand-made approval is refused with the reason, and nothing changes.
    expect(
        chair.get_by_text("You recommended this award; another approver must approve or reject it.")
    ).to_be_visible()
    expect(chair.get_by_role("button", name="Approve")).to_have_count(0)
    expect(chair.get_by_role("button", name="Reject")).to_have_count(0)
    post_from_the_page(
        chair, reverse("procurement:award_step", kwargs={"reference": reference, "name": "approve"})
    )
    expect(chair.get_by_role("alert")).to_have_text(FOUR_EYES_REFUSAL)
    expect_stage(chair, "Recommended")
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED

    # The approver finds the request in the inbox, which opens the award, and approves.
    approver = new_page()
    sign_in(approver, "carol", PASSWORD)
    approver.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Inbox")
    ).click()
    request_title = f"An award for {reference} awaits your approval"
    expect(approver.get_by_role("heading", name=request_title)).to_be_visible()
    # The hidden part of the name is a block of its own: Chromium names it "Open : ...".
    approver.get_by_role("button", name=re.compile(rf"^Open\W+{re.escape(request_title)}$")).click()
    expect(approver.get_by_role("heading", level=1)).to_have_text("Award")
    expect(approver.locator("#award-facts")).to_contain_text(WHY)
    approver.get_by_role("button", name="Approve", exact=True).click()
    confirm(approver, "Yes, approve the award")
    expect_status(approver, "The award is approved.")
    expect_stage(approver, "Approved")
    award.refresh_from_db()
    assert award.status == Award.Status.APPROVED
    assert award.approved_by == carol

    # The owner notifies the vendors; the standstill period starts, and making the award
    # final is not offered yet: the page says until when.
    owner = new_page()
    sign_in(owner, "alice", PASSWORD)
    open_award_from_the_challenge(owner, challenge)
    owner.get_by_role("button", name="Notify vendors").click()
    confirm(owner, "Yes, notify the vendors")
    expect_status(owner, "Vendors are notified; the standstill period has started.")
    expect_stage(owner, "Standstill period")
    award.refresh_from_db()
    assert award.status == Award.Status.STANDSTILL
    assert award.standstill_ends_at > timezone.now()
    finalise = owner.get_by_role("region", name="Make final")
    expect(finalise.get_by_role("listitem")).to_have_text(STANDSTILL_RUNS)
    expect(finalise.get_by_role("button")).to_have_count(0)
    # Forced, the step is refused by the server with the same reason, and nothing changes.
    post_from_the_page(
        owner,
        reverse("procurement:award_step", kwargs={"reference": reference, "name": "finalise"}),
    )
    expect(owner.get_by_role("alert")).to_have_text(STANDSTILL_RUNS)
    expect_stage(owner, "Standstill period")
    award.refresh_from_db()
    assert award.status == Award.Status.STANDSTILL

    # The winner's vendor is told in the inbox and reads the letter, with no debrief to ask.
    winner = new_page()
    sign_in(winner, "dave", PASSWORD)
    winner.get_by_role("link", name=re.compile("^Inbox")).click()
    selected = f"Your proposal for {reference} is selected"
    expect(winner.get_by_role("heading", name=selected)).to_be_visible()
    winner.get_by_role("button", name=re.compile(rf"^Open\W+{re.escape(selected)}$")).click()
    expect(winner).to_have_url(re.compile(re.escape(letter_path) + "$"))
    expect(winner.get_by_role("heading", level=1)).to_have_text(selected)
    expect(winner.get_by_role("article")).to_contain_text("The municipality intends to award")
    scores = winner.get_by_role("table", name="Your scores against the selected proposal's")
    expect(scores.get_by_role("columnheader", name="Selected proposal")).to_have_count(0)
    expect(scores.get_by_role("row", name=re.compile("^Rank")).get_by_role("cell")).to_have_text(
        ["1"]
    )
    expect(winner.get_by_role("button", name="Request a debrief")).to_have_count(0)

    # The other vendor reads its result against the winner's and asks for a debrief.
    other = new_page()
    sign_in(other, "erin", PASSWORD)
    other.get_by_role("link", name=re.compile("^Inbox")).click()
    result = f"The result of your proposal for {reference}"
    expect(other.get_by_role("heading", name=result)).to_be_visible()
    other.get_by_role("button", name=re.compile(rf"^Open\W+{re.escape(result)}$")).click()
    expect(other).to_have_url(re.compile(re.escape(letter_path) + "$"))
    expect(other.get_by_role("heading", level=1)).to_have_text(result)
    expect(other.get_by_role("article")).to_contain_text(f"to award {challenge} to {ACME}.")
    expect(other.get_by_role("article")).to_contain_text("Your proposal ranked 2 of 2")
    scores = other.get_by_role("table", name="Your scores against the selected proposal's")
    expect(scores.get_by_role("columnheader", name="Selected proposal")).to_be_visible()
    expect(scores.get_by_role("row", name=re.compile("^Rank")).get_by_role("cell")).to_have_text(
        ["2", "1"]
    )
    debrief = other.get_by_role("region", name="Request a debrief")
    debrief.get_by_label("What you would like explained").fill(DEBRIEF)
    debrief.get_by_role("button", name="Request a debrief").click()
    expect_status(other, "Your debrief request is sent to the municipality.")
    expect(other.get_by_text(re.compile("^You requested a debrief on "))).to_be_visible()
    expect(other.get_by_role("button", name="Request a debrief")).to_have_count(0)
    assert DebriefRequest.objects.get(award=award).message == DEBRIEF

    # The owner sees the request on the award page.
    owner.reload()
    requests = owner.get_by_role("region", name="Debrief requests")
    expect(requests.get_by_role("listitem")).to_have_count(1)
    expect(requests.get_by_role("listitem")).to_contain_text(GLOBEX)
    expect(requests.get_by_role("listitem")).to_contain_text(DEBRIEF)

    # Once the standstill period is over (the live server shares the moved clock), the owner
    # makes the award final.
    award.refresh_from_db()
    after = award.standstill_ends_at + timedelta(minutes=1)
    with time_machine.travel(after, tick=True):
        owner.reload()
        finalise = owner.get_by_role("region", name="Make final")
        expect(finalise.get_by_role("listitem")).to_have_count(0)
        finalise.get_by_label("Reason").fill("Standstill over; no challenge was lodged.")
        finalise.get_by_role("button", name="Make final").click()
        confirm(owner, "Yes, make the award final")
        expect_status(owner, "The award is final.")
        expect_stage(owner, "Final")
    award.refresh_from_db()
    assert award.status == Award.Status.FINAL
    # Stamped by the server with the moved clock: proof that the travel reached its thread.
    assert award.finalised_at >= after
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.AWARDED

    # The pilot is planned through the services; the owner starts it from its page and records
    # two measurements, which the chart draws as points against the target line.
    pilot = planned_pilot(award, alice)
    owner.goto(challenge.get_absolute_url())
    owner.get_by_role("list", name="Evaluation").get_by_role("link", name="Pilot").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Pilot and outcomes")
    owner.get_by_role("button", name="Start the pilot").click()
    expect_status(owner, "The pilot moved on: Start the pilot.")
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.ACTIVE

    measurements = [
        ((date.today() - timedelta(days=60)).isoformat(), "7.25", "Utility bills, spring"),
        ((date.today() - timedelta(days=30)).isoformat(), "6.75", "Utility bills, summer"),
    ]
    for count, (measured_on, value, source) in enumerate(measurements, start=1):
        indicator = owner.get_by_role("article", name=INDICATOR)
        indicator.get_by_label("Value").fill(value)
        indicator.get_by_label("Measured on").fill(measured_on)
        indicator.get_by_label("Source").fill(source)
        indicator.get_by_role("button", name="Record a measurement").click()
        expect_status(owner, "Measurement recorded.")
        chart = owner.get_by_role("img", name=f"{INDICATOR} over time")
        expect(chart.locator(".dots circle")).to_have_count(count)
    assert Measurement.objects.filter(indicator__pilot=pilot).count() == 2

    chart = owner.get_by_role("img", name=f"{INDICATOR} over time")
    expect(chart).to_be_visible()
    expect(chart.locator(".legend text")).to_have_text(["Measured value", "Baseline", "Target"])
    expect(chart.locator(".dots > title")).to_have_text(
        [f"{shown(day)}: {value} {UNIT}" for day, value, _source in measurements]
    )
    table = owner.get_by_role("table", name=f"Measurements of {INDICATOR}")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(1 + len(measurements))
    for index, (day, value, source) in enumerate(measurements, start=1):
        expect(rows.nth(index).get_by_role("cell")).to_have_text(
            [shown(day), f"{value} {UNIT}", source]
        )
