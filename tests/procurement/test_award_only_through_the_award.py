"""A challenge is awarded, or ends without an award, only through the award (DESIGN.md §2, §3):
a final award makes it awarded; ending it on the award page or its API ends its proposals with it.
The challenge's own page and API never offer these steps and refuse them when forced."""

import logging

import pytest
import time_machine
from django.urls import reverse

from core.models import AuditEntry
from procurement.chronograph import chronograph_run_due
from procurement.models import Award
from procurement.services import award as services
from tests.factories import set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

REASON = "Both prices exceed the revised budget."


def challenge_entries(challenge, name):
    return AuditEntry.objects.filter(
        content_type__model="challenge", object_id=str(challenge.pk), transition=name
    )


def proposal_states(challenge):
    return sorted(challenge.proposals.values_list("status", flat=True))


@pytest.fixture
def standstill(decided, frank, carol, alice):
    award = services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award = services.award_approve(award=award, actor=carol)
    award = services.award_notify(award=award, actor=alice)
    award.refresh_from_db()
    return award


# The challenge's own page and API ----------------------------------------------------------------


def test_the_challenge_page_offers_the_owner_no_award_step(client, decided, alice):
    client.force_login(alice)

    response = client.get(decided.challenge.get_absolute_url())

    html = response.content.decode()
    offered = [*response.context["transitions"], *response.context["stop_transitions"]]
    assert [t["name"] for t in offered] == ["cancel"]
    assert "Record the award" not in html
    assert "End without an award" not in html


@pytest.mark.parametrize("name", ["award", "end_without_award"])
def test_a_forced_post_on_the_challenge_page_is_refused_and_changes_nothing(
    client, decided, alice, name
):
    challenge = decided.challenge
    client.force_login(alice)

    response = client.post(
        reverse("challenges:transition", args=[challenge.reference, name]),
        {"reason": REASON},
        follow=True,
    )

    assert response.status_code == 200
    assert any("award page" in str(m) for m in response.context["messages"])
    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert proposal_states(challenge) == ["shortlisted", "shortlisted"]
    assert not challenge_entries(challenge, name).exists()


def test_the_challenge_api_refuses_to_award_during_the_standstill(api_as, standstill, alice):
    """The old bypass: awarded by hand, the award in standstill could never become final."""
    challenge = standstill.challenge

    response = api_as(alice).post(f"/api/challenges/{challenge.reference}/award/", {})

    assert response.status_code == 409
    assert "becomes final" in response.json()["detail"]
    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert not challenge_entries(challenge, "award").exists()


# Ending without an award, on the award page ------------------------------------------------------


def test_the_owner_ends_without_an_award_on_the_award_page(client, decided, alice):
    challenge = decided.challenge
    client.force_login(alice)
    page = client.get(reverse("procurement:award", args=[challenge.reference]))
    assert "End without an award" in page.content.decode()

    response = client.post(
        reverse("procurement:award_end_without", args=[challenge.reference]),
        {"reason": REASON, "confirmed": "yes"},
    )

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == "not_awarded"
    # No proposal is left shortlisted: they get their closing state, as the service gives them.
    assert proposal_states(challenge) == ["unsuccessful", "unsuccessful"]
    entry = challenge_entries(challenge, "end_without_award").get()
    assert (entry.actor, entry.reason) == (alice, REASON)


def test_ending_on_the_award_page_needs_a_reason(client, decided, alice):
    challenge = decided.challenge
    client.force_login(alice)

    response = client.post(
        reverse("procurement:award_end_without", args=[challenge.reference]), {"reason": " "}
    )

    assert response.status_code == 200
    assert response.context["end_form"].errors["reason"]
    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert proposal_states(challenge) == ["shortlisted", "shortlisted"]


@pytest.mark.parametrize("persona", ["bob", "carol", "frank"])
def test_only_the_owner_ends_without_an_award(client, request, decided, persona):
    challenge = decided.challenge
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("procurement:award", args=[challenge.reference]))
    assert page.status_code == 200
    assert "End without an award" not in page.content.decode()

    response = client.post(
        reverse("procurement:award_end_without", args=[challenge.reference]), {"reason": REASON}
    )

    assert response.status_code == 403
    assert "can end it without an award" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert not challenge_entries(challenge, "end_without_award").exists()


# Ending without an award, through the API --------------------------------------------------------


def end_url(challenge):
    return f"/api/awards/{challenge.reference}/end_without_award/"


def test_the_owner_ends_without_an_award_through_the_api(api_as, standstill, alice):
    challenge = standstill.challenge

    response = api_as(alice).post(end_url(challenge), {"reason": REASON}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "not_awarded"
    challenge.refresh_from_db()
    assert challenge.status == "not_awarded"
    assert proposal_states(challenge) == ["unsuccessful", "unsuccessful"]
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.WITHDRAWN


@pytest.mark.parametrize(
    ("persona", "body", "code"),
    [("bob", {"reason": REASON}, 403), ("dave", {"reason": REASON}, 403), ("alice", {}, 400)],
)
def test_the_api_refuses_to_end_for_others_or_without_a_reason(
    api_as, request, decided, persona, body, code
):
    challenge = decided.challenge

    response = api_as(request.getfixturevalue(persona)).post(
        end_url(challenge), body, format="json"
    )

    assert response.status_code == code, response.content
    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert proposal_states(challenge) == ["shortlisted", "shortlisted"]
    assert not challenge_entries(challenge, "end_without_award").exists()


def test_the_api_refuses_to_end_a_challenge_whose_award_is_final(api_as, final_award, alice):
    challenge = final_award.challenge

    response = api_as(alice).post(end_url(challenge), {"reason": REASON}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"]
    challenge.refresh_from_db()
    assert challenge.status == "awarded"
    assert not challenge_entries(challenge, "end_without_award").exists()


def test_a_challenge_nobody_may_see_answers_404(api_as, dave, challenge):
    response = api_as(dave).post(end_url(challenge), {"reason": REASON}, format="json")

    assert response.status_code == 404


# The chronograph ---------------------------------------------------------------------------------


def test_the_chronograph_still_makes_an_award_final_and_the_challenge_awarded(standstill):
    end = standstill.standstill_ends_at

    with time_machine.travel(end, tick=False):
        chronograph_run_due(now=end)

    standstill.refresh_from_db()
    challenge = standstill.challenge
    assert standstill.status == Award.Status.FINAL
    assert challenge.status == "awarded"
    assert proposal_states(challenge) == ["awarded", "unsuccessful"]
    entry = challenge_entries(challenge, "award").get()
    assert entry.actor is None


def test_the_chronograph_says_so_when_it_cannot_make_an_award_final(standstill, caplog):
    # A challenge left awarded by hand before the award could decide it (older data).
    set_status(standstill.challenge, "awarded")
    end = standstill.standstill_ends_at

    with (
        caplog.at_level(logging.WARNING, logger="procurement.chronograph"),
        time_machine.travel(end, tick=False),
    ):
        chronograph_run_due(now=end)

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(standstill.challenge.reference in message for message in warnings)
