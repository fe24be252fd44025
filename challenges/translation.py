"""Content written in both official languages (django-modeltranslation adds `<field>_en` and
`<field>_fr`; reading `<field>` gives the reader's language, else the other one)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Addendum,
    Challenge,
    DataGovernanceRecord,
    EngagementActivity,
    GovernanceDecision,
    InputTheme,
    PriorityGroup,
    Question,
)


@register(Challenge)
class ChallengeTranslation(TranslationOptions):
    fields = ("title", "summary", "problem", "context", "desired_outcomes", "success_measures")


@register(Addendum)
class AddendumTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("answer",)


@register(EngagementActivity)
class EngagementActivityTranslation(TranslationOptions):
    fields = ("summary",)


@register(InputTheme)
class InputThemeTranslation(TranslationOptions):
    fields = ("title", "you_said", "we_did")


@register(PriorityGroup)
class PriorityGroupTranslation(TranslationOptions):
    fields = ("name", "description")


@register(DataGovernanceRecord)
class DataGovernanceRecordTranslation(TranslationOptions):
    fields = ("legal_authority", "storage_reason", "impact_explanation", "exit_plan")


@register(GovernanceDecision)
class GovernanceDecisionTranslation(TranslationOptions):
    fields = ("decision", "reason")
