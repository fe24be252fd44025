"""The follow API: POST/GET/DELETE /api/challenges/<ref>/follow/ for people signed in, and
POST /api/challenges/<ref>/follow/by-email/ for anyone."""

import pytest
from django.urls import reverse

from challenges.models import Follow
from procurement.models import OutgoingEmail
from tests.factories import ChallengeFactory, FollowFactory

pytestmark = pytest.mark.django_db


def url(challenge, name="challenge-follow"):
    return reverse(name, kwargs={"challenge_reference": challenge.reference})


def test_a_signed_in_person_follows_and_stops_by_the_api(api_as, rita, published_challenge):
    api = api_as(rita)

    assert api.get(url(published_challenge)).json() == {"following": False, "language": ""}
    response = api.post(url(published_challenge), {"language": "fr"}, format="json")

    assert response.status_code == 200
    assert response.json() == {"following": True, "language": "fr"}
    assert Follow.objects.get(user=rita).is_active

    response = api.delete(url(published_challenge))

    assert response.status_code == 200
    assert response.json()["following"] is False
    assert not Follow.objects.get(user=rita).is_active


def test_the_api_refuses_anonymous_follows_and_hidden_challenges(
    api_as, rita, alice, published_challenge
):
    challenge = ChallengeFactory(owner=alice)
    assert api_as(None).post(url(published_challenge)).status_code in (401, 403)
    assert api_as(rita).post(url(challenge)).status_code == 404
    assert api_as(alice).post(url(challenge)).status_code == 403
    assert api_as(rita).post(url(published_challenge), {"language": "xx"}).status_code == 400
    assert not Follow.objects.exists()


def test_anyone_follows_by_e_mail_through_the_api_with_the_same_answer(api_as, published_challenge):
    challenge = ChallengeFactory()
    FollowFactory(challenge=published_challenge, email="ann@example.org")
    api = api_as(None)
    address = url(published_challenge, "challenge-follow-email")

    known = api.post(address, {"email": "ann@example.org", "language": "en"}, format="json")
    new = api.post(address, {"email": "mia@example.org", "language": "fr"}, format="json")

    assert known.status_code == new.status_code == 202
    assert known.json() == new.json()
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["mia@example.org"]
    assert api.post(address, {"email": "nope"}, format="json").status_code == 400
    draft = url(challenge, "challenge-follow-email")
    assert api.post(draft, {"email": "a@example.org", "language": "en"}).status_code == 404


def test_the_e_mail_api_is_limited_per_client(api_as, published_challenge, settings):
    settings.FOLLOW_EMAIL_LIMIT_PER_HOUR = 1
    api = api_as(None)
    address = url(published_challenge, "challenge-follow-email")
    assert api.post(address, {"email": "a@example.org", "language": "en"}).status_code == 202
    assert api.post(address, {"email": "b@example.org", "language": "en"}).status_code == 429
