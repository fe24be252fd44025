"""The residents' input form: the same for everyone, signed in or not."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CommunityInput, PriorityGroup

# Named like a field people expect, so that robots fill it; people never see it.
HONEYPOT_FIELD = "website"


class PriorityGroupChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ResidentInputForm(forms.ModelForm):
    groups = PriorityGroupChoices(
        label=_("Groups you belong to (optional)"),
        help_text=_(
            "It helps the city see whom it heard and whom it missed. It is never published."
        ),
        queryset=PriorityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_to_publish = forms.BooleanField(
        label=_("The city may publish my input on this page"),
        help_text=_(
            "Without this, the city still receives your input and reads it, but never publishes it."
        ),
        required=False,
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = CommunityInput
        fields = ("kind", "body", "author_name", "neighbourhood", "groups", "consent_to_publish")
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "author_name": _("Shown with your input only if you let the city publish it."),
        }

    def __init__(self, *args, stage=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = PriorityGroup.objects.filter(active=True)
        if stage == "pilot":
            self.fields["body"].label = _("Your feedback on the pilot")

    @property
    def is_robot(self) -> bool:
        """The hidden field was filled: a person never sees it."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["groups"] = list(data["groups"])
        return data
