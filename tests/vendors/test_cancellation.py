"""Cancelling a challenge cancels the proposals still in play (DESIGN.md §3 Challenge, Proposal).

The challenge's `cancel` runs `vendors.services.closing.proposals_cancel` in its transaction: every
draft, submitted, to-be-reconfirmed, received, qualified or shortlisted proposal moves to
`cancelled`, audited as a system step; nothing moves out of it, no price is read afterwards and
no evaluation step goes on.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import Challenge
from core.audit_chain import audit_verify
from core.errors import PermissionDenied, TransitionRefused
from core.models import AuditEntry
from core.workflow import transition_names, transition_run
from evaluation import services as evaluation_services
from evaluation.models import Evaluation, PanelAssignment, RankingEntry
from tests.factories import (
    PriceEnvelopeFactory,
    ProposalFactory,
    UserFactory,
    VendorMembershipFactory,
    evaluation_in,
    panel_member,
    set_status,
)

# The evaluation's chain of fixtures (closed … locked, ranked). Its `submitted` (the panel's scores
# submitted) shadows the vendors' fixture of that name in this module.
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)
from tests.vendors.conftest import fill_in, pdf
from vendors import selectors, services
from vendors.models import PriceEnvelope, Proposal
from vendors.services.closing import proposals_cancel

pytestmark = pytest.mark.django_db

REASON = "Council withdrew the budget for this project."
CANCELLED_MESSAGE = "The municipality cancelled this challenge"
EVALUATION_CANCELLED = "The challenge was cancelled; its evaluation cannot go on."
PRE_PUBLICATION = ("draft", "co_design", "in_review", "approved")


def cancel(challenge, reason=REASON):
    challenge.refresh_from_db()
    return challenge_services.challenge_transition(
        challenge=challenge, actor=challenge.owner, name="cancel", reason=reason
    )


def in_state(challenge, status):
    """The challenge put straight into `status`, with the dates that state implies."""
    fields = {}
    if status not in PRE_PUBLICATION:
        fields["published_at"] = timezone.now() - timedelta(days=30)
    if status in ("closed", "evaluating"):
        fields["closed_at"] = timezone.now() - timedelta(days=1)
    return set_status(challenge, status, **fields)


def proposal_in(challenge, vendor, status, *, amount="98000.00"):
    proposal = ProposalFactory(challenge=challenge, vendor=vendor, created_by=challenge.owner)
    PriceEnvelopeFactory(proposal=proposal, amount=Decimal(amount))
    if status != "draft":
        set_status(proposal, status, submitted_at=timezone.now() - timedelta(days=2))
    return proposal


def last_sequence() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


def new_entries(after: int):
    return list(AuditEntry.objects.filter(sequence__gt=after).order_by("sequence"))


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Which proposals move, from every challenge state cancel is allowed from ----------------------


def test_the_cases_below_cover_every_state_a_challenge_can_be_cancelled_from():
    covered = {*PRE_PUBLICATION, "published", "closed", "evaluating"}
    assert covered == {str(s) for s in Challenge.CANCELLABLE_STATES}
    assert set(Proposal.OPEN_STATES) == {
        "draft",
        "submitted",
        "needs_reconfirmation",
        "received",
        "qualified",
        "shortlisted",
    }


@pytest.mark.parametrize(
    "challenge_state, proposal_state, expected",
    [
        ("published", "draft", "cancelled"),
        ("published", "submitted", "cancelled"),
        ("published", "needs_reconfirmation", "cancelled"),
        ("published", "withdrawn", "withdrawn"),
        ("closed", "received", "cancelled"),
        ("closed", "lapsed", "lapsed"),
        ("closed", "withdrawn", "withdrawn"),
        ("evaluating", "received", "cancelled"),
        ("evaluating", "qualified", "cancelled"),
        ("evaluating", "shortlisted", "cancelled"),
        ("evaluating", "disqualified", "disqualified"),
        ("evaluating", "not_selected", "not_selected"),
        ("evaluating", "lapsed", "lapsed"),
        ("evaluating", "withdrawn", "withdrawn"),
    ],
)
def test_cancelling_the_challenge_cancels_each_proposal_still_in_play(
    challenge, acme, challenge_state, proposal_state, expected
):
    in_state(challenge, challenge_state)
    proposal = proposal_in(challenge, acme, proposal_state)
    before = last_sequence()

    cancel(challenge)

    proposal.refresh_from_db()
    assert proposal.status == expected
    entries = new_entries(before)
    assert (entries[0].transition, entries[0].source, entries[0].target) == (
        "cancel",
        challenge_state,
        "cancelled",
    )
    assert entries[0].actor_label == "alice"
    if expected == "cancelled":
        assert proposal.cancelled_from == proposal_state
        assert REASON in proposal.status_reason
        assert len(entries) == 2
        entry = entries[1]
        assert entry.object_id == str(proposal.pk)
        assert (entry.transition, entry.source, entry.target) == (
            "cancel",
            proposal_state,
            "cancelled",
        )
        assert entry.actor_label == "system" and entry.actor_id is None
        assert REASON in entry.reason
        assert entry.metadata["challenge_id"] == challenge.pk
    else:
        assert proposal.cancelled_from == ""
        assert len(entries) == 1
    count, breaks = audit_verify()
    assert breaks == [] and count == AuditEntry.objects.count()


@pytest.mark.parametrize("challenge_state", PRE_PUBLICATION)
def test_a_challenge_cancelled_before_publication_has_no_proposal_to_cancel(
    challenge, challenge_state
):
    in_state(challenge, challenge_state)
    before = last_sequence()

    cancel(challenge)

    challenge.refresh_from_db()
    assert challenge.status == "cancelled"
    assert [e.transition for e in new_entries(before)] == ["cancel"]


@pytest.fixture
def field(published_challenge, acme, globex, dave, erin, questions):
    """Through the services: Acme submitted, Globex drafting, Initech awaiting re-confirmation,
    Umbrella withdrawn."""
    challenge = published_challenge
    acme_proposal = fill_in(
        services.proposal_start(challenge=challenge, vendor=acme, actor=dave), dave, questions
    )
    services.proposal_submit(proposal=acme_proposal, actor=dave)
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
        "submitted": acme_proposal,
        "drafting": drafting,
        "reconfirming": reconfirming,
        "withdrawn": withdrawn,
    }


def statuses(field):
    return {name: Proposal.objects.get(pk=p.pk).status for name, p in field.items()}


def test_cancelling_through_the_api_cancels_the_open_proposals_in_one_audited_step(
    field, api_as, alice
):
    challenge = field["submitted"].challenge
    before = last_sequence()

    response = api_as(alice).post(
        f"/api/challenges/{challenge.reference}/cancel/", {"reason": REASON}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert statuses(field) == {
        "submitted": "cancelled",
        "drafting": "cancelled",
        "reconfirming": "cancelled",
        "withdrawn": "withdrawn",
    }
    entries = new_entries(before)
    assert [(e.transition, e.source, e.target, e.actor_label) for e in entries] == [
        ("cancel", "published", "cancelled", "alice"),
        ("cancel", "submitted", "cancelled", "system"),
        ("cancel", "draft", "cancelled", "system"),
        ("cancel", "needs_reconfirmation", "cancelled", "system"),
    ]
    count, breaks = audit_verify()
    assert breaks == [] and count == AuditEntry.objects.count()


def test_a_cancel_without_a_reason_is_refused_and_leaves_every_proposal_as_it_was(
    field, api_as, alice
):
    challenge = field["submitted"].challenge
    before = AuditEntry.objects.count()

    response = api_as(alice).post(
        f"/api/challenges/{challenge.reference}/cancel/", {"reason": " "}, format="json"
    )

    assert response.status_code == 400
    challenge.refresh_from_db()
    assert challenge.status == "published"
    assert statuses(field) == {
        "submitted": "submitted",
        "drafting": "draft",
        "reconfirming": "needs_reconfirmation",
        "withdrawn": "withdrawn",
    }
    assert AuditEntry.objects.count() == before


def test_cancelling_leaves_other_challenges_proposals_alone(challenge, department, acme):
    from tests.factories import ChallengeFactory

    in_state(challenge, "published")
    mine = proposal_in(challenge, acme, "submitted")
    other = in_state(ChallengeFactory(owner=challenge.owner, department=department), "published")
    elsewhere = proposal_in(other, acme, "submitted")

    cancel(challenge)

    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (mine.status, elsewhere.status) == ("cancelled", "submitted")


def test_a_cancelled_challenge_cannot_be_cancelled_twice_and_nothing_moves_again(field, alice):
    challenge = field["submitted"].challenge
    cancel(challenge)
    reasons = {p.pk: p.status_reason for p in Proposal.objects.filter(challenge=challenge)}
    before = AuditEntry.objects.count()

    with pytest.raises(TransitionRefused):
        cancel(challenge, reason="Again.")
    challenge.refresh_from_db()
    assert proposals_cancel(instance=challenge, actor=alice) == []

    assert challenge.cancellation_reason == REASON
    assert AuditEntry.objects.count() == before
    assert {p.pk: p.status_reason for p in Proposal.objects.filter(challenge=challenge)} == reasons


# The proposal's own `cancel`: the system's step, only on a cancelled challenge ----------------


@pytest.fixture
def orphan(challenge, acme):
    """A submitted proposal whose challenge was set to cancelled without running the effect."""
    proposal = proposal_in(in_state(challenge, "published"), acme, "submitted")
    set_status(challenge, "cancelled", cancellation_reason=REASON)
    return proposal


@pytest.mark.parametrize(
    "persona", ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "rita", "root"]
)
def test_nobody_runs_a_proposals_cancel_by_hand(orphan, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="automatically"):
        transition_run(instance=orphan, name="cancel", actor=user, reason="By hand.")
    orphan.refresh_from_db()
    assert orphan.status == "submitted"


def test_the_system_cancels_a_proposal_once_its_challenge_is_cancelled(orphan):
    proposal = transition_run(instance=orphan, name="cancel", actor=None, reason=REASON)
    assert (proposal.status, proposal.cancelled_from) == ("cancelled", "submitted")


def test_a_proposal_is_not_cancelled_while_its_challenge_is_not(challenge, acme):
    proposal = proposal_in(in_state(challenge, "published"), acme, "submitted")
    with pytest.raises(TransitionRefused, match="only when its challenge is cancelled"):
        transition_run(instance=proposal, name="cancel", actor=None, reason=REASON)
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


# Nothing moves out of `cancelled` -------------------------------------------------------------


@pytest.fixture
def cancelled(field):
    cancel(field["submitted"].challenge)
    for proposal in field.values():
        proposal.refresh_from_db()
    return field


@pytest.mark.parametrize("name", transition_names(Proposal))
def test_no_transition_leaves_cancelled(cancelled, name):
    proposal = cancelled["submitted"]
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused, match="not possible while the proposal is"):
        transition_run(instance=proposal, name=name, actor=None)
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "which, step",
    [
        ("drafting", lambda p, u: services.proposal_submit(proposal=p, actor=u)),
        ("reconfirming", lambda p, u: services.proposal_reconfirm(proposal=p, actor=u)),
        ("submitted", lambda p, u: services.proposal_withdraw(proposal=p, actor=u)),
        ("reconfirming", lambda p, u: services.proposal_withdraw(proposal=p, actor=u)),
        ("submitted", lambda p, u: services.proposal_revise(proposal=p, actor=u)),
        (
            "drafting",
            lambda p, u: services.proposal_save_answers(proposal=p, actor=u, answers={}),
        ),
        ("drafting", lambda p, u: services.price_envelope_save(proposal=p, actor=u, amount="1")),
        (
            "drafting",
            lambda p, u: services.document_upload(proposal=p, actor=u, title="Plan", upload=pdf()),
        ),
    ],
    ids=[
        "submit",
        "reconfirm",
        "withdraw",
        "withdraw-reconfirming",
        "revise",
        "save-answers",
        "price",
        "upload",
    ],
)
def test_the_vendor_is_told_a_cancelled_proposal_can_no_longer_change(cancelled, which, step):
    proposal = cancelled[which]
    member = proposal.vendor.memberships.get().user
    before = AuditEntry.objects.count()

    with pytest.raises(TransitionRefused, match=CANCELLED_MESSAGE):
        step(proposal, member)

    proposal.refresh_from_db()
    assert proposal.status == "cancelled"
    assert AuditEntry.objects.count() == before


def test_a_document_of_a_cancelled_proposal_cannot_be_removed(cancelled, dave):
    document = cancelled["submitted"].documents.get()
    with pytest.raises(TransitionRefused, match=CANCELLED_MESSAGE):
        services.document_remove(document=document, actor=dave)
    document.refresh_from_db()
    assert document.removed_at is None


def test_someone_else_is_still_refused_as_not_a_member(cancelled, erin):
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=cancelled["submitted"], actor=erin)


# What the vendor sees: pages and API ----------------------------------------------------------


def test_the_proposal_page_explains_the_cancellation_and_offers_no_step(cancelled, client, dave):
    proposal = cancelled["submitted"]
    client.force_login(dave)

    response = client.get(reverse("vendors:proposal", args=[proposal.public_id]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Challenge cancelled" in content
    assert "The challenge was cancelled" in content
    assert "will not be evaluated" in content
    assert REASON in content
    assert proposal.challenge.get_absolute_url() in content
    assert "Save draft" not in content
    for name in ("withdraw", "revise", "reconfirm"):
        assert reverse("vendors:step", args=[proposal.public_id, name]) not in content
    assert reverse("vendors:submit", args=[proposal.public_id]) not in content


def test_a_withdrawn_proposal_on_a_cancelled_challenge_is_not_offered_a_revision(cancelled, client):
    proposal = cancelled["withdrawn"]
    client.force_login(proposal.vendor.memberships.get().user)

    content = client.get(reverse("vendors:proposal", args=[proposal.public_id])).content.decode()

    assert "nothing more will happen to this proposal" in content
    assert REASON in content
    assert "Revise it to make it a draft again" not in content
    assert reverse("vendors:step", args=[proposal.public_id, "revise"]) not in content


def test_the_portal_shows_the_state_and_why(cancelled, client, dave):
    client.force_login(dave)
    content = client.get(reverse("vendors:portal")).content.decode()
    assert "badge-cancelled" in content
    assert "Challenge cancelled" in content
    assert "The municipality cancelled this challenge" in content


@pytest.mark.parametrize("name", ["withdraw", "revise", "reconfirm"])
def test_a_step_posted_from_a_page_is_refused_with_the_reason(cancelled, client, dave, name):
    proposal = cancelled["submitted"]
    client.force_login(dave)

    response = client.post(
        reverse("vendors:step", args=[proposal.public_id, name]), {"confirmed": "yes"}
    )

    assert response.status_code == 302
    assert any(CANCELLED_MESSAGE in m for m in messages_of(response))
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"


def test_submitting_from_the_page_is_refused(cancelled, client, erin):
    proposal = cancelled["drafting"]
    client.force_login(erin)
    url = reverse("vendors:submit", args=[proposal.public_id])

    shown = client.get(url)
    posted = client.post(url, {"confirmed": "yes"})

    assert shown.status_code == 302
    assert any("there is nothing to submit" in m for m in messages_of(shown))
    assert posted.status_code == 302
    assert any(CANCELLED_MESSAGE in m for m in messages_of(posted))
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"


def test_saving_a_cancelled_draft_from_the_page_is_refused(cancelled, client, erin, questions):
    proposal = cancelled["drafting"]
    client.force_login(erin)

    response = client.post(
        reverse("vendors:proposal", args=[proposal.public_id]),
        {f"answer_{questions[0].pk}": "Changed after cancellation.", "amount": "5"},
    )

    assert response.status_code == 302
    assert any(CANCELLED_MESSAGE in m for m in messages_of(response))
    assert not proposal.answers.exists()
    assert not PriceEnvelope.objects.filter(proposal=proposal).exists()


def test_the_api_shows_the_state_and_the_reason(cancelled, api_as, dave):
    proposal = cancelled["submitted"]
    client = api_as(dave)

    detail = client.get(f"/api/proposals/{proposal.public_id}/").json()
    listed = client.get("/api/proposals/").json()

    assert detail["status"] == "cancelled"
    assert detail["status_display"] == "Challenge cancelled"
    assert REASON in detail["status_reason"]
    assert detail["allowed_transitions"] == []
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [(r["id"], r["status"]) for r in rows] == [(str(proposal.public_id), "cancelled")]


@pytest.mark.parametrize("name", ["submit", "withdraw", "revise", "reconfirm"])
def test_the_api_refuses_each_vendor_step_with_409(cancelled, api_as, name):
    proposal = cancelled["drafting" if name == "submit" else "submitted"]
    member = proposal.vendor.memberships.get().user

    response = api_as(member).post(f"/api/proposals/{proposal.public_id}/{name}/", {})

    assert response.status_code == 409, response.content
    assert CANCELLED_MESSAGE in str(response.json())
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"


def test_the_api_refuses_changes_to_a_cancelled_draft(cancelled, api_as, erin, questions):
    proposal = cancelled["drafting"]
    client = api_as(erin)
    url = f"/api/proposals/{proposal.public_id}/"

    answers = client.patch(
        url, {"answers": [{"question": questions[0].pk, "text": "Late."}]}, format="json"
    )
    price = client.put(url + "price/", {"amount": "5.00", "breakdown": []}, format="json")

    assert (answers.status_code, price.status_code) == (409, 409)
    assert not proposal.answers.exists()
    assert not PriceEnvelope.objects.filter(proposal=proposal).exists()


# Sealing: what was sealed stays sealed --------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "root"])
def test_a_proposal_cancelled_before_closing_stays_sealed_from_staff(
    cancelled, client, api_as, persona, request
):
    user = request.getfixturevalue(persona)
    proposal = cancelled["submitted"]
    client.force_login(user)

    assert client.get(reverse("vendors:proposal", args=[proposal.public_id])).status_code == 404
    assert api_as(user).get(f"/api/proposals/{proposal.public_id}/").status_code == 404
    received = client.get(
        reverse("vendors:received_proposals", args=[proposal.challenge.reference])
    )
    assert received.status_code == 404


PRICE_AMOUNTS = ("100000", "100,000", "80000", "80,000")


def price_reads(user, field, client, api_as) -> list[str]:
    """Every place a price could be read by `user`; the ones that showed an amount."""
    leaks = []
    challenge = field.challenge
    api = api_as(user)
    client.force_login(user)
    for proposal in (field.acme, field.globex):
        if selectors.price_envelope_for(proposal=proposal, user=user) is not None:
            leaks.append(f"selector {proposal.vendor}")
        response = api.get(f"/api/proposals/{proposal.public_id}/price/")
        if response.status_code == 200 and response.json()["amount"] is not None:
            leaks.append(f"proposal price API {proposal.vendor}")
    reference = challenge.reference
    for label, response in (
        ("prices page", client.get(reverse("evaluation:prices", args=[reference]))),
        ("results page", client.get(reverse("evaluation:results", args=[reference]))),
        ("results CSV", client.get(reverse("evaluation:results_csv", args=[reference]))),
        ("prices API", api.get(f"/api/evaluations/{reference}/prices/")),
        ("ranking CSV API", api.get(f"/api/evaluations/{reference}/ranking.csv")),
    ):
        body = response.content.decode(errors="replace")
        if response.status_code == 200 and any(amount in body for amount in PRICE_AMOUNTS):
            leaks.append(label)
    return leaks


STAFF_AND_PANEL = ["alice", "bob", "carol", "frank", "grace", "root"]


def test_prices_not_yet_opened_can_never_be_opened_after_cancellation(
    locked, alice, client, api_as, request
):
    cancel(locked.challenge)
    locked.refresh()
    assert (locked.acme.status, locked.acme.cancelled_from) == ("cancelled", "qualified")

    with pytest.raises(TransitionRefused, match=EVALUATION_CANCELLED):
        evaluation_services.prices_open(evaluation=locked.evaluation, actor=alice)

    locked.refresh()
    assert locked.evaluation.status == "consensus"
    assert locked.evaluation.prices_opened_at is None
    for persona in STAFF_AND_PANEL:
        user = request.getfixturevalue(persona)
        assert price_reads(user, locked, client, api_as) == [], persona


def test_prices_opened_before_cancellation_are_no_longer_readable(
    ranked, alice, frank, client, api_as, request
):
    # Before: the owner and the chair read them, so the checks below can tell.
    assert price_reads(alice, ranked, client, api_as) != []
    assert price_reads(frank, ranked, client, api_as) != []

    cancel(ranked.challenge)
    ranked.refresh()

    for persona in STAFF_AND_PANEL:
        user = request.getfixturevalue(persona)
        assert price_reads(user, ranked, client, api_as) == [], persona


def test_the_vendor_still_reads_its_own_price_after_cancellation(locked, dave, api_as):
    cancel(locked.challenge)
    response = api_as(dave).get(f"/api/proposals/{locked.acme.public_id}/price/")
    assert response.status_code == 200
    assert Decimal(response.json()["amount"]) == Decimal("100000.00")


def test_staff_keep_the_technical_envelopes_they_had_received(locked, client, alice, bob):
    cancel(locked.challenge)
    proposal = locked.refresh().acme
    assert proposal.was_received

    client.force_login(alice)
    technical = client.get(reverse("vendors:technical", args=[proposal.public_id]))
    received = client.get(reverse("vendors:received_proposals", args=[locked.challenge.reference]))

    assert technical.status_code == 200
    assert "nobody at the municipality can read its price" in technical.content.decode()
    assert received.status_code == 200
    assert str(proposal.public_id) in received.content.decode()


# The evaluation stays where it was; no step of it goes on -------------------------------------


@pytest.fixture
def evaluating(challenge, acme):
    return in_state(challenge, "evaluating")


def _qualified(challenge, vendor):
    return proposal_in(challenge, vendor, "qualified")


def _evaluation_at(challenge, status, **fields):
    evaluation = evaluation_in(challenge, status)
    if fields:
        evaluation = set_status(evaluation, status, **fields)
    return evaluation


def setup_start_screening(challenge, users):
    return _evaluation_at(challenge, "setup"), users["alice"], {}


def setup_start_scoring(challenge, users):
    evaluation = _evaluation_at(challenge, "screening")
    _qualified(challenge, users["acme"])
    panel_member(evaluation, users["frank"], status="accepted", is_chair=True)
    return evaluation, users["alice"], {}


def setup_open_consensus(challenge, users):
    evaluation = _evaluation_at(challenge, "scoring")
    panel_member(evaluation, users["frank"], status="submitted", is_chair=True)
    return evaluation, users["alice"], {}


def setup_lock_consensus(challenge, users):
    evaluation = _evaluation_at(challenge, "consensus")
    panel_member(evaluation, users["frank"], status="submitted", is_chair=True)
    return evaluation, users["frank"], {}


def setup_open_prices(challenge, users):
    evaluation = _evaluation_at(challenge, "consensus", consensus_locked_at=timezone.now())
    return evaluation, users["alice"], {}


def setup_rank(challenge, users):
    return _evaluation_at(challenge, "prices_opened"), users["alice"], {}


def setup_decide(challenge, users):
    evaluation = _evaluation_at(challenge, "ranked")
    RankingEntry.objects.create(
        evaluation=evaluation,
        proposal=_qualified(challenge, users["acme"]),
        technical=Decimal("70"),
        meets_minimum=True,
        price_points=Decimal("30"),
        total=Decimal("100"),
        rank=1,
    )
    return evaluation, users["alice"], {}


def setup_accept(challenge, users):
    evaluation = _evaluation_at(challenge, "screening")
    return panel_member(evaluation, users["grace"]), users["grace"], {}


def setup_submit(challenge, users):
    evaluation = _evaluation_at(challenge, "scoring")
    return panel_member(evaluation, users["grace"], status="accepted"), users["grace"], {}


def setup_recuse(challenge, users):
    evaluation = _evaluation_at(challenge, "screening")
    assignment = panel_member(evaluation, users["grace"])
    return assignment, users["grace"], {"reason": "I advised one of the vendors."}


EVALUATION_STEPS = {
    "start_screening": (setup_start_screening, "screening"),
    "start_scoring": (setup_start_scoring, "scoring"),
    "open_consensus": (setup_open_consensus, "consensus"),
    "lock_consensus": (setup_lock_consensus, "consensus"),
    "open_prices": (setup_open_prices, "prices_opened"),
    "rank": (setup_rank, "ranked"),
    "decide": (setup_decide, "decided"),
    "accept": (setup_accept, "accepted"),
    "submit": (setup_submit, "submitted"),
    "recuse": (setup_recuse, "recused"),
}


@pytest.fixture
def users(alice, frank, grace, acme):
    return {"alice": alice, "frank": frank, "grace": grace, "acme": acme}


def test_every_step_of_the_evaluation_is_covered():
    assert set(EVALUATION_STEPS) == set(transition_names(Evaluation)) | set(
        transition_names(PanelAssignment)
    )


@pytest.mark.parametrize("name", list(EVALUATION_STEPS))
def test_an_evaluation_step_proceeds_while_the_challenge_is_evaluating(evaluating, users, name):
    setup, target = EVALUATION_STEPS[name]
    instance, actor, kwargs = setup(evaluating, users)

    done = transition_run(instance=instance, name=name, actor=actor, **kwargs)

    assert done.status == target


@pytest.mark.parametrize("name", list(EVALUATION_STEPS))
def test_no_evaluation_step_proceeds_once_the_challenge_is_cancelled(evaluating, users, name):
    setup, _target = EVALUATION_STEPS[name]
    instance, actor, kwargs = setup(evaluating, users)
    set_status(evaluating, "cancelled", cancellation_reason=REASON)
    was = instance.status
    before = AuditEntry.objects.count()

    with pytest.raises(TransitionRefused, match=EVALUATION_CANCELLED):
        transition_run(instance=instance, name=name, actor=actor, **kwargs)

    instance.refresh_from_db()
    assert instance.status == was
    assert AuditEntry.objects.count() == before


def test_cancelling_an_evaluating_challenge_leaves_the_evaluation_and_panel_as_they_were(
    locked, alice
):
    assignments = dict(
        PanelAssignment.objects.filter(evaluation=locked.evaluation).values_list("pk", "status")
    )

    cancel(locked.challenge)

    locked.refresh()
    assert locked.evaluation.status == "consensus"
    assert (
        dict(
            PanelAssignment.objects.filter(evaluation=locked.evaluation).values_list("pk", "status")
        )
        == assignments
    )
    assert {locked.acme.status, locked.globex.status} == {"cancelled"}


def test_no_registered_check_opens_a_price_of_a_cancelled_challenge(locked, alice):
    from vendors.sealing import register_price_opening, unregister_price_opening

    def always(user, proposal):
        return True

    register_price_opening(always)
    try:
        assert selectors.price_envelope_for(proposal=locked.acme, user=alice) is not None
        cancel(locked.challenge)
        locked.refresh()
        assert selectors.price_envelope_for(proposal=locked.acme, user=alice) is None
    finally:
        unregister_price_opening(always)


def test_nobody_is_invited_to_the_panel_of_a_cancelled_challenge(evaluating, alice, grace):
    evaluation = _evaluation_at(evaluating, "scoring")
    due_at = timezone.now() + timedelta(days=7)
    # Allowed while the challenge runs ...
    evaluation_services.panel_assign(
        evaluation=evaluation, actor=alice, evaluator=grace, due_at=due_at
    )
    set_status(evaluating, "cancelled")

    # ... and refused once it is cancelled.
    other = UserFactory(username="oscar", roles=["evaluator"])
    with pytest.raises(TransitionRefused, match="cancelled"):
        evaluation_services.panel_assign(
            evaluation=evaluation, actor=alice, evaluator=other, due_at=due_at
        )
    assert list(evaluation.assignments.values_list("evaluator__username", flat=True)) == ["grace"]
