"""The Lessons view in AppTest: a link opens its page, the buttons move through it, hostile links get a note,
the doors to Explore and Train carry the page's state, a lesson page trains live, and the first-visit tip."""
from apptest_helpers import figures, new_app, no_exception, step_columns, texts, wait_until

from rnnviz import words
from rnnviz.lessons import LESSONS, page_count
from rnnviz.lessons.outline import OUTLINE_NAME
from rnnviz.pipeline import build


def title(at) -> str:
    return at.subheader[0].value


def said(key: str, lang: str = "en", **params) -> str:
    with words.language(lang):
        return words.say(key, **params)


def test_a_link_opens_its_page_with_the_figure_outlined_and_the_engines_numbers():
    at = new_app(view="lessons", lesson="000", page="3", lang="ko")
    no_exception(at)
    page = LESSONS["000"][2]
    assert title(at) == said(page.key("000", "title"), "ko")
    fig = figures(at)[0]
    assert [s for s in fig["layout"]["shapes"] if s.get("name") == OUTLINE_NAME]
    ex = build(page.config())
    a = ex.trace.layers[0][0].a[0, 0, 0]
    assert abs(step_columns(fig)["= a_t"][0] - a) < 1e-6         # the figure shows the engine's a_t at t = 0
    assert f"{a:.4f}" in texts(at)                                # ... and the numbers layer says the same


def test_next_and_previous_move_through_a_lesson_and_stop_at_its_ends():
    at = new_app(view="lessons", lesson="004")
    for n in range(1, page_count("004") + 1):
        assert title(at) == said(LESSONS["004"][n - 1].key("004", "title"))
        no_exception(at)
        if n < page_count("004"):
            at.button(key="lesson_next").click().run()
    assert at.button(key="lesson_next").disabled
    at.button(key="lesson_prev").click().run()
    assert title(at) == said(LESSONS["004"][-2].key("004", "title"))


def test_choosing_another_lesson_starts_at_its_first_page():
    at = new_app(view="lessons", lesson="001", page="4")
    at.selectbox(key="lesson").set_value("003").run()
    no_exception(at)
    assert title(at) == said(LESSONS["003"][0].key("003", "title"))


def test_hostile_lesson_and_page_get_a_note_and_a_working_page():
    for query, expect in [(dict(lesson="<b>x</b>", page="2"), ("000", 2)), (dict(lesson="002", page="-3"), ("002", 1)),
                          (dict(lesson="001", page="99"), ("001", page_count("001"))),
                          (dict(lesson="003", page="abc"), ("003", 1)), (dict(lesson="004", page="1e999"), ("004", 1))]:
        at = new_app(view="lessons", **query)
        no_exception(at)
        lesson, n = expect
        assert title(at) == said(LESSONS[lesson][n - 1].key(lesson, "title")), query
        notes = [w.value for w in at.warning]
        assert notes, f"a note for {query}"
        assert all("<b>" not in n or "\\<b\\>" in n for n in notes)     # user text escaped, never markup


def test_try_it_in_explore_opens_the_page_state():
    at = new_app(view="lessons", lesson="003", page="3")                 # the backward direction at t = 9
    at.button(key="lesson_explore").click().run()
    no_exception(at)
    assert at.radio(key="view").value == "explore"
    assert (at.session_state["t"], at.session_state["dir"], at.session_state["bi"]) == (9, 1, True)
    assert at.session_state["L"] == 2 and at.session_state["text"] == LESSONS["003"][2].config().text


def test_train_it_yourself_opens_the_train_view_on_the_task():
    at = new_app(view="lessons", lesson="003", page="4")
    at.button(key="lesson_train").click().run()
    no_exception(at)
    assert at.radio(key="view").value == "train" and at.selectbox(key="tr_task").value == "apple"
    assert at.number_input(key="tr_lr").value == 0.1                     # the lesson's own settings


def test_a_lesson_page_trains_apple_live_until_pple():
    at = new_app(view="lessons", lesson="003", page="5")
    assert said("lesson.press_train") in texts(at)
    at.button(key="lesson_start").click().run()
    no_exception(at)

    def finished(a):
        return any("finished" in p.proto.text for p in a.get("progress"))
    wait_until(at, finished, "the apple run to finish")
    no_exception(at)
    table = at.dataframe[0].value
    assert table["prediction"].iloc[-1] == "pple!" and table["target"].iloc[-1] == "pple!"
    assert title(at) == said(LESSONS["003"][4].key("003", "title"))     # still on the lesson page


def test_the_first_visit_tip_points_to_the_lessons_and_stays_dismissed():
    at = new_app()
    assert said("tip.first").replace("*", "")[:20] in texts(at).replace("*", "")
    at.button(key="tip_dismiss").click().run()
    assert said("tip.first").replace("*", "")[:20] not in texts(at).replace("*", "")
    at.radio(key="view").set_value("train").run()
    at.radio(key="view").set_value("explore").run()
    assert said("tip.first").replace("*", "")[:20] not in texts(at).replace("*", "")
    fresh = new_app()
    fresh.button(key="tip_lessons").click().run()
    no_exception(fresh)
    assert fresh.radio(key="view").value == "lessons" and title(fresh) == said(LESSONS["000"][0].key("000", "title"))


def test_the_page_survives_a_language_switch_and_a_visit_to_another_view():
    at = new_app()
    at.text_area(key="text").set_value("abcde").run()
    at.radio(key="view").set_value("lessons").run()
    at.button(key="lesson_next").click().run()
    at.selectbox(key="lang").set_value("ko").run()
    no_exception(at)
    assert title(at) == said(LESSONS["000"][1].key("000", "title"), "ko")
    at.radio(key="view").set_value("explore").run()
    assert at.text_area(key="text").value == "abcde"             # the Explore view kept its text meanwhile
    at.radio(key="view").set_value("lessons").run()
    assert title(at) == said(LESSONS["000"][1].key("000", "title"), "ko")


def test_the_long_term_page_trains_rnn_lstm_and_gru_side_by_side_and_stops():
    at = new_app(view="lessons", lesson="002", page="3")
    at.button(key="lesson_start").click().run()
    no_exception(at)

    def gradients_shown(a):
        return any(f["layout"].get("title", {}).get("text", "").startswith("‖dL/dh_t‖") for f in figures(a))
    wait_until(at, gradients_shown, "the gradient through time of the three cells")
    runs = at.session_state["runs"]
    assert sorted(runs) == ["GRU", "LSTM", "RNN"] and {r.settings.task for r in runs.values()} == {"memory"}
    at.button(key="lesson_stop").click().run()
    wait_until(at, lambda a: not any(r.active for r in a.session_state["runs"].values()), "the runs to stop")
    no_exception(at)


def test_the_saturation_page_shows_every_h_t_on_its_own_scale():
    """Lesson 000's "every h_t near 1": under the step figure (one range, set by a_t), the hidden states' heatmap on
    their own range, every value after t = 0 at its top."""
    from apptest_helpers import decode
    n = [p.id for p in LESSONS["000"]].index("saturate") + 1
    at = new_app(view="lessons", lesson="000", page=str(n))
    no_exception(at)
    step_fig, states = figures(at)[:2]
    h = decode(states["data"][0]["z"])                           # (H, T): every h_t of the sequence
    ex = build(LESSONS["000"][n - 1].config())
    assert h.shape[1] == ex.T and h[:, 1:].min() > 0.99
    assert states["data"][0]["zmax"] <= 1.0 + 1e-6 < step_fig["data"][0]["zmax"]   # its own, narrower range


def test_the_apple_page_prints_every_step_and_answers_from_its_own_run():
    at = new_app(view="lessons", lesson="003", page="5", lang="ko")
    assert said("lesson.003.apple_train.a_wait", "ko") in texts(at)          # no run yet: the answer waits for one
    at.button(key="lesson_start").click().run()
    wait_until(at, lambda a: not any(r.active for r in a.session_state["runs"].values()), "the apple run to end")
    at.run()                  # the page as its timer draws it next: the run ended (it may end after a run's draw)
    no_exception(at)
    run = at.session_state["runs"]["this run"]
    steps = run.settings.steps
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [f"[{s:02d}/{steps}]" for s in range(1, steps + 1)]     # every step, as the note
    right = next(e for e in run.events if e.prediction == e.target)
    assert right.step < steps
    answer = said("lesson.003.apple_train.a", "ko", first=right.step, steps=steps, loss=right.loss, target=right.target)
    assert answer in texts(at)                              # the first row that reads pple!, from this run's numbers


TRAINING_PAGES = [(lesson, n) for lesson, pages in LESSONS.items() for n, p in enumerate(pages, 1)
                  if p.panel in ("train", "compare")]


def test_every_lesson_page_that_trains_has_the_train_views_pace_control():
    from rnnviz.settings import PACES
    for lesson, n in TRAINING_PAGES:
        at = new_app(view="lessons", lesson=lesson, page=str(n))
        no_exception(at)
        pace = at.selectbox(key="tr_pace")
        assert tuple(pace.options) == tuple(said(f"choice.tr_pace.{p}") for p in PACES), (lesson, n)


def test_a_lesson_run_goes_at_the_chosen_pace_and_follows_a_new_one():
    at = new_app(view="lessons", lesson="002", page=str(len(LESSONS["002"])))   # the Avengers run, 151 steps
    at.selectbox(key="tr_pace").set_value("5").run()
    at.button(key="lesson_start").click().run()
    no_exception(at)
    run = at.session_state["runs"]["this run"]
    assert (run.pace, run.by_key, run.settings.task) == (5.0, False, "avengers")
    at.selectbox(key="tr_pace").set_value("key").run()                      # one step per press, from now on
    assert (run.pace, run.by_key) == (0.0, True)
    wait_until(at, lambda a: run.steps_allowed == 0 and run.status == "queued", "the run to wait for a press")
    before = run.trainer.step
    at.button(key="lesson_one_step").click().run()
    wait_until(at, lambda a: run.trainer.step == before + 1, "one more step after the press")
    at.button(key="lesson_stop").click().run()
    wait_until(at, lambda a: not run.active, "the run to stop")
    no_exception(at)
