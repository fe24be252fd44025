"""Forms of the "you said, we did" page (docs/engagement.md). The services check the rules
again; these only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import InputTheme
from .theme_services import THEME_FIELDS

BOTH_LANGUAGES_HELP = _("Write it in English, in French or in both; readers see their language.")


class ThemeForm(forms.ModelForm):
    class Meta:
        model = InputTheme
        fields = THEME_FIELDS
        labels = {
            "title_en": _("Theme (English)"),
            "title_fr": _("Theme (French)"),
            "you_said_en": _("You said (English)"),
            "you_said_fr": _("You said (French)"),
            "outcome": _("What it changed"),
            "we_did_en": _("We did (English)"),
            "we_did_fr": _("We did (French)"),
        }
        help_texts = {
            "title_en": BOTH_LANGUAGES_HELP,
            "you_said_en": _("What residents said on this theme, in a few sentences."),
            "we_did_en": _("What changed, or why nothing did."),
        }
        widgets = {
            "you_said_en": forms.Textarea(attrs={"rows": 3}),
            "you_said_fr": forms.Textarea(attrs={"rows": 3, "lang": "fr"}),
            "we_did_en": forms.Textarea(attrs={"rows": 3}),
            "we_did_fr": forms.Textarea(attrs={"rows": 3, "lang": "fr"}),
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in THEME_FIELDS:
            self.fields[name].required = name == "outcome"
        self.fields["title_en"].widget.attrs.setdefault("lang", "en")
        self.fields["you_said_en"].widget.attrs.setdefault("lang", "en")
        self.fields["we_did_en"].widget.attrs.setdefault("lang", "en")

    def _post_clean(self):
        # The service checks the model and puts each message on its field.
        pass


class InputThemeChoiceForm(forms.Form):
    """The theme one contribution is grouped under ("" for none)."""

    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("No theme")), *((t.pk, t.title) for t in themes)]
