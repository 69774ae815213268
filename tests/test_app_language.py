"""The language: lang= in a link, the browser's language, the switch; switching keeps everything the user had."""
import re

from apptest_helpers import figure_titled, new_app, no_exception, texts, wait_until

HANGUL = re.compile("[가-힣]")


def test_lang_ko_in_the_link_opens_the_same_view_in_korean():
    at = new_app(lang="ko", text="hello", H="5", cell="lstm")
    no_exception(at)
    assert at.title[0].value == "rnnviz — 순환 신경망을 한 단계씩"
    assert at.selectbox(key="cell").label == "셀" and at.slider(key="H").label == "은닉 크기 H"
    step = figure_titled(at, "시점 t = 0의 계산")
    assert "시점 : 토큰" in str(step["layout"]) and "time step" not in str(step["layout"])
    assert at.slider(key="H").value == 5


def test_no_lang_is_english_and_an_unknown_lang_gets_a_note_in_both():
    at = new_app(text="hello")
    assert at.title[0].value == "rnnviz — recurrent networks, step by step"
    assert not HANGUL.search(at.selectbox(key="cell").label)
    at = new_app(lang="xx")
    no_exception(at)
    assert "Ignored the unknown language" in texts(at)


def test_switching_language_keeps_settings_t_and_the_open_tab():
    at = new_app(text="apple", cell="gru", H="6", t="3", panel="maps")
    no_exception(at)
    before = {k: at.session_state[k] for k in ("text", "cell", "H", "t")}
    at.selectbox(key="lang").set_value("ko").run()
    no_exception(at)
    assert {k: at.session_state[k] for k in before} == before
    assert at.session_state["panel"] == "히트맵"                         # the same tab, named in Korean
    assert figure_titled(at, "은닉 상태 h_t")                            # the open tab's figures, in Korean
    at.selectbox(key="lang").set_value("en").run()
    assert {k: at.session_state[k] for k in before} == before and at.session_state["panel"] == "Heatmaps"
    assert figure_titled(at, "hidden states h_t")


def test_switching_language_keeps_a_finished_training_run():
    at = new_app(view="train")
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any(r.status == "done" for r in (a.session_state["runs"] or {}).values()),
               "the apple run to finish")
    runs = dict(at.session_state["runs"])
    at.selectbox(key="lang").set_value("ko").run()
    no_exception(at)
    assert dict(at.session_state["runs"]) == runs and all(r.status == "done" for r in runs.values())
    assert at.session_state["view"] == "train"


def test_the_train_view_in_korean():
    at = new_app(view="train", lang="ko")
    no_exception(at)
    assert at.button(key="tr_start").label == "▶ 시작" and at.selectbox(key="tr_task").label == "과제"
    at.number_input(key="tr_lr").set_value(1e6).run()
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: any("오류로 멈춤" in p.proto.text for p in a.get("progress")), "the diverged run's status")
    assert "학습률(1e+06)이 이 모델에 너무 큰 것이 원인" in texts(at)
    assert figure_titled(at, "학습 곡선")


# --- a teacher's lesson link (issue 15, item 4) ------------------------------------------------------------------

def test_a_lesson_link_hides_and_locks_exactly_the_chosen_controls():
    at = new_app(text="apple", H="5", hide="cell,L,bi,seed", lock="H")
    no_exception(at)
    drawn = {w.key for kind in ("selectbox", "slider", "toggle", "number_input", "radio") for w in at.get(kind)}
    assert not {"cell", "L", "bi", "seed"} & drawn and {"H", "tok", "enc", "scale"} <= drawn
    assert at.slider(key="H").disabled and at.slider(key="H").value == 5
    assert "hides 4 control(s) and locks 1" in texts(at)
    at.text_area(key="text").set_value("hello").run()                  # a rerun keeps the hidden values
    assert at.session_state["cell"] == "rnn_tanh" and at.session_state["L"] == 1
    at.button(key="class_show_all").click().run()
    assert at.selectbox(key="cell") and not at.slider(key="H").disabled


def test_hostile_hide_values_get_a_note_and_a_working_page():
    at = new_app(hide="<script>,H,zzz" + ",x" * 300, lock="🙂")
    no_exception(at)
    assert "not controls" in texts(at)
    assert figure_titled(at, "the step at t")
    assert "H" not in {w.key for w in at.get("slider")}


def test_the_class_panel_writes_the_link():
    at = new_app(text="apple")
    at.multiselect(key="class_hide").set_value(["cell", "L"]).run()
    at.multiselect(key="class_lock").set_value(["H"]).run()
    code = [c.value for c in at.code if "hide=" in c.value]
    assert code and "hide=cell%2CL" in code[0] and "lock=H" in code[0] and "text=apple" in code[0]


def test_every_fragment_says_its_words_in_the_pages_language():
    """A fragment reruns alone (a t-move, a live training panel every second): the language is set per script run,
    so each fragment sets it first, or its words come out in English on a Korean page."""
    import ast
    from pathlib import Path
    ui = Path(__file__).resolve().parents[1] / "rnnviz" / "ui"
    fragments = []
    for path in sorted(ui.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any("fragment" in ast.unparse(d) for d in node.decorator_list):
                body = [b for b in node.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
                fragments.append((f"{path.name}:{node.name}", ast.unparse(body[0]) if body else ""))
    assert len(fragments) >= 5, fragments
    assert [name for name, first in fragments if first != "session.use_language()"] == []


def test_every_figures_toolbar_speaks_the_pages_language():
    """Plotly writes its toolbar's tooltips (Zoom in, Download plot as a PNG…) in English unless the figure's config
    names a locale with its words: each chart carries the page's language and the catalogue's words."""
    import json

    at = new_app(lang="ko", text="hello", out="1")
    no_exception(at)
    configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
    assert configs
    assert all(c["locale"] == "ko" and c["locales"]["ko"]["dictionary"]["Zoom in"] == "확대"
               and c["locales"]["ko"]["dictionary"]["Download plot as a PNG"] == "그림을 PNG로 내려받기" for c in configs)
    at.selectbox(key="lang").set_value("en").run()
    configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
    assert configs and all(c["locale"] == "en" and c["locales"]["en"]["dictionary"]["Zoom in"] == "Zoom in"
                           for c in configs)
