"""Start assess on this machine: `python run.py` (embedded SQLite in instance/, migrated on start)."""

from __future__ import annotations

import argparse
import os
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Start the assess web app. The database (DATABASE_URL, default SQLite in instance/)"
            " is created and migrated on start."
        )
    )
    parser.add_argument(
        "--host",
        default=os.environ.get("HOST", "127.0.0.1"),
        help="address to listen on (default 127.0.0.1; HOST)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "5000")),
        help="port (default 5000; PORT)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load demo data (five corporations, two cohorts, logins) before starting",
    )
    parser.add_argument(
        "--debug", action="store_true", help="Flask debug mode with reloader (development only)"
    )
    return parser.parse_args(argv)


def prepare(app) -> None:
    """Bring the database to the current schema; stop with one clear line when it cannot."""
    from flask_migrate import upgrade
    from sqlalchemy.exc import SQLAlchemyError

    from assess.config import StartupError

    with app.app_context():
        try:
            upgrade()
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise StartupError(
                f"cannot open or migrate the database ({app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}): {reason}"
            ) from None


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import logging

    # Alembic's INFO lines on every start are noise for someone who just wants the app.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from assess import create_app

    app = create_app()
    prepare(app)
    from assess.cli import default_base_url

    # The links and logins printed below point at the address this app really runs on.
    base_url = (app.config.get("BASE_URL") or default_base_url(args.port, args.host)).rstrip("/")
    if args.demo:
        from assess import demo
        from assess.cli import echo_demo

        with app.app_context():
            summary = demo.load()
            print("Demo data loaded.")
            echo_demo(summary, base_url)
    print(f"assess runs on http://{args.host}:{args.port}/  (Ctrl+C stops)")
    app.run(host=args.host, port=args.port, debug=args.debug, use_reloader=args.debug)


if __name__ == "__main__":
    try:
        main()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            sys.exit(1)
        raise
