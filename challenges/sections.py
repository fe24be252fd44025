"""Links and sections that higher apps add to the challenge page (DESIGN.md §2).

`challenges` cannot import the apps above it, nor reverse their pages, yet a challenge's page is
where people find its proposals, its evaluation, its award and its outcomes. Each higher app
registers what it adds from its `AppConfig.ready()`; the challenge page shows whatever the rules
of that app let the reader see.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from core.permissions import can

# Where on the page a link or section goes.
LINK_GROUPS = ("manage", "follow", "public")
SECTION_SLOTS = ("header", "main", "review")


@dataclass(frozen=True)
class ChallengeLink:
    """A link on the challenge page, shown when `visible(user, challenge)` is true."""

    name: str
    label: object  # a lazy translation
    url: Callable[[object], str]
    visible: Callable[[object, object], bool]
    group: str = "manage"
    order: int = 100


@dataclass(frozen=True)
class ChallengeSection:
    """A part of the challenge page rendered from the registering app's own template.

    `context(request, challenge)` returns the template's context, or None to leave the section out.
    """

    name: str
    template: str
    context: Callable[[object, object], dict | None]
    slot: str = "main"
    order: int = 100


def page_of(view_name: str) -> Callable[[object], str]:
    """A link's `url`: the named page of this challenge (its reference is the one argument)."""
    return lambda challenge: reverse(view_name, args=[challenge.reference])


def visible_by(perm: str) -> Callable[[object, object], bool]:
    """A link's `visible`: the reader holds the rules permission `perm` on the challenge."""
    return lambda user, challenge: can(user, perm, challenge)


_links: dict[str, ChallengeLink] = {}
_sections: dict[str, ChallengeSection] = {}


def register_link(link: ChallengeLink) -> ChallengeLink:
    if link.group not in LINK_GROUPS:
        raise ValueError(f"Unknown link group {link.group!r}; use one of {LINK_GROUPS}.")
    _links[link.name] = link
    return link


def register_section(section: ChallengeSection) -> ChallengeSection:
    if section.slot not in SECTION_SLOTS:
        raise ValueError(f"Unknown section slot {section.slot!r}; use one of {SECTION_SLOTS}.")
    _sections[section.name] = section
    return section


def unregister(name: str) -> None:
    """Remove a registered link or section (tests, or an app that is switched off)."""
    _links.pop(name, None)
    _sections.pop(name, None)


def challenge_links(*, user, challenge) -> dict[str, list[dict]]:
    """The links `user` may follow from this challenge's page, by group, in order."""
    grouped: dict[str, list[dict]] = {group: [] for group in LINK_GROUPS}
    for link in sorted(_links.values(), key=lambda item: (item.order, item.name)):
        if link.visible(user, challenge):
            grouped[link.group].append(
                {"name": link.name, "label": link.label, "url": link.url(challenge)}
            )
    return grouped


def challenge_sections(*, request, challenge) -> dict[str, list[dict]]:
    """The sections to render on this challenge's page for this request, by slot, in order."""
    grouped: dict[str, list[dict]] = {slot: [] for slot in SECTION_SLOTS}
    for section in sorted(_sections.values(), key=lambda item: (item.order, item.name)):
        context = section.context(request, challenge)
        if context is not None:
            grouped[section.slot].append(
                {"name": section.name, "template": section.template, "context": context}
            )
    return grouped
