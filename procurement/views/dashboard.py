"""The staff dashboard: every challenge by stage, overdue work and the deadlines ahead
(DESIGN.md §6). Its queries do not grow with the number of challenges: the stage lists come from
one windowed query, and each kind of deadline from one query."""

from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import Challenge
from core.charts import stage_chart
from core.permissions import require

from .. import selectors

# Challenges listed per stage; the board lists them all.
STAGE_LIMIT = 10
# Overdue steps and upcoming deadlines shown per list.
DEADLINE_LIMIT = 50
UPCOMING_DAYS = 14
SEARCH_MAX_LENGTH = 200


def _board_link(*, status: str, search: str, mine: bool) -> str:
    query = {"status": status}
    if search:
        query["q"] = search
    if mine:
        query["mine"] = "on"
    return f"{reverse('challenges:board')}?{urlencode(query)}"


@login_required
def dashboard(request):
    user = request.user
    require(
        user,
        "procurement.view_dashboard",
        message=_("The dashboard is for municipal staff and approvers."),
    )
    search = (request.GET.get("q") or "").strip()[:SEARCH_MAX_LENGTH]
    mine = bool(request.GET.get("mine"))
    now = timezone.now()

    challenges = selectors.dashboard_challenges(user=user, mine=mine, search=search)
    counts = selectors.dashboard_stage_counts(challenges=challenges)
    listed = defaultdict(list)
    for challenge in selectors.dashboard_stage_challenges(
        challenges=challenges, now=now, per_stage=STAGE_LIMIT
    ):
        listed[challenge.status].append(challenge)
    stages = [
        {
            "status": status,
            "label": label,
            "count": counts.get(status, 0),
            "challenges": listed[status],
            "more": counts.get(status, 0) > len(listed[status]),
            "board_link": _board_link(status=status, search=search, mine=mine),
        }
        for status, label in Challenge.Status.choices
    ]

    overdue = selectors.dashboard_overdue(challenges=challenges, now=now, limit=DEADLINE_LIMIT)
    upcoming = selectors.dashboard_upcoming(
        challenges=challenges, now=now, days=UPCOMING_DAYS, limit=DEADLINE_LIMIT
    )
    context = {
        "now": now,
        "search": search,
        "mine": mine,
        "filtered": bool(search or mine),
        "total": sum(counts.values()),
        "stages": stages,
        "chart": stage_chart(stages) if counts else None,
        "overdue": overdue[:DEADLINE_LIMIT],
        "overdue_more": len(overdue) > DEADLINE_LIMIT,
        "upcoming": upcoming[:DEADLINE_LIMIT],
        "upcoming_more": len(upcoming) > DEADLINE_LIMIT,
        "upcoming_days": UPCOMING_DAYS,
        "deadline_limit": DEADLINE_LIMIT,
        "stage_limit": STAGE_LIMIT,
    }
    return render(request, "procurement/dashboard.html", context)
