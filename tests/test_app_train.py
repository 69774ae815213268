"""The Train view in AppTest: start, live progress, stop, bad settings, hand-over to Explore."""
import time

from apptest_helpers import figure_titled, new_app, no_exception, open_tab, texts


def wait_until(at, predicate, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        at.run()
        if predicate(at):
            return at
        time.sleep(0.2)
    raise AssertionError("timed out")


def progress_texts(at):
    return [p.proto.text for p in at.get("progress")]


def test_apple_trains_live_and_opens_in_explore():
    at = new_app(view="train")
    no_exception(at)
    assert at.selectbox(key="tr_task").value == "apple" and at.number_input(key="tr_lr").value == 0.1
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("finished" in t for t in progress_texts(a)))
    no_exception(at)
    fig = figure_titled(at, "training curves")
    assert len(fig["data"]) == 2
    table = at.dataframe[0].value
    assert table["prediction"].iloc[-1] == "pple!" and table["step"].iloc[-1] == "[100/100]"
    assert figure_titled(at, "this run: ‖dL/dh_t‖ over training")
    at.button(key="tr_explore").click().run()
    no_exception(at)
    assert at.radio(key="view").value == "explore" and at.text_area(key="text").value == "apple"
    open_tab(at, "Output layer")
    assert "many-to-many" in figure_titled(at, "many-to-many")["layout"]["title"]["text"]
    assert "pple!" in figure_titled(at, "many-to-many")["layout"]["title"]["text"]


def test_stop_and_resume_from_the_page():
    at = new_app(view="train")
    at.number_input(key="tr_steps").set_value(100000).run()
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("training" in t or "waiting" in t for t in progress_texts(a)))
    at.button(key="tr_stop").click().run()
    wait_until(at, lambda a: any(t.startswith("stopped") for t in progress_texts(a)))
    at.button(key="tr_resume").click().run()
    wait_until(at, lambda a: any("training" in t or "waiting" in t for t in progress_texts(a)))
    at.button(key="tr_reset").click().run()
    no_exception(at)


def test_huge_learning_rate_shows_the_cause():
    at = new_app(view="train")
    at.number_input(key="tr_lr").set_value(1e6).run()
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("error" in t for t in progress_texts(a)))
    no_exception(at)
    assert "likely cause is the learning rate" in texts(at)
    assert at.get("download_button")     # the last good weights are kept and can be downloaded


def test_bad_settings_show_a_message():
    at = new_app(view="train")
    at.selectbox(key="tr_task").set_value("text").run()
    at.text_area(key="tr_text").set_value("   ").run()
    at.button(key="tr_start").click().run()
    no_exception(at)
    assert "empty" in texts(at)


def test_compare_cells_side_by_side():
    at = new_app(view="train")
    at.selectbox(key="tr_task").set_value("memory").run()
    at.slider(key="tr_distance").set_value(10).run()
    at.number_input(key="tr_steps").set_value(30).run()
    at.button(key="tr_compare").click().run()
    wait_until(at, lambda a: sum("finished" in t for t in progress_texts(a)) == 3, 60)
    no_exception(at)
    for name in ("RNN", "LSTM", "GRU"):
        assert figure_titled(at, f"{name}: ‖dL/dh_t‖ over training")
    assert len(figure_titled(at, "gradient reaching each timestep")["data"]) == 3


def test_live_charts_poll_less_often_while_runs_queue():
    """Fast redraws while nothing waits; when a class fills the training pool, a calmer pace for everyone."""
    from rnnviz.train.loop import Settings
    from rnnviz.train.runner import WORKERS, Run, pool
    from rnnviz.ui.train import BUSY_SECONDS, LIVE_SECONDS, live_seconds
    assert pool().waiting() == 0 and live_seconds() == LIVE_SECONDS
    runs = [Run(Settings(task="memory", steps=100_000, seed=i)) for i in range(WORKERS + 2)]
    try:
        for r in runs:
            pool().submit(r)
        assert pool().waiting() >= 1 and live_seconds() == BUSY_SECONDS > LIVE_SECONDS
    finally:
        for r in runs:
            pool().stop(r)
    assert pool().waiting() == 0 and live_seconds() == LIVE_SECONDS
