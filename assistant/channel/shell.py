"""`rasa shell` as `make shell` runs it (scripts/run/shell): an answer's sources printed under it as plain
text, and only the project's own warnings (rasa_command.py).

The action sends the reply's language, its sources and the answer's id as the message's custom field
(actions/actions.py), which Rasa's console prints as JSON. The custom field's `text` is the caption in
the reply's language (assistant/answering/render.py), so the shell prints that; the rest of it is for
the widget (web/widget.js).
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable, Dict

from assistant.channel import rasa_command

CAPTION_COLOR = "\033[2m"  # dim, under the answer in Rasa's blue


def print_bot_output(rasa_print: Callable, message: Dict[str, Any], *args: Any, **kwargs: Any) -> Any:
    """Rasa's print of a bot message (`rasa_print`), with a custom field printed as its caption text.
    What Rasa's returns (the question of the latest message's buttons) is returned."""
    from rasa.shared.utils.cli import print_color  # Rasa imported after the warnings filters (main)

    custom = message.get("custom")
    shown = rasa_print({k: v for k, v in message.items() if k != "custom"}, *args, **kwargs)
    if isinstance(custom, dict) and custom.get("text"):
        print_color(custom["text"], color=CAPTION_COLOR)
    return shown


def main() -> int:
    rasa_command.only_own_warnings()  # before Rasa's console is imported
    from rasa.core.channels import console

    # The console's functions call it by this module-level name; there is no other hook.
    console._print_bot_output = functools.partial(print_bot_output, console._print_bot_output)
    return rasa_command.main()


if __name__ == "__main__":
    sys.exit(main())
