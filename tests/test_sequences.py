"""Lesson 001's one-to-many and encoder-decoder pages: the decoder alone writing from one vector (engine against
torch), the figures' numbers (the engine's), the pages in AppTest in both languages, and the note's own words."""
import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from apptest_helpers import ROOT, decode, no_exception, texts, wait_until
from streamlit.testing.v1 import AppTest

from rnnviz import notebook, words
from rnnviz.engine.one_to_many import plane, point, write
from rnnviz.engine.readout import pca_2d
from rnnviz.lessons import LESSONS
from rnnviz.plots.one_to_many import GRID, NUMBERS, writing_figure
from rnnviz.sequences import Plane, figures, reading
from rnnviz.train.seq2seq import NumbersTrainer
from rnnviz.ui import sequences

NOTE = next((Path(__file__).parent / "notes").glob("001_*.txt")).read_text(encoding="utf-8")
PAGE = str(ROOT / "tests" / "sequences_page.py")
TRAINED = 600            # seconds: a page's model trains once per server (about 10 s on an idle machine)


@pytest.fixture(scope="module")
def none_model():
    """An untrained model without attention: writing from a vector must equal reading, trained or not."""
    trainer = NumbersTrainer(lang="en", attention="none", steps=1, seed=3)
    return trainer, trainer.engine()


@pytest.mark.parametrize("number", [7, 42, 2026, 9999])
def test_writing_from_a_numbers_context_is_its_reading(none_model, number):
    trainer, model = none_model
    task = trainer.task
    tokens, trace = reading(task, model, number)
    h0 = model.encode(np.array([task.source(number)])).h_n[0, 0]
    w = write(model, h0, task.bos, task.eos, task.max_out)
    assert [task.tgt_vocab[i] for i in w.ids] == tokens
    np.testing.assert_allclose(w.probs, trace.probs[:, 0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(w.decoder.layers[0][0].h[:, 0], trace.decoder.layers[0][0].h[:, 0], atol=1e-6)


def test_writing_from_any_vector_equals_torchs_decoder_fed_its_own_outputs(none_model):
    trainer, model = none_model
    task = trainer.task
    h0 = np.random.default_rng(1).standard_normal(model.hidden).astype(np.float32)
    w = write(model, h0, task.bos, task.eos, task.max_out)
    fed = torch.tensor([[task.bos, *w.ids[:-1].tolist()]])
    with torch.no_grad():
        h, _ = trainer.model.decoder(trainer.model.tgt_embed(fed), torch.from_numpy(h0)[None, None])
        p = torch.softmax(trainer.model.out(h), -1)[0].numpy()
    np.testing.assert_allclose(w.probs, p, atol=1e-5)
    assert (w.ids == p.argmax(-1)).all()                      # each output is the likeliest, and fed back


def test_a_decoder_with_attention_does_not_write_alone():
    trainer = NumbersTrainer(lang="ko", attention="general", steps=1)
    with pytest.raises(ValueError, match="without attention"):
        write(trainer.engine(), np.zeros(trainer.hidden), trainer.task.bos, trainer.task.eos, 5)


def test_the_plane_is_the_contexts_pca_and_a_point_on_it_is_a_vector_of_it(none_model):
    trainer, model = none_model
    where = Plane(trainer.task, model, 2026)
    coords, _ = pca_2d(where.vectors)
    np.testing.assert_allclose(np.abs(where.coords), np.abs(coords), atol=1e-4)
    h0, xy = where.start(("point", 0.5, -0.25))
    assert xy == (0.5, -0.25)
    np.testing.assert_allclose((h0 - where.mean) @ where.axes.T, xy, atol=1e-5)
    h0, xy = where.start(("number", 2026))
    np.testing.assert_allclose(h0, model.encode(np.array([[2, 0, 2, 6]])).h_n[0, 0])
    mean, axes = plane(where.vectors)
    np.testing.assert_allclose((h0 - mean) @ axes.T, xy, atol=1e-5)          # the star sits on the number's point
    np.testing.assert_allclose((point(mean, axes, xy) - mean) @ axes.T, xy, atol=1e-5)
    fig = where.figure(xy).to_plotly_json()
    assert decode(fig["data"][NUMBERS]["customdata"]).tolist() == where.numbers
    assert len(decode(fig["data"][GRID]["x"])) == len(where.grid)


@pytest.mark.parametrize("t", [0, 2])
def test_the_writing_figure_fills_in_up_to_t_with_the_engines_numbers(none_model, t):
    trainer, model = none_model
    task = trainer.task
    w = write(model, model.encode(np.array([[1, 2, 3, 4]])).h_n[0, 0], task.bos, task.eos, task.max_out)
    with words.language("ko"):
        fig = writing_figure(w, list(task.tgt_vocab), t).to_plotly_json()
    h = decode(fig["data"][0]["z"]).astype(float)
    np.testing.assert_allclose(h[:, :t + 1], w.decoder.layers[0][0].h[:t + 1, 0].T, rtol=1e-6)
    assert np.isnan(h[:, t + 1:]).all()                       # what is not yet written is empty
    np.testing.assert_allclose(decode(fig["data"][1]["y"]), np.sort(w.probs[t])[::-1][:8], rtol=1e-6)
    assert "일대다" in fig["layout"]["title"]["text"]


def test_a_click_on_the_plane_chooses_the_start():
    assert sequences.start_of([{"curve_number": NUMBERS, "customdata": 305, "x": 1.0, "y": 2.0}]) == ("number", 305)
    assert sequences.start_of([{"curve_number": GRID, "x": 1.5, "y": -2.0}]) == ("point", 1.5, -2.0)
    assert sequences.start_of([{"curve_number": 2, "x": 0, "y": 0}]) is None     # the star: no new start


def test_the_notebook_draws_the_pages_figures_in_the_trainers_language(none_model):
    trainer, model = none_model
    figs = notebook.read_aloud(trainer, 2026)
    tokens, trace = reading(trainer.task, model, 2026)
    assert [f.layout.title.text for f in figs] == [f.layout.title.text for f in figures(trainer.task, model, 2026)]
    assert figs[0].layout.title.text.startswith("Encoder-decoder") and figs[2].layout.title.text.startswith("One-to-many")
    np.testing.assert_allclose(np.asarray(figs[0].data[1].z)[:, 0], trace.encoder.h_n[0, 0], rtol=1e-6)
    ko = NumbersTrainer(lang="ko", attention="general", steps=1)
    fig, = notebook.read_aloud(ko, "2026", t=1)
    assert "인코더-디코더" in fig.layout.title.text
    alpha = np.asarray(fig.data[1].z, float)
    np.testing.assert_allclose(alpha[:2], ko.attention("2026")[:2], rtol=1e-5)


# --- the pages --------------------------------------------------------------------------------------------------

def page_app(page: str, lang: str, attention: str) -> AppTest:
    """The page, once its model (trained in the background, once per process) is ready and drawn."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["page"], at.query_params["lang"] = page, lang
    at.run()
    no_exception(at)
    if page == "encdec" and attention != "general":
        at.radio(key="seq_att").set_value(attention).run()
    return wait_until(at, lambda a: sequences.shelf().get(lang, attention) is not None and len(a.get("plotly_chart")),
                      f"the {lang} {attention} reading model to train and its page to draw", TRAINED)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.timeout(1_200)                     # a busy machine: the page's model trains within TRAINED
@pytest.mark.parametrize("lang,title", [("ko", "인코더-디코더"), ("en", "Encoder-decoder")])
def test_the_encoder_decoder_page_steps_t_and_the_attention_fills_in(lang, title):
    at = page_app("encdec", lang, "general")
    r = sequences.shelf().get(lang, "general")                   # the page's own model (shared by the server)
    tokens, trace = reading(r.task, r.model, sequences.FIRST)
    for t in (0, 1, 2):
        fig, = charts(at)
        assert title in fig["layout"]["title"]["text"]
        alpha = decode(fig["data"][1]["z"]).astype(float)
        np.testing.assert_allclose(alpha[:t + 1], trace.attention.weights[:t + 1, 0], rtol=1e-5)
        assert np.isnan(alpha[t + 1:]).all(), t
        at.button(key="seq_next").click().run()
        no_exception(at)
    right = r.task.words(r.task.target(sequences.FIRST))
    assert f"{sequences.FIRST}" in texts(at) and f"{right}** ✓" in texts(at), texts(at)
    assert r.held >= 0.9, r.held                              # measured 0.98 after the preset's 200 steps


@pytest.mark.timeout(1_200)                     # a busy machine: the page's model trains within TRAINED
def test_without_attention_the_page_says_why_and_compares(lang="ko"):
    at = page_app("encdec", lang, "none")
    wait_until(at, lambda a: sequences.shelf().get(lang, "general") is not None, "the general model to compare", TRAINED)
    no_exception(at)
    fig, = charts(at)
    r = sequences.shelf().get(lang, "none")
    _, trace = reading(r.task, r.model, sequences.FIRST)
    np.testing.assert_allclose(decode(fig["data"][1]["z"]).astype(float)[:, 0], trace.encoder.h_n[0, 0], rtol=1e-6)
    with words.language(lang):
        why = words.say("s2s.why_none", digits=4, H=r.model.hidden)
    assert why in [i.value for i in at.info]
    assert any("general" in c.value and f"{r.held:.0%}" in c.value for c in at.caption)


@pytest.mark.timeout(1_200)                     # a busy machine: the page's model trains within TRAINED
@pytest.mark.parametrize("lang,kind", [("ko", "일대다"), ("en", "one-to-many")])
def test_the_one_to_many_page_writes_from_a_numbers_context(lang, kind):
    at = page_app("one_to_many", lang, "none")
    r = sequences.shelf().get(lang, "none")
    plane_fig, writing = charts(at)
    assert "PCA" in plane_fig["layout"]["title"]["text"]
    assert kind in writing["layout"]["title"]["text"].lower()
    h0 = r.model.encode(np.array([r.task.source(sequences.FIRST)])).h_n[0, 0]
    w = write(r.model, h0, r.task.bos, r.task.eos, r.task.max_out)
    assert r.task.words(w.ids.tolist()) in texts(at), texts(at)
    at.button(key="seq_next").click().run()
    h = decode(charts(at)[1]["data"][0]["z"]).astype(float)
    np.testing.assert_allclose(h[:, :2], w.decoder.layers[0][0].h[:2, 0].T, rtol=1e-6)
    assert np.isnan(h[:, 2:]).all()
    at.number_input(key="seq_number").set_value(305).run()
    assert any("305" in m.value for m in at.markdown) and at.session_state["seq_t"] == 0


# --- the note --------------------------------------------------------------------------------------------------

def page_words(page_id: str, lang: str) -> str:
    page = next(p for p in LESSONS["001"] if p.id == page_id)
    with words.language(lang):
        return "\n".join(words.say(page.key("001", part)) for part in ("title", "body") + ("q", "a") * page.question)


@pytest.mark.parametrize("page_id,kind", [("one_to_many", "One to Many"), ("encdec", "Encoder-Decoder")])
def test_each_page_says_what_the_note_says_of_its_kind(page_id, kind):
    line = re.search(rf"^\d\. {kind} = (.+?)\s*\n\s*ex\) (.+?)\s*$", NOTE, re.M)
    assert line, f"the note no longer defines {kind}"
    definition, example = line.groups()
    ko, en = page_words(page_id, "ko"), page_words(page_id, "en").lower()
    clause = definition.split(",")[-1].split()                # Encoder-Decoder's: after "2번과 비슷한 경우지만,"
    assert example in ko and all(w in ko.replace(" ", "") for w in clause), (clause, ko)
    english = {"One to Many": ("one-to-many", "text generation"), "Encoder-Decoder": ("encoder-decoder",
                                                                                     "machine translation")}[kind]
    assert all(w in en for w in english)
    assert not re.search(r"many to|to many|encoder-decoder", ko, re.I), "an English heading on a Korean page"


def test_the_encoder_decoders_input_and_output_lengths_differ_as_the_note_says():
    """Note: 'like many-to-many, but the input and output sequences have different lengths'."""
    trainer = NumbersTrainer(lang="ko", attention="general", steps=1)
    assert len(str(sequences.FIRST)) != len(trainer.task.target(sequences.FIRST)) - 1     # 4 digits, 5 syllables
    assert "2026" in page_words("encdec", "ko") and "이천이십육" in page_words("encdec", "ko")
