"""Demo data for `make run`: one person per role, challenges in every stage, vendors with
proposals, an evaluation with a panel that has scored, and an award made final with its pilot.

The steps are here; what they say (titles, statements, answers, scores, measurements) is data in
procurement/demo/content.py, and the documents vendors attach are the sample PDFs in
procurement/demo/files/. Those names are imported here too, for the tests and the screenshots."""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from challenges import (
    follow_services,
    governance_services,
    partner_services,
    reach_services,
    services,
    theme_services,
)
from challenges.documents import services as document_services
from challenges.governance_proposals import response_question_accept_proposal
from challenges.input_services import community_input_give, community_input_record_offline
from challenges.models import (
    Addendum,
    Challenge,
    Department,
    Document,
    EngagementActivity,
    EngagementStage,
    PartnerOrganization,
    PriorityGroup,
    Question,
    ResponseQuestion,
)
from challenges.priority_groups import default_priority_groups_ensure
from core import files as vendor_files
from core.audit import audit_dated
from evaluation import services as evaluation_services
from evaluation.models import Criterion, Evaluation, PanelAssignment
from procurement.demo import demo_document
from procurement.demo.content import (
    CURBSIDE,
    DEMO_EVALUATION_PLAN,
    DEMO_PASSWORD,
    DEMO_USERS,
    DEMO_VENDORS,
    DEPARTMENTS,
    DRAFT,
    ENERGY,
    ENERGY_ACCEPTED_CRITERIA,
    ENERGY_ACCEPTED_QUESTIONS,
    ENERGY_ADDENDA,
    ENERGY_DRAFT_ANSWERS,
    ENERGY_DRAFT_DOCUMENT,
    ENERGY_QUESTIONS,
    ENERGY_RESPONSE_QUESTIONS,
    FLOOD_ALERTS,
    FOLLOWS,
    GOVERNANCE,
    MUNICIPAL_DOCUMENTS,
    SCHOOL_ROUTES,
    SIDEWALKS,
    STREETLIGHTS,
    STREETLIGHTS_CONSENSUS,
    STREETLIGHTS_CONTRACT_SIGNED_DAYS_AFTER_FINAL,
    STREETLIGHTS_DEBRIEF,
    STREETLIGHTS_DECISION_DAYS_AGO,
    STREETLIGHTS_EVALUATION_PLAN,
    STREETLIGHTS_FEEDBACK,
    STREETLIGHTS_INDICATORS,
    STREETLIGHTS_MILESTONES,
    STREETLIGHTS_PILOT_DAYS,
    STREETLIGHTS_PROPOSALS,
    STREETLIGHTS_QUESTIONS,
    STREETLIGHTS_RECOMMENDATION,
    STREETLIGHTS_SCORES,
    STREETLIGHTS_SCREENING_NOTES,
    STREETLIGHTS_SIGNED_CONTRACT,
    STREETLIGHTS_THEMES,
    WAYFINDING,
    WAYFINDING_ADDENDUM,
    WAYFINDING_PROPOSALS,
    WAYFINDING_QUESTIONS,
    WAYFINDING_SCORES,
    WAYFINDING_SCREENING_NOTES,
    WINTER,
    WINTER_OFFLINE_INPUTS,
    WINTER_PARTNERS,
)
from procurement.models import Award, Contract, DebriefRequest, Pilot
from procurement.services import award as award_services
from procurement.services import contract as contract_services
from procurement.services import pilot as pilot_services
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
            self._streetlights_contract()
        with transaction.atomic():
            self._streetlights_pilot()
        with transaction.atomic():
            self._streetlights_themes()
        with transaction.atomic():
            self._followers(people)
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

    def _streetlights_themes(self):
        """The owner's "you said, we did" for the awarded challenge, in both languages."""
        challenge = Challenge.objects.filter(title=STREETLIGHTS["title"]).first()
        if challenge is None or challenge.input_themes.exists():
            return
        for title, you_said, outcome, we_did in STREETLIGHTS_THEMES:
            theme_services.theme_create(
                challenge=challenge,
                actor=challenge.owner,
                title_en=title[0],
                title_fr=title[1],
                you_said_en=you_said[0],
                you_said_fr=you_said[1],
                outcome=outcome,
                we_did_en=we_did[0],
                we_did_fr=we_did[1],
            )

    def _followers(self, people):
        """Residents and a vendor follow challenges with their accounts (following again
        changes nothing), one of them in French."""
        for username, title, language in FOLLOWS:
            challenge = Challenge.objects.filter(title=title).first()
            if challenge is not None and challenge.is_public:
                follow_services.follow_challenge(
                    challenge=challenge, actor=people[username], language=language
                )

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
        extras = ("activities", "inputs", "response_questions", "reach")
        fields = {k: v for k, v in content.items() if k not in extras}
        return services.challenge_create(actor=owner, department=department, **fields)

    def _co_design_with_evidence(self, challenge, content, people, cohosts=None):
        owner = challenge.owner
        services.challenge_transition(challenge=challenge, actor=owner, name="open_co_design")
        reach = content.get("reach") or {}
        if reach:
            default_priority_groups_ensure(PriorityGroup)
        groups = {group.slug: group for group in PriorityGroup.objects.all()} if reach else {}
        counts = reach.get("counts", [])
        for index, (days_ago, kind, participants, others, summary) in enumerate(
            content["activities"]
        ):
            services.engagement_activity_add(
                challenge=challenge,
                actor=owner,
                kind=kind,
                held_on=self._day(-days_ago),
                participants=participants,
                groups_reached=others,
                summary=summary,
                partners=(cohosts or {}).get(index),
                reach={
                    groups[slug]: people_of_group
                    for slug, people_of_group in (
                        counts[index] if index < len(counts) else {}
                    ).items()
                },
            )
        if reach:
            targets = {groups[slug]: target for slug, target in reach["targets"].items()}
            reach_services.reach_targets_save(challenge=challenge, actor=owner, targets=targets)
            if reach.get("gap_reason"):
                reach_services.reach_gap_reason_set(
                    challenge=challenge, actor=owner, reason=reach["gap_reason"]
                )
        for kind, neighbourhood, body, decision, reason in content.get("inputs", []):
            community_input = community_input_give(
                challenge=challenge,
                actor=people["resident"],
                kind=kind,
                neighbourhood=neighbourhood,
                body=body,
                consent_to_publish=True,
            )
            if decision != "pending":
                services.community_input_moderate(
                    community_input=community_input,
                    actor=owner,
                    publish=decision == "publish",
                    reason=reason,
                )

    def _governance(self, challenge):
        """The owner fills the challenge's data governance record (review needs it complete),
        attaches its documents (a completed privacy impact assessment among them) and the
        challenge's own documents, while the statement is editable."""
        content = GOVERNANCE[challenge.title]
        owner = challenge.owner
        record = dict(content["record"])
        completed_days_ago = record.pop("assessment_completed_days_ago", None)
        if completed_days_ago is not None:
            record["assessment_completed_on"] = self._day(-completed_days_ago)
        governance_services.governance_record_update(challenge=challenge, actor=owner, **record)
        for asset in content["assets"]:
            governance_services.data_asset_add(challenge=challenge, actor=owner, **asset)
        for sharing in content["sharings"]:
            governance_services.data_sharing_add(challenge=challenge, actor=owner, **sharing)
        for decision in content["decisions"]:
            decision = dict(decision)
            decided_on = self._day(-decision.pop("decided_days_ago"))
            governance_services.governance_decision_add(
                challenge=challenge, actor=owner, decided_on=decided_on, **decision
            )
        for title, name, kind, _lines in content.get("documents", ()):
            self._attach(challenge, Document.AttachedTo.GOVERNANCE, title, name, kind)
        for attached_to, title, name, kind, _lines in MUNICIPAL_DOCUMENTS.get(challenge.title, ()):
            if attached_to == Document.AttachedTo.CHALLENGE:
                self._attach(challenge, attached_to, title, name, kind)

    def _attach(self, challenge, attached_to, title, name, kind, addendum=None):
        return document_services.document_attach(
            challenge=challenge,
            actor=challenge.owner,
            attached_to=attached_to,
            addendum=addendum,
            title=title,
            kind=kind,
            language="en",
            upload=ContentFile(demo_document(name), name=name),
        )

    def _addendum_documents(self, addendum):
        """The documents issued with a draft addendum (listed under its title)."""
        for place, title, name, kind, _lines in MUNICIPAL_DOCUMENTS.get(
            addendum.challenge.title, ()
        ):
            if place == addendum.title:
                self._attach(
                    addendum.challenge, Document.AttachedTo.ADDENDUM, title, name, kind, addendum
                )

    def _through_approval(self, challenge, content, people, before_review=None):
        self._co_design_with_evidence(challenge, content, people)
        self._governance(challenge)
        self._evaluation_plan(challenge)
        if before_review:
            before_review(challenge)
        services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="submit_for_review"
        )
        return services.challenge_transition(
            challenge=challenge, actor=people["approver"], name="approve"
        )

    def _energy_questions_and_criteria(self, challenge):
        """The questions every proposal answers, then what the data governance record proposes
        that the owner accepts: more questions and a criterion (nothing is added silently)."""
        from evaluation.governance import criterion_accept_proposal

        self._response_questions(challenge, ENERGY_RESPONSE_QUESTIONS)
        for key in ENERGY_ACCEPTED_QUESTIONS:
            response_question_accept_proposal(challenge=challenge, actor=challenge.owner, key=key)
        for key in ENERGY_ACCEPTED_CRITERIA:
            criterion_accept_proposal(challenge=challenge, actor=challenge.owner, key=key)

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
        cohosts = self._partners(challenge, people)
        self._co_design_with_evidence(challenge, WINTER, people, cohosts=cohosts)
        self._offline_inputs(challenge, people)
        self._governance(challenge)

    def _partners(self, challenge, people) -> dict[int, list]:
        """The owner links the community partners (the demo "partner" account as one's contact)
        before co-design; returns the co-hosts of each activity, by its index."""
        owner = challenge.owner
        default_priority_groups_ensure(PriorityGroup)
        groups = {group.slug: group for group in PriorityGroup.objects.all()}
        cohosts: dict[int, list] = {}
        for name, kind, served, role, note, cohosted, is_contact in WINTER_PARTNERS:
            organization = PartnerOrganization.objects.filter(name=name).first()
            if organization is None:
                organization = partner_services.partner_organization_create(
                    actor=owner,
                    name=name,
                    kind=kind,
                    groups_served=[groups[slug] for slug in served if slug in groups],
                )
            partner_services.challenge_partner_add(
                challenge=challenge,
                actor=owner,
                partner=organization,
                role=role,
                role_note=note,
                contact_email=people["partner"].email if is_contact else "",
            )
            for index in cohosted:
                cohosts.setdefault(index, []).append(organization)
        return cohosts

    def _offline_inputs(self, challenge, people):
        """Input the partner's contact typed in from a comment card and a phone call."""
        for source, kind, neighbourhood, name, body, consent in WINTER_OFFLINE_INPUTS:
            community_input_record_offline(
                challenge=challenge,
                actor=people["partner"],
                source=source,
                kind=kind,
                neighbourhood=neighbourhood,
                author_name=name,
                body=body,
                consent_to_publish=consent,
            )

    def _in_review(self, people, departments):
        challenge = self._create(SCHOOL_ROUTES, people["staff2"], departments["transportation"])
        self._co_design_with_evidence(challenge, SCHOOL_ROUTES, people)
        self._governance(challenge)
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
        challenge = self._through_approval(
            challenge, ENERGY, people, before_review=self._energy_questions_and_criteria
        )
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
            self._addendum_documents(addendum)
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
        self._governance(challenge)
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
            upload=ContentFile(demo_document(name), name=name),
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
        upload = ContentFile(demo_document(name), name=name)
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

    def _streetlights_contract(self):
        """The owner drafts the contract of the final award (its terms drafted from the data
        governance record), records its value, period and signing date, attaches the signed copy
        and marks it signed, a few days after the award was made final."""
        award = (
            Award.objects.filter(challenge__title=STREETLIGHTS["title"], status=Award.Status.FINAL)
            .select_related("challenge")
            .first()
        )
        if award is None or Contract.objects.filter(award=award).exists():
            return
        challenge, owner = award.challenge, award.challenge.owner
        signed_at = award.finalised_at + timedelta(
            days=STREETLIGHTS_CONTRACT_SIGNED_DAYS_AFTER_FINAL
        )
        starts_in, ends_in = STREETLIGHTS_PILOT_DAYS
        with self._dated(award.finalised_at + timedelta(days=1)):
            contract = contract_services.contract_create(award=award, actor=owner)
            contract = contract_services.contract_update(
                contract=contract,
                actor=owner,
                starts_on=self._day(starts_in),
                ends_on=self._day(ends_in),
                signed_on=timezone.localdate(signed_at),
            )
        with self._dated(signed_at):
            title, name, _lines = STREETLIGHTS_SIGNED_CONTRACT
            self._attach(
                challenge, Document.AttachedTo.CONTRACT, title, name, Document.Kind.CONTRACT_SIGNED
            )
            contract = contract_services.contract_sign(contract=contract, actor=owner)
        Contract.objects.filter(pk=contract.pk).update(signed_at=signed_at)

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
        # Residents' feedback on the running pilot, given without an account: one published
        # with the name its author gave, one awaiting moderation. It outlives a pilot redone.
        given = award.challenge.community_inputs.filter(stage=EngagementStage.PILOT).exists()
        for name, neighbourhood, body, publish in [] if given else STREETLIGHTS_FEEDBACK:
            feedback = community_input_give(
                challenge=award.challenge,
                actor=AnonymousUser(),
                kind="experience",
                body=body,
                author_name=name,
                neighbourhood=neighbourhood,
                consent_to_publish=True,
            )
            if publish:
                services.community_input_moderate(
                    community_input=feedback, actor=owner, publish=True
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
