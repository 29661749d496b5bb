"""A rater's personal link: HMAC of the secret key over the invitation and a nonce, as for
participants (assess/survey/tokens.py), so the mail worker can render the link when it sends and
a copy of the database opens nothing. Only the SHA-256 of the token is stored."""

from __future__ import annotations

import base64
import hmac
import secrets

from flask import current_app

from assess.db import db
from assess.models import RaterInvitation
from assess.survey.tokens import token_hash


def _token(invitation: RaterInvitation) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    # "rater:" keeps a rater's token from ever equalling a participant's with the same id.
    message = f"rater:{invitation.id}:{invitation.token_nonce}".encode()
    return base64.urlsafe_b64encode(hmac.digest(key, message, "sha256")).decode().rstrip("=")


def issue(invitation: RaterInvitation) -> str:
    """A new link for the invitation (an older one stops working); returns the token."""
    if invitation.id is None:
        db.session.flush()
    invitation.token_nonce = secrets.token_hex(16)
    token = _token(invitation)
    invitation.token_hash = token_hash(token)
    return token


def current_token(invitation: RaterInvitation) -> str | None:
    """The live token, recomputed from the secret key; None when revoked or the key changed."""
    if not invitation.token_nonce or not invitation.token_hash:
        return None
    token = _token(invitation)
    return token if hmac.compare_digest(token_hash(token), invitation.token_hash) else None


def find(token: str) -> RaterInvitation | None:
    """The invitation a token belongs to, or None; unknown and malformed tokens look alike."""
    if not token or len(token) > 100:
        return None
    digest = token_hash(token)
    found = db.session.execute(
        db.select(RaterInvitation).filter_by(token_hash=digest)
    ).scalar_one_or_none()
    if found is None or not hmac.compare_digest(found.token_hash or "", digest):
        return None
    return found
