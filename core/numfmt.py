"""Numbers and money as people read them, in the reader's language (Babel's CLDR data):
'66.5' and « 66,5 », '$118,500' and « 118 500 $ ». For pages, e-mails and human-readable text;
the API, OCDS and CSV keep plain machine numbers."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from django.conf import settings

from .locales import current_locale


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, places: int = 2) -> str:
    """A quantity with at most `places` decimals, trailing zeros dropped: 1,234.5 / 1 234,5."""
    number = _decimal(value)
    if number is None:
        return ""
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(number, pattern, locale=current_locale())


def format_score(value) -> str:
    """A score or points total with the precision that matters (two decimals at most): '66',
    '66.67', « 66,67 »."""
    return format_number(value, places=2)


def format_money(value, currency: str | None = None) -> str:
    """An amount in the municipality's currency, cents shown only when there are some:
    '$118,500', '$118,500.50', « 118 500 $ »."""
    amount = _decimal(value)
    if amount is None:
        return ""
    locale = current_locale()
    pattern = locale.currency_formats["standard"].pattern
    if amount == amount.to_integral_value():
        pattern = pattern.replace("0.00", "0")
    return format_currency(
        amount,
        currency or settings.MUNICIPALITY_CURRENCY,
        format=pattern,
        locale=locale,
        currency_digits=False,
    )
