"""`gunicorn` in a checkout reads this file; the settings live in the package (installed from
the wheel, use `gunicorn --config python:assess.gunicorn_conf`)."""

from assess.gunicorn_conf import *  # noqa: F403
