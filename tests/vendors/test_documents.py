"""Uploaded documents are checked by content and size, never trusted by name (DESIGN.md §5)."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from tests.vendors.conftest import PDF_BYTES, office_file, open_document_file, pdf
from vendors import services
from vendors.models import ProposalDocument

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
DOCX_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_PART = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_PART = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@pytest.fixture
def proposal(draft):
    return draft


def upload(proposal, user, file, title="Appendix"):
    return services.document_upload(proposal=proposal, actor=user, title=title, upload=file)


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    "file, content_type",
    [
        (lambda: pdf("plan.pdf"), "application/pdf"),
        (lambda: SimpleUploadedFile("map.png", PNG_BYTES), "image/png"),
        (lambda: SimpleUploadedFile("site.jpg", JPEG_BYTES), "image/jpeg"),
        (
            lambda: office_file("plan.docx", DOCX_PART),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            lambda: office_file("budget.xlsx", XLSX_PART),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            lambda: office_file("pitch.pptx", PPTX_PART),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            lambda: open_document_file("plan.odt", "application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            lambda: open_document_file(
                "budget.ods", "application/vnd.oasis.opendocument.spreadsheet"
            ),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (lambda: SimpleUploadedFile("notes.txt", "Équipe à Moncton\n".encode()), "text/plain"),
        (lambda: SimpleUploadedFile("rates.csv", b"item,amount\nvisit,120\n"), "text/csv"),
    ],
)
def test_it_accepts_each_allowed_type_by_its_content(proposal, dave, file, content_type):
    document = upload(proposal, dave, file())

    document.refresh_from_db()
    assert document.content_type == content_type
    document.file.open("rb")
    content = document.file.read()
    document.file.close()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)


def test_it_stores_the_file_under_a_random_name_and_keeps_a_safe_base_name(
    proposal, dave, settings
):
    # Django's upload handler keeps only a base name; the service must not rely on it.
    document = upload(proposal, dave, ContentFile(PDF_BYTES, name="../../etc/passwd.pdf"))

    document.refresh_from_db()
    assert document.original_name == "passwd.pdf"
    assert "passwd" not in document.file.name and ".." not in document.file.name
    assert document.file.name.startswith(f"proposals/{proposal.public_id}/")
    assert Path(document.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


@pytest.mark.parametrize(
    "name, kept",
    [
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("/etc/passwd", "passwd.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("bid\x00\r\n.pdf", "bid.pdf"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
    ],
)
def test_it_cleans_tricky_names(proposal, dave, name, kept):
    document = upload(proposal, dave, ContentFile(PDF_BYTES, name=name))
    assert document.original_name == kept


def test_a_wrong_extension_gets_one_that_matches_the_content(proposal, dave):
    document = upload(proposal, dave, SimpleUploadedFile("diagram.pdf", PNG_BYTES))
    assert (document.original_name, document.content_type) == ("diagram.pdf.png", "image/png")


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60), "not an accepted type"),
        (SimpleUploadedFile("bid.pdf", b""), "empty"),
        (SimpleUploadedFile("evil.docx", b"PK\x03\x04 not really a zip"), "not an accepted type"),
        (SimpleUploadedFile("image.png", b"\xff\xfe\x00\x01binary"), "not an accepted type"),
        (ContentFile(PDF_BYTES, name="/../.."), "Give the file a name"),
        (SimpleUploadedFile("x" * 150 + ".pdf", PDF_BYTES), "too long"),
    ],
)
def test_it_refuses_bad_files_and_stores_nothing(proposal, dave, settings, file, message):
    before = stored_files(settings)

    with pytest.raises(InvalidInput, match=message) as refused:
        upload(proposal, dave, file)

    assert list(refused.value.field_errors) == ["file"]
    assert ProposalDocument.objects.filter(proposal=proposal).count() == 1
    assert stored_files(settings) == before


def test_it_refuses_a_macro_enabled_office_file(proposal, dave):
    macro = office_file("plan.docx", "application/vnd.ms-word.document.macroEnabled.main+xml")
    with pytest.raises(InvalidInput, match="not an accepted type"):
        upload(proposal, dave, macro)


def test_it_refuses_a_zip_that_is_no_office_file(proposal, dave):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(InvalidInput, match="not an accepted type"):
        upload(proposal, dave, SimpleUploadedFile("plan.docx", buffer.getvalue()))


def test_it_refuses_a_file_over_the_size_limit(proposal, dave, settings):
    settings.VENDOR_DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 1024)
    before = stored_files(settings)

    with pytest.raises(InvalidInput, match="files can be at most 1.0"):
        upload(proposal, dave, big)

    assert stored_files(settings) == before
    assert ProposalDocument.objects.filter(proposal=proposal).count() == 1


def test_it_accepts_a_file_exactly_at_the_size_limit(proposal, dave, settings):
    settings.VENDOR_DOCUMENT_MAX_BYTES = 1024
    exact = SimpleUploadedFile("exact.pdf", b"%PDF-1.7\n" + b"0" * (1024 - 9))
    assert upload(proposal, dave, exact).size == 1024


def test_the_default_limit_is_ten_mebibytes(settings):
    from django.conf import settings as live

    assert live.VENDOR_DOCUMENT_MAX_BYTES == 10 * 1024 * 1024


def test_a_title_is_required(proposal, dave):
    with pytest.raises(InvalidInput) as refused:
        upload(proposal, dave, pdf(), title="   ")
    assert list(refused.value.field_errors) == ["title"]


def test_a_new_version_supersedes_the_old_one_which_is_kept(proposal, dave):
    old = proposal.documents.get()
    new = upload(proposal, dave, pdf(content=b"%PDF-1.7 second version"), title="WORK PLAN")

    old.refresh_from_db()
    assert old.superseded_at is not None and new.superseded_at is None
    assert list(ProposalDocument.objects.filter(proposal=proposal, superseded_at__isnull=True)) == [
        new
    ]
    assert proposal.documents.count() == 2
    assert Path(old.file.path).exists()


def test_removing_a_document_takes_it_out_of_the_envelope(proposal, dave):
    document = proposal.documents.get()
    services.document_remove(document=document, actor=dave)

    document.refresh_from_db()
    assert document.removed_at is not None
    with pytest.raises(InvalidInput, match="already replaced or removed"):
        services.document_remove(document=document, actor=dave)


def test_documents_are_frozen_once_submitted(submitted, dave):
    with pytest.raises(TransitionRefused):
        upload(submitted, dave, pdf())
    with pytest.raises(TransitionRefused):
        services.document_remove(document=submitted.documents.get(), actor=dave)
    assert submitted.documents.get().removed_at is None


def test_another_vendor_cannot_upload_or_remove(proposal, erin):
    with pytest.raises(PermissionDenied):
        upload(proposal, erin, pdf())
    with pytest.raises(PermissionDenied):
        services.document_remove(document=proposal.documents.get(), actor=erin)
    assert proposal.documents.count() == 1
