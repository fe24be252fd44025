"""An engagement activity records its stage, participants per priority group ("not recorded"
allowed and kept apart from 0), its co-hosts among the challenge's partners, and its summary in
either official language; on the service, the page and the API."""

import pytest
from django.urls import reverse

from challenges import services
from challenges.models import ActivityReach, EngagementActivity
from core.errors import InvalidInput, PermissionDenied
from core.models import AuditEntry
from tests.factories import (
    ChallengePartnerFactory,
    PartnerOrganizationFactory,
    PriorityGroupFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


def activity(**overrides):
    data = {
        "kind": "pop_up",
        "held_on": "2026-11-01",
        "participants": 30,
        "summary_en": "Residents described cold rooms.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def groups():
    return (
        PriorityGroupFactory(slug="a-seniors", name_en="Seniors a"),
        PriorityGroupFactory(slug="a-youth", name_en="Youth a"),
        PriorityGroupFactory(slug="a-renters", name_en="Renters a"),
    )


def test_it_records_participants_per_group_with_not_recorded_apart_from_zero(
    co_design_challenge, alice, groups
):
    seniors, youth, renters = groups

    made = services.engagement_activity_add(
        challenge=co_design_challenge,
        actor=alice,
        reach={seniors: 12, youth: 0, renters: None},
        **activity(),
    )

    stored = dict(
        ActivityReach.objects.filter(activity=made).values_list("group__slug", "participants")
    )
    assert stored == {"a-seniors": 12, "a-youth": 0, "a-renters": None}
    entry = AuditEntry.objects.get(transition="create", object_id=str(made.pk))
    assert entry.metadata["reach"] == {str(seniors.pk): 12, str(youth.pk): 0, str(renters.pk): None}


@pytest.mark.parametrize("participants", [-1, 2.5, "7", True])
def test_a_bad_count_for_a_group_is_refused_and_nothing_stored(
    co_design_challenge, alice, groups, participants
):
    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(
            challenge=co_design_challenge,
            actor=alice,
            reach={groups[0]: participants},
            **activity(),
        )

    assert "reach" in invalid.value.field_errors
    assert EngagementActivity.objects.count() == 1  # the fixture's own
    assert not ActivityReach.objects.exists()


def test_the_summary_may_be_in_french_only(co_design_challenge, alice):
    made = services.engagement_activity_add(
        challenge=co_design_challenge,
        actor=alice,
        **activity(summary_en="", summary_fr="Les aînés ont froid."),
    )

    made.refresh_from_db()
    assert (made.summary_en or "", made.summary_fr) == ("", "Les aînés ont froid.")


def test_a_summary_in_neither_language_is_refused(co_design_challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(
            challenge=co_design_challenge,
            actor=alice,
            **activity(summary_en="  ", summary_fr=""),
        )

    assert invalid.value.field_errors["summary"] == [
        "Write the summary in English, in French or in both."
    ]


def test_an_activity_cannot_be_recorded_for_a_stage_still_to_come(co_design_challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(
            challenge=co_design_challenge, actor=alice, **activity(stage="pilot")
        )

    assert "stage" in invalid.value.field_errors
    assert EngagementActivity.objects.count() == 1  # the fixture's own


def test_an_earlier_stage_may_be_recorded_late(published_challenge, alice):
    made = services.engagement_activity_add(
        challenge=published_challenge, actor=alice, **activity(stage="co_design")
    )

    assert made.stage == "co_design"


def test_co_hosts_are_the_challenges_own_partners(co_design_challenge, alice):
    linked = ChallengePartnerFactory(challenge=co_design_challenge).partner
    stranger = PartnerOrganizationFactory(name="Not on this challenge")

    with pytest.raises(InvalidInput) as invalid:
        services.engagement_activity_add(
            challenge=co_design_challenge, actor=alice, partners=[stranger], **activity()
        )
    assert "partners" in invalid.value.field_errors

    made = services.engagement_activity_add(
        challenge=co_design_challenge, actor=alice, partners=[linked], **activity()
    )
    assert list(made.partners.all()) == [linked]


def test_the_page_records_groups_partners_and_both_summaries(
    client, alice, co_design_challenge, groups
):
    seniors, youth, renters = groups
    partner = ChallengePartnerFactory(challenge=co_design_challenge).partner
    client.force_login(alice)
    url = reverse("challenges:activity_add", args=[co_design_challenge.reference])

    form_page = client.get(url)
    html = form_page.content.decode()
    assert "Participants per priority group" in html and "Seniors a" in html
    assert form_page.context["form"].fields["stage"].initial == "co_design"

    response = client.post(
        url,
        {
            "kind": "workshop",
            "held_on": "2026-05-04",
            "participants": "18",
            "summary_en": "Bus stops matter.",
            "summary_fr": "Les arrêts d’autobus comptent.",
            f"group_{seniors.pk}": "9",
            f"group_{youth.pk}": "0",
            f"group_{renters.pk}": "",
            "partners": [partner.pk],
        },
    )

    assert response.status_code == 302
    made = EngagementActivity.objects.filter(challenge=co_design_challenge).latest("id")
    assert (made.stage, made.summary_en, made.summary_fr) == (
        "co_design",
        "Bus stops matter.",
        "Les arrêts d’autobus comptent.",
    )
    counts = dict(made.reach.values_list("group__slug", "participants"))
    assert counts["a-seniors"] == 9 and counts["a-youth"] == 0 and counts["a-renters"] is None
    assert list(made.partners.all()) == [partner]


def test_the_page_refuses_a_negative_count_and_keeps_what_was_typed(
    client, alice, co_design_challenge, groups
):
    client.force_login(alice)

    response = client.post(
        reverse("challenges:activity_add", args=[co_design_challenge.reference]),
        {**activity(participants="5"), f"group_{groups[0].pk}": "-2"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[f"group_{groups[0].pk}"]
    assert EngagementActivity.objects.count() == 1  # the fixture's own


def test_the_api_records_and_lists_participants_per_group(
    api_as, alice, co_design_challenge, groups
):
    seniors, youth, _renters = groups
    url = f"/api/challenges/{co_design_challenge.reference}/engagement-activities/"

    response = api_as(alice).post(
        url,
        {
            **activity(),
            "reach": [
                {"group": seniors.pk, "participants": 4},
                {"group": youth.pk, "participants": None},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    made_id = response.json()["id"]
    listed = next(row for row in api_as(None).get(url).json()["results"] if row["id"] == made_id)
    assert listed["stage"] == "co_design"
    assert [(r["group_slug"], r["participants"]) for r in listed["reach"]] == [
        ("a-seniors", 4),
        ("a-youth", None),
    ]


def test_the_api_refuses_a_group_twice_and_an_unknown_group(
    api_as, alice, co_design_challenge, groups
):
    url = f"/api/challenges/{co_design_challenge.reference}/engagement-activities/"
    twice = [{"group": groups[0].pk, "participants": 1}, {"group": groups[0].pk, "participants": 2}]

    assert api_as(alice).post(url, {**activity(), "reach": twice}, format="json").status_code == 400
    unknown = [{"group": 999999, "participants": 1}]
    response = api_as(alice).post(url, {**activity(), "reach": unknown}, format="json")
    assert response.status_code == 400
    assert EngagementActivity.objects.count() == 1  # the fixture's own


def test_the_api_refuses_a_summary_in_neither_language(api_as, alice, co_design_challenge):
    url = f"/api/challenges/{co_design_challenge.reference}/engagement-activities/"

    response = api_as(alice).post(url, activity(summary_en=""), format="json")

    assert response.status_code == 400
    assert response.json()["summary"]


@pytest.mark.parametrize(
    ("pilot_status", "allowed"),
    [("planned", True), ("active", True), ("adopted", False), ("concluded", False)],
)
def test_the_owner_records_during_the_pilot_not_once_it_ended(
    challenge, alice, pilot_status, allowed
):
    from tests.procurement.test_pages_dashboard import pilot_of

    set_status(challenge, "awarded")
    pilot_of(challenge, owner=alice, status=pilot_status)

    if allowed:
        made = services.engagement_activity_add(challenge=challenge, actor=alice, **activity())
        assert made.stage == "pilot"
    else:
        with pytest.raises(PermissionDenied, match="until the pilot ends"):
            services.engagement_activity_add(challenge=challenge, actor=alice, **activity())
        assert not EngagementActivity.objects.exists()
