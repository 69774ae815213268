"""The lessons as data: every page builds, says its words in both languages with the engine's numbers, outlines
what it points at, and reproduces the shapes and printouts the course notes show."""
import re
import string

import numpy as np
import pytest
import torch

from rnnviz import words
from rnnviz.lessons import LESSONS, every_page, facts
from rnnviz.lessons.outline import OUTLINE_NAME, outlined
from rnnviz.pipeline import build
from rnnviz.plots import step
from rnnviz.settings import LESSON, LESSON_IDS, MAX_PAGES
from rnnviz.train.loop import Settings, Trainer

PAGES = list(every_page())
UNFILLED = re.compile(r"\{[A-Za-z_]\w*(:[^}]*)?\}")          # a {placeholder} left unformatted
IDS = [f"{lesson}-{n}-{p.id}" for lesson, n, p in PAGES]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def built(page):
    """The page's engine run, as the page draws it (on its note's vocabulary where it has one)."""
    config = page.config()
    return build(config, page.weights(config))


def run_facts(task: str) -> dict:
    """A real run's numbers for a training page's answer: its first step that predicts the whole target."""
    right = facts.first_right(Trainer(Settings(task=task)).events())
    assert right is not None, f"the {task} run never predicted its target"
    return right


def test_the_settings_know_every_lesson_and_its_pages():
    assert LESSON_IDS == tuple(LESSONS)
    assert LESSON["lesson"].choices == tuple(LESSONS)
    for pages in LESSONS.values():
        assert 5 <= len(pages) <= MAX_PAGES
        assert len({p.id for p in pages}) == len(pages)          # page ids are unique within a lesson


@pytest.mark.parametrize(("lesson", "n", "page"), PAGES, ids=IDS)
def test_every_page_builds_and_says_its_words_with_the_engines_numbers(lesson, n, page):
    ex = built(page)
    raw = page.facts(ex) if page.facts else {}
    parts = ["title", "body"] + ["numbers"] * page.numbers + ["q", "a"] * page.question
    trained = page.panel == "train" and page.question         # its answer comes from the run: or a wait for it
    parts += ["a_wait"] * trained
    for part in parts:
        key = page.key(lesson, part)
        en, ko = words.catalogue("en").get(key), words.catalogue("ko").get(key)
        assert en and ko, f"{key} is missing from a catalogue"
        assert placeholders(en) == placeholders(ko), key
        have = raw | run_facts(page.task) if trained and part == "a" else raw
        assert placeholders(en) <= set(have), f"{key} needs numbers the page does not compute"
        for lang in ("en", "ko"):
            with words.language(lang):
                text = words.say(key, **have)
            assert not UNFILLED.search(text) and text.strip(), (key, lang)
    code = page.code.format(**raw)                       # every number of the code comes from the page's facts
    assert not UNFILLED.search(code)
    if page.panel in ("train", "compare"):
        assert page.task, "a training page names the task it trains"


@pytest.mark.parametrize(("lesson", "n", "page"), [p for p in PAGES if p[2].outline], ids=lambda v: str(v)[:20])
def test_the_outline_surrounds_the_column_the_page_names(lesson, n, page):
    ex = build(page.config())
    c = ex.config
    lt = ex.trace.layers[c.layer][c.dir]
    spec = step.step_spec(lt, ex.network, ex.rows[c.row], c.row, c.t)
    out = outlined(spec, page.outline)
    boxes = [s for s in out["layout"]["shapes"] if s.get("name") == OUTLINE_NAME]
    assert len(boxes) == 1
    names = [name for name, _ in step.step_columns(lt, ex.network, c.row)]
    column = next(i for i, name in enumerate(names) if name.startswith(page.outline))
    axis = "" if column == 0 else str(column + 1)
    x0, x1 = out["layout"]["xaxis" + axis]["domain"]
    assert boxes[0]["x0"] < x0 < x1 < boxes[0]["x1"]
    assert all(sum(s.get("name") == OUTLINE_NAME for s in f["layout"]["shapes"]) == 1 for f in out["frames"])
    assert "shapes" not in spec["layout"] or all(s.get("name") != OUTLINE_NAME for s in spec["layout"]["shapes"])


def test_an_unknown_column_is_refused_by_name():
    ex = build(LESSONS["000"][0].config())
    lt = ex.trace.layers[0][0]
    spec = step.step_spec(lt, ex.network, ex.rows[0], 0, 0)
    with pytest.raises(KeyError, match="no column"):
        outlined(spec, "c_t")                              # an RNN has no cell state


def page_facts(lesson: str, page_id: str) -> dict:
    page = next(p for p in LESSONS[lesson] if p.id == page_id)
    return page.facts(built(page))


# The notes' own printouts, as they print them (../shared/lessons/*.txt).
def test_lesson_000_prints_the_notes_shapes():
    assert {k: page_facts("000", "weights")[k] for k in ("Wx", "Wh", "b_shape")} == \
        {"Wx": "(8, 4)", "Wh": "(8, 8)", "b_shape": "(8,)"}
    assert page_facts("000", "loop")["HT"] == "(10, 8)"                 # total_hidden_states
    nn_rnn = page_facts("000", "nn_rnn")
    assert (nn_rnn["outputs"], nn_rnn["status"]) == ("torch.Size([1, 10, 8])", "torch.Size([1, 1, 8])")


def test_lesson_000_uniform_weights_saturate_as_the_note_prints():
    sat = page_facts("000", "saturate")
    assert sat["h_low"] > 0.998            # the note's rows from t = 1: 0.9978… and above
    assert sat["slope"] < 0.005 and sat["a_low"] > 3


def test_lesson_001_shapes_of_the_cell_and_the_head():
    page = next(p for p in LESSONS["001"] if p.id == "cell")
    code = page.code.format(**page_facts("001", "cell"))
    assert "# torch.Size([4])" in code and "# torch.Size([1, 6])" in code     # x_t and h_t_minus_1
    head = page_facts("001", "head")
    assert head["y_shape"] == "torch.Size([1, 1])" and head["Wy"] == "(1, 6)"  # output_size 1, hidden 6
    assert 0 < head["y_last"] < 1


def test_lesson_002_data_as_the_note_builds_it():
    data = page_facts("002", "train")
    assert data["x_shape"] == "(1, 7)" and data["V"] == 9                 # 7 (word, next word) pairs; 8 words + <unk>
    assert (data["E"], data["hidden"], data["steps"]) == (5, 20, 151)


def test_lesson_003_prints_the_notes_shapes_and_apple_data():
    layers = page_facts("003", "layers")
    assert (layers["outputs"], layers["status"]) == ("torch.Size([1, 10, 8])", "torch.Size([2, 1, 8])")
    both = page_facts("003", "bidirectional")
    assert (both["outputs"], both["status"]) == ("torch.Size([1, 10, 16])", "torch.Size([4, 1, 8])")
    apple = page_facts("003", "apple_data")
    assert apple["char_to_index"] == "{'!': 0, 'a': 1, 'e': 2, 'l': 3, 'p': 4}"
    assert (apple["x_data"], apple["y_data"]) == ("[1, 4, 4, 3, 2]", "[4, 4, 3, 2, 0]")
    assert (apple["X_shape"], apple["Y_shape"], apple["V"]) == ("torch.Size([1, 5, 5])", "torch.Size([1, 5])", 5)


def test_lesson_004_the_batch_and_the_batch_first_trap():
    batch = page_facts("004", "batch")
    assert (batch["inputs"], batch["outputs"]) == ("torch.Size([3, 5, 4])", "torch.Size([3, 5, 2])")
    trap = page_facts("004", "trap")
    assert (trap["inputs"], trap["outputs"]) == ("torch.Size([3, 5, 4])", "torch.Size([3, 5, 2])")
    assert (trap["T_read"], trap["B_read"], trap["status"]) == (3, 5, "torch.Size([1, 5, 2])")
    one_hot = page_facts("004", "one_hot")
    assert (one_hot["t"], one_hot["token"]) == (2, "l")                   # h e l l o: t = 2 is the first l


@pytest.mark.parametrize(("I", "H", "B", "T", "L", "bi", "bf"),
                         [(5, 8, 1, 10, 1, False, True), (5, 8, 1, 10, 2, True, True), (4, 2, 5, 3, 1, False, False)])
def test_the_engines_shapes_are_torchs(I, H, B, T, L, bi, bf):
    shapes = facts.module_shapes(I, H, B, T, L, bi, bf)
    module = torch.nn.RNN(I, H, num_layers=L, bidirectional=bi, batch_first=bf)
    outputs, status = module(torch.zeros((B, T, I) if bf else (T, B, I)))
    assert (shapes["outputs"], shapes["status"]) == (str(outputs.shape), str(status.shape))


def test_step_numbers_are_the_equation_term_by_term():
    ex = build(LESSONS["000"][3].config())
    n = facts.step_numbers(ex, 1, unit=3)
    assert np.isclose(n["wx"] + n["wh"] + n["b"], n["a"], atol=1e-5)
    assert np.isclose(np.tanh(n["a"]), n["h"], atol=1e-6)
    assert re.fullmatch(r"torch\.Size\(\[\d+(, \d+)*\]\)", facts.size((1, 2, 3)))
