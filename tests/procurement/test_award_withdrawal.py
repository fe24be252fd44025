"""An award under way is withdrawn when its challenge is cancelled or ends without an award
(DESIGN.md §3 Award): in the same transaction, as a system step nobody runs by hand. Vendors who
were told of it are told it is off; the chronograph leaves it; the open data and the outcomes page
show it as withdrawn only if it had been announced."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from challenges import services as challenge_services
from core.audit_chain import audit_verify
from core.errors import PermissionDenied, TransitionRefused
from core.models import AuditEntry
from core.workflow import allowed_transitions, transition_run
from opendata import ocds, packages
from procurement.chronograph import chronograph_run_due
from procurement.models import Award, ChronographStep, DebriefRequest, Notification
from procurement.services import award as services
from tests.factories import ProposalFactory, UserFactory, VendorMembershipFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

REASON = "Council withdrew the budget for this project."
END_REASON = "Both prices exceed the revised budget."
LIVE = ["recommended", "approved", "notified", "standstill"]
ANNOUNCED = {"notified", "standstill"}
PERSONAS = ["alice", "bob", "carol", "frank", "grace", "dave", "erin", "rita", "root"]
SEALED_PRICES = ("100000", "80000")  # Acme's and Globex's price envelopes (award_fixtures)


def award_in(state, decided, *, frank, carol, alice) -> Award:
    """An award for Acme (dave) brought to `state` through the services people use."""
    award = services.award_recommend(evaluation=decided.evaluation, actor=frank)
    if state in ("approved", "notified", "standstill"):
        award = services.award_approve(award=award, actor=carol)
    if state == "notified":
        # The letters went out; the standstill step (run by award_notify right after) did not.
        award = transition_run(instance=award, name="notify", actor=alice)
    if state == "standstill":
        award = services.award_notify(award=award, actor=alice)
    award.refresh_from_db()
    assert award.status == state
    return award


@pytest.fixture(params=LIVE)
def live(request, decided, frank, carol, alice) -> Award:
    return award_in(request.param, decided, frank=frank, carol=carol, alice=alice)


@pytest.fixture
def standstill(decided, frank, carol, alice) -> Award:
    return award_in("standstill", decided, frank=frank, carol=carol, alice=alice)


@pytest.fixture
def approved(decided, frank, carol, alice) -> Award:
    return award_in("approved", decided, frank=frank, carol=carol, alice=alice)


def cancel(award, actor=None, reason=REASON):
    challenge = award.challenge
    challenge.refresh_from_db()
    return challenge_services.challenge_transition(
        challenge=challenge, actor=actor or challenge.owner, name="cancel", reason=reason
    )


def end_without_award(award, reason=END_REASON):
    challenge = award.challenge
    challenge.refresh_from_db()
    return services.challenge_end_without_award(
        challenge=challenge, actor=challenge.owner, reason=reason
    )


ENDINGS = {
    "cancel": (cancel, REASON, "cancelled"),
    "end_without_award": (end_without_award, END_REASON, "not_awarded"),
}


def award_entries(award):
    return list(
        AuditEntry.objects.filter(content_type__model="award", object_id=str(award.pk)).order_by(
            "sequence"
        )
    )


def withdrawal_notices():
    return Notification.objects.filter(kind=Notification.Kind.AWARD_WITHDRAWN)


def test_the_cases_below_cover_every_live_state_and_only_those():
    assert set(LIVE) == {str(s) for s in Award.LIVE_STATES}
    assert set(LIVE) & {str(s) for s in Award.ANNOUNCED_STATES} == ANNOUNCED
    sources = set(Award.withdraw._django_fsm.transitions)
    assert sources == set(Award.LIVE_STATES)
    assert "final" not in sources and "rejected" not in sources


# The withdrawal itself, from every live state, by either ending ----------------------------------


@pytest.mark.parametrize("ending", ENDINGS)
def test_ending_the_challenge_withdraws_the_award_in_the_same_transaction(live, ending):
    run, reason, challenge_state = ENDINGS[ending]
    state = live.status
    before = len(award_entries(live))

    run(live)

    live.refresh_from_db()
    live.challenge.refresh_from_db()
    assert live.challenge.status == challenge_state
    assert live.status == Award.Status.WITHDRAWN
    assert live.withdrawn_from == state
    assert live.withdrawal_reason == reason
    assert live.withdrawn_at is not None
    assert live.next_due_at is None
    assert not live.debrief_window_open
    assert live.was_announced == (state in ANNOUNCED)
    entries = award_entries(live)[before:]
    assert [(e.transition, e.source, e.target) for e in entries] == [
        ("withdraw", state, "withdrawn")
    ]
    assert entries[0].actor is None  # a system step
    assert entries[0].reason == reason
    assert entries[0].metadata["cause"] == ending
    assert audit_verify()[1] == []


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_other_proposals_follow_the_challenge_not_the_award(live, ending):
    run, _reason, _state = ENDINGS[ending]

    run(live)

    statuses = set(live.challenge.proposals.values_list("status", flat=True))
    assert statuses == ({"cancelled"} if ending == "cancel" else {"unsuccessful"})


def test_a_rejected_recommendation_stays_rejected_when_the_challenge_is_cancelled(
    decided, frank, carol
):
    award = services.award_recommend(evaluation=decided.evaluation, actor=frank)
    services.award_reject(award=award, actor=carol, reason="Check the references first.")

    cancel(award)

    award.refresh_from_db()
    assert award.status == Award.Status.REJECTED
    assert award.withdrawn_at is None
    assert [e.transition for e in award_entries(award)] == ["recommend", "reject"]


def test_a_final_award_is_never_withdrawn_the_challenge_cannot_be_cancelled(standstill, alice):
    with time_machine.travel(standstill.standstill_ends_at, tick=False):
        services.award_finalise(award=standstill, actor=alice)

    with pytest.raises(TransitionRefused):
        cancel(standstill)
    with pytest.raises(TransitionRefused):
        transition_run(instance=standstill, name="withdraw", actor=None, reason="Try.")

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.FINAL
    assert standstill.challenge.status == "awarded"


def test_a_cancellation_refused_to_someone_else_leaves_the_award_as_it_was(standstill, bob):
    with pytest.raises(PermissionDenied):
        cancel(standstill, actor=bob)

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL
    assert standstill.next_due_at == standstill.standstill_ends_at
    assert not withdrawal_notices().exists()


def test_ending_without_an_award_without_a_reason_changes_nothing(standstill):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        end_without_award(standstill, reason=" ")

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL
    assert standstill.challenge.status == "evaluating"


# Nobody withdraws an award by hand ---------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_may_withdraw_an_award_by_hand(request, standstill, persona):
    user = request.getfixturevalue(persona)
    before = len(award_entries(standstill))

    with pytest.raises(PermissionDenied) as refused:
        transition_run(instance=standstill, name="withdraw", actor=user, reason="By hand.")

    assert "automatically" in str(refused.value)
    assert "withdraw" not in allowed_transitions(standstill, user)
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL
    assert len(award_entries(standstill)) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_may_withdraw_an_award_by_hand_even_once_the_challenge_is_cancelled(
    request, standstill, persona
):
    # The challenge put straight into `cancelled`, without its effects: the award is still live.
    set_status(standstill.challenge, "cancelled", cancellation_reason=REASON)
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        transition_run(instance=standstill, name="withdraw", actor=user, reason="By hand.")

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL


def test_the_system_is_refused_while_the_challenge_goes_on(standstill):
    with pytest.raises(TransitionRefused) as refused:
        transition_run(instance=standstill, name="withdraw", actor=None, reason="Early.")

    assert "only when its challenge is cancelled" in str(refused.value)
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL


def test_the_system_withdraws_an_award_once_the_challenge_is_cancelled(standstill):
    set_status(standstill.challenge, "cancelled", cancellation_reason=REASON)

    award = transition_run(instance=standstill, name="withdraw", actor=None, reason=REASON)

    award.refresh_from_db()
    assert award.status == Award.Status.WITHDRAWN
    assert award.withdrawn_from == Award.Status.STANDSTILL
    assert award.next_due_at is None
    assert award_entries(award)[-1].transition == "withdraw"


def test_there_is_no_page_or_api_step_to_withdraw(standstill, alice, client, api_as):
    client.force_login(alice)
    reference = standstill.challenge.reference

    page = client.post(
        reverse("procurement:award_step", kwargs={"reference": reference, "name": "withdraw"})
    )
    api = api_as(alice).post(f"/api/awards/{reference}/withdraw/", {}, format="json")

    assert page.status_code == 404
    assert api.status_code in (404, 405)
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL


# Who is told -------------------------------------------------------------------------------------


@pytest.fixture
def initech(published):
    """A third vendor whose draft lapsed at closing: it took part, but nothing was received."""
    vince = UserFactory(username="vince", roles=["vendor"])
    membership = VendorMembershipFactory(user=vince, vendor__legal_name="Initech Ltd.")
    proposal = ProposalFactory(challenge=published, vendor=membership.vendor, created_by=vince)
    set_status(proposal, "lapsed")
    return vince


@pytest.mark.parametrize("ending", ENDINGS)
def test_vendors_who_were_told_read_that_the_award_is_withdrawn(
    live, ending, initech, dave, erin, alice, carol, frank, rita
):
    run, reason, _state = ENDINGS[ending]
    announced = live.status in ANNOUNCED

    run(live)

    notices = withdrawal_notices()
    if not announced:
        assert not notices.exists()
        return
    assert sorted(notices.values_list("recipient__username", flat=True)) == ["dave", "erin"]
    for notice in notices:
        assert notice.title == f"The award of {live.challenge.reference} is withdrawn"
        assert "Acme Heat Solutions Ltd." in notice.body
        assert reason in notice.body
        assert notice.link == live.challenge.get_absolute_url()
    cause = "cancelled" if ending == "cancel" else "ended without an award"
    assert cause in notices.first().body


def test_a_repeated_withdrawal_notice_is_not_sent_twice(standstill):
    from procurement.notifications import award_withdrawn

    cancel(standstill)
    standstill.refresh_from_db()
    award_withdrawn(instance=standstill, actor=None)

    assert withdrawal_notices().count() == 2


def test_every_vendor_still_gets_the_cancellation_notice(standstill, initech, dave, erin):
    cancel(standstill)

    told = Notification.objects.filter(kind=Notification.Kind.CHALLENGE_CANCELLED)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["dave", "erin", "vince"]


def test_a_withdrawn_award_closes_the_debrief_window_and_the_result_letter(
    standstill, erin, client
):
    cancel(standstill)
    standstill.refresh_from_db()

    with pytest.raises(TransitionRefused):
        services.debrief_request(award=standstill, actor=erin, message="Why not us?")
    client.force_login(erin)
    letter = client.get(
        reverse("procurement:result_letter", kwargs={"reference": standstill.challenge.reference})
    )

    assert letter.status_code == 404
    assert not DebriefRequest.objects.exists()


# The chronograph leaves it -----------------------------------------------------------------------


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_chronograph_leaves_a_withdrawn_award_after_its_standstill_would_have_ended(
    live, ending, alice
):
    run, _reason, _state = ENDINGS[ending]
    run(live)
    live.refresh_from_db()
    notifications = Notification.objects.count()
    entries = AuditEntry.objects.count()
    later = (live.standstill_ends_at or live.recommended_at) + timedelta(days=30)

    with time_machine.travel(later, tick=False):
        report = chronograph_run_due(now=later)
        again = chronograph_run_due(now=later + timedelta(minutes=1))

    assert report["errors"] == 0 and again["errors"] == 0
    assert report["steps"] == 0 and again["steps"] == 0
    live.refresh_from_db()
    assert live.status == Award.Status.WITHDRAWN
    assert live.next_due_at is None
    assert not ChronographStep.objects.filter(step="finalise").exists()
    assert Notification.objects.count() == notifications
    assert not Notification.objects.filter(kind=Notification.Kind.OVERDUE_STEP).exists()
    assert AuditEntry.objects.count() == entries


# Open data ---------------------------------------------------------------------------------------


def assert_valid(challenge):
    challenge.refresh_from_db()
    package = packages.release_package(challenge)
    record = packages.record_package(challenge)
    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []
    return package, record


@pytest.mark.parametrize("ending", ENDINGS)
def test_open_data_shows_an_announced_award_as_cancelled_and_hides_one_never_announced(
    live, ending
):
    run, reason, _state = ENDINGS[ending]
    announced = live.status in ANNOUNCED

    run(live)
    package, record = assert_valid(live.challenge)

    text = json.dumps(package) + json.dumps(record)
    compiled = record["records"][0]["compiledRelease"]
    dates = [datetime.fromisoformat(r["date"]) for r in package["releases"]]
    assert dates == sorted(dates)
    assert "contracts" not in compiled
    assert not any(price in text for price in SEALED_PRICES)
    if not announced:
        assert "awards" not in compiled
        assert not any("award" in tag for r in package["releases"] for tag in r["tag"])
        assert "Acme Heat Solutions Ltd." not in text
        return
    award_release, withdrawal = (
        r for r in package["releases"] if r["tag"] in (["award"], ["awardCancellation"])
    )
    assert award_release["awards"][0]["status"] == "pending"
    assert withdrawal["tag"] == ["awardCancellation"]
    assert withdrawal["awards"][0]["id"] == award_release["awards"][0]["id"]
    assert withdrawal["awards"][0]["status"] == "cancelled"
    assert withdrawal["awards"][0]["description"] == reason
    assert compiled["awards"][0]["status"] == "cancelled"
    assert compiled["awards"][0]["suppliers"][0]["name"] == "Acme Heat Solutions Ltd."
    assert "value" not in compiled["awards"][0]
    expected_tender = "cancelled" if ending == "cancel" else "unsuccessful"
    assert compiled["tender"]["status"] == expected_tender


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_challenges_csv_says_withdrawn_only_for_an_announced_award(live, ending, client):
    run, _reason, _state = ENDINGS[ending]
    announced = live.status in ANNOUNCED

    run(live)
    response = client.get(reverse("opendata:open_data_csv"))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["reference"] == live.challenge.reference)
    assert row["award_status"] == ("withdrawn" if announced else "")
    assert row["supplier"] == ("Acme Heat Solutions Ltd." if announced else "")
    assert row["awarded_value_cad"] == ""


# The outcomes page -------------------------------------------------------------------------------


def outcomes_text(client, challenge) -> str:
    response = client.get(
        reverse("procurement:outcomes", kwargs={"reference": challenge.reference})
    )
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index('<main id="main"') : text.index("</main>")]


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_outcomes_page_says_the_award_was_withdrawn_only_if_it_was_announced(
    live, ending, client
):
    run, reason, _state = ENDINGS[ending]
    announced = live.status in ANNOUNCED

    run(live)
    text = outcomes_text(client, live.challenge)

    if announced:
        expected = (
            "Withdrawn: the challenge was cancelled after the award was announced"
            if ending == "cancel"
            else "Withdrawn: the challenge ended without an award after this one was announced"
        )
        assert expected in text
        assert "Acme Heat Solutions Ltd." in text
        assert reason in text
        assert "Pending:" not in text
        assert "Why: how proposals were judged" not in text
    else:
        assert "Withdrawn" not in text
        assert "Acme Heat Solutions Ltd." not in text
        expected = (
            "No award: this challenge was cancelled."
            if ending == "cancel"
            else "No award: this challenge ended without choosing a proposal."
        )
        assert expected in text


# The API and the award page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "announced", "never_announced"),
    [
        ("alice", 200, 200),  # the owner
        ("bob", 200, 200),  # other staff
        ("carol", 200, 200),  # the approver
        ("frank", 200, 200),  # the chair, who recommended
        ("grace", 404, 404),  # an evaluator who is not the chair
        ("dave", 200, 404),  # the vendor that had been selected
        ("erin", 200, 404),  # the other vendor
        ("rita", 404, 404),  # a resident
        ("root", 404, 404),  # the site administrator takes no part
        (None, 403, 403),  # anonymous
    ],
)
@pytest.mark.parametrize("was_announced", [True, False])
def test_the_api_shows_the_withdrawn_award_to_those_who_may_see_it(
    request,
    decided,
    frank,
    carol,
    alice,
    api_as,
    persona,
    announced,
    never_announced,
    was_announced,
):
    state = "standstill" if was_announced else "approved"
    award = award_in(state, decided, frank=frank, carol=carol, alice=alice)
    cancel(award)
    client = api_as(request.getfixturevalue(persona) if persona else None)

    response = client.get(f"/api/awards/{award.challenge.reference}/")

    assert response.status_code == (announced if was_announced else never_announced)
    if response.status_code == 200:
        body = response.json()
        assert body["status"] == "withdrawn"
        assert body["withdrawn_from"] == state
        assert body["withdrawal_reason"] == REASON
        assert body["withdrawn_at"]
        assert body["debrief_window_open"] is False
        assert body["allowed_transitions"] == []


def test_the_award_page_shows_the_withdrawal_and_no_step(standstill, alice, client):
    cancel(standstill)
    client.force_login(alice)

    response = client.get(
        reverse("procurement:award", kwargs={"reference": standstill.challenge.reference})
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Withdrawn: the challenge was cancelled or ended without an award" in text
    assert REASON in text
    assert "award/finalise/" not in text and "award/notify/" not in text


def test_if_the_withdrawal_fails_the_cancellation_rolls_back_with_it(standstill, monkeypatch):
    import procurement.notifications

    def broken(**kwargs):
        raise RuntimeError("The inbox is unavailable.")

    monkeypatch.setattr(procurement.notifications, "notifications_create", broken)

    with pytest.raises(RuntimeError):
        cancel(standstill)

    standstill.refresh_from_db()
    standstill.challenge.refresh_from_db()
    assert standstill.challenge.status == "evaluating"
    assert standstill.status == Award.Status.STANDSTILL
    assert set(standstill.challenge.proposals.values_list("status", flat=True)) == {"shortlisted"}
