"""Back-office view of challenges (DESIGN.md §6).

The admin configures departments and may reassign a challenge's owner or department, or correct its
wording while the statement is still editable. Everything that moves a challenge through its life
(review, approval, publication, questions, addenda, moderation) happens in the application, where
the four-eyes rule and the audit trail apply, so those records are read-only here.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core import roles
from core.admin import AuditedAdmin, AuditedAdminMixin, ViewOnlyAdmin, ViewOnlyInline

from .models import (
    Addendum,
    Challenge,
    CommunityInput,
    DataAsset,
    DataGovernanceRecord,
    DataSharing,
    Department,
    EngagementActivity,
    Follow,
    GovernanceDecision,
    PartnerOrganization,
    PriorityGroup,
    Question,
    ReachTarget,
    ReferenceCounter,
    ResponseQuestion,
)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "slug", "challenge_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(challenge_count=Count("challenges"))

    @admin.display(description=_("challenges"), ordering="challenge_count")
    def challenge_count(self, obj):
        return obj.challenge_count

    def has_delete_permission(self, request, obj=None):
        # Challenges protect their department; offer deletion only when nothing refers to it.
        if obj is not None and obj.challenges.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PriorityGroup)
class PriorityGroupAdmin(AuditedAdminMixin, TranslationAdmin):
    """The municipality's list of priority groups, in both official languages. A group no
    longer offered is switched off rather than deleted: past targets and counts keep it."""

    list_display = ["name", "slug", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["active"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_delete_permission(self, request, obj=None):
        return False


class EngagementActivityInline(ViewOnlyInline):
    model = EngagementActivity
    fields = ["kind", "held_on", "participants", "groups_reached"]


class ReachTargetInline(ViewOnlyInline):
    # Set by the owner on the reach page, where review fixes them.
    model = ReachTarget
    fields = ["group", "target", "set_by", "updated_at"]
    readonly_fields = ["updated_at"]


class AddendumInline(ViewOnlyInline):
    model = Addendum
    fields = ["number", "title", "status", "changes_terms", "issued_at"]
    readonly_fields = ["number", "status"]


class ResponseQuestionInline(ViewOnlyInline):
    model = ResponseQuestion
    fields = ["order", "prompt", "required", "max_words"]


class QuestionInline(ViewOnlyInline):
    model = Question
    fields = ["asked_by", "status", "asked_at", "answered_at"]
    readonly_fields = ["status", "asked_at"]


@admin.register(Challenge)
class ChallengeAdmin(AuditedAdmin):
    list_display = [
        "reference",
        "title",
        "department",
        "owner",
        "status",
        "published_at",
        "submission_deadline",
    ]
    list_filter = ["status", "department"]
    search_fields = ["reference", "title", "summary", "owner__username"]
    list_select_related = ["department", "owner"]
    date_hierarchy = "created_at"
    inlines = [
        EngagementActivityInline,
        ReachTargetInline,
        ResponseQuestionInline,
        QuestionInline,
        AddendumInline,
    ]
    fieldsets = [
        (None, {"fields": ["reference", "title", "summary", "department", "owner", "status"]}),
        (
            _("Statement"),
            {
                "fields": [
                    "problem",
                    "context",
                    "desired_outcomes",
                    "constraints",
                    "success_measures",
                    "affected_communities",
                    ("budget_min", "budget_max"),
                ]
            },
        ),
        (_("Timeline"), {"fields": ["questions_deadline", "submission_deadline"]}),
        (
            _("Record"),
            {
                "fields": [
                    ("approved_by", "approved_at"),
                    "published_at",
                    "closed_at",
                    "changes_requested_reason",
                    "cancellation_reason",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]
    readonly_fields = [
        "reference",
        "approved_by",
        "approved_at",
        "published_at",
        "closed_at",
        "changes_requested_reason",
        "cancellation_reason",
        "created_at",
        "updated_at",
    ]
    # Words the statement may still change in; later changes are addenda (see challenges.rules).
    STATEMENT_FIELDS = [
        "title",
        "summary",
        "problem",
        "context",
        "desired_outcomes",
        "constraints",
        "success_measures",
        "affected_communities",
        "budget_min",
        "budget_max",
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status not in Challenge.EDITABLE_STATES:
            readonly += self.STATEMENT_FIELDS
        if obj is not None and obj.status not in Challenge.SCHEDULABLE_STATES:
            readonly += ["questions_deadline", "submission_deadline"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=roles.STAFF)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        # A challenge gets its reference and owner from the service staff use in the application.
        return False

    def has_delete_permission(self, request, obj=None):
        # Only an untouched draft may disappear; anything further along is part of the record.
        if obj is None or obj.status != Challenge.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(EngagementActivity)
class EngagementActivityAdmin(ViewOnlyAdmin):
    list_display = ["challenge", "kind", "held_on", "participants", "groups_reached", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["challenge__reference", "challenge__title", "groups_reached", "summary"]
    list_select_related = ["challenge", "recorded_by"]
    date_hierarchy = "held_on"


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(AuditedAdmin):
    """The shared list of community partners; kept while a challenge, an activity or input names
    them (a partner that gathered input cannot be deleted)."""

    list_display = ["name", "kind", "contact_name", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name", "contact_email"]
    filter_horizontal = ["groups_served"]


@admin.register(CommunityInput)
class CommunityInputAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "kind", "status", "source", "neighbourhood", "author", "created_at"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["challenge__reference", "body", "neighbourhood", "author__username"]
    list_select_related = ["challenge", "author"]
    readonly_fields = ["created_at"]


@admin.register(Question)
class QuestionAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "status", "asked_by", "asked_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["challenge__reference", "body", "answer"]
    list_select_related = ["challenge", "asked_by"]
    readonly_fields = ["asked_at"]


@admin.register(Addendum)
class AddendumAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "title", "status", "changes_terms", "issued_at"]
    list_filter = ["status", "changes_terms"]
    search_fields = ["challenge__reference", "title", "body"]
    list_select_related = ["challenge"]
    readonly_fields = ["number"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ViewOnlyAdmin):
    list_display = ["prefix", "year", "last_number"]
    list_filter = ["prefix"]


@admin.register(ResponseQuestion)
class ResponseQuestionAdmin(ViewOnlyAdmin):
    list_display = ["prompt", "challenge", "order", "required", "max_words"]
    list_filter = ["required"]
    search_fields = ["challenge__reference", "prompt", "guidance"]
    list_select_related = ["challenge"]


# The data governance record: correctable here while the statement may change, like the
# statement itself; fixed with it from review on (docs/data-governance.md).


def _record_frozen(obj) -> bool:
    return obj is not None and obj.challenge.status not in Challenge.EDITABLE_STATES


class _GovernanceInline(admin.StackedInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _record_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _record_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _record_frozen(obj) and super().has_delete_permission(request, obj)


class DataAssetInline(_GovernanceInline):
    model = DataAsset


class DataSharingInline(_GovernanceInline):
    model = DataSharing


class GovernanceDecisionInline(_GovernanceInline):
    model = GovernanceDecision
    raw_id_fields = ["recorded_by"]


@admin.register(DataGovernanceRecord)
class DataGovernanceRecordAdmin(AuditedAdmin):
    list_display = ["challenge", "storage_location", "assessment_status", "updated_at"]
    list_filter = ["storage_location", "assessment_status", "automated_decisions"]
    search_fields = ["challenge__reference", "challenge__title"]
    list_select_related = ["challenge"]
    inlines = [DataAssetInline, DataSharingInline, GovernanceDecisionInline]
    readonly_fields = ["challenge", "updated_by", "updated_at"]

    def has_add_permission(self, request):
        # The owner writes the record in the application, where the completeness rules show.
        return False

    def has_change_permission(self, request, obj=None):
        return not _record_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


# The municipality's documents and "you said, we did" have their own admin, beside their services.
from . import theme_admin as _theme_admin  # noqa: E402, F401
from .documents import admin as _documents_admin  # noqa: E402, F401


class _FollowStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Told of news (confirmed, subscribed)")),
            ("unconfirmed", _("Not confirmed")),
            ("unsubscribed", _("Unsubscribed")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        if self.value() == "unconfirmed":
            return queryset.filter(confirmed_at__isnull=True)
        if self.value() == "unsubscribed":
            return queryset.filter(unsubscribed_at__isnull=False)
        return queryset


@admin.register(Follow)
class FollowAdmin(ViewOnlyAdmin):
    """Followers, made and ended by the people themselves. The digest of their link's secret is
    never shown: with it, the unsubscribe links could be made (challenges.follow_services)."""

    list_display = ["challenge", "user", "email", "language", "confirmed_at", "unsubscribed_at"]
    list_filter = [_FollowStateFilter, "language"]
    search_fields = ["challenge__reference", "email", "user__username"]
    list_select_related = ["challenge", "user"]
    fields = ["challenge", "user", "email", "language", "created_at", "confirmed_at"]
    fields += ["unsubscribed_at"]
    readonly_fields = fields
    show_full_result_count = True
