"""The Rasa server as `polydesk up` runs it: `python -m bot.nlu.serve run [rasa run's arguments]`.

Rasa's own `python -m rasa`, with every model it loads (at start and on `PUT /model`, i.e. each deploy
and rollback) loaded for prediction only (`bot.nlu.fast_loading`): a swap that took ~26 s on the
reference machine no longer traces a training step per TensorFlow model. Sanic 21 serves in this
process, so the loading mode holds for the server's whole life.
"""

from __future__ import annotations

import sys
from typing import List

from bot.nlu.fast_loading import prediction_only_loading


def main(argv: List[str]) -> None:
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    with prediction_only_loading():
        rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
