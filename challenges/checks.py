"""Checks that higher apps add to a challenge's publication (DESIGN.md §2).

`challenges` cannot import `evaluation`, yet publication needs a complete evaluation plan. The
evaluation app registers a check here from its `AppConfig.ready()`; each check returns the list of
reasons the challenge cannot be published yet.
"""

from collections.abc import Callable

PublicationCheck = Callable[[object], list[str]]

_publication_checks: list[PublicationCheck] = []


def register_publication_check(check: PublicationCheck) -> PublicationCheck:
    if check not in _publication_checks:
        _publication_checks.append(check)
    return check


def unregister_publication_check(check: PublicationCheck) -> None:
    """Remove a registered check (tests, or an app that is switched off)."""
    if check in _publication_checks:
        _publication_checks.remove(check)


def publication_check_problems(challenge) -> list[str]:
    problems: list[str] = []
    for check in _publication_checks:
        problems.extend(check(challenge))
    return problems
