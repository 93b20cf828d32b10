"""Entry point of `python -m bot.language`."""

import sys

from bot.language.cli import main

sys.exit(main())
