"""What closing and material addenda do to proposals (DESIGN.md §3)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from challenges import services as challenge_services
from core.audit_chain import audit_verify
from core.errors import TransitionRefused
from core.models import AuditEntry
from core.workflow import transition_run
from procurement.models import Notification
from tests.factories import VendorMembershipFactory
from tests.vendors.conftest import close, fill_in
from vendors import services
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(submitted, globex, erin, questions):
    """Acme submitted, Globex drafting, Initech awaiting re-confirmation, Umbrella withdrawn."""
    challenge = submitted.challenge
    drafting = services.proposal_start(challenge=challenge, vendor=globex, actor=erin)

    initech = VendorMembershipFactory(vendor__legal_name="Initech")
    reconfirming = fill_in(
        services.proposal_start(challenge=challenge, vendor=initech.vendor, actor=initech.user),
        initech.user,
        questions,
    )
    services.proposal_submit(proposal=reconfirming, actor=initech.user)
    transition_run(instance=reconfirming, name="require_reconfirmation", actor=None)

    umbrella = VendorMembershipFactory(vendor__legal_name="Umbrella")
    withdrawn = fill_in(
        services.proposal_start(challenge=challenge, vendor=umbrella.vendor, actor=umbrella.user),
        umbrella.user,
        questions,
    )
    services.proposal_submit(proposal=withdrawn, actor=umbrella.user)
    services.proposal_withdraw(proposal=withdrawn, actor=umbrella.user)
    return {
        "submitted": submitted,
        "drafting": drafting,
        "reconfirming": reconfirming,
        "withdrawn": withdrawn,
    }


def statuses(field):
    return {name: Proposal.objects.get(pk=p.pk).status for name, p in field.items()}


def test_closing_receives_submitted_proposals_and_lapses_the_rest(field):
    challenge = field["submitted"].challenge
    before = AuditEntry.objects.count()

    with time_machine.travel(challenge.submission_deadline, tick=False):
        close(challenge)

    assert statuses(field) == {
        "submitted": "received",
        "drafting": "lapsed",
        "reconfirming": "lapsed",
        "withdrawn": "withdrawn",
    }
    entries = AuditEntry.objects.filter(sequence__gt=before).order_by("sequence")
    assert [(e.transition, e.target, e.actor_label) for e in entries] == [
        ("close", "closed", "alice"),
        ("receive", "received", "system"),
        ("lapse", "lapsed", "system"),
        ("lapse", "lapsed", "system"),
    ]
    assert {e.metadata.get("challenge_id") for e in entries[1:]} == {challenge.pk}
    count, breaks = audit_verify()
    assert breaks == [] and count == AuditEntry.objects.count()


def test_a_refused_close_leaves_every_proposal_as_it_was(field):
    challenge = field["submitted"].challenge
    with pytest.raises(TransitionRefused):
        close(challenge)
    assert statuses(field) == {
        "submitted": "submitted",
        "drafting": "draft",
        "reconfirming": "needs_reconfirmation",
        "withdrawn": "withdrawn",
    }


def test_closing_leaves_other_challenges_alone(field, published_challenge):
    from tests.factories import ChallengeFactory, set_status

    other = set_status(ChallengeFactory(owner=published_challenge.owner), "published")
    elsewhere = services.proposal_start(
        challenge=other, vendor=field["submitted"].vendor, actor=field["submitted"].created_by
    )
    with time_machine.travel(published_challenge.submission_deadline, tick=False):
        close(published_challenge)
    elsewhere.refresh_from_db()
    assert elsewhere.status == "draft"


def issue_addendum(challenge, *, changes_terms, capture, **dates):
    addendum = challenge_services.addendum_create(
        challenge=challenge,
        actor=challenge.owner,
        title="Data residency",
        body="Hosting must be in Canada.",
        changes_terms=changes_terms,
        **dates,
    )
    with capture(execute=True):
        return challenge_services.addendum_issue(addendum=addendum, actor=challenge.owner)


def addendum_notices(user) -> list:
    """What the addendum told this person: inbox notifications, each emailed once as well."""
    return list(Notification.objects.filter(recipient=user, kind="addendum_issued"))


def test_a_material_addendum_asks_submitted_proposals_to_reconfirm(
    field, django_capture_on_commit_callbacks
):
    challenge = field["submitted"].challenge
    colleague = VendorMembershipFactory(vendor=field["submitted"].vendor, role="member")
    mail.outbox.clear()

    issue_addendum(challenge, changes_terms=True, capture=django_capture_on_commit_callbacks)

    assert statuses(field) == {
        "submitted": "needs_reconfirmation",
        "drafting": "draft",
        "reconfirming": "needs_reconfirmation",
        "withdrawn": "withdrawn",
    }
    entry = AuditEntry.objects.filter(transition="require_reconfirmation").latest("sequence")
    assert (entry.actor_label, entry.metadata["addendum_number"]) == ("system", 1)
    assert entry.reason == "Addendum 1 changed the terms or dates."
    # One message per person: the vendors whose proposal must be re-confirmed are told what to
    # do in the addendum's notice itself, not in a second email.
    for person in (field["submitted"].created_by, colleague.user):
        (message,) = addendum_notices(person)
        assert "Addendum 1" in message.title and "re-confirm" in message.title
        assert "before the submission deadline" in message.body
    # The vendors' app sends no email of its own about it any more.
    assert not [m for m in mail.outbox if "Re-confirm" in m.subject]
    # A vendor still drafting reads the addendum, without being asked to re-confirm anything.
    (notice,) = addendum_notices(field["drafting"].created_by)
    assert "re-confirm your proposal" not in notice.title


def test_a_new_submission_deadline_is_material_too(field, django_capture_on_commit_callbacks):
    challenge = field["submitted"].challenge
    issue_addendum(
        challenge,
        changes_terms=False,
        capture=django_capture_on_commit_callbacks,
        new_submission_deadline=challenge.submission_deadline + timedelta(days=7),
    )
    assert statuses(field)["submitted"] == "needs_reconfirmation"


def test_a_clarification_changes_no_proposal(field, django_capture_on_commit_callbacks):
    challenge = field["submitted"].challenge
    mail.outbox.clear()

    issue_addendum(challenge, changes_terms=False, capture=django_capture_on_commit_callbacks)

    assert statuses(field)["submitted"] == "submitted"
    (notice,) = addendum_notices(field["submitted"].created_by)
    assert "re-confirm" not in notice.title and "re-confirm" not in notice.body


def test_reconfirming_after_an_addendum_resubmits_with_a_new_receipt(
    field, dave, django_capture_on_commit_callbacks
):
    proposal = field["submitted"]
    first = proposal.receipt_digest
    challenge = proposal.challenge
    with time_machine.travel(proposal.submitted_at + timedelta(hours=1), tick=False):
        issue_addendum(challenge, changes_terms=True, capture=django_capture_on_commit_callbacks)
        services.proposal_reconfirm(proposal=proposal, actor=dave)

    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert proposal.receipt_digest not in ("", first)
    assert proposal.receipts.count() == 2
    assert services.receipt_matches(proposal)
    with time_machine.travel(challenge.submission_deadline, tick=False):
        close(challenge)
    proposal.refresh_from_db()
    assert proposal.status == "received"
