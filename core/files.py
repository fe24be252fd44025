"""Checking uploaded documents by what they contain, not by what they are called.

A file's name and declared content type come from the uploader's browser and prove nothing; the
first bytes (and, for office files, the zip's manifest) do. Only the few types a proposal or a
challenge needs are accepted, and files are stored under a random name so a crafted name never
reaches the disk. Vendors' proposal documents and the municipality's own documents use this.

Data files (CSV, JSON, GeoJSON) are text, so their bytes prove little: with `data_files` the
check also parses them, so what is published as background data opens in the tools people use.
"""

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 150
# Office manifests are small; reading more than this from a zip would only serve a zip bomb.
_MANIFEST_LIMIT = 256 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = DocumentType("pdf", "PDF", "application/pdf", (".pdf",))
PNG = DocumentType("png", "PNG image", "image/png", (".png",))
JPEG = DocumentType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = DocumentType(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = DocumentType(
    "xlsx",
    "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = DocumentType(
    "pptx",
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
ODT = DocumentType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = DocumentType(
    "ods",
    "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
)
TEXT = DocumentType("txt", "plain text", "text/plain", (".txt",))
CSV = DocumentType("csv", "CSV", "text/csv", (".csv",))
JSON = DocumentType("json", "JSON", "application/json", (".json",))
GEOJSON = DocumentType("geojson", "GeoJSON", "application/geo+json", (".geojson",))

# What a vendor may attach to a proposal.
DOCUMENT_TYPES = {t.key: t for t in (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, TEXT, CSV)}
# What the municipality may attach to a challenge: the same, and data files that parse.
DATA_DOCUMENT_TYPES = {**DOCUMENT_TYPES, JSON.key: JSON, GEOJSON.key: GEOJSON}

# The "type" member a GeoJSON document's top level has (RFC 7946, section 1.4).
_GEOJSON_TYPES = frozenset(
    {
        "FeatureCollection",
        "Feature",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)

# The main part's content type named in [Content_Types].xml (macro-enabled variants differ).
_OFFICE_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_OPEN_DOCUMENT_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    document_type: DocumentType
    size: int
    sha256: str


def _zip_type(upload) -> DocumentType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as manifest:
                    content = manifest.read(_MANIFEST_LIMIT)
                for part, document_type in _OFFICE_MAIN_PARTS.items():
                    if part in content:
                        return document_type
                return None
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(200).strip()
                return _OPEN_DOCUMENT_MIMETYPES.get(mimetype)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    return None


def _is_text(upload) -> bool:
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_type(upload, *, name: str = "", data_files: bool = False) -> DocumentType | None:
    """The accepted type the file's content shows, or None. `name` only picks among the text
    types (txt or csv; with `data_files`, json and geojson too)."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if _is_text(upload):
        lowered = name.lower()
        if lowered.endswith(".csv"):
            return CSV
        if data_files and lowered.endswith(".geojson"):
            return GEOJSON
        if data_files and lowered.endswith(".json"):
            return JSON
        return TEXT
    return None


def _read_text(upload) -> str:
    upload.seek(0)
    # A byte order mark is common in spreadsheet exports and is not part of the data.
    return upload.read().decode("utf-8-sig")


def data_problems(upload, document_type: DocumentType) -> list[str]:
    """Why a CSV, JSON or GeoJSON file does not parse as one (nothing for other types)."""
    if document_type == CSV:
        return _csv_problems(_read_text(upload))
    if document_type in (JSON, GEOJSON):
        try:
            data = json.loads(_read_text(upload))
        except (ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            if line:
                return [
                    _("This file is not valid JSON (line %(line)d); export it again.")
                    % {"line": line}
                ]
            return [_("This file is not valid JSON; export it again.")]
        if document_type == GEOJSON and not (
            isinstance(data, dict) and data.get("type") in _GEOJSON_TYPES
        ):
            return [
                _(
                    "This file is JSON but not GeoJSON: its top level needs a “type” such as "
                    "FeatureCollection. Rename it .json, or export it as GeoJSON."
                )
            ]
    return []


def _csv_problems(text: str) -> list[str]:
    widths = set()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if row:
                widths.add(len(row))
            if len(widths) > 1:
                return [
                    _(
                        "Line %(line)d of this CSV file has a different number of columns "
                        "than the lines before it; fix the file and upload it again."
                    )
                    % {"line": reader.line_num}
                ]
    except csv.Error:
        return [
            _("This CSV file cannot be read from line %(line)d (a quote is not closed?).")
            % {"line": reader.line_num}
        ]
    if not widths:
        return [_("This CSV file has no rows.")]
    return []


def sanitise_name(name: str) -> str:
    """Keep only a safe base name: no folders, no control characters, no leading dots."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    return name.strip().lstrip(".").strip()


def display_name(name: str, document_type: DocumentType) -> str:
    """The name to download under: the vendor's, with an extension that matches the content."""
    if os.path.splitext(name)[1].lower() in document_type.extensions:
        return name
    return f"{name}{document_type.extensions[0]}"


def storage_name(*, folder: str, document_type: DocumentType) -> str:
    return f"{folder}/{uuid.uuid4().hex}{document_type.extensions[0]}"


def check_upload(upload, *, max_bytes: int | None = None, data_files: bool = False) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError keyed by field ("file" or "name").

    `data_files`: also accept JSON and GeoJSON, and parse CSV, JSON and GeoJSON files (the
    municipality's background data). Both kinds share the size limit VENDOR_DOCUMENT_MAX_BYTES."""
    max_bytes = max_bytes or settings.VENDOR_DOCUMENT_MAX_BYTES
    raw_name = getattr(upload, "name", "") or ""
    name = sanitise_name(raw_name)
    if not name:
        raise ValidationError({"name": [_("Give the file a name.")]})
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ValidationError({"file": [_("The file is empty; choose the file again.")]})
    if size > max_bytes:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s; files can be at most %(limit)s.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
                ]
            }
        )
    document_type = detect_type(upload, name=name, data_files=data_files)
    if document_type is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "This file's content is not an accepted type, whatever its name says. "
                        "Upload a PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument text or "
                        "spreadsheet, plain text, CSV, JSON or GeoJSON file."
                    )
                    if data_files
                    else _(
                        "This file's content is not an accepted type, whatever its name says. "
                        "Upload a PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument text or "
                        "spreadsheet, plain text or CSV file."
                    )
                ]
            }
        )
    if data_files:
        problems = data_problems(upload, document_type)
        if problems:
            raise ValidationError({"file": problems})
    name = display_name(name, document_type)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {
                "name": [
                    _("The file name is too long; shorten it to %(limit)d characters or fewer.")
                    % {"limit": MAX_NAME_LENGTH}
                ]
            }
        )
    digest = hashlib.sha256()
    upload.seek(0)
    counted = 0
    while chunk := upload.read(_CHUNK):
        digest.update(chunk)
        counted += len(chunk)
    upload.seek(0)
    return CheckedFile(
        name=name, document_type=document_type, size=counted, sha256=digest.hexdigest()
    )


def document_response(document):
    """Send a stored document as a download. Someone else chose the bytes: never let a browser
    run or sniff them, nor a shared cache keep them. `document` has `file`, `original_name`
    (already sanitised) and `content_type`."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
