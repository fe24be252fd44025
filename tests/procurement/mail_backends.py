"""Email backends for the failure tests (used by in-process and subprocess workers)."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise OSError("mail server unreachable")


class SlowFileBackend(BaseEmailBackend):
    """Takes SLOW_EMAIL_SECONDS per message, then writes it to SLOW_EMAIL_DIR: a worker killed
    meanwhile has sent nothing."""

    def send_messages(self, email_messages):
        folder = Path(os.environ["SLOW_EMAIL_DIR"])
        for message in email_messages:
            time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "0.5")))
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
