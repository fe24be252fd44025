"""Every e-mail goes through the outbox (DESIGN.md §4).

An app that sends an e-mail writes it here, in the transaction of the action it reports: nothing
is sent for a write that rolled back, and a mail server that is down loses nothing, because the
row waits and is sent again until it is delivered. The outbox itself (its table, the sending
task, the sweeper) belongs to the app that delivers messages, which registers its writer from
its `AppConfig.ready()`, so lower apps never import it.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_writer: Callable | None = None


def register_email_outbox(writer: Callable) -> None:
    """`writer(*, to, subject, body, headers)` stores one e-mail per address and queues its
    sending."""
    global _writer
    _writer = writer


def email_send_later(
    *, to: list[str], subject: str, body: str, headers: dict | None = None
) -> list:
    """Keep an e-mail to each address in the outbox; it is sent after commit, and again after a
    failure, until delivered. `headers` are added to the message. Returns the stored rows."""
    addresses = sorted({address for address in to if address})
    if not addresses:
        return []
    if _writer is None:
        raise ImproperlyConfigured("No e-mail outbox is registered.")
    return _writer(to=addresses, subject=str(subject), body=str(body), headers=headers or {})
