"""Checks and normalisation for what vendors type: business numbers, postal codes, prices."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A program account: two letters (RT, RP, RC, RM, RR, RZ, ...) and a four-digit reference.
_PROGRAM_ACCOUNT = re.compile(r"^[A-Z]{2}\d{4}$")
_SEPARATORS = re.compile(r"[\s\-]+")

# First letter of a postal code by province or territory (Canada Post).
POSTAL_PREFIXES = {
    "NL": "A",
    "NS": "B",
    "PE": "C",
    "NB": "E",
    "QC": "GHJ",
    "ON": "KLMNP",
    "MB": "R",
    "SK": "S",
    "AB": "T",
    "BC": "V",
    "NT": "X",
    "NU": "X",
    "YT": "Y",
}
# D, F, I, O, Q and U are never used; W and Z never start a code.
_POSTAL_CODE = re.compile(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$", re.IGNORECASE
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def parse_business_number(value) -> tuple[str, str]:
    """Split a CRA business number into its 9-digit root and optional program account.

    "123 456 782 RT 0001" -> ("123456782", "RT0001"). Raises ValidationError when invalid.
    """
    compact = _SEPARATORS.sub("", str(value or "")).upper()
    root, program = compact[:9], compact[9:]
    if len(root) != 9 or not root.isdigit():
        raise ValidationError(
            _("Enter the 9-digit business number from the Canada Revenue Agency."),
            code="business_number_format",
        )
    if program and not _PROGRAM_ACCOUNT.match(program):
        raise ValidationError(
            _(
                "After the 9 digits, a program account is two letters and four digits "
                "(for example RT0001)."
            ),
            code="program_account_format",
        )
    if not luhn_valid(root):
        raise ValidationError(
            _("This business number is not valid; check the digits against your CRA records."),
            code="business_number_check_digit",
        )
    return root, program


def normalise_postal_code(value) -> str:
    """'e3b1a1' -> 'E3B 1A1'. Raises ValidationError when it is not a Canadian postal code."""
    compact = _SEPARATORS.sub("", str(value or "")).upper()
    if not _POSTAL_CODE.match(compact):
        raise ValidationError(
            _("Enter a Canadian postal code such as E3B 1A1."), code="postal_code_format"
        )
    return f"{compact[:3]} {compact[3:]}"


def postal_code_matches_province(postal_code: str, province: str) -> bool:
    prefixes = POSTAL_PREFIXES.get(province)
    return not prefixes or not postal_code or postal_code[0].upper() in prefixes


def parse_amount(value, *, field_label: str) -> Decimal:
    """A non-negative amount in dollars with at most two decimals."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("Enter %(field)s.") % {"field": field_label}, code="required")
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("$", ""))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(
            _("Enter %(field)s as a number of dollars, for example 125000.00.")
            % {"field": field_label},
            code="invalid",
        )
    if amount < 0:
        raise ValidationError(
            _("%(field)s cannot be negative.") % {"field": field_label.capitalize()},
            code="negative",
        )
    if amount.as_tuple().exponent < -2:
        raise ValidationError(
            _("Enter %(field)s in dollars and cents (at most two decimals).")
            % {"field": field_label},
            code="decimals",
        )
    if amount >= Decimal("1e12"):
        raise ValidationError(_("This amount is too large."), code="too_large")
    return amount.quantize(Decimal("0.01"))


def parse_breakdown(value) -> list[dict]:
    """A price breakdown: a list of {"label", "amount"} lines; amounts stored as strings."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list | tuple):
        raise ValidationError(
            _("The breakdown is a list of lines, each with a label and an amount."),
            code="invalid",
        )
    if len(value) > 100:
        raise ValidationError(_("A breakdown has at most 100 lines."), code="too_long")
    lines = []
    for number, line in enumerate(value, start=1):
        if not isinstance(line, dict) or set(line) - {"label", "amount"}:
            raise ValidationError(
                _("Line %(number)d of the breakdown needs a label and an amount, nothing else.")
                % {"number": number},
                code="invalid",
            )
        label = str(line.get("label") or "").strip()
        if not label or len(label) > 200:
            raise ValidationError(
                _("Line %(number)d of the breakdown needs a label of at most 200 characters.")
                % {"number": number},
                code="label",
            )
        try:
            amount = parse_amount(
                line.get("amount"),
                field_label=_("the amount on line %(number)d") % {"number": number},
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="amount") from exc
        lines.append({"label": label, "amount": str(amount)})
    return lines


def word_count(text: str) -> int:
    return len((text or "").split())
