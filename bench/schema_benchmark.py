"""What the API docs page waits for: /api/schema/ generated afresh (before) and from the cache.

    DEBUG=1 .venv/bin/python bench/schema_benchmark.py [--repeat 3]

Requests the schema through Django's test client, in English and French, as JSON (what the
Swagger UI of /api/docs/ loads) and YAML: first with drf-spectacular's own view, which generates
it on every request (the page before the cache), then with the site's view (config/schema.py):
once with an empty cache (the first request after a deploy) and then warm. Prints the median of
`--repeat` runs of each, in milliseconds. No database is needed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from drf_spectacular.views import SpectacularAPIView  # noqa: E402

from config.urls import urlpatterns as app_urlpatterns  # noqa: E402

# The app's URLs plus drf-spectacular's own (uncached) view, to measure what the page did before.
urlpatterns = [path("uncached-schema/", SpectacularAPIView.as_view()), *app_urlpatterns]

FORMATS = {"JSON": "application/vnd.oai.openapi+json", "YAML": "application/vnd.oai.openapi"}


def timed(client, url, language, accept):
    started = time.perf_counter()
    response = client.get(url, headers={"accept-language": language, "accept": accept})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    with override_settings(ROOT_URLCONF=__name__):
        for language in ("en", "fr"):
            for name, accept in FORMATS.items():
                before = [
                    timed(client, "/uncached-schema/", language, accept)[0]
                    for _ in range(args.repeat)
                ]
                cold, warm = [], []
                for _ in range(args.repeat):
                    cache.clear()
                    cold.append(timed(client, "/api/schema/", language, accept)[0])
                    warm.append(timed(client, "/api/schema/", language, accept)[0])
                size = timed(client, "/api/schema/", language, accept)[1]
                rows.append((language, name, size, before, cold, warm))
    print(f"Schema request, median of {args.repeat} (ms)")
    print(f"{'lang':<5}{'format':<7}{'bytes':>9}{'before':>10}{'empty cache':>13}{'cached':>9}")
    for language, name, size, before, cold, warm in rows:
        print(
            f"{language:<5}{name:<7}{size:>9}{statistics.median(before):>10.0f}"
            f"{statistics.median(cold):>13.0f}{statistics.median(warm):>9.0f}"
        )


if __name__ == "__main__":
    main()
