"""Background training shared by every session: a bounded pool of workers, round-robin in short slices.

Each Run lives outside any script run, so reruns and clicks never lose progress. Workers take the
next waiting run, train it for a slice, and put it back at the end of the queue: many runs share the
machine fairly, interactive reruns keep a core, and a waiting run knows its place in the queue.

A run belongs to the session that started it, and the session to a student (its client: ui/session.client, one
for all of a browser's tabs). A budget bounds what one student and the whole server may have waiting or training;
workers take the students in turn (round-robin by client), so a small run never waits behind another student's
many; one step of any run the page may start is bounded in work (about a second of a core) and a run's memory is
bounded too. A reaper stops the runs of a session the server no longer knows (closed, past its reconnect grace
period) and lets their memory go.
"""
from __future__ import annotations

import atexit
import itertools
import logging
import math
import os
import sys
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, MutableSequence
from dataclasses import dataclass, field
from typing import Generic

import torch
from typing_extensions import TypeVar

from ..words import Problem, Said
from .base import Trainable
from .loop import Event, Settings, Trainer, known
from .table import new_trainer

SLICE_SECONDS = 0.15
TRAIN_NICENESS = 10      # training threads give way to reruns when the cores are busy
SWITCH_INTERVAL = 0.001
WORKERS = int(os.environ.get("RNNVIZ_TRAIN_WORKERS", max(1, (os.cpu_count() or 2) - 1)))
_ids = itertools.count(1)

# The budget of training work, in one place (a server's limits, not settings a page or link can change). Work is counted in
# parameter-token steps: each step costs (parameters × tokens in its batch + STEP_OVERHEAD), and one core does
# about 2e9 of them a second (bench/train.py's sizes), so the figures below read as core-time.
WORK_PER_SECOND = 2e9            # parameter-tokens one core trains per second (LSTM 256 × 4 layers: 2–4.7e9)
SESSION_RUNS = 3                 # runs one student (all their tabs) may have waiting or training ("Compare cells": 3)
SESSION_WORK = 600 * WORK_PER_SECOND   # ... and their work still to do: about ten minutes of one core
STEP_WORK = 8e9                  # one step of a run the page starts: ~1 s of a core here (a step cannot be cut)
SMALL_STEP = 2e8                 # a step this small (~0.1 s: every lesson's preset) may also go to the small lane:
SMALL_WORKERS = 1                # ... a worker of its own, so a lesson never waits for another student's big step
RUN_BYTES = 384 * 2**20          # the memory one run may take (weights, gradients, Adam, copies, one step's values)
STUDENT_BYTES = 512 * 2**20      # ... and all of one student's runs waiting or training (a bound on the server's RSS)
SERVER_RUNS = int(os.environ.get("RNNVIZ_SERVER_RUNS", 60))   # runs the whole server may have waiting or training
SERVER_WORK = 6 * SESSION_WORK   # ... and their work still to do: about an hour of one core
REAP_SECONDS = 2.0               # how often the reaper looks for runs whose session is gone
EVENTS_KEPT = 1_000              # a run keeps its last events (curves keep every step, as compact arrays)
GRADS_KEPT = 200                 # ... and its last ‖dL/dh_t‖ rows (the heatmap shows the last 200)


class Refused(Problem):
    """Runs the budget cannot take; the message says which bound and what would fit."""


AnyTrainer = TypeVar("AnyTrainer", bound=Trainable, default=Trainer, covariant=True)   # Run(settings): a lesson's


@dataclass(eq=False)
class Run(Generic[AnyTrainer]):
    """One training run: its trainer (the task table's, or one given), every event so far, and its state."""

    settings: Settings
    label: str = ""
    _trainer: AnyTrainer | None = field(init=False, default=None, repr=False)     # None once released
    events: list[Event] = field(default_factory=list)       # the last EVENTS_KEPT to 2 × EVENTS_KEPT
    # Running summaries, kept as events arrive so a live view reads a slice instead of scanning every event.
    # Every step's figures as 8-byte numbers: a 100,000-step run keeps 2.4 MB, not 100,000 Event objects.
    steps: MutableSequence[int] = field(default_factory=lambda: array("q"))           # of the sane events
    losses: MutableSequence[float] = field(default_factory=lambda: array("d"))        # (a saved run's: lists)
    accuracies: MutableSequence[float] = field(default_factory=lambda: array("d"))
    with_grads: list[Event] = field(default_factory=list)   # the last events that carry ‖dL/dh_t‖
    timeline: list[Event] = field(default_factory=list)     # events at the lessons' printing cadence
    status: str = "new"              # new | queued | running | stopped | done | failed
    message: Said | str = ""        # said in the reader's language when shown
    id: int = field(default_factory=lambda: next(_ids))
    stop_requested: threading.Event = field(default_factory=threading.Event)
    owner: str | None = None         # the Streamlit session that started it (None: a notebook or a test)
    client: str | None = None        # the student that session belongs to (budgets and turns count students)
    orphaned: bool = False           # its session is gone: stop, and let go of its memory
    # A class's pace: the same steps, slower. pace > 0: at most that many steps a second; by_key: one step each
    # time the page says so (steps_allowed counts the presses not yet used). Neither changes a single number.
    pace: float = 0.0
    by_key: bool = False
    steps_allowed: int = 0
    last_step_at: float = 0.0

    trainer_: AnyTrainer | None = None   # an existing trainer (uploaded weights, the lab's) instead of a fresh one

    def __post_init__(self):
        # the task table's trainer for these settings; raises ValueError for bad settings
        self._trainer = self.trainer_ if self.trainer_ is not None else new_trainer(self.settings)
        self.settings = self.trainer.settings
        self.trainer_ = None
        cost = self.trainer.cost()               # the trainer says what a step costs: the run only counts steps
        self.step_work, self.memory = cost.work, cost.memory

    @property
    def trainer(self) -> AnyTrainer:
        """The run's model, optimizer and task; a released run has none."""
        if self._trainer is None:
            raise RuntimeError(f"run {self.id} was released: its model is gone")
        return self._trainer

    @property
    def released(self) -> bool:
        """True once release() let go of the model."""
        return self._trainer is None

    @property
    def work(self) -> float:
        """The work still to do, in parameter-token steps."""
        return self.step_work * max(0, known(self.settings.steps) - self.trainer.step)

    def release(self) -> None:
        """Let go of the model, its optimizer and the history: the run's session is gone, nobody will look."""
        self._trainer = None
        self.events, self.with_grads, self.timeline = [], [], []
        self.steps, self.losses, self.accuracies = array("q"), array("d"), array("d")

    def record(self, event: Event) -> None:
        """Keep an event and update the summaries."""
        self.events.append(event)
        if len(self.events) > 2 * EVENTS_KEPT:     # a new list, not a cut in place: a page may be reading the old
            self.events = self.events[-EVENTS_KEPT:]
        if event.status != "ok":
            return
        self.steps.append(event.step)
        self.losses.append(event.loss)
        self.accuracies.append(event.accuracy)
        if event.grad_norms is not None:
            self.with_grads.append(event)
            if len(self.with_grads) > 2 * GRADS_KEPT:
                self.with_grads = self.with_grads[-GRADS_KEPT:]
        steps = known(self.settings.steps)
        every = max(1, steps // 5) if steps > 10 else 1          # the lessons print 5 or so times a run
        if (event.step - 1) % every == 0:
            self.timeline.append(event)

    def due(self) -> float:
        """When its next step may run (time.monotonic()); inf while it waits for a key press."""
        if self.by_key:
            return 0.0 if self.steps_allowed > 0 else math.inf
        return self.last_step_at + 1 / self.pace if self.pace > 0 else 0.0

    def advance(self, pause=lambda: False) -> bool:
        """Train, recording every event, until the run ends (True: done or failed), `pause()` says so, or its pace
        wants a wait (False)."""
        if self.due() > time.monotonic():
            return False
        for event in self.trainer.events():
            self.record(event)
            self.last_step_at = time.monotonic()
            if self.by_key:
                self.steps_allowed = max(0, self.steps_allowed - 1)
            if event.status == "nan":
                self.status, self.message = "failed", event.message
                return True
            if pause() or self.due() > time.monotonic():
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


AnyRun = Run[Trainable]     # what the pool holds: a run of any row of the task table


def lower_priority(niceness: int = TRAIN_NICENESS) -> None:
    """Make the calling thread yield the CPU to the server's interactive threads (Linux: a thread's own nice value)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):    # not Linux, or not allowed: train at the usual priority
        pass


def minutes(work: float) -> Said:
    """Work as the core-time it takes, in words."""
    m = work / WORK_PER_SECOND / 60
    return (Said("time.minutes", {"m": f"{m:,.0f}"}) if m >= 1.5 else Said("time.minute") if m >= 0.5
            else Said("time.under_minute"))


class Pool:
    """A fixed number of worker threads sharing a queue of runs, within a budget per session and for the server."""

    def __init__(self, workers: int = WORKERS, alive: Callable[[str], bool] = lambda owner: True,
                 session_runs: int = SESSION_RUNS, session_work: float = SESSION_WORK,
                 server_runs: int = SERVER_RUNS, server_work: float = SERVER_WORK, step_work: float = STEP_WORK,
                 run_bytes: int = RUN_BYTES, student_bytes: int = STUDENT_BYTES, small_workers: int = 0):
        # Training threads run Python between torch ops; with the default 5 ms switch interval an interactive
        # rerun waits up to 5 ms at every GIL hand-over. 1 ms keeps reruns quick while runs train.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.alive = alive               # owner -> does the server still know that session?
        self.session_runs, self.session_work = session_runs, session_work
        self.server_runs, self.server_work = server_runs, server_work
        self.step_work, self.run_bytes, self.student_bytes = step_work, run_bytes, student_bytes
        self.queue: deque[AnyRun] = deque()
        self.running: set[AnyRun] = set()
        self.turns = itertools.count(1)
        self.served: dict[str | None, int] = {}     # client -> the turn it last had a worker (0: never)
        self.cond = threading.Condition()
        self.closing = threading.Event()
        self.threads = [threading.Thread(target=self._work, name=f"rnnviz-train-{i}", daemon=True)
                        for i in range(workers)]
        self.threads += [threading.Thread(target=self._work, args=(SMALL_STEP,), name=f"rnnviz-train-small-{i}",
                                          daemon=True) for i in range(small_workers)]
        self.threads.append(threading.Thread(target=self._reap, name="rnnviz-train-reaper", daemon=True))
        for t in self.threads:
            t.start()

    def submit(self, run: AnyRun) -> None:
        """Queue a run outside any budget (a notebook, a test); the page goes through `start`."""
        with self.cond:
            self._enqueue(run)

    def start(self, runs: Iterable[AnyRun], owner: str | None, replacing: Iterable[AnyRun] = ()) -> None:
        """Queue `runs` for the session `owner` in place of its runs `replacing` (those stop), or raise Refused
        and change nothing."""
        runs, replacing = list(runs), set(replacing)
        client = getattr(owner, "client", owner)     # ui/session.Owner says whose session it is
        with self.cond:
            self._admit(runs, client, replacing)
            for run in replacing:
                self._stop(run)
            for run in runs:
                run.owner, run.client = owner, client
                self._enqueue(run)

    def _admit(self, runs: list[AnyRun], client: str | None, replacing: set[AnyRun]) -> None:
        active = [r for r in (*self.queue, *self.running) if r.status in ("queued", "running")
                  and r not in replacing and r not in runs]
        for run in runs:
            if run.step_work > self.step_work:
                raise Refused("budget.step", seconds=f"{run.step_work / WORK_PER_SECOND:,.0f}",
                              most=f"{self.step_work / WORK_PER_SECOND:,.0f}")
            if run.memory > self.run_bytes:
                raise Refused("budget.memory", mb=f"{run.memory / 2**20:,.0f}", most=f"{self.run_bytes / 2**20:,.0f}")
        mine = [r for r in active if client is not None and r.client == client]
        new = sum(r.work for r in runs)
        held = sum(r.memory for r in mine)
        if client is not None and held + sum(r.memory for r in runs) > self.student_bytes:
            raise Refused("budget.student_memory", mb=f"{sum(r.memory for r in runs) / 2**20:,.0f}",
                          held=f"{held / 2**20:,.0f}", most=f"{self.student_bytes / 2**20:,.0f}")
        if len(mine) + len(runs) > self.session_runs:
            raise Refused("budget.runs", most=self.session_runs, mine=len(mine))
        if sum(r.work for r in mine) + new > self.session_work:
            per_step = sum(r.step_work for r in runs)
            fit = int(max(0.0, self.session_work - sum(r.work for r in mine)) // per_step) if per_step else 0
            raise Refused("budget.work", takes=minutes(new), most=minutes(self.session_work), fit=f"{fit:,}")
        if len(active) + len(runs) > self.server_runs or sum(r.work for r in active) + new > self.server_work:
            raise Refused("budget.full", n=len(active))

    def _enqueue(self, run: AnyRun) -> None:
        if run.active or run.released:
            return
        run.stop_requested.clear()
        run.status, run.message = "queued", ""
        self.queue.append(run)
        self.cond.notify_all()      # every worker looks: the small lane cannot take every run

    def stop(self, run: AnyRun) -> None:
        """Ask a run to stop; it halts after the step under way (well within a second)."""
        with self.cond:
            self._stop(run)

    def _stop(self, run: AnyRun) -> None:
        run.stop_requested.set()
        if run in self.queue:
            self.queue.remove(run)
            run.status = "stopped"

    def position(self, run: AnyRun) -> int | None:
        """1-based place among waiting runs, None if it is not waiting."""
        with self.cond:
            try:
                return list(self.queue).index(run) + 1
            except ValueError:
                return None

    def waiting(self) -> int:
        with self.cond:
            return len(self.queue)

    def held(self) -> list[AnyRun]:
        """The runs the pool holds now (waiting or in a worker's hands)."""
        with self.cond:
            return [*self.queue, *self.running]

    def reap(self) -> int:
        """Stop the runs whose session the server no longer knows, and let their memory go; how many."""
        with self.cond:
            owners = {r.owner for r in (*self.queue, *self.running) if r.owner is not None}
        gone = {owner for owner in owners if not self.alive(owner)}     # outside the lock: it asks the server
        if not gone:
            return 0
        with self.cond:
            orphans = [r for r in (*self.queue, *self.running) if r.owner in gone]
            for run in orphans:
                run.orphaned = True
                self._stop(run)
                if run not in self.running:      # a worker releases the one in its hands when its slice ends
                    run.release()
        return len(orphans)

    def _reap(self) -> None:
        told = False
        while not self.closing.wait(REAP_SECONDS):
            try:
                self.reap()
            except Exception:  # the reaper must outlive a failed look-up; it asks again in REAP_SECONDS
                if not told:   # ... and say so once in the server's log: orphaned runs would go on training
                    logging.getLogger(__name__).exception("could not ask whether training sessions are gone")
                    told = True

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop every run and join the threads, so none is inside torch while the interpreter tears down."""
        with self.cond:
            self.closing.set()
            for run in [*self.queue, *self.running]:
                self._stop(run)
            self.cond.notify_all()
        for t in self.threads:
            if t is not threading.current_thread():
                t.join(timeout)

    def _work(self, largest: float = math.inf) -> None:
        """Take runs whose step is at most `largest` work (the small lane: SMALL_STEP), a slice at a time."""
        torch.set_num_threads(1)
        lower_priority()
        while True:
            with self.cond:
                run: AnyRun | None = None
                while run is None and not self.closing.is_set():
                    run = self._next_due(largest)
                    if run is None:                 # nothing queued, or only paced runs not yet due: sleep till one is
                        wake = min((r.due() for r in self.queue if r.step_work <= largest),
                                   default=math.inf) - time.monotonic()
                        self.cond.wait(None if wake == math.inf else max(wake, 0.001))
                if self.closing.is_set() or run is None:
                    return
                run.status = "running"
                self.running.add(run)
            self._slice(run)
            with self.cond:
                self.running.discard(run)
                if run.status == "running":
                    run.status = "queued"
                    self.queue.append(run)
                    self.cond.notify_all()
                elif run.orphaned:
                    run.release()

    def _next_due(self, largest: float = math.inf) -> AnyRun | None:
        """The queued run whose next step may run now, of the student who waited longest for a worker (the first
        of theirs in the queue), taken out of the queue; the others keep their place."""
        now = time.monotonic()
        due = [run for run in self.queue if run.due() <= now and run.step_work <= largest]
        if not due:
            return None
        run = min(due, key=lambda r: self.served.get(r.client, 0))     # min keeps the queue's order among equals
        self.queue.remove(run)
        if len(self.served) > 4 * self.server_runs:                     # forget the students who have left
            self.served = {r.client: self.served.get(r.client, 0) for r in (*self.queue, *self.running)}
        self.served[run.client] = next(self.turns)
        return run

    def set_pace(self, run: AnyRun, pace: float, by_key: bool) -> None:
        """Change a run's pace, running or not; the steps it takes stay the same."""
        with self.cond:
            run.pace, run.by_key = pace, by_key
            self.cond.notify_all()

    def step_once(self, run: AnyRun) -> None:
        """One more step of a run that waits for key presses."""
        with self.cond:
            run.steps_allowed += 1
            self.cond.notify_all()

    def _slice(self, run: AnyRun) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        try:
            ended = run.advance(lambda: run.stop_requested.is_set() or time.perf_counter() > deadline)
            if not ended and run.stop_requested.is_set():
                run.status = "stopped"
        except Exception as e:  # a worker must survive any run's failure; the message goes to the page
            run.status, run.message = "failed", Said("train.failed", {"why": str(e)[:300]})


_pool: Pool | None = None
_pool_lock = threading.Lock()


def pool() -> Pool:
    """The process-wide pool, started on first use and stopped before the interpreter exits."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = Pool(small_workers=SMALL_WORKERS)
            atexit.register(_pool.shutdown)
        return _pool
