"""The Train view in AppTest: start, live progress, stop, bad settings, hand-over to Explore."""
import re

from apptest_helpers import figure_titled, new_app, no_exception, open_tab, texts
from waiting import rerun_until, wait_for


def wait_until(at, predicate, what: str, seconds: float = 60):
    """Rerun the Train view until `predicate(at)` holds; a failure shows its progress lines and its messages."""
    return rerun_until(at, predicate, what, seconds, seen=lambda: (progress_texts(at), texts(at)[-600:]))


def progress_texts(at):
    return [p.proto.text for p in at.get("progress")]


def test_apple_trains_live_and_opens_in_explore():
    at = new_app(view="train")
    no_exception(at)
    assert at.selectbox(key="tr_task").value == "apple" and at.number_input(key="tr_lr").value == 0.1
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("finished" in t for t in progress_texts(a)), "the run to finish")
    no_exception(at)
    fig = figure_titled(at, "training curves")
    assert len(fig["data"]) == 2
    table = at.dataframe[0].value
    assert table["prediction"].iloc[-1] == "pple!" and table["step"].iloc[-1] == "[100/100]"
    assert [t["name"] for t in figure_titled(at, "‖dL/dh_t‖ over training")["data"]] == ["this run"]
    at.button(key="tr_explore").click().run()
    no_exception(at)
    assert at.radio(key="view").value == "explore" and at.text_area(key="text").value == "apple"
    open_tab(at, "Output layer")
    assert "many-to-many" in figure_titled(at, "many-to-many")["layout"]["title"]["text"]
    assert "pple!" in figure_titled(at, "many-to-many")["layout"]["title"]["text"]
    # the sidebar shows the network on screen (apple: an RNN with 5 units), and holds it while the weights are used
    assert (at.selectbox(key="cell").value, at.slider(key="H").value) == ("rnn_tanh", 5)
    assert at.selectbox(key="cell").disabled and at.slider(key="H").disabled
    at.button(key="untrain").click().run()
    assert not at.selectbox(key="cell").disabled and at.slider(key="H").value == 5


def test_the_curves_axes_are_in_place_before_a_run_starts():
    """The figure the curves grow on is drawn before Start (empty, with its axes): drawn first mid-run, it waited
    for plotly's script and a 3 s run at the real pace showed no curve until it ended (browser test too)."""
    at = new_app(view="train")
    no_exception(at)
    assert "Choose a task in the sidebar and press Start." in texts(at)
    fig = figure_titled(at, "training curves")
    assert fig.get("data", []) == [] and fig["layout"]["xaxis"]["title"]["text"] == "step"
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: len(figure_titled(a, "training curves").get("data", [])) == 2, "the run's curves")


def test_stop_and_resume_from_the_page():
    at = new_app(view="train")
    at.number_input(key="tr_steps").set_value(100000).run()
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("training" in t or "waiting" in t for t in progress_texts(a)), "the run to train or wait")
    at.button(key="tr_stop").click().run()
    wait_until(at, lambda a: any(t.startswith("stopped") for t in progress_texts(a)), "the run to stop")
    at.button(key="tr_resume").click().run()
    wait_until(at, lambda a: any("training" in t or "waiting" in t for t in progress_texts(a)), "the run to train or wait")
    at.button(key="tr_reset").click().run()
    no_exception(at)


def test_huge_learning_rate_shows_the_cause():
    at = new_app(view="train")
    at.number_input(key="tr_lr").set_value(1e6).run()
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("error" in t for t in progress_texts(a)), "the diverged run's error")
    no_exception(at)
    assert "likely cause is the learning rate" in texts(at)
    assert at.get("download_button")     # the last good weights are kept and can be downloaded
    failed_at = re.search(r"Training stopped at step (\d+)", texts(at)).group(1)
    assert any(f"step {failed_at}/100" in t for t in progress_texts(at)), progress_texts(at)   # one step, both lines


def test_bad_settings_show_a_message():
    at = new_app(view="train")
    at.selectbox(key="tr_task").set_value("text").run()
    at.text_area(key="tr_text").set_value("   ").run()
    at.button(key="tr_start").click().run()
    no_exception(at)
    assert "The text is empty: type at least one character." in texts(at)     # a sentence, as in Explore
    at.text_area(key="tr_text").set_value("😀").run()
    at.button(key="tr_start").click().run()
    assert "The text needs at least 2 characters to predict the next one." in texts(at)


def test_compare_cells_side_by_side():
    at = new_app(view="train")
    at.selectbox(key="tr_task").set_value("memory").run()
    at.slider(key="tr_distance").set_value(10).run()
    at.number_input(key="tr_steps").set_value(30).run()
    at.button(key="tr_compare").click().run()
    wait_until(at, lambda a: sum("finished" in t for t in progress_texts(a)) == 3, "all three runs to finish")
    no_exception(at)
    assert [t["name"] for t in figure_titled(at, "‖dL/dh_t‖ over training")["data"]] == ["RNN", "LSTM", "GRU"]
    assert len(figure_titled(at, "gradient reaching each timestep")["data"]) == 3


def test_live_charts_poll_less_often_while_runs_queue():
    """Fast redraws while nothing waits; when a class fills the training pool, a calmer pace for everyone."""
    from rnnviz.train.loop import Settings
    from rnnviz.train.runner import WORKERS, Run, pool
    from rnnviz.ui.train_view import BUSY_SECONDS, LIVE_SECONDS, live_seconds
    assert pool().waiting() == 0 and live_seconds() == LIVE_SECONDS
    runs = [Run(Settings(task="memory", steps=100_000, seed=i)) for i in range(WORKERS + 2)]
    try:
        for r in runs:
            pool().submit(r)
        assert pool().waiting() >= 1 and live_seconds() == BUSY_SECONDS > LIVE_SECONDS
    finally:
        for r in runs:
            pool().stop(r)
    # a run whose slice was ending as it was stopped goes back to the queue once, then stops at its next step
    wait_for("the stopped runs to leave the queue", lambda: pool().waiting() == 0, seen=pool().held)
    assert live_seconds() == LIVE_SECONDS


def test_link_opens_the_train_view_with_its_settings_and_the_task_defaults_for_the_rest():
    at = new_app(view="train", tr_task="memory", tr_cell="gru", tr_lr="0.003", tr_distance="30")
    no_exception(at)
    assert at.selectbox(key="tr_task").value == "memory" and at.selectbox(key="tr_cell").value == "gru"
    assert at.number_input(key="tr_lr").value == 0.003 and at.slider(key="tr_distance").value == 30
    assert at.slider(key="tr_hidden").value == 32 and at.number_input(key="tr_steps").value == 800   # memory's own
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("training" in t or "waiting" in t or "finished" in t for t in progress_texts(a)),
               "the run to start")
    run = at.session_state["runs"]["this run"]
    assert (run.settings.task, run.settings.cell, run.settings.lr, run.settings.distance) == ("memory", "gru", 0.003, 30)
    at.button(key="tr_reset").click().run()


def url(at) -> dict[str, str]:
    return {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}


def test_the_url_holds_the_train_settings_that_differ_from_the_tasks_defaults():
    at = new_app(view="train")
    assert url(at) == {"view": "train", "tr_task": "apple"}
    at.selectbox(key="tr_cell").set_value("lstm").run()
    at.number_input(key="tr_steps").set_value(250).run()
    assert url(at) == {"view": "train", "tr_task": "apple", "tr_cell": "lstm", "tr_steps": "250"}
    at.selectbox(key="tr_task").set_value("text").run()          # a new task: its own defaults, and its text
    at.text_area(key="tr_text").set_value("안녕 세상 " * 5).run()
    query = url(at)
    assert query["tr_task"] == "text" and query["tr_text"] == "안녕 세상 " * 5 and "tr_cell" not in query
    again = new_app(**query)                                     # the copied link gives the same settings
    assert again.text_area(key="tr_text").value == "안녕 세상 " * 5 and again.selectbox(key="tr_task").value == "text"


def test_bad_train_values_in_a_link_are_clamped_or_dropped_with_a_note():
    at = new_app(view="train", tr_task="chess", tr_lr="1e9", tr_steps="-5", tr_hidden="x", tr_zzz="1")
    no_exception(at)
    notes = texts(at)
    assert "Ignored training task “chess”" in notes and "Ignored training hidden size “x” from the link" in notes
    assert "Learning rate must be between 1e-06 and 1e+06; 1e+09 was changed to 1e+06" in notes
    assert "Steps must be between 1 and 100000; -5 was changed to 1" in notes
    assert "Ignored the unknown link parameter “tr_zzz”" in notes
    assert at.selectbox(key="tr_task").value == "apple" and at.number_input(key="tr_lr").value == 1e6
    assert at.number_input(key="tr_steps").value == 1 and at.slider(key="tr_hidden").value == 5


def test_a_run_past_the_session_budget_is_refused_with_its_bound_and_the_last_run_stays():
    """Issue 12's link (LSTM, hidden 256, 4 layers, 100,000 steps of 5,000 characters): hours of a core."""
    at = new_app(view="train")
    at.number_input(key="tr_steps").set_value(30).run()
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("finished" in t for t in progress_texts(a)), "the run to finish")
    at.selectbox(key="tr_task").set_value("text").run()
    at.text_area(key="tr_text").input("the quick brown fox jumps over the lazy dog. " * 111).run()
    at.selectbox(key="tr_cell").set_value("lstm").run()
    at.slider(key="tr_hidden").set_value(256).run()
    at.slider(key="tr_layers").set_value(4).run()
    at.number_input(key="tr_steps").set_value(100_000).run()
    at.button(key="tr_compare").click().run()
    no_exception(at)
    shown = texts(at)
    assert "Not started" in shown and "unchanged" in shown, shown
    assert [t for t in progress_texts(at) if "finished: step 30/30" in t]      # the apple run is still there
    assert not [t for t in progress_texts(at) if "LSTM" in t]                 # ... and no compared run started
    assert at.button(key="tr_explore")                                         # ... with its weights
    from rnnviz.train.runner import SESSION_WORK, minutes
    assert f"at most {minutes(SESSION_WORK)}" in shown                          # the bound, in core-time


def test_a_class_can_step_a_run_one_key_press_at_a_time():
    at = new_app(view="train")
    at.selectbox(key="tr_pace").set_value("key").run()
    at.button(key="tr_start").click().run()
    run = at.session_state["runs"]["this run"]
    for presses in (1, 2, 3):
        at.button(key="tr_one_step").click().run()
        wait_until(at, lambda a, n=presses: run.trainer.step == n, f"step {presses} after {presses} presses", 30)
    wait_until(at, lambda a: any("waiting for the next step" in t for t in progress_texts(a)),
               "the status line to say the run waits for the next step", 30)
    assert run.trainer.step == 3                                # no step without a press
    at.selectbox(key="tr_pace").set_value("real").run()        # back to full speed: it runs to its end
    wait_until(at, lambda a: run.status == "done", "the run to finish at full speed", 60)
    assert run.trainer.step == 100
