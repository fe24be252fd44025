"""Forms of community partners and of input gathered offline (docs/engagement.md)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .input_forms import PriorityGroupChoices
from .input_services import OFFLINE_INPUT_FIELDS, OFFLINE_SOURCES
from .models import ChallengePartner, CommunityInput, PartnerOrganization, PriorityGroup


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OfflineInputForm(forms.ModelForm):
    """Input a resident gave on paper, by phone or in person, typed in as they gave it."""

    source = forms.ChoiceField(
        label=_("How it was gathered"),
        choices=[c for c in CommunityInput.Source.choices if c[0] in OFFLINE_SOURCES],
    )
    partner = PartnerChoice(
        label=_("Gathered by partner (optional)"),
        queryset=PartnerOrganization.objects.none(),
        required=False,
        empty_label=_("The city itself"),
    )
    groups = PriorityGroupChoices(
        label=_("Groups the resident belongs to (optional)"),
        help_text=_("Only the groups the resident named. Never published."),
        queryset=PriorityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_to_publish = forms.BooleanField(
        label=_("The resident agreed that the city may publish it"),
        help_text=_("Without their agreement, the city reads it but never publishes it."),
        required=False,
    )

    class Meta:
        model = CommunityInput
        fields = OFFLINE_INPUT_FIELDS
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "body": _("What the resident said"),
            "author_name": _("Resident's name (optional)"),
            "language": _("Language they used"),
        }
        help_texts = {
            "author_name": _("Shown with the input only if they agreed to its publication."),
        }

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = PriorityGroup.objects.filter(active=True)
        if partners is None:
            # A partner's contact records for their own organization: nothing to choose.
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields}
        data["groups"] = list(data["groups"])
        return data


class PartnerOrganizationForm(forms.ModelForm):
    groups_served = PriorityGroupChoices(
        label=_("Groups they serve"),
        queryset=PriorityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PartnerOrganization
        fields = (
            "name",
            "kind",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "groups_served",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups_served"].queryset = PriorityGroup.objects.filter(active=True)

    def validate_unique(self):
        pass  # the service says it in a sentence


class ChallengePartnerForm(forms.Form):
    partner = PartnerChoice(
        label=_("Partner organization"), queryset=PartnerOrganization.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=ChallengePartner.Role.choices)
    role_note = forms.CharField(
        label=_("What they do (optional)"),
        max_length=300,
        required=False,
        help_text=_("E.g. runs the pop-ups at the food bank, interprets into Arabic."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail of their contact who records input (optional)"),
        required=False,
        help_text=_(
            "The e-mail of an existing account. That person may then record input the partner "
            "gathers on paper, by phone or at a pop-up."
        ),
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerOrganization.objects.exclude(
            partnerships__challenge=challenge
        )
