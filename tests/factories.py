from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    Department,
    EngagementActivity,
    Question,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


def _reference(n):
    return f"TEST-2026-{n + 1:03d}"


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A draft challenge with a complete statement and a valid future timeline."""

    class Meta:
        model = Challenge

    reference = factory.Sequence(_reference)
    title = factory.Sequence(lambda n: f"Help residents heat their homes affordably {n}")
    summary = "Households spend too much of their income on energy."
    department = factory.SubFactory(DepartmentFactory)
    owner = factory.SubFactory(UserFactory, roles=["staff"])
    problem = "One in five households spends more than 6% of its income on energy."
    context = "Older housing stock, electric baseboard heating, rising rates."
    desired_outcomes = "Lower energy bills for the households that need it most."
    constraints = "Data stays in Canada."
    success_measures = "Average energy burden of participating households falls below 6%."
    affected_communities = "Low-income tenants, seniors on fixed incomes."
    budget_min = Decimal("50000.00")
    budget_max = Decimal("150000.00")
    questions_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class EngagementActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementActivity

    challenge = factory.SubFactory(ChallengeFactory)
    kind = EngagementActivity.Kind.WORKSHOP
    held_on = factory.LazyFunction(lambda: timezone.localdate())
    participants = 24
    groups_reached = "Tenants' association, seniors' centre"
    summary = "Residents described cold rooms and high winter bills."
    recorded_by = factory.LazyAttribute(lambda a: a.challenge.owner)


class CommunityInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityInput

    challenge = factory.SubFactory(ChallengeFactory)
    author = factory.SubFactory(UserFactory)
    body = "Our building's windows let the cold in all winter."
    neighbourhood = "Northside"
    consent_to_publish = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    challenge = factory.SubFactory(ChallengeFactory)
    asked_by = factory.SubFactory(UserFactory, roles=["vendor"])
    body = "Can the solution integrate with the utility's smart meters?"


class AddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addendum

    challenge = factory.SubFactory(ChallengeFactory)
    title = "Clarification of the data residency requirement"
    body = "Hosting in any Canadian region is acceptable."
    created_by = factory.LazyAttribute(lambda a: a.challenge.owner)


def set_status(obj, status, **fields):
    """Put a stateful row straight into a state for a test's starting point (bypasses guards)."""
    if status == "published" and isinstance(obj, Challenge) and "published_at" not in fields:
        fields["published_at"] = timezone.now()
    type(obj).objects.filter(pk=obj.pk).update(status=status, **fields)
    obj.refresh_from_db()
    return obj


# Vendors and proposals ---------------------------------------------------------------------------


def valid_business_number(n: int) -> str:
    """A 9-digit CRA business number with a correct check digit, unique per n."""
    from vendors.validators import luhn_valid

    base = f"{(n * 7919 + 10000000) % 100000000:08d}"
    return next(base + str(d) for d in range(10) if luhn_valid(base + str(d)))


class VendorOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.VendorOrganization"

    legal_name = factory.Sequence(lambda n: f"Northern Lights Energy {n} Inc.")
    business_number = factory.Sequence(valid_business_number)
    street_address = "123 Queen Street"
    city = "Fredericton"
    province = "NB"
    postal_code = "E3B 1A1"
    size = "small"


class VendorMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.VendorMembership"

    vendor = factory.SubFactory(VendorOrganizationFactory)
    user = factory.SubFactory(UserFactory, roles=["vendor"])
    role = "owner"


class ResponseQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.ResponseQuestion"

    challenge = factory.SubFactory(ChallengeFactory)
    order = factory.Sequence(lambda n: n + 1)
    prompt = factory.Sequence(lambda n: f"How will your solution lower energy bills? ({n})")
    required = True


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.Proposal"

    challenge = factory.SubFactory(ChallengeFactory)
    vendor = factory.SubFactory(VendorOrganizationFactory)
    created_by = factory.SubFactory(UserFactory, roles=["vendor"])


class ProposalAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.ProposalAnswer"

    proposal = factory.SubFactory(ProposalFactory)
    question = factory.SubFactory(
        ResponseQuestionFactory, challenge=factory.SelfAttribute("..proposal.challenge")
    )
    text = "Smart thermostats and a heat-pump rebate navigator for each household."


class PriceEnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.PriceEnvelope"

    proposal = factory.SubFactory(ProposalFactory)
    amount = Decimal("98000.00")
    updated_by = factory.LazyAttribute(lambda p: p.proposal.created_by)


# Evaluation --------------------------------------------------------------------------------------

DEFAULT_RATED = (("Approach", 40, 10), ("Team and experience", 30, 10))


def complete_plan(
    challenge,
    *,
    rated=DEFAULT_RATED,
    price_weight=30,
    mandatory=("Data stays in Canada",),
    combination="consensus",
    minimum_technical_score=Decimal("0"),
    tie_break_order=("technical", "price", "draw"),
):
    """A complete evaluation plan (weights add up to 100), written directly: any state works.
    It replaces the plan the challenge has, if any (review needs a plan, so fixtures in co-design
    and later come with one).

    `rated` is a sequence of (name, weight, max points); `price_weight` 0 leaves price out.
    """
    from evaluation.models import Criterion, EvaluationPlan

    EvaluationPlan.objects.filter(challenge=challenge).delete()
    plan = EvaluationPlan.objects.create(
        challenge=challenge,
        combination=combination,
        minimum_technical_score=minimum_technical_score,
        tie_break_order=list(tie_break_order),
        updated_by=challenge.owner,
    )
    order = 0
    rows = []
    for name in mandatory:
        order += 1
        rows.append(Criterion(plan=plan, kind="mandatory", order=order, name=name))
    for name, weight, max_points in rated:
        order += 1
        rows.append(
            Criterion(
                plan=plan,
                kind="rated",
                order=order,
                name=name,
                weight=weight,
                max_points=max_points,
            )
        )
    if price_weight:
        rows.append(
            Criterion(plan=plan, kind="price", order=order + 1, name="Price", weight=price_weight)
        )
    Criterion.objects.bulk_create(rows)
    return plan


def evaluation_in(challenge, status="setup", **plan_options):
    """The challenge's evaluation put straight into `status` (with a complete plan if none)."""
    from evaluation.models import Evaluation, EvaluationPlan

    plan = EvaluationPlan.objects.filter(challenge=challenge).first() or complete_plan(
        challenge, **plan_options
    )
    evaluation, _created = Evaluation.objects.get_or_create(challenge=challenge, plan=plan)
    return set_status(evaluation, status)


def panel_member(evaluation, user, *, status="invited", is_chair=False, **fields):
    """A panel assignment written directly, in `status`."""
    from evaluation.models import PanelAssignment

    assignment = PanelAssignment.objects.create(
        evaluation=evaluation,
        evaluator=user,
        is_chair=is_chair,
        due_at=fields.pop("due_at", timezone.now() + timedelta(days=14)),
        assigned_by=evaluation.challenge.owner,
        **fields,
    )
    return set_status(assignment, status) if status != "invited" else assignment


# Data governance, municipal documents, contract ---------------------------------------------------


class DataGovernanceRecordFactory(factory.django.DjangoModelFactory):
    """A record complete enough for review: a solution that touches de-identified personal
    information stored in Canada, its privacy impact assessment in progress, an exit plan, no
    automated decisions. (A completed assessment also needs its date and document.)"""

    class Meta:
        model = "challenges.DataGovernanceRecord"
        django_get_or_create = ("challenge",)

    challenge = factory.SubFactory(ChallengeFactory)
    legal_authority = "Local Governance Act, s. 10 (municipal services)."
    retention_period = "Two years after the pilot ends."
    storage_location = "in_canada"
    assessment_status = "in_progress"
    open_standards = "Green Button Connect My Data; CSV exports."
    accessibility_standard = "wcag21aa"
    exit_data_return = True
    exit_formats = "CSV, JSON"
    exit_plan = "The vendor returns every record in CSV within 30 days of the end."
    updated_by = factory.LazyAttribute(lambda r: r.challenge.owner)


class DataAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.DataAsset"

    record = factory.SubFactory(DataGovernanceRecordFactory)
    name = factory.Sequence(lambda n: f"Household energy use {n}")
    description = "Monthly electricity use per participating household."
    sensitivity = "deidentified"
    provided_by = "The electric utility, with each household's consent."
    produced_data_owner = "The municipality"


class DataSharingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.DataSharing"

    record = factory.SubFactory(DataGovernanceRecordFactory)
    party = "The provincial energy efficiency agency"
    data = "Aggregate savings per neighbourhood"
    purpose = "To size the provincial rebate programme."
    agreement_status = "drafting"


class GovernanceDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.GovernanceDecision"

    record = factory.SubFactory(DataGovernanceRecordFactory)
    topic = "privacy"
    decision = "Keep household data in Canada."
    reason = "Residents asked for it at the co-design workshop."
    decided_by = "Director of Sustainability"
    decided_on = factory.LazyFunction(lambda: timezone.localdate())
    recorded_by = factory.LazyAttribute(lambda d: d.record.challenge.owner)


def complete_governance(challenge, **fields):
    """A complete data governance record for `challenge`, with one data asset."""
    record = DataGovernanceRecordFactory(challenge=challenge, **fields)
    if not record.assets.exists():
        DataAssetFactory(record=record)
    return record


class DocumentFactory(factory.django.DjangoModelFactory):
    """A municipal PDF attached to the challenge (public). Its file is written on save."""

    class Meta:
        model = "challenges.Document"

    challenge = factory.SubFactory(ChallengeFactory)
    attached_to = "challenge"
    title = factory.Sequence(lambda n: f"Background data {n}")
    kind = "x_backgroundData"
    language = "en"
    file = factory.django.FileField(
        filename="background.pdf", data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    original_name = "background.pdf"
    content_type = "application/pdf"
    size = 44
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    uploaded_by = factory.LazyAttribute(lambda d: d.challenge.owner)


class PriorityGroupFactory(factory.django.DjangoModelFactory):
    """A priority group; the default list (low-income, seniors, ...) is seeded by a migration."""

    class Meta:
        model = "challenges.PriorityGroup"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")
    name_fr = factory.Sequence(lambda n: f"Groupe {n}")
    position = factory.Sequence(lambda n: 100 + n)


class ReachTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.ReachTarget"

    challenge = factory.SubFactory(ChallengeFactory)
    group = factory.SubFactory(PriorityGroupFactory)
    target = 20
    set_by = factory.LazyAttribute(lambda t: t.challenge.owner)


class ActivityReachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.ActivityReach"

    activity = factory.SubFactory(EngagementActivityFactory)
    group = factory.SubFactory(PriorityGroupFactory)
    participants = 10


class PartnerOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.PartnerOrganization"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Northside Tenants' Association {n}")
    kind = "tenants"
    contact_name = "Alex Martin"
    contact_email = factory.Sequence(lambda n: f"partner{n}@example.org")


class ChallengePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.ChallengePartner"

    challenge = factory.SubFactory(ChallengeFactory)
    partner = factory.SubFactory(PartnerOrganizationFactory)
    role = "co_host"
    invited_by = factory.LazyAttribute(lambda p: p.challenge.owner)


class InputThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "challenges.InputTheme"

    challenge = factory.SubFactory(ChallengeFactory)
    title = "Cold homes in winter"
    you_said = "Many homes are cold because of drafty windows."
    outcome = "statement"
    we_did = "The statement now asks for solutions that reduce heat loss."
    created_by = factory.LazyAttribute(lambda t: t.challenge.owner)


class FollowFactory(factory.django.DjangoModelFactory):
    """A confirmed follower by e-mail."""

    class Meta:
        model = "challenges.Follow"

    challenge = factory.SubFactory(ChallengeFactory)
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    language = "en"
    token_digest = factory.Sequence(lambda n: f"{n:064x}")
    confirmed_at = factory.LazyFunction(timezone.now)
