"""Administration: organisations, staff accounts, the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.admin import audit_words, bp, staff
from assess.admin.forms import AccountForm, NewAccountForm, OrganisationForm, ResetPasswordForm
from assess.db import db
from assess.models import Organisation, Role, User
from assess.web.access import role_required
from assess.web.forms import ConfirmForm, confirm_page


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """The admin's overview."""
    return render_template("admin/index.html")


@bp.route("/organisaties", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def organisations():
    """The organisations, and a form to add one."""
    form = OrganisationForm()
    if form.validate_on_submit():
        org = staff.create_organisation(form.name.data)
        db.session.commit()
        flash(_("Corporatie %(name)s is toegevoegd.", name=org.name), "success")
        return redirect(url_for("admin.organisations"))
    orgs = db.session.scalars(db.select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", form=form, orgs=orgs, confirm=ConfirmForm())


@bp.route("/organisaties/<int:org_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def organisation(org_id: int):
    """Rename an organisation and see its staff accounts."""
    org = db.get_or_404(Organisation, org_id)
    form = OrganisationForm(current_id=org.id, data={"name": org.name})
    if form.validate_on_submit():
        staff.rename_organisation(org, form.name.data)
        db.session.commit()
        flash(_("De naam is gewijzigd."), "success")
        return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation.html", form=form, org=org, confirm=ConfirmForm())


@bp.post("/organisaties/<int:org_id>/actief")
@role_required(Role.ADMIN)
def organisation_active(org_id: int):
    """Deactivate or re-activate an organisation (its managers lose or regain their report)."""
    org = db.get_or_404(Organisation, org_id)
    if ConfirmForm().validate_on_submit():
        staff.set_organisation_active(org, not org.active)
        db.session.commit()
        flash(
            _("%(name)s is weer actief.", name=org.name)
            if org.active
            else _("%(name)s is gedeactiveerd.", name=org.name),
            "success",
        )
    return redirect(url_for("admin.organisations"))


@bp.get("/accounts")
@role_required(Role.ADMIN)
def accounts():
    """All staff accounts."""
    users = db.session.scalars(db.select(User).order_by(User.role, User.email)).all()
    return render_template("admin/accounts.html", users=users, role_label=audit_words.role_label)


@bp.route("/accounts/nieuw", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_account():
    """Create a staff account; a generated password is shown once."""
    form = NewAccountForm()
    if form.validate_on_submit():
        user, generated = staff.create_account(
            form.email.data,
            form.name.data.strip(),
            form.role.data,
            int(form.organisation.data) if form.organisation.data else None,
            form.password.data or None,
        )
        db.session.commit()
        if generated:
            return render_template("admin/password_shown.html", user=user, password=generated)
        flash(_("Het account voor %(email)s is aangemaakt.", email=user.email), "success")
        return redirect(url_for("admin.accounts"))
    return render_template("admin/new_account.html", form=form)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def account(user_id: int):
    """Change an account's name, role and organisation (assign a manager to a corporation)."""
    user = db.get_or_404(User, user_id)
    form = AccountForm(
        data={"name": user.name, "role": user.role, "organisation": str(user.organisation_id or "")}
    )
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != Role.ADMIN:
            form.role.errors.append(_("U kunt uw eigen beheerrechten niet weghalen."))
        else:
            staff.update_account(
                user,
                form.name.data.strip(),
                form.role.data,
                int(form.organisation.data) if form.organisation.data else None,
            )
            db.session.commit()
            flash(_("Het account is bijgewerkt."), "success")
            return redirect(url_for("admin.accounts"))
    return render_template(
        "admin/account.html",
        form=form,
        user=user,
        confirm=ConfirmForm(),
        reset=ResetPasswordForm(),
    )


@bp.route("/accounts/<int:user_id>/actief", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def account_active(user_id: int):
    """Deactivate (after a question; all sessions end) or re-activate an account; never one's own."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(400)
    if request.method == "GET":
        if not user.active:
            return redirect(url_for("admin.account", user_id=user.id))
        return confirm_page(
            _("%(email)s deactiveren?", email=user.email),
            _(
                "Open sessies van dit account worden meteen beëindigd en inloggen lukt niet "
                "meer. Gegevens blijven bewaard; u kunt het account later weer activeren."
            ),
            _("Account deactiveren"),
            action=url_for("admin.account_active", user_id=user.id),
            back=url_for("admin.account", user_id=user.id),
        )
    if ConfirmForm().validate_on_submit():
        staff.set_account_active(user, not user.active)
        db.session.commit()
        flash(
            _("%(email)s is weer actief.", email=user.email)
            if user.active
            else _("%(email)s is gedeactiveerd; open sessies zijn beëindigd.", email=user.email),
            "success",
        )
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/accounts/<int:user_id>/wachtwoord")
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    """Set a new password (typed or generated, shown once); the account's sessions end."""
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm(email=user.email)
    if form.validate_on_submit():
        generated = staff.reset_password(user, form.password.data or None)
        db.session.commit()
        if generated:
            return render_template("admin/password_shown.html", user=user, password=generated)
        flash(_("Het wachtwoord van %(email)s is gewijzigd.", email=user.email), "success")
        return redirect(url_for("admin.account", user_id=user.id))
    account_form = AccountForm(
        formdata=None,
        data={
            "name": user.name,
            "role": user.role,
            "organisation": str(user.organisation_id or ""),
        },
    )
    return render_template(
        "admin/account.html", form=account_form, user=user, confirm=ConfirmForm(), reset=form
    )


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log():
    """The audit log, newest first, paged and filtered by action."""
    action = request.args.get("actie") or None
    page = request.args.get("pagina", 1, type=int)
    events, pages, actions = staff.audit_page(action, page)
    page = min(max(page, 1), pages)
    found = audit_words.names(events)
    lines = [
        {
            "at": e.at,
            "actor": audit_words.actor(e, found),
            "action": audit_words.action_label(e.action),
            "target": audit_words.target(e, found),
            "detail": audit_words.detail_text(e.detail, found),
        }
        for e in events
    ]
    return render_template(
        "admin/audit.html",
        lines=lines,
        page=page,
        pages=pages,
        actions=[(a, audit_words.action_label(a)) for a in actions],
        action=action,
    )
