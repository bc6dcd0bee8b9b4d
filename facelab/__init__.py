"""Teaching code for the module "Whose Face?": small experiments on synthetic data (see docs/lab/).

Labels come in English; ``facelab.set_language("zh_CN")`` draws the diagrams and figures with Chinese labels
(facelab.i18n).
"""

from .i18n import get_language, set_language

__all__ = ["get_language", "set_language"]
__version__ = "0.1.0"  # keep equal to pyproject.toml and conf.py
