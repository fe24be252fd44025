"""Recommending, approving and notifying an award, ending without one and ending a pilot ask
first: the unconfirmed post says what will happen and what cannot be undone and changes nothing;
the confirmed post acts; the wrong people are refused either way."""

import pytest
from django.urls import reverse

from procurement.models import Award, Pilot
from procurement.services import award as services
from tests.procurement import test_pages_pilot
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}

# The pilot pages' fixture: a final award with a planned pilot, one milestone and one indicator.
ready = test_pages_pilot.ready


def award_url(field, name):
    reference = field.challenge.reference
    if name == "recommend":
        return reverse("procurement:award_recommend", kwargs={"reference": reference})
    if name == "end":
        return reverse("procurement:award_end_without", kwargs={"reference": reference})
    return reverse("procurement:award_step", kwargs={"reference": reference, "name": name})


def assert_asks(response, *sentences):
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "core/confirm.html"
    html = response.content.decode()
    assert 'name="confirmed" value="yes"' in html
    for sentence in ("What will happen", "What cannot be undone", *sentences):
        assert sentence in html
    return html


def award_state(field):
    award = services.live_award(field.challenge)
    return award.status if award else None


@pytest.fixture
def recommended(decided, frank):
    services.award_recommend(evaluation=decided.evaluation, actor=frank)
    return decided


@pytest.fixture
def approved(recommended, carol):
    services.award_approve(award=services.live_award(recommended.challenge), actor=carol)
    return recommended


def test_recommending_asks_first_naming_the_proposal(client, decided, frank):
    client.force_login(frank)
    data = {"proposal": decided.acme.pk, "reason": ""}

    asked = client.post(award_url(decided, "recommend"), data)

    html = assert_asks(asked, "Yes, recommend the award", str(decided.acme.vendor))
    assert not Award.objects.filter(challenge=decided.challenge).exists()

    client.post(award_url(decided, "recommend"), {**data, **CONFIRMED})

    assert award_state(decided) == Award.Status.RECOMMENDED
    assert "an approver must reject it first" in html


def test_recommending_another_than_the_best_without_a_reason_is_refused_not_asked(
    client, decided, frank
):
    client.force_login(frank)

    response = client.post(
        award_url(decided, "recommend"), {"proposal": decided.globex.pk, "reason": ""}
    )

    assert "core/confirm.html" not in [t.name for t in response.templates]
    assert not Award.objects.filter(challenge=decided.challenge).exists()


@pytest.mark.parametrize(
    ("fixture", "step", "persona", "after", "sentence"),
    [
        ("recommended", "approve", "carol", Award.Status.APPROVED, "An approval cannot be"),
        ("approved", "notify", "alice", Award.Status.STANDSTILL, "cannot be called back"),
    ],
)
def test_an_award_step_asks_first_then_acts(
    client, request, fixture, step, persona, after, sentence
):
    field = request.getfixturevalue(fixture)
    before = award_state(field)
    client.force_login(request.getfixturevalue(persona))

    assert_asks(client.post(award_url(field, step)), sentence)
    assert award_state(field) == before

    assert client.post(award_url(field, step), CONFIRMED).status_code == 302
    assert award_state(field) == after


@pytest.mark.parametrize(
    ("fixture", "step", "persona"),
    [
        ("recommended", "approve", "frank"),  # the recommender: four eyes
        ("recommended", "approve", "bob"),
        ("approved", "notify", "bob"),
        ("approved", "notify", "grace"),
    ],
)
def test_the_wrong_people_are_not_asked_and_change_nothing(client, request, fixture, step, persona):
    field = request.getfixturevalue(fixture)
    before = award_state(field)
    client.force_login(request.getfixturevalue(persona))

    unconfirmed = client.post(award_url(field, step))
    confirmed = client.post(award_url(field, step), CONFIRMED)

    assert "core/confirm.html" not in [t.name for t in unconfirmed.templates]
    assert unconfirmed.status_code in (302, 403, 404)
    assert confirmed.status_code == unconfirmed.status_code
    assert award_state(field) == before


def test_ending_without_an_award_asks_first_then_ends(client, decided, alice):
    client.force_login(alice)
    data = {"reason": "No proposal met the need."}

    asked = client.post(award_url(decided, "end"), data)

    assert_asks(asked, "No proposal met the need.", "The challenge ends for good")
    decided.challenge.refresh_from_db()
    assert decided.challenge.status == "evaluating"

    client.post(award_url(decided, "end"), {**data, **CONFIRMED})

    decided.challenge.refresh_from_db()
    assert decided.challenge.status == "not_awarded"


@pytest.mark.parametrize("persona", ["bob", "frank"])
def test_only_the_owner_is_asked_to_end_without_an_award(client, request, decided, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(award_url(decided, "end"), {"reason": "No."})

    assert response.status_code == 403
    decided.challenge.refresh_from_db()
    assert decided.challenge.status == "evaluating"


def pilot_url(pilot, name):
    return reverse(
        "procurement:pilot_step", kwargs={"reference": pilot.challenge.reference, "name": name}
    )


@pytest.fixture
def active(request, client, alice):
    pilot = request.getfixturevalue("ready")
    client.force_login(alice)
    assert client.post(pilot_url(pilot, "start")).status_code == 302
    return pilot


def test_terminating_a_pilot_asks_first_then_terminates(client, active, alice):
    ready = active
    data = {"lessons_learned": "Suppliers could not deliver in winter."}

    asked = client.post(pilot_url(ready, "terminate"), data)

    html = assert_asks(asked, "Yes, terminate the pilot", "cannot be restarted")
    assert "Suppliers could not deliver in winter." in html
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE

    client.post(pilot_url(ready, "terminate"), {**data, **CONFIRMED})

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.TERMINATED


def test_only_the_owner_is_asked_to_end_a_pilot(client, active, bob):
    ready = active
    client.force_login(bob)

    response = client.post(pilot_url(ready, "terminate"), {"lessons_learned": "None."})

    assert response.status_code == 404
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE


def test_the_award_page_offers_its_steps_with_their_dialog(client, recommended, carol):
    client.force_login(carol)

    html = client.get(
        reverse("procurement:award", kwargs={"reference": recommended.challenge.reference})
    ).content.decode()

    assert 'data-confirm="confirm-procurement-award-approve"' in html
    assert '<dialog id="confirm-procurement-award-approve"' in html
