import os

from celery import Celery

from . import folder_queue  # noqa: F401  (registers the folderqueue:// transport of `make run`)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("civic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
