"""Evaluation's deadlines in the pipeline: evaluators' reminders, assignment notices, calendars.

Imports run one way (evaluation cannot import procurement), so procurement plugs the evaluation
app's panel into its registries here, from `ready()`, when that app's models exist.
"""

from django.apps import apps
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from core.timefmt import format_local

from .audiences import Audience, Target, describe_offset, register_audience
from .calendar import CalendarItem, register_calendar_source
from .message import Message
from .models import Notification
from .services.notifications import notification_create

# Scores can still be given while the evaluation has not reached consensus.
OPEN_EVALUATION_STATES = ("setup", "screening", "scoring")
UNFINISHED_ASSIGNMENT_STATES = ("invited", "accepted")


def _assignment_model():
    try:
        return apps.get_model("evaluation", "PanelAssignment")
    except LookupError:
        return None


def evaluator_targets(assignment) -> list[Target]:
    if (
        assignment.status not in UNFINISHED_ASSIGNMENT_STATES
        or assignment.evaluation.status not in OPEN_EVALUATION_STATES
        or assignment.evaluation.challenge.status == "cancelled"
        or not assignment.due_at
    ):
        return []
    return [Target(assignment.evaluator_id, "scores_due", assignment.due_at)]


def evaluator_message(assignment, target: Target, offset) -> Message:
    challenge = assignment.evaluation.challenge
    return Message(
        title=_("%(left)s left to submit your scores for %(reference)s")
        % {"left": describe_offset(offset), "reference": challenge.reference},
        body=_(
            "Your scores for %(challenge)s are due %(due)s. Declare any conflict of interest, "
            "then score every proposal and submit."
        )
        % {"challenge": challenge, "due": format_local(target.deadline_at)},
        link=challenge.get_absolute_url(),
    )


def assignment_notice(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    challenge = instance.evaluation.challenge
    notification_create(
        recipient=instance.evaluator,
        kind=Notification.Kind.PANEL_ASSIGNMENT,
        message=lambda: Message(
            title=_("You are invited to evaluate %(reference)s")
            % {"reference": challenge.reference},
            body=_(
                "You were assigned to the evaluation panel of %(challenge)s. Your scores are due "
                "%(due)s."
            )
            % {"challenge": challenge, "due": format_local(instance.due_at)},
            link=challenge.get_absolute_url(),
        ),
        dedupe_key=f"panel_assignment:{instance.pk}",
    )


def evaluator_due_dates(user):
    PanelAssignment = _assignment_model()
    assignments = (
        PanelAssignment.objects.filter(
            evaluator=user,
            status__in=UNFINISHED_ASSIGNMENT_STATES,
            evaluation__status__in=OPEN_EVALUATION_STATES,
        )
        .select_related("evaluation__challenge")
        .order_by("pk")
    )
    for assignment in assignments:
        challenge = assignment.evaluation.challenge
        yield CalendarItem(
            uid=f"panel-assignment-{assignment.pk}-scores_due",
            summary=_("Scores due: %(reference)s") % {"reference": challenge.reference},
            at=assignment.due_at,
            url=challenge.get_absolute_url(),
        )


def register_evaluation_hooks() -> bool:
    PanelAssignment = _assignment_model()
    if PanelAssignment is None:
        return False
    register_audience(
        Audience(
            name="evaluator_unsubmitted",
            subject_model=PanelAssignment._meta.label,
            targets=evaluator_targets,
            message=evaluator_message,
            triggers={
                PanelAssignment._meta.label: lambda assignment: [assignment],
                "evaluation.Evaluation": lambda evaluation: list(evaluation.assignments.all()),
            },
        )
    )
    post_save.connect(
        assignment_notice, sender=PanelAssignment, dispatch_uid="procurement_panel_assignment"
    )
    register_calendar_source(evaluator_due_dates)
    return True
