"""Forms for the challenge pages. They validate input; the services decide and write."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import BothLanguagesMixin
from core.languages import in_both_languages
from core.predicates import is_admin, is_approver, is_staff_member

from .models import (
    Addendum,
    Challenge,
    Department,
    EngagementActivity,
    PartnerOrganization,
    Question,
    ResponseQuestion,
)
from .services import STATEMENT_TRANSLATED

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

# Transitions whose service refuses to run without a reason.
REASON_REQUIRED = frozenset({"request_changes", "cancel"})

# The steps the challenge page offers. Awarded and not awarded follow from the award (its own
# page), so they are not among them.
TRANSITION_LABELS = {
    "open_co_design": _("Open co-design"),
    "submit_for_review": _("Submit for review"),
    "request_changes": _("Request changes"),
    "approve": _("Approve"),
    "publish": _("Publish"),
    "close": _("Close"),
    "start_evaluation": _("Start evaluation"),
    "cancel": _("Cancel the challenge"),
}


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input, read in the municipality's zone (the active time zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", LOCAL_INPUT_FORMATS)
        kwargs.setdefault(
            "help_text",
            format_lazy(_("Local time in {zone}."), zone=timezone.get_default_timezone_name()),
        )
        super().__init__(**kwargs)


def _min_value(field, minimum, message):
    field.validators.append(MinValueValidator(minimum, message=message))
    field.widget.attrs["min"] = minimum


class BoardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    mine = forms.BooleanField(label=_("Only my challenges"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Slugs and names only, read once: the select renders them without another query.
        self.departments = tuple(Department.objects.order_by("name").values_list("slug", "name"))
        self.fields["department"].choices = [("", _("Any department")), *self.departments]
        internal = is_staff_member(user) or is_approver(user) or is_admin(user)
        if internal:
            statuses = Challenge.Status.choices
        else:
            public = {*Challenge.PUBLIC_STATES, Challenge.Status.CANCELLED}
            statuses = [choice for choice in Challenge.Status.choices if choice[0] in public]
        self.fields["status"].choices = [("", _("Any status")), *statuses]
        if not is_staff_member(user):
            del self.fields["mine"]

    def filters(self) -> dict:
        """The valid filters; a bad value in one field is ignored rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "department": data.get("department") or "",
            "mine": bool(data.get("mine")),
        }

    def content_key(self) -> str:
        """What the rendered form depends on: the values asked for and the choices offered."""
        return repr(
            (
                sorted(self.data.lists()),
                list(self.fields),
                [value for value, _label in self.fields["status"].choices],
                self.departments,
            )
        )


class ChallengeStatementForm(BothLanguagesMixin, forms.ModelForm):
    both_languages = STATEMENT_TRANSLATED
    one_language_required = ("title",)

    class Meta:
        model = Challenge
        fields = (
            *in_both_languages("title", "summary"),
            "department",
            *in_both_languages("problem", "context", "desired_outcomes"),
            "constraints",
            *in_both_languages("success_measures"),
            "affected_communities",
            "budget_min",
            "budget_max",
        )
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                *in_both_languages("problem", "context", "desired_outcomes", "success_measures"),
                "constraints",
                "affected_communities",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("budget_min", "budget_max"):
            _min_value(self.fields[name], 0, _("The budget cannot be negative."))


class TimelineForm(forms.Form):
    questions_deadline = LocalDateTimeField(label=_("Questions deadline"))
    submission_deadline = LocalDateTimeField(label=_("Submission deadline"))

    def clean(self):
        cleaned = super().clean()
        questions = cleaned.get("questions_deadline")
        submission = cleaned.get("submission_deadline")
        now = timezone.now()
        for name in ("questions_deadline", "submission_deadline"):
            if cleaned.get(name) and cleaned[name] <= now:
                self.add_error(name, _("Choose a moment in the future."))
        if questions and submission and questions >= submission:
            self.add_error(
                "questions_deadline",
                _("The questions deadline must come before the submission deadline."),
            )
        return cleaned


class EngagementActivityForm(forms.ModelForm):
    """An activity with its participants per priority group (blank: not recorded) and its
    co-hosts among the challenge's partners; the summary in either official language or both."""

    class Meta:
        model = EngagementActivity
        fields = (
            "kind",
            "held_on",
            "stage",
            "participants",
            "summary_en",
            "summary_fr",
            "groups_reached",
            "partners",
        )
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "summary_fr": forms.Textarea(attrs={"rows": 4, "lang": "fr"}),
            "partners": forms.CheckboxSelectMultiple,
        }
        labels = {
            "summary_en": _("Summary in English"),
            "summary_fr": _("Summary in French"),
            "participants": _("Participants in all"),
        }
        help_texts = {
            "summary_en": _(
                "What you heard and what it changed. Write it in English, French or both."
            ),
        }

    def __init__(self, *args, challenge, **kwargs):
        from .reach import default_stage
        from .reach_selectors import active_priority_groups

        super().__init__(*args, **kwargs)
        self.challenge = challenge
        _min_value(self.fields["participants"], 1, _("An activity has at least one participant."))
        self.fields["stage"].initial = default_stage(challenge)
        self.fields["stage"].required = False
        self.fields["summary_en"].required = False
        self.fields["summary_fr"].required = False
        partners = self.fields["partners"]
        partners.queryset = PartnerOrganization.objects.filter(
            partnerships__challenge=challenge
        ).order_by("name")
        partners.label = _("Co-hosted with (optional)")
        self.groups = list(active_priority_groups())
        for group in self.groups:
            field = forms.IntegerField(
                label=group.name,
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            )
            self.fields[self.group_field(group)] = field
        if not partners.queryset.exists():
            del self.fields["partners"]

    @staticmethod
    def group_field(group) -> str:
        return f"group_{group.pk}"

    def group_fields(self):
        return [self[self.group_field(group)] for group in self.groups]

    def main_fields(self):
        return [field for field in self if not field.name.startswith("group_")]

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("summary_en") or "").strip()
            and not (cleaned.get("summary_fr") or "").strip()
        ):
            self.add_error("summary_en", _("Write the summary in English, in French or in both."))
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        names = ("kind", "held_on", "stage", "participants", "groups_reached")
        result = {name: data[name] for name in names if data.get(name) not in (None, "")}
        result["groups_reached"] = data.get("groups_reached") or ""
        result["summary_en"] = data.get("summary_en") or ""
        result["summary_fr"] = data.get("summary_fr") or ""
        result["reach"] = {group: data.get(self.group_field(group)) for group in self.groups}
        result["partners"] = list(data.get("partners") or [])
        return result


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ("body",)
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Your question")}
        help_texts = {
            "body": _("The answer is published to everyone; your name and company are not.")
        }


class AnswerForm(BothLanguagesMixin, forms.ModelForm):
    both_languages = ("answer",)
    one_language_required = ("answer",)

    class Meta:
        model = Question
        fields = in_both_languages("answer")
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in in_both_languages("answer")}

    def _post_clean(self):
        # The service checks the answer and puts each message on its field.
        pass


class ReasonForm(forms.Form):
    """A reason for a refusal or a step that needs one; the service says when it is required."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModerationForm(ReasonForm):
    PUBLISH = "publish"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(PUBLISH, _("Publish")), (REJECT, _("Do not publish"))],
        widget=forms.HiddenInput,
    )


class AddendumForm(BothLanguagesMixin, forms.ModelForm):
    both_languages = ("title", "body")
    one_language_required = ("title", "body")
    new_questions_deadline = LocalDateTimeField(
        label=_("New questions deadline (optional)"), required=False
    )
    new_submission_deadline = LocalDateTimeField(
        label=_("New submission deadline (optional)"), required=False
    )

    class Meta:
        model = Addendum
        fields = (
            *in_both_languages("title", "body"),
            "changes_terms",
            "new_questions_deadline",
            "new_submission_deadline",
        )
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in in_both_languages("body")}


class ResponseQuestionForm(forms.ModelForm):
    class Meta:
        model = ResponseQuestion
        fields = ("prompt", "guidance", "required", "max_words")
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "prompt": _("One question, as vendors will read it."),
            "required": _("A proposal cannot be submitted without an answer to this question."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _min_value(
            self.fields["max_words"],
            1,
            _("A word limit is at least one word; leave it empty for no limit."),
        )
        self.fields["max_words"].label = _("Word limit (optional)")


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )


def apply_service_errors(form, error) -> None:
    """Show a service's InvalidInput on the form: field errors on their fields, and on top the
    sentences that say more than the field errors (what to do next)."""
    placed = set()
    for name, messages in error.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed.add(message)
    for message in error.messages:
        if message not in placed:
            form.add_error(None, message)
