"""Rasa's command line as the project's entry points run it (rasa_server.py for `rasa run`, shell.py for
`rasa shell`): with the warnings of the project's own modules shown and every other package's hidden.

Rasa and its libraries warn of their own deprecations (SQLAlchemy, TensorFlow, pkg_resources, ...) on
every start, which a developer can do nothing about and which bury the project's own warnings and the
shell's prompt. The warnings' `module` is the code that warned, so a filter by module tells them apart;
PYTHONWARNINGS cannot, as it matches module names literally. A developer who sets PYTHONWARNINGS or
python -W gets Python's and Rasa's own handling instead.
"""

from __future__ import annotations

import sys
import warnings

OWN_MODULES = r"(assistant|actions|editor|scripts)(\.|$)"


def only_own_warnings() -> None:
    if sys.warnoptions:
        return
    warnings.filterwarnings("ignore")
    warnings.filterwarnings("default", module=OWN_MODULES)


def main() -> int:
    only_own_warnings()  # importing Rasa warns already
    import rasa.__main__

    rasa_configure = rasa.__main__.configure_logging_and_warnings

    def configure(*args, **kwargs) -> None:
        rasa_configure(*args, **kwargs)
        only_own_warnings()  # Rasa's filters go before ours (all UserWarnings shown once): ours first again

    rasa.__main__.configure_logging_and_warnings = configure
    sys.argv[0] = "rasa"
    return rasa.__main__.main()
