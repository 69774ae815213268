"""Links (issue 21): a run opened from a `run=` link brings back its gradients and its predictions table, as the
run that saved it showed them; the panel that makes a class's link names every control apart."""
import numpy as np
import torch
from apptest_helpers import decode, figure_titled, new_app, no_exception

from rnnviz import store
from rnnviz.train.loop import Settings
from rnnviz.train.runner import Run
from rnnviz.words import language, say

GRADIENTS = ("‖dL/dh_t‖ over training", "gradient reaching each timestep")      # the Train view's two figures


def saved(task: str, steps: int, **settings) -> tuple[str, Run]:
    """A run trained to its end and saved as the Train view's button saves it."""
    run = Run(Settings(task=task, steps=steps, **settings), label="this run")
    run.advance()
    info = store.Stored(step=run.trainer.step, label=run.label, steps=list(run.steps), losses=list(run.losses),
                        accuracies=list(run.accuracies))
    return store.save(run.trainer, info), run


def test_a_run_opened_from_its_link_shows_its_gradients_and_predictions(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path))
    run_id, saver = saved("apple", 20)
    at = new_app(view="train", run=run_id)
    no_exception(at)
    profile = figure_titled(at, GRADIENTS[1])          # ‖dL/dh_t‖ against t, for the saved weights
    figure_titled(at, GRADIENTS[0])
    T = saver.trainer.task.inputs.shape[1]
    norms = decode(profile["data"][0]["y"])
    assert len(norms) == T and np.all(np.asarray(norms, float) > 0)
    table = at.dataframe[0].value                      # the lesson's printout: its row for the saved step
    last = table.iloc[-1]
    assert last.iloc[0] == "[20/20]"
    model, task = saver.trainer.model, saver.trainer.task
    with torch.no_grad():                               # what the saved weights predict, read independently
        predicted = model(torch.from_numpy(task.inputs)).argmax(-1)[0].numpy()
    assert last.iloc[3] == task.decode(predicted) == saver.last.prediction == "pple!"
    assert last.iloc[4] == saver.last.target


def test_a_many_to_one_run_from_its_link_shows_its_gradients_and_predictions(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path))
    run_id, saver = saved("memory", 10, distance=5, hidden=8)
    at = new_app(view="train", run=run_id)
    no_exception(at)
    for title in GRADIENTS:
        figure_titled(at, title)
    row = at.dataframe[0].value.iloc[-1]
    assert row.iloc[0] == "[10/10]" and len(row.iloc[3]) == len(row.iloc[4]) == 16    # 16 answers, 16 targets


def test_the_class_link_panel_names_every_control_apart():
    """Both views have a Cell and a bidirectional control: a teacher reads two names, not one twice."""
    for lang in ("en", "ko"):
        at = new_app(lang=lang)
        no_exception(at)
        with language(lang):
            cells = [say("class.option.explore", name=say("label.cell")), say("class.option.train", name=say("label.tr_cell"))]
        for key in ("class_hide", "class_lock"):
            shown = at.multiselect(key=key).options         # as the list shows them (format_func applied)
            assert len(shown) > 20 and len(set(shown)) == len(shown), (lang, shown)
            assert set(cells) <= set(shown) and cells[0] != cells[1], (lang, shown)
