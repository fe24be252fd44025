"""Every write of a pilot: create it from a final award, milestones, indicators and their
measurements, and its transitions (DESIGN.md §3)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from challenges.models import DataAsset
from core.audit import audit_append, audit_change, audit_created, audit_diff, audit_values
from core.errors import InvalidInput, TransitionRefused
from core.permissions import require
from core.timefmt import format_day
from core.workflow import transition_run

from ..models import Award, Measurement, Milestone, OutcomeIndicator, Pilot
from .follow_news import milestone_done

# Without an end date, an open-data deliverable is due this long after the pilot starts.
OPEN_DATA_DUE_AFTER = timedelta(days=90)
DATA_TERMS_ANSWERS = ("yes", "partly", "no")

MANAGE_ONLY = gettext_lazy(
    "Only the challenge's owner, a member of municipal staff, can manage its pilot."
)


def _full_clean(obj) -> None:
    try:
        obj.full_clean(exclude=["pilot", "indicator", "recorded_by"])
    except ValidationError as exc:
        raise InvalidInput(exc.messages, field_errors=getattr(exc, "message_dict", {})) from exc


def _filed(pilot: Pilot) -> dict:
    """A pilot's rows are filed under its challenge in the audit trail."""
    return {"metadata": {"challenge_id": pilot.challenge_id}}


def _editable(pilot: Pilot, actor) -> Pilot:
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    require(actor, "procurement.manage_pilot", pilot, MANAGE_ONLY)
    if pilot.status in Pilot.ENDED_STATES:
        raise TransitionRefused(_("This pilot has ended; its record can no longer change."))
    return pilot


def pilot_create(*, award: Award, actor, starts_on=None, ends_on=None) -> Pilot:
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(
            _("The pilot cannot end before it starts; choose an end date on or after the start."),
            field_errors={"ends_on": [_("Choose a date on or after the start date.")]},
        )
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        require(actor, "procurement.manage_pilot", award, MANAGE_ONLY)
        if award.status != Award.Status.FINAL:
            raise TransitionRefused(_("A pilot starts from a final award."))
        if Pilot.objects.filter(award=award).exists():
            raise TransitionRefused(_("This award already has a pilot."))
        pilot = Pilot.objects.create(
            challenge_id=award.challenge_id, award=award, starts_on=starts_on, ends_on=ends_on
        )
        audit_append(
            obj=pilot,
            transition="plan",
            source="",
            target=pilot.status,
            actor=actor,
            metadata={"challenge_id": award.challenge_id},
        )
        _open_data_milestones(pilot, actor)
    return pilot


def open_data_due_on(pilot: Pilot):
    """When an open-data deliverable is due by default: by the pilot's end, so its review can
    tell whether the data was published; without an end date, 90 days after it starts (or
    after today)."""
    if pilot.ends_on is not None:
        return pilot.ends_on
    return (pilot.starts_on or timezone.localdate()) + OPEN_DATA_DUE_AFTER


def open_data_milestone_title(asset: DataAsset) -> str:
    return _("Publish %(name)s as open data (%(licence)s, %(format)s)") % {
        "name": asset.name,
        "licence": asset.get_licence_display(),
        "format": asset.open_format or _("an open format"),
    }


def _open_data_milestones(pilot: Pilot, actor) -> None:
    """Each dataset the record promises as open data becomes a milestone of the pilot. A
    confidential row is left out: its milestone would be public on the outcomes page."""
    assets = DataAsset.objects.filter(
        record__challenge_id=pilot.challenge_id, open_data=True, confidential=False
    ).order_by("order", "pk")
    due_on = open_data_due_on(pilot)
    for asset in assets:
        milestone = Milestone.objects.create(
            pilot=pilot,
            title=open_data_milestone_title(asset)[:200],
            due_on=due_on,
            open_dataset=asset,
        )
        audit_created(
            obj=milestone, actor=actor, fields=("title", "due_on", "open_dataset"), **_filed(pilot)
        )


@transaction.atomic
def milestone_reschedule(*, milestone: Milestone, actor, due_on) -> Milestone:
    """Move a milestone's due date (an open-data deliverable's default date, or an agreed
    change), while it is not done."""
    _editable(milestone.pilot, actor)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise TransitionRefused(
            _("This milestone was done on %(date)s; its due date stays as it was.")
            % {"date": format_day(milestone.done_on)}
        )
    if due_on is None:
        raise InvalidInput(
            _("Give the new due date."), field_errors={"due_on": [_("Give the new due date.")]}
        )
    before = audit_values(milestone, ("due_on",))
    milestone.due_on = due_on
    milestone.save(update_fields=["due_on"])
    audit_change(
        obj=milestone,
        actor=actor,
        action="update",
        changes=audit_diff(before, milestone),
        **_filed(milestone.pilot),
    )
    return milestone


@transaction.atomic
def milestone_add(*, pilot: Pilot, actor, title: str, due_on) -> Milestone:
    pilot = _editable(pilot, actor)
    milestone = Milestone(pilot=pilot, title=(title or "").strip(), due_on=due_on)
    _full_clean(milestone)
    milestone.save()
    audit_created(obj=milestone, actor=actor, fields=("title", "due_on"), **_filed(pilot))
    return milestone


@transaction.atomic
def milestone_mark_done(*, milestone: Milestone, actor, done_on) -> Milestone:
    _editable(milestone.pilot, actor)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise TransitionRefused(
            _("This milestone was already marked done on %(date)s.")
            % {"date": format_day(milestone.done_on)}
        )
    if done_on is None:
        raise InvalidInput(
            _("Give the date the milestone was done."),
            field_errors={"done_on": [_("Give the date the milestone was done.")]},
        )
    # A milestone is marked done once it is, not in advance: the record is what happened.
    if done_on > timezone.localdate():
        raise InvalidInput(
            _("A milestone cannot be done in the future; mark it done on the day it is met."),
            field_errors={"done_on": [_("Choose today or an earlier date.")]},
        )
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit_change(
        obj=milestone,
        actor=actor,
        action="done",
        changes={"done_on": (None, done_on)},
        **_filed(milestone.pilot),
    )
    milestone_done(milestone=milestone)
    return milestone


@transaction.atomic
def indicator_add(*, pilot: Pilot, actor, **data) -> OutcomeIndicator:
    pilot = _editable(pilot, actor)
    indicator = OutcomeIndicator(
        pilot=pilot,
        success_measure=data.pop("success_measure", None) or pilot.challenge.success_measures,
    )
    for field in ("name", "unit", "baseline", "target"):
        setattr(indicator, field, data.get(field))
    _full_clean(indicator)
    indicator.save()
    audit_created(
        obj=indicator,
        actor=actor,
        fields=("name", "unit", "baseline", "target", "success_measure"),
        **_filed(pilot),
    )
    return indicator


@transaction.atomic
def measurement_record(
    *, indicator: OutcomeIndicator, actor, value, measured_on, source_note: str
) -> Measurement:
    pilot = _editable(indicator.pilot, actor)
    if pilot.status == Pilot.Status.PLANNED:
        raise TransitionRefused(_("Measurements are recorded once the pilot is active."))
    measurement = Measurement(
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        source_note=(source_note or "").strip(),
        recorded_by=actor,
    )
    _full_clean(measurement)
    measurement.save()
    audit_created(
        obj=measurement,
        actor=actor,
        fields=("indicator", "value", "measured_on", "source_note"),
        **_filed(pilot),
    )
    return measurement


def pilot_transition(*, pilot: Pilot, actor, name: str, reason: str = "") -> Pilot:
    """start, open_review, adopt, conclude or terminate."""
    return transition_run(instance=pilot, name=name, actor=actor, reason=reason)


@transaction.atomic
def pilot_end(
    *,
    pilot: Pilot,
    actor,
    name: str,
    lessons_learned: str,
    reason: str = "",
    data_terms_kept: str | None = None,
    data_terms_note: str | None = None,
) -> Pilot:
    """End the pilot (adopt, conclude, terminate) with its lessons-learned summary and, when the
    challenge has a data governance record, whether the contract's data terms were kept."""
    if name not in ("adopt", "conclude", "terminate"):
        raise InvalidInput(_("This is not a way to end a pilot."))
    pilot = _editable(pilot, actor)
    fields = {"lessons_learned": (lessons_learned or "").strip()}
    if data_terms_kept is not None:
        if data_terms_kept not in ("", *DATA_TERMS_ANSWERS):
            raise InvalidInput(
                _("Answer yes, partly or no."),
                field_errors={"data_terms_kept": [_("Answer yes, partly or no.")]},
            )
        fields["data_terms_kept"] = data_terms_kept
    if data_terms_note is not None:
        fields["data_terms_note"] = data_terms_note.strip()
    kept = fields.get("data_terms_kept", pilot.data_terms_kept)
    note = fields.get("data_terms_note", pilot.data_terms_note)
    if kept in ("partly", "no") and not note.strip():
        raise InvalidInput(
            _("Say which data terms were not kept, and what was done about it."),
            field_errors={
                "data_terms_note": [_("Say which data terms were not kept, and what was done.")]
            },
        )
    before = audit_values(pilot, tuple(fields))
    Pilot.objects.filter(pk=pilot.pk).update(**fields)
    pilot.refresh_from_db()
    audit_change(obj=pilot, actor=actor, action="update", changes=audit_diff(before, pilot))
    return transition_run(instance=pilot, name=name, actor=actor, reason=reason)
