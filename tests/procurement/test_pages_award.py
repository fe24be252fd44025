"""The award pages: recommend, four-eyes approval, notify, standstill and final; the vendor's
result letter and debrief request; who may see what."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from core import roles
from procurement.models import Award, DebriefRequest
from procurement.services import award as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

# What the confirmation of a one-way step posts (test_one_way_steps.py asks first).
CONFIRMED = {"confirmed": "yes"}


def award_url(field, name=None):
    reference = field.challenge.reference
    if name is None:
        return reverse("procurement:award", kwargs={"reference": reference})
    return reverse("procurement:award_step", kwargs={"reference": reference, "name": name})


def letter_url(field):
    return reverse("procurement:result_letter", kwargs={"reference": field.challenge.reference})


def debrief_url(field):
    return reverse("procurement:debrief_request", kwargs={"reference": field.challenge.reference})


def page_text(response):
    return response.content.decode()


@pytest.fixture
def recommended(decided, frank):
    services.award_recommend(evaluation=decided.evaluation, actor=frank)
    return decided


@pytest.fixture
def in_standstill(recommended, carol, alice):
    award = services.live_award(recommended.challenge)
    services.award_approve(award=award, actor=carol)
    services.award_notify(award=award, actor=alice)
    return recommended


def live(field):
    return services.live_award(field.challenge)


# Recommending ------------------------------------------------------------------------------------


def test_the_chair_recommends_the_top_ranked_proposal_from_the_page(client, decided, frank):
    client.force_login(frank)
    page = client.get(award_url(decided))
    assert page.status_code == 200
    assert "Recommend an award" in page_text(page)

    url = reverse("procurement:award_recommend", kwargs={"reference": decided.challenge.reference})
    response = client.post(url, {"proposal": decided.acme.pk, "reason": "", **CONFIRMED})

    assert response.status_code == 302
    award = Award.objects.get(challenge=decided.challenge)
    assert award.status == Award.Status.RECOMMENDED
    assert award.proposal_id == decided.acme.pk
    assert award.recommended_by == frank


def test_recommending_the_second_ranked_proposal_without_a_reason_shows_the_error(
    client, decided, alice
):
    client.force_login(alice)
    url = reverse("procurement:award_recommend", kwargs={"reference": decided.challenge.reference})
    response = client.post(url, {"proposal": decided.globex.pk, "reason": ""})

    assert response.status_code == 200
    assert "error-summary" in page_text(response)
    assert not Award.objects.filter(challenge=decided.challenge).exists()


# Four eyes ---------------------------------------------------------------------------------------


def test_the_recommender_who_is_an_approver_cannot_approve_through_the_page(
    client, decided, alice, carol
):
    alice.groups.add(Group.objects.get_or_create(name=roles.APPROVER)[0])
    services.award_recommend(evaluation=decided.evaluation, actor=alice)
    client.force_login(alice)

    page = client.get(award_url(decided))
    assert "another approver must approve" in page_text(page)
    response = client.post(award_url(decided, "approve"), CONFIRMED, follow=True)

    assert response.status_code == 200
    assert "Only an approver who did not recommend this award" in page_text(response)
    award = live(decided)
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED
    assert award.approved_by is None

    client.force_login(carol)
    response = client.post(award_url(decided, "approve"), CONFIRMED)
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.APPROVED
    assert award.approved_by == carol


def test_an_approver_rejects_with_a_reason_and_not_without(client, recommended, carol):
    client.force_login(carol)
    response = client.post(award_url(recommended, "reject"), {"reason": ""})
    award = live(recommended)
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED
    assert response.status_code == 200
    assert "error-summary" in page_text(response)

    response = client.post(award_url(recommended, "reject"), {"reason": "Price is too high."})

    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.REJECTED
    assert award.rejection_reason == "Price is too high."


# Notify, standstill, final -----------------------------------------------------------------------


def test_the_owner_notifies_and_the_standstill_starts(client, recommended, carol, alice):
    award = live(recommended)
    services.award_approve(award=award, actor=carol)
    client.force_login(alice)

    response = client.post(award_url(recommended, "notify"), CONFIRMED)

    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.STANDSTILL
    assert award.standstill_ends_at is not None


def test_it_refuses_to_finalise_before_the_standstill_ends(client, in_standstill, alice):
    award = live(in_standstill)
    client.force_login(alice)
    with time_machine.travel(award.standstill_ends_at - timedelta(seconds=1), tick=False):
        page = client.get(award_url(in_standstill))
        assert "the award can be made final only after it ends" in page_text(page)
        response = client.post(award_url(in_standstill, "finalise"), CONFIRMED, follow=True)

    assert "standstill period runs until" in page_text(response)
    award.refresh_from_db()
    assert award.status == Award.Status.STANDSTILL
    assert award.finalised_at is None


def test_the_owner_makes_the_award_final_after_the_standstill(client, in_standstill, alice):
    award = live(in_standstill)
    client.force_login(alice)
    with time_machine.travel(award.standstill_ends_at, tick=False):
        response = client.post(award_url(in_standstill, "finalise"), CONFIRMED)

    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.FINAL
    in_standstill.challenge.refresh_from_db()
    assert in_standstill.challenge.status == "awarded"


# The result letter and the debrief ---------------------------------------------------------------


def test_the_losing_vendor_reads_its_scores_against_the_winner_and_the_end_date(
    client, in_standstill, erin
):
    client.force_login(erin)
    response = client.get(letter_url(in_standstill))

    assert response.status_code == 200
    text = page_text(response)
    assert "Selected proposal" in text
    assert "Standstill period ends" in text
    assert "Request a debrief" in text
    winner = in_standstill.evaluation.ranking_entries.get(proposal=in_standstill.acme)
    assert f"<td>{winner.total.normalize():f}</td>" in text  # 80, not 80.00 or 80.0000


def test_the_winner_reads_that_it_is_selected_without_a_debrief_form(client, in_standstill, dave):
    client.force_login(dave)
    response = client.get(letter_url(in_standstill))

    assert response.status_code == 200
    assert "is selected" in page_text(response)
    assert 'id="debrief-heading"' not in page_text(response)


def test_a_vendor_requests_a_debrief_during_the_standstill(client, in_standstill, erin):
    client.force_login(erin)
    response = client.post(debrief_url(in_standstill), {"message": "Why was our price low?"})

    assert response.status_code == 302
    request = DebriefRequest.objects.get(award=live(in_standstill))
    assert request.proposal_id == in_standstill.globex.pk
    assert request.message == "Why was our price low?"
    assert "You requested a debrief" in page_text(client.get(letter_url(in_standstill)))


def test_it_refuses_a_debrief_after_the_standstill(client, in_standstill, erin):
    award = live(in_standstill)
    client.force_login(erin)
    with time_machine.travel(award.standstill_ends_at, tick=False):
        response = client.post(debrief_url(in_standstill), {"message": "Late"}, follow=True)

    assert "until the standstill ends" in page_text(response)
    assert not DebriefRequest.objects.exists()


def test_there_is_no_result_letter_before_vendors_are_notified(client, recommended, erin):
    client.force_login(erin)
    assert client.get(letter_url(recommended)).status_code == 404


# Who may see what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "award_page", "letter"),
    [
        ("alice", 200, 404),  # owner
        ("carol", 200, 404),  # approver
        ("frank", 200, 404),  # chair, the recommender
        ("dave", 404, 200),  # vendor A, the winner
        ("erin", 404, 200),  # vendor B
        ("grace", 404, 404),  # evaluator, not the chair
        ("bob", 200, 404),  # other staff follow the decision, as they follow the evaluation
        ("root", 404, 404),  # superuser: no role in the decision
    ],
)
def test_the_permission_matrix(client, in_standstill, request, persona, award_page, letter):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(award_url(in_standstill)).status_code == award_page
    assert client.get(letter_url(in_standstill)).status_code == letter


def test_anonymous_visitors_are_sent_to_sign_in(client, in_standstill):
    for url in (award_url(in_standstill), letter_url(in_standstill)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["dave", "erin", "grace", "root"])
def test_people_outside_the_decision_cannot_approve_by_posting(
    client, recommended, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(award_url(recommended, "approve"), CONFIRMED)

    assert response.status_code == 404
    award = live(recommended)
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED


def test_other_staff_see_the_decision_but_cannot_approve_by_posting(client, recommended, bob):
    client.force_login(bob)

    page = client.get(award_url(recommended)).content.decode()
    response = client.post(award_url(recommended, "approve"), CONFIRMED, follow=True)

    assert 'action="' + award_url(recommended, "approve") + '"' not in page
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    award = live(recommended)
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [("dave", True), ("erin", True), ("alice", False), ("frank", False), ("rita", False)],
)
def test_vendors_find_their_letter_on_the_challenge_page_once_sent(
    client, recommended, carol, alice, request, persona, sees_link
):
    client.force_login(request.getfixturevalue(persona))
    page_url = recommended.challenge.get_absolute_url()
    link = f'href="{letter_url(recommended)}"'

    assert link not in client.get(page_url).content.decode()
    award = live(recommended)
    services.award_approve(award=award, actor=carol)
    services.award_notify(award=award, actor=alice)
    assert (link in client.get(page_url).content.decode()) is sees_link
