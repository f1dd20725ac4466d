"""What pyproject.toml cannot say: resources/ installed as the package desktop_llm.resources.

resources/ stays at the top of the repository (the project's layout) and is mapped into the
package namespace here, so code reads it with importlib.resources.files("desktop_llm.resources")
(desktop_llm/core/resources.py) the same way from every install:

- a wheel (pip, pipx) and a frozen build: the files are package data under
  desktop_llm/resources/ (the globs are in pyproject.toml's package-data);
- an editable install (`make venv`): setuptools' editable finder maps the package to the
  folder in the checkout, so an edited file is seen at once.

resources/__init__.py is what makes that editable mapping importable: setuptools' finder does
not import a mapped folder without one (pypa/setuptools#4943).

Everything else (metadata, dependencies, package data) is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    # Auto-discovery as before (namespace packages included, for the Alembic migrations),
    # plus the mapped resources package, which discovery cannot see.
    packages=[*find_namespace_packages(include=["desktop_llm*"]), "desktop_llm.resources"],
    package_dir={"desktop_llm.resources": "resources"},
)
