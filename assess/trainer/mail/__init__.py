"""The trainer's mail: invitations and reminders per cohort, the outbox they are queued in, and
the commands `send-reminders` and `mail-worker`."""

from flask import Blueprint

bp = Blueprint("mailing", __name__, url_prefix="/trainer/mail", cli_group=None)

from assess.trainer.mail import views, worker  # noqa: E402,F401  (register views, commands on bp)
