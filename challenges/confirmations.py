"""The challenge's one-way steps and what a person is told before taking them (core/confirm.py)."""

from django.utils.translation import gettext_lazy as _

from core.confirm import OneWayStep, register


def _challenge(challenge) -> dict:
    return {"reference": challenge.reference, "title": challenge.title}


def _addendum(addendum) -> dict:
    return {"title": addendum.title}


def _addendum_also(addendum) -> list:
    also = []
    if addendum.new_submission_deadline or addendum.new_questions_deadline:
        also.append(_("The new deadlines it sets replace the current ones."))
    if addendum.is_material:
        also.append(
            _(
                "Vendors who already submitted a proposal must re-confirm it before the "
                "submission deadline, or it will not be received."
            )
        )
    return also


APPROVE = OneWayStep(
    key="challenges.approve",
    title=_("Approve %(reference)s?"),
    happens=(
        _("The challenge is approved in your name, and the approval is kept in its history."),
        _("Its owner can then publish it to vendors and residents."),
    ),
    final=(
        _(
            "An approval cannot be withdrawn: to stop the challenge after this, its owner "
            "would have to cancel it."
        ),
    ),
    button=_("Yes, approve the challenge"),
    facts=_challenge,
)

PUBLISH = OneWayStep(
    key="challenges.publish",
    title=_("Publish %(reference)s?"),
    happens=(
        _("The challenge appears on the public board, with its statement and timeline."),
        _("Vendors can ask questions and submit proposals until the submission deadline."),
        _("The evaluation plan is frozen and its digest is shown publicly."),
    ),
    final=(
        _(
            "A published challenge cannot return to draft: from now on its terms and dates "
            "change only by an addendum that every vendor sees."
        ),
    ),
    button=_("Yes, publish the challenge"),
    facts=_challenge,
)

CLOSE = OneWayStep(
    key="challenges.close",
    title=_("Close %(reference)s to proposals?"),
    happens=(
        _("No proposal can be submitted after this."),
        _("Submitted proposals are received for evaluation; unfinished drafts lapse."),
    ),
    final=(_("A closed challenge cannot take proposals again."),),
    button=_("Yes, close the challenge"),
    facts=_challenge,
)

CANCEL = OneWayStep(
    key="challenges.cancel",
    title=_("Cancel %(reference)s?"),
    happens=(
        _("The challenge stops here; its public page says it was cancelled and gives your reason."),
        _("Vendors who took part are told, and their proposals are cancelled with it."),
    ),
    final=(
        _("A cancelled challenge cannot be reopened: to run it again, create a new challenge."),
    ),
    button=_("Yes, cancel the challenge"),
    destructive=True,
    facts=_challenge,
)

ADDENDUM_ISSUE = OneWayStep(
    key="challenges.addendum_issue",
    title=_("Issue the addendum “%(title)s”?"),
    happens=(
        _(
            "It is numbered and published on the challenge page for every vendor and "
            "resident, and the vendors concerned are told."
        ),
    ),
    also=_addendum_also,
    final=(
        _("An issued addendum cannot be edited or withdrawn: a correction needs another addendum."),
    ),
    button=_("Yes, issue the addendum"),
    facts=_addendum,
)

register(APPROVE, PUBLISH, CLOSE, CANCEL, ADDENDUM_ISSUE)
