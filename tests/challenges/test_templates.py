"""Start a new challenge from an earlier one: the statement's structure, the questions vendors
answer, the evaluation plan and the data governance record are copied into a new draft owned by
the actor, in one audited transaction; nothing sealed, personal or dated ever is."""

from decimal import Decimal

import pytest
from django.urls import reverse

from challenges.copying import challenge_copy, register_copier, unregister_copier
from challenges.models import Challenge, DataGovernanceRecord
from core.errors import PermissionDenied
from core.models import AuditEntry
from evaluation.models import EvaluationPlan
from tests.factories import (
    AddendumFactory,
    CommunityInputFactory,
    DataAssetFactory,
    DataSharingFactory,
    EngagementActivityFactory,
    GovernanceDecisionFactory,
    ProposalAnswerFactory,
    QuestionFactory,
    ResponseQuestionFactory,
    complete_governance,
    complete_plan,
    set_status,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "frank", "alice", "bob", "carol", "root")
STAFF = ("alice", "bob", "carol")


@pytest.fixture
def origin(challenge, alice, dave):
    """alice's challenge, published then evaluated: questions (one answered by a vendor), a
    frozen plan, a record with an asset, a signed sharing and a decision, community input."""
    question = ResponseQuestionFactory(
        challenge=challenge, order=1, prompt="How will you lower bills?", max_words=300
    )
    ResponseQuestionFactory(
        challenge=challenge, order=2, prompt="Where is data stored?", governance_key="data_location"
    )
    plan = complete_plan(challenge)
    plan.criteria.filter(kind="mandatory").update(governance_key="personal_information_in_canada")
    record = complete_governance(
        challenge,
        assessment_status="completed",
        assessment_completed_on="2026-01-15",
        dismissed_proposals=[{"key": "question:sub_processors", "label": "Sub-processors?"}],
    )
    DataAssetFactory(
        record=record,
        name="Bus stops",
        sensitivity="none",
        open_data=True,
        licence="ogl_canada",
        open_format="GTFS",
    )
    DataSharingFactory(record=record, agreement_status="signed")
    GovernanceDecisionFactory(record=record)
    EngagementActivityFactory(challenge=challenge)
    CommunityInputFactory(challenge=challenge)
    QuestionFactory(challenge=challenge)
    AddendumFactory(challenge=challenge)
    set_status(challenge, "evaluating", closed_at=challenge.submission_deadline)
    EvaluationPlan.objects.filter(pk=plan.pk).update(
        digest="a" * 64, approved_digest="a" * 64, frozen_at=challenge.published_at
    )
    ProposalAnswerFactory(question=question, proposal__challenge=challenge)
    challenge.refresh_from_db()
    return challenge


def test_the_statement_structure_is_copied_without_reference_dates_status_or_owner(origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)

    copy.refresh_from_db()
    assert copy.title == f"Copy of {origin.title}"
    for name in (
        "summary",
        "department",
        "problem",
        "context",
        "desired_outcomes",
        "constraints",
        "success_measures",
        "affected_communities",
        "budget_min",
        "budget_max",
    ):
        assert getattr(copy, name) == getattr(origin, name), name
    assert copy.reference != origin.reference
    assert copy.status == "draft"
    assert copy.owner == bob
    assert copy.copied_from == origin
    assert (copy.questions_deadline, copy.submission_deadline) == (None, None)
    assert (copy.published_at, copy.closed_at, copy.approved_by) == (None, None, None)


def test_the_response_questions_are_copied_in_order_with_their_governance_keys(origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)

    rows = list(
        copy.response_questions.order_by("order").values_list(
            "order", "prompt", "max_words", "governance_key"
        )
    )
    assert rows == [
        (1, "How will you lower bills?", 300, ""),
        (2, "Where is data stored?", None, "data_location"),
    ]


def test_the_plan_is_copied_unfrozen_without_digests(origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)

    source = origin.evaluation_plan
    plan = EvaluationPlan.objects.get(challenge=copy)
    assert (plan.frozen_at, plan.digest, plan.approved_digest) == (None, "", "")
    assert (plan.combination, plan.minimum_technical_score, plan.tie_break_order) == (
        source.combination,
        source.minimum_technical_score,
        source.tie_break_order,
    )
    fields = ("kind", "order", "name", "description", "weight", "max_points", "governance_key")
    assert list(plan.criteria.order_by("order", "pk").values_list(*fields)) == list(
        source.criteria.order_by("order", "pk").values_list(*fields)
    )
    assert sum(plan.criteria.values_list("weight", flat=True)) == 100
    assert (
        not hasattr(copy, "evaluation")
        or not type(copy).objects.filter(pk=copy.pk, evaluation__isnull=False).exists()
    )


def test_the_record_is_copied_with_assets_and_sharings_but_not_decisions(origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)

    source = origin.data_governance
    record = DataGovernanceRecord.objects.get(challenge=copy)
    for name in (
        "legal_authority",
        "retention_period",
        "storage_location",
        "open_standards",
        "accessibility_standard",
        "exit_data_return",
        "exit_formats",
        "exit_plan",
    ):
        assert getattr(record, name) == getattr(source, name), name
    # The assessment and the agreements were the earlier purchase's: they start over.
    assert (record.assessment_status, record.assessment_completed_on) == ("not_started", None)
    assert list(record.sharings.values_list("party", "agreement_status")) == [
        ("The provincial energy efficiency agency", "none")
    ]
    assert list(record.assets.values_list("name", "open_format")) == list(
        source.assets.values_list("name", "open_format")
    )
    assert not record.decisions.exists()
    assert record.dismissed_proposals == []
    assert record.updated_by == bob


def test_nothing_sealed_or_personal_is_copied(origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)

    assert not copy.proposals.exists()
    assert not copy.community_inputs.exists()
    assert not copy.questions.exists()
    assert not copy.addenda.exists()
    assert not copy.engagement_activities.exists()
    assert not copy.documents.exists()
    assert not copy.response_questions.filter(answers__isnull=False).exists()


def test_the_copy_is_audited_in_one_transaction(origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)

    entries = AuditEntry.objects.filter(metadata__challenge_id=copy.pk)
    created = entries.filter(transition="create").values_list("content_type__model", flat=True)
    assert sorted(set(created)) == [
        "criterion",
        "dataasset",
        "datagovernancerecord",
        "datasharing",
        "evaluationplan",
        "responsequestion",
    ]
    assert set(entries.values_list("actor", flat=True)) == {bob.pk}
    first = AuditEntry.objects.get(content_type__model="challenge", object_id=str(copy.pk))
    assert (first.transition, first.actor) == ("create", bob)
    assert first.metadata["copied_from"] == origin.reference


def test_a_failing_part_leaves_nothing_behind(origin, bob):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    register_copier("zz.broken", broken)
    count = Challenge.objects.count()
    try:
        with pytest.raises(RuntimeError):
            challenge_copy(origin=origin, actor=bob)
    finally:
        unregister_copier("zz.broken")

    assert Challenge.objects.count() == count
    assert not DataGovernanceRecord.objects.exclude(challenge=origin).exists()


def test_a_challenge_without_plan_or_record_copies_its_statement(challenge, bob):
    copy = challenge_copy(origin=challenge, actor=bob)

    assert not EvaluationPlan.objects.filter(challenge=copy).exists()
    assert not DataGovernanceRecord.objects.filter(challenge=copy).exists()


def test_a_long_title_is_shortened_to_fit(challenge, bob):
    Challenge.objects.filter(pk=challenge.pk).update(title="T" * 200)
    challenge.refresh_from_db()

    copy = challenge_copy(origin=challenge, actor=bob)

    assert len(copy.title) == 200


@pytest.mark.parametrize("persona", ["dave", "frank", "rita"])
def test_only_staff_start_from_an_earlier_challenge(request, origin, persona):
    count = Challenge.objects.count()

    with pytest.raises(PermissionDenied):
        challenge_copy(origin=origin, actor=request.getfixturevalue(persona))

    assert Challenge.objects.count() == count


def test_the_copy_can_be_edited_by_its_new_owner(client, origin, bob):
    copy = challenge_copy(origin=origin, actor=bob)
    client.force_login(bob)

    assert client.get(reverse("challenges:edit", args=[copy.reference])).status_code == 200
    assert client.get(reverse("evaluation:plan", args=[copy.reference])).status_code == 200


# Pages --------------------------------------------------------------------------------------------


def copy_url(challenge):
    return reverse("challenges:copy", args=[challenge.reference])


def test_staff_see_the_button_on_the_challenge_page(client, origin, bob, dave):
    client.force_login(bob)
    staff_page = client.get(origin.get_absolute_url()).content.decode()
    client.force_login(dave)
    vendor_page = client.get(origin.get_absolute_url()).content.decode()

    assert "Start a new challenge from this one" in staff_page
    assert copy_url(origin) in staff_page
    assert copy_url(origin) not in vendor_page


def test_the_confirmation_page_says_what_is_and_is_not_copied(client, origin, bob):
    client.force_login(bob)

    page = client.get(copy_url(origin)).content.decode()

    assert "Never copied" in page
    assert "Proposals, scores, prices and anything sealed" in page
    assert Challenge.objects.filter(copied_from=origin).count() == 0


def test_posting_starts_the_draft_and_opens_its_statement(client, origin, bob):
    client.force_login(bob)

    response = client.post(copy_url(origin))

    copy = Challenge.objects.get(copied_from=origin)
    assert response.status_code == 302
    assert response.url == reverse("challenges:edit", args=[copy.reference])
    assert copy.owner == bob


def persona_client(request, client, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_copy_page_answers_each_persona(request, client, origin, persona):
    set_status(origin, "published")
    client = persona_client(request, client, persona)
    count = Challenge.objects.count()

    shown = client.get(copy_url(origin))
    posted = client.post(copy_url(origin))

    if persona == "anonymous":
        assert shown.status_code == posted.status_code == 302
        assert shown.url.startswith(reverse("login"))
    elif persona in STAFF:
        assert (shown.status_code, posted.status_code) == (200, 302)
    else:
        # root is an admin, not municipal staff: templates are staff's work.
        assert shown.status_code == posted.status_code == 403
    assert Challenge.objects.count() == count + (1 if persona in STAFF else 0)


def test_a_draft_is_not_found_by_outsiders(client, challenge, dave):
    client.force_login(dave)

    assert client.post(copy_url(challenge)).status_code == 404
    assert Challenge.objects.count() == 1


def test_the_new_challenge_page_offers_to_start_from_an_earlier_one(client, origin, bob):
    client.force_login(bob)

    page = client.get(reverse("challenges:create")).content.decode()
    response = client.post(reverse("challenges:start_from"), {"origin": origin.reference})

    assert "Start from an earlier challenge" in page
    assert f'value="{origin.reference}"' in page
    copy = Challenge.objects.get(copied_from=origin)
    assert response.url == reverse("challenges:edit", args=[copy.reference])


def test_starting_blank_or_from_nothing_copies_nothing(client, origin, bob):
    client.force_login(bob)
    count = Challenge.objects.count()

    blank = client.post(reverse("challenges:start_from"), {"origin": ""})
    unknown = client.post(reverse("challenges:start_from"), {"origin": "NOPE-1"})

    assert blank.url == reverse("challenges:create")
    assert unknown.url == reverse("challenges:create")
    assert Challenge.objects.count() == count


@pytest.mark.parametrize("persona", ["dave", "frank", "rita"])
def test_outsiders_cannot_start_from_the_new_challenge_page(request, client, origin, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("challenges:start_from"), {"origin": origin.reference})

    assert response.status_code == 403
    assert not Challenge.objects.filter(copied_from=origin).exists()


# API ----------------------------------------------------------------------------------------------


def api_url(challenge):
    return f"/api/challenges/{challenge.reference}/copy/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_each_persona(request, api_as, origin, persona):
    set_status(origin, "published")
    client = api_as(None if persona == "anonymous" else request.getfixturevalue(persona))
    count = Challenge.objects.count()

    response = client.post(api_url(origin))

    if persona in STAFF:
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "draft"
        assert body["title"] == f"Copy of {origin.title}"
        assert Challenge.objects.get(reference=body["reference"]).copied_from == origin
    else:
        assert response.status_code == 403
    assert Challenge.objects.count() == count + (1 if persona in STAFF else 0)


def test_the_api_hides_a_draft_from_outsiders(api_as, challenge, dave):
    assert api_as(dave).post(api_url(challenge)).status_code == 404


# The earlier pilot's indicators -------------------------------------------------------------------


def planned_pilot(challenge, owner):
    from procurement.models import Award, Pilot
    from tests.factories import ProposalFactory, evaluation_in

    award = Award.objects.create(
        challenge=challenge,
        evaluation=evaluation_in(challenge, "decided"),
        proposal=ProposalFactory(challenge=challenge),
        recommended_by=owner,
    )
    set_status(award, "final")
    return Pilot.objects.create(challenge=challenge, award=award)


def indicator(pilot, name, baseline, target):
    from procurement.models import OutcomeIndicator

    return OutcomeIndicator.objects.create(
        pilot=pilot,
        name=name,
        unit="%",
        success_measure="Energy burden below 6%.",
        baseline=Decimal(baseline),
        target=Decimal(target),
    )


def test_the_planned_pilot_of_a_copy_is_offered_the_earlier_indicators(client, origin, bob):
    from procurement.origin_indicators import origin_indicators

    indicator(planned_pilot(origin, origin.owner), "Energy burden", "8", "6")
    copy = challenge_copy(origin=origin, actor=bob)
    set_status(copy, "evaluating")
    pilot = planned_pilot(copy, bob)
    client.force_login(bob)

    page = client.get(reverse("procurement:pilot", args=[copy.reference])).content.decode()
    offered = [i.name for i in origin_indicators(pilot)]

    assert offered == ["Energy burden"]
    # Offered, not copied: the owner enters this pilot's own baseline and target.
    assert not pilot.indicators.exists()
    assert "Indicators of the earlier pilot" in page
    assert "Earlier pilot: baseline 8" in page

    response = client.post(
        reverse("procurement:indicator_add", args=[copy.reference]),
        {
            "name": "Energy burden",
            "unit": "%",
            "success_measure": "Below 6%.",
            "baseline": "9",
            "target": "7",
        },
    )

    assert response.status_code == 302
    assert list(pilot.indicators.values_list("name", "baseline")) == [
        ("Energy burden", Decimal("9"))
    ]
    assert origin_indicators(pilot) == []


def test_a_challenge_not_started_from_another_is_offered_nothing(challenge, alice):
    from procurement.origin_indicators import origin_indicators

    set_status(challenge, "evaluating")

    assert origin_indicators(planned_pilot(challenge, alice)) == []
