"""`make run`: the web server, a Celery worker and Celery beat together, stopped together.

With no REDIS_URL and DEBUG on, Celery uses the folder queue (config/folder_queue.py) in CELERY_LOCAL_FOLDER,
so this needs no other service. Ctrl-C (or SIGTERM) stops all three; if one of them exits, the
others are stopped too.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the development server, a Celery worker and Celery beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.DEBUG:
            raise CommandError("run_local is for development (DEBUG=1).")
        folder = settings.CELERY_LOCAL_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addrport],
            # One process: SQLite takes one writer at a time anyway.
            "worker": [python, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                       "--loglevel=INFO", "--without-gossip", "--without-mingle"],
            "beat": [python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
                     "--schedule", str(folder / "beat-schedule")],
        }  # fmt: skip
        children = {
            name: subprocess.Popen(command, cwd=settings.BASE_DIR)  # noqa: S603
            for name, command in commands.items()
        }
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(
            f"Web server on http://{addrport}/, Celery worker and beat running "
            f"(broker: {settings.CELERY_BROKER_URL}). Press Ctrl-C to stop all three."
        )
        exited = None
        while not stopping and exited is None:
            exited = next((n for n, p in children.items() if p.poll() is not None), None)
            time.sleep(0.5)
        if exited:
            self.stderr.write(f"{exited} stopped; stopping the others.")
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Stopped.")
