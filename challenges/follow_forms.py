from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FollowByEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link to confirm it; nothing else until you do."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
