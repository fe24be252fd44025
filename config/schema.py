"""The OpenAPI schema, generated once per language, API version and deployed code, then cached.

Generating it walks every view and serializer (seconds; 14 s was seen on a busy machine), and it
changes only when the code does. The cache key carries a fingerprint of what the schema is made
from: the project's Python sources, the compiled translations, drf-spectacular's version and its
settings. A deploy changes the fingerprint, so a new release never serves an old schema, and the
old entries simply expire. The schema is public (SERVE_PUBLIC), so it does not depend on the user.
"""

import hashlib
from functools import lru_cache
from importlib.metadata import version as package_version

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView

CACHE_SECONDS = 7 * 24 * 3600
SOURCE_FOLDERS = (
    "config",
    "core",
    "challenges",
    "vendors",
    "evaluation",
    "procurement",
    "opendata",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of everything the schema is generated from, computed once per process."""
    digest = hashlib.sha256()
    digest.update(package_version("drf-spectacular").encode())
    digest.update(repr(sorted(settings.SPECTACULAR_SETTINGS.items())).encode())
    base = settings.BASE_DIR
    files = [p for folder in SOURCE_FOLDERS for p in (base / folder).rglob("*.py")]
    files += list((base / "locale").rglob("*.mo"))
    for path in sorted(files):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def schema_cache_key(language: str, version: str | None, media_type: str) -> str:
    return f"api-schema:{code_fingerprint()}:{language}:{version or '-'}:{media_type}"


class CachedSchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, keeping each rendered schema (JSON or YAML) in the cache."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        language = translation.get_language() or settings.LANGUAGE_CODE
        key = schema_cache_key(language, version, media_type)
        content = cache.get(key)
        if content is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=request, public=self.serve_public)
            content = renderer.render(schema, media_type, self.get_renderer_context())
            cache.set(key, content, CACHE_SECONDS)
        content_type = (
            f"{media_type}; charset={renderer.charset}" if renderer.charset else media_type
        )
        response = HttpResponse(content, content_type=content_type)
        filename = self._get_filename(request, version)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
