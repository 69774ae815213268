"""One run-controls component: the start/stop/resume/reset row, and what its buttons do to a session's runs.

The Train view, the text lab and the lessons' training pages each hand over their own callbacks and words; the row,
which buttons are enabled, stopping, resuming within the budget, loading uploaded weights as a run and handing a run
to the Explore view are said once, here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import streamlit as st

from .. import weight_files as weights
from ..train.loop import known
from ..train.runner import AnyRun, Pool, Refused, Run
from ..words import say
from . import session

Action = Callable[[], None]


@dataclass(frozen=True)
class Buttons:
    """A view's run buttons: its widget-key prefix, its words for each (catalogue keys) and its callbacks."""

    prefix: str                                   # keys {prefix}_start, {prefix}_stop, {prefix}_resume, {prefix}_reset
    words: dict[str, str]                         # start, stop, resume, reset -> a catalogue key
    start: Action
    stop: Action
    resume: Action | None = None                  # None: no such button (a lesson page trains its preset anew)
    reset: Action | None = None
    width: str = "stretch"                        # "content": the buttons keep their size beside a view's own


def resumable(run: AnyRun) -> bool:
    """A run that may go on: stopped, loaded from a file, or done before its steps (more steps were asked)."""
    if run.active or run.released:
        return False
    return run.status in ("stopped", "loaded") or (run.status == "done" and run.trainer.step < known(run.settings.steps))


def row(buttons: Buttons, runs: Iterable[AnyRun], can_start: bool = True, where=None):
    """Draw the row (wrapping in a narrow window instead of cutting a name); returns it for a view's own buttons."""
    runs = list(runs)
    active = any(r.active for r in runs)
    line = (where or st).container(horizontal=True, wrap=True, vertical_alignment="bottom")
    k, w, width = buttons.prefix, buttons.words, buttons.width
    line.button(say(w["start"]), on_click=buttons.start, type="primary", width=width, key=f"{k}_start",
                disabled=not can_start)
    line.button(say(w["stop"]), on_click=buttons.stop, disabled=not active, width=width, key=f"{k}_stop")
    if buttons.resume is not None:
        line.button(say(w["resume"]), on_click=buttons.resume, disabled=active or not any(map(resumable, runs)),
                    width=width, key=f"{k}_resume")
    if buttons.reset is not None:
        line.button(say(w["reset"]), on_click=buttons.reset, disabled=not runs, width=width, key=f"{k}_reset")
    return line


def stop(pool: Pool, runs: Iterable[AnyRun]) -> None:
    for run in runs:
        pool.stop(run)


def resume(pool: Pool, runs: Iterable[AnyRun]) -> Refused | None:
    """Queue the runs that may go on, within the student's budget; the refusal (said when shown) if it says no."""
    try:
        pool.start([r for r in runs if resumable(r)], session.session_id())
    except Refused as e:
        return e
    return None


def loaded(data: bytes, label: str, make=None) -> AnyRun:
    """Uploaded weights as a run that can resume (ValueError, said in the page's language, for a bad file)."""
    trainer = weights.from_bytes(data) if make is None else weights.from_bytes(data, make=make)
    run = Run(trainer.settings, label=label, trainer_=trainer)
    run.status = "loaded"
    return run


def to_explore(run: Run, name: str, chars: int | None = None) -> None:
    """The run's trained weights in the Explore view, stepping through its task's text from t = 0."""
    text, batch = weights.explore_text(run.trainer)
    session.put("explore_weights", weights.for_explore(run.trainer, name))
    session.set_values(text=text[:chars] if chars else text, batch=batch, view="explore", t=0, row=0, layer=0, dir=0,
                       out=True, bf=True)

