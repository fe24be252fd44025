"""The documents page's forms. They validate input; the services decide and write."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import Document

ADDENDUM_PREFIX = "addendum-"


def place_choices(*, states: dict, draft_addenda) -> list[tuple[str, str]]:
    """The places that take documents now. The data governance record, once fixed, still takes
    a privacy impact assessment, and says so."""
    labels = dict(Document.AttachedTo.choices)
    choices = []
    for value in (Document.AttachedTo.CHALLENGE, Document.AttachedTo.GOVERNANCE):
        state = states[value]
        if state.open:
            choices.append((value, labels[value]))
        elif value == Document.AttachedTo.GOVERNANCE:
            choices.append((value, _("Data governance record (privacy impact assessment only)")))
    for addendum in draft_addenda:
        choices.append(
            (
                f"{ADDENDUM_PREFIX}{addendum.pk}",
                format_lazy(_("Draft addendum “{title}”"), title=addendum.title),
            )
        )
    for value in (Document.AttachedTo.CONTRACT, Document.AttachedTo.PILOT):
        if states[value].open:
            choices.append((value, labels[value]))
    return choices


class DocumentAttachForm(forms.Form):
    place = forms.ChoiceField(
        label=_("Attach to"),
        error_messages={"required": _("Choose what the document is attached to.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={
            "required": _("Give the document a title, for example “Traffic counts 2025”.")
        },
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Document.Kind.choices,
        error_messages={"required": _("Choose the type of document.")},
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_(
            "Seen by municipal staff only, never published. Say why below (the service refuses "
            "a confidential document without a reason)."
        ),
    )
    confidential_reason = forms.CharField(
        label=_("Why it is confidential"), max_length=300, required=False
    )
    # Empty files, sizes and types are checked by the service (core.files), in its own words.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        max_length=1000,
        error_messages={"required": _("Choose a file to upload.")},
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = list(places)
        self.fields["file"].help_text = format_lazy(
            "{} {}",
            _(
                "PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument, plain text, CSV, JSON or "
                "GeoJSON; checked by content, not by name, and data files must parse."
            ),
            _("At most %(limit)s.") % {"limit": filesizeformat(settings.VENDOR_DOCUMENT_MAX_BYTES)},
        )

    def chosen_place(self) -> tuple[str, int | None]:
        """(attached_to, addendum pk) from the chosen place."""
        value = self.cleaned_data["place"]
        if value.startswith(ADDENDUM_PREFIX):
            return Document.AttachedTo.ADDENDUM, int(value.removeprefix(ADDENDUM_PREFIX))
        return value, None


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=300,
        required=False,
        help_text=_("Shown beside the document, which stays listed as withdrawn."),
    )
