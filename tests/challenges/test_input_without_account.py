"""Residents give input without an account: the form on the challenge page, its protections
(a hidden field robots fill, a limit per client) and how moderated input is shown."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge, CommunityInput
from core.models import AuditEntry
from tests.factories import CommunityInputFactory, PriorityGroupFactory, set_status

pytestmark = pytest.mark.django_db

IDEA = "A heat pump library for renters."


def add_url(challenge):
    return reverse("challenges:input_add", args=[challenge.reference])


def moderate_url(item):
    return reverse("challenges:input_moderate", args=[item.challenge.reference, item.pk])


def give(client, challenge, **fields):
    return client.post(add_url(challenge), {"kind": "idea", "body": IDEA, **fields})


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def seniors(db):
    return PriorityGroupFactory(slug="test-seniors", name_en="Seniors", name_fr="Aînés")


@pytest.fixture
def renters(db):
    return PriorityGroupFactory(slug="test-renters", name_en="Renters", name_fr="Locataires")


# --- giving input --------------------------------------------------------------------------------


def test_a_resident_without_an_account_gives_input_with_groups_and_consent(
    client, co_design_challenge, seniors, renters
):
    response = client.post(
        add_url(co_design_challenge),
        {
            "kind": "experience",
            "body": IDEA,
            "author_name": " Marie ",
            "neighbourhood": "Northside",
            "groups": [seniors.pk, renters.pk],
            "consent_to_publish": "on",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("#community-input")
    assert "Thank you. Your input will appear here once a moderator has read it." in (
        messages_of(response)
    )
    item = CommunityInput.objects.get(challenge=co_design_challenge)
    assert item.author is None
    assert (item.kind, item.body, item.author_name, item.neighbourhood) == (
        "experience",
        IDEA,
        "Marie",
        "Northside",
    )
    assert set(item.groups.all()) == {seniors, renters}
    assert item.consent_to_publish is True
    assert (item.stage, item.source, item.language, item.status) == (
        "co_design",
        "online",
        "en",
        "pending",
    )
    entry = AuditEntry.objects.get(object_id=str(item.pk), transition="create")
    assert entry.actor is None
    assert entry.metadata["changes"]["groups"]["after"] == sorted(
        [str(seniors.pk), str(renters.pk)]
    )


def test_input_is_received_without_consent_and_filed_in_the_active_language(
    client, co_design_challenge
):
    response = client.post(
        add_url(co_design_challenge),
        {"kind": "comment", "body": "Des thermopompes pour les locataires."},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 302
    item = CommunityInput.objects.get(challenge=co_design_challenge)
    assert (item.consent_to_publish, item.language) == (False, "fr")


def test_a_signed_in_resident_uses_the_same_form_and_is_the_author(
    client, rita, co_design_challenge
):
    client.force_login(rita)
    response = client.post(add_url(co_design_challenge), {"kind": "idea", "body": IDEA})

    assert response.status_code == 302
    assert CommunityInput.objects.get(challenge=co_design_challenge).author == rita


def test_the_form_says_what_consent_means_and_hides_the_trap_from_people(
    client, co_design_challenge, seniors
):
    html = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert "No account needed." in html
    assert "never publishes it" in html
    assert "Seniors" in html
    trap = html[html.index('<div class="visually-hidden" aria-hidden="true">') :]
    trap = trap[: trap.index("</div>")]
    assert 'name="website"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


def test_an_empty_body_is_refused_on_the_page_and_nothing_is_kept(client, co_design_challenge):
    response = client.post(add_url(co_design_challenge), {"kind": "idea", "body": "  "})

    assert response.status_code == 200
    assert response.context["input_form"].errors["body"]
    assert not CommunityInput.objects.exists()


CLOSED_STATES = [s for s in Challenge.Status.values if s != Challenge.Status.CO_DESIGN]


@pytest.mark.parametrize("state", CLOSED_STATES)
def test_input_is_refused_outside_co_design_and_a_running_pilot(client, alice, challenge, state):
    set_status(challenge, state)
    # The owner sees the challenge in every state, drafts included, and is refused all the same.
    client.force_login(alice)
    before = AuditEntry.objects.count()

    response = client.post(add_url(challenge), {"kind": "idea", "body": IDEA})

    assert response.status_code == 403
    label = str(Challenge.Status(state).label)
    assert f"This challenge is “{label}”, so nothing was received." in response.content.decode()
    assert not CommunityInput.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_form_is_not_offered_outside_co_design(client, challenge):
    set_status(challenge, "published")
    response = client.get(challenge.get_absolute_url())
    assert response.context["input_form"] is None
    assert 'name="website"' not in response.content.decode()


# --- spam protection -----------------------------------------------------------------------------


def test_a_filled_trap_is_answered_like_a_success_and_nothing_is_kept(client, co_design_challenge):
    before = AuditEntry.objects.count()

    response = client.post(
        add_url(co_design_challenge),
        {"kind": "idea", "body": "Cheap pills", "website": "http://spam.example"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Thank you. Your input will appear here once a moderator has read it." in (
        messages_of(response)
    )
    assert not CommunityInput.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.fixture
def limits(settings):
    settings.INPUT_LIMIT_PER_CHALLENGE = 3
    settings.INPUT_LIMIT_PER_CLIENT = 5
    settings.INPUT_LIMIT_WINDOW_MINUTES = 10
    return settings


def post_from(client, challenge, address, body=IDEA):
    return client.post(add_url(challenge), {"kind": "idea", "body": body}, REMOTE_ADDR=address)


def test_past_the_limit_a_client_is_refused_with_429_and_nothing_is_kept(
    client, limits, co_design_challenge
):
    for i in range(3):
        assert post_from(client, co_design_challenge, "203.0.113.7", f"Idea {i}").status_code == 302

    refused = post_from(client, co_design_challenge, "203.0.113.7", "One too many")

    assert refused.status_code == 429
    assert "Please wait 10 minutes and send it again." in refused.content.decode()
    assert list(CommunityInput.objects.values_list("body", flat=True)) == [
        "Idea 0",
        "Idea 1",
        "Idea 2",
    ]


def test_another_client_is_not_limited(client, limits, co_design_challenge):
    for _ in range(4):
        post_from(client, co_design_challenge, "203.0.113.7")

    assert post_from(client, co_design_challenge, "198.51.100.9", "Mine").status_code == 302
    assert CommunityInput.objects.filter(body="Mine").exists()


def test_the_limit_resets_once_its_window_has_passed(client, limits, co_design_challenge):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            post_from(client, co_design_challenge, "203.0.113.7")
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        assert post_from(client, co_design_challenge, "203.0.113.7").status_code == 429
    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        assert post_from(client, co_design_challenge, "203.0.113.7", "Later").status_code == 302
    assert CommunityInput.objects.filter(body="Later").exists()


def test_a_client_has_a_cap_over_all_challenges(client, limits, alice, department):
    from tests.factories import ChallengeFactory

    challenges = [
        set_status(ChallengeFactory(owner=alice, department=department), "co_design")
        for _ in range(3)
    ]
    for challenge in challenges[:2]:
        for _ in range(3):
            post_from(client, challenge, "203.0.113.7")
    # Three on each of the first two: the fifth was the last under the cap of five.
    assert CommunityInput.objects.count() == 5

    assert post_from(client, challenges[2], "203.0.113.7").status_code == 429
    assert CommunityInput.objects.count() == 5


def test_the_cache_never_holds_the_clients_address(client, limits, co_design_challenge):
    post_from(client, co_design_challenge, "203.0.113.7")

    keys = list(cache._cache)
    assert keys and any("input:" in key for key in keys)
    assert not any("203.0.113.7" in key for key in keys)


# --- moderation and how input is shown -----------------------------------------------------------


def test_anonymous_input_is_moderated_then_shown_as_from_a_resident(
    client, alice, co_design_challenge
):
    give(client, co_design_challenge, consent_to_publish="on")
    item = CommunityInput.objects.get()
    before = client.get(co_design_challenge.get_absolute_url()).content.decode()

    client.force_login(alice)
    staff_page = client.get(co_design_challenge.get_absolute_url()).content.decode()
    client.post(moderate_url(item), {"decision": "publish"})
    client.logout()
    after = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert IDEA not in before
    assert "no account" in staff_page
    item.refresh_from_db()
    assert item.status == CommunityInput.Status.PUBLISHED
    assert IDEA in after
    assert "A resident" in after


def test_a_published_input_shows_the_name_given_with_consent_never_the_username(
    client, rita, co_design_challenge
):
    named = CommunityInputFactory(
        challenge=co_design_challenge, author=rita, author_name="Rita L.", body="Named"
    )
    unnamed = CommunityInputFactory(challenge=co_design_challenge, author=rita, body="Unnamed")
    for item in (named, unnamed):
        set_status(item, "published")

    html = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert "Rita L." in html
    assert "A resident" in html
    assert "rita<" not in html and "from rita" not in html


def test_a_name_given_without_consent_is_never_shown(client, co_design_challenge):
    item = CommunityInputFactory(
        challenge=co_design_challenge, author=None, author_name="Secret Name", body="Kept"
    )
    CommunityInput.objects.filter(pk=item.pk).update(consent_to_publish=False, status="published")

    html = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert "Secret Name" not in html


def test_the_moderation_list_shows_source_groups_consent_and_stage(
    client, alice, co_design_challenge, seniors
):
    item = CommunityInputFactory(
        challenge=co_design_challenge, author=None, author_name="Marie", body="Pending"
    )
    CommunityInput.objects.filter(pk=item.pk).update(consent_to_publish=False)
    item.groups.set([seniors])
    client.force_login(alice)

    html = client.get(co_design_challenge.get_absolute_url()).content.decode()
    card = html[html.index(f'id="input-{item.pk}"') :]
    card = card[: card.index("</li>")]

    assert "Online" in card
    assert "Co-design" in card
    assert "Seniors" in card
    assert "No: for the city&#x27;s eyes only" in card or "No: for the city's eyes only" in card
    assert "signed “Marie”" in card


def test_moderating_from_another_page_goes_back_there_and_only_to_this_site(
    client, alice, co_design_challenge
):
    item = CommunityInputFactory(challenge=co_design_challenge)
    client.force_login(alice)

    back = client.post(
        moderate_url(item), {"decision": "publish", "next": "/challenges/elsewhere/#x"}
    )
    other = CommunityInputFactory(challenge=co_design_challenge)
    away = client.post(
        moderate_url(other), {"decision": "publish", "next": "https://evil.example/"}
    )

    assert back.url == "/challenges/elsewhere/#x"
    assert away.url == f"{co_design_challenge.get_absolute_url()}#pending-input"
