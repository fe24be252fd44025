"""The pages of "you said, we did": the owner's page (themes, grouping, counts, input not yet
grouped), its forms, and the section every reader sees on the challenge page and the outcomes
page, with published input counted only and rejected input never shown; every role gets what
the rules say."""

import pytest
from django.urls import reverse
from django.utils import translation

from challenges.models import CommunityInput, InputTheme
from tests.factories import CommunityInputFactory, InputThemeFactory, set_status

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "rita", "dave", "frank", "bob", "carol", "root", "alice"]
REJECTED_BODY = "Something rude that was not published."


def page(challenge, name="themes", *args):
    return reverse(f"challenges:{name}", args=[challenge.reference, *args])


def as_(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


@pytest.fixture
def themed(challenge):
    """In co-design: a theme grouping two published, one pending and one rejected input; one
    published input not grouped yet."""
    set_status(challenge, "co_design")
    theme = InputThemeFactory(
        challenge=challenge,
        title_en="Cold homes",
        title_fr=None,
        you_said_en="Drafty windows.",
        we_did_en="The statement asks for less heat loss.",
    )
    for status, body in (
        ("published", "First published."),
        ("published", "Second published."),
        ("pending", "Waiting for a moderator."),
        ("rejected", REJECTED_BODY),
    ):
        set_status(CommunityInputFactory(challenge=challenge, theme=theme, body=body), status)
    set_status(CommunityInputFactory(challenge=challenge, body="Not grouped yet."), "published")
    return challenge


@pytest.mark.parametrize("who", ROLES)
def test_only_the_owner_opens_the_themes_page(client, request, themed, who):
    response = as_(client, request, who).get(page(themed))
    expected = {"alice": 200, "bob": 403, "carol": 403, "root": 403, "anonymous": 302}
    assert response.status_code == expected.get(who, 403)


@pytest.mark.parametrize("name", ["themes", "theme_add"])
@pytest.mark.parametrize("who", ["anonymous", "rita", "alice"])
def test_a_draft_is_not_seen_and_not_themed(client, request, challenge, who, name):
    response = as_(client, request, who).get(page(challenge, name))
    assert response.status_code == {"anonymous": 302, "rita": 404, "alice": 403}[who]


def test_the_owner_sees_each_theme_with_its_counts_and_the_input_not_grouped(client, alice, themed):
    client.force_login(alice)
    html = client.get(page(themed)).content.decode()

    assert "Cold homes" in html
    assert "2 published contributions" in html
    assert "1 awaiting moderation" in html
    assert "Waiting for a moderator." in html
    assert "Input not grouped yet (1)" in html
    assert "Not grouped yet." in html
    assert REJECTED_BODY not in html


def test_the_owner_adds_edits_moves_and_deletes_a_theme(client, alice, themed):
    client.force_login(alice)
    response = client.post(
        page(themed, "theme_add"),
        {
            "title_en": "",
            "title_fr": "Autobus",
            "you_said_en": "Buses are late.",
            "outcome": "criterion",
            "we_did_en": "A criterion weighs reliability.",
        },
    )
    added = InputTheme.objects.get(title_fr="Autobus")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#theme-{added.pk}")

    response = client.post(
        page(themed, "theme_edit", added.pk),
        {
            "title_fr": "Autobus",
            "you_said_en": "Buses are late.",
            "outcome": "no_change",
            "we_did_en": "Nothing: the budget cannot cover more buses.",
        },
    )
    added.refresh_from_db()
    assert response.status_code == 302 and added.outcome == "no_change"

    client.post(page(themed, "theme_move", added.pk), {"direction": "up"})
    assert list(InputTheme.objects.values_list("pk", flat=True))[0] == added.pk

    assert client.get(page(themed, "theme_delete", added.pk)).status_code == 200
    client.post(page(themed, "theme_delete", added.pk))
    assert not InputTheme.objects.filter(pk=added.pk).exists()


def test_a_theme_without_any_language_shows_the_errors_and_saves_nothing(client, alice, themed):
    client.force_login(alice)
    response = client.post(page(themed, "theme_add"), {"outcome": "statement"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Name the theme in English, in French or in both." in html
    assert "Say what residents said, in English, in French or in both." in html
    assert InputTheme.objects.count() == 1


def test_the_owner_groups_and_ungroups_input_with_a_select(client, alice, themed):
    client.force_login(alice)
    theme = InputTheme.objects.get()
    loose = CommunityInput.objects.get(theme__isnull=True, body="Not grouped yet.")

    response = client.post(page(themed, "input_theme", loose.pk), {"theme": theme.pk})
    loose.refresh_from_db()
    assert response["Location"].endswith(f"#input-{loose.pk}")
    assert loose.theme == theme

    client.post(page(themed, "input_theme", loose.pk), {"theme": ""})
    loose.refresh_from_db()
    assert loose.theme is None


def test_grouping_rejected_input_or_under_an_unknown_theme_is_refused(client, alice, themed):
    client.force_login(alice)
    rejected = CommunityInput.objects.get(status="rejected")
    rejected.theme = None
    CommunityInput.objects.filter(pk=rejected.pk).update(theme=None)
    theme = InputTheme.objects.get()

    response = client.post(
        page(themed, "input_theme", rejected.pk), {"theme": theme.pk}, follow=True
    )
    assert "was not published" in response.content.decode()
    response = client.post(page(themed, "input_theme", rejected.pk), {"theme": "x"}, follow=True)
    assert "Choose one of this challenge" in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.theme is None


@pytest.mark.parametrize("who", ["rita", "bob"])
def test_nobody_else_writes_through_the_pages(client, request, themed, who):
    client.force_login(request.getfixturevalue(who))
    theme = InputTheme.objects.get()
    loose = CommunityInput.objects.get(body="Not grouped yet.")

    assert client.post(page(themed, "theme_add"), {"title_en": "X"}).status_code == 403
    assert client.post(page(themed, "theme_delete", theme.pk)).status_code == 403
    assert client.post(page(themed, "theme_move", theme.pk), {"direction": "up"}).status_code == 403
    response = client.post(page(themed, "input_theme", loose.pk), {"theme": theme.pk})
    assert response.status_code == 403
    assert InputTheme.objects.count() == 1
    assert CommunityInput.objects.filter(theme=theme).count() == 4


@pytest.mark.parametrize("who", ROLES)
def test_the_challenge_page_shows_the_themes_with_published_input_counted(
    client, request, themed, who
):
    html = as_(client, request, who).get(themed.get_absolute_url()).content.decode()

    assert 'id="you-said-we-did"' in html
    assert "Cold homes" in html
    assert "2 published contributions" in html
    assert "The statement asks for less heat loss." in html
    assert REJECTED_BODY not in html
    manage_link = page(themed)
    assert (f'href="{manage_link}"' in html) is (who == "alice")


def test_the_section_is_left_out_before_there_is_a_theme(client, challenge):
    set_status(challenge, "co_design")
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert 'id="you-said-we-did"' not in html


def test_a_theme_in_the_other_language_only_is_marked_and_tagged(client, themed):
    InputTheme.objects.update(title_en=None, title_fr="Logements froids")

    html = client.get(themed.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ' lang="fr">Logements froids <span class="language-mark">(French only)</span>' in html

    client.cookies.clear()
    with translation.override("fr"):
        html = client.get(themed.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<h3 id="you-said-' in html
    # The English "you said" is shown to a French reader, marked as English only.
    assert ' lang="en">Drafty windows.' in html


def test_the_outcomes_page_shows_you_said_we_did(client, themed):
    set_status(themed, "published")
    html = client.get(reverse("procurement:outcomes", args=[themed.reference])).content.decode()

    assert 'id="outcomes-you-said"' in html
    assert "Cold homes" in html
    assert "2 published contributions" in html
    assert REJECTED_BODY not in html


def test_the_outcomes_page_says_when_there_is_no_theme(client, challenge):
    set_status(challenge, "published")
    html = client.get(reverse("procurement:outcomes", args=[challenge.reference])).content.decode()
    assert 'id="you-said-empty"' in html
