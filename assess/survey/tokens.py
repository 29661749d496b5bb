"""Personal invitation links: issuing, revoking and looking up a participant's token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

from assess import clock
from assess.db import db
from assess.models import Participant


def _token(participant: Participant) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{participant.id}:{participant.token_nonce}".encode()
    # 256 bits of HMAC output, URL-safe: far above the 128 bits ASVS 6.4.1 asks for.
    return base64.urlsafe_b64encode(hmac.digest(key, message, "sha256")).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(participant: Participant) -> str:
    """Give the participant a new link (the old one stops working) and return its token."""
    if participant.id is None:
        db.session.flush()
    participant.token_nonce = secrets.token_hex(16)
    token = _token(participant)
    participant.token_hash = token_hash(token)
    participant.token_issued_at = clock.now()
    return token


def revoke(participant: Participant) -> None:
    participant.token_nonce = None
    participant.token_hash = None


def current_token(participant: Participant) -> str | None:
    """The participant's live token, recomputed from the secret key; None when revoked."""
    if not participant.token_nonce or not participant.token_hash:
        return None
    token = _token(participant)
    # A rotated SECRET_KEY turns every stored hash stale: report no link rather than a dead one.
    return token if hmac.compare_digest(token_hash(token), participant.token_hash) else None


def find(token: str) -> Participant | None:
    """The participant a token belongs to, or None. Unknown and malformed tokens look alike."""
    if not token or len(token) > 100:
        return None
    digest = token_hash(token)
    # The lookup is by hash, so response time tells nothing about how close a guess was.
    participant = db.session.execute(
        db.select(Participant).filter_by(token_hash=digest)
    ).scalar_one_or_none()
    if participant is None or not hmac.compare_digest(participant.token_hash or "", digest):
        return None
    return participant
