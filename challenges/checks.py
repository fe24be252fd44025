"""Checks that higher apps add to a challenge's review and publication (DESIGN.md §2).

`challenges` cannot import `evaluation`, yet review and publication need a complete evaluation
plan. The evaluation app registers its checks here from its `AppConfig.ready()`; each check
returns the list of reasons the challenge cannot take the step yet.
"""

from collections.abc import Callable

ChallengeCheck = Callable[[object], list[str]]

_review_checks: list[ChallengeCheck] = []
_publication_checks: list[ChallengeCheck] = []


def _register(checks: list[ChallengeCheck], check: ChallengeCheck) -> ChallengeCheck:
    if check not in checks:
        checks.append(check)
    return check


def _problems(checks: list[ChallengeCheck], challenge) -> list[str]:
    problems: list[str] = []
    for check in checks:
        problems.extend(check(challenge))
    return problems


def register_review_check(check: ChallengeCheck) -> ChallengeCheck:
    """Add a check that submitting for review must pass (what the approver needs to see)."""
    return _register(_review_checks, check)


def unregister_review_check(check: ChallengeCheck) -> None:
    """Remove a registered check (tests, or an app that is switched off)."""
    if check in _review_checks:
        _review_checks.remove(check)


def review_check_problems(challenge) -> list[str]:
    return _problems(_review_checks, challenge)


def register_publication_check(check: ChallengeCheck) -> ChallengeCheck:
    return _register(_publication_checks, check)


def unregister_publication_check(check: ChallengeCheck) -> None:
    """Remove a registered check (tests, or an app that is switched off)."""
    if check in _publication_checks:
        _publication_checks.remove(check)


def publication_check_problems(challenge) -> list[str]:
    return _problems(_publication_checks, challenge)
