"""Notices that higher apps add to a vendor's proposal page (DESIGN.md §2).

`vendors` cannot import the apps above it, yet the proposal's page is where a vendor looks for
what became of it (its result letter). Each higher app registers a notice from its
`AppConfig.ready()`: a function of (request, proposal) that returns {"label", "url"} or None.
"""

from collections.abc import Callable

_notices: dict[str, Callable] = {}


def register_proposal_notice(name: str, notice: Callable) -> None:
    _notices[name] = notice


def proposal_notices(*, request, proposal) -> list[dict]:
    """The notices this reader gets on this proposal's page, in the order of their names."""
    shown = []
    for _name, notice in sorted(_notices.items()):
        found = notice(request, proposal)
        if found is not None:
            shown.append(found)
    return shown
