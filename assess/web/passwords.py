"""Password hashing (argon2id) and the password policy (length and a list of common ones)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


def hasher() -> PasswordHasher:
    c = current_app.config
    return PasswordHasher(
        time_cost=c["ARGON2_TIME_COST"],
        memory_cost=c["ARGON2_MEMORY_COST"],
        parallelism=c["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if stored is None:
        # Hash anyway so that an unknown e-mail address takes as long as a wrong password:
        # the login form must not reveal which addresses have an account.
        hasher().hash(password)
        return False
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    lines = (line.strip().lower() for line in COMMON_FILE.read_text().splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """A Dutch explanation of what is wrong with a new password, or None when it is fine.

    Length and a block list only, no composition rules (NIST SP 800-63B, ASVS 6.2).
    """
    if len(password) < MIN_LENGTH:
        return _("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Een wachtwoord mag hoogstens %(n)d tekens lang zijn.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or (email and lowered == email.lower()):
        return _("Dit wachtwoord is te bekend of te makkelijk te raden. Kies een ander.")
    return None
