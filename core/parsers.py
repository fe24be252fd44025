"""Request parsers with the size limit Django applies to forms (DATA_UPLOAD_MAX_MEMORY_SIZE).

DRF reads the request stream itself, so Django's own check never runs for JSON. Kept apart from
core.api: REST_FRAMEWORK settings import these while rest_framework.views is still loading.
"""

import codecs
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json


def _read_limited(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    if limit is None:
        return stream.read()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ParseError(
            _("The request body is larger than %(size)d KiB; send less data.")
            % {"size": limit // 1024}
        )
    return data


def _reject_unencodable(value) -> None:
    # JSON may carry lone surrogates ("\ud800"); the database cannot store them.
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError(_("The request contains text that is not valid Unicode.")) from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_unencodable(key)
            _reject_unencodable(item)
    elif isinstance(value, list):
        for item in value:
            _reject_unencodable(item)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the size limit Django applies to forms."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = _read_limited(stream)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
            _reject_unencodable(data)
        except (ValueError, LookupError) as exc:
            raise ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": exc}
            ) from exc
        except RecursionError as exc:
            raise ParseError(_("The request body is nested too deeply.")) from exc
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(BytesIO(_read_limited(stream)), media_type, parser_context)
