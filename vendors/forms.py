"""Forms for the vendor pages. They collect input; the services check it and write.

Sentences about business numbers, postal codes, prices and files come from the services
(vendors.validators, core.files), so a page and the API refuse the same input in the same words.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from challenges.forms import ReasonForm, apply_service_errors

from .models import VendorMembership, VendorOrganization
from .services.organizations import VENDOR_EDITABLE_FIELDS

__all__ = [
    "DocumentForm",
    "InviteForm",
    "ProposalForm",
    "ReasonForm",
    "RoleForm",
    "StartProposalForm",
    "VendorRegistrationForm",
    "apply_service_errors",
]

BREAKDOWN_MAX_LINES = 100
BREAKDOWN_BLANK_LINES = 2
BREAKDOWN_MIN_LINES = 3


class VendorRegistrationForm(forms.Form):
    """The organization's details, labelled as the model labels them."""

    business_number = forms.CharField(
        label=_("Business number"),
        max_length=30,
        help_text=_(
            "The 9-digit business number from the Canada Revenue Agency, with your program "
            "account if you have one (for example 123456782 RT0001)."
        ),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the fields not declared above: the model's own URLField would warn about its
        # default scheme every time the form is built.
        model_fields = forms.fields_for_model(
            VendorOrganization, fields=[n for n in VENDOR_EDITABLE_FIELDS if n not in self.fields]
        )
        ordered = {}
        for name in VENDOR_EDITABLE_FIELDS:
            ordered[name] = self.fields.get(name) or model_fields[name]
        self.fields = ordered
        self.fields["website"].widget.attrs.setdefault("placeholder", "https://")
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["street_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["legal_name"].widget.attrs["autocomplete"] = "organization"

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.checkbox_names()]

    def checkbox_names(self):
        return ("is_local_business", *VendorOrganization.SOCIAL_ATTRIBUTES)

    def social_fields(self):
        return [self[name] for name in VendorOrganization.SOCIAL_ATTRIBUTES]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=VendorMembership.Role.choices,
        initial=VendorMembership.Role.MEMBER,
        help_text=_("Owners can invite and remove people; members work on proposals."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=VendorMembership.Role.choices)


class StartProposalForm(forms.Form):
    vendor = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=VendorOrganization.objects.none(),
        to_field_name="public_id",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your organizations.")},
    )

    def __init__(self, *args, vendors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Document title"),
        max_length=200,
        help_text=_(
            "For example “Work plan”. A new file with the same title replaces the old one."
        ),
        error_messages={"required": _("Give the document a title, for example “Work plan”.")},
    )
    # Empty files, sizes and types are checked by the service (core.files), in its own words.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        max_length=1000,
        help_text=_(
            "PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument, plain text or CSV; "
            "checked by content, not by name."
        ),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            "{} {}",
            self.fields["file"].help_text,
            _("At most %(limit)s.") % {"limit": filesizeformat(settings.VENDOR_DOCUMENT_MAX_BYTES)},
        )


def _answer_help(question) -> str:
    parts = [question.guidance.strip()] if question.guidance.strip() else []
    if question.required:
        parts.append(str(_("An answer is required before you submit.")))
    else:
        parts.append(str(_("Optional.")))
    if question.max_words:
        parts.append(str(_("Limit: %(limit)d words.") % {"limit": question.max_words}))
    return " ".join(parts)


def _word_limit_attrs(question) -> dict:
    """What static/js/word-count.js needs to show a running count under a limited answer."""
    if not question.max_words:
        return {}
    return {
        "data-max-words": question.max_words,
        "data-words-within": _("{count} of {limit} words"),
        "data-words-over": _("{count} words: {over} over the limit of {limit}. Shorten it."),
    }


class ProposalForm(forms.Form):
    """A draft's technical answers and its price envelope, saved together by "Save draft".

    Answers are never required here: a draft may be incomplete; the submit guard says what is
    missing. Amounts stay text so the service can say what is wrong with them.
    """

    amount = forms.CharField(
        label=_("Total price (CAD)"),
        required=False,
        max_length=40,
        help_text=_("In Canadian dollars, taxes included, for example 125000.00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, questions, answers=None, envelope=None, **kwargs):
        answers = answers or {}
        lines = list(envelope.breakdown) if envelope is not None else []
        initial = kwargs.pop("initial", None) or {}
        if envelope is not None:
            initial["amount"] = f"{envelope.amount:.2f}"
        for number, line in enumerate(lines):
            initial[f"line_{number}_label"] = line.get("label", "")
            initial[f"line_{number}_amount"] = line.get("amount", "")
        for question in questions:
            initial[f"answer_{question.pk}"] = answers.get(question.pk, "")
        super().__init__(*args, initial=initial, **kwargs)
        self.questions = list(questions)
        self.has_envelope = envelope is not None
        answer_fields = {}
        for question in self.questions:
            answer_fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.prompt,
                required=False,
                max_length=50000,
                strip=True,
                help_text=_answer_help(question),
                widget=forms.Textarea(attrs={"rows": 6, **_word_limit_attrs(question)}),
            )
        self.fields = {**answer_fields, **self.fields}
        self.line_count = self._line_count(len(lines))
        for number in range(self.line_count):
            self.fields[f"line_{number}_label"] = forms.CharField(
                label=_("Line %(number)d: item") % {"number": number + 1},
                required=False,
                max_length=200,
            )
            self.fields[f"line_{number}_amount"] = forms.CharField(
                label=_("Line %(number)d: amount (CAD)") % {"number": number + 1},
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def _line_count(self, stored: int) -> int:
        count = max(stored + BREAKDOWN_BLANK_LINES, BREAKDOWN_MIN_LINES)
        if self.is_bound:
            posted = [
                int(key.split("_")[1])
                for key in self.data
                if key.startswith("line_") and key.split("_")[1].isdigit()
            ]
            if posted:
                count = max(count, max(posted) + 1)
        return min(count, BREAKDOWN_MAX_LINES)

    def answer_fields(self):
        return [self[f"answer_{q.pk}"] for q in self.questions]

    # The questions the data governance record proposed (governance_key) are grouped apart,
    # under "Data handling"; they are answered in the same sealed technical envelope.
    def general_answer_fields(self):
        return [self[f"answer_{q.pk}"] for q in self.questions if not q.governance_key]

    def data_answer_fields(self):
        return [self[f"answer_{q.pk}"] for q in self.questions if q.governance_key]

    def breakdown_rows(self):
        return [
            (number + 1, self[f"line_{number}_label"], self[f"line_{number}_amount"])
            for number in range(self.line_count)
        ]

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"answer_{q.pk}", "") for q in self.questions}

    def breakdown(self) -> list[dict]:
        lines = []
        for number in range(self.line_count):
            label = self.cleaned_data.get(f"line_{number}_label", "")
            amount = self.cleaned_data.get(f"line_{number}_amount", "")
            if label or amount:
                lines.append({"label": label, "amount": amount})
        return lines

    def price_given(self) -> bool:
        """Whether to save the price envelope: a price was typed, or one exists already."""
        return bool(self.cleaned_data.get("amount") or self.breakdown() or self.has_envelope)
