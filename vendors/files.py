"""Moved to core.files, where the challenges app can use it too; kept so older imports work."""

from core.files import (  # noqa: F401
    DOCUMENT_TYPES,
    CheckedFile,
    DocumentType,
    check_upload,
    detect_type,
    display_name,
    document_response,
    sanitise_name,
    storage_name,
)
