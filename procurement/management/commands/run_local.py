"""`make run`: the web server, a Celery worker and Celery beat together, kept up together.

With no REDIS_URL and DEBUG on, Celery uses the folder queue (config/folder_queue.py) in
CELERY_LOCAL_FOLDER, so this needs no other service. A process that exits is started again with a
log line (procurement/local_stack.py); one that keeps exiting (5 times within 10 minutes) stops the
whole stack. Ctrl-C (or SIGTERM) stops all three.
"""

import os
import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from procurement.local_stack import Supervisor


def site_url(addrport):
    """The address e-mails link to, from runserver's ADDRPORT ("8000", "0.0.0.0:80", "[::1]:80")."""
    host, _, port = addrport.rpartition(":")
    if not host:
        host = "127.0.0.1"
    if host in ("0.0.0.0", "[::]", "::"):  # noqa: S104 (listening everywhere: link to this machine)
        host = "localhost"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Run the development server, a Celery worker and Celery beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--max-restarts", type=int, default=5)
        parser.add_argument("--restart-window", type=float, default=600.0, help="seconds")

    def handle(self, *args, addrport, max_restarts, restart_window, **options):
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
        env = dict(os.environ)
        # E-mails link to the address the server listens on, unless SITE_URL says otherwise.
        env.setdefault("SITE_URL", site_url(addrport))

        def log(line):
            self.stderr.write(f"[run_local] {line}")
            self.stderr.flush()

        supervisor = Supervisor(
            commands,
            cwd=settings.BASE_DIR,
            env=env,
            log=log,
            max_restarts=max_restarts,
            window=restart_window,
        )
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        supervisor.start()
        self.stdout.write(
            f"Web server on http://{addrport}/ (links in e-mails: {env['SITE_URL']}), Celery "
            f"worker and beat running (broker: {settings.CELERY_BROKER_URL}). "
            "Press Ctrl-C to stop all three."
        )
        while not stopping and supervisor.check():
            time.sleep(0.5)
        supervisor.stop()
        self.stdout.write("Stopped.")
        if supervisor.gave_up:
            raise CommandError(f"{supervisor.gave_up} kept exiting.")
