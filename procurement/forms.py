from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Notification


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of messages"),
        choices=settings.LANGUAGES,
        help_text=_("Notifications and emails are written in this language."),
    )
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an email when"),
        choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Everything also appears in your inbox on this site."),
    )


class RecommendForm(forms.Form):
    proposal = forms.ModelChoiceField(
        label=_("Proposal to recommend"),
        queryset=None,
        empty_label=None,
        help_text=_("The best ranked proposal is chosen first."),
    )
    reason = forms.CharField(
        label=_("Why this proposal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the proposal is not ranked first."),
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].label_from_instance = lambda p: str(p.vendor)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DebriefForm(forms.Form):
    message = forms.CharField(
        label=_("What you would like explained"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4)
    measured_on = forms.DateField(
        label=_("Measured on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source_note = forms.CharField(label=_("Source"), max_length=300)


class PilotStepForm(forms.Form):
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required to end the pilot: what worked, what did not, what comes next."),
    )
