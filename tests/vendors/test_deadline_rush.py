"""The last seconds before a deadline (DESIGN.md §4): a submission is on time when it reached the
server before the deadline, whatever it then waited for; submissions to one challenge do not
wait for one another; the challenge closes only after a grace in which those that arrived in
time are recorded; and the deadline is checked once, so its passing mid-request is no error."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import TransitionRefused
from core.models import AuditEntry
from core.timefmt import format_local, format_local_exact
from tests.factories import ResponseQuestionFactory, VendorMembershipFactory
from tests.vendors.conftest import close, pdf
from vendors import services
from vendors.models import Proposal, ProposalReceipt
from vendors.services import proposals as proposal_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(settings):
    """Production's grace after the deadline (the suite closes at the deadline otherwise)."""
    settings.SUBMISSION_CLOSE_GRACE_SECONDS = 120
    return timedelta(seconds=120)


def _clock_moves_to(monkeypatch, clock, moment):
    """Let the clock pass `moment` once the service has started: as if the request waited."""
    real = proposal_services._share_challenge

    def waiting(challenge_id):
        clock.move_to(moment)
        return real(challenge_id)

    monkeypatch.setattr(proposal_services, "_share_challenge", waiting)


# Arrival decides -------------------------------------------------------------------------------


def test_a_submission_that_arrived_in_time_is_accepted_though_recorded_after_the_deadline(
    draft, dave, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = draft.challenge.submission_deadline
    arrived = deadline - timedelta(milliseconds=300)

    with (
        time_machine.travel(deadline + timedelta(seconds=4), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submitted = services.proposal_submit(proposal=draft, actor=dave, arrived_at=arrived)

    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED
    assert submitted.submitted_at == arrived
    receipt = ProposalReceipt.objects.get(proposal=submitted)
    assert receipt.submitted_at == arrived
    # The digest covers the arrival time the receipt shows.
    payload = services.receipt_payload(submitted, submitted_at=arrived)
    assert services.receipt_digest(payload) == receipt.digest
    (message,) = mailoutbox
    assert f"it reached our server at {format_local_exact(arrived)}" in message.body


def test_a_submission_that_arrived_at_the_deadline_is_refused_whatever_the_queue(draft, dave):
    deadline = draft.challenge.submission_deadline

    # Processed at once, with no wait at all: the arrival alone decides.
    with time_machine.travel(deadline, tick=False), pytest.raises(TransitionRefused) as refused:
        services.proposal_submit(proposal=draft, actor=dave, arrived_at=deadline)

    assert refused.value.messages == [
        f"The submission deadline passed at {format_local(deadline)}; proposals can no longer "
        "be submitted."
    ]
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT
    assert not ProposalReceipt.objects.exists()


def test_a_caller_that_gives_no_arrival_is_judged_by_the_clock(draft, dave):
    deadline = draft.challenge.submission_deadline
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        submitted = services.proposal_submit(proposal=draft, actor=dave)
    assert submitted.submitted_at == deadline - timedelta(seconds=1)


def test_the_api_records_the_arrival_and_accepts_when_the_deadline_passes_mid_request(
    draft, dave, api_as, monkeypatch
):
    """Before: the service and the transition's condition each read the clock; when the deadline
    passed between the two, django-fsm's TransitionNotAllowed escaped as a server error."""
    deadline = draft.challenge.submission_deadline
    client = api_as(dave)
    with time_machine.travel(deadline - timedelta(milliseconds=1), tick=False) as clock:
        _clock_moves_to(monkeypatch, clock, deadline + timedelta(seconds=2))
        response = client.post(f"/api/proposals/{draft.public_id}/submit/", {}, format="json")

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED
    assert draft.submitted_at == deadline - timedelta(milliseconds=1)
    receipts = client.get(f"/api/proposals/{draft.public_id}/receipts/").json()["results"]
    assert datetime.fromisoformat(receipts[0]["submitted_at"]) == deadline - timedelta(
        milliseconds=1
    )


def test_the_api_refuses_a_late_arrival_with_409_and_a_sentence(draft, dave, api_as):
    deadline = draft.challenge.submission_deadline
    with time_machine.travel(deadline, tick=False):
        response = api_as(dave).post(f"/api/proposals/{draft.public_id}/submit/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"The submission deadline passed at {format_local(deadline)}; proposals can no longer "
        "be submitted."
    )
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_the_page_accepts_an_arrival_in_time_and_shows_it_on_the_receipt(
    draft, dave, client, monkeypatch
):
    deadline = draft.challenge.submission_deadline
    arrived = deadline - timedelta(milliseconds=250)
    with time_machine.travel(arrived, tick=False) as clock:
        client.force_login(dave)
        _clock_moves_to(monkeypatch, clock, deadline + timedelta(seconds=1))
        response = client.post(
            f"/vendors/proposals/{draft.public_id}/submit/", {"confirmed": "yes"}, follow=True
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Received by the server" in html
    assert format_local_exact(arrived) in html
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (Proposal.Status.SUBMITTED, arrived)


def test_the_page_refuses_a_late_arrival_with_a_message(draft, dave, client):
    deadline = draft.challenge.submission_deadline
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        client.force_login(dave)
        response = client.post(f"/vendors/proposals/{draft.public_id}/submit/", follow=True)

    assert response.status_code == 200
    assert "The submission deadline passed at" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_a_reconfirmation_is_judged_on_its_arrival_too(submitted, dave):
    deadline = submitted.challenge.submission_deadline
    Proposal.objects.filter(pk=submitted.pk).update(status=Proposal.Status.NEEDS_RECONFIRMATION)
    arrived = deadline - timedelta(seconds=1)

    with time_machine.travel(deadline + timedelta(seconds=3), tick=False):
        again = services.proposal_reconfirm(proposal=submitted, actor=dave, arrived_at=arrived)

    assert (again.status, again.submitted_at) == (Proposal.Status.SUBMITTED, arrived)
    assert ProposalReceipt.objects.filter(proposal=submitted).count() == 2


# Closing after the grace -----------------------------------------------------------------------


def test_the_challenge_does_not_close_during_the_grace_after_its_deadline(
    published_challenge, grace
):
    deadline = published_challenge.submission_deadline
    with (
        time_machine.travel(deadline + grace - timedelta(seconds=1), tick=False),
        pytest.raises(TransitionRefused) as refused,
    ):
        close(published_challenge)

    assert refused.value.messages == [
        "The submission deadline has passed. The challenge closes at "
        f"{format_local(deadline + grace)}, once the submissions that reached the server in "
        "time are recorded."
    ]
    published_challenge.refresh_from_db()
    assert published_challenge.status == "published"


def test_the_challenge_closes_once_the_grace_is_over(published_challenge, grace):
    with time_machine.travel(published_challenge.submission_deadline + grace, tick=False):
        close(published_challenge)
    published_challenge.refresh_from_db()
    assert published_challenge.status == "closed"


def test_the_chronograph_closes_when_the_grace_is_over(published_challenge, grace):
    from procurement.chronograph import pending_steps

    due = {step.name: at for at, step in pending_steps(published_challenge)}
    assert due["close"] == published_challenge.submission_deadline + grace
    assert published_challenge.closes_at == published_challenge.submission_deadline + grace


def test_a_submission_in_time_still_running_in_the_grace_is_received_at_closing(draft, dave, grace):
    challenge = draft.challenge
    deadline = challenge.submission_deadline
    with time_machine.travel(deadline + timedelta(seconds=30), tick=False):
        services.proposal_submit(
            proposal=draft, actor=dave, arrived_at=deadline - timedelta(seconds=1)
        )
    with time_machine.travel(deadline + grace, tick=False):
        close(challenge)

    draft.refresh_from_db()
    assert draft.status == Proposal.Status.RECEIVED


def test_once_closed_even_an_arrival_in_time_is_refused(draft, dave):
    """Past the grace (longer than any request may run) nothing slips in after closing."""
    challenge = draft.challenge
    deadline = challenge.submission_deadline
    with time_machine.travel(deadline, tick=False):
        close(challenge)
        with pytest.raises(TransitionRefused):
            services.proposal_submit(
                proposal=draft, actor=dave, arrived_at=deadline - timedelta(seconds=1)
            )
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.LAPSED


# Queries and the audit chain head --------------------------------------------------------------


def _complete_draft(challenge, user, *, size):
    """A vendor's complete draft with `size` answers and `size` documents."""
    vendor = VendorMembershipFactory(user=user, role="owner").vendor
    proposal = services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
    questions = list(challenge.response_questions.order_by("order"))
    services.proposal_save_answers(
        proposal=proposal,
        actor=user,
        answers={q.pk: f"Answer {n}" for n, q in enumerate(questions[:size])},
    )
    for n in range(size):
        services.document_upload(proposal=proposal, actor=user, title=f"Part {n}", upload=pdf())
    services.price_envelope_save(proposal=proposal, actor=user, amount="1000.00")
    return proposal


def _submit_queries(challenge, user, size, others):
    for _n in range(others):
        other = VendorMembershipFactory(vendor__legal_name=f"Other {_n}").user
        services.proposal_submit(proposal=_complete_draft(challenge, other, size=1), actor=other)
    proposal = _complete_draft(challenge, user, size=size)
    with CaptureQueriesContext(connection) as queries:
        services.proposal_submit(proposal=proposal, actor=user)
    return queries.captured_queries


def test_a_submit_takes_the_same_number_of_queries_however_large(published_challenge, dave, erin):
    for order in range(1, 21):
        ResponseQuestionFactory(challenge=published_challenge, order=order, required=False)

    small = _submit_queries(published_challenge, dave, size=1, others=0)
    large = _submit_queries(published_challenge, erin, size=20, others=5)

    assert len(small) == len(large)
    # Was 41: the content read twice for the guard and once for the digest, the row saved twice.
    assert len(large) <= 25


def test_an_api_submit_reads_the_persons_membership_once(api_as, draft, dave):
    client = api_as(type(dave).objects.get(pk=dave.pk))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/proposals/{draft.public_id}/submit/")

    assert response.status_code == 200, response.content
    role_reads = 'SELECT "vendors_vendormembership"."role"'
    membership_reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(role_reads)
    ]
    # Every permission asks it (the step, the receipt, the sealed reads): one request, one read.
    assert len(membership_reads) == 1, membership_reads


def test_the_chain_head_is_taken_last_in_a_submit(draft, dave):
    with CaptureQueriesContext(connection) as queries:
        services.proposal_submit(proposal=draft, actor=dave)

    statements = [q["sql"] for q in queries.captured_queries]
    head = next(i for i, sql in enumerate(statements) if "core_auditchainhead" in sql)
    # From the head's lock to the end: the entries, the head's update, the savepoint's release.
    after = statements[head:]
    assert "FOR UPDATE" in after[0]
    assert all("core_audit" in sql or sql.startswith("RELEASE SAVEPOINT") for sql in after), after
    assert list(
        AuditEntry.objects.filter(object_id=str(draft.pk), content_type__model="proposal")
        .order_by("-sequence")
        .values_list("transition", flat=True)[:1]
    ) == ["submit"]
