"""A trained run shared by link: saved to the store every server reads, opened from `run=<id>` on any of them."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from .. import store
from .. import weight_files as weights
from ..settings import SHARED
from ..state import _short
from ..train.runner import Run
from ..train.table import TASK_ROWS
from ..words import Said, say
from . import session

# The link's words for this (the registry's rows): `run` names a saved run; `unsaved` says the page held a run only
# its server had.
LINK = SHARED
SAVES_PER_SESSION = 20      # a page's saves; store.CLIENT_BYTES bounds a student's bytes across tabs
_SHARED = "_shared_run"     # {"id", "run", "step"}: the session's run that is the saved one, as it was saved


def _current(runs: dict) -> Run | None:
    return runs.get("this run") or next(iter(runs.values()), None)


def _shared_is_current() -> bool:
    """The session's run is still the saved one, trained no further."""
    shared, run = session.get(_SHARED), _current(session.get("runs") or {})
    return bool(shared) and run is shared["run"] and run.trainer.step == shared["step"]


def link() -> dict[str, str]:
    """What the URL says of the session's trained model: its saved id, or that it lives only in this server."""
    runs = session.get("runs") or {}
    explore = session.get("view") != "train"
    if explore and session.get("explore_weights") is None:
        return {}
    if _shared_is_current():
        return {"run": session.get(_SHARED)["id"]}
    return {"unsaved": "1"} if runs or explore else {}


def open_from_link(notes: list[str]) -> list[str]:
    """On a session's first run, load the run its link names (into Train, and Explore's weights when the link
    is for Explore); say plainly what a link cannot bring back. Returns the link's notes with these added."""
    if session.get("_shared_opened"):
        return notes
    session.put("_shared_opened", True)
    added = []
    run_id = session.get("run")
    if run_id:
        try:
            trainer, info = store.load(run_id)
        except ValueError as e:
            added.append(say("shared.bad", id=_short(run_id), why=e))
        else:
            open_run(run_id, trainer, info)
    elif session.get("unsaved"):
        added.append(say("shared.unsaved"))
    if added:
        session.put("_link_notes", [*notes, *added])
    return session.get("_link_notes", notes)


def open_run(run_id: str, trainer, info: store.Stored) -> None:
    """The saved run as this session's finished run, ready to resume (and to open in Explore, for a task Explore
    steps through)."""
    run = Run(trainer.settings, label=info.label, trainer_=trainer)
    run.status = "loaded"
    run.steps, run.losses, run.accuracies = info.steps, info.losses, info.accuracies
    last = trainer.saved_event()        # its numbers as the run that saved it showed them, with no update
    run.timeline, run.with_grads = [last], [last] if last.grad_norms is not None else []
    session.put("runs", {"this run": run})
    session.put(_SHARED, {"id": run_id, "run": run, "step": trainer.step})
    if session.get("view") != "train" and TASK_ROWS[trainer.settings.task].explore:
        session.put("explore_weights", weights.for_explore(trainer, f"{run_id}: {trainer.settings.task}, "
                                                                    f"{trainer.settings.cell}, {trainer.step}"))


def save() -> None:
    """Save the session's run to the store; the address bar then holds its link."""
    run = _current(session.get("runs") or {})
    if run is None or run.active:
        return
    saves = session.get("_saves", 0)
    if saves >= SAVES_PER_SESSION:
        session.put("share_msg", ("error", Said("shared.too_many", {"most": SAVES_PER_SESSION})))
        return
    info = store.Stored(step=run.trainer.step, label=run.label, steps=list(run.steps), losses=list(run.losses),
                        accuracies=list(run.accuracies))
    try:
        run_id = store.save(run.trainer, info, client=session.client())   # bounded per student
    except OSError as e:
        session.put("share_msg", ("error", Said("shared.unwritable", {"why": e.strerror})))
        return
    except ValueError as e:
        session.put("share_msg", ("error", Said("shared.not_saved", {"why": e})))
        return
    session.put("_saves", saves + 1)
    session.put(_SHARED, {"id": run_id, "run": run, "step": run.trainer.step})
    session.put("share_msg", ("success", run_id))


def share_button(row) -> None:
    """The Save-for-the-class button, in the weights panel's row of a finished or stopped run."""
    row.button(say("button.share"), on_click=save, key="tr_share", help=say("help.share"))
    msg = session.get("share_msg")
    if not msg:
        return
    if msg[0] == "error":
        st.error(session.plain(str(msg[1])))
    elif _shared_is_current():
        query = {k: v for k, v in st.query_params.to_dict().items() if k != "unsaved"} | {"run": msg[1]}
        st.success(say("shared.saved"))
        st.code(f"{(st.context.url or '').split('?')[0]}?{urlencode(query)}", language=None)


RECONNECT_SECONDS = 30      # the heartbeat's period: one empty fragment run per session per half minute


def rerun_on_reconnect() -> None:
    """Keep a timed fragment on every page. Streamlit's page reruns as soon as its websocket reconnects only while
    some fragment has a run_every; with one, a page the proxy moved to another server (its own died) comes back
    on its view from its link at once, instead of at the student's next action, which the link would override."""
    @st.fragment(run_every=RECONNECT_SECONDS)
    def heartbeat() -> None:
        session.use_language()          # says nothing, but a fragment's run is in the page's language all the same

    heartbeat()
