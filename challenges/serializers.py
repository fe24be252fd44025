"""API input and output shapes for challenges, co-design, questions and addenda.

Inputs only validate shape and types; the services decide (and say) what is allowed. Outputs never
carry the identity of an asker or a resident unless the view says the reader may see it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.languages import in_both_languages, one_language_message
from core.workflow import allowed_transitions

from .models import (
    Addendum,
    Challenge,
    CommunityInput,
    Department,
    EngagementActivity,
    PriorityGroup,
    Question,
    ResponseQuestion,
)
from .services import CHALLENGE_INPUT_FIELDS, MOVE_DIRECTIONS, RESPONSE_QUESTION_FIELDS


class IdentityHiddenMixin:
    """Leaves out `identity_fields` unless the view put `show_identity=True` in the context.

    They are left out before they are read: a listing for the public never loads who wrote
    each row (one user query a row). The schema still documents them (as not required).
    """

    identity_fields: tuple[str, ...] = ()

    @property
    def _readable_fields(self):
        hidden = () if self.context.get("show_identity") else self.identity_fields
        for field in super()._readable_fields:
            if field.field_name not in hidden:
                yield field


# Challenges

# Moments as every output field gives them (ISO 8601 in the current time zone).
_MOMENT_FIELD = serializers.DateTimeField()


def _moment(value):
    return None if value is None else _MOMENT_FIELD.to_representation(value)


# Amounts in CAD as the model's decimal fields give them (a string with two decimals).
_AMOUNT_FIELD = serializers.DecimalField(max_digits=12, decimal_places=2)


def _amount(value):
    return None if value is None else _AMOUNT_FIELD.to_representation(value)


class DepartmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["slug", "name"]


class ChallengeListOutput(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    department = DepartmentOutput()
    answered_question_count = serializers.IntegerField()
    issued_addendum_count = serializers.IntegerField()

    class Meta:
        model = Challenge
        fields = [
            "reference",
            "title",
            "title_en",
            "title_fr",
            "summary",
            "summary_en",
            "summary_fr",
            "status",
            "status_display",
            "department",
            "questions_deadline",
            "submission_deadline",
            "published_at",
            "answered_question_count",
            "issued_addendum_count",
        ]

    def to_representation(self, challenge):
        # A list reads this once a row. Plain attribute reads give what the fields above give
        # (a test compares the two), without building those fields on every request.
        department = challenge.department
        return {
            "reference": challenge.reference,
            "title": challenge.title,
            "title_en": challenge.title_en,
            "title_fr": challenge.title_fr,
            "summary": challenge.summary,
            "summary_en": challenge.summary_en,
            "summary_fr": challenge.summary_fr,
            "status": challenge.status,
            "status_display": str(challenge.get_status_display()),
            "department": {"slug": department.slug, "name": department.name},
            "questions_deadline": _moment(challenge.questions_deadline),
            "submission_deadline": _moment(challenge.submission_deadline),
            "published_at": _moment(challenge.published_at),
            "answered_question_count": challenge.answered_question_count,
            "issued_addendum_count": challenge.issued_addendum_count,
        }


class ChallengeDetailOutput(ChallengeListOutput):
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )

    class Meta(ChallengeListOutput.Meta):
        fields = [
            *ChallengeListOutput.Meta.fields,
            "problem",
            "problem_en",
            "problem_fr",
            "context",
            "context_en",
            "context_fr",
            "desired_outcomes",
            "desired_outcomes_en",
            "desired_outcomes_fr",
            "constraints",
            "success_measures",
            "success_measures_en",
            "success_measures_fr",
            "affected_communities",
            "budget_min",
            "budget_max",
            "approved_at",
            "closed_at",
            "changes_requested_reason",
            "cancellation_reason",
            "created_at",
            "updated_at",
            "allowed_transitions",
        ]

    def to_representation(self, challenge):
        # As for a list row: what the declared fields give, without building 25 fields a request.
        data = super().to_representation(challenge)
        data.update(
            {name: getattr(challenge, name) for name in self.TEXT_FIELDS},
            budget_min=_amount(challenge.budget_min),
            budget_max=_amount(challenge.budget_max),
            **{name: _moment(getattr(challenge, name)) for name in self.MOMENT_FIELDS},
            allowed_transitions=self.get_allowed_transitions(challenge),
        )
        return data

    TEXT_FIELDS = (
        "problem",
        *in_both_languages("problem"),
        "context",
        *in_both_languages("context"),
        "desired_outcomes",
        *in_both_languages("desired_outcomes"),
        "constraints",
        "success_measures",
        *in_both_languages("success_measures"),
        "affected_communities",
        "changes_requested_reason",
        "cancellation_reason",
    )
    MOMENT_FIELDS = ("approved_at", "closed_at", "created_at", "updated_at")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, challenge) -> list[str]:
        request = self.context.get("request")
        return allowed_transitions(challenge, getattr(request, "user", None))


class DepartmentSlugField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        # PostgreSQL refuses a NUL in a query (a 500); no slug contains one anyway.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class ChallengeInput(serializers.ModelSerializer):
    """The statement and timeline; on update, only the fields sent change. Each translated text
    as `<field>_en` and `<field>_fr`, or as `<field>` in the requester's language; the title in
    at least one language."""

    department = DepartmentSlugField(slug_field="slug", queryset=Department.objects.all())

    class Meta:
        model = Challenge
        fields = list(CHALLENGE_INPUT_FIELDS)
        extra_kwargs = {
            "title": {"required": False},
            "budget_min": {"min_value": 0},
            "budget_max": {"min_value": 0},
        }

    def to_internal_value(self, data):
        # A new challenge without a title in any language is named with the other missing
        # fields, not only once they are all given.
        errors = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors = dict(exc.detail)
        if self.instance is None and isinstance(data, dict):
            given = (data.get(name) for name in ("title", *in_both_languages("title")))
            if not any(isinstance(text, str) and text.strip() for text in given):
                errors.setdefault("title_en", [one_language_message(Challenge, "title")])
        if errors:
            raise serializers.ValidationError(errors)
        return value


class ScheduleInput(serializers.Serializer):
    questions_deadline = serializers.DateTimeField()
    submission_deadline = serializers.DateTimeField()


# Co-design


class ActivityReachOutput(serializers.Serializer):
    group = serializers.IntegerField(source="group_id")
    group_slug = serializers.CharField(source="group.slug")
    group_name = serializers.CharField(source="group.name")
    participants = serializers.IntegerField(
        allow_null=True, help_text=_("Empty when the activity did not record this group.")
    )


class ActivityPartnerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EngagementActivityOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    stage_display = serializers.CharField(source="get_stage_display")
    reach = ActivityReachOutput(many=True, read_only=True)
    partners = ActivityPartnerOutput(many=True, read_only=True)

    class Meta:
        model = EngagementActivity
        fields = [
            "id",
            "kind",
            "kind_display",
            "stage",
            "stage_display",
            "held_on",
            "participants",
            "reach",
            "groups_reached",
            "partners",
            "summary",
            "summary_en",
            "summary_fr",
            "created_at",
        ]


class ActivityReachInput(serializers.Serializer):
    group = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("A priority group's id.")
    )
    participants = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        allow_null=True,
        help_text=_("Null when not recorded; 0 when nobody came."),
    )


class EngagementActivityInput(serializers.ModelSerializer):
    stage = serializers.ChoiceField(
        choices=EngagementActivity._meta.get_field("stage").choices,
        required=False,
        help_text=_("Defaults to the challenge's current stage."),
    )
    summary = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The summary in the reader's language; or give summary_en and summary_fr."),
    )
    summary_en = serializers.CharField(required=False, allow_blank=True)
    summary_fr = serializers.CharField(required=False, allow_blank=True)
    reach = ActivityReachInput(many=True, required=False)
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        help_text=_("Ids of the co-hosting partner organizations linked to the challenge."),
    )

    class Meta:
        model = EngagementActivity
        fields = [
            "kind",
            "held_on",
            "stage",
            "participants",
            "groups_reached",
            "summary",
            "summary_en",
            "summary_fr",
            "reach",
            "partners",
        ]
        extra_kwargs = {"participants": {"min_value": 1}, "groups_reached": {"required": False}}

    def validate_reach(self, value):
        groups = [row["group"] for row in value]
        if len(groups) != len(set(groups)):
            raise serializers.ValidationError(_("Give each group once."))
        return {row["group"]: row["participants"] for row in value}


class CommunityInputOutput(IdentityHiddenMixin, serializers.ModelSerializer):
    identity_fields = (
        "author",
        "author_name",
        "consent_to_publish",
        "groups",
        "moderation_reason",
    )

    # Not read-only in the schema: present only for municipal staff.
    author = serializers.CharField(
        source="author.get_username",
        required=False,
        allow_null=True,
        help_text=_("The account it was given from (none without one); municipal staff only."),
    )
    author_name = serializers.CharField(
        required=False, help_text=_("The name the resident gave, if any; municipal staff only.")
    )
    consent_to_publish = serializers.BooleanField(
        required=False,
        help_text=_("Whether the resident agreed to its publication; municipal staff only."),
    )
    groups = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        queryset=PriorityGroup.objects.all(),  # an output only; not read-only, like those above
        required=False,
        help_text=_("The priority groups the resident said they belong to; staff only."),
    )
    moderation_reason = serializers.CharField(
        required=False, help_text=_("Why it was not published; municipal staff only.")
    )
    shown_name = serializers.SerializerMethodField(
        help_text=_(
            "The name shown with it: the one the resident gave, only if they agreed to "
            "publication; otherwise none (shown as “A resident”)."
        )
    )

    class Meta:
        model = CommunityInput
        fields = [
            "id",
            "kind",
            "body",
            "neighbourhood",
            "stage",
            "language",
            "status",
            "created_at",
            "shown_name",
            "author",
            "author_name",
            "consent_to_publish",
            "groups",
            "moderation_reason",
        ]
        read_only_fields = [
            "id",
            "kind",
            "body",
            "neighbourhood",
            "stage",
            "language",
            "status",
            "created_at",
        ]

    def get_shown_name(self, obj) -> str | None:
        return obj.author_name if obj.author_name and obj.consent_to_publish else None


class CommunityInputInput(serializers.ModelSerializer):
    """What a resident sends; the stage, source and language are set by the server."""

    groups = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=PriorityGroup.objects.filter(active=True),
        help_text=_("Slugs of the priority groups the resident belongs to (optional)."),
    )

    class Meta:
        model = CommunityInput
        fields = ["kind", "body", "author_name", "neighbourhood", "groups", "consent_to_publish"]


# Questions and addenda


class QuestionOutput(IdentityHiddenMixin, serializers.ModelSerializer):
    identity_fields = ("asked_by",)

    asked_by = serializers.CharField(
        source="asked_by.get_username",
        required=False,
        help_text=_("Who asked; shown to municipal staff only, never published."),
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "body",
            "status",
            "answer",
            "answer_en",
            "answer_fr",
            "dismissal_reason",
            "asked_at",
            "answered_at",
            "asked_by",
        ]
        read_only_fields = [
            "id",
            "body",
            "status",
            "answer",
            "answer_en",
            "answer_fr",
            "dismissal_reason",
            "asked_at",
            "answered_at",
        ]


class QuestionInput(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["body"]


class AnswerInput(serializers.Serializer):
    """The answer as `answer_en` and `answer_fr` (at least one), or as `answer` in the
    requester's language."""

    answer = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    answer_en = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, allow_null=True
    )
    answer_fr = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, allow_null=True
    )


class AddendumOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference")

    class Meta:
        model = Addendum
        fields = [
            "id",
            "challenge",
            "number",
            "title",
            "title_en",
            "title_fr",
            "body",
            "body_en",
            "body_fr",
            "changes_terms",
            "new_questions_deadline",
            "new_submission_deadline",
            "status",
            "issued_at",
        ]


class AddendumInput(serializers.ModelSerializer):
    class Meta:
        model = Addendum
        fields = [
            "title",
            "body",
            *in_both_languages("title", "body"),
            "changes_terms",
            "new_questions_deadline",
            "new_submission_deadline",
        ]
        # Each in English, French or both (the service asks for one at least).
        extra_kwargs = {"title": {"required": False}, "body": {"required": False}}


# Response questions


class ResponseQuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = ResponseQuestion
        fields = ["id", "order", "prompt", "guidance", "required", "max_words"]
        read_only_fields = ["id", "order"]
        extra_kwargs = {
            "order": {
                "help_text": _(
                    "Vendors answer the questions in increasing order: 1 first. "
                    "Change it with move/."
                )
            }
        }


class ResponseQuestionInput(serializers.ModelSerializer):
    """On update, only the fields sent change; new questions go at the end of the list."""

    class Meta:
        model = ResponseQuestion
        fields = list(RESPONSE_QUESTION_FIELDS)
        extra_kwargs = {"max_words": {"min_value": 1}}


class ResponseQuestionMoveInput(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=MOVE_DIRECTIONS,
        help_text=_("“up” swaps the question with the one before it, “down” with the one after."),
    )
