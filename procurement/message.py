from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A notification's words, produced with the recipient's language active."""

    title: str
    body: str
    link: str = ""
