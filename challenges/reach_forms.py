"""Forms of the reach page: a target per priority group, and why targets were not met."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .reach_services import TARGET_MAX


class ReachTargetsForm(forms.Form):
    """One number box per offered group; empty means no target for that group. `targets`: the
    current target of each group, by the group's id."""

    def __init__(self, *args, groups, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            self.fields[self.field_name(group)] = forms.IntegerField(
                label=group.name,
                required=False,
                min_value=1,
                max_value=TARGET_MAX,
                initial=targets.get(group.pk),
                widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
                error_messages={
                    "min_value": _(
                        "A target is at least one person; leave it empty for no target."
                    ),
                },
            )

    @staticmethod
    def field_name(group) -> str:
        return f"group_{group.pk}"

    def targets(self) -> dict:
        return {group: self.cleaned_data.get(self.field_name(group)) for group in self.groups}


class ReachGapReasonForm(forms.Form):
    reach_gap_reason = forms.CharField(
        label=_("Why the reach targets were not met"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The approver reads this beside the gap. Say what was tried and how the city will "
            "reach these groups later. Leave it empty to take it back."
        ),
    )
