"""Residents' feedback during the pilot (docs/engagement.md, "Feedback during the pilot").

Feedback is community input filed under the pilot stage: the same form, API, protections and
moderation as co-design input, all in `challenges`. What only this app knows is whether a pilot is
running, so it registers that with `challenges.input_stages`; the challenge page and the API then
take feedback while it runs, and the server files it under the pilot. The pilot's page shows the
feedback beside its indicators; the outcomes page shows what was published.
"""

from django.db.models import Count, Q, Window
from django.urls import reverse

from challenges.forms import ModerationForm
from challenges.input_forms import ResidentInputForm
from challenges.input_stages import register_input_stage
from challenges.models import Challenge, CommunityInput, EngagementStage
from core.pagination import paginate
from core.permissions import can

from .models import Pilot

FEEDBACK_PER_PAGE = 10
OUTCOMES_FEEDBACK_SHOWN = 5


def pilot_input_stage(challenge: Challenge) -> str | None:
    """The pilot stage while the challenge's pilot is running; None otherwise."""
    if challenge.status != Challenge.Status.AWARDED:
        return None
    running = Pilot.objects.filter(challenge_id=challenge.pk, status=Pilot.Status.ACTIVE)
    return EngagementStage.PILOT if running.exists() else None


def register_pilot_feedback() -> None:
    register_input_stage(pilot_input_stage)


def _feedback(challenge: Challenge):
    return CommunityInput.objects.filter(challenge=challenge, stage=EngagementStage.PILOT)


def pilot_feedback_context(request, pilot: Pilot) -> dict:
    """The feedback section of the pilot's page: counts and a page of feedback (pending too, for
    staff, who moderate it there), and the form while the pilot runs."""
    user = request.user
    challenge = pilot.challenge
    staff = can(user, "challenges.view_pending_communityinput", challenge)
    feedback = _feedback(challenge)
    if staff:
        counts = feedback.aggregate(
            published=Count("pk", filter=Q(status=CommunityInput.Status.PUBLISHED)),
            pending=Count("pk", filter=Q(status=CommunityInput.Status.PENDING)),
            rejected=Count("pk", filter=Q(status=CommunityInput.Status.REJECTED)),
        )
        listed = (
            feedback.exclude(status=CommunityInput.Status.REJECTED)
            .select_related("author")
            .only(*_LISTED, "author__username")
            .prefetch_related("groups")
            # Awaiting moderation ("pending") first, then the newest.
            .order_by("status", "-created_at", "-pk")
        )
    else:
        listed = feedback.filter(status=CommunityInput.Status.PUBLISHED).order_by(
            "-created_at", "-pk"
        )
        counts = None
    pager = paginate(request, listed, per_page=FEEDBACK_PER_PAGE, param="feedback")
    moderate = can(user, "challenges.moderate_communityinput", challenge)
    if moderate:
        for item in pager["page"].object_list:
            if item.status == CommunityInput.Status.PENDING:
                item.moderation_form = ModerationForm(auto_id=f"id_input_{item.pk}_%s")
    here = reverse("procurement:pilot", args=[challenge.reference])
    form = None
    if pilot.status == Pilot.Status.ACTIVE and can(
        user, "challenges.add_communityinput", challenge
    ):
        form = ResidentInputForm(stage=EngagementStage.PILOT)
    return {
        "feedback_pager": pager,
        "feedback_counts": counts,
        "feedback_total": pager["page"].paginator.count,
        "feedback_moderate": moderate,
        "feedback_form": form,
        "feedback_next": f"{here}#pilot-feedback",
    }


_LISTED = (
    "id",
    "challenge_id",
    "author_id",
    "author_name",
    "stage",
    "source",
    "consent_to_publish",
    "language",
    "kind",
    "body",
    "neighbourhood",
    "status",
    "created_at",
)


def published_pilot_feedback(challenge: Challenge) -> dict:
    """The newest published feedback for the outcomes page, and how much there is (counted in
    the same query: the window is taken before the limit)."""
    newest = list(
        _feedback(challenge)
        .filter(status=CommunityInput.Status.PUBLISHED)
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:OUTCOMES_FEEDBACK_SHOWN]
    )
    return {
        "pilot_feedback": newest,
        "pilot_feedback_count": newest[0].total if newest else 0,
    }
