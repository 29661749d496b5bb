"""assess: the self-assessment that goes with the Leergang Woonconsulent."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from assess import config as cfg
from assess.db import db
from assess.extensions import babel, csrf, limiter, login_manager, migrate


def instance_path() -> str | None:
    """ASSESS_INSTANCE_PATH, made absolute as Flask requires; None keeps Flask's default."""
    chosen = os.environ.get("ASSESS_INSTANCE_PATH")
    return os.path.abspath(chosen) if chosen else None


def create_app(config: Mapping | None = None) -> Flask:
    """Create and configure an app; `config` (tests) replaces the instance file and environment."""
    app = Flask(
        __name__,
        # Installed from the wheel, Flask's default is <venv>/var/assess-instance; a service
        # whose venv is read-only points ASSESS_INSTANCE_PATH at its state directory.
        instance_path=instance_path(),
        instance_relative_config=True,
        template_folder=str(cfg.TEMPLATE_DIR),
    )
    app.config.from_mapping(cfg.defaults(app.instance_path))
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
        cfg.from_environment(app.config)
    else:
        app.config.from_mapping(config)
    cfg.finish(app.config, app.instance_path)
    try:
        os.makedirs(app.instance_path, exist_ok=True)
    except OSError as exc:
        raise cfg.StartupError(f"cannot create {app.instance_path}: {exc.strerror}") from exc

    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    if app.config["TRUSTED_HOSTS"]:
        app.config["TRUSTED_HOSTS"] = list(app.config["TRUSTED_HOSTS"])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(cfg.PACKAGE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from assess import admin, auth, cli, manager, participant, rater, trainer
    from assess.admin import retention, wipe
    from assess.reports import promises
    from assess.survey import forms as survey_forms
    from assess.survey import labels, questionnaires
    from assess.trainer import mail
    from assess.web import (
        access,
        database,
        errors,
        i18n,
        logs,
        main,
        maintenance,
        security,
        sqlite_files,
    )

    logs.init_app(app)
    database.init_app(app)
    sqlite_files.init_app(app)
    i18n.init_app(app, babel)
    access.init_app(app)
    security.init_app(app)
    questionnaires.init_app(app)
    app.add_template_global(survey_forms.radio_options)
    app.add_template_global(labels.moment_name)
    app.add_template_global(labels.moment_title)
    app.add_template_global(questionnaires.name, "questionnaire_name")
    # Every "who sees what" sentence comes from one module (tests/app/test_promises.py).
    app.jinja_env.globals["promises"] = promises
    for blueprint in (
        main.bp,
        auth.bp,
        participant.bp,
        rater.bp,
        trainer.bp,
        manager.bp,
        admin.bp,
        mail.bp,
        retention.bp,
        wipe.bp,
        maintenance.bp,
    ):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    cli.init_app(app)
    return app
