"""Query filters for the challenge list.

The filter set validates and documents the parameters; `selectors.challenge_board` applies them, so
the board page and the API filter the same way and see the same challenges.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Challenge
from .selectors import challenge_board


class ChallengeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Challenge.Status.choices, help_text=_("Only challenges in this state.")
    )
    department = django_filters.CharFilter(
        max_length=60, help_text=_("Only challenges of the department with this slug.")
    )
    q = django_filters.CharFilter(
        max_length=200,
        help_text=_("Words in the title, summary or problem, or an exact reference."),
    )
    mine = django_filters.BooleanFilter(help_text=_("Only challenges you own."))

    class Meta:
        model = Challenge
        fields = ["status", "department", "q", "mine"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return challenge_board(
            user=self.request.user,
            search=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            department=data.get("department") or "",
            mine=bool(data.get("mine")),
        )
