"""Rasa's command line as the project runs it (assistant/channel/rasa_command.py): the project's own
warnings shown, other packages' hidden, also after Rasa has set up its own filters."""

from __future__ import annotations

import logging
import sys
import warnings
from typing import List

import pytest
import rasa.__main__
from rasa.utils.common import _filter_warnings

from assistant.channel import rasa_command

OTHERS = ["sqlalchemy.orm", "tensorflow.python.framework", "pkg_resources", "rasa.core.tracker_store", "assistants"]
OWN = ["assistant.channel.front", "actions.actions", "editor.views", "scripts.run.serve", "assistant"]
KINDS = [DeprecationWarning, UserWarning, FutureWarning]


def shown(modules: List[str]) -> List[str]:
    """Which of these modules' warnings of each kind the filters in place let through."""
    with warnings.catch_warnings(record=True) as caught:
        for module in modules:
            for kind in KINDS:
                warnings.warn_explicit(f"{module} {kind.__name__}", kind, f"{module}.py", 1, module=module)
    return [str(w.message) for w in caught]


@pytest.fixture
def filters(monkeypatch):
    """The warnings filters as they are, put back after the test; no -W or PYTHONWARNINGS given."""
    monkeypatch.setattr(sys, "warnoptions", [])
    with warnings.catch_warnings():
        warnings.resetwarnings()
        yield


def test_only_the_projects_own_warnings_are_shown(filters):
    rasa_command.only_own_warnings()
    assert shown(OTHERS) == []
    assert shown(OWN) == [f"{module} {kind.__name__}" for module in OWN for kind in KINDS]


def test_a_developers_own_warning_options_win(filters, monkeypatch):
    monkeypatch.setattr(sys, "warnoptions", ["default"])
    warnings.simplefilter("default")
    rasa_command.only_own_warnings()
    assert len(shown(OTHERS)) == len(OTHERS) * len(KINDS)


def test_rasas_own_filters_do_not_bring_other_packages_warnings_back(filters, monkeypatch):
    def rasa_configure(*args, **kwargs) -> None:  # its warnings part, without its logging's
        _filter_warnings(log_level=logging.INFO)

    def rasa_main() -> List[str]:
        rasa.__main__.configure_logging_and_warnings(None, None, warn_only_once=True)
        return shown(OTHERS)

    monkeypatch.setattr(sys, "argv", ["python", "run"])
    monkeypatch.setattr(rasa.__main__, "configure_logging_and_warnings", rasa_configure)
    monkeypatch.setattr(rasa.__main__, "main", rasa_main)
    assert rasa_command.main() == []
    assert sys.argv[0] == "rasa"
