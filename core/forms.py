from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from core.languages import IN_LANGUAGE, content_languages, in_both_languages, one_language_message


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send password resets and notifications here."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this address. Sign in, or reset your password.")
            )
        return email


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you recognize it later: “Submission script”."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=format_lazy(
            _("Optional; local time in {zone}. Without one, the token works until you revoke it."),
            zone=timezone.get_default_timezone_name(),
        ),
    )


BOTH_LANGUAGES_HELP = _("Write it in English, in French or in both; readers see their language.")


class BothLanguagesMixin:
    """A model form asking its translated fields in each official language (`<field>_en`,
    `<field>_fr`, listed in Meta.fields). `both_languages`: the translated fields; of those,
    `one_language_required`: the ones that need a text in at least one language."""

    both_languages: tuple[str, ...] = ()
    one_language_required: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for index, field in enumerate(self.both_languages):
            model_field = model._meta.get_field(field)
            for code in content_languages():
                form_field = self.fields.get(f"{field}_{code}")
                if form_field is None:
                    continue
                form_field.required = False
                form_field.label = format_lazy(
                    IN_LANGUAGE[code], name=capfirst(model_field.verbose_name)
                )
                form_field.widget.attrs["lang"] = code
                # The help is said once, on the first language's box.
                form_field.help_text = model_field.help_text if code == "en" else ""
                if index == 0 and code == "en" and not form_field.help_text:
                    form_field.help_text = BOTH_LANGUAGES_HELP

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        for field in self.one_language_required:
            names = in_both_languages(field)
            if not any(name in self.fields for name in names):
                continue
            if not any((cleaned.get(name) or "").strip() for name in names):
                self.add_error(names[0], one_language_message(model, field))
        return cleaned
