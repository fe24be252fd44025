"""Checks that higher apps add to the sealing of proposals (DESIGN.md §2, §3 "Two envelopes").

`vendors` cannot import `evaluation`, yet the price envelope opens only when the evaluation says
so. The evaluation app registers a check here from its `AppConfig.ready()`; a check answers
whether `user` may read the price of `proposal` now. Any check that says yes opens it.
"""

from collections.abc import Callable

PriceAccessCheck = Callable[[object, object], bool]

_price_access_checks: list[PriceAccessCheck] = []


def register_price_access_check(check: PriceAccessCheck) -> PriceAccessCheck:
    if check not in _price_access_checks:
        _price_access_checks.append(check)
    return check


def unregister_price_access_check(check: PriceAccessCheck) -> None:
    if check in _price_access_checks:
        _price_access_checks.remove(check)


def price_access_granted(user, proposal) -> bool:
    return any(check(user, proposal) for check in _price_access_checks)
