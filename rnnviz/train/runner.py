"""Background training shared by every session: a bounded pool of workers, round-robin in short slices.

Each Run lives outside any script run, so reruns and clicks never lose progress. Workers take the
next waiting run, train it for a slice, and put it back at the end of the queue: many runs share the
machine fairly, interactive reruns keep a core, and a waiting run knows its place in the queue.
"""
from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import torch

from .loop import Event, Settings, Trainer

SLICE_SECONDS = 0.15
TRAIN_NICENESS = 10      # training threads give way to reruns when the cores are busy
SWITCH_INTERVAL = 0.001
WORKERS = int(os.environ.get("RNNVIZ_TRAIN_WORKERS", max(1, (os.cpu_count() or 2) - 1)))
_ids = itertools.count(1)


@dataclass(eq=False)
class Run:
    """One training run: its trainer, every event so far, and its state."""

    settings: Settings
    label: str = ""
    trainer: Trainer = field(init=False)
    events: list[Event] = field(default_factory=list)
    # Running summaries, kept as events arrive so a live view reads a slice instead of scanning every event.
    steps: list[int] = field(default_factory=list)          # of the sane events
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    with_grads: list[Event] = field(default_factory=list)   # events that carry ‖dL/dh_t‖
    timeline: list[Event] = field(default_factory=list)     # events at the lessons' printing cadence
    status: str = "new"              # new | queued | running | stopped | done | failed
    message: str = ""
    id: int = field(default_factory=lambda: next(_ids))
    stop_requested: threading.Event = field(default_factory=threading.Event)

    trainer_: Trainer | None = None   # an existing trainer (uploaded weights) instead of a fresh one

    def __post_init__(self):
        self.trainer = self.trainer_ or Trainer(self.settings)   # raises ValueError for bad settings
        self.settings = self.trainer.settings
        self.trainer_ = None

    def record(self, event: Event) -> None:
        """Keep an event and update the summaries."""
        self.events.append(event)
        if event.status != "ok":
            return
        self.steps.append(event.step)
        self.losses.append(event.loss)
        self.accuracies.append(event.accuracy)
        if event.grad_norms is not None:
            self.with_grads.append(event)
        steps = self.settings.steps
        every = max(1, steps // 5) if steps > 10 else 1          # the lessons print 5 or so times a run
        if (event.step - 1) % every == 0:
            self.timeline.append(event)

    def advance(self, pause=lambda: False) -> bool:
        """Train, recording every event, until the run ends (True: done or failed) or `pause()` says so (False)."""
        for event in self.trainer.events():
            self.record(event)
            if event.status == "nan":
                self.status, self.message = "failed", event.message
                return True
            if pause():
                return False
        self.status = "done"
        return True

    def printout(self, last: int | None = None) -> list[Event]:
        """The lesson's printout: the timeline (its `last` lines), and the latest step when it is not one of them."""
        shown = self.timeline[-last:] if last else list(self.timeline)
        latest = self.last
        if latest is not None and latest.status == "ok" and (not shown or shown[-1] is not latest):
            shown.append(latest)
        return shown

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")

    @property
    def last(self) -> Event | None:
        return self.events[-1] if self.events else None


def lower_priority(niceness: int = TRAIN_NICENESS) -> None:
    """Make the calling thread yield the CPU to the server's interactive threads (Linux: a thread's own nice value)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):    # not Linux, or not allowed: train at the usual priority
        pass


class Pool:
    """A fixed number of worker threads sharing a queue of runs."""

    def __init__(self, workers: int = WORKERS):
        # Training threads run Python between torch ops; with the default 5 ms switch interval an interactive
        # rerun waits up to 5 ms at every GIL hand-over. 1 ms keeps reruns quick while runs train.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.queue: deque[Run] = deque()
        self.cond = threading.Condition()
        self.busy: set[int] = set()
        self.threads = [threading.Thread(target=self._work, name=f"rnnviz-train-{i}", daemon=True)
                        for i in range(workers)]
        for t in self.threads:
            t.start()

    def submit(self, run: Run) -> None:
        with self.cond:
            if run.active:
                return
            run.stop_requested.clear()
            run.status, run.message = "queued", ""
            self.queue.append(run)
            self.cond.notify()

    def stop(self, run: Run) -> None:
        """Ask a run to stop; it halts after the step under way (well within a second)."""
        run.stop_requested.set()
        with self.cond:
            if run in self.queue:
                self.queue.remove(run)
                run.status = "stopped"

    def position(self, run: Run) -> int | None:
        """1-based place among waiting runs, None if it is not waiting."""
        with self.cond:
            try:
                return list(self.queue).index(run) + 1
            except ValueError:
                return None

    def waiting(self) -> int:
        with self.cond:
            return len(self.queue)

    def _work(self) -> None:
        torch.set_num_threads(1)
        lower_priority()
        while True:
            with self.cond:
                while not self.queue:
                    self.cond.wait()
                run = self.queue.popleft()
                run.status = "running"
            self._slice(run)
            with self.cond:
                if run.status == "running":
                    run.status = "queued"
                    self.queue.append(run)
                    self.cond.notify()

    def _slice(self, run: Run) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        try:
            ended = run.advance(lambda: run.stop_requested.is_set() or time.perf_counter() > deadline)
            if not ended and run.stop_requested.is_set():
                run.status = "stopped"
        except Exception as e:  # a worker must survive any run's failure; the message goes to the page
            run.status, run.message = "failed", f"Training failed: {e}"


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    """The process-wide pool, started on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool()
        return _pool
