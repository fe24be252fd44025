"""The demo data of `make run` (seed_demo): its content (content.py) and the sample documents
its vendors attach (files/, made once by make_pdfs.py)."""

from pathlib import Path

FILES = Path(__file__).resolve().parent / "files"


def demo_document(name: str) -> bytes:
    """The sample PDF named `name` in files/."""
    return (FILES / name).read_bytes()
