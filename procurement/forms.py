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
