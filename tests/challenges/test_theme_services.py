"""Writing "you said, we did": who may, in which stages, what bad input is told, and the audit
entry every change leaves (filed under the challenge)."""

import pytest
from django.utils import translation

from challenges import theme_services as ts
from challenges.models import CommunityInput, InputTheme
from challenges.theme_rules import THEME_STATES
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from tests.factories import (
    ChallengeFactory,
    CommunityInputFactory,
    InputThemeFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

THEME = {
    "title_en": "Cold homes",
    "title_fr": "",
    "you_said_en": "Drafty windows.",
    "you_said_fr": "",
    "outcome": "statement",
    "we_did_en": "The statement asks for less heat loss.",
    "we_did_fr": "",
}
ALL_STATES = (
    "draft",
    "co_design",
    "in_review",
    "approved",
    "published",
    "closed",
    "evaluating",
    "awarded",
    "not_awarded",
    "cancelled",
)


def entries(action, model):
    return AuditEntry.objects.filter(transition=action, content_type__model=model._meta.model_name)


@pytest.fixture
def themed(challenge):
    return set_status(challenge, "co_design")


def test_the_owner_adds_a_theme_at_the_end_and_it_is_audited(themed, alice):
    first = ts.theme_create(challenge=themed, actor=alice, **THEME)
    second = ts.theme_create(challenge=themed, actor=alice, **{**THEME, "title_en": "Buses"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (1, 2)
    assert first.title_en == "Cold homes" and first.title_fr is None
    assert first.created_by == alice
    entry = entries("create", InputTheme).first()
    assert entry.metadata["challenge_id"] == themed.pk
    assert entry.metadata["changes"]["title_en"] == {"before": None, "after": "Cold homes"}


def test_a_theme_in_french_only_is_accepted_and_read_in_french_by_everyone(themed, alice):
    theme = ts.theme_create(
        challenge=themed,
        actor=alice,
        title_fr="Logements froids",
        you_said_fr="Fenêtres.",
        outcome="no_change",
        we_did_fr="Rien, parce que…",
    )

    theme.refresh_from_db()
    with translation.override("en"):
        assert theme.title == "Logements froids"
    assert theme.title_en is None


@pytest.mark.parametrize("field", ["title", "you_said", "we_did"])
def test_each_required_text_needs_one_language_at_least(themed, alice, field):
    data = {**THEME, f"{field}_en": "  ", f"{field}_fr": ""}

    with pytest.raises(InvalidInput) as refused:
        ts.theme_create(challenge=themed, actor=alice, **data)

    assert list(refused.value.field_errors) == [f"{field}_en"]
    assert "English, in French or in both" in refused.value.messages[0]
    assert not InputTheme.objects.exists()


def test_an_unknown_outcome_and_unknown_fields_are_refused(themed, alice):
    with pytest.raises(InvalidInput) as refused:
        ts.theme_create(challenge=themed, actor=alice, **{**THEME, "outcome": "maybe"})
    assert "outcome" in refused.value.field_errors
    with pytest.raises(InvalidInput):
        ts.theme_create(challenge=themed, actor=alice, **THEME, position=9)
    assert not InputTheme.objects.exists()


@pytest.mark.parametrize("status", ALL_STATES)
def test_the_owner_writes_themes_from_co_design_until_the_challenge_ends(challenge, alice, status):
    set_status(challenge, status)
    if status in THEME_STATES:
        theme = ts.theme_create(challenge=challenge, actor=alice, **THEME)
        ts.theme_update(theme=theme, actor=alice, outcome="criterion")
        ts.theme_delete(theme=theme, actor=alice)
    else:
        with pytest.raises(PermissionDenied):
            ts.theme_create(challenge=challenge, actor=alice, **THEME)
        theme = InputThemeFactory(challenge=challenge)
        with pytest.raises(PermissionDenied):
            ts.theme_update(theme=theme, actor=alice, outcome="criterion")
        with pytest.raises(PermissionDenied):
            ts.theme_delete(theme=theme, actor=alice)
        assert InputTheme.objects.get().outcome == "statement"


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "frank", "rita", "root"])
def test_nobody_but_the_owner_writes_themes(themed, who, request):
    user = request.getfixturevalue(who)
    theme = InputThemeFactory(challenge=themed)
    community_input = CommunityInputFactory(challenge=themed)
    for write in (
        lambda: ts.theme_create(challenge=themed, actor=user, **THEME),
        lambda: ts.theme_update(theme=theme, actor=user, outcome="criterion"),
        lambda: ts.theme_move(theme=theme, actor=user, direction="up"),
        lambda: ts.theme_delete(theme=theme, actor=user),
        lambda: ts.input_assign_theme(community_input=community_input, theme=theme, actor=user),
        lambda: ts.input_unassign_theme(community_input=community_input, actor=user),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert InputTheme.objects.get().outcome == "statement"
    assert not AuditEntry.objects.filter(content_type__model="inputtheme").exists()


def test_an_update_records_what_changed(themed, alice):
    theme = InputThemeFactory(challenge=themed)

    ts.theme_update(theme=theme, actor=alice, we_did_fr="Le cahier des charges a changé.")

    theme.refresh_from_db()
    assert theme.we_did_fr == "Le cahier des charges a changé."
    changes = entries("update", InputTheme).get().metadata["changes"]
    assert changes == {"we_did_fr": {"before": None, "after": "Le cahier des charges a changé."}}


def test_deleting_a_theme_ungroups_its_input_and_audits_each(themed, alice):
    theme = InputThemeFactory(challenge=themed)
    grouped = [CommunityInputFactory(challenge=themed, theme=theme) for _ in range(2)]

    ts.theme_delete(theme=theme, actor=alice)

    assert not InputTheme.objects.exists()
    assert CommunityInput.objects.filter(theme__isnull=True).count() == 2
    unassigned = entries("unassign_theme", CommunityInput)
    assert sorted(e.object_id for e in unassigned) == sorted(str(i.pk) for i in grouped)
    assert unassigned[0].metadata["changes"]["theme"] == {"before": theme.pk, "after": None}
    assert entries("delete", InputTheme).get().metadata["challenge_id"] == themed.pk


def test_themes_move_up_and_down_and_not_past_the_ends(themed, alice):
    a, b, c = (InputThemeFactory(challenge=themed, title=t, position=0) for t in "abc")

    ts.theme_move(theme=c, actor=alice, direction="up")
    assert list(InputTheme.objects.values_list("title", flat=True)) == ["a", "c", "b"]
    with pytest.raises(InvalidInput, match="already the first"):
        ts.theme_move(theme=a, actor=alice, direction="up")
    with pytest.raises(InvalidInput, match="already the last"):
        ts.theme_move(theme=b, actor=alice, direction="down")
    with pytest.raises(InvalidInput):
        ts.theme_move(theme=b, actor=alice, direction="sideways")
    assert entries("move", InputTheme).get().metadata["changes"]["position"]["after"] == 2


@pytest.mark.parametrize("status", ["published", "pending"])
def test_published_or_pending_input_is_grouped_and_ungrouped(themed, alice, status):
    theme = InputThemeFactory(challenge=themed)
    community_input = CommunityInputFactory(challenge=themed)
    set_status(community_input, status)

    ts.input_assign_theme(community_input=community_input, theme=theme, actor=alice)
    community_input.refresh_from_db()
    assert community_input.theme == theme
    assert entries("assign_theme", CommunityInput).get().metadata["challenge_id"] == themed.pk

    ts.input_unassign_theme(community_input=community_input, actor=alice)
    community_input.refresh_from_db()
    assert community_input.theme is None
    assert entries("unassign_theme", CommunityInput).count() == 1


def test_rejected_input_is_never_grouped(themed, alice):
    theme = InputThemeFactory(challenge=themed)
    community_input = set_status(CommunityInputFactory(challenge=themed), "rejected")

    with pytest.raises(TransitionRefused, match="not published"):
        ts.input_assign_theme(community_input=community_input, theme=theme, actor=alice)

    community_input.refresh_from_db()
    assert community_input.theme is None


def test_input_is_grouped_only_under_a_theme_of_its_own_challenge(themed, alice):
    other = set_status(ChallengeFactory(owner=alice, department=themed.department), "co_design")
    theme = InputThemeFactory(challenge=other)
    community_input = CommunityInputFactory(challenge=themed)

    with pytest.raises(InvalidInput) as refused:
        ts.input_assign_theme(community_input=community_input, theme=theme, actor=alice)

    assert "theme" in refused.value.field_errors
    community_input.refresh_from_db()
    assert community_input.theme is None


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_grouping_is_refused_outside_the_theme_stages(challenge, alice, status):
    theme = InputThemeFactory(challenge=challenge)
    community_input = CommunityInputFactory(challenge=challenge, theme=theme)
    set_status(challenge, status)

    with pytest.raises(PermissionDenied):
        ts.input_unassign_theme(community_input=community_input, actor=alice)
    with pytest.raises(PermissionDenied):
        ts.input_assign_theme(community_input=community_input, theme=theme, actor=alice)


def test_a_theme_deleted_meanwhile_is_a_conflict(themed, alice):
    theme = InputThemeFactory(challenge=themed)
    InputTheme.objects.filter(pk=theme.pk).delete()

    with pytest.raises(TransitionRefused, match="deleted in the meantime"):
        ts.theme_update(theme=theme, actor=alice, outcome="criterion")
