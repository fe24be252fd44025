"""Make the sample PDFs in `files/` from the documents named in content.py (run once, commit).

    .venv/bin/pip install --target /tmp/fpdf fpdf2
    PYTHONPATH=/tmp/fpdf .venv/bin/python procurement/demo/make_pdfs.py

fpdf2 is needed only here, so it is installed aside and is no dependency of the site:
`seed_demo` attaches the committed files as they are.
"""

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from procurement.demo import FILES, content  # noqa: E402


def documents():
    """(title, file name, lines) of every document the demo's vendors and staff attach."""
    yield content.ENERGY_DRAFT_DOCUMENT
    for governance in content.GOVERNANCE.values():
        for title, name, _kind, lines in governance.get("documents", ()):
            yield title, name, lines
    for documents in content.MUNICIPAL_DOCUMENTS.values():
        for _place, title, name, _kind, lines in documents:
            yield title, name, lines
    yield content.STREETLIGHTS_SIGNED_CONTRACT
    for _username, _hours_early, proposal in (
        *content.WAYFINDING_PROPOSALS,
        *content.STREETLIGHTS_PROPOSALS,
    ):
        yield proposal["document"]


def make_pdf(title, lines) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_title(title)
    pdf.set_author("Riverbend demo")
    # A fixed date: the same content gives the same file.
    pdf.set_creation_date(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main():
    FILES.mkdir(exist_ok=True)
    for title, name, lines in documents():
        path = FILES / name
        path.write_bytes(make_pdf(title, lines))
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
