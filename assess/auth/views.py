"""Staff sign-in: login, logout and changing one's password."""

from __future__ import annotations

import logging

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from assess import clock
from assess.auth import bp, throttle
from assess.db import db
from assess.extensions import limiter
from assess.models import User
from assess.web import audit
from assess.web.access import start_session
from assess.web.forms import ConfirmForm
from assess.web.passwords import hash_password, password_problem, verify_password
from assess.web.security import safe_next

log = logging.getLogger("assess.security")


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in.")), Length(max=128)]
    )
    next = HiddenField()
    submit = SubmitField(_l("Inloggen"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(_l("Verplicht."))])
    new = PasswordField(_l("Nieuw wachtwoord"), validators=[DataRequired(_l("Verplicht."))])
    repeat = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[EqualTo("new", _l("De twee wachtwoorden zijn niet gelijk."))],
    )
    submit = SubmitField(_l("Wachtwoord wijzigen"))

    def validate_new(self, field) -> None:
        problem = password_problem(field.data or "", current_user.email)
        if problem:
            raise ValidationError(problem)


def login_failed(response) -> bool:
    """Only failed attempts count towards the login rate limit."""
    return bool(g.get("login_failed"))


def tried_account() -> str:
    """The e-mail address the login form tries, as the rate limits and the throttle key it."""
    return (request.form.get("email") or "").strip().lower()[:254]


def address_and_account() -> str:
    """The rate-limit key of one address trying one account."""
    return f"login-address-account:{get_remote_address()}:{tried_account()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    deduct_when=login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_ADDRESS_ACCOUNT_RATE_LIMIT"],
    key_func=address_and_account,
    methods=["POST"],
    deduct_when=login_failed,
)
def login():
    """Sign in with e-mail address and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = throttle.wait_seconds(email)
        if wait:
            message = ngettext(
                "Voor dit account is vaak een verkeerd wachtwoord geprobeerd. Probeer het over"
                " %(num)d seconde opnieuw.",
                "Voor dit account is vaak een verkeerd wachtwoord geprobeerd. Probeer het over"
                " %(num)d seconden opnieuw.",
                wait,
            )
            form.password.errors.append(message)
            return render_template("auth/login.html", form=form), 429
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        right = verify_password(user.password_hash if user else None, form.password.data)
        if right and user and not user.active:
            # Said only after the right password, so a guesser learns nothing from it.
            audit.record("login_refused_inactive", "user", user.id, actor_type="anonymous")
            db.session.commit()
            form.email.errors.append(
                _("Je account is gedeactiveerd. Vraag de beheerder om het weer te activeren.")
            )
            return render_template("auth/login.html", form=form)
        if right and user:
            # A fresh session at login: nothing from before (fixation) carries over.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            start_session(user)
            user.last_login_at = clock.now()
            audit.record("login", "user", user.id)
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(form.next.data, url_for("main.index")))
        g.login_failed = True
        throttle.note_failure(email)
        log.warning("login failed")
        audit.record("login_failed", "user", user.id if user else None, actor_type="anonymous")
        db.session.commit()
        # One message for both cases, so the form does not reveal which addresses exist.
        form.password.errors.append(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out everywhere: the session version bump refuses every older cookie."""
    form = ConfirmForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.session_version += 1
        audit.record("logout", "user", user.id)
        db.session.commit()
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions of this account end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append(_("Je huidige wachtwoord klopt niet."))
        else:
            user.password_hash = hash_password(form.new.data)
            user.must_change_password = False
            user.session_version += 1
            audit.record("password_changed", "user", user.id)
            db.session.commit()
            # Keep this browser signed in under the new session version.
            login_user(user)
            start_session(user)
            flash(_("Je wachtwoord is gewijzigd. Andere sessies zijn beëindigd."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
