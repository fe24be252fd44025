"""Forms for the evaluation pages. They shape input; the services check it and decide.

Field names follow the services' field errors (`points_<criterion id>`, `criterion_<id>`,
`signature`, `no_conflict`, `reason`...), so `apply_service_errors` puts each error on its field.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from challenges.forms import LocalDateTimeField, ReasonForm, apply_service_errors
from core import roles

from .models import Criterion, EvaluationPlan

__all__ = [
    "AssignForm",
    "CriterionForm",
    "DecideForm",
    "DeclarationForm",
    "PlanSettingsForm",
    "ReasonForm",
    "RecuseForm",
    "ScoreForm",
    "ScreeningForm",
    "apply_service_errors",
]

STEP_LABELS = {
    "start_screening": _("Start screening"),
    "start_scoring": _("Start scoring"),
    "open_consensus": _("Open consensus"),
    "lock_consensus": _("Lock consensus"),
    "open_prices": _("Open the price envelopes"),
    "rank": _("Compute the ranking"),
    "decide": _("Decide"),
}
TIE_BREAK_SLOTS = 3


class PlanSettingsForm(forms.Form):
    minimum_technical_score = forms.DecimalField(
        label=_("Minimum technical score"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=EvaluationPlan._meta.get_field("minimum_technical_score").help_text,
    )
    combination = forms.ChoiceField(
        label=_("How scores combine"), choices=EvaluationPlan.Combination.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(none)")), *EvaluationPlan.TieBreak.choices]
        labels = (_("First tie-break"), _("Second tie-break"), _("Third tie-break"))
        for slot in range(TIE_BREAK_SLOTS):
            self.fields[f"tie_break_{slot + 1}"] = forms.ChoiceField(
                label=labels[slot], choices=choices, required=False
            )

    @staticmethod
    def initial_for(plan) -> dict:
        if plan is None:
            return {"minimum_technical_score": 0, "combination": "consensus"}
        initial = {
            "minimum_technical_score": plan.minimum_technical_score,
            "combination": plan.combination,
        }
        for slot, key in enumerate(plan.tie_break_order[:TIE_BREAK_SLOTS]):
            initial[f"tie_break_{slot + 1}"] = key
        return initial

    def tie_break_order(self) -> list[str]:
        keys = [self.cleaned_data.get(f"tie_break_{slot + 1}") for slot in range(TIE_BREAK_SLOTS)]
        return [key for key in keys if key]


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Criterion.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Rated and price criteria; all weights add up to 100."),
    )
    max_points = forms.IntegerField(
        label=_("Maximum points"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Rated criteria only."),
    )
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=1000)

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("order") is None:
            data.pop("order", None)
        return data


class AssignForm(forms.Form):
    evaluator = forms.ModelChoiceField(
        label=_("Evaluator"), queryset=get_user_model().objects.none(), empty_label=_("Choose")
    )
    due_at = LocalDateTimeField(label=_("Scores due"))
    is_chair = forms.BooleanField(label=_("Chair of the panel"), required=False)

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.EVALUATOR, is_active=True)
            .exclude(pk__in=list(exclude))
            .order_by("username")
        )
        self.fields["evaluator"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.get_username()})"
            if user.get_full_name()
            else user.get_username()
        )


class ScreeningForm(forms.Form):
    """Pass or fail and a note per mandatory criterion of the plan."""

    PASS = "pass"
    FAIL = "fail"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            # A select rather than radios: its label is what the error summary links to.
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=_("Result for “%(criterion)s”") % {"criterion": criterion.name},
                choices=[("", _("Choose")), (self.PASS, _("Passed")), (self.FAIL, _("Failed"))],
                required=False,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def pairs(self):
        return [(self[f"criterion_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def results(self) -> dict:
        results = {}
        for criterion in self.criteria:
            choice = self.cleaned_data.get(f"criterion_{criterion.pk}")
            results[criterion.pk] = {
                "passed": {self.PASS: True, self.FAIL: False}.get(choice),
                "note": self.cleaned_data.get(f"note_{criterion.pk}", ""),
            }
        return results


class DeclarationForm(forms.Form):
    no_conflict = forms.BooleanField(
        label=_("I have no conflict of interest with any vendor listed."), required=False
    )
    signature = forms.CharField(
        label=_("Signature (your full name)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you recuse yourself"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the vendor you have a relationship with, or that you lack time."),
    )


class ScoreForm(forms.Form):
    """Points and rationale per rated criterion; after submission, a reason for any change."""

    def __init__(self, *args, criteria, submitted=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=_("Points for “%(criterion)s” (0 to %(max)d)")
                % {"criterion": criterion.name, "max": criterion.max_points},
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=_("Rationale for “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if submitted:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the change"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("You already submitted; every change is kept with its reason."),
            )

    def rows(self):
        return [(c, self[f"points_{c.pk}"], self[f"rationale_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        """The criteria the evaluator filled in (a draft may leave some for later)."""
        scores = {}
        for criterion in self.criteria:
            points = self.cleaned_data.get(f"points_{criterion.pk}")
            rationale = self.cleaned_data.get(f"rationale_{criterion.pk}", "")
            if points is not None or rationale.strip():
                scores[criterion.pk] = {"points": points, "rationale": rationale}
        return scores


class ConsensusProposalForm(forms.Form):
    """The consensus points and rationale of one proposal on every rated criterion, sent at once.

    A criterion left blank is left as it is; the service checks what is given, all or nothing."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = forms.CharField(
                label=_("Consensus points for “%(criterion)s” (0 to %(max)d)")
                % {"criterion": criterion.name, "max": criterion.max_points},
                required=False,
                max_length=20,
                # Text, not a number input: a refused value comes back as it was typed.
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=_("Rationale for “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def field_pair(self, criterion):
        return self[f"points_{criterion.pk}"], self[f"rationale_{criterion.pk}"]

    def scores(self) -> dict:
        """The criteria the chair filled in (points, rationale or both)."""
        scores = {}
        for criterion in self.criteria:
            points = self.cleaned_data.get(f"points_{criterion.pk}", "").strip()
            rationale = self.cleaned_data.get(f"rationale_{criterion.pk}", "")
            if points or rationale.strip():
                scores[criterion.pk] = {"points": points, "rationale": rationale}
        return scores


class DecideForm(forms.Form):
    shortlist_size = forms.IntegerField(
        label=_("How many ranks to shortlist"), min_value=1, initial=1
    )
    reason = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
