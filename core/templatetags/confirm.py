"""The in-page `<dialog>` that asks before a one-way step (core/confirm.py), for pages with script.

    <form method="post" action="…" data-confirm="{% one_way_id 'challenges.cancel' %}">…</form>
    {% one_way_dialog "challenges.cancel" challenge %}

Without script the form posts unconfirmed and the server answers with the confirmation page."""

from django import template

from core.confirm import one_way_step

register = template.Library()


def _dom_id(key: str, suffix) -> str:
    base = one_way_step(key).describe()["dom_id"]
    return f"{base}-{suffix}" if suffix not in (None, "") else base


@register.simple_tag
def one_way_id(key, suffix=""):
    return _dom_id(key, suffix)


@register.inclusion_tag("core/includes/one_way_dialog.html")
def one_way_dialog(key, obj=None, suffix=""):
    step = one_way_step(key).describe(obj)
    return {"step": step, "dom_id": _dom_id(key, suffix)}
