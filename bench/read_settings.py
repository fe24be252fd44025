"""Settings for bench/read_throughput.py: the app's own, plus the bare reference view's URL.

Plain static storage: the benchmark does not run collectstatic.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.read_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
