"""Language identification for short chat messages, without Rasa: `python -m bot.language`.

identifier = LanguageIdentifier(candidates=["tr", "fi", "hu", "en"])
identifier.detect("tesekkurler", prior={"fi": 0.7}).language  # "tr"
"""

from bot.language.detection import UNDETERMINED, Detection
from bot.language.identifier import LanguageIdentifier, detect
from bot.language.model import available_languages

__all__ = ["UNDETERMINED", "Detection", "LanguageIdentifier", "available_languages", "detect"]
