import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from challenges.governance import governance_problems, governance_risks
from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    DataAsset,
    DataGovernanceRecord,
    DataSharing,
    Department,
    Document,
    EngagementActivity,
    GovernanceDecision,
    Question,
    ReferenceCounter,
    ResponseQuestion,
)
from core.audit_chain import audit_verify
from core.models import AuditEntry
from evaluation.models import (
    ConsensusScore,
    Criterion,
    Evaluation,
    PanelAssignment,
    RankingEntry,
    Score,
    ScoreRevision,
    ScreeningResult,
)
from opendata.ocds_governance import data_governance
from procurement.management.commands.seed_demo import DEMO_PASSWORD, STREETLIGHTS
from procurement.models import (
    Award,
    Contract,
    ContractTerm,
    DebriefRequest,
    Measurement,
    Milestone,
    Notification,
    OutcomeIndicator,
    Pilot,
)
from vendors.models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    ProposalReceipt,
    VendorMembership,
    VendorOrganization,
)
from vendors.services import receipt_matches
from vendors.validators import luhn_valid

COUNTED = [
    get_user_model(),
    Group,
    Department,
    Challenge,
    EngagementActivity,
    CommunityInput,
    Question,
    Addendum,
    ReferenceCounter,
    ResponseQuestion,
    DataGovernanceRecord,
    DataAsset,
    DataSharing,
    GovernanceDecision,
    Document,
    VendorOrganization,
    VendorMembership,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    PriceEnvelope,
    ProposalReceipt,
    Evaluation,
    PanelAssignment,
    ScreeningResult,
    Score,
    ScoreRevision,
    ConsensusScore,
    Criterion,
    RankingEntry,
    Award,
    DebriefRequest,
    Contract,
    ContractTerm,
    Pilot,
    Milestone,
    OutcomeIndicator,
    Measurement,
    Notification,
    AuditEntry,
]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[tuple[str, str]]:
    table = output.split("Demo logins", 1)[1]
    rows = re.findall(r"^\s+(\S+)\s+(\S+)\s+\S.*$", table, flags=re.MULTILINE)
    return [row for row in rows if row[0] != "Username"]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_it_loads_a_challenge_in_every_stage_so_far():
    seed()

    statuses = set(Challenge.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "co_design",
        "in_review",
        "approved",
        "published",
        "closed",
        "evaluating",
        "awarded",
        "cancelled",
    }
    assert Challenge.objects.filter(title__icontains="winter accessibility").get().status == (
        "co_design"
    )
    assert Challenge.objects.filter(title__icontains="energy poverty").get().status == "published"


@pytest.mark.django_db
def test_running_it_twice_creates_nothing_new():
    seed()
    first = row_counts()

    output = seed()

    assert row_counts() == first
    assert "0 created, 9 already present" in output
    assert first["Challenge"] == 9
    assert first["Proposal"] == 5
    assert first["Score"] == 12 + 8
    assert first["Award"] == first["Pilot"] == first["DebriefRequest"] == 1
    assert first["Measurement"] == 8


@pytest.mark.django_db
def test_the_printed_logins_can_sign_in(client):
    output = seed()
    logins = printed_logins(output)

    assert {username for username, _password in logins} == {
        "staff",
        "staff2",
        "approver",
        "evaluator",
        "evaluator2",
        "vendor",
        "vendor2",
        "resident",
        "partner",
        "admin",
    }
    for username, password in logins:
        assert password == DEMO_PASSWORD
        assert client.login(username=username, password=password), username
        client.logout()


@pytest.mark.django_db
def test_the_printed_logins_work_again_after_a_password_was_changed(client):
    seed()
    vendor = get_user_model().objects.get(username="vendor")
    vendor.set_password("someone-changed-it")
    vendor.save()

    seed()

    assert client.login(username="vendor", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_each_demo_account_holds_its_role():
    seed()
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}

    def groups(username):
        return {g.name for g in users[username].groups.all()}

    assert groups("staff") == {"staff"}
    assert groups("staff2") == {"staff"}
    assert groups("approver") == {"staff", "approver"}
    assert groups("evaluator") == groups("evaluator2") == {"evaluator"}
    assert groups("vendor") == groups("vendor2") == {"vendor"}
    assert groups("resident") == groups("partner") == set()
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(users[name].is_superuser for name in users if name != "admin")


@pytest.mark.django_db
def test_the_audit_trail_records_the_steps_as_the_people_who_took_them():
    seed()
    approved = Challenge.objects.get(status="approved")
    entries = AuditEntry.objects.filter(object_id=str(approved.pk), content_type__model="challenge")

    assert list(entries.values_list("transition", "actor_label")) == [
        ("create", approved.owner.username),
        ("open_co_design", approved.owner.username),
        ("submit_for_review", approved.owner.username),
        ("approve", "approver"),
        ("schedule", approved.owner.username),  # the timeline set after approval
    ]
    count, breaks = audit_verify()
    assert count == AuditEntry.objects.count() > 0
    assert breaks == []


@pytest.mark.django_db
def test_no_demo_challenge_was_approved_by_its_owner():
    seed()
    approved = Challenge.objects.filter(approved_by__isnull=False)

    # approved, published, closed, evaluating, awarded, cancelled after publication
    assert approved.count() == 6
    assert all(c.approved_by_id != c.owner_id for c in approved)


@pytest.mark.django_db
def test_the_co_design_challenge_has_activities_and_moderated_input():
    seed()
    challenge = Challenge.objects.get(status="co_design")

    kinds = set(challenge.engagement_activities.values_list("kind", flat=True))
    assert kinds == {"workshop", "survey", "pop_up"}
    inputs = set(challenge.community_inputs.values_list("status", flat=True))
    assert inputs == {"pending", "published"}


@pytest.mark.django_db
def test_the_co_design_challenge_has_partners_and_input_their_contact_recorded(client):
    seed()
    challenge = Challenge.objects.get(status="co_design")
    partner = get_user_model().objects.get(username="partner")

    partnerships = list(challenge.partnerships.select_related("partner", "contact_user"))
    recorded = challenge.community_inputs.filter(recorded_by=partner)
    page = client.get(challenge.get_absolute_url()).content.decode()

    assert len(partnerships) == 3
    assert [p.contact_user for p in partnerships if p.contact_user] == [partner]
    assert sorted(recorded.values_list("source", flat=True)) == ["paper", "phone"]
    assert set(recorded.values_list("status", flat=True)) == {"pending"}
    assert challenge.engagement_activities.filter(partners__isnull=False).exists()
    assert "Queen Street Seniors&#x27; Centre" in page
    client.force_login(partner)
    mine = client.get(reverse("challenges:my_partnerships")).content.decode()
    assert challenge.reference in mine


@pytest.mark.django_db
def test_the_challenge_in_review_shows_a_group_under_target_and_why():
    from challenges.reach_selectors import reach_ledger

    seed()
    challenge = Challenge.objects.get(status="in_review")

    ledger = reach_ledger(challenge=challenge)
    assert [(row.group.slug, row.reached, row.target) for row in ledger.unmet] == [
        ("newcomers", 11, 25)
    ]
    assert [row.group.slug for row in ledger.untargeted] == ["renters"]
    assert challenge.reach_gap_reason.startswith("Newcomer families")


@pytest.mark.django_db
def test_the_awarded_challenge_says_what_residents_said_and_what_was_done_in_both_languages():
    seed()
    themes = list(awarded_challenge().input_themes.order_by("position"))

    assert [t.outcome for t in themes] == ["statement", "criterion", "no_change"]
    assert all(t.title_en and t.title_fr and t.we_did_en and t.we_did_fr for t in themes)


@pytest.mark.django_db
def test_several_challenges_state_their_problem_in_both_languages():
    from challenges.models import Challenge

    seed()
    bilingual = Challenge.objects.exclude(title_fr=None).exclude(problem_fr=None)
    assert bilingual.count() >= 2
    assert all(c.title_en and c.summary_fr and c.problem_en for c in bilingual)


@pytest.mark.django_db
def test_residents_and_a_vendor_follow_challenges_one_in_french():
    from challenges.models import Follow

    seed()
    follows = {
        (f.user.username, f.challenge.status, f.language)
        for f in Follow.objects.select_related("user", "challenge")
    }
    assert follows == {
        ("resident", "co_design", "fr"),
        ("resident", "published", "en"),
        ("resident", "awarded", "en"),
        ("vendor", "published", "en"),
    }
    assert all(f.is_active for f in Follow.objects.all())


@pytest.mark.django_db
def test_the_open_challenge_has_questions_and_issued_addenda():
    seed()
    challenge = Challenge.objects.get(status="published")

    statuses = list(challenge.questions.values_list("status", flat=True))
    assert statuses.count("answered") == 2
    assert statuses.count("submitted") == 1
    assert statuses.count("dismissed") == 1
    addenda = challenge.addenda.filter(status="issued").order_by("number")
    assert list(addenda.values_list("number", flat=True)) == [1, 2]
    # The second addendum moved the submission deadline; the challenge carries the new date.
    assert challenge.submission_deadline == addenda[1].new_submission_deadline


@pytest.mark.django_db
def test_the_closed_challenges_are_consistent_history():
    seed()
    challenges = Challenge.objects.filter(status__in=["closed", "evaluating", "awarded"])

    assert challenges.count() == 3
    for challenge in challenges:
        assert challenge.published_at < challenge.questions_deadline
        assert challenge.questions_deadline < challenge.submission_deadline
        assert challenge.closed_at == challenge.submission_deadline
        assert not challenge.questions.filter(status="submitted").exists()
        assert challenge.evaluation.plan.frozen_at == challenge.published_at


@pytest.mark.django_db
def test_the_board_shows_the_demo_challenges(client):
    seed()

    response = client.get(reverse("challenges:board"))

    assert response.status_code == 200
    content = response.content.decode()
    for challenge in Challenge.objects.all():
        if challenge.is_public:
            assert challenge.title in content
        else:
            assert challenge.title not in content
    assert "Energy management for households in energy poverty" in content


@pytest.mark.django_db
def test_staff_see_every_demo_challenge_on_the_board(client):
    seed()
    client.login(username="staff", password=DEMO_PASSWORD)

    response = client.get(reverse("challenges:board"))

    assert response.status_code == 200
    content = response.content.decode()
    for title in Challenge.objects.values_list("title", flat=True):
        assert title in content


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=StringIO())

    assert not get_user_model().objects.filter(username="admin").exists()
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_it_runs_with_debug_on(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    assert Challenge.objects.count() == 9


def login(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_each_demo_vendor_is_registered_with_a_valid_business_number_and_owned_by_its_member():
    seed()

    for username in ("vendor", "vendor2"):
        membership = VendorMembership.objects.select_related("vendor").get(user__username=username)
        assert membership.role == "owner"
        assert luhn_valid(membership.vendor.business_number)
        assert len(membership.vendor.business_number) == 9
    assert VendorOrganization.objects.count() == 2


@pytest.mark.django_db
def test_the_vendor_portal_shows_the_draft_on_the_open_challenge(client):
    seed()
    published = Challenge.objects.get(status="published")
    draft = Proposal.objects.get(challenge=published)
    login(client, "vendor")

    response = client.get(reverse("vendors:portal"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Riverbend Energy Co-op" in content
    assert reverse("vendors:proposal", args=[draft.public_id]) in content
    assert draft.status == "draft"
    assert draft.vendor.memberships.filter(user__username="vendor").exists()
    # Two of the three questions set by hand (one left to finish) and both data questions.
    assert draft.answers.count() == 4
    assert draft.documents.get().content_type == "application/pdf"
    assert not PriceEnvelope.objects.filter(proposal=draft).exists()


@pytest.mark.django_db
def test_the_draft_is_sealed_from_the_other_vendor(client):
    seed()
    draft = Proposal.objects.get(challenge__status="published")
    login(client, "vendor2")

    portal = client.get(reverse("vendors:portal"))
    editor = client.get(reverse("vendors:proposal", args=[draft.public_id]))

    assert portal.status_code == 200
    assert str(draft.public_id) not in portal.content.decode()
    assert editor.status_code in (403, 404)


@pytest.mark.django_db
def test_the_closed_challenge_received_both_proposals_with_receipts_that_match():
    seed()
    challenge = Challenge.objects.get(status="evaluating")
    proposals = list(challenge.proposals.select_related("vendor"))

    assert {p.vendor.operating_name for p in proposals} == {
        "Riverbend Energy Co-op",
        "Tidewater Software",
    }
    for proposal in proposals:
        assert proposal.status == "qualified"
        assert proposal.submitted_at < challenge.submission_deadline
        assert receipt_matches(proposal)
        receipt = proposal.receipts.get()
        assert receipt.digest == proposal.receipt_digest
        assert receipt.salt == proposal.receipt_salt != ""
        assert list(receipt.documents.all()) == list(proposal.documents.all())
        assert proposal.price_envelope.amount > 0
        assert proposal.answers.count() == challenge.response_questions.count() == 4


@pytest.mark.django_db
def test_the_evaluation_reached_consensus_and_left_the_prices_sealed():
    seed()
    evaluation = Evaluation.objects.get(challenge__status="evaluating")

    assert evaluation.status == "consensus"
    assert evaluation.prices_opened_at is None
    assert evaluation.consensus_locked_at is None
    assignments = {a.evaluator.username: a for a in evaluation.assignments.all()}
    assert set(assignments) == {"evaluator", "evaluator2"}
    assert assignments["evaluator"].is_chair
    for assignment in assignments.values():
        assert assignment.status == "submitted"
        assert assignment.declared_at is not None
        assert "Riverbend Community Energy Co-operative Ltd." in assignment.declaration_vendors
        assert assignment.scores.count() == 6
    transitions = set(
        AuditEntry.objects.filter(
            content_type__model="evaluation", object_id=str(evaluation.pk)
        ).values_list("transition", flat=True)
    )
    assert transitions == {"start_screening", "start_scoring", "open_consensus"}
    assert not ConsensusScore.objects.filter(evaluation=evaluation).exists()


@pytest.mark.django_db
def test_the_evaluator_sees_the_assignment(client):
    seed()
    challenge = Challenge.objects.get(status="evaluating")
    login(client, "evaluator")

    response = client.get(reverse("evaluation:mine"))

    assert response.status_code == 200
    content = response.content.decode()
    assert challenge.title in content
    assert reverse("evaluation:workspace", args=[challenge.reference]) in content


@pytest.mark.django_db
def test_the_owner_cannot_read_the_prices_before_they_are_opened(client):
    seed()
    challenge = Challenge.objects.get(status="evaluating")
    login(client, challenge.owner.username)

    response = client.get(reverse("evaluation:prices", args=[challenge.reference]))

    assert response.status_code == 404
    challenge.evaluation.refresh_from_db()
    assert challenge.evaluation.prices_opened_at is None


@pytest.mark.django_db
def test_verify_audit_passes_after_seeding_twice():
    seed()
    seed()
    out = StringIO()

    call_command("verify_audit", stdout=out)

    assert f"{AuditEntry.objects.count()} entries verified" in out.getvalue()


def awarded_challenge() -> Challenge:
    return Challenge.objects.get(title=STREETLIGHTS["title"])


def audit_trail(obj) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk)
    ).order_by("sequence")
    return list(entries.values_list("transition", "actor_label"))


@pytest.mark.django_db
def test_the_awarded_challenge_went_through_every_step_of_the_award_in_the_audit_trail():
    seed()
    challenge = awarded_challenge()
    award = Award.objects.get(challenge=challenge)
    evaluation = challenge.evaluation

    assert challenge.status == "awarded"
    assert challenge.owner.username == "staff"
    assert evaluation.status == "decided"
    assert evaluation.prices_opened_at is not None
    assert award.status == "final"
    assert award.proposal.vendor.operating_name == "Riverbend Energy Co-op"
    assert award.recommended_by.username == "evaluator"
    assert award.approved_by.username == "approver"
    assert award.notified_at <= award.standstill_ends_at <= award.finalised_at
    assert award.next_due_at is None
    assert award.evaluation.ranking_entries.get(proposal=award.proposal).rank == 1
    statuses = {p.vendor.operating_name: p.status for p in challenge.proposals.all()}
    assert statuses == {"Riverbend Energy Co-op": "awarded", "Tidewater Software": "unsuccessful"}
    assert audit_trail(award) == [
        ("recommend", "evaluator"),
        ("approve", "approver"),
        ("notify", "staff"),
        ("start_standstill", "staff"),
        ("finalise", "staff"),
    ]
    assert [t for t, _actor in audit_trail(evaluation)] == [
        "start_screening",
        "start_scoring",
        "open_consensus",
        "lock_consensus",
        "open_prices",
        "rank",
        "decide",
    ]
    assert audit_trail(challenge)[-2:] == [("start_evaluation", "staff"), ("award", "staff")]
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert f"{AuditEntry.objects.count()} entries verified" in out.getvalue()


def entry_times(obj) -> dict[str, list]:
    entries = AuditEntry.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk)
    )
    times = {}
    for transition, occurred_at in entries.values_list("transition", "occurred_at"):
        times.setdefault(transition, []).append(occurred_at)
    return times


def same_minute(first, second) -> bool:
    return abs(first - second) < timedelta(minutes=1)


@pytest.mark.django_db
def test_the_award_pilot_and_evaluation_history_is_dated_like_the_records_it_describes():
    seed()
    challenge = awarded_challenge()
    award = Award.objects.get(challenge=challenge)
    evaluation = challenge.evaluation
    pilot = Pilot.objects.get(challenge=challenge)
    award_times = entry_times(award)
    evaluation_times = entry_times(evaluation)
    pilot_times = entry_times(pilot)

    # Each step of the award is dated when the award's own record says it happened.
    assert same_minute(award_times["recommend"][0], award.recommended_at)
    assert same_minute(award_times["approve"][0], award.approved_at)
    assert same_minute(award_times["notify"][0], award.notified_at)
    assert same_minute(award_times["finalise"][0], award.finalised_at)
    assert same_minute(evaluation_times["decide"][0], evaluation.decided_at)
    assert same_minute(evaluation_times["open_prices"][0], evaluation.prices_opened_at)
    assert same_minute(pilot_times["start"][0], pilot.started_at)
    # ...in the order the pages tell it: decided, awarded, planned, started, measured.
    assert pilot_times["plan"][0] > award.finalised_at
    assert pilot_times["plan"][0] < pilot.started_at
    measured = AuditEntry.objects.filter(content_type__model="measurement")
    assert measured.exists()
    assert all(e.occurred_at > pilot.started_at for e in measured)
    # Nothing about this challenge's decision is dated the day the demo was loaded.
    loaded = timezone.now() - timedelta(days=1)
    assert all(t < loaded for times in award_times.values() for t in times)
    assert all(t < loaded for times in evaluation_times.values() for t in times)
    # And the chain still verifies.
    assert audit_verify()[1] == []


@pytest.mark.django_db
def test_every_vendor_got_its_result_letter_and_the_runner_up_asked_for_a_debrief():
    seed()
    challenge = awarded_challenge()
    award = Award.objects.get(challenge=challenge)

    letters = Notification.objects.filter(kind=Notification.Kind.RESULTS, link__contains="award")
    assert set(letters.values_list("recipient__username", flat=True)) == {"vendor", "vendor2"}
    debrief = DebriefRequest.objects.get(award=award)
    assert debrief.requested_by.username == "vendor2"
    assert debrief.proposal.vendor.operating_name == "Tidewater Software"
    assert debrief.requested_at < award.finalised_at
    assert Notification.objects.filter(
        kind=Notification.Kind.DEBRIEF_REQUESTED, recipient=challenge.owner
    ).exists()
    assert Notification.objects.filter(
        kind=Notification.Kind.AWARD_APPROVAL_REQUESTED, recipient__username="approver"
    ).exists()


@pytest.mark.django_db
def test_the_pilot_is_active_with_a_milestone_done_one_late_and_one_upcoming():
    seed()
    pilot = Pilot.objects.get(challenge=awarded_challenge())

    assert pilot.status == "active"
    assert pilot.started_at is not None
    assert pilot.award.finalised_at < pilot.started_at
    assert pilot.starts_on < pilot.ends_on
    done, late, upcoming = pilot.milestones.filter(open_dataset=None).order_by("due_on")
    assert done.done_on is not None and not done.is_late
    assert late.done_on is None and late.is_late
    assert upcoming.done_on is None and not upcoming.is_late
    assert audit_trail(pilot) == [("plan", "staff"), ("start", "staff")]


@pytest.mark.django_db
def test_each_indicator_measures_a_success_measure_with_sourced_measurements():
    seed()
    challenge = awarded_challenge()
    indicators = list(OutcomeIndicator.objects.filter(pilot__challenge=challenge))

    assert len(indicators) == 2
    for indicator in indicators:
        assert indicator.success_measure.rstrip(".").lower() in challenge.success_measures.lower()
        assert indicator.baseline != indicator.target
        measurements = list(indicator.measurements.all())
        assert 3 <= len(measurements) <= 4
        assert all(m.source_note and m.recorded_by == challenge.owner for m in measurements)
        dates = [m.measured_on for m in measurements]
        assert dates == sorted(set(dates))
        assert dates[0] >= challenge.pilot.starts_on


@pytest.mark.django_db
def test_a_later_run_completes_a_pilot_that_is_missing_and_nothing_else():
    seed()
    Pilot.objects.filter(challenge=awarded_challenge()).delete()
    before = row_counts()

    seed()

    after = row_counts()
    assert after["Pilot"] == 1
    # The three planned milestones and the record's open dataset, due by the pilot's end.
    assert after["Milestone"] == 4 and after["Measurement"] == 8
    unchanged = {"Pilot", "Milestone", "OutcomeIndicator", "Measurement", "AuditEntry"}
    # The new pilot's start and its milestone done are news to the challenge's follower.
    new_news = Notification.objects.order_by("-pk")[
        : after["Notification"] - before["Notification"]
    ]
    assert {(n.recipient.username, n.kind) for n in new_news} == {("resident", "challenge_news")}
    unchanged.add("Notification")
    assert {k: v for k, v in after.items() if k not in unchanged} == {
        k: v for k, v in before.items() if k not in unchanged
    }
    assert audit_verify()[1] == []


@pytest.mark.django_db
def test_the_award_pilot_outcomes_and_dashboard_pages_show_the_demo(client):
    seed()
    challenge = awarded_challenge()
    reference = challenge.reference

    outcomes = client.get(reverse("procurement:outcomes", args=[reference]))
    pilot = client.get(reverse("procurement:pilot", args=[reference]))
    assert outcomes.status_code == pilot.status_code == 200
    assert "Riverbend Community Energy Co-operative Ltd." in outcomes.content.decode()
    assert "Target reached" in outcomes.content.decode()
    assert pilot.content.decode().count('class="chart"') == 2

    login(client, "staff")
    award = client.get(reverse("procurement:award", args=[reference]))
    dashboard = client.get(reverse("procurement:dashboard"))
    assert award.status_code == dashboard.status_code == 200
    assert "Tidewater Software" in award.content.decode()  # its debrief request
    (late,) = [m for m in Milestone.objects.filter(pilot__challenge=challenge) if m.is_late]
    assert late.title in dashboard.content.decode()
    client.logout()

    login(client, "vendor2")
    letter = client.get(reverse("procurement:result_letter", args=[reference]))
    assert letter.status_code == 200
    assert "Riverbend" in letter.content.decode()


@pytest.mark.django_db
def test_every_challenge_past_draft_has_a_data_governance_record_complete_for_review():
    seed()

    for challenge in Challenge.objects.exclude(status="draft"):
        record = DataGovernanceRecord.objects.get(challenge=challenge)
        assert record.assets.exists(), challenge.title
        assert governance_problems(challenge) == [], challenge.title
        # Written by the owner through the services: the record's history shows it.
        assert AuditEntry.objects.filter(
            content_type__model="datagovernancerecord", object_id=str(record.pk)
        ).exists()
    assert not DataGovernanceRecord.objects.filter(challenge__status="draft").exists()
    # Sharing with agreements, decisions with who decided and why, open data with a licence.
    assert DataSharing.objects.filter(agreement_status="signed").exists()
    assert all(d.decided_by and d.reason for d in GovernanceDecision.objects.all())
    assert set(DataAsset.objects.filter(open_data=True).values_list("licence", flat=True)) >= {
        "ogl_canada",
        "municipal",
    }
    assert all(a.open_format for a in DataAsset.objects.filter(open_data=True))


@pytest.mark.django_db
def test_the_demo_has_identifiable_personal_information_with_a_completed_assessment(client):
    seed()
    challenge = Challenge.objects.get(title__icontains="energy poverty")
    record = challenge.data_governance

    assert record.assets.filter(sensitivity="identifiable").exists()
    assert record.assessment_status == "completed"
    assert record.assessment_completed_on < timezone.localdate()
    assessment = Document.objects.get(
        challenge=challenge, attached_to="governance", kind="x_privacyImpactAssessment"
    )
    assert assessment.original_name.endswith(".pdf") and len(assessment.sha256) == 64
    # Published, so a visitor reads the assessment itself.
    download = client.get(assessment.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_demo_has_automated_decisions_with_an_impact_level_and_a_risk_for_the_approver():
    seed()
    record = DataGovernanceRecord.objects.get(automated_decisions=True)

    assert record.impact_level == 2
    assert "confirms every alert" in record.impact_explanation
    # The challenge in review shows the approver a high-risk answer.
    in_review = Challenge.objects.get(status="in_review")
    assert "Personal information is stored outside Canada." in governance_risks(in_review)


@pytest.mark.django_db
def test_confidential_rows_give_their_reason_and_stay_out_of_the_published_record():
    seed()
    challenge = Challenge.objects.get(title__icontains="energy poverty")
    (hidden,) = DataSharing.objects.filter(record__challenge=challenge, confidential=True)
    assert hidden.confidential_reason

    published = json.dumps(data_governance(challenge))

    assert "Riverbend Hydro" in published  # a public sharing of the same record
    assert hidden.party not in published


@pytest.mark.django_db
def test_municipal_documents_hang_on_the_challenge_and_an_issued_addendum():
    seed()
    energy = Challenge.objects.get(title__icontains="energy poverty")
    trail = awarded_challenge()

    assert Document.objects.filter(
        challenge=energy, attached_to="challenge", kind="x_backgroundData"
    ).exists()
    on_addendum = Document.objects.get(challenge=energy, attached_to="addendum")
    assert on_addendum.addendum.status == "issued"
    assert Document.objects.filter(
        challenge=trail, attached_to="challenge", kind="contractDraft"
    ).exists()


@pytest.mark.django_db
def test_the_final_award_has_a_signed_contract_with_terms_from_its_record(client):
    seed()
    challenge = awarded_challenge()
    contract = Contract.objects.get(challenge=challenge)
    award = contract.award

    assert contract.status == "signed"
    assert contract.value > 0
    assert award.finalised_at < contract.signed_at
    assert contract.signed_on == timezone.localdate(contract.signed_at)
    assert contract.starts_on == challenge.pilot.starts_on
    assert contract.has_signed_copy()
    topics = set(contract.terms.values_list("topic", flat=True))
    assert len(topics) >= 3
    assert all(term.source for term in contract.terms.all())
    # Its pilot delivers the record's open dataset as a milestone.
    (open_data,) = Milestone.objects.filter(pilot__challenge=challenge).exclude(open_dataset=None)
    assert open_data.open_dataset.name == "Trail user counts"
    outcomes = client.get(reverse("procurement:outcomes", args=[challenge.reference]))
    assert "Trail user counts" in outcomes.content.decode()


@pytest.mark.django_db
def test_the_owner_accepted_what_the_record_proposed_and_the_draft_answers_it():
    seed()
    challenge = Challenge.objects.get(title__icontains="energy poverty")

    accepted = challenge.response_questions.exclude(governance_key="")
    assert set(accepted.values_list("governance_key", flat=True)) == {
        "data_location",
        "exit_data_return",
    }
    assert Criterion.objects.filter(
        plan__challenge=challenge, governance_key="exit_open_formats", kind="mandatory"
    ).exists()
    # The vendor's draft answers them in its technical envelope.
    draft = Proposal.objects.get(
        challenge=challenge, vendor__operating_name="Riverbend Energy Co-op"
    )
    answered = ProposalAnswer.objects.filter(proposal=draft, question__in=accepted)
    assert answered.count() == 2
    assert all(answer.text.strip() for answer in answered)
