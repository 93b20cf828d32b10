"""Reading `rasa train`'s output as progress: stage, epoch and the time left.

Rasa prints one tqdm bar per trained component ("Epochs:  10%|█  | 6/60 [00:03<00:27, ...]"), in the
order of config.yml (DIET, ResponseSelector, then TED). A bar that starts again from a lower epoch is the
next component; the time left adds the running bar's estimate and, for the components still to come,
their epochs at the pace of the ones already trained.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Sequence

_BAR = re.compile(r"Epochs:\s*(\d+)%\|[^|]*\|\s*(\d+)/(\d+)\s*\[([\d:]+)<([\d:?]+)")
STAGES = ("queued", "assembling", "training", "evaluating", "done", "failed")


def _seconds(clock: str) -> Optional[float]:
    if "?" in clock:
        return None
    total = 0.0
    for part in clock.split(":"):
        total = total * 60 + float(part)
    return total


@dataclass
class Progress:
    stage: str = "queued"
    component: Optional[str] = None
    epoch: int = 0
    epochs: int = 0
    component_index: int = 0
    components: int = 0
    eta_seconds: Optional[float] = None
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ProgressParser:
    """Feeds on output lines; `components` are (name, epochs) in training order."""

    components: Sequence[tuple[str, int]]
    post_training_seconds: float = 60.0  # evaluation and registration after the last bar
    progress: Progress = field(default_factory=Progress)
    _seconds_per_epoch: Optional[float] = None
    _last_epoch: int = -1
    _last_total: int = 0

    def __post_init__(self) -> None:
        self.progress.components = len(self.components)

    def feed(self, line: str) -> bool:
        """Updates the progress from one line; True when it changed."""
        match = _BAR.search(line)
        if match is None:
            if "Training" in line and self.progress.stage in ("queued", "assembling"):
                self.progress.stage = "training"
                return True
            return False
        epoch, total = int(match.group(2)), int(match.group(3))
        elapsed, left = _seconds(match.group(4)), _seconds(match.group(5))
        new_bar = self._last_epoch < 0 or epoch < self._last_epoch or total != self._last_total
        if new_bar and self._last_epoch >= 0:
            self.progress.component_index = min(self.progress.component_index + 1, max(0, len(self.components) - 1))
        self._last_epoch, self._last_total = epoch, total
        index = self.progress.component_index
        self.progress.stage = "training"
        self.progress.component = self.components[index][0] if index < len(self.components) else None
        self.progress.epoch, self.progress.epochs = epoch, total
        if elapsed is not None and epoch > 0:
            self._seconds_per_epoch = elapsed / epoch
        later = sum(epochs for _, epochs in self.components[index + 1 :])
        pace = self._seconds_per_epoch
        if left is not None and pace is not None:
            self.progress.eta_seconds = round(left + later * pace + self.post_training_seconds)
        return True


def epoch_components(config: dict[str, Any]) -> list[tuple[str, int]]:
    """(component, epochs) of the trained-by-epochs components of an assembled config, in order."""
    found = []
    for section in ("pipeline", "policies"):
        for component in config.get(section) or []:
            name = str(component.get("name", "")).rsplit(".", 1)[-1]
            if name in ("DIETClassifier", "ResponseSelector", "TEDPolicy"):
                found.append((name, int(component.get("epochs", 300))))
    return found
