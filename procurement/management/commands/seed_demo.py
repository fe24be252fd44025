"""Demo data for `make run`: one person per role, challenges in every stage, vendors with
proposals, an evaluation with a panel that has scored, and an award made final with its pilot."""

import contextlib
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from challenges import services
from challenges.models import (
    Addendum,
    Challenge,
    Department,
    EngagementActivity,
    Question,
    ResponseQuestion,
)
from core import roles
from core.audit import audit_dated
from evaluation import services as evaluation_services
from evaluation.models import Criterion, Evaluation, PanelAssignment
from procurement.models import Award, DebriefRequest, Pilot
from procurement.services import award as award_services
from procurement.services import pilot as pilot_services
from vendors import files as vendor_files
from vendors import services as vendor_services
from vendors.models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    ProposalReceipt,
    VendorMembership,
    VendorOrganization,
)
from vendors.services.receipts import current_documents, receipt_salt_new
from vendors.validators import parse_business_number

DEMO_PASSWORD = "demo-password-2026"

# username, first name, last name, roles, superuser, what the account shows
DEMO_USERS = [
    (
        "staff",
        "Morgan",
        "Leblanc",
        [roles.STAFF],
        False,
        "staff: owns most demo challenges, the award and its pilot",
    ),
    ("staff2", "Priya", "Raman", [roles.STAFF], False, "staff: owns the others"),
    (
        "approver",
        "Claire",
        "Doucet",
        [roles.STAFF, roles.APPROVER],
        False,
        "approver (never of their own challenges)",
    ),
    (
        "evaluator",
        "Tomas",
        "Nguyen",
        [roles.EVALUATOR],
        False,
        "evaluator: chairs the wayfinding and trail lighting panels",
    ),
    (
        "evaluator2",
        "Amira",
        "Haddad",
        [roles.EVALUATOR],
        False,
        "evaluator: second member of those panels",
    ),
    (
        "vendor",
        "Dana",
        "Okafor",
        [roles.VENDOR],
        False,
        "vendor: Riverbend Energy Co-op (won the trail lighting award)",
    ),
    (
        "vendor2",
        "Eli",
        "Martin",
        [roles.VENDOR],
        False,
        "vendor: Tidewater Software (asked for a debrief)",
    ),
    ("resident", "Rosa", "Arsenault", [], False, "resident"),
    ("admin", "Ada", "Boudreau", [], True, "admin (superuser, configuration only)"),
]

DEPARTMENTS = [
    ("climate-energy", "Climate and Energy"),
    ("community-services", "Community Services"),
    ("emergency-management", "Emergency Management"),
    ("public-works", "Public Works"),
    ("transit", "Transit and Parking"),
    ("transportation", "Transportation Engineering"),
    ("water", "Water and Wastewater"),
]


class Command(BaseCommand):
    help = (
        "Load demo data: one account per role (printed at the end), challenges in every stage, "
        "two vendor organizations, a draft proposal on the open challenge, an evaluation in "
        "consensus on a closed challenge, and an awarded challenge whose pilot is under way. "
        "Safe to run again: what exists is left alone. Every step is taken through the "
        "services, as the person who would take it, so the audit trail and the notifications "
        "are real. What needs time to have passed is loaded as historical data, without audit "
        "entries: the closed challenges' publication and closing, and the proposals they "
        "received before their deadlines (with their receipts). Their evaluations then run "
        "through the services. The transit wayfinding evaluation stops at consensus, so its "
        "price envelopes stay sealed. The trail lighting evaluation goes on to the prices, the "
        "ranking and the decision; its award is recommended, approved, notified (the runner-up "
        "asks for a debrief) and made final. Those steps are then dated back, the standstill "
        "period with them, to before the pilot, whose milestones and measurements span the "
        "past months; their audit entries carry the same dates, so the history agrees with the "
        "pages (the chain verifies as usual). "
        "Refuses to run with DEBUG off unless --force is given, because the accounts share a "
        "published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (only on a throwaway database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password. Run it with DEBUG=1, "
                "or pass --force on a throwaway database."
            )
        people = {spec[0]: self._user(*spec[:5]) for spec in DEMO_USERS}
        departments = {
            slug: Department.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in DEPARTMENTS
        }
        self.now = timezone.now()
        seeders = [
            (DRAFT["title"], self._draft),
            (WINTER["title"], self._co_design),
            (SCHOOL_ROUTES["title"], self._in_review),
            (FLOOD_ALERTS["title"], self._approved),
            (ENERGY["title"], self._published),
            (WAYFINDING["title"], self._closed),
            (SIDEWALKS["title"], self._recently_closed),
            (STREETLIGHTS["title"], self._closed_long_ago),
            (CURBSIDE["title"], self._cancelled),
        ]
        created = 0
        for title, seed in seeders:
            if Challenge.objects.filter(title=title).exists():
                continue
            with transaction.atomic():
                seed(people, departments)
            created += 1
        self.stdout.write(
            f"Demo challenges: {created} created, {len(seeders) - created} already present."
        )
        with transaction.atomic():
            vendors = self._vendors(people)
        # Each step checks whether it already ran, so a database seeded before vendors and
        # evaluation existed gains them too.
        with transaction.atomic():
            self._energy_draft(people, vendors)
        with transaction.atomic():
            self._wayfinding_evaluation(people, vendors)
        with transaction.atomic():
            self._streetlights_evaluation(people, vendors)
        with transaction.atomic():
            self._streetlights_award(people)
        with transaction.atomic():
            self._streetlights_pilot()
        self._print_logins()

    # People

    def _user(self, username, first_name, last_name, role_names, superuser):
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        # The printed logins must work even if someone changed a demo password.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=role_names))
        return user

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        self.stdout.write(f"  {'Username':<11} {'Password':<20} Role")
        for username, *_names, description in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {DEMO_PASSWORD:<20} {description}")
        self.stdout.write("")

    # Time

    def _deadline(self, days: int):
        """A deadline `days` from now at 14:00 in the municipality's zone."""
        local = timezone.localtime(self.now + timedelta(days=days))
        return local.replace(hour=14, minute=0, second=0, microsecond=0)

    def _day(self, days: int):
        return timezone.localdate(self.now + timedelta(days=days))

    # Shared steps, each through the service a person would use

    def _create(self, content, owner, department):
        extras = ("activities", "inputs", "response_questions")
        fields = {k: v for k, v in content.items() if k not in extras}
        return services.challenge_create(actor=owner, department=department, **fields)

    def _co_design_with_evidence(self, challenge, content, people):
        owner = challenge.owner
        services.challenge_transition(challenge=challenge, actor=owner, name="open_co_design")
        for days_ago, kind, participants, groups, summary in content["activities"]:
            services.engagement_activity_add(
                challenge=challenge,
                actor=owner,
                kind=kind,
                held_on=self._day(-days_ago),
                participants=participants,
                groups_reached=groups,
                summary=summary,
            )
        for kind, neighbourhood, body, decision, reason in content.get("inputs", []):
            community_input = services.community_input_add(
                challenge=challenge,
                actor=people["resident"],
                kind=kind,
                neighbourhood=neighbourhood,
                body=body,
            )
            if decision != "pending":
                services.community_input_moderate(
                    community_input=community_input,
                    actor=owner,
                    publish=decision == "publish",
                    reason=reason,
                )

    def _through_approval(self, challenge, content, people):
        self._co_design_with_evidence(challenge, content, people)
        self._evaluation_plan(challenge)
        services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="submit_for_review"
        )
        return services.challenge_transition(
            challenge=challenge, actor=people["approver"], name="approve"
        )

    def _evaluation_plan(self, challenge, plan=None):
        """Review needs a complete evaluation plan (a check the evaluation app registers): the
        approver approves it with the statement.

        The demo spans every app, so this one command reaches up to the evaluation app.
        """
        from evaluation.services import plan_define

        return plan_define(
            challenge=challenge, actor=challenge.owner, **(plan or DEMO_EVALUATION_PLAN)
        )

    def _publish(self, challenge, *, questions_in_days, submission_in_days):
        services.challenge_schedule(
            challenge=challenge,
            actor=challenge.owner,
            questions_deadline=self._deadline(questions_in_days),
            submission_deadline=self._deadline(submission_in_days),
        )
        return services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="publish"
        )

    # One seeder per stage

    def _draft(self, people, departments):
        self._create(DRAFT, people["staff2"], departments["water"])

    def _co_design(self, people, departments):
        challenge = self._create(WINTER, people["staff"], departments["community-services"])
        self._co_design_with_evidence(challenge, WINTER, people)

    def _in_review(self, people, departments):
        challenge = self._create(SCHOOL_ROUTES, people["staff2"], departments["transportation"])
        self._co_design_with_evidence(challenge, SCHOOL_ROUTES, people)
        self._evaluation_plan(challenge)
        services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="submit_for_review"
        )

    def _approved(self, people, departments):
        challenge = self._create(FLOOD_ALERTS, people["staff"], departments["emergency-management"])
        challenge = self._through_approval(challenge, FLOOD_ALERTS, people)
        services.challenge_schedule(
            challenge=challenge,
            actor=challenge.owner,
            questions_deadline=self._deadline(24),
            submission_deadline=self._deadline(45),
        )

    def _published(self, people, departments):
        owner = people["staff"]
        challenge = self._create(ENERGY, owner, departments["climate-energy"])
        challenge = self._through_approval(challenge, ENERGY, people)
        self._response_questions(challenge, ENERGY_RESPONSE_QUESTIONS)
        challenge = self._publish(challenge, questions_in_days=12, submission_in_days=33)
        for asker, body, outcome, text in ENERGY_QUESTIONS:
            question = services.question_ask(challenge=challenge, actor=people[asker], body=body)
            if outcome == "answer":
                services.question_answer(question=question, actor=owner, answer=text)
            elif outcome == "dismiss":
                services.question_dismiss(question=question, actor=owner, reason=text)
        for title, body, changes_terms, extend_by_days in ENERGY_ADDENDA:
            addendum = services.addendum_create(
                challenge=challenge,
                actor=owner,
                title=title,
                body=body,
                changes_terms=changes_terms,
                new_submission_deadline=(
                    self._deadline(33 + extend_by_days) if extend_by_days else None
                ),
            )
            services.addendum_issue(addendum=addendum, actor=owner)

    def _cancelled(self, people, departments):
        challenge = self._create(CURBSIDE, people["staff2"], departments["public-works"])
        challenge = self._through_approval(challenge, CURBSIDE, people)
        challenge = self._publish(challenge, questions_in_days=10, submission_in_days=30)
        services.challenge_transition(
            challenge=challenge,
            actor=challenge.owner,
            name="cancel",
            reason=(
                "The regional solid waste commission will procure one collection scheduling "
                "system for all member municipalities this year. We are withdrawing this "
                "challenge so vendors do not prepare two proposals for the same need."
            ),
        )

    def _closed(self, people, departments):
        """Closed six weeks ago; its evaluation is seeded afterwards (_wayfinding_evaluation)."""
        challenge = self._create(WAYFINDING, people["staff"], departments["transit"])
        self._load_closed(
            challenge,
            WAYFINDING,
            people,
            published_days_ago=92,
            questions_days_ago=65,
            closed_days_ago=44,
            questions=WAYFINDING_QUESTIONS,
            addendum=WAYFINDING_ADDENDUM,
        )

    def _recently_closed(self, people, departments):
        """Closed last week; nobody has started its evaluation yet."""
        challenge = self._create(SIDEWALKS, people["staff2"], departments["public-works"])
        self._load_closed(
            challenge,
            SIDEWALKS,
            people,
            published_days_ago=50,
            questions_days_ago=26,
            closed_days_ago=6,
        )

    def _closed_long_ago(self, people, departments):
        """Closed seven months ago; its evaluation, award and pilot are seeded afterwards
        (_streetlights_evaluation, _streetlights_award, _streetlights_pilot)."""
        challenge = self._create(STREETLIGHTS, people["staff"], departments["climate-energy"])
        self._load_closed(
            challenge,
            STREETLIGHTS,
            people,
            published_days_ago=262,
            questions_days_ago=231,
            closed_days_ago=210,
            questions=STREETLIGHTS_QUESTIONS,
            plan=STREETLIGHTS_EVALUATION_PLAN,
        )

    def _load_closed(
        self,
        challenge,
        content,
        people,
        *,
        published_days_ago,
        questions_days_ago,
        closed_days_ago,
        questions=(),
        addendum=None,
        plan=None,
    ):
        """A challenge whose deadline has passed, loaded as historical data (see the help)."""
        owner = challenge.owner
        plan = self._evaluation_plan(challenge, plan)
        self._response_questions(challenge, content["response_questions"])
        for days_ago, kind, participants, groups, summary in content["activities"]:
            EngagementActivity.objects.create(
                challenge=challenge,
                kind=kind,
                held_on=self._day(-days_ago),
                participants=participants,
                groups_reached=groups,
                summary=summary,
                recorded_by=owner,
            )
        published_at = self._deadline(-published_days_ago)
        for asker, body, answer, asked_days_ago in questions:
            question = Question.objects.create(
                challenge=challenge, asked_by=people[asker], body=body
            )
            Question.objects.filter(pk=question.pk).update(
                status=Question.Status.ANSWERED,
                answer=answer,
                answered_by=owner,
                asked_at=self.now - timedelta(days=asked_days_ago),
                answered_at=self.now - timedelta(days=asked_days_ago - 2),
            )
        if addendum:
            title, body, issued_days_after_publication = addendum
            issued = Addendum.objects.create(
                challenge=challenge, created_by=owner, title=title, body=body
            )
            Addendum.objects.filter(pk=issued.pk).update(
                status=Addendum.Status.ISSUED,
                number=1,
                issued_at=published_at + timedelta(days=issued_days_after_publication),
            )
        submission_deadline = self._deadline(-closed_days_ago)
        Challenge.objects.filter(pk=challenge.pk).update(
            status=Challenge.Status.CLOSED,
            created_at=published_at - timedelta(days=58),
            approved_by=people["approver"],
            approved_at=published_at - timedelta(days=6),
            published_at=published_at,
            questions_deadline=self._deadline(-questions_days_ago),
            submission_deadline=submission_deadline,
            closed_at=submission_deadline,
        )
        # Loaded as history: the plan's digest is recorded as approval and publication would.
        evaluation_services.plan_record_approval(instance=challenge)
        evaluation_services.plan_freeze(plan=plan, frozen_at=published_at)

    # Vendors, proposals and the evaluation

    def _response_questions(self, challenge, specs):
        """The questions every proposal answers. Staff set them in the admin; there is no
        service for them, so they are written directly, and only if the challenge has none."""
        if challenge.response_questions.exists():
            return
        ResponseQuestion.objects.bulk_create(
            ResponseQuestion(
                challenge=challenge,
                order=order,
                prompt=prompt,
                guidance=guidance,
                max_words=max_words,
            )
            for order, (prompt, guidance, max_words) in enumerate(specs, start=1)
        )

    def _vendors(self, people) -> dict:
        """Each demo vendor member registers their organization (and so owns it)."""
        vendors = {}
        for username, data in DEMO_VENDORS.items():
            person = people[username]
            business_number, _program = parse_business_number(data["business_number"])
            vendor = VendorOrganization.objects.filter(business_number=business_number).first()
            if vendor is None:
                vendor = vendor_services.vendor_register(actor=person, **data)
            elif not VendorMembership.objects.filter(vendor=vendor, user=person).exists():
                raise CommandError(
                    f"A vendor with business number {business_number} exists but {username} is "
                    "not its member; seed_demo will not take it over."
                )
            vendors[username] = vendor
        return vendors

    def _energy_draft(self, people, vendors):
        """`vendor` has started a proposal on the open challenge: answers, a document, no price."""
        challenge = Challenge.objects.filter(
            title=ENERGY["title"], status=Challenge.Status.PUBLISHED
        ).first()
        vendor, person = vendors["vendor"], people["vendor"]
        if (
            challenge is None
            or Proposal.objects.filter(challenge=challenge, vendor=vendor).exists()
        ):
            return
        self._response_questions(challenge, ENERGY_RESPONSE_QUESTIONS)
        proposal = vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=person)
        questions = challenge.response_questions.order_by("order", "id")
        vendor_services.proposal_save_answers(
            proposal=proposal,
            actor=person,
            answers={
                q.pk: text for q, text in zip(questions, ENERGY_DRAFT_ANSWERS, strict=True) if text
            },
        )
        title, name, lines = ENERGY_DRAFT_DOCUMENT
        vendor_services.document_upload(
            proposal=proposal,
            actor=person,
            title=title,
            upload=ContentFile(demo_pdf(title, lines), name=name),
        )

    def _received_proposal(self, challenge, vendor, person, content, submitted_at):
        """A proposal submitted before the deadline and received at closing, loaded as history:
        the receipt is computed as `proposal_submit` computes it, over the same content."""
        proposal = Proposal.objects.create(challenge=challenge, vendor=vendor, created_by=person)
        questions = challenge.response_questions.order_by("order", "id")
        ProposalAnswer.objects.bulk_create(
            ProposalAnswer(proposal=proposal, question=question, text=text)
            for question, text in zip(questions, content["answers"], strict=True)
        )
        title, name, lines = content["document"]
        upload = ContentFile(demo_pdf(title, lines), name=name)
        checked = vendor_files.check_upload(upload)
        document = ProposalDocument(
            proposal=proposal,
            title=title,
            original_name=checked.name,
            content_type=checked.document_type.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=person,
        )
        document.file.save(
            vendor_files.storage_name(
                folder=f"proposals/{proposal.public_id}", document_type=checked.document_type
            ),
            upload,
            save=False,
        )
        document.save()
        ProposalDocument.objects.filter(pk=document.pk).update(
            uploaded_at=submitted_at - timedelta(hours=2)
        )
        amount, breakdown = content["price"]
        PriceEnvelope.objects.create(
            proposal=proposal, amount=amount, breakdown=breakdown, updated_by=person
        )
        salt = receipt_salt_new()
        digest = vendor_services.receipt_digest(
            vendor_services.receipt_payload(proposal, submitted_at=submitted_at, salt=salt)
        )
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.RECEIVED,
            submitted_at=submitted_at,
            submitted_by=person,
            receipt_digest=digest,
            receipt_salt=salt,
            created_at=submitted_at - timedelta(days=15),
        )
        receipt = ProposalReceipt.objects.create(
            proposal=proposal,
            digest=digest,
            salt=salt,
            submitted_at=submitted_at,
            submitted_by=person,
        )
        receipt.documents.set(current_documents(proposal))
        return proposal

    def _wayfinding_evaluation(self, people, vendors):
        """Both vendors' proposals (history), then the evaluation through the services: the owner
        starts it, assigns the panel and screens; the evaluators declare, score and submit; the
        chair opens consensus. It stops there, so the price envelopes stay sealed."""
        challenge = Challenge.objects.filter(
            title=WAYFINDING["title"], status=Challenge.Status.CLOSED
        ).first()
        if challenge is None or challenge.proposals.exists():
            return
        self._response_questions(challenge, WAYFINDING["response_questions"])
        proposals = self._received_proposals(challenge, people, vendors, WAYFINDING_PROPOSALS)
        self._evaluate_to_consensus(
            challenge,
            people,
            proposals,
            screening_notes=WAYFINDING_SCREENING_NOTES,
            scores=WAYFINDING_SCORES,
        )

    def _received_proposals(self, challenge, people, vendors, specs) -> dict:
        deadline = challenge.submission_deadline
        return {
            username: self._received_proposal(
                challenge,
                vendors[username],
                people[username],
                content,
                submitted_at=deadline - timedelta(hours=hours_early),
            )
            for username, hours_early, content in specs
        }

    def _evaluate_to_consensus(
        self, challenge, people, proposals, *, screening_notes, scores, dated=None
    ):
        """The owner starts the evaluation, assigns the panel (`evaluator` chairs) and screens;
        the evaluators declare, score and submit; the chair opens consensus.

        `dated(step)`, when given, dates the audit entries of each step (a context manager)."""
        dated = dated or (lambda _step: contextlib.nullcontext())
        owner = challenge.owner
        with dated("assigned"):
            return self._evaluate_steps(
                challenge, people, proposals, owner, screening_notes, scores, dated
            )

    def _evaluate_steps(self, challenge, people, proposals, owner, screening_notes, scores, dated):
        services.challenge_transition(challenge=challenge, actor=owner, name="start_evaluation")

        def evaluation():
            return Evaluation.objects.select_related("plan").get(challenge=challenge)

        assignments = {
            username: evaluation_services.panel_assign(
                evaluation=evaluation(),
                actor=owner,
                evaluator=people[username],
                due_at=self._deadline(9),
                is_chair=username == "evaluator",
            )
            for username in ("evaluator", "evaluator2")
        }
        criteria = evaluation().plan.criteria.order_by("order")
        mandatory = list(criteria.filter(kind=Criterion.Kind.MANDATORY))
        rated = list(criteria.filter(kind=Criterion.Kind.RATED))
        for username, proposal in proposals.items():
            evaluation_services.screening_record(
                evaluation=evaluation(),
                proposal=proposal,
                actor=owner,
                results={
                    c.pk: {"passed": True, "note": screening_notes[username]} for c in mandatory
                },
            )
        with dated("declared"):
            for username, assignment in assignments.items():
                person = people[username]
                evaluation_services.assignment_accept(
                    assignment=assignment,
                    actor=person,
                    signature=person.get_full_name(),
                    no_conflict=True,
                )
            evaluation_services.evaluation_transition(
                evaluation=evaluation(), actor=owner, name="start_scoring"
            )
        with dated("scores_submitted"):
            for username, assignment in assignments.items():
                for vendor_username, proposal in proposals.items():
                    evaluation_services.scores_save(
                        assignment=assignment,
                        actor=people[username],
                        proposal=proposal,
                        scores={
                            criterion.pk: {"points": points, "rationale": rationale}
                            for criterion, (points, rationale) in zip(
                                rated, scores[username][vendor_username], strict=True
                            )
                        },
                    )
                evaluation_services.assignment_submit(assignment=assignment, actor=people[username])
            return evaluation_services.evaluation_transition(
                evaluation=evaluation(), actor=people["evaluator"], name="open_consensus"
            )

    # The awarded challenge: evaluation decided, award final, pilot under way

    def _streetlights_evaluation(self, people, vendors):
        """Proposals (history), then the whole evaluation through the services: panel scores,
        the chair's consensus and lock, the owner opens the prices, ranks and shortlists both."""
        challenge = Challenge.objects.filter(
            title=STREETLIGHTS["title"], status=Challenge.Status.CLOSED
        ).first()
        if challenge is None or challenge.proposals.exists():
            return
        self._response_questions(challenge, STREETLIGHTS["response_questions"])
        proposals = self._received_proposals(challenge, people, vendors, STREETLIGHTS_PROPOSALS)
        evaluation = self._evaluate_to_consensus(
            challenge,
            people,
            proposals,
            screening_notes=STREETLIGHTS_SCREENING_NOTES,
            scores=STREETLIGHTS_SCORES,
            dated=self._decision_dated,
        )
        with self._decision_dated("decided"):
            self._streetlights_decision(evaluation, people, proposals, challenge.owner)

    def _streetlights_decision(self, evaluation, people, proposals, owner):
        chair = people["evaluator"]
        rated = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED).order_by("order"))
        for username, proposal in proposals.items():
            for criterion, (points, rationale) in zip(
                rated, STREETLIGHTS_CONSENSUS[username], strict=True
            ):
                evaluation_services.consensus_record(
                    evaluation=evaluation,
                    actor=chair,
                    proposal=proposal,
                    criterion=criterion,
                    points=points,
                    rationale=rationale,
                )
        evaluation = evaluation_services.consensus_lock(evaluation=evaluation, actor=chair)
        evaluation = evaluation_services.prices_open(evaluation=evaluation, actor=owner)
        evaluation = evaluation_services.evaluation_rank(evaluation=evaluation, actor=owner)
        # Both shortlisted, so the runner-up is told its score against the winner's and becomes
        # unsuccessful only when the award is final.
        evaluation_services.evaluation_decide(
            evaluation=evaluation,
            actor=owner,
            shortlist_size=2,
            reason="Both proposals meet the minimum technical score.",
        )

    def _streetlights_award(self, people):
        """The chair recommends the first-ranked proposal, the approver approves, the owner
        sends the result letters; the runner-up asks for a debrief; the owner makes it final."""
        challenge = Challenge.objects.filter(
            title=STREETLIGHTS["title"], status=Challenge.Status.EVALUATING
        ).first()
        if challenge is None or award_services.live_award(challenge) is not None:
            return
        evaluation = Evaluation.objects.get(challenge=challenge)
        if evaluation.status != Evaluation.Status.DECIDED:
            return
        owner = challenge.owner
        with self._decision_dated("recommended"):
            award = award_services.award_recommend(
                evaluation=evaluation,
                actor=people["evaluator"],
                reason=STREETLIGHTS_RECOMMENDATION,
            )
        with self._decision_dated("approved"):
            award = award_services.award_approve(award=award, actor=people["approver"])
        with self._decision_dated("notified"):
            award = award_services.award_notify(award=award, actor=owner)
        with self._decision_dated("debrief_requested"):
            award_services.debrief_request(
                award=award, actor=people["vendor2"], message=STREETLIGHTS_DEBRIEF
            )
        # The demo cannot wait out the standstill period, and the guard on `finalise` reads the
        # clock: the steps so far are dated back, the standstill's end with them, so that the
        # owner can make the award final now.
        self._date_back_the_decision(award)
        award.refresh_from_db()
        finalised_at = award.standstill_ends_at + timedelta(days=1)
        with self._dated(finalised_at):
            award = award_services.award_finalise(award=award, actor=owner)
        Award.objects.filter(pk=award.pk).update(finalised_at=finalised_at)

    def _date_back_the_decision(self, award):
        """The evaluation and the award ran through the services just now, yet the pilot that
        follows has months of measurements: their dates are moved back before the pilot starts
        (STREETLIGHTS_DECISION_DAYS_AGO), as the closed challenges' dates are loaded as history.
        Their audit entries carry the same dates (_decision_dated); the inbox keeps the moment
        the seed ran."""
        ago = self._decision_day

        evaluation = award.evaluation
        PanelAssignment.objects.filter(evaluation=evaluation).update(
            assigned_at=ago("assigned"),
            declared_at=ago("declared"),
            due_at=ago("scores_due"),
            submitted_at=ago("scores_submitted"),
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(
            consensus_locked_at=ago("decided"),
            prices_opened_at=ago("decided"),
            ranked_at=ago("decided"),
            decided_at=ago("decided"),
        )
        Award.objects.filter(pk=award.pk).update(
            recommended_at=ago("recommended"),
            approved_at=ago("approved"),
            notified_at=ago("notified"),
            standstill_ends_at=ago("notified") + timedelta(days=settings.AWARD_STANDSTILL_DAYS),
        )
        DebriefRequest.objects.filter(award=award).update(requested_at=ago("debrief_requested"))

    def _decision_day(self, step):
        return self.now - timedelta(days=STREETLIGHTS_DECISION_DAYS_AGO[step])

    def _decision_dated(self, step):
        """Audit entries dated like the evaluation or award step they record."""
        return self._dated(self._decision_day(step))

    def _dated(self, moment):
        """Audit entries dated `moment` (never later than the seed's own time)."""
        return audit_dated(min(moment, self.now))

    def _streetlights_pilot(self):
        """The owner plans the pilot (milestones, indicators tied to the success measures),
        starts it and records the measurements of its first months."""
        award = (
            Award.objects.filter(challenge__title=STREETLIGHTS["title"], status=Award.Status.FINAL)
            .select_related("challenge")
            .first()
        )
        if award is None or Pilot.objects.filter(award=award).exists():
            return
        owner = award.challenge.owner
        starts_in, ends_in = STREETLIGHTS_PILOT_DAYS
        # Planned the day after the award was made final, then started on its start date.
        with self._dated(award.finalised_at + timedelta(days=1)):
            pilot, indicators = self._pilot_plan(award, owner, starts_in, ends_in)
        with self._dated(self._deadline(starts_in)):
            pilot = pilot_services.pilot_transition(pilot=pilot, actor=owner, name="start")
        Pilot.objects.filter(pk=pilot.pk).update(started_at=self._deadline(starts_in))
        for title, _due_in, done_in in STREETLIGHTS_MILESTONES:
            if done_in is not None:
                milestone = pilot.milestones.get(title=title)
                with self._dated(self._deadline(done_in)):
                    pilot_services.milestone_mark_done(
                        milestone=milestone, actor=owner, done_on=self._day(done_in)
                    )
        for indicator, measurements in indicators:
            for measured_in, value, source_note in measurements:
                with self._dated(self._deadline(measured_in)):
                    pilot_services.measurement_record(
                        indicator=indicator,
                        actor=owner,
                        value=value,
                        measured_on=self._day(measured_in),
                        source_note=source_note,
                    )

    def _pilot_plan(self, award, owner, starts_in, ends_in):
        """The pilot with its milestones and indicators, as planned (nothing done or measured)."""
        pilot = pilot_services.pilot_create(
            award=award, actor=owner, starts_on=self._day(starts_in), ends_on=self._day(ends_in)
        )
        for title, due_in, _done_in in STREETLIGHTS_MILESTONES:
            pilot_services.milestone_add(
                pilot=pilot, actor=owner, title=title, due_on=self._day(due_in)
            )
        indicators = [
            (
                pilot_services.indicator_add(pilot=pilot, actor=owner, **fields),
                measurements,
            )
            for fields, measurements in STREETLIGHTS_INDICATORS
        ]
        return pilot, indicators


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text, enough for a demo attachment."""
    text = ["BT", "/F1 16 Tf", "72 760 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        text += [f"({_pdf_text(line)}) Tj", "0 -16 Td"]
    text.append("ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# Demo content. Invented for a fictional city; any likeness to a real call is by theme only.

DEMO_EVALUATION_PLAN = {
    "criteria": [
        {
            "kind": "mandatory",
            "name": "Personal information stays in Canada",
            "description": "Hosting and backups in Canada; pass or fail.",
        },
        {
            "kind": "rated",
            "name": "Understanding of the problem and approach",
            "description": "How well the proposal answers the problem residents described.",
            "weight": 35,
            "max_points": 10,
        },
        {
            "kind": "rated",
            "name": "Accessibility and inclusion",
            "description": "Works for people without a smartphone, in English and French.",
            "weight": 20,
            "max_points": 10,
        },
        {
            "kind": "rated",
            "name": "Team, partners and delivery plan",
            "weight": 15,
            "max_points": 10,
        },
        {"kind": "price", "name": "Price", "weight": 30},
    ],
    "minimum_technical_score": 42,
    "combination": "consensus",
    "tie_break_order": ["technical", "price", "draw"],
}

DRAFT = {
    "title": "Clearer notices for planned water shut-offs",
    "summary": "Residents often learn about a planned water shut-off only when the tap runs dry.",
    "problem": (
        "When crews shut off a water main for repairs, we deliver paper notices door to door "
        "two days ahead. Tenants in larger buildings, shift workers and people who do not read "
        "English often miss them."
    ),
    "context": (
        "About 60 planned shut-offs a year, each affecting between 20 and 400 addresses. "
        "Notices are printed by the crew supervisor the day before."
    ),
}

WINTER = {
    "title": "Local solutions for downtown winter accessibility",
    "summary": (
        "Snow banks, icy curb cuts and blocked bus stops keep people with limited mobility at "
        "home for much of the winter. We want ideas that work on our streets."
    ),
    "problem": (
        "Between December and March, people who use wheelchairs, walkers or strollers, and many "
        "older residents, cannot reliably get around downtown. Curb cuts fill with ploughed snow, "
        "sidewalks refreeze overnight, and bus stops are cleared last."
    ),
    "context": (
        "Downtown has 38 km of sidewalk and 410 curb cuts. Sidewalks are cleared by two city "
        "crews and by property owners on some blocks. Complaints are logged by phone and rarely "
        "reach the crew on shift."
    ),
    "desired_outcomes": (
        "People with limited mobility can plan a downtown trip in winter and complete it. Crews "
        "know which crossings and stops matter most and when they are blocked."
    ),
    "constraints": (
        "Anything installed on the street must survive salt, ploughs and -30 °C. Personal "
        "information collected from residents stays in Canada."
    ),
    "success_measures": (
        "Share of priority curb cuts clear within 12 hours of a snowfall; number of accessibility "
        "complaints per storm; residents' own rating of winter trips in a follow-up survey."
    ),
    "affected_communities": (
        "Wheelchair and walker users, seniors, parents with strollers, people with low vision, "
        "downtown workers who rely on transit."
    ),
    "budget_min": Decimal("40000.00"),
    "budget_max": Decimal("120000.00"),
    "activities": [
        (
            40,
            "workshop",
            22,
            "Disability advocacy council, seniors' centre members, two crew supervisors",
            "Participants mapped the crossings they avoid. Most named the same eight corners; "
            "crews did not know four of them were a problem.",
        ),
        (
            26,
            "survey",
            214,
            "Residents who answered online or on paper at the library and city hall",
            "Six in ten respondents with a mobility aid skipped at least one trip a week last "
            "winter. Icy curb cuts were named more often than deep snow.",
        ),
        (
            9,
            "pop_up",
            57,
            "Passers-by at the Queen Street bus shelter and the farmers' market",
            "People tried a prototype of a report-a-blocked-crossing card. Many preferred calling "
            "a number to using an app.",
        ),
    ],
    "inputs": [
        (
            "experience",
            "Downtown",
            "I use a power chair. At the corner by the public library the curb cut is buried "
            "every time the plough passes, so I go three blocks round to cross.",
            "publish",
            "",
        ),
        (
            "idea",
            "Northside",
            "Could the buses tell the depot when a stop is blocked? The drivers see it first.",
            "publish",
            "",
        ),
        (
            "comment",
            "Southwest",
            "Heated sidewalks would solve this, at least on the main street.",
            "pending",
            "",
        ),
        (
            "idea",
            "Downtown",
            "A volunteer snow buddy program for seniors on the side streets near the river.",
            "pending",
            "",
        ),
    ],
}

SCHOOL_ROUTES = {
    "title": "Safer walking routes to school",
    "summary": (
        "Fewer children walk to school than ten years ago; parents say the routes feel unsafe."
    ),
    "problem": (
        "Parents drive children short distances because the walking routes cross busy roads "
        "without crossing guards, and drop-off traffic makes the school gates dangerous."
    ),
    "context": (
        "Eleven elementary schools, three of them on arterial roads. Crossing guard positions "
        "are hard to fill. Traffic counts exist for most intersections but not for school hours."
    ),
    "desired_outcomes": (
        "More children walk or cycle to school, and fewer near misses are reported at school "
        "crossings."
    ),
    "constraints": "No cameras that identify children. Works with the school district's calendar.",
    "success_measures": (
        "Share of pupils arriving on foot or by bike at the three pilot schools, measured each "
        "term; reported near misses at school crossings."
    ),
    "affected_communities": "Pupils, parents and caregivers, school staff, nearby residents.",
    "budget_min": Decimal("30000.00"),
    "budget_max": Decimal("90000.00"),
    "activities": [
        (
            30,
            "interview",
            14,
            "Principals and parent committee chairs of three schools",
            "Mornings are the problem; afternoons are spread out by after-school programs.",
        ),
        (
            18,
            "online",
            163,
            "Parents who answered through the school district's newsletter",
            "Parents would let children walk if an adult were at the two busiest crossings.",
        ),
    ],
}

FLOOD_ALERTS = {
    "title": "Flood-risk alerts for riverside neighbourhoods",
    "summary": (
        "Households near the river need earlier, clearer warnings during the spring freshet."
    ),
    "problem": (
        "During the spring freshet, residents of riverside streets learn about rising water from "
        "social media or neighbours. Our alerts reach those who signed up, about one in five "
        "households in the flood zone."
    ),
    "context": (
        "Roughly 1,900 households live in the mapped flood zone. River levels are published "
        "by the province every hour during the freshet."
    ),
    "desired_outcomes": (
        "Every household in the flood zone gets a warning it understands at least 24 hours "
        "before water is expected on its street, in English or French."
    ),
    "constraints": "Must work during power and cellular outages. Bilingual by default.",
    "success_measures": (
        "Share of flood-zone households reached by a test alert; time from a provincial forecast "
        "to the alert; residents' understanding measured after each freshet."
    ),
    "affected_communities": (
        "Riverside households, including tenants and seniors living alone; businesses on Water "
        "Street."
    ),
    "budget_min": Decimal("60000.00"),
    "budget_max": Decimal("180000.00"),
    "activities": [
        (
            55,
            "workshop",
            31,
            "Riverside residents' association, fire department, Red Cross volunteers",
            "Residents want one trusted source and a clear instruction, not a river level.",
        ),
        (
            42,
            "pop_up",
            48,
            "Households visited door to door on the three lowest streets",
            "Many older residents have no smartphone; landline calls and a knock on the door "
            "still matter.",
        ),
    ],
}

ENERGY = {
    "title": "Energy management for households in energy poverty",
    "summary": (
        "Help households that spend a large share of their income on energy lower their bills "
        "and stay warm, with tools they can actually use."
    ),
    "problem": (
        "About one household in five in the city spends more than 6% of its after-tax income "
        "on home energy. Many heat with electric baseboards in older, poorly insulated homes and "
        "cannot see which uses drive their bills until the bill arrives."
    ),
    "context": (
        "The utility offers time-of-use rates and a rebate program, but few low-income "
        "households take part. Community partners run a winter assistance fund that is used up "
        "by February each year. Smart meters are installed across the city."
    ),
    "desired_outcomes": (
        "Participating households understand and control their energy use, pay less for the "
        "same comfort, and are connected to the rebates and repairs they qualify for."
    ),
    "constraints": (
        "Household energy data is personal information: it stays in Canada, is used only for "
        "this service and is deleted on request. The solution must not require a smartphone."
    ),
    "success_measures": (
        "Average energy burden of participating households; number of households enrolled in "
        "rebate programs through the service; comfort reported by participants each winter."
    ),
    "affected_communities": (
        "Low-income tenants and homeowners, seniors on fixed incomes, newcomer families, "
        "households heating with electricity or oil."
    ),
    "budget_min": Decimal("75000.00"),
    "budget_max": Decimal("200000.00"),
    "activities": [
        (
            70,
            "interview",
            18,
            "Households referred by the food bank and the tenants' association",
            "Households ration heat in the evening and rarely know about the rebates. Several "
            "said a phone call works better for them than an app.",
        ),
        (
            56,
            "workshop",
            26,
            "Community partners, the utility's outreach team, a housing co-operative board",
            "Partners agreed on a simple referral path and asked that any tool work in English, "
            "French and Arabic.",
        ),
        (
            45,
            "survey",
            305,
            "Applicants to last winter's assistance fund",
            "Most respondents heat with baseboards and half rent their home, which limits what "
            "they can change themselves.",
        ),
    ],
    "inputs": [
        (
            "experience",
            "East End",
            "We keep the bedrooms at 15 degrees in January to afford the bill. The children "
            "sleep in the living room.",
            "publish",
            "",
        ),
    ],
}

# asker, question, outcome (answer | dismiss | pending), answer or reason
ENERGY_QUESTIONS = [
    (
        "vendor",
        "Will the city provide access to smart meter data for participating households, or "
        "must the vendor obtain each household's consent directly from the utility?",
        "answer",
        "Households give consent through the utility's existing data-sharing form; the city "
        "will help participants complete it. The vendor receives data only for households that "
        "have consented.",
    ),
    (
        "vendor2",
        "Can the proposal include minor home repairs such as weatherstripping, or is the "
        "challenge limited to energy management tools?",
        "answer",
        "Minor repairs may be part of a proposal if they are delivered with the energy "
        "management service and priced separately. Major retrofits are out of scope.",
    ),
    (
        "vendor",
        "Is the budget range inclusive of HST?",
        "dismiss",
        "Already answered in section 6 of the challenge statement: the budget range excludes HST.",
    ),
    (
        "vendor2",
        "How many households does the city expect to enrol in the first winter?",
        "pending",
        "",
    ),
]

# title, what changes, changes the terms, days the submission deadline moves (0: not at all)
ENERGY_ADDENDA = [
    (
        "Languages for participant materials",
        "Participant materials must be available in English and French; Arabic is welcome and "
        "will be considered in the rating of accessibility. This clarifies the constraints "
        "section and does not change the terms.",
        False,
        0,
    ),
    (
        "Submission deadline extended by one week",
        "Following requests from several vendors, the submission deadline moves one week later "
        "to give time to arrange partnerships with community organizations.",
        False,
        7,
    ),
]

WAYFINDING = {
    "title": "Digital wayfinding for transit riders",
    "summary": (
        "Riders struggle to find the right stop and know when the next bus comes, especially "
        "at transfer points."
    ),
    "problem": (
        "Our transit network has grown, but stops show only a route number. Riders new to the "
        "city, visitors and people with low vision have trouble finding the right stop at "
        "transfer points and knowing when their bus will come."
    ),
    "context": (
        "Nine routes, 14 transfer stops, buses with GPS since last year. Schedules are published "
        "as open data; real-time positions are not yet public."
    ),
    "desired_outcomes": (
        "Riders find their stop and know the next departure without a smartphone, in English "
        "and French, with audio for people with low vision."
    ),
    "constraints": "Signs must meet the city's accessibility standard for print and audio.",
    "success_measures": (
        "Missed transfers reported by riders; calls to the transit information line; rider "
        "satisfaction at the 14 transfer stops."
    ),
    "affected_communities": "Transit riders, newcomers, visitors, people with low vision.",
    "budget_min": Decimal("50000.00"),
    "budget_max": Decimal("140000.00"),
    "activities": [
        (
            130,
            "pop_up",
            64,
            "Riders at the King Street terminal during the morning rush",
            "Riders asked for the next departure time at the stop itself more than for an app.",
        ),
        (
            118,
            "workshop",
            15,
            "CNIB volunteers and riders with low vision",
            "Audio announcements must be triggered by the rider, not play all the time.",
        ),
    ],
    # prompt, guidance, word limit
    "response_questions": [
        (
            "How will riders know the next departure at the 14 transfer stops without a "
            "smartphone?",
            "Describe what a rider sees and hears at the stop, and how the information stays "
            "current when buses run late.",
            400,
        ),
        (
            "How will riders with low vision use your solution?",
            "Say how audio is triggered, in which languages, and how you tested it with riders.",
            300,
        ),
        (
            "How will the six stops without shelter power be served?",
            "",
            200,
        ),
        (
            "Who will deliver the work, and on what schedule?",
            "Name the team and partners and give the main milestones.",
            300,
        ),
    ],
}

# title, body, issued this many days after publication
WAYFINDING_ADDENDUM = (
    "Station list corrected",
    "Appendix B listed the King Street terminal twice and left out the Regent Mall stop. The "
    "corrected list has 14 stops; nothing else changes.",
    9,
)

# asker, question, answer, asked this many days ago
WAYFINDING_QUESTIONS = [
    (
        "vendor",
        "Will the city make real-time bus positions available to the selected vendor?",
        "Yes. The selected vendor will receive a real-time feed from the fleet's GPS system "
        "under a data-sharing agreement.",
        80,
    ),
    (
        "vendor2",
        "Do the signs need their own power supply, or is shelter power available?",
        "Eight of the 14 transfer stops have shelter power. Proposals must say how the other "
        "six will be powered.",
        75,
    ),
]

CURBSIDE = {
    "title": "Automated curbside collection scheduling",
    "summary": "Residents miss collection days when holidays and weather shift the schedule.",
    "problem": (
        "Collection days move after holidays and storms, and residents learn of the change too "
        "late. Missed collections lead to overflowing carts and hundreds of calls."
    ),
    "context": (
        "About 23,000 households on four collection routes. Schedule changes are posted on the "
        "website and social media."
    ),
    "desired_outcomes": "Residents know their next collection day, including changes, in time.",
    "constraints": "Must integrate with the collection contractor's route software.",
    "success_measures": "Missed-collection calls per month; carts left out on the wrong day.",
    "affected_communities": "All households with curbside collection.",
    "budget_min": Decimal("20000.00"),
    "budget_max": Decimal("60000.00"),
    "activities": [
        (
            60,
            "online",
            412,
            "Residents who answered the city's online consultation",
            "Most residents want a reminder the evening before, by text message or phone call.",
        ),
    ],
}

SIDEWALKS = {
    "title": "Knowing when your sidewalk will be ploughed",
    "summary": (
        "Residents cannot tell whether their sidewalk has been cleared or when the plough will "
        "come, so many stay home or walk on the road."
    ),
    "problem": (
        "After a snowfall the city clears 180 km of sidewalk in priority order, but residents "
        "cannot see that order or where the ploughs are. People who depend on sidewalks call "
        "the city, wait at home or walk on the road."
    ),
    "context": (
        "Eleven sidewalk ploughs with GPS units; priority routes published as a PDF map. About "
        "900 calls about sidewalk clearing each winter."
    ),
    "desired_outcomes": (
        "Residents know whether their sidewalk has been cleared and roughly when it will be, "
        "without having to call."
    ),
    "constraints": "Plough positions may be shown only after a delay of at least ten minutes.",
    "success_measures": "Calls about sidewalk clearing per storm; residents' rating of the map.",
    "affected_communities": "Pedestrians, people using mobility aids, school children, seniors.",
    "budget_min": Decimal("30000.00"),
    "budget_max": Decimal("80000.00"),
    "activities": [
        (
            70,
            "survey",
            188,
            "Residents who called about sidewalk clearing last winter",
            "Most want to know whether their own block is done, not to watch the ploughs live.",
        ),
    ],
    "response_questions": [
        ("How will residents find out when their sidewalk will be cleared?", "", 400),
        ("Who will deliver the work, and on what schedule?", "", 300),
    ],
}

# The demo vendors, each registered by its member: username -> vendor_register fields.
DEMO_VENDORS = {
    "vendor": {
        "legal_name": "Riverbend Community Energy Co-operative Ltd.",
        "operating_name": "Riverbend Energy Co-op",
        "business_number": "806127452 RT0001",
        "street_address": "41 Union Street",
        "city": "Riverbend",
        "province": "NB",
        "postal_code": "E3B 2K7",
        "website": "https://energy-coop.example.org",
        "size": "small",
        "is_local_business": True,
        "social_enterprise": True,
    },
    "vendor2": {
        "legal_name": "Tidewater Software Inc.",
        "operating_name": "Tidewater Software",
        "business_number": "741038525",
        "street_address": "12 King Street",
        "city": "Bridgewater",
        "province": "NS",
        "postal_code": "B4V 1A3",
        "website": "https://tidewater.example.com",
        "size": "micro",
        "women_owned": True,
    },
}

# prompt, guidance, word limit
ENERGY_RESPONSE_QUESTIONS = [
    (
        "How will your service reach households that do not use a smartphone or the internet?",
        "Describe the first contact, follow-up and how households ask for help.",
        400,
    ),
    (
        "How will you protect household energy data?",
        "Where it is stored, who can read it, how long it is kept and how it is deleted.",
        300,
    ),
    (
        "Which community partners will you work with, and what will each do?",
        "",
        300,
    ),
]

# The draft's answers, in the order of the questions ("" leaves one to finish).
ENERGY_DRAFT_ANSWERS = [
    "Households are referred by the food bank, the tenants' association and the utility's "
    "outreach team. Our energy coaches call each household within a week, in English, French "
    "or Arabic, and visit those who prefer it. Every household gets a printed winter plan and "
    "a phone number answered by a person.",
    "Meter data stays on servers in Canada operated by a Canadian provider. Only the household's "
    "coach and two analysts can read it; it is deleted 90 days after the household leaves the "
    "program, or on request.",
    "",
]

# title, file name, lines of the generated PDF
ENERGY_DRAFT_DOCUMENT = (
    "Outreach plan",
    "outreach-plan.pdf",
    [
        "Riverbend Energy Co-op: outreach plan for the first winter",
        "1. Referral partners and how a referral reaches a coach",
        "2. First call, home visit and the printed winter plan",
        "3. Rebate applications completed with the household",
    ],
)

# vendor username, hours before the deadline it was submitted, the proposal
WAYFINDING_PROPOSALS = [
    (
        "vendor",
        50,
        {
            "answers": [
                "Solar-powered e-paper signs at each of the 14 transfer stops show the next "
                "three departures per route, updated every 30 seconds from the fleet's GPS "
                "feed. When a bus runs more than three minutes late the sign says so in words.",
                "A large tactile button on each sign reads the departures aloud, in English or "
                "French, at a volume that adapts to street noise. We tested a prototype with "
                "six riders from the CNIB group at the King Street terminal.",
                "The six stops without shelter power get our co-op's solar and battery units, "
                "sized for five days without sun in December.",
                "Our installation crew of four, with a signage manufacturer in Moncton. Signs "
                "designed in month 1, installed in months 2 to 4, monitored for a year.",
            ],
            "document": (
                "Work plan",
                "work-plan.pdf",
                [
                    "Riverbend Energy Co-op: wayfinding work plan",
                    "Month 1: sign design and accessibility review with riders",
                    "Months 2-4: installation at the 14 transfer stops",
                    "Months 5-16: monitoring, repairs and monthly reports",
                ],
            ),
            "price": (
                Decimal("118500.00"),
                [
                    {"label": "Signs and installation", "amount": "86500.00"},
                    {"label": "Solar and battery units (6 stops)", "amount": "21000.00"},
                    {"label": "Monitoring and repairs, first year", "amount": "11000.00"},
                ],
            ),
        },
    ),
    (
        "vendor2",
        20,
        {
            "answers": [
                "Low-power LED signs show the next departures at each transfer stop, and a "
                "phone line answers with the next departures for any stop number printed on the "
                "pole. Both read the fleet's real-time feed through our open-source server.",
                "A push button at the sign plays the departures aloud at the eight stops with "
                "shelter power; at the other six, riders call the phone line, which works on any "
                "phone. English and French.",
                "Battery signs changed weekly by the transit crews, with a spare set charging at "
                "the garage.",
                "Two developers and a project lead; signs bought from a Nova Scotia supplier. "
                "Phone line in month 2, signs in months 3 and 4.",
            ],
            "document": (
                "Work plan",
                "tidewater-work-plan.pdf",
                [
                    "Tidewater Software: transit wayfinding plan",
                    "Month 2: departure phone line live for all stops",
                    "Months 3-4: signs at the 14 transfer stops",
                    "Open-source server, hosted in Canada",
                ],
            ),
            "price": (Decimal("96000.00"), []),
        },
    ),
]

WAYFINDING_SCREENING_NOTES = {
    "vendor": "Hosting in Montréal and backups in Toronto, stated in the work plan.",
    "vendor2": "Hosted on a Canadian cloud region; backups in the same region.",
}

# evaluator -> vendor -> (points, rationale) per rated criterion, in the plan's order
WAYFINDING_SCORES = {
    "evaluator": {
        "vendor": [
            ("8", "Answers the riders' request for departures at the stop itself."),
            ("7", "Rider-triggered audio, tested with riders; no third language."),
            ("7", "Small local crew with a named manufacturer; tight installation window."),
        ],
        "vendor2": [
            ("7", "Sound approach; the phone line covers every stop, not only transfers."),
            ("9", "Audio at the stop or by phone, for riders with or without a phone."),
            ("6", "Small team; the schedule depends on one supplier."),
        ],
    },
    "evaluator2": {
        "vendor": [
            ("7", "Good fit with what riders said at the pop-up."),
            ("7", "Tactile button and adaptive volume meet the workshop's request."),
            ("8", "Clear milestones and a year of monitoring."),
        ],
        "vendor2": [
            ("7", "Good use of the real-time feed."),
            (
                "2",
                "Six stops have no audio at the sign; riders must call, which is not "
                "what the low-vision workshop asked for.",
            ),
            ("6", "Weekly battery changes add work for the transit crews."),
        ],
    },
}

STREETLIGHTS = {
    "title": "Smarter lighting for the riverfront trail",
    "summary": (
        "The riverfront trail is lit all night at full power, yet people still avoid its dark "
        "patches after sunset. We want light where and when people need it, and less of it "
        "everywhere else."
    ),
    "problem": (
        "The 3.1 km riverfront trail and the four streets that meet it are lit from dusk to "
        "dawn by 240 high-pressure sodium lights, most of them over 25 years old. They burn as "
        "much electricity as 80 homes, throw light into the marsh and into bedrooms along the "
        "trail, and still leave dark patches at the underpasses and entrances, where people "
        "say they do not feel safe."
    ),
    "context": (
        "The lights are on six metered circuits, read monthly. Two automatic counters at the "
        "entrances count trail users; about a fifth of trips happen after dark, more in "
        "winter. The poles were replaced in 2019 and stay."
    ),
    "desired_outcomes": (
        "The path is evenly lit whenever someone is on it, with much less energy used and "
        "less light spilling over the marsh and into homes. People feel safe walking and "
        "cycling the trail after dark."
    ),
    "constraints": (
        "The first year's budget is fixed at $165,000, taxes included; proposals compete on "
        "quality within it. Light on the path must meet the city's lighting standard whenever "
        "someone is on it, and lights return to full power if the controls fail. Sensors count "
        "people; they never record images, and any data stays in Canada."
    ),
    "success_measures": (
        "Electricity used by the trail's lights each month; share of trail users who say they "
        "feel safe after dark; complaints about light shining into homes and over the marsh."
    ),
    "affected_communities": (
        "People who walk, run or cycle the trail after dark, shift workers going home, "
        "residents of the homes along the trail, the marsh conservation group."
    ),
    "budget_min": Decimal("100000.00"),
    "budget_max": Decimal("165000.00"),
    "activities": [
        (
            330,
            "workshop",
            31,
            "Residents on a night walk of the trail with the women's safety network",
            "Walkers marked eleven dark patches, most at underpasses and entrances, and asked "
            "for light that follows people rather than more glare.",
        ),
        (
            318,
            "survey",
            246,
            "Trail users at the two entrances and online",
            "Two in five trail users avoid the trail after dark; most of those who do use it "
            "after dark cycle or walk in groups.",
        ),
        (
            305,
            "interview",
            6,
            "The marsh conservation group and two neighbours whose homes face the trail",
            "Light over the water disturbs nesting birds in spring; neighbours see the trail "
            "lights from their bedrooms.",
        ),
    ],
    # prompt, guidance, word limit
    "response_questions": [
        (
            "How will the trail be lit when people are on it, and how will energy use fall "
            "when nobody is?",
            "Describe what a walker sees at night, and how the lights respond to people on "
            "foot and on bicycles.",
            400,
        ),
        (
            "How will people who feel unsafe after dark, and people with low vision, be served?",
            "Say how you tested your approach and with whom.",
            300,
        ),
        ("How will light over the marsh and into homes be reduced?", "", 200),
        (
            "Who will deliver the work, and on what schedule?",
            "Name the team and partners and give the main milestones.",
            300,
        ),
    ],
}

# The first year's budget is fixed, so proposals compete on quality alone; prices are still
# sealed until the consensus is locked, and the awarded price is published once final.
STREETLIGHTS_EVALUATION_PLAN = {
    "criteria": [
        {
            "kind": "mandatory",
            "name": "Personal information stays in Canada",
            "description": "Any data on trail users is stored in Canada; pass or fail.",
        },
        {
            "kind": "rated",
            "name": "Light where people need it, and energy saved",
            "description": (
                "How well the path is lit for the people on it, and how much less energy the "
                "trail uses."
            ),
            "weight": 60,
            "max_points": 10,
        },
        {
            "kind": "rated",
            "name": "Safety, accessibility and light spill",
            "description": (
                "Tested with people who feel unsafe after dark and people with low vision; "
                "light kept off the marsh and out of homes."
            ),
            "weight": 40,
            "max_points": 10,
        },
    ],
    "minimum_technical_score": 60,
    "combination": "consensus",
    "tie_break_order": ["technical", "price", "draw"],
}

# asker, question, answer, asked this many days ago
STREETLIGHTS_QUESTIONS = [
    (
        "vendor2",
        "May the selected vendor replace the poles, or only the fixtures and controls?",
        "Only the fixtures and controls. The poles were replaced in 2019 and stay in place.",
        248,
    ),
    (
        "vendor",
        "Can vendors see the trail counters' data before proposing?",
        "Yes. Monthly counts from both counters for the last three years are published on the "
        "city's open data portal.",
        240,
    ),
]

# vendor username, hours before the deadline it was submitted, the proposal
STREETLIGHTS_PROPOSALS = [
    (
        "vendor",
        30,
        {
            "answers": [
                "Shielded LED fixtures replace the 240 sodium lights. Each dims to 30% when "
                "the path is empty and returns to full power a few poles ahead of a walker or "
                "cyclist, so nobody walks into the dark. We expect the trail to use about 45% "
                "less electricity than today.",
                "The path never goes dark, and the light ahead of a person is always at full "
                "power. We walked a prototype section with members of the women's safety "
                "network and with two people with low vision, and changed the ramp-up distance "
                "after their comments.",
                "Full cut-off fixtures send no light above the horizontal; house-side shields on "
                "the 38 poles facing homes; warm light along the marsh.",
                "Two of our electricians with a fixture supplier in Dieppe. Entrances and "
                "underpasses in month 1, the rest of the trail by month 3, then a year of "
                "monitoring with monthly reports.",
            ],
            "document": (
                "Work plan",
                "trail-lighting-plan.pdf",
                [
                    "Riverbend Energy Co-op: riverfront trail lighting plan",
                    "Month 1: entrances and underpasses relit",
                    "Months 2-3: the rest of the trail, dimming tuned",
                    "Months 4-15: monitoring, energy reports, repairs",
                ],
            ),
            "price": (
                Decimal("158400.00"),
                [
                    {"label": "Shielded LED fixtures (240)", "amount": "104400.00"},
                    {"label": "Motion sensors and dimming controls", "amount": "38000.00"},
                    {"label": "Installation and first-year monitoring", "amount": "16000.00"},
                ],
            ),
        },
    ),
    (
        "vendor2",
        6,
        {
            "answers": [
                "Wireless control nodes on the existing fixtures dim the trail gradually after "
                "midnight and raise the light when the entrance counters see people coming. A "
                "public web map shows the light level on each section.",
                "Dimming is gradual, so the trail never changes suddenly, and the map lets "
                "people check the lighting before they set out. The map meets WCAG 2.1 AA.",
                "The schedule dims the lights nearest the marsh first and furthest.",
                "A project lead and two developers; the city's electrical contractor installs "
                "the nodes. Map in month 1, nodes by month 2.",
            ],
            "document": (
                "Work plan",
                "tidewater-trail-plan.pdf",
                [
                    "Tidewater Software: trail lighting controls",
                    "Month 1: control platform and public map",
                    "Month 2: control nodes on the 240 fixtures",
                    "Open-source platform, hosted in Canada",
                ],
            ),
            "price": (
                Decimal("121000.00"),
                [
                    {"label": "Control nodes on existing fixtures (240)", "amount": "84000.00"},
                    {"label": "Control platform and public map, first year", "amount": "22000.00"},
                    {"label": "Installation support", "amount": "15000.00"},
                ],
            ),
        },
    ),
]

STREETLIGHTS_SCREENING_NOTES = {
    "vendor": "Counts stored on the co-op's servers in New Brunswick; sensors record no images.",
    "vendor2": "Platform hosted in a Canadian cloud region; counts only, no images.",
}

# evaluator -> vendor -> (points, rationale) per rated criterion, in the plan's order
STREETLIGHTS_SCORES = {
    "evaluator": {
        "vendor": [
            ("8", "Light that follows people is what walkers asked for; the larger saving."),
            ("8", "Tested with the safety network and people with low vision; shielded."),
        ],
        "vendor2": [
            ("7", "Good use of the counters; sodium lamps dim poorly, so savings are limited."),
            ("6", "The map helps people plan, but the old fixtures still light up homes."),
        ],
    },
    "evaluator2": {
        "vendor": [
            ("9", "Lights come up ahead of walkers and cyclists; about 45% less energy."),
            ("7", "Good testing; how fast the lights respond to cyclists is not shown."),
        ],
        "vendor2": [
            ("7", "Gradual dimming avoids the sudden darkness walkers feared."),
            ("5", "Light over the marsh is unchanged; nothing was tested with trail users."),
        ],
    },
}

# vendor -> (points, rationale) the panel agreed per rated criterion, in the plan's order
STREETLIGHTS_CONSENSUS = {
    "vendor": [
        ("8", "Agreed: light follows people, with the larger energy saving."),
        ("8", "Agreed: tested with the people most concerned; light kept off the marsh."),
    ],
    "vendor2": [
        ("7", "Agreed: sound controls; savings limited by the sodium fixtures."),
        ("6", "Agreed: gradual dimming helps; light spill is unchanged."),
    ],
}

STREETLIGHTS_RECOMMENDATION = (
    "Ranked first. Light that follows people on the path is what residents asked for on the "
    "night walk, and shielded fixtures keep light off the marsh and out of homes."
)

STREETLIGHTS_DEBRIEF = (
    "We would like to understand how our approach to light over the marsh was scored, and "
    "what would have made our proposal stronger."
)

# When the evaluation's and the award's steps are dated, in days before today: after the
# closing (STREETLIGHTS closed 210 days ago) and before the pilot starts.
STREETLIGHTS_DECISION_DAYS_AGO = {
    "assigned": 205,
    "declared": 203,
    "scores_due": 190,
    "scores_submitted": 192,
    "decided": 184,
    "recommended": 181,
    "approved": 177,
    "notified": 173,
    "debrief_requested": 168,
}

# The pilot starts and ends this many days from today.
STREETLIGHTS_PILOT_DAYS = (-130, 235)

# title, due in this many days, done in this many days (None: not done)
STREETLIGHTS_MILESTONES = [
    ("Trail entrances and the two underpasses relit", -100, -104),
    ("Light reaching the homes facing the trail measured", -16, None),
    ("Six-month review with trail users and the marsh group", 9, None),
]

# indicator_add fields, then (measured this many days from today, value, source)
STREETLIGHTS_INDICATORS = [
    (
        {
            "name": "Electricity used by the trail's lights",
            "success_measure": "Electricity used by the trail's lights each month.",
            "unit": "kWh per month",
            "baseline": Decimal("16800"),
            "target": Decimal("9500"),
        },
        [
            (-118, Decimal("15900"), "Utility bill, six trail circuits; dimming not yet on"),
            (-88, Decimal("12400"), "Utility bill, six trail circuits; dimming at the entrances"),
            (-57, Decimal("10900"), "Utility bill, six trail circuits; dimming on the whole trail"),
            (-27, Decimal("10200"), "Utility bill, six trail circuits; longer nights"),
        ],
    ),
    (
        {
            "name": "Trail users who feel safe after dark",
            "success_measure": "Share of trail users who say they feel safe after dark.",
            "unit": "%",
            "baseline": Decimal("58"),
            "target": Decimal("75"),
        },
        [
            (-110, Decimal("61"), "Intercept survey at both trail entrances, 84 responses"),
            (-75, Decimal("67"), "Intercept survey at both trail entrances, 102 responses"),
            (-40, Decimal("72"), "Intercept and online survey, 131 responses"),
            (-8, Decimal("76"), "Intercept survey at both trail entrances, 97 responses"),
        ],
    ),
]
