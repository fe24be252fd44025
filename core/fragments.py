"""Keys for cached template fragments that name what the fragment shows.

A fragment is cached (`{% cache %}`) under a key made of the very values it renders, so a cached
copy is never stale and nothing has to clear it: any change to what is shown makes a new key.
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Model

_PLAIN = (str, int, float, bool, Decimal, date, datetime, type(None))


def _values(part):
    if isinstance(part, Model):
        # Only the fields the row was read with: reading a deferred one would cost a query.
        loaded = part.__dict__
        yield type(part)._meta.label
        for field in part._meta.concrete_fields:
            if field.attname in loaded:
                yield loaded[field.attname]
    elif isinstance(part, list | tuple):
        yield len(part)
        for item in part:
            yield from _values(item)
    elif isinstance(part, _PLAIN):
        yield part
    else:
        raise TypeError(f"content_key() takes rows and plain values, not {type(part).__name__}")


def content_key(*parts) -> str:
    """A digest of `parts`: model rows (the values of their loaded fields), lists and tuples of
    them, and plain values (str, numbers, dates, None)."""
    digest = hashlib.blake2b(digest_size=20)
    for value in _values(parts):
        digest.update(repr(value).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()
