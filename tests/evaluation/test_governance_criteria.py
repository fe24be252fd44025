"""The evaluation criteria the data governance record proposes: mandatory pass/fail criteria and
rated criteria with suggested weights, added by the owner (as is or edited) under the plan's own
rules, or dismissed (kept, audited, shown to the approver); never added silently."""

import pytest
from django.urls import reverse

from challenges.governance_questions import RecordFacts
from challenges.models import DataGovernanceRecord
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from evaluation import governance
from evaluation.models import Criterion, EvaluationPlan
from tests.factories import complete_governance, complete_plan, set_status

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "frank", "alice", "bob", "carol", "root")
INTERNAL = ("alice", "bob", "carol", "root")


def keys(items):
    return [item.key for item in items]


@pytest.fixture
def record(challenge):
    """alice's draft: de-identified personal information stored in Canada, open standards,
    WCAG 2.1 AA, data returned in open formats at exit; no plan yet."""
    return complete_governance(challenge)


def snapshot(challenge):
    record = DataGovernanceRecord.objects.filter(challenge=challenge).first()
    return (
        list(Criterion.objects.order_by("pk").values()),
        record.dismissed_proposals if record else None,
    )


# What the record proposes ------------------------------------------------------------------------


def test_personal_information_in_canada_is_a_mandatory_criterion():
    facts = RecordFacts(has_assets=True, personal=True, storage_location="in_canada")

    found = {p.key: p for p in governance.criterion_proposals(facts)}

    assert found["personal_information_in_canada"].kind == "mandatory"
    assert found["personal_information_in_canada"].name == "Stores personal information in Canada"
    assert found["privacy_by_design"].kind == "rated"
    assert (found["privacy_by_design"].weight, found["privacy_by_design"].max_points) == (10, 10)


def test_storage_outside_canada_or_no_personal_information_proposes_no_residency_criterion():
    outside = RecordFacts(has_assets=True, personal=True, storage_location="outside_canada")
    impersonal = RecordFacts(has_assets=True, storage_location="in_canada")

    assert "personal_information_in_canada" not in keys(governance.criterion_proposals(outside))
    assert "personal_information_in_canada" not in keys(governance.criterion_proposals(impersonal))
    assert "privacy_by_design" not in keys(governance.criterion_proposals(impersonal))


def test_exit_accessibility_and_interoperability_criteria():
    facts = RecordFacts(
        exit_data_return=True,
        exit_formats="CSV",
        accessibility_standard="wcag21aa",
        accessibility_label="WCAG 2.1 level AA",
        open_standards="GTFS",
    )

    found = {p.key: p for p in governance.criterion_proposals(facts)}

    assert found["exit_open_formats"].name == "Returns all data in open formats at exit"
    assert "CSV" in found["exit_open_formats"].description
    assert found["accessibility"].name == "Meets WCAG 2.1 level AA"
    assert found["interoperability"].kind == "rated"
    assert "GTFS" in found["interoperability"].description


@pytest.mark.parametrize(
    ("level", "proposed"), [(None, False), (1, False), (2, False), (3, True), (4, True)]
)
def test_human_review_is_mandatory_at_impact_levels_three_and_four(level, proposed):
    facts = RecordFacts(automated_decisions=True, impact_level=level)

    assert ("human_review" in keys(governance.criterion_proposals(facts))) is proposed


def test_the_stored_record_proposes_its_criteria(record):
    found = keys(governance.plan_criterion_proposals(challenge=record.challenge))

    assert found == [
        "personal_information_in_canada",
        "exit_open_formats",
        "accessibility",
        "privacy_by_design",
        "interoperability",
    ]


# Accepting ----------------------------------------------------------------------------------------


def test_the_owner_adds_a_mandatory_proposal_creating_the_plan(alice, record):
    criterion = governance.criterion_accept_proposal(
        challenge=record.challenge, actor=alice, key="personal_information_in_canada"
    )

    criterion.refresh_from_db()
    assert criterion.plan == EvaluationPlan.objects.get(challenge=record.challenge)
    assert (criterion.kind, criterion.name, criterion.weight, criterion.max_points) == (
        "mandatory",
        "Stores personal information in Canada",
        0,
        None,
    )
    assert criterion.governance_key == "personal_information_in_canada"
    entry = AuditEntry.objects.get(
        transition="create", content_type__model="criterion", object_id=str(criterion.pk)
    )
    assert entry.actor == alice
    assert entry.metadata["changes"]["governance_key"]["after"] == "personal_information_in_canada"
    assert entry.metadata["challenge_id"] == record.challenge.pk
    assert "personal_information_in_canada" not in keys(
        governance.plan_criterion_proposals(challenge=record.challenge)
    )


def test_the_owner_adjusts_a_rated_proposal_then_adds_it(alice, record):
    criterion = governance.criterion_accept_proposal(
        challenge=record.challenge, actor=alice, key="privacy_by_design", weight=15, max_points=5
    )

    criterion.refresh_from_db()
    assert (criterion.kind, criterion.weight, criterion.max_points) == ("rated", 15, 5)
    assert criterion.governance_key == "privacy_by_design"


def test_weights_past_100_are_refused_as_for_any_criterion(alice, record):
    complete_plan(record.challenge)  # weights already add up to 100
    before = snapshot(record.challenge)

    with pytest.raises(InvalidInput) as caught:
        governance.criterion_accept_proposal(
            challenge=record.challenge, actor=alice, key="privacy_by_design"
        )

    assert "weight" in caught.value.field_errors
    assert snapshot(record.challenge) == before


def test_a_mandatory_proposal_fits_a_complete_plan(alice, record):
    complete_plan(record.challenge)

    governance.criterion_accept_proposal(
        challenge=record.challenge, actor=alice, key="exit_open_formats"
    )

    plan = EvaluationPlan.objects.get(challenge=record.challenge)
    assert sum(c.weight for c in plan.criteria.all()) == 100
    assert plan.criteria.filter(governance_key="exit_open_formats").exists()


def test_a_proposal_is_added_once(alice, record):
    governance.criterion_accept_proposal(
        challenge=record.challenge, actor=alice, key="accessibility"
    )

    with pytest.raises(TransitionRefused):
        governance.criterion_accept_proposal(
            challenge=record.challenge, actor=alice, key="accessibility"
        )
    assert Criterion.objects.filter(governance_key="accessibility").count() == 1


def test_an_unknown_proposal_is_bad_input(alice, record):
    with pytest.raises(InvalidInput) as caught:
        governance.criterion_accept_proposal(
            challenge=record.challenge, actor=alice, key="human_review"
        )

    assert "key" in caught.value.field_errors


@pytest.mark.parametrize("persona", ["bob", "carol", "root", "dave", "frank", "rita"])
def test_only_the_owner_accepts_or_dismisses(request, record, persona):
    user = request.getfixturevalue(persona)
    before = snapshot(record.challenge)

    with pytest.raises(PermissionDenied):
        governance.criterion_accept_proposal(
            challenge=record.challenge, actor=user, key="accessibility"
        )
    with pytest.raises(PermissionDenied):
        governance.criterion_dismiss_proposal(
            challenge=record.challenge, actor=user, key="accessibility"
        )

    assert snapshot(record.challenge) == before


@pytest.mark.parametrize("status", ["in_review", "approved", "published"])
def test_the_plan_is_fixed_from_review_on(alice, record, status):
    complete_plan(record.challenge)
    set_status(record.challenge, status)
    before = snapshot(record.challenge)

    with pytest.raises(TransitionRefused):
        governance.criterion_accept_proposal(
            challenge=record.challenge, actor=alice, key="accessibility"
        )
    with pytest.raises(TransitionRefused):
        governance.criterion_dismiss_proposal(
            challenge=record.challenge, actor=alice, key="accessibility"
        )

    assert snapshot(record.challenge) == before


def test_the_owner_accepts_in_co_design(alice, record):
    set_status(record.challenge, "co_design")

    criterion = governance.criterion_accept_proposal(
        challenge=record.challenge, actor=alice, key="accessibility"
    )

    assert criterion.governance_key == "accessibility"


# Dismissing ---------------------------------------------------------------------------------------


def test_a_dismissed_criterion_stays_dismissed_and_is_audited(alice, record):
    challenge = record.challenge

    governance.criterion_dismiss_proposal(challenge=challenge, actor=alice, key="interoperability")

    record.refresh_from_db()
    assert record.dismissed_proposals == [
        {"key": "criterion:interoperability", "label": "Interoperability and open standards"}
    ]
    assert "interoperability" not in keys(governance.plan_criterion_proposals(challenge=challenge))
    entry = AuditEntry.objects.get(transition="dismiss_proposal")
    assert (entry.actor, entry.metadata["proposal"]) == (alice, "criterion:interoperability")
    with pytest.raises(TransitionRefused):
        governance.criterion_accept_proposal(
            challenge=challenge, actor=alice, key="interoperability"
        )

    governance.criterion_restore_proposal(challenge=challenge, actor=alice, key="interoperability")

    assert "interoperability" in keys(governance.plan_criterion_proposals(challenge=challenge))


def test_the_approver_sees_the_dismissed_proposals_in_review(client, alice, carol, record):
    from challenges import governance_proposals

    governance.criterion_dismiss_proposal(
        challenge=record.challenge, actor=alice, key="privacy_by_design"
    )
    governance_proposals.response_question_dismiss_proposal(
        challenge=record.challenge, actor=alice, key="sub_processors"
    )
    set_status(record.challenge, "in_review")
    client.force_login(carol)

    page = client.get(record.challenge.get_absolute_url()).content.decode()

    assert "Proposals from the data governance record the owner dismissed" in page
    assert "Privacy by design" in page
    assert "Which sub-processors will handle the data, and for what?" in page


def test_the_review_section_is_for_staff_and_in_review_only(client, alice, dave, record):
    governance.criterion_dismiss_proposal(
        challenge=record.challenge, actor=alice, key="privacy_by_design"
    )
    client.force_login(alice)
    draft_page = client.get(record.challenge.get_absolute_url()).content.decode()
    set_status(record.challenge, "published")
    client.force_login(dave)
    public_page = client.get(record.challenge.get_absolute_url()).content.decode()

    assert "dismissed-proposals-review" not in draft_page
    assert "dismissed-proposals-review" not in public_page


# Pages --------------------------------------------------------------------------------------------


def plan_url(challenge):
    return reverse("evaluation:plan", args=[challenge.reference])


def proposal_url(name, challenge, key):
    return reverse(f"evaluation:proposed_criterion_{name}", args=[challenge.reference, key])


def test_the_owner_sees_the_proposals_on_the_plan_page(client, alice, record):
    client.force_login(alice)

    page = client.get(plan_url(record.challenge)).content.decode()

    assert "Criteria the data governance record proposes" in page
    assert "Stores personal information in Canada" in page
    assert proposal_url("accept", record.challenge, "privacy_by_design") in page
    assert proposal_url("edit", record.challenge, "privacy_by_design") in page


def test_other_staff_do_not_see_the_proposals(client, bob, record):
    client.force_login(bob)

    page = client.get(plan_url(record.challenge)).content.decode()

    assert "Criteria the data governance record proposes" not in page


def test_the_owner_adds_edits_and_dismisses_from_the_page(client, alice, record):
    client.force_login(alice)
    challenge = record.challenge

    added = client.post(proposal_url("accept", challenge, "exit_open_formats"))
    form = client.get(proposal_url("edit", challenge, "privacy_by_design")).content.decode()
    edited = client.post(
        proposal_url("edit", challenge, "privacy_by_design"),
        {"kind": "rated", "name": "Privacy built in", "weight": "20", "max_points": "5"},
    )
    dismissed = client.post(proposal_url("dismiss", challenge, "interoperability"))

    assert added.status_code == edited.status_code == dismissed.status_code == 302
    assert 'value="Privacy by design"' in form
    rows = {c.governance_key: c for c in Criterion.objects.all()}
    assert set(rows) == {"exit_open_formats", "privacy_by_design"}
    assert (rows["privacy_by_design"].name, rows["privacy_by_design"].weight) == (
        "Privacy built in",
        20,
    )
    record.refresh_from_db()
    assert record.dismissed_proposals[0]["key"] == "criterion:interoperability"


def test_a_refused_weight_is_shown_on_the_edit_form(client, alice, record):
    complete_plan(record.challenge)
    client.force_login(alice)

    response = client.post(
        proposal_url("edit", record.challenge, "privacy_by_design"),
        {"kind": "rated", "name": "Privacy by design", "weight": "10", "max_points": "10"},
    )

    assert response.status_code == 200
    assert "must add up to 100" in response.content.decode()
    assert not Criterion.objects.filter(governance_key="privacy_by_design").exists()


PAGE_ACTIONS = {"accept": "post", "edit": "get", "dismiss": "post", "restore": "post"}


@pytest.mark.parametrize("action", PAGE_ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_answer_each_persona(request, client, alice, record, action, persona):
    if action == "restore":
        governance.criterion_dismiss_proposal(
            challenge=record.challenge, actor=alice, key="accessibility"
        )
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    before = snapshot(record.challenge)
    url = proposal_url(action, record.challenge, "accessibility")

    response = client.post(url) if PAGE_ACTIONS[action] == "post" else client.get(url)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif persona == "alice":
        assert response.status_code == (302 if PAGE_ACTIONS[action] == "post" else 200)
    else:
        assert response.status_code == (403 if persona in INTERNAL else 404)
    if persona != "alice" or PAGE_ACTIONS[action] == "get":
        assert snapshot(record.challenge) == before
    else:
        assert snapshot(record.challenge) != before


def test_the_owner_is_refused_on_the_pages_once_in_review(client, alice, record):
    complete_plan(record.challenge)
    set_status(record.challenge, "in_review")
    client.force_login(alice)
    before = snapshot(record.challenge)

    response = client.post(proposal_url("accept", record.challenge, "accessibility"), follow=True)

    assert "in review with the challenge" in response.content.decode()
    assert "Criteria the data governance record proposes" not in response.content.decode()
    assert snapshot(record.challenge) == before


# API ----------------------------------------------------------------------------------------------


def api_url(challenge, suffix=""):
    return f"/api/challenges/{challenge.reference}/plan/proposals/{suffix}"


def test_the_api_lists_accepts_and_dismisses(api_as, alice, record):
    client = api_as(alice)

    listed = client.get(api_url(record.challenge))
    accepted = client.post(
        api_url(record.challenge, "accept/"),
        {"key": "privacy_by_design", "weight": 25},
        format="json",
    )
    dismissed = client.post(
        api_url(record.challenge, "dismiss/"), {"key": "interoperability"}, format="json"
    )
    restored = client.post(
        api_url(record.challenge, "restore/"), {"key": "interoperability"}, format="json"
    )

    assert listed.status_code == 200
    assert [p["key"] for p in listed.json()["proposals"]][0] == "personal_information_in_canada"
    assert listed.json()["proposals"][3]["weight"] == 10
    assert accepted.status_code == 201
    assert (accepted.json()["name"], accepted.json()["weight"]) == ("Privacy by design", 25)
    assert dismissed.status_code == 200
    assert dismissed.json()["dismissed"] == [
        {"key": "interoperability", "label": "Interoperability and open standards"}
    ]
    assert restored.json()["dismissed"] == []


def test_the_api_answers_bad_input_and_conflicts(api_as, alice, record):
    client = api_as(alice)
    client.post(api_url(record.challenge, "accept/"), {"key": "accessibility"}, format="json")

    missing = client.post(api_url(record.challenge, "accept/"), {}, format="json")
    unknown = client.post(api_url(record.challenge, "accept/"), {"key": "nope"}, format="json")
    again = client.post(
        api_url(record.challenge, "accept/"), {"key": "accessibility"}, format="json"
    )
    set_status(record.challenge, "in_review")
    fixed = client.post(
        api_url(record.challenge, "dismiss/"), {"key": "exit_open_formats"}, format="json"
    )

    assert (missing.status_code, unknown.status_code, again.status_code) == (400, 400, 409)
    assert fixed.status_code == 409
    assert Criterion.objects.count() == 1


@pytest.mark.parametrize("action", ["list", "accept", "dismiss"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_each_persona(request, api_as, record, action, persona):
    client = api_as(None if persona == "anonymous" else request.getfixturevalue(persona))
    before = snapshot(record.challenge)

    if action == "list":
        response = client.get(api_url(record.challenge))
    else:
        response = client.post(
            api_url(record.challenge, f"{action}/"), {"key": "accessibility"}, format="json"
        )

    if persona == "alice":
        assert response.status_code == {"list": 200, "accept": 201, "dismiss": 200}[action]
    elif persona == "anonymous" and action != "list" or persona in INTERNAL:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    if persona != "alice":
        assert snapshot(record.challenge) == before
