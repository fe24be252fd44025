"""CSV downloads that are safe to open in a spreadsheet."""

# Characters that make a spreadsheet read a text cell as a formula; people choose the texts
# (a vendor's name, a challenge's title), so a download must not run what they typed.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell that starts like a formula is quoted; numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [spreadsheet_safe(value) for value in values]
