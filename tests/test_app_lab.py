"""The text lab in AppTest: train on the corpus, see samples and the neuron view; bad uploads keep the text."""

from apptest_helpers import decode, figure_titled, figures, new_app, no_exception, texts
from streamlit.testing.v1 import AppTest
from waiting import rerun_until


def wait_until(at: AppTest, predicate, what: str, seconds: float = 90) -> AppTest:
    """Rerun the lab until `predicate(at)` holds (the shared, load-scaled wait); a failure shows its progress."""
    return rerun_until(at, predicate, what, seconds, seen=lambda: progress(at))


def progress(at: AppTest) -> str:
    return " ".join(p.proto.text for p in at.get("progress"))


def test_the_lab_trains_on_the_corpus_writes_and_colours_the_passage():
    at = new_app(view="lab")
    no_exception(at)
    assert at.radio(key="lab_source").value == "corpus"
    at.slider(key="lab_hidden").set_value(24)
    at.number_input(key="lab_steps").set_value(40)
    at.button(key="lab_start").click().run()
    no_exception(at)
    wait_until(at, lambda a: "finished" in progress(a), "training to finish")
    no_exception(at)
    curves = figure_titled(at, "loss in bits per character")
    assert len(decode(curves["data"][0]["x"])) == 40                 # a point per step
    assert at.get("code"), "no sample under the curves"
    at.button(key="lab_write").click().run()
    no_exception(at)
    def written_and_shown(a):
        run = a.session_state["lab_writer"]
        return run.status == "done" and run.trainer.prompt + run.trainer.text in [c.value for c in a.get("code")]
    wait_until(at, written_and_shown, "the writing to finish and its whole passage to be drawn")
    writer = at.session_state["lab_writer"].trainer
    assert len(writer.written) == 200 and writer.prompt + writer.text in [c.value for c in at.get("code")]
    assert figure_titled(at, "the most likely next characters")
    assert figure_titled(at, "the passage coloured by unit")
    assert "units are on through the selection" in texts(at)


def test_bad_uploads_say_why_and_keep_the_text_in_use():
    at = new_app(view="lab")
    at.radio(key="lab_source").set_value("paste").run()
    good = "Recurrent networks carry a hidden state from one step to the next. " * 3
    at.text_area(key="lab_paste").input(good)
    at.button(key="lab_use").click().run()
    no_exception(at)
    assert at.session_state["lab_user_text"] == good and "The text is ready" in texts(at)
    at.text_area(key="lab_paste").input("   ")
    at.button(key="lab_use").click().run()
    no_exception(at)
    assert at.session_state["lab_user_text"] == good                 # the bad text did not replace it
    assert "The text is empty" in " ".join(str(e.value) for e in at.error)


def test_the_lab_speaks_korean():
    at = new_app(view="lab", lang="ko")
    no_exception(at)
    assert at.button(key="lab_start").label == "▶ 시작"
    assert "텍스트 실험실" in " ".join(str(h.value) for h in at.subheader)


def test_trained_lab_weights_open_in_explore():
    at = new_app(view="lab")
    at.slider(key="lab_hidden").set_value(16)
    at.number_input(key="lab_steps").set_value(10)
    at.button(key="lab_start").click().run()
    wait_until(at, lambda a: "finished" in progress(a), "training to finish")
    assert at.get("download_button"), "no download button for the trained weights"
    at.button(key="lab_explore").click().run()
    no_exception(at)
    assert at.radio(key="view").value == "explore"
    assert at.session_state["explore_weights"].network.hidden_size == 16
    from rnnviz.lab.texts import corpus_text
    assert at.text_area(key="text").value == corpus_text()[:200]          # the start of the training text
    assert figures(at), "Explore drew no figure with the lab's weights"


def test_the_lab_settings_come_from_the_link_and_bad_values_get_a_note():
    at = new_app(view="lab", lab_source="stdlib", lab_module="textwrap", lab_hidden="64", lab_layers="9", lab_cell="gru")
    no_exception(at)
    assert at.radio(key="lab_source").value == "stdlib" and at.selectbox(key="lab_module").value == "textwrap"
    assert at.slider(key="lab_hidden").value == 64 and at.selectbox(key="lab_cell").value == "gru"
    assert at.slider(key="lab_layers").value == 3                        # clamped to the lab's bound, and said
    assert "number of layers must be between 1 and 3; 9 was changed to 3" in " ".join(
        str(w.value) for w in at.warning).replace("\\", "")


def test_a_two_layer_gru_colours_the_passage_by_a_gate_of_its_second_layer():
    at = new_app(view="lab", lab_cell="gru", lab_layers="2", lab_hidden="12", lab_steps="5")
    at.button(key="lab_start").click().run()
    wait_until(at, lambda a: "finished" in progress(a), "training to finish")
    assert at.selectbox(key="lab_kind_shown").options == ["h_t (hidden state)", "gate r", "gate z", "gate n"]
    at.selectbox(key="lab_layer").set_value(1).run()
    at.selectbox(key="lab_kind_shown").set_value("z").run()
    no_exception(at)
    passage = figure_titled(at, "the passage coloured by unit")["data"][0]
    values = [v for row in passage["z"] for v in row if v is not None]
    assert values and all(0 < v < 1 for v in values)                   # a gate: σ, strictly between 0 and 1


def said(at: AppTest) -> str:
    """The page's error and success boxes, as one string."""
    return " ".join(str(e.value) for e in [*at.error, *at.success]).replace("\\", "")


def test_the_lab_s_messages_are_said_in_the_page_s_language():
    at = new_app(view="lab", lang="ko")
    at.radio(key="lab_source").set_value("paste").run()
    at.text_area(key="lab_paste").input("순환 신경망은 은닉 상태를 시점마다 넘깁니다. Recurrent networks carry state. " * 2)
    at.button(key="lab_use").click().run()
    no_exception(at)
    assert "텍스트가 준비되었습니다" in said(at) and "ready" not in said(at)
    at.text_area(key="lab_paste").input("   ")
    at.button(key="lab_use").click().run()
    assert "텍스트가 비어 있습니다" in said(at) and "empty" not in said(at)
    at.radio(key="lab_source").set_value("upload").run()
    at.file_uploader(key="lab_upload").upload("old.txt", "안녕하세요, 순환 신경망입니다. ".encode("euc-kr") * 10,
                                              "text/plain").run()
    no_exception(at)
    assert "UTF-8이 아닙니다" in said(at) and "is not UTF-8" not in said(at)


def test_lab_weights_go_back_in_and_step_0_says_nothing_is_measured_yet():
    from rnnviz import weight_files as weights
    at = new_app(view="lab", lab_hidden="12", lab_steps="3")
    at.button(key="lab_start").click().run()
    wait_until(at, lambda a: "finished" in progress(a), "training to finish")
    data = weights.to_bytes(at.session_state["lab_run"].trainer)        # what the download button serves
    for lang, loaded, nothing in (("en", "Loaded: lstm, hidden size 12", "weights loaded: step 0/3, nothing measured yet"),
                                  ("ko", "불러왔습니다: lstm, 은닉 크기 12", "가중치 불러옴: 0/3단계, 아직 잰 값이 없습니다")):
        at.session_state["lang"] = lang
        at.file_uploader(key="lab_weights").upload(f"weights-{lang}.safetensors", data).run()
        no_exception(at)
        assert not at.error, said(at)
        assert loaded in said(at) and progress(at) == nothing
        at.file_uploader(key="lab_weights").set_value(None).run()


def test_the_prompt_is_capped_by_its_row_and_not_read_again_on_every_rerun(monkeypatch):
    from rnnviz.settings import LAB
    from rnnviz.text import graphemes
    from rnnviz.train.charrnn import CharTrainer
    reads = []
    real = CharTrainer.next_chars
    monkeypatch.setattr(CharTrainer, "next_chars", lambda self, text, k=10: reads.append(text) or real(self, text, k))
    at = new_app(view="lab", lab_hidden="8", lab_steps="2", lab_length="20")
    at.button(key="lab_start").click().run()
    wait_until(at, lambda a: "finished" in progress(a), "training to finish")
    box = at.text_area(key="lab_prompt")
    assert box.proto.max_chars == LAB["lab_prompt"].max_chars
    box.input("가나다라" * (LAB["lab_prompt"].max_chars // 4)).run()      # all the box takes (Streamlit cuts a
                                                                        # megabyte to this before the script runs)
    no_exception(at)
    at.button(key="lab_write").click().run()
    wait_until(at, lambda a: a.session_state["lab_writer"].status == "done", "the writing to finish")
    prompt = at.session_state["lab_writer"].trainer.prompt
    assert len(graphemes(prompt)) == LAB["lab_prompt"].high and prompt == ("가나다라" * 125)
    at.run()                                                            # the page with all of the writing
    n = len(reads)
    assert n and max(len(r) for r in reads) <= LAB["lab_prompt"].high + 20
    at.run()
    at.run()
    assert len(reads) == n, "the next-character bars read the prompt through the model again on a rerun"
