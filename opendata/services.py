"""Storing each OCDS release when its stage happens (DESIGN.md §6).

Each stage's transition, in whichever app it lives, runs an effect registered here from
`OpendataConfig.ready()`: the release is built from the state at that moment and stored in the
same transaction, so a stage that rolls back publishes nothing, and a stored release is never
built again. The effects run after the lower apps' own (this app is installed last): at closing
the proposals are already received, at a cancellation the award already withdrawn.
"""

import json
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from challenges.models import Challenge
from core.workflow import register_transition_effect
from procurement.models import Award, Contract
from procurement.selectors import is_published
from procurement.signals import contract_signed

from . import merge, ocds
from .models import Release

PILOT_STEPS = ("start", "open_review", "adopt", "conclude", "terminate")


@transaction.atomic
def release_store(*, challenge: Challenge, release: dict) -> Release:
    """Store a release once; one already stored under the same id is kept as it was."""
    existing = Release.objects.filter(release_id=release["id"]).first()
    if existing is not None:
        return existing
    date = datetime.fromisoformat(release["date"])
    # Releases merge in date order: one is never dated before the release it follows, even if
    # the clock stepped back, so the record always ends with the latest stage.
    latest = (
        Release.objects.filter(challenge=challenge)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if latest is not None and latest > date:
        date = latest
        release = {**release, "date": ocds.ocds_date(latest)}
    try:
        # A savepoint: another transaction storing the same release first is not an error.
        with transaction.atomic():
            return Release.objects.create(
                challenge=challenge,
                ocid=release["ocid"],
                release_id=release["id"],
                tags=release["tag"],
                date=date,
                data=json.dumps(release, ensure_ascii=False, indent=2),
            )
    except IntegrityError:
        return Release.objects.get(release_id=release["id"])


@transaction.atomic
def releases_backfill(*, challenge: Challenge) -> list[Release]:
    """For a published challenge with no stored release (published before releases were stored,
    or loaded as history without its stages): a first set, built once from its state now."""
    if Release.objects.filter(challenge=challenge).exists():
        return []
    return [
        release_store(challenge=challenge, release=release)
        for release in ocds.current_releases(challenge)
    ]


def _store(challenge: Challenge, release: dict) -> None:
    """`release_store` for a stage's effect, in two queries (what is stored, the insert): a batch
    of scheduled closings runs it for hundreds of challenges in one transaction."""
    # Nothing about a challenge is public before it is published (tests may set states directly).
    if not is_published(challenge):
        return
    stored = dict(Release.objects.filter(challenge=challenge).values_list("release_id", "date"))
    if not stored and release["tag"] != ["planning", "tender"]:
        releases_backfill(challenge=challenge)
        stored = dict(Release.objects.filter(challenge=challenge).values_list("release_id", "date"))
    if release["id"] in stored:
        return  # stored once, never built again
    date = datetime.fromisoformat(release["date"])
    latest = max(stored.values(), default=None)
    if latest is not None and latest > date:
        # As in release_store: never dated before the release it follows.
        date = latest
        release = {**release, "date": ocds.ocds_date(latest)}
    # Another transaction storing the same release first is not an error: its row is kept.
    Release.objects.bulk_create(
        [
            Release(
                challenge=challenge,
                ocid=release["ocid"],
                release_id=release["id"],
                tags=release["tag"],
                date=date,
                data=json.dumps(release, ensure_ascii=False, indent=2),
            )
        ],
        ignore_conflicts=True,
    )


def _store_with_planning(challenge: Challenge, release: dict) -> None:
    """`_store` for a later stage (award, contract, pilot step), carrying any change to the
    record's public part since it was published (one more query: the stored releases)."""
    if not is_published(challenge):
        return
    stored = [row.release for row in Release.objects.filter(challenge=challenge).in_order()]
    if stored and release["id"] not in {row["id"] for row in stored}:
        published = merge.compiled_release(stored).get("planning", {})
        release = ocds.with_planning_update(release, challenge, published=published)
    _store(challenge, release)


def on_publish(*, instance, actor=None):
    _store(instance, ocds.tender_release(instance))


def on_addendum_issue(*, instance, actor=None):
    challenge = Challenge.objects.get(pk=instance.challenge_id)
    _store(challenge, ocds.amendment_release(challenge, instance))


def on_answer_published(*, instance, actor=None):
    challenge = Challenge.objects.get(pk=instance.challenge_id)
    _store(challenge, ocds.clarification_release(challenge, instance))


def on_close(*, instance, actor=None):
    _store(instance, ocds.closing_release(instance))


def on_end(*, instance, actor=None):
    _store(instance, ocds.end_release(instance, date=instance.updated_at))


def on_award_notify(*, instance, actor=None):
    _store_with_planning(instance.challenge, ocds.award_release(instance))


def on_award_withdraw(*, instance, actor=None):
    # An award withdrawn before the letters went out was never public: nothing to withdraw.
    if instance.was_announced:
        _store(instance.challenge, ocds.award_withdrawal_release(instance))


def on_challenge_awarded(*, instance, actor=None):
    award = (
        Award.objects.filter(challenge=instance, status=Award.Status.FINAL)
        .select_related("proposal__vendor", "proposal__price_envelope")
        .first()
    )
    if award is not None:
        _store_with_planning(instance, ocds.contract_release(award))


def on_contract_signed(sender, *, contract, **kwargs):
    """`procurement.signals.contract_signed`, sent once the signing has committed: the release is
    stored in a transaction of its own."""
    with transaction.atomic():
        contract = Contract.objects.select_related("challenge").get(pk=contract.pk)
        if contract.status != Contract.Status.SIGNED:
            return
        _store_with_planning(contract.challenge, ocds.contract_signed_release(contract))


def _on_pilot_step(step):
    def effect(*, instance, actor=None):
        _store_with_planning(
            instance.challenge,
            ocds.implementation_release(instance, step=step, date=timezone.now()),
        )

    effect.__name__ = f"on_pilot_{step}"
    return effect


_PILOT_EFFECTS = {step: _on_pilot_step(step) for step in PILOT_STEPS}


def register_release_effects() -> None:
    register_transition_effect("challenges.Challenge", "publish", on_publish)
    register_transition_effect("challenges.Addendum", "issue", on_addendum_issue)
    register_transition_effect("challenges.Question", "publish_answer", on_answer_published)
    register_transition_effect("challenges.Challenge", "close", on_close)
    register_transition_effect("challenges.Challenge", "cancel", on_end)
    register_transition_effect("challenges.Challenge", "end_without_award", on_end)
    register_transition_effect("challenges.Challenge", "award", on_challenge_awarded)
    register_transition_effect("procurement.Award", "notify", on_award_notify)
    register_transition_effect("procurement.Award", "withdraw", on_award_withdraw)
    for step, effect in _PILOT_EFFECTS.items():
        register_transition_effect("procurement.Pilot", step, effect)
    contract_signed.connect(on_contract_signed, dispatch_uid="opendata.on_contract_signed")
