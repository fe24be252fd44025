"""Steps that cannot be taken back ask first.

Each app describes its one-way steps in its `confirmations.py`: a title, what will happen and what
cannot be undone, in sentences that may name facts about the object (`%(reference)s`). A page that
offers such a step posts as before; the view asks `confirmation_needed(request)` and, while the
explicit confirmation field is missing, answers with the confirmation page (core/confirm.html)
instead of acting. That page states the consequences and posts the same data again with the field,
so it works without JavaScript. With JavaScript, static/js/confirm.js shows the same text in a
`<dialog>` rendered beside the button (`{% one_way_dialog %}`) and adds the field itself.

The API does not ask: a script that calls a transition means it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.shortcuts import render

# The field a confirmed post carries; its value must be exactly this.
CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"

# Fields that are not the step's own data and are never passed on by the confirmation page.
_NOT_PASSED_ON = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass(frozen=True)
class OneWayStep:
    """What a person is asked before a step that cannot be taken back."""

    key: str
    title: str
    happens: tuple = ()
    final: tuple = ()
    button: str = ""
    # Stops or removes something (cancel, withdraw, terminate): shown as a danger.
    destructive: bool = False
    # The facts the sentences name, read from the object the step acts on.
    facts: Callable[[object], dict] = field(default=lambda obj: {}, compare=False)
    # What else happens for this object in particular (sentences, possibly none).
    also: Callable[[object], list] = field(default=lambda obj: [], compare=False)

    def describe(self, obj=None) -> dict:
        values = self.facts(obj) if obj is not None else {}

        def fill(text) -> str:
            return str(text) % values if values else str(text)

        return {
            "key": self.key,
            "dom_id": "confirm-" + self.key.replace(".", "-").replace("_", "-"),
            "title": fill(self.title),
            "happens": [fill(text) for text in self.happens]
            + ([str(text) for text in self.also(obj)] if obj is not None else []),
            "final": [fill(text) for text in self.final],
            "button": fill(self.button),
            "destructive": self.destructive,
        }


_steps: dict[str, OneWayStep] = {}


def register(*steps: OneWayStep) -> None:
    for step in steps:
        _steps[step.key] = step


def one_way_step(key: str) -> OneWayStep:
    return _steps[key]


def is_one_way(key: str) -> bool:
    return key in _steps


def confirmation_needed(request) -> bool:
    """True until the post carries the explicit confirmation (a GET is never a confirmation)."""
    return request.method != "POST" or request.POST.get(CONFIRM_FIELD) != CONFIRM_VALUE


def confirmation_page(request, key: str, obj=None, *, back_url: str, shown=(), context=None):
    """The page that asks to confirm step `key`: it posts the same data again, confirmed.

    `shown` lists (label, value) pairs the person entered (a reason), repeated so they read what
    they are confirming; `context` adds what the page's header needs (`challenge`)."""
    passed_on = []
    if request.method == "POST":
        for name, values in request.POST.lists():
            if name not in _NOT_PASSED_ON:
                passed_on.extend((name, value) for value in values)
    page = {
        "step": one_way_step(key).describe(obj),
        "action": request.get_full_path(),
        "passed_on": passed_on,
        "shown": [(label, value) for label, value in shown if value],
        "back_url": back_url,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
        **(context or {}),
    }
    return render(request, "core/confirm.html", page)
