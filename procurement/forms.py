from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.forms import LocalDateTimeField

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


class EndWithoutAwardForm(forms.Form):
    reason = forms.CharField(
        label=_("Why no proposal is awarded"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Vendors who took part read this reason."),
    )


class DebriefForm(forms.Form):
    message = forms.CharField(
        label=_("What you would like explained"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )


class DebriefScheduleForm(forms.Form):
    scheduled_for = LocalDateTimeField(label=_("Date and time"), required=False)
    location = forms.CharField(
        label=_("Place or link"),
        help_text=_("A room and address, or the link to the video call."),
        max_length=500,
        required=False,
    )


class DebriefHeldForm(forms.Form):
    note = forms.CharField(
        label=_("Notes from the debrief (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
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
    # Asked when the challenge has a data governance record (Pilot.end_problems).
    data_terms_kept = forms.ChoiceField(
        label=_("Were the contract's data terms kept?"),
        choices=[
            ("", _("Choose an answer")),
            ("yes", _("Yes, all of them")),
            ("partly", _("Partly")),
            ("no", _("No")),
        ],
        required=False,
        help_text=_(
            "Ownership, residency, retention, sharing, open data and exit, as the contract "
            "set them."
        ),
    )
    data_terms_note = forms.CharField(
        label=_("What happened to the data terms"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("Required when they were not all kept: which ones, and what was done."),
    )


class DateInput(forms.DateInput):
    """A browser date picker; its value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PilotPlanForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    ends_on = forms.DateField(
        label=_("Ends"),
        required=False,
        widget=DateInput(),
        help_text=_("On or after the start date. Both dates can be left open."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        widget=DateInput(),
        help_text=_("Today or an earlier date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["done_on"].initial = today
        self.fields["done_on"].widget.attrs["max"] = today.isoformat()


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"), max_length=40, help_text=_("For example: % of income, homes, kWh.")
    )
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=14,
        decimal_places=4,
        help_text=_("The value before the pilot."),
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=4,
        help_text=_("The value the pilot aims for; it differs from the baseline."),
    )
    success_measure = forms.CharField(
        label=_("Success measure"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The success measure of the challenge this indicator shows; narrow it down."),
    )


class ContractForm(forms.Form):
    value = forms.DecimalField(
        label=_("Value (CAD)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("The contract's total value; it starts as the awarded price."),
    )
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    ends_on = forms.DateField(
        label=_("Ends"), required=False, widget=DateInput(), help_text=_("On or after the start.")
    )
    signed_on = forms.DateField(
        label=_("Signed on"),
        required=False,
        widget=DateInput(),
        help_text=_("The day both parties had signed; today or an earlier date."),
    )


class ContractTermForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=())
    text = forms.CharField(
        label=_("Term"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Seen by municipal staff only, never published."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ContractTerm

        self.fields["topic"].choices = ContractTerm.Topic.choices


class MilestoneDueForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())
