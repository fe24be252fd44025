"""Running a state transition the same way for every stateful model (DESIGN.md §2).

A service calls `transition_run`: it locks the row, checks the actor's permission, the state
and the transition's guard, calls the django-fsm transition and saves. The audit entry is
written by a `post_transition` receiver in the same transaction, so a refused or rolled-back
step leaves no trace.

A transition declares its guard as `custom={"guard": "<method name>"}`: a model method that returns
the list of reasons the step cannot happen yet (empty when it can). The same method backs the
django-fsm condition, so `can_proceed` and the messages users see never disagree. It may also
declare `custom={"denied": "<sentence>"}`: what a person without the permission is told.

A transition that records a higher stage's decision (a challenge awarded) declares
`custom={"decided_above": "<sentence>"}` and the condition `registered_guards("<name>")`: the
higher app registers the guard that says whether its decision was made, and until one is
registered the step is refused with the sentence. The lower app thus never holds the decision
as a free action.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from .errors import PermissionDenied, TransitionRefused

# Effects a higher app attaches to a lower app's transition, run in the same transaction right
# after the state is saved: e.g. closing a challenge receives or lapses its proposals. Keyed by
# (app_label.ModelName, transition name); registered from the higher app's AppConfig.ready().
_effects: dict[tuple[str, str], list] = {}


def register_transition_effect(model_label: str, name: str, effect) -> None:
    """Run `effect(instance=..., actor=...)` after transition `name` of `model_label` succeeds."""
    effects = _effects.setdefault((model_label, name), [])
    if effect not in effects:
        effects.append(effect)


# Guards a higher app attaches to a lower app's transition, keyed like the effects: each returns
# the reasons the step cannot happen yet (empty when it can).
_guards: dict[tuple[str, str], list] = {}


def register_transition_guard(model_label: str, name: str, guard) -> None:
    """Refuse transition `name` of `model_label` while `guard(instance)` returns reasons."""
    guards = _guards.setdefault((model_label, name), [])
    if guard not in guards:
        guards.append(guard)


def unregister_transition_guard(model_label: str, name: str, guard) -> None:
    """Remove a registered guard (tests, or an app that is switched off)."""
    guards = _guards.get((model_label, name), [])
    if guard in guards:
        guards.remove(guard)


def registered_guard_problems(instance, name: str) -> list[str]:
    """Why the guards registered for this transition refuse it now; a transition decided above
    with no guard registered is refused with its own sentence."""
    guards = _guards.get((instance._meta.label, name), ())
    if not guards:
        meta = _meta(instance, name)
        decided_above = next(
            (
                t.custom["decided_above"]
                for t in meta.transitions.values()
                if "decided_above" in t.custom
            ),
            None,
        )
        return [str(decided_above)] if decided_above else []
    problems: list[str] = []
    for guard in guards:
        problems.extend(str(problem) for problem in guard(instance))
    return problems


# `transition_run` checks a transition's guards once and keeps the answer on the row it is about
# to change, under this attribute, for the conditions django-fsm evaluates again when the
# transition method runs: a guard that reads the clock (a deadline) cannot pass the first time and
# fail the second, which would escape as django-fsm's TransitionNotAllowed (a server error).
_CHECKED = "_workflow_checked_guards"


def _checked(instance, key):
    return instance.__dict__.get(_CHECKED, {}).get(key)


def registered_guards(name: str):
    """A django-fsm condition that passes when the guards registered for `name` report nothing."""

    def condition(instance) -> bool:
        checked = _checked(instance, ("registered", name))
        if checked is not None:
            return not checked
        return not registered_guard_problems(instance, name)

    condition.__name__ = f"no_registered_problems_{name}"
    return condition


def guard_condition(method_name: str):
    """A django-fsm condition that passes when the named guard method reports no problems."""

    def condition(instance) -> bool:
        checked = _checked(instance, method_name)
        if checked is not None:
            return not checked
        return not getattr(instance, method_name)()

    condition.__name__ = f"no_{method_name}"
    return condition


def _meta(instance, name):
    method = getattr(instance, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{type(instance).__name__}.{name} is not a transition")
    return meta


def transition_names(model) -> list[str]:
    """Every transition method declared on a model, in declaration order."""
    names = []
    for attr in dir(model):
        if attr.startswith("_"):
            continue
        if getattr(getattr(model, attr, None), "_django_fsm", None) is not None:
            names.append(attr)
    return names


def permitted(instance, name: str, user) -> bool:
    """Whether `user` holds the permission a transition names, whatever the state."""
    meta = _meta(instance, name)
    any_transition = next(iter(meta.transitions.values()))
    return any_transition.has_perm(instance, user)


def denied_message(instance, name: str) -> str:
    """The sentence for someone who may not run a transition (the transition's own, if any)."""
    meta = _meta(instance, name)
    for transition in meta.transitions.values():
        message = transition.custom.get("denied")
        if message:
            return str(message)
    return _("You do not have permission to do this.")


def allowed_transitions(instance, user, *, completed_by_form=()) -> list[str]:
    """The transitions `user` may run now: state, guard and permission all allow them.

    A step named in `completed_by_form` is offered on state and permission alone: its form
    supplies what its guard checks (an ending's lessons learned), and the guard runs on submit.
    """
    result = []
    for name in transition_names(type(instance)):
        meta = _meta(instance, name)
        state = meta.field.get_state(instance)
        # Permission before the guards: a guard may query (open questions, a plan), and most
        # readers of a page may take no step at all.
        if (
            meta.has_transition(state)
            and meta.has_transition_perm(instance, state, user)
            and (name in completed_by_form or meta.conditions_met(instance, state))
        ):
            result.append(name)
    return result


def _problems(instance, name: str, checked: dict | None = None) -> list[str]:
    meta = _meta(instance, name)
    state = meta.field.get_state(instance)
    if not meta.has_transition(state):
        return [
            _("This step is not possible while the %(object)s is %(state)s.")
            % {"object": instance._meta.verbose_name, "state": instance.get_status_display()}
        ]
    guard = meta.get_transition(state).custom.get("guard")
    own = list(getattr(instance, guard)()) if guard else []
    registered = registered_guard_problems(instance, name)
    if checked is not None:
        if guard:
            checked[guard] = own
        checked[("registered", name)] = registered
    return own + registered


def transition_problems(instance, name: str) -> list[str]:
    """Why a transition cannot run now (state or guard), as sentences; empty when it can."""
    return _problems(instance, name)


def transition_check(*, instance, name: str, actor, guards: bool = True) -> None:
    """Raise what `transition_run` would raise now, and change nothing: a page asks this before it
    asks the person to confirm a one-way step, so a refused step is refused, never confirmed.
    With `guards=False` only the permission and the state are checked (the form being confirmed
    supplies what the guard reads)."""
    if not permitted(instance, name, actor):
        raise PermissionDenied(denied_message(instance, name))
    meta = _meta(instance, name)
    if not guards and meta.has_transition(meta.field.get_state(instance)):
        return
    problems = _problems(instance, name)
    if problems:
        raise TransitionRefused(problems, allowed=allowed_transitions(instance, actor))


def transition_run(*, instance, name: str, actor, reason: str = "", locked: bool = False, **kwargs):
    """Run transition `name` on `instance` for `actor` in one transaction; return the saved row.

    `actor` is None when the system acts (a scheduled step); permission is then not checked.
    `locked=True` says the caller already holds the row's lock in the transaction it runs in and
    prepared it (related rows read, an arrival time set; a batch of scheduled steps): `instance`
    is used as it is, without reloading it or a savepoint of its own, and a refusal is raised
    before anything is written. The guards are evaluated once, here; the transition method reuses
    their answer.
    """
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("transition_run(locked=True) runs inside the lock's transaction.")
        return _run_locked(instance, name, actor, reason, kwargs)
    with transaction.atomic():
        row = type(instance).objects.select_for_update().get(pk=instance.pk)
        return _run_locked(row, name, actor, reason, kwargs)


def _run_locked(row, name: str, actor, reason: str, kwargs: dict):
    if actor is not None and not permitted(row, name, actor):
        raise PermissionDenied(denied_message(row, name))
    checked: dict = {}
    problems = _problems(row, name, checked)
    if problems:
        raise TransitionRefused(
            problems,
            allowed=allowed_transitions(row, actor) if actor is not None else [],
        )
    row.__dict__[_CHECKED] = checked
    try:
        getattr(row, name)(by=actor, reason=reason, **kwargs)
    except TransitionNotAllowed as exc:
        # Not expected (the guards' answer is reused above); a refusal all the same, never a
        # server error.
        raise TransitionRefused(
            _("This step is not possible now. Reload the page and try again.")
        ) from exc
    finally:
        row.__dict__.pop(_CHECKED, None)
    try:
        row.save()
    except ConcurrentTransition as exc:
        raise TransitionRefused(
            _("Someone else changed this %(object)s at the same time. Reload and try again.")
            % {"object": row._meta.verbose_name}
        ) from exc
    for effect in _effects.get((row._meta.label, name), ()):
        effect(instance=row, actor=actor)
    return row
