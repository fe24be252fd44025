""" "You said, we did" through the API: who reads (published input counted only), who writes,
the assignment endpoint, and the error shapes."""

import pytest

from challenges.models import CommunityInput, InputTheme
from core.models import AuditEntry
from tests.factories import CommunityInputFactory, InputThemeFactory, set_status

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "rita", "dave", "frank", "bob", "carol", "root", "alice"]
INTERNAL = {"bob", "carol", "root", "alice"}
THEME = {
    "title_en": "Buses",
    "you_said_fr": "Les autobus sont en retard.",
    "outcome": "criterion",
    "we_did_en": "A criterion weighs reliability.",
}


def url(challenge, tail=""):
    return f"/api/challenges/{challenge.reference}/{tail}"


def user(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


@pytest.fixture
def theme(challenge):
    theme = InputThemeFactory(challenge=challenge, title_en="Cold homes")
    for status in ("published", "published", "pending", "rejected"):
        set_status(CommunityInputFactory(challenge=challenge, theme=theme), status)
    return theme


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("status", ["draft", "in_review", "co_design", "awarded"])
def test_themes_are_read_by_everyone_once_the_challenge_is_public(
    api_as, request, challenge, theme, who, status
):
    set_status(challenge, status)
    response = api_as(user(request, who)).get(url(challenge, "themes/"))

    public = status in ("co_design", "awarded")
    assert response.status_code == (200 if public or who in INTERNAL else 404)
    if response.status_code == 200:
        (row,) = response.json()["results"]
        assert row["title"] == row["title_en"] == "Cold homes"
        assert row["published_input_count"] == 2
        detail = api_as(user(request, who)).get(url(challenge, f"themes/{theme.pk}/"))
        assert detail.json()["published_input_count"] == 2


@pytest.mark.parametrize("who", ROLES)
def test_only_the_owner_writes(api_as, request, challenge, theme, who):
    set_status(challenge, "published")
    client = api_as(user(request, who))
    loose = CommunityInputFactory(challenge=challenge)
    writes = [
        client.post(url(challenge, "themes/"), THEME, format="json"),
        client.patch(
            url(challenge, f"themes/{theme.pk}/"), {"outcome": "no_change"}, format="json"
        ),
        client.post(url(challenge, f"themes/{theme.pk}/move/"), {"direction": "up"}, format="json"),
        client.post(
            url(challenge, "theme-assignments/"),
            {"input": loose.pk, "theme": theme.pk},
            format="json",
        ),
    ]
    if who == "alice":
        assert [r.status_code for r in writes] == [201, 200, 400, 200]
        assert writes[0].json()["title"] == "Buses"
        assert writes[0].json()["you_said"] == "Les autobus sont en retard."
        assert writes[1].json()["outcome"] == "no_change"
        assert "already the first" in writes[2].json()["detail"]
        assert writes[3].json() == {"input": loose.pk, "theme": theme.pk}
        assert client.delete(url(challenge, f"themes/{theme.pk}/")).status_code == 204
        assert CommunityInput.objects.filter(theme__isnull=True).count() == 5
    else:
        expected = 403  # anonymous too: the API names no login challenge
        assert {r.status_code for r in writes} == {expected}
        assert client.delete(url(challenge, f"themes/{theme.pk}/")).status_code == expected
        assert InputTheme.objects.get().outcome == "statement"
        assert not AuditEntry.objects.filter(content_type__model="inputtheme").exists()


def test_the_owner_is_refused_in_draft_and_once_cancelled(api_as, alice, challenge, theme):
    for status in ("draft", "cancelled"):
        set_status(challenge, status, published_at=None)
        response = api_as(alice).post(url(challenge, "themes/"), THEME, format="json")
        assert response.status_code == 403
        assert "from co-design until the challenge ends" in response.json()["detail"]


def test_bad_input_answers_400_with_field_errors(api_as, alice, challenge, theme):
    set_status(challenge, "co_design")
    response = api_as(alice).post(
        url(challenge, "themes/"), {"outcome": "nonsense", "title_en": ""}, format="json"
    )
    assert response.status_code == 400
    assert "outcome" in response.json()

    response = api_as(alice).post(
        url(challenge, "themes/"), {"outcome": "statement"}, format="json"
    )
    body = response.json()
    assert response.status_code == 400
    assert set(body) >= {"title_en", "you_said_en", "we_did_en"}


def test_assignment_refuses_rejected_input_and_foreign_rows(api_as, alice, challenge, theme):
    set_status(challenge, "co_design")
    client = api_as(alice)
    rejected = CommunityInput.objects.get(status="rejected")
    CommunityInput.objects.filter(pk=rejected.pk).update(theme=None)

    response = client.post(
        url(challenge, "theme-assignments/"),
        {"input": rejected.pk, "theme": theme.pk},
        format="json",
    )
    assert response.status_code == 409
    assert "was not published" in response.json()["detail"]

    other = InputThemeFactory()
    response = client.post(
        url(challenge, "theme-assignments/"),
        {"input": rejected.pk, "theme": other.pk},
        format="json",
    )
    assert response.status_code == 400 and "theme" in response.json()
    response = client.post(
        url(challenge, "theme-assignments/"), {"input": 999999, "theme": None}, format="json"
    )
    assert response.status_code == 400 and "input" in response.json()


def test_assignment_with_no_theme_ungroups(api_as, alice, challenge, theme):
    set_status(challenge, "co_design")
    grouped = CommunityInput.objects.filter(status="published").first()

    response = api_as(alice).post(
        url(challenge, "theme-assignments/"), {"input": grouped.pk, "theme": None}, format="json"
    )

    assert response.json() == {"input": grouped.pk, "theme": None}
    grouped.refresh_from_db()
    assert grouped.theme is None
