"""What pyproject.toml cannot say: the top-level templates/ and questionnaires/ folders (where the
design keeps them) go into the wheel inside the package, as assess/templates and
assess/questionnaires, so an installed app finds them without the checkout (assess/config.py)."""

from setuptools import find_packages, setup

BUNDLED = {"assess.templates": "templates", "assess.questionnaires": "questionnaires"}

setup(
    packages=find_packages(include=["assess", "assess.*"]) + list(BUNDLED),
    package_dir=BUNDLED,
)
