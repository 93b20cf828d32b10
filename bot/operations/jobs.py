"""One background training at a time, with its progress, for the console and the CLI.

The job runs in a thread (the training itself is a `rasa train` subprocess). A file lock under var/
makes the rule hold across processes too: a retrain started from the CLI while the console's runs is
refused with the same message.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from bot.operations.progress import Progress

logger = logging.getLogger(__name__)


class TrainingBusy(RuntimeError):
    """A training is already running."""


@dataclass
class Job:
    id: str
    started_by: str
    started_at: float
    progress: Progress = field(default_factory=Progress)
    state: str = "running"  # running, succeeded, failed
    finished_at: Optional[float] = None
    result: Optional[dict[str, Any]] = None
    error: Optional[str] = None
    log: list[str] = field(default_factory=list)
    training: Optional[dict[str, Any]] = None  # the path taken: full or incremental, and why

    def to_json(self) -> dict[str, Any]:
        end = self.finished_at or time.time()
        return {
            "id": self.id,
            "state": self.state,
            "started_by": self.started_by,
            "started_at": self.started_at,
            "elapsed_seconds": round(end - self.started_at),
            "progress": self.progress.to_json(),
            "result": self.result,
            "error": self.error,
            "log": self.log[-30:],
            "training": self.training,
        }


class JobSink:
    """What a running training reports to: progress updates and log lines."""

    def __init__(self, job: Job, on_change: Callable[[Job], None]) -> None:
        self.job = job
        self._on_change = on_change

    def stage(self, stage: str, message: str = "") -> None:
        self.job.progress.stage = stage
        self.job.progress.message = message
        self.line(f"{stage}: {message}" if message else stage)

    def line(self, text: str) -> None:
        self.job.log = (self.job.log + [text])[-200:]
        self._on_change(self.job)

    def changed(self) -> None:
        self._on_change(self.job)


Work = Callable[[JobSink], dict[str, Any]]


class TrainingJobs:
    def __init__(self, lock_path: Path, on_change: Optional[Callable[[Job], None]] = None) -> None:
        self.lock_path = lock_path
        self._on_change = on_change or (lambda job: None)
        self._guard = threading.Lock()
        self._current: Optional[Job] = None
        self._last: Optional[Job] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def current(self) -> Optional[Job]:
        """The running job, else the last finished one."""
        return self._current or self._last

    def start(self, who: str, work: Work, background: bool = True) -> Job:
        """Starts `work`; raises TrainingBusy if a training runs here or in another process."""
        with self._guard:
            if self._current is not None:
                raise TrainingBusy(
                    f"a training started by {self._current.started_by} is running "
                    f"({self._current.progress.stage}); wait for it to finish"
                )
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.lock_path.open("a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                handle.close()
                raise TrainingBusy("a training started elsewhere (CLI or another gateway) is running") from error
            job = Job(uuid.uuid4().hex[:12], who, time.time())
            self._current = job
        if background:
            self._thread = threading.Thread(target=self._run, args=(job, work, handle), daemon=True, name="retrain")
            self._thread.start()
        else:
            self._run(job, work, handle)
        return job

    def wait(self, timeout: Optional[float] = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, job: Job, work: Work, handle: Any) -> None:
        sink = JobSink(job, self._on_change)
        try:
            job.result = work(sink)
            job.state = "succeeded"
            job.progress.stage = "done"
            job.progress.eta_seconds = 0
        except Exception as error:  # the job reports any failure to the operator, and logs it
            logger.exception("training job %s failed", job.id)
            job.state, job.error = "failed", str(error)[-2000:]
            job.progress.stage = "failed"
        finally:
            job.finished_at = time.time()
            with self._guard:
                self._current, self._last = None, job
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
            self._on_change(job)
