"""Secret tokens carried in links (vendor invitations, calendar feeds).

Only a token's digest is stored, so a copy of the database hands out no working link. A plain
SHA-256 is enough: the tokens are 256 random bits, which no one can guess from a digest.
"""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(str(token or "").encode()).hexdigest()
