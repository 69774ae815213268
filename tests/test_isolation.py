"""Two sessions at once, in one process and one training pool: each sees only its own curve, weights and text."""
import numpy as np
from apptest_helpers import decode, figure_titled, new_app, no_exception
from waiting import wait_for


def progress(at):
    return [p.proto.text for p in at.get("progress")]


def test_two_sessions_train_different_tasks_and_keep_their_own_state():
    a = new_app(view="train")
    b = new_app(view="train")
    b.selectbox(key="tr_task").set_value("avengers").run()
    a.button(key="tr_start").click().run()
    b.button(key="tr_start").click().run()      # both queued or running at the same time
    assert any("training" in t or "waiting" in t for t in progress(a) + progress(b))
    wait_for("both sessions' runs to finish",
             lambda: any("finished" in t for t in progress(a.run())) and any("finished" in t for t in progress(b.run())),
             seconds=60, every=0.2, seen=lambda: progress(a) + progress(b))
    no_exception(a)
    no_exception(b)
    assert any("step 100/100" in t for t in progress(a)) and any("step 151/151" in t for t in progress(b))
    table_a, table_b = a.dataframe[0].value, b.dataframe[0].value
    assert table_a["prediction"].iloc[-1] == "pple!"
    assert table_b["prediction"].iloc[-1] == "We are going to watch Avengers End Game"
    curve_a = figure_titled(a, "training curves")["data"][0]
    curve_b = figure_titled(b, "training curves")["data"][0]
    assert len(decode(curve_a["x"])) == 100 and len(decode(curve_b["x"])) == 151

    # each session's weights go to its own Explore view, with its own text
    a.button(key="tr_explore").click().run()
    b.button(key="tr_explore").click().run()
    assert a.text_area(key="text").value == "apple"
    assert b.text_area(key="text").value.startswith("We are going")
    a.session_state["panel"] = "Output layer"
    b.session_state["panel"] = "Output layer"
    a.run()
    b.run()
    va = decode(figure_titled(a, "many-to-many")["data"][0]["z"]).astype(float)
    vb = decode(figure_titled(b, "many-to-many")["data"][0]["z"]).astype(float)
    assert va.shape[0] == 5 and vb.shape[0] == 9            # apple's 5-token vocabulary; Avengers' 8 words + <unk>
    assert "pple!" in figure_titled(a, "many-to-many")["layout"]["title"]["text"]
    assert not np.array_equal(va.shape, vb.shape)
