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
from core.permissions import require

from .. import selectors

# Challenges listed per stage; the board lists them all.
STAGE_LIMIT = 10
# Overdue steps and upcoming deadlines shown per list.
DEADLINE_LIMIT = 50
UPCOMING_DAYS = 14
SEARCH_MAX_LENGTH = 200

# The chart's geometry, in SVG user units.
CHART_LABEL_WIDTH = 170
CHART_BAR_WIDTH = 300
CHART_ROW_HEIGHT = 24
CHART_BAR_HEIGHT = 16


def _stage_chart(stages) -> dict:
    """One bar per stage, as long as its share of the largest stage."""
    largest = max((stage["count"] for stage in stages), default=0) or 1
    bars = []
    for index, stage in enumerate(stages):
        y = index * CHART_ROW_HEIGHT + 4
        width = round(CHART_BAR_WIDTH * stage["count"] / largest, 1)
        bars.append(
            {
                "stage": stage,
                "y": y,
                "text_y": y + CHART_BAR_HEIGHT - 3,
                "width": width,
                "value_x": CHART_LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 40,
        "height": len(stages) * CHART_ROW_HEIGHT + 8,
        "label_width": CHART_LABEL_WIDTH,
        "bar_width": CHART_BAR_WIDTH,
        "bar_height": CHART_BAR_HEIGHT,
    }


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
        "chart": _stage_chart(stages),
        "overdue": overdue[:DEADLINE_LIMIT],
        "overdue_more": len(overdue) > DEADLINE_LIMIT,
        "upcoming": upcoming[:DEADLINE_LIMIT],
        "upcoming_more": len(upcoming) > DEADLINE_LIMIT,
        "upcoming_days": UPCOMING_DAYS,
        "deadline_limit": DEADLINE_LIMIT,
        "stage_limit": STAGE_LIMIT,
    }
    return render(request, "procurement/dashboard.html", context)
