"""What people read for a step and a state: every FSM transition, every plain action the audit
trail records and every state has a translatable label, so a history never shows a code such as
`start_evaluation` or `closed → evaluating`.

Each app registers its steps in its AppConfig.ready() (a lower app does not know a higher app's
models). A transition may instead carry its label in its own metadata,
`@transition(..., custom={"label": _("…")})`, which wins over the registry. States are labelled
by the choices of the model's FSM field, so they read the same here as on the model's pages.
"""

from django.apps import apps
from django.utils.translation import pgettext_lazy
from django_fsm import FSMFieldMixin

# (app_label.ModelName, step) -> label
_steps: dict[tuple[str, str], str] = {}

# Plain writes (core.audit.audit_change actions) that read the same whatever was written.
_actions: dict[str, str] = {
    "create": pgettext_lazy("step", "Created"),
    "update": pgettext_lazy("step", "Changed"),
    "delete": pgettext_lazy("step", "Deleted"),
}


def register_steps(model_label: str, labels: dict[str, str]) -> None:
    """Label the transitions and audited actions of `model_label` ({"approve": _("Approve")})."""
    for name, label in labels.items():
        _steps[(model_label, name)] = label


def register_actions(labels: dict[str, str]) -> None:
    """Label plain actions that any model may record (schedule, move…)."""
    _actions.update(labels)


def _model(model_or_label):
    if model_or_label is None:
        return None
    if isinstance(model_or_label, str):
        try:
            return apps.get_model(model_or_label)
        except (LookupError, ValueError):
            return None
    return model_or_label if isinstance(model_or_label, type) else type(model_or_label)


def _humanised(name: str) -> str:
    return name.replace("_", " ").capitalize()


def step_label(model_or_label, name: str) -> str:
    """The label of transition or action `name` of a model (class, instance or 'app.Model')."""
    if not name:
        return ""
    model = _model(model_or_label)
    if model is not None:
        meta = getattr(getattr(model, name, None), "_django_fsm", None)
        if meta is not None:
            for transition in meta.transitions.values():
                if "label" in transition.custom:
                    return str(transition.custom["label"])
        label = _steps.get((model._meta.label, name))
        if label is not None:
            return str(label)
    if name in _actions:
        return str(_actions[name])
    # Never the bare code: an unregistered step still reads as words (tests/test_french_pages.py
    # finds any step left without a label).
    return _humanised(name)


def _state_choices(model) -> dict[str, str]:
    for field in model._meta.fields:
        if isinstance(field, FSMFieldMixin) and field.choices:
            return dict(field.flatchoices)
    return {}


def state_label(model_or_label, value: str) -> str:
    """The label of state `value` of a model's FSM field ('closed' -> 'Closed', « Fermé »)."""
    if not value:
        return ""
    model = _model(model_or_label)
    if model is not None:
        label = _state_choices(model).get(value)
        if label is not None:
            return str(label)
    return _humanised(value)


def registered_step_names() -> set[str]:
    """Every step code with a label (tests look for codes left in pages)."""
    return {name for (_, name) in _steps} | set(_actions)
