"""Every page and API endpoint costs the same number of queries however many rows it shows
(DESIGN.md §9 "query counts that do not grow with rows").

The URLs are discovered from the URLconf, not listed: every named pattern must be either in
`PAGES` (who reads it and how its arguments are found in the seeded data) or in `EXCLUDED` with
the reason, or the first test fails; a new endpoint cannot be forgotten.

The same world is seeded twice, small and larger (2 and 12 of everything a page lists:
challenges, response questions, community input, questions, addenda, proposals and their scores,
documents, receipts, notifications, milestones, indicators and measurements, releases), each
time in a transaction rolled back afterwards. Every URL is read twice per world by its persona
and the second reading is counted (the first warms per-process caches: content types, the
OCDS schema). Its count must be the same at both sizes and within its budget: `ONE_THING` for a
page that shows one thing, `LIST` for a list, or the budget its entry states.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from challenges import services as challenge_services
from challenges.follow_services import unsubscribe_token
from challenges.models import (
    ActivityReach,
    Addendum,
    CommunityInput,
    PriorityGroup,
    Question,
    ReachTarget,
)
from config.celery import app as celery_app
from core.services import api_token_create
from core.tokens import token_digest
from evaluation import services as evaluation_services
from evaluation.models import (
    ConsensusScore,
    Criterion,
    Evaluation,
    PanelAssignment,
    Score,
)
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
from procurement.services.preferences import calendar_token_regenerate
from tests.evaluation.builders import vendors as builder_vendors
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    ChallengePartnerFactory,
    DataAssetFactory,
    DataSharingFactory,
    DepartmentFactory,
    DocumentFactory,
    EngagementActivityFactory,
    FollowFactory,
    GovernanceDecisionFactory,
    InputThemeFactory,
    PartnerOrganizationFactory,
    ResponseQuestionFactory,
    UserFactory,
    VendorMembershipFactory,
    complete_governance,
    complete_plan,
    set_status,
)
from tests.vendors.conftest import PDF_BYTES, pdf
from vendors import services as vendor_services
from vendors.models import (
    PriceEnvelope,
    Proposal,
    ProposalDocument,
    ProposalReceipt,
)

# The mark also makes pytest-django set up the test database, which the module's worlds use.
pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 12
# The secret of the seeded follower's confirmation link (only its digest is stored).
FOLLOW_TOKEN = "seeded-follow-token"

# A page that shows one thing; a list (its rows come in a fixed number of queries).
ONE_THING = 10
LIST = 12

# Named patterns the test does not read, each with its reason.
EXCLUDED = {
    "set_language": "Django's language switch: it sets a cookie and redirects, reading no rows",
    "favicon": "a redirect to the favicon's static file: it reads no rows",
    "schema": "the OpenAPI schema: built from the code, it reads no rows (and takes seconds)",
    "password_reset_confirm": "Django's form behind a one-time token sent by e-mail: no rows",
    "vendors:invitation_accept": "reads one invitation by the secret token only its e-mail "
    "holds (tests/vendors/test_invitations.py)",
    "challenges:addendum_edit": "the form of one draft addendum, read with its challenge; the "
    "seeded world issues its addenda (tests/challenges/test_draft_addenda.py)",
    "challenges:proposed_question_edit": "the form of one question a data governance record "
    "proposes, read with its record (tests/challenges/test_governance_proposals.py)",
    "evaluation:proposed_criterion_edit": "the form of one criterion a data governance record "
    "proposes, read with its record (tests/evaluation/test_governance_criteria.py)",
}

# Steps and other writes: they answer POST only (the test checks that GET answers 405). What a
# write costs is its service's, tested with the service.
POST_ONLY = {
    "challenges:proposed_question_accept",
    "challenges:proposed_question_dismiss",
    "challenges:proposed_question_restore",
    "challenges:start_from",
    "challenges:follow",
    "challenges:unfollow",
    "challenge-follow-email",
    "evaluation:proposed_criterion_accept",
    "evaluation:proposed_criterion_dismiss",
    "evaluation:proposed_criterion_restore",
    "challenge-response-question-accept-proposal",
    "challenge-response-question-dismiss-proposal",
    "challenge-response-question-restore-proposal",
    "challenge-copy",
    "challenge-plan-proposals-accept",
    "challenge-plan-proposals-dismiss",
    "challenge-plan-proposals-restore",
    "api_token_revoke",
    "logout",
    "evaluation:panel_assign",
    "evaluation:criterion_add",
    "evaluation:plan_settings",
    "procurement:pilot_plan",
    "procurement:award_end_without",
    "procurement:debrief_request",
    "procurement:award_recommend",
    "challenges:question_answer",
    "challenges:question_ask",
    "challenges:input_add",
    "challenges:partner_remove",
    "challenge-community-input-offline",
    "challenges:transition",
    "challenges:response_question_move",
    "challenges:governance_asset_move",
    "challenges:reach_targets",
    "challenges:reach_gap_reason",
    # Reach through the API: the reason by PUT, a target removed by DELETE.
    "challenge-reach-gap-reason",
    "challenge-reach-target",
    "challenges:theme_move",
    "challenges:input_theme",
    "challenge-theme-move",
    "challenge-theme-assignment",
    # The record's rows through the API: added by POST, changed by PATCH, removed by DELETE.
    "challenge-data-asset-list",
    "challenge-data-asset-detail",
    "challenge-data-asset-move",
    "challenge-data-sharing-list",
    "challenge-data-sharing-detail",
    "challenge-governance-decision-list",
    "challenge-governance-decision-detail",
    "challenges:input_moderate",
    "challenges:question_dismiss",
    "challenges:addendum_issue",
    "challenges:addendum_delete",
    "challenges:document_remove",
    "procurement:debrief_schedule",
    "procurement:debrief_held",
    "procurement:award_step",
    "procurement:milestone_mark_done",
    "procurement:pilot_step",
    "procurement:measurement_record",
    "procurement:milestone_add",
    "procurement:indicator_add",
    "procurement:milestone_reschedule",
    "procurement:contract_create",
    "procurement:contract_update",
    "procurement:contract_term_add",
    "procurement:contract_term_change",
    "procurement:contract_term_remove",
    "procurement:contract_sign",
    "vendors:member_invite",
    "vendors:member_remove",
    "vendors:member_role",
    "vendors:proposal_start",
    "vendors:document_upload",
    "vendors:document_remove",
    "vendors:step",
    "evaluation:transition",
    "evaluation:criterion_remove",
    "evaluation:panel_unassign",
    "evaluation:panel_set_chair",
    "evaluation:recuse",
    "evaluation:submit",
    "evaluation:consensus_record",
    "evaluation:consensus_lock",
    "evaluation:screening_record",
    "challenge-approve",
    "challenge-award",
    "challenge-cancel",
    "challenge-close",
    "challenge-end-without-award",
    "challenge-open-co-design",
    "challenge-publish",
    "challenge-request-changes",
    "challenge-schedule",
    "challenge-start-evaluation",
    "challenge-submit-for-review",
    "challenge-response-question-move",
    "challenge-document-withdraw",
    "community-input-publish",
    "community-input-reject",
    "question-dismiss",
    "question-publish-answer",
    "addendum-issue",
    "vendor-member-detail",
    "invitation-accept-list",
    "proposal-reconfirm",
    "proposal-revise",
    "proposal-submit",
    "proposal-withdraw",
    "evaluation-decide",
    "evaluation-lock-consensus",
    "evaluation-open-consensus",
    "evaluation-open-prices",
    "evaluation-rank",
    "evaluation-start-scoring",
    "evaluation-start-screening",
    "evaluation-panel-detail",
    "evaluation-panel-chair",
    "assignment-accept",
    "assignment-recuse",
    "assignment-submit",
    "award-list",
    "award-approve",
    "award-debrief-request",
    "award-end-without-award",
    "award-finalise",
    "award-notify",
    "award-reject",
    "pilot-list",
    "pilot-adopt",
    "pilot-conclude",
    "pilot-indicators",
    "pilot-measurements",
    "pilot-milestone-done",
    "pilot-milestones",
    "pilot-open-review",
    "pilot-start",
    "pilot-terminate",
    "pilot-milestone",
    "contract-list",
    "contract-sign",
    "contract-terms",
    "contract-term",
}


# Discovery ---------------------------------------------------------------------------------------


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = pattern.namespace or ""
            yield from _names(
                pattern.url_patterns,
                f"{namespace}:{inner}".strip(":") if inner else namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def url_names() -> set[str]:
    """Every named pattern of the URLconf but the admin's (the router's format-suffix twins
    share their pattern's name)."""
    return set(_names(get_resolver().url_patterns))


# The world ---------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    rows: dict = field(default_factory=dict)


def _evaluated(n, *, owner, department, status, chair, evaluator, first_vendor):
    """A closed challenge whose evaluation is in `status`: n qualified proposals (the first
    from `first_vendor`), each scored by both panel members and agreed in consensus."""
    challenge = ChallengeFactory(owner=owner, department=department)
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, "evaluating", published_at=timezone.now() - timedelta(days=40))
    plan = complete_plan(challenge)
    evaluation = set_status(Evaluation.objects.create(challenge=challenge, plan=plan), status)
    criteria = list(plan.criteria.filter(kind=Criterion.Kind.RATED).order_by("order"))
    vendors = [first_vendor, *builder_vendors(n - 1)]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            challenge=challenge,
            vendor=vendor,
            created_by=owner,
            status="qualified",
            submitted_at=timezone.now() - timedelta(days=35),
        )
        for vendor in vendors
    )
    PriceEnvelope.objects.bulk_create(
        PriceEnvelope(proposal=p, amount=Decimal(1000 + 10 * i), updated_by=owner)
        for i, p in enumerate(proposals)
    )
    assignments = [
        PanelAssignment.objects.create(
            evaluation=evaluation,
            evaluator=user,
            is_chair=user is chair,
            due_at=timezone.now() + timedelta(days=5),
            assigned_by=owner,
        )
        for user in (chair, evaluator)
    ]
    for assignment in assignments:
        set_status(assignment, "submitted")
    Score.objects.bulk_create(
        Score(
            assignment=a,
            proposal=p,
            criterion=c,
            points=Decimal(5 + (i + j) % 4),
            max_points=c.max_points,
            rationale="Scored.",
        )
        for i, p in enumerate(proposals)
        for j, a in enumerate(assignments)
        for c in criteria
    )
    ConsensusScore.objects.bulk_create(
        ConsensusScore(
            evaluation=evaluation,
            proposal=p,
            criterion=c,
            points=Decimal(6 + i % 3),
            max_points=c.max_points,
            rationale="Agreed.",
            recorded_by=chair,
        )
        for i, p in enumerate(proposals)
        for c in criteria
    )
    return evaluation, proposals


def seed(n) -> World:
    """Everything the pages read, with n of each thing a page lists."""
    department = DepartmentFactory(name="Community Services", slug="community-services")
    users = {
        "alice": UserFactory(username="alice", roles=["staff"]),
        "bob": UserFactory(username="bob", roles=["staff"]),
        "carol": UserFactory(username="carol", roles=["staff", "approver"]),
        "dave": UserFactory(username="dave", roles=["vendor"]),
        "erin": UserFactory(username="erin", roles=["vendor"]),
        "frank": UserFactory(username="frank", roles=["evaluator"]),
        "grace": UserFactory(username="grace", roles=["evaluator"]),
        "rita": UserFactory(username="rita"),
    }
    root = UserFactory(username="root")
    root.is_superuser = root.is_staff = True
    root.save()
    users["root"] = root
    alice, dave, erin, frank, grace, rita = (
        users[u] for u in ("alice", "dave", "erin", "frank", "grace", "rita")
    )
    world = World(users={"anonymous": None, **users})
    rows = world.rows
    acme = VendorMembershipFactory(user=dave, vendor__legal_name="Acme Heat Ltd.").vendor
    globex = VendorMembershipFactory(user=erin, vendor__legal_name="Globex Co-op").vendor
    rows["acme"] = acme
    for i in range(n):
        api_token_create(user=dave, name=f"Script {i}")

    # An open challenge: its questions for vendors, questions asked and answered, addenda,
    # activities and input; Acme drafting, Globex submitted (and re-confirmed, n receipts).
    open_ = ChallengeFactory(owner=alice, department=department)
    complete_plan(open_)
    for _ in range(n):
        EngagementActivityFactory(challenge=open_)
    set_status(open_, "published")
    questions = [
        ResponseQuestionFactory(challenge=open_, order=i + 1, required=False) for i in range(n)
    ]
    CommunityInput.objects.bulk_create(
        CommunityInput(challenge=open_, author=rita, body=f"Input {i}", status="published")
        for i in range(n)
    )
    Question.objects.bulk_create(
        Question(
            challenge=open_,
            asked_by=erin,
            body=f"Question {i}?",
            status="answered",
            answer="Yes.",
            answered_by=alice,
            answered_at=timezone.now(),
        )
        for i in range(n)
    )
    asked = challenge_services.question_ask(challenge=open_, actor=erin, body="Any more?")
    municipal_documents = [DocumentFactory(challenge=open_) for _ in range(n)]
    for i in range(n):
        addendum = AddendumFactory(challenge=open_, title=f"Addendum {i}")
        Addendum.objects.filter(pk=addendum.pk).update(
            status="issued", number=i + 1, issued_at=timezone.now()
        )
        DocumentFactory(challenge=open_, attached_to="addendum", addendum=addendum)
    draft = vendor_services.proposal_start(challenge=open_, vendor=acme, actor=dave)
    vendor_services.proposal_save_answers(
        proposal=draft, actor=dave, answers={q.pk: f"Answer {q.order}" for q in questions}
    )
    documents = [
        vendor_services.document_upload(
            proposal=draft, actor=dave, title=f"Plan {i}", upload=pdf(f"plan-{i}.pdf")
        )
        for i in range(n)
    ]
    vendor_services.price_envelope_save(proposal=draft, actor=dave, amount=Decimal("98000"))
    submitted = vendor_services.proposal_start(challenge=open_, vendor=globex, actor=erin)
    vendor_services.proposal_save_answers(
        proposal=submitted, actor=erin, answers={q.pk: "Ours." for q in questions}
    )
    vendor_services.document_upload(proposal=submitted, actor=erin, title="Plan", upload=pdf())
    vendor_services.price_envelope_save(proposal=submitted, actor=erin, amount=Decimal("97000"))
    submitted = vendor_services.proposal_submit(proposal=submitted, actor=erin)
    first = submitted.receipts.get()
    for i in range(n - 1):
        receipt = ProposalReceipt.objects.create(
            proposal=submitted,
            digest=f"{i:064x}",
            submitted_at=first.submitted_at + timedelta(minutes=i + 1),
            submitted_by=erin,
        )
        receipt.documents.set(first.documents.all())
    rows.update(
        open=open_,
        response_question=questions[0],
        asked=asked,
        draft=draft,
        document=documents[0],
        municipal_document=municipal_documents[0],
        submitted=submitted,
    )
    # Followers of the open challenge: n by e-mail, dave by his account, and one not yet
    # confirmed whose confirmation and unsubscribe pages are read.
    for _ in range(n):
        FollowFactory(challenge=open_)
    FollowFactory(challenge=open_, user=dave, email="")
    rows["follow"] = FollowFactory(
        challenge=open_, confirmed_at=None, token_digest=token_digest(FOLLOW_TOKEN)
    )

    # A challenge in co-design (residents give input), and one in review (the approver's).
    co_design = set_status(ChallengeFactory(owner=alice, department=department), "co_design")
    complete_plan(co_design)
    for _ in range(n):
        EngagementActivityFactory(challenge=co_design)
    pending = CommunityInput.objects.bulk_create(
        CommunityInput(challenge=co_design, author=rita, body=f"Idea {i}") for i in range(n)
    )
    drafted = [ResponseQuestionFactory(challenge=co_design, order=i + 1) for i in range(n)]
    rows.update(co_design=co_design, pending_input=pending[0], drafted_question=drafted[0])
    # "You said, we did": n themes on each, the challenge's input grouped under the first.
    for challenge in (co_design, open_):
        themes = [InputThemeFactory(challenge=challenge, title=f"Theme {i}") for i in range(n)]
        CommunityInput.objects.filter(challenge=challenge).update(theme=themes[0])
    rows["theme"] = co_design.input_themes.first()
    # Data governance records with n of each row, one confidential: the owner's page in
    # co-design, the public view on the open challenge.
    for challenge in (co_design, open_):
        record = complete_governance(challenge)
        for i in range(n):
            DataAssetFactory(record=record, confidential=i == 0, confidential_reason="Safety.")
            DataSharingFactory(record=record)
            GovernanceDecisionFactory(record=record)
    rows["governance_asset"] = co_design.data_governance.assets.first()
    # Reach: a target per priority group and n activities counting every group, on the
    # challenge in co-design and the open one (its public ledger).
    groups = list(PriorityGroup.objects.all())
    for challenge in (co_design, open_):
        ReachTarget.objects.bulk_create(
            ReachTarget(challenge=challenge, group=group, target=10 * n, set_by=alice)
            for group in groups
        )
        for activity in [
            *challenge.engagement_activities.all(),
            EngagementActivityFactory(challenge=challenge),
        ]:
            ActivityReach.objects.bulk_create(
                ActivityReach(activity=activity, group=group, participants=i)
                for i, group in enumerate(groups)
            )
    # Community partners: n on each, serving two groups and co-hosting every activity; rita is
    # the contact who records for each of them.
    for challenge in (co_design, open_):
        activities = list(challenge.engagement_activities.all())
        for i in range(n):
            partner = PartnerOrganizationFactory(name=f"Partner {challenge.pk}-{i}")
            partner.groups_served.set(groups[:2])
            partner.activities.set(activities)
            ChallengePartnerFactory(challenge=challenge, partner=partner, contact_user=rita)

    # An evaluation in consensus: frank chairs, grace scores, n proposals (Acme's first).
    consensus, scored = _evaluated(
        n,
        owner=alice,
        department=department,
        status="consensus",
        chair=frank,
        evaluator=grace,
        first_vendor=acme,
    )
    scored_document = ProposalDocument.objects.create(
        proposal=scored[0],
        title="Work plan",
        file=ContentFile(PDF_BYTES, name="work-plan.pdf"),
        original_name="work-plan.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        uploaded_by=dave,
    )
    rows.update(consensus=consensus, scored=scored[0], scored_document=scored_document)

    # A decided evaluation with a final award to Acme, its pilot under way, a debrief asked.
    decided, ranked = _evaluated(
        n,
        owner=alice,
        department=department,
        status="prices_opened",
        chair=frank,
        evaluator=grace,
        first_vendor=acme,
    )
    evaluation_services.evaluation_rank(evaluation=decided, actor=alice)
    set_status(decided, "decided")
    awarded = set_status(decided.challenge, "awarded")
    award = Award.objects.create(
        challenge=awarded, evaluation=decided, proposal=ranked[0], recommended_by=alice
    )
    set_status(award, "final", finalised_at=timezone.now(), notified_at=timezone.now())
    DebriefRequest.objects.create(award=award, proposal=ranked[0], requested_by=dave)
    pilot = set_status(Pilot.objects.create(challenge=awarded, award=award), "active")
    # Residents' feedback on the running pilot, published and awaiting moderation, with groups.
    feedback = CommunityInput.objects.bulk_create(
        CommunityInput(
            challenge=awarded,
            author=rita if i % 2 else None,
            author_name=f"Resident {i}",
            consent_to_publish=True,
            stage="pilot",
            body=f"Feedback {i}",
            status="published" if i < n else "pending",
        )
        for i in range(2 * n)
    )
    for item in feedback:
        item.groups.set(PriorityGroup.objects.all()[:2])
    for _ in range(n):
        DocumentFactory(challenge=awarded, attached_to="pilot", kind="physicalProgressReport")
    Milestone.objects.bulk_create(
        Milestone(pilot=pilot, title=f"Step {i}", due_on=date(2030, 1, 1 + i)) for i in range(n)
    )
    indicators = OutcomeIndicator.objects.bulk_create(
        OutcomeIndicator(
            pilot=pilot, name=f"Indicator {i}", unit="%", baseline=Decimal(8), target=Decimal(6)
        )
        for i in range(n)
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            measured_on=date(2027, 1, 1 + i),
            value=Decimal(7),
            recorded_by=alice,
        )
        for indicator in indicators
        for i in range(n)
    )
    # Its contract, drafted, with n terms (confidential ones among them: staff read them all).
    contract = Contract.objects.create(
        challenge=awarded, award=award, created_by=alice, value=Decimal("90000")
    )
    ContractTerm.objects.bulk_create(
        ContractTerm(
            contract=contract,
            topic=ContractTerm.Topic.values[i % len(ContractTerm.Topic.values)],
            text=f"Term {i}",
            confidential=i % 2 == 1,
            order=i,
        )
        for i in range(n)
    )
    rows.update(awarded=awarded, decided=decided, indicator=indicators[0])
    for i in range(n):
        InputThemeFactory(challenge=awarded, title=f"Heard {i}")

    # More published challenges for the lists, and their open data (n releases each).
    for _ in range(n - 1):
        set_status(ChallengeFactory(owner=alice, department=department), "published")
    from opendata.services import releases_backfill

    for challenge in (open_, awarded):
        releases_backfill(challenge=challenge)

    # Everyone's inbox.
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="results", title=f"Note {i}", link="/")
        for user in users.values()
        for i in range(n)
    )
    rows["calendar_tokens"] = {
        who: calendar_token_regenerate(actor=user)[1] for who, user in users.items()
    }
    return world


# What each page needs ----------------------------------------------------------------------------


def _ref(key):
    # An evaluation is found by its challenge's reference.
    return lambda w: {"reference": getattr(w.rows[key], "challenge", w.rows[key]).reference}


def _challenge_ref(key):
    return lambda w: {"challenge_reference": w.rows[key].reference}


def _none(w):
    return {}


def _drafted_question(w):
    return {"reference": w.rows["co_design"].reference, "pk": w.rows["drafted_question"].pk}


def _governance_asset(w):
    return {
        "reference": w.rows["co_design"].reference,
        "kind": "assets",
        "pk": w.rows["governance_asset"].pk,
    }


def _theme(w):
    return {"reference": w.rows["co_design"].reference, "pk": w.rows["theme"].pk}


def _municipal_document(w):
    return {
        "challenge_reference": w.rows["open"].reference,
        "public_id": w.rows["municipal_document"].public_id,
    }


@dataclass(frozen=True)
class Page:
    """Who reads the page, how its URL's arguments come from the world, and its budget: a page
    that shows one thing keeps to ONE_THING, a list to LIST; any other budget says why. No
    page has any slack: its count is the same at both sizes."""

    persona: str
    kwargs: object = _none
    budget: int = ONE_THING
    why: str = ""


PAGES = {
    # challenges
    "challenges:board": Page("anonymous", budget=LIST),
    "challenges:create": Page("alice"),
    "challenges:detail": Page(
        "alice",
        _ref("open"),
        budget=LIST + 12,
        why="the lists of the challenge page and, in one more query, the documents of the "
        "challenge and of each addendum; in four more, the data governance record with its "
        "datasets, sharings and decisions; in one more, the themes of “you said, we did”; in "
        "one more, whether the reader follows it; in two more, the reach ledger and the "
        "activities' participants per group; in three more, the community partners with the "
        "groups they serve and the activities they co-hosted",
    ),
    "challenges:documents": Page("alice", _ref("open"), budget=LIST),
    "challenges:document_download": Page(
        "anonymous",
        lambda w: {
            "reference": w.rows["open"].reference,
            "public_id": w.rows["municipal_document"].public_id,
        },
    ),
    "challenges:edit": Page("alice", _ref("co_design")),
    "challenges:timeline": Page("alice", _ref("co_design")),
    "challenges:activity_add": Page("alice", _ref("co_design")),
    "challenges:response_questions": Page("alice", _ref("co_design"), budget=LIST),
    "challenges:response_question_edit": Page("alice", lambda w: _drafted_question(w)),
    "challenges:response_question_remove": Page("alice", lambda w: _drafted_question(w)),
    "challenges:addendum_add": Page("alice", _ref("open")),
    "challenges:governance": Page("alice", _ref("co_design"), budget=LIST),
    "challenges:governance_history": Page("alice", _ref("co_design"), budget=LIST),
    "challenges:governance_row_add": Page(
        "alice", lambda w: {"reference": w.rows["co_design"].reference, "kind": "assets"}
    ),
    "challenges:governance_row_edit": Page("alice", lambda w: _governance_asset(w)),
    "challenges:governance_row_remove": Page("alice", lambda w: _governance_asset(w)),
    "challenges:copy": Page("bob", _ref("open")),
    "challenges:reach": Page("alice", _ref("co_design"), budget=LIST),
    "challenges:follow_email": Page("anonymous", _ref("open")),
    "challenges:follow_confirm": Page("anonymous", lambda w: {"token": FOLLOW_TOKEN}),
    "challenges:unfollow_link": Page(
        "anonymous",
        lambda w: {"pk": w.rows["follow"].pk, "token": unsubscribe_token(w.rows["follow"])},
    ),
    "challenges:themes": Page("alice", _ref("co_design"), budget=LIST),
    "challenges:partners": Page("alice", _ref("co_design"), budget=LIST),
    "challenges:offline_input": Page("rita", _ref("co_design"), budget=LIST),
    "challenges:organization_add": Page("bob"),
    "challenges:my_partnerships": Page("rita", budget=LIST),
    "challenges:theme_add": Page("alice", _ref("co_design")),
    "challenges:theme_edit": Page("alice", lambda w: _theme(w)),
    "challenges:theme_delete": Page("alice", lambda w: _theme(w)),
    # procurement
    "procurement:dashboard": Page(
        "alice",
        budget=15,
        why="the whole pipeline at once: stage counts and lists, five kinds of overdue work, "
        "four kinds upcoming (tests/procurement/test_pages_dashboard.py counts them)",
    ),
    "procurement:challenge_history": Page("alice", _ref("open"), budget=LIST),
    "procurement:inbox": Page("dave", budget=LIST),
    "procurement:preferences": Page("dave"),
    "procurement:calendar_feed": Page(
        "frank", lambda w: {"token": w.rows["calendar_tokens"]["frank"]}, budget=LIST
    ),
    "procurement:award": Page(
        "alice",
        _ref("awarded"),
        budget=LIST,
        why="the award with the ranking's candidates, the pilot and the debrief requests",
    ),
    "procurement:result_letter": Page(
        "dave",
        _ref("awarded"),
        budget=12,
        why="the letter: the vendor's and the winner's ranking, the debrief asked or its form",
    ),
    "procurement:pilot": Page(
        "alice",
        _ref("awarded"),
        budget=LIST + 5,
        why="residents' feedback beside the indicators: counts by moderation state, a page of "
        "it with its count and each one's groups, the groups the form offers, and whether the "
        "pilot takes feedback now",
    ),
    "procurement:outcomes": Page(
        "anonymous",
        _ref("awarded"),
        budget=LIST + 3,
        why="beside the pilot's milestones and indicators, the newest published feedback on "
        "the pilot with its count (one query), the engagement table's participants per group "
        "(one query) and the reach ledger (one query)",
    ),
    "procurement:contract": Page(
        "alice",
        _ref("awarded"),
        budget=LIST + 2,
        why="the contract's terms with the owner's forms, its documents, and what signing still "
        "needs (its signed copy)",
    ),
    # open data
    "opendata:open_data": Page("anonymous", budget=LIST),
    "opendata:open_data_csv": Page("anonymous", budget=LIST),
    "opendata:open_data_outcomes_csv": Page("anonymous", budget=LIST),
    "opendata:open_data_governance_csv": Page("anonymous", budget=LIST),
    "opendata:open_data_themes_csv": Page("anonymous", budget=LIST),
    "opendata:ocds_extension": Page(
        "anonymous", lambda w: {"name": "data_governance", "filename": "extension.json"}
    ),
    "opendata:open_data_releases": Page("anonymous", _ref("awarded")),
    "opendata:open_data_record": Page("anonymous", _ref("awarded")),
    # vendors
    "vendors:portal": Page(
        "dave",
        budget=13,
        why="five lists on one page: the organizations with their members and invitations, "
        "a page of proposals and a page of open challenges, each page with its count",
    ),
    "vendors:register": Page("rita"),
    "vendors:received_proposals": Page("alice", _ref("awarded"), budget=LIST),
    "vendors:proposal": Page(
        "dave",
        lambda w: {"public_id": w.rows["draft"].public_id},
        budget=12,
        why="the editor: answers, questions, price, documents, receipt and the steps allowed",
    ),
    "vendors:technical": Page("dave", lambda w: {"public_id": w.rows["draft"].public_id}),
    "vendors:submit": Page(
        "dave",
        lambda w: {"public_id": w.rows["draft"].public_id},
        budget=12,
        why="the editor's reading, confirmed before submitting",
    ),
    "vendors:receipt_latest": Page("erin", lambda w: {"public_id": w.rows["submitted"].public_id}),
    "vendors:receipt_latest_download": Page(
        "erin", lambda w: {"public_id": w.rows["submitted"].public_id}
    ),
    "vendors:receipt": Page(
        "erin", lambda w: {"public_id": w.rows["submitted"].public_id, "number": 1}
    ),
    "vendors:receipt_download": Page(
        "erin", lambda w: {"public_id": w.rows["submitted"].public_id, "number": 1}
    ),
    "vendors:document_download": Page(
        "dave", lambda w: {"public_id": w.rows["document"].public_id}
    ),
    # evaluation
    "evaluation:mine": Page("frank", budget=LIST),
    "evaluation:overview": Page("alice", _ref("consensus"), budget=LIST),
    "evaluation:plan": Page(
        "alice",
        _ref("co_design"),
        budget=ONE_THING + 4,
        why="the criteria the data governance record proposes: the record, its datasets, its "
        "sharings and the criteria already added from it, one query each",
    ),
    "evaluation:criterion_edit": Page(
        "alice",
        lambda w: {
            "reference": w.rows["co_design"].reference,
            "pk": w.rows["co_design"].evaluation_plan.criteria.first().pk,
        },
    ),
    "evaluation:workspace": Page(
        "grace",
        _ref("consensus"),
        budget=13,
        why="every proposal the evaluator scores, its answers and documents, own progress, "
        "the panel's, the screening results",
    ),
    "evaluation:declare": Page("grace", _ref("consensus")),
    "evaluation:score": Page(
        "grace",
        lambda w: {
            "reference": w.rows["consensus"].challenge.reference,
            "public_id": w.rows["scored"].public_id,
        },
        budget=11,
        why="one proposal with its answers and documents (labelled among all received), "
        "the rubric and the scores the evaluator may read",
    ),
    "evaluation:document": Page(
        "grace",
        lambda w: {
            "reference": w.rows["consensus"].challenge.reference,
            "public_id": w.rows["scored_document"].public_id,
        },
    ),
    "evaluation:consensus": Page(
        "frank",
        _ref("consensus"),
        budget=12,
        why="scores with their spread, consensus scores and their history, criteria, "
        "labels, what locking still needs",
    ),
    "evaluation:prices": Page("alice", _ref("decided")),
    "evaluation:results": Page("alice", _ref("decided"), budget=LIST),
    "evaluation:results_csv": Page("alice", _ref("decided"), budget=LIST),
    # core and accounts
    "login": Page("anonymous"),
    "signup": Page("anonymous"),
    "password_change": Page("rita"),
    "api_tokens": Page("dave", budget=LIST),
    "password_change_done": Page("rita"),
    "password_reset": Page("anonymous"),
    "password_reset_done": Page("anonymous"),
    "password_reset_complete": Page("anonymous"),
    "api-root": Page("anonymous"),
    "swagger-ui": Page("anonymous"),
    "audit:head": Page("anonymous"),
    "audit:head_json": Page("anonymous"),
    "audit:head_feed": Page("anonymous"),
    # API: challenges
    "challenge-list": Page("anonymous", budget=LIST),
    "challenge-detail": Page("alice", _ref("open")),
    "challenge-plan": Page("alice", _challenge_ref("open")),
    "challenge-follow": Page("dave", _challenge_ref("open")),
    "challenge-data-governance": Page("alice", _challenge_ref("open"), budget=LIST),
    "challenge-reach": Page("anonymous", _challenge_ref("open")),
    "challenge-reach-targets": Page("alice", _challenge_ref("co_design")),
    "challenge-theme-list": Page("anonymous", _challenge_ref("open"), budget=LIST),
    "challenge-theme-detail": Page(
        "anonymous",
        lambda w: {"challenge_reference": w.rows["co_design"].reference, "pk": w.rows["theme"].pk},
    ),
    "challenge-plan-proposals": Page("alice", _challenge_ref("co_design")),
    "challenge-response-question-proposals": Page("alice", _challenge_ref("co_design")),
    "challenge-engagement-activity-list": Page("alice", _challenge_ref("open"), budget=LIST),
    "challenge-community-input-list": Page("alice", _challenge_ref("co_design"), budget=LIST),
    "challenge-question-list": Page("alice", _challenge_ref("open"), budget=LIST),
    "challenge-addendum-list": Page("alice", _challenge_ref("open"), budget=LIST),
    "challenge-response-question-list": Page("alice", _challenge_ref("open"), budget=LIST),
    "challenge-response-question-detail": Page(
        "alice",
        lambda w: {
            "challenge_reference": w.rows["open"].reference,
            "pk": w.rows["response_question"].pk,
        },
    ),
    "challenge-received-proposal-list": Page("alice", _challenge_ref("awarded"), budget=LIST),
    "challenge-document-list": Page("anonymous", _challenge_ref("open"), budget=LIST),
    "challenge-document-detail": Page("anonymous", lambda w: _municipal_document(w)),
    "challenge-document-download": Page("anonymous", lambda w: _municipal_document(w)),
    # API: vendors and proposals
    "vendor-list": Page("dave", budget=LIST),
    "vendor-detail": Page("dave", lambda w: {"id": w.rows["acme"].public_id}),
    "vendor-member-list": Page(
        "dave", lambda w: {"vendor_id": w.rows["acme"].public_id}, budget=LIST
    ),
    "vendor-invitation-list": Page(
        "dave", lambda w: {"vendor_id": w.rows["acme"].public_id}, budget=LIST
    ),
    "proposal-list": Page("dave", budget=LIST),
    "proposal-detail": Page("dave", lambda w: {"id": w.rows["draft"].public_id}),
    "proposal-price": Page("dave", lambda w: {"id": w.rows["draft"].public_id}),
    "proposal-document-list": Page(
        "dave", lambda w: {"proposal_id": w.rows["draft"].public_id}, budget=LIST
    ),
    "proposal-receipt-list": Page(
        "erin", lambda w: {"proposal_id": w.rows["submitted"].public_id}, budget=LIST
    ),
    "document-detail": Page("dave", lambda w: {"id": w.rows["document"].public_id}),
    "document-download": Page("dave", lambda w: {"id": w.rows["document"].public_id}),
    # API: evaluation
    "evaluation-detail": Page(
        "alice", lambda w: {"reference": w.rows["consensus"].challenge.reference}
    ),
    "evaluation-panel-list": Page("alice", lambda w: _eval_ref(w, "consensus"), budget=LIST),
    "evaluation-proposal-list": Page("grace", lambda w: _eval_ref(w, "consensus"), budget=LIST),
    "evaluation-document-download": Page(
        "grace",
        lambda w: {**_eval_ref(w, "consensus"), "id": w.rows["scored_document"].public_id},
    ),
    "evaluation-screening-list": Page("alice", lambda w: _eval_ref(w, "consensus"), budget=LIST),
    "evaluation-score-list": Page("grace", lambda w: _eval_ref(w, "consensus"), budget=LIST),
    "evaluation-consensus-list": Page("frank", lambda w: _eval_ref(w, "consensus"), budget=LIST),
    "evaluation-price-list": Page("alice", lambda w: _eval_ref(w, "decided"), budget=LIST),
    "evaluation-ranking-list": Page("alice", lambda w: _eval_ref(w, "decided"), budget=LIST),
    "evaluation-ranking-csv": Page("alice", lambda w: _eval_ref(w, "decided"), budget=LIST),
    "assignment-list": Page("frank", budget=LIST),
    "assignment-detail": Page(
        "frank", lambda w: {"pk": w.rows["consensus"].assignments.get(is_chair=True).pk}
    ),
    # API: award, pilot, open data
    "award-detail": Page("alice", _ref("awarded")),
    "pilot-detail": Page("alice", _ref("awarded"), budget=LIST),
    "contract-detail": Page("alice", _ref("awarded"), budget=LIST),
    "open-data-list": Page("anonymous", budget=LIST),
    "open-data-record": Page("anonymous", _ref("awarded")),
    "open-data-release-package": Page("anonymous", _ref("awarded")),
}


def _eval_ref(w, key):
    return {"challenge_reference": w.rows[key].challenge.reference}


# Measuring ---------------------------------------------------------------------------------------


def _read(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _measure(world: World) -> dict[str, tuple[int, int, str]]:
    """(status, queries, url) of every page of PAGES in this world."""
    clients = {}
    for who, user in world.users.items():
        clients[who] = Client(raise_request_exception=False)
        if user is not None:
            clients[who].force_login(user)
    found = {}
    for name, page in PAGES.items():
        url = reverse(name, kwargs=page.kwargs(world))
        client = clients[page.persona]
        _read(client, url)
        with CaptureQueriesContext(connection) as queries:
            response = _read(client, url)
        found[name] = (response.status_code, [q["sql"] for q in queries], url)
    return found


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker, tmp_path_factory):
    """{size: {name: (status, queries, url)}} for both worlds, each rolled back."""
    settings = {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        },
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    results = {}
    try:
        with django_db_blocker.unblock(), override_settings(**settings):
            for size in (SMALL, LARGE):
                ContentType.objects.clear_cache()
                with transaction.atomic():
                    results[size] = _measure(seed(size))
                    transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager
    return results


# The tests ---------------------------------------------------------------------------------------


def test_every_url_pattern_is_counted_or_excluded_with_a_reason():
    unknown = url_names() - PAGES.keys() - EXCLUDED.keys() - POST_ONLY
    assert not unknown, f"add these to PAGES (or EXCLUDED, with the reason): {sorted(unknown)}"
    gone = (PAGES.keys() | EXCLUDED.keys() | POST_ONLY) - url_names()
    assert not gone, f"these patterns no longer exist: {sorted(gone)}"


# Arguments of the right shape for any pattern: a step refuses GET before reading them.
_ANY = {
    "reference": "NONE-1",
    "challenge_reference": "NONE-1",
    "name": "publish",
    "id": "00000000-0000-4000-8000-000000000000",
    "public_id": "00000000-0000-4000-8000-000000000000",
    "vendor_id": "00000000-0000-4000-8000-000000000000",
    "document_id": "00000000-0000-4000-8000-000000000000",
}


def _any_url(name):
    resolver = get_resolver()
    *namespaces, short = name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    # Each entry: ([(format string, parameters)], pattern, defaults, converters); the
    # router's format-suffix twin takes a `format` too.
    parameters = min((entry[0][0][1] for entry in resolver.reverse_dict.getlist(short)), key=len)
    return reverse(name, kwargs={p: _ANY.get(p, 1) for p in parameters})


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_a_step_answers_post_only(name, client, root):
    """The POST_ONLY list is true: GET is refused (405) whatever the step is aimed at."""
    client.force_login(root)
    assert client.get(_any_url(name)).status_code == 405


def test_a_budget_other_than_the_rule_says_why():
    assert not [
        name
        for name, page in PAGES.items()
        if page.budget not in (ONE_THING, LIST) and not page.why
    ]


def _listing(queries) -> str:
    return "\n".join(sql[:160] for sql in queries)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_costs_the_same_queries_at_both_sizes(name, counts):
    page = PAGES[name]
    small_status, small, url = counts[SMALL][name]
    large_status, large, _url = counts[LARGE][name]
    assert small_status == large_status == 200, (url, small_status, large_status)
    assert len(large) == len(small), (
        f"{url}: {len(small)} queries with {SMALL} of everything, {len(large)} with {LARGE}:\n"
        + _listing(large)
    )
    assert len(large) <= page.budget, (
        f"{url}: {len(large)} queries, budget {page.budget}:\n" + _listing(large)
    )
