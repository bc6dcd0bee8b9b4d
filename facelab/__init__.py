"""Teaching code for the module "Whose Face?": small experiments on synthetic data (see docs/lab/)."""

__version__ = "0.1.0"  # keep equal to pyproject.toml and conf.py
