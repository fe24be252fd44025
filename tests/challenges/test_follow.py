"""Following a challenge: by account in one click, by e-mail with double opt-in, and stopping
by a one-click link (docs/engagement.md, "Follow a challenge")."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from challenges.follow_services import (
    follow_by_email,
    follow_challenge,
    follows_unconfirmed_delete,
    unsubscribe_token,
    unsubscribe_url,
)
from challenges.models import Follow
from core.models import AuditEntry
from procurement.models import OutgoingEmail
from tests.factories import ChallengeFactory, FollowFactory, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_challenge(published_challenge):
    return published_challenge


def follow_url(challenge, name="challenges:follow"):
    return reverse(name, kwargs={"reference": challenge.reference})


def confirmation_link(address):
    (email,) = OutgoingEmail.objects.filter(to=address)
    return re.search(r"https?://\S+/follow/confirm/\S+/", email.body).group(0)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'value="[A-Za-z0-9]{64}"', b"", content)


# By account ------------------------------------------------------------------------------------


def test_a_signed_in_resident_follows_and_unfollows_from_the_challenge_page(
    client, rita, open_challenge
):
    client.force_login(rita)
    page = client.get(open_challenge.get_absolute_url())
    assert follow_url(open_challenge).encode() in page.content

    response = client.post(follow_url(open_challenge), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    follow = Follow.objects.get(challenge=open_challenge, user=rita)
    assert follow.is_active
    assert follow.language == "fr"
    assert b'id="following"' in client.get(open_challenge.get_absolute_url()).content
    assert AuditEntry.objects.filter(object_id=str(follow.pk), transition="create").exists()

    client.post(follow_url(open_challenge, "challenges:unfollow"))

    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None
    assert not follow.is_active
    # Following again resumes the same row.
    client.post(follow_url(open_challenge))
    follow.refresh_from_db()
    assert follow.is_active
    assert Follow.objects.filter(challenge=open_challenge).count() == 1


def test_following_twice_keeps_one_follow(rita, open_challenge):
    first = follow_challenge(challenge=open_challenge, actor=rita, language="en")
    second = follow_challenge(challenge=open_challenge, actor=rita, language="en")
    assert first.pk == second.pk


def test_a_challenge_not_yet_public_cannot_be_followed(client, rita, alice):
    challenge = ChallengeFactory(owner=alice)
    client.force_login(rita)
    assert client.post(follow_url(challenge)).status_code == 404
    # Staff see the draft, and are refused.
    client.force_login(alice)
    assert client.post(follow_url(challenge)).status_code == 403
    assert not Follow.objects.exists()


def test_following_asks_to_sign_in_and_a_get_changes_nothing(client, rita, open_challenge):
    response = client.post(follow_url(open_challenge))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    client.force_login(rita)
    assert client.get(follow_url(open_challenge)).status_code == 405
    assert not Follow.objects.exists()


def test_a_person_sees_what_they_follow_on_their_preferences_page(client, rita, open_challenge):
    other = ChallengeFactory()
    set_status(other, "co_design")
    follow_challenge(challenge=open_challenge, actor=rita, language="en")
    client.force_login(rita)

    page = client.get(reverse("procurement:preferences")).content.decode()

    assert open_challenge.reference in page
    assert other.reference not in page


def test_an_anonymous_reader_is_offered_the_e_mail_form(client, open_challenge):
    page = client.get(open_challenge.get_absolute_url()).content.decode()
    assert follow_url(open_challenge, "challenges:follow_email") in page


# By e-mail, with double opt-in ------------------------------------------------------------------


def test_an_address_follows_only_once_it_confirms(client, open_challenge, settings):
    form = client.get(follow_url(open_challenge, "challenges:follow_email"))
    assert form.status_code == 200

    response = client.post(
        follow_url(open_challenge, "challenges:follow_email"),
        {"email": "Mia@Example.org", "language": "fr"},
    )

    assert response.status_code == 200
    assert b'id="follow-email-sent"' in response.content
    follow = Follow.objects.get(challenge=open_challenge)
    assert follow.email == "Mia@Example.org"
    assert follow.language == "fr"
    assert follow.confirmed_at is None
    # The confirmation is in the outbox, in the language chosen, and no secret is stored.
    (row,) = OutgoingEmail.objects.all()
    assert row.subject.startswith(f"[{settings.MUNICIPALITY_NAME}] Confirmez")
    link = confirmation_link("Mia@Example.org")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in follow.token_digest
    # No address in the audit trail.
    assert "mia" not in str(list(AuditEntry.objects.values_list("metadata", flat=True))).lower()

    # Opening the link (as a mail scanner does) confirms nothing; the button does.
    page = client.get(link)
    assert page.status_code == 200
    follow.refresh_from_db()
    assert follow.confirmed_at is None
    assert client.post(link).status_code == 200
    follow.refresh_from_db()
    assert follow.is_active


def test_the_form_gives_the_same_answer_whether_the_address_follows_or_not(client, open_challenge):
    FollowFactory(challenge=open_challenge, email="ann@example.org")
    url = follow_url(open_challenge, "challenges:follow_email")

    known = client.post(url, {"email": "ANN@example.org", "language": "en"})
    unknown = client.post(url, {"email": "new@example.org", "language": "en"})

    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content) == without_csrf(unknown.content)
    # The follower already told gets no e-mail; the new address its confirmation.
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["new@example.org"]
    assert Follow.objects.filter(challenge=open_challenge).count() == 2


def test_asking_again_sends_one_confirmation_an_hour(open_challenge):
    for _ in range(3):
        follow_by_email(challenge=open_challenge, email="mia@example.org", language="en")
    assert OutgoingEmail.objects.count() == 1
    assert Follow.objects.count() == 1


def test_the_form_is_limited_per_client(client, open_challenge, settings):
    settings.FOLLOW_EMAIL_LIMIT_PER_HOUR = 2
    url = follow_url(open_challenge, "challenges:follow_email")
    for i in range(2):
        assert client.post(url, {"email": f"p{i}@example.org", "language": "en"}).status_code == 200

    refused = client.post(url, {"email": "victim@example.org", "language": "en"})

    assert refused.status_code == 429
    assert not Follow.objects.filter(email="victim@example.org").exists()


def test_a_bad_address_is_refused_with_a_sentence(client, open_challenge):
    response = client.post(
        follow_url(open_challenge, "challenges:follow_email"),
        {"email": "not-an-address", "language": "en"},
    )
    assert response.status_code == 200
    assert b"has-error" in response.content
    assert not Follow.objects.exists()


def test_an_unknown_confirmation_link_does_nothing(client):
    response = client.post(reverse("challenges:follow_confirm", kwargs={"token": "guess"}))
    assert response.status_code == 404


def test_a_draft_cannot_be_followed_by_e_mail(client):
    challenge = ChallengeFactory()
    response = client.post(
        follow_url(challenge, "challenges:follow_email"),
        {"email": "mia@example.org", "language": "en"},
    )
    assert response.status_code == 404
    assert not Follow.objects.exists()


# Unsubscribing ---------------------------------------------------------------------------------


def test_the_unsubscribe_page_asks_then_a_post_unsubscribes(client, open_challenge):
    follow = FollowFactory(challenge=open_challenge)
    url = unsubscribe_url(follow)

    page = client.get(url)
    assert page.status_code == 200
    follow.refresh_from_db()
    assert follow.is_active

    done = client.post(url)
    assert done.status_code == 200
    assert b'id="unsubscribed"' in done.content
    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None
    # Twice is harmless.
    assert client.post(url).status_code == 200


def test_the_one_click_post_of_a_mail_provider_unsubscribes_without_a_session(open_challenge):
    follow = FollowFactory(challenge=open_challenge)
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(
        unsubscribe_url(follow),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None


def test_an_unsubscribe_link_with_a_wrong_token_does_nothing(client, open_challenge):
    follow = FollowFactory(challenge=open_challenge)
    other = FollowFactory(challenge=open_challenge)
    wrong = reverse(
        "challenges:unfollow_link", kwargs={"pk": follow.pk, "token": unsubscribe_token(other)}
    )

    assert client.post(wrong).status_code == 404
    follow.refresh_from_db()
    assert follow.is_active


def test_confirming_again_after_unsubscribing_resubscribes(client, open_challenge):
    follow_by_email(challenge=open_challenge, email="mia@example.org", language="en")
    link = confirmation_link("mia@example.org")
    client.post(link)
    follow = Follow.objects.get()
    client.post(unsubscribe_url(follow))
    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None

    client.post(link)

    follow.refresh_from_db()
    assert follow.is_active


# Admin -----------------------------------------------------------------------------------------


def test_the_admin_lists_followers_read_only_without_their_digest(client, root, open_challenge):
    follow = FollowFactory(challenge=open_challenge, email="ann@example.org")
    client.force_login(root)

    listing = client.get(reverse("admin:challenges_follow_changelist"))
    detail = client.get(reverse("admin:challenges_follow_change", args=[follow.pk]))

    assert listing.status_code == detail.status_code == 200
    assert b"ann@example.org" in listing.content
    for response in (listing, detail):
        assert follow.token_digest.encode() not in response.content
        assert unsubscribe_token(follow).encode() not in response.content
    assert client.get(reverse("admin:challenges_follow_add")).status_code == 403
    assert client.get(reverse("admin:procurement_follownotice_changelist")).status_code == 200


def test_addresses_never_confirmed_are_deleted_after_a_week(open_challenge, settings):
    settings.FOLLOW_UNCONFIRMED_DAYS = 7
    stale = FollowFactory(challenge=open_challenge, confirmed_at=None)
    recent = FollowFactory(challenge=open_challenge, confirmed_at=None)
    confirmed = FollowFactory(challenge=open_challenge)
    Follow.objects.filter(pk__in=[stale.pk, confirmed.pk]).update(
        created_at=timezone.now() - timedelta(days=8)
    )

    assert follows_unconfirmed_delete() == 1

    assert set(Follow.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert AuditEntry.objects.filter(object_id=str(stale.pk), transition="delete").exists()
