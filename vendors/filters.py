"""Query filters for a vendor's own proposals (the list is already limited to them)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Proposal


class ProposalFilter(django_filters.FilterSet):
    challenge = django_filters.CharFilter(
        field_name="challenge__reference",
        max_length=32,
        help_text=_("Only proposals to the challenge with this reference."),
    )
    status = django_filters.ChoiceFilter(
        choices=Proposal.Status.choices, help_text=_("Only proposals in this state.")
    )
    vendor = django_filters.UUIDFilter(
        field_name="vendor__public_id", help_text=_("Only proposals of this organization.")
    )

    class Meta:
        model = Proposal
        fields = ["challenge", "status", "vendor"]
