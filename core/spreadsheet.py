"""CSV downloads safe to open in a spreadsheet: every CSV the site offers is written here."""

import csv

from django.http import HttpResponse

# Characters that make a spreadsheet read a text cell as a formula; people choose the texts
# (a vendor's name, a challenge's title), so a download must not run what they typed.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel on Windows reads a CSV without a byte-order mark as the local code page, mangling accents.
BYTE_ORDER_MARK = "\ufeff"


def spreadsheet_safe(value):
    """A text cell that starts like a formula is quoted; numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [spreadsheet_safe(value) for value in values]


class SafeWriter:
    """csv.writer's writerow/writerows, with every text cell made safe first."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_response(filename: str, *, private: bool = False) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response, UTF-8 with a byte-order mark, and the writer to fill it.

    `private` keeps it out of shared caches (scores, rankings: never stored by a proxy)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    response.write(BYTE_ORDER_MARK)
    return response, SafeWriter(response)
