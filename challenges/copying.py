"""Start a new challenge from an earlier one: a template that keeps what worked.

What is copied is the municipality's own design work: the statement's structure, the questions
vendors answer, the data governance record with its data assets and sharings, and (through the
registry below, filled by the apps above `challenges`) the evaluation plan. Nothing sealed or
personal is ever copied: no proposals, scores, community input, vendor questions, addenda,
documents, dates, decisions or dismissals; those belong to the earlier purchase.

`challenges` cannot import the apps above it, so each registers a copier from its
`AppConfig.ready()`, as for the review checks (challenges.checks).
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_created
from core.languages import content_languages, in_both_languages
from core.permissions import require
from core.validation import full_clean_or_invalid

from . import governance_services
from .models import (
    Challenge,
    DataAsset,
    DataGovernanceRecord,
    DataSharing,
    ResponseQuestion,
)
from .services import _next_reference

# copier(*, origin, copy, actor): copies its app's part inside the copy's transaction.
Copier = Callable[..., None]

_copiers: dict[str, Copier] = {}


def register_copier(name: str, copier: Copier) -> Copier:
    _copiers[name] = copier
    return copier


def unregister_copier(name: str) -> None:
    """Remove a registered copier (tests, or an app that is switched off)."""
    _copiers.pop(name, None)


# The translated texts are copied in each language they are written in.
STATEMENT_FIELDS = (
    *in_both_languages("summary"),
    "department",
    *in_both_languages("problem", "context", "desired_outcomes"),
    "constraints",
    *in_both_languages("success_measures"),
    "affected_communities",
    "budget_min",
    "budget_max",
)
QUESTION_FIELDS = ("order", "prompt", "guidance", "required", "max_words", "governance_key")
# The record's own answers, as its services write them. The assessment, each sharing's agreement
# and the dismissed proposals were the earlier purchase's and start over (see `_copy_record`).
RECORD_FIELDS = tuple(
    name
    for name in governance_services.RECORD_FIELDS
    if name not in ("assessment_status", "assessment_completed_on")
)
ASSET_FIELDS = (*governance_services.ASSET_FIELDS, "order")
SHARING_FIELDS = tuple(
    name for name in governance_services.SHARING_FIELDS if name != "agreement_status"
)
TITLE_LIMIT = 200


def copied_title(title: str) -> str:
    text = _("Copy of %(title)s") % {"title": title}
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"


def _copied_titles(origin) -> dict:
    """ "Copy of …" in each language the origin's title is written in, in that language."""
    titles = {}
    for code in content_languages():
        title = getattr(origin, f"title_{code}")
        if title:
            with translation.override(code):
                titles[f"title_{code}"] = copied_title(title)
    return titles


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _copy_questions(origin: Challenge, copy: Challenge, actor) -> None:
    for question in origin.response_questions.order_by("order", "pk"):
        row = ResponseQuestion.objects.create(challenge=copy, **_values(question, QUESTION_FIELDS))
        audit_created(obj=row, actor=actor, fields=QUESTION_FIELDS)


def _copy_record(origin: Challenge, copy: Challenge, actor) -> None:
    source = DataGovernanceRecord.objects.filter(challenge_id=origin.pk).first()
    if source is None:
        return
    record = DataGovernanceRecord(
        challenge=copy, updated_by=actor, **_values(source, RECORD_FIELDS)
    )
    # The earlier privacy impact assessment covered the earlier purchase: this one needs its own.
    if source.assessment_status:
        record.assessment_status = DataGovernanceRecord.AssessmentStatus.NOT_STARTED
    record.save()
    audit_created(obj=record, actor=actor, fields=(*RECORD_FIELDS, "assessment_status"))
    for asset in source.assets.order_by("order", "pk"):
        row = DataAsset.objects.create(record=record, **_values(asset, ASSET_FIELDS))
        audit_created(obj=row, actor=actor, fields=ASSET_FIELDS, metadata={"challenge_id": copy.pk})
    for sharing in source.sharings.order_by("pk"):
        # The agreements signed then bound the earlier purchase; this one needs its own.
        row = DataSharing.objects.create(
            record=record,
            agreement_status=DataSharing.AgreementStatus.NONE,
            **_values(sharing, SHARING_FIELDS),
        )
        audit_created(
            obj=row,
            actor=actor,
            fields=(*SHARING_FIELDS, "agreement_status"),
            metadata={"challenge_id": copy.pk},
        )


@transaction.atomic
def challenge_copy(*, origin: Challenge, actor) -> Challenge:
    """A new draft owned by `actor`, started from `origin` (see the module's docstring)."""
    require(
        actor,
        "challenges.copy_challenge",
        origin,
        _("Only municipal staff can start a new challenge from an earlier one."),
    )
    origin = Challenge.objects.select_related("department").get(pk=origin.pk)
    titles = _copied_titles(origin)
    copy = Challenge(owner=actor, copied_from=origin, **titles, **_values(origin, STATEMENT_FIELDS))
    full_clean_or_invalid(copy, exclude=["reference"])
    copy.reference = _next_reference()
    copy.save()
    audit_created(
        obj=copy,
        actor=actor,
        fields=("owner", *titles, *STATEMENT_FIELDS),
        metadata={"copied_from": origin.reference},
    )
    _copy_questions(origin, copy, actor)
    _copy_record(origin, copy, actor)
    for name in sorted(_copiers):
        _copiers[name](origin=origin, copy=copy, actor=actor)
    return copy


def register_copy_link() -> None:
    from .sections import ChallengeLink, page_of, register_link, visible_by

    register_link(
        ChallengeLink(
            name="challenges.copy",
            label=gettext_lazy("Start a new challenge from this one"),
            url=page_of("challenges:copy"),
            visible=visible_by("challenges.copy_challenge"),
            group="manage",
            order=900,
        )
    )
