"""Every lesson page says what its course note says: the shapes, id maps and step counts the note itself prints,
read from its text with regexes (tests/notes/: copies of ../shared/lessons/, which a clean clone lacks), against
the numbers the page draws (its engine run, its run of the Train task, its figures in AppTest), in both languages."""
import ast
import json
import re
from pathlib import Path

import pytest
from apptest_helpers import ROOT, decode, figures, new_app, no_exception

from rnnviz import words
from rnnviz.lessons import LESSONS
from rnnviz.pipeline import build
from rnnviz.train.loop import Settings
from rnnviz.train.runner import Run
from rnnviz.ui import lessons as lessons_view

NOTES = Path(__file__).parent / "notes"
SHARED = ROOT.parent / "shared" / "lessons"           # where the class's notes sit beside this checkout
LANGS = ("en", "ko")
SIZE = re.compile(r"torch\.Size\(\[[\d, ]*\]\)")


def note(lesson: str) -> str:
    path, = NOTES.glob(f"{lesson}_*.txt")
    return path.read_text(encoding="utf-8")


def one(pattern: str, text: str, flags: int = re.M) -> str:
    """The note's one printed value the pattern's group catches (the first, where the note prints it twice)."""
    m = re.search(pattern, text, flags)
    assert m, f"the note no longer has {pattern!r}"
    return m.group(1)


def number(name: str, text: str) -> int:
    """A setting the note assigns, `hidden_size = 8`."""
    return int(one(rf"^{name} = (\d+)", text))


def page_of(lesson: str, page_id: str):
    return next(p for p in LESSONS[lesson] if p.id == page_id)


def drawn(lesson: str, page_id: str):
    """The page, the engine run it draws (on its note's vocabulary where it has one), and its numbers."""
    page = page_of(lesson, page_id)
    config = page.config()
    ex = build(config, page.weights(config))
    return page, ex, page.facts(ex) if page.facts else {}


def said(lesson: str, page_id: str, lang: str) -> str:
    """Every word the page says (title, body, this step's numbers, question, answer) and its code, in `lang`."""
    page, _, facts = drawn(lesson, page_id)
    parts = ["title", "body"] + ["numbers"] * page.numbers + ["q"] * page.question
    parts += ["a_wait" if page.panel == "train" else "a"] * page.question
    with words.language(lang):
        return "\n".join([words.say(page.key(lesson, p), **facts) for p in parts] + [page.code.format(**facts)])


def finished(task: str) -> Run:
    """A run of the page's Train task with the lesson's settings, trained to its end."""
    run = Run(Settings(task=task))
    assert run.advance() and run.status == "done", run.message
    return run


def test_the_notes_copied_here_are_the_notes_the_class_holds():
    ours = sorted(p.name for p in NOTES.glob("*.txt"))
    assert [name[:3] for name in ours] == list(LESSONS), f"tests/notes/ holds one note per lesson, has {ours}"
    if SHARED.is_dir():             # beside the course's folder: the copies are its notes, byte for byte
        assert sorted(p.name for p in SHARED.glob("0*.txt")) == ours, f"{SHARED} has other notes: copy them again"
        for name in ours:
            assert (NOTES / name).read_bytes() == (SHARED / name).read_bytes(), f"{name} differs from {SHARED}"


def test_lesson_000_sizes_weights_loop_and_nn_rnn_are_the_notes():
    text = note("000")
    T, I, H = number("timesteps", text), number("input_size", text), number("hidden_size", text)
    Wx, Wh, b = re.search(r"print\(np\.shape\(b\)\)\s+(\(.*\))\n(\(.*\))\n(\(.*\))", text).groups()
    stacked = re.findall(r"^(\(\d+, \d+\))$", text, re.M)[-1]          # the loop's last print: (timesteps, hidden)
    module_in = "torch.Size([{}])".format(one(r"^inputs = torch\.Tensor\(([\d, ]+)\)", text))
    outputs, status = SIZE.findall(text)
    assert (T, I, H, Wx, Wh, b, stacked) == (10, 4, 8, "(8, 4)", "(8, 8)", "(8,)", "(10, 8)")   # the regexes read it
    _, _, picture = drawn("000", "picture")
    assert (picture["T"], picture["I"], picture["H"]) == (T, I, H)
    assert {k: drawn("000", "weights")[2][k] for k in ("Wx", "Wh", "b_shape")} == {"Wx": Wx, "Wh": Wh, "b_shape": b}
    assert drawn("000", "loop")[2]["HT"] == stacked
    nn_rnn = drawn("000", "nn_rnn")[2]
    assert (nn_rnn["inputs"], nn_rnn["outputs"], nn_rnn["status"]) == (module_in, outputs, status)
    for lang in LANGS:
        assert all(s in said("000", "weights", lang) for s in (Wx, Wh, b)), lang
        assert stacked in said("000", "loop", lang)
        assert all(s in said("000", "nn_rnn", lang) for s in (module_in, outputs, status)), lang


def test_lesson_000_saturates_as_far_as_the_note_prints():
    text = note("000")
    H = number("hidden_size", text)
    block = one(r"^\(10, 8\)\n(\[\[.*?\]\])", text, re.M | re.S)
    h = [float(v) for v in re.findall(r"\d\.\d+", block)]
    later = min(h[H:])                                     # every unit of every h_t from t = 1 on: 0.9978…
    sat = drawn("000", "saturate")[2]
    assert 1 - sat["h_low"] < 2 * (1 - later), (sat["h_low"], later)  # as close to 1 as the note's printout


def test_lesson_001_every_page_has_the_notes_input_and_hidden_size():
    text = note("001")
    I, H, O = number("d", text), number("Dh", text), number("output_size", text)
    assert number("hidden_size", text) == H
    for page in LESSONS["001"]:
        _, ex, _ = drawn("001", page.id)
        assert (ex.network.input_size, ex.network.hidden_size) == (I, H), page.id
    printed = SIZE.findall(text)              # x_t, h_t_minus_1, Wx, Wh, b, then y_t of the Dy = 2 head
    cell = drawn("001", "cell")
    code = cell[0].code.format(**cell[2])
    assert f"# {printed[0]}" in code and f"# {printed[1]}" in code                 # torch.Size([4]), ([1, 6])
    assert [cell[2][k] for k in ("Wx", "Wh", "b_shape")] == [str(tuple(json.loads(s[11:-1]))) for s in printed[2:5]]
    assert drawn("001", "head")[2]["Wy"] == str((O, H))            # MyRNN: torch.randn(output_size, hidden_size)


KINDS = {"Many to One": ("many-to-one", "다대일"), "Many to Many": ("many-to-many", "다대다"),
         "One to Many": ("one-to-many", "일대다"), "Encoder-Decoder": ("encoder-decoder", "인코더-디코더")}


def test_lesson_001_names_each_of_the_notes_four_kinds_in_the_pages_language():
    kinds = re.findall(r"^\d\. (.+?) = ", note("001"), re.M)
    assert kinds == list(KINDS)
    en, ko = said("001", "kinds", "en").lower(), said("001", "kinds", "ko")
    for kind, (english, korean) in KINDS.items():
        assert english in en and korean in ko, kind
    korean_pages = "\n".join(said("001", p.id, "ko") for p in LESSONS["001"])
    assert not re.search(r"many to|to many|encoder-decoder", korean_pages, re.I), "an English heading on a Korean page"


def avengers_note() -> tuple[dict, list, list]:
    text = note("002")
    vocab = ast.literal_eval(one(r"^vocab\s*\n\s*\n(\{.*?\})", text, re.M | re.S))
    x, t = re.search(r"\(tensor\((\[\[.*?\]\])\), tensor\((\[\[.*?\]\])\)\)", text).groups()
    return vocab, json.loads(x), json.loads(t)


def test_lesson_002_page_1_has_the_notes_input_and_ids():
    vocab, x, t = avengers_note()
    E = number("input_size", note("002"))
    assert vocab["<unk>"] == 0 and vocab["We"] == 1 and len(x[0]) == 7          # the regexes read the note
    _, ex, facts = drawn("002", "layout")
    assert ex.X.shape == (1, len(x[0]), E)                # the sentence without its last word: (1, 7, 5)
    assert ex.vocab.index == vocab and ex.ids.tolist() == x
    assert (facts["x_ids"], facts["t_ids"], facts["V"]) == (str(x[0]), str(t[0]), len(vocab))
    first, last = min(vocab, key=lambda w: vocab[w] or len(vocab)), max(vocab, key=vocab.get)
    for lang in LANGS:
        text = said("002", "layout", lang)
        assert str(ex.X.shape) in text and str(x[0]) in text and str(t[0]) in text, lang
        assert f"{first} = 1 … {last} = {vocab[last]}" in text, lang                # We = 1 … Game = 8


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_002_page_1_shows_the_notes_vocabulary_table(lang):
    vocab, _, _ = avengers_note()
    at = new_app(view="lessons", lesson="002", page="1", lang=lang)
    no_exception(at)
    with words.language(lang):
        id_, token, tensor, shape = (words.say(k) for k in ("vocab.id", "vocab.token", "table.tensor", "table.shape"))
    table = next(d.value for d in at.dataframe if token in d.value.columns)
    assert dict(zip(table[token], table[id_])) == vocab
    tensors = next(d.value for d in at.dataframe if tensor in d.value.columns)
    assert dict(zip(tensors[tensor], tensors[shape]))["input"] == "(1, 7, 5)"


def test_lesson_002_trains_the_notes_steps_and_prints_at_its_cadence():
    text = note("002")
    steps = int(one(r"for step in range\((\d+)\)", text))
    printed = [int(s) for s, of in re.findall(r"^\[(\d+)/(\d+)\]", text, re.M) if int(of) == steps]
    facts = drawn("002", "train")[2]
    assert (facts["steps"], facts["hidden"], facts["E"]) == (steps, number("hidden_size", text),
                                                             number("input_size", text))
    run = finished("avengers")
    assert [e.step for e in lessons_view.printout(run)] == printed == [1, 31, 61, 91, 121, 151]


def apple_note() -> dict:
    text = note("003")
    text = text[text.index("input_str = 'apple'"):]           # the character-level part (before it: hidden size 8)
    x, y = re.search(r"print\(x_data\)\nprint\(y_data\)\s+(\[.*\])\n(\[.*\])", text).groups()
    return dict(index=ast.literal_eval(one(r"print\(char_to_index\)\s+(\{.*\})", text)), x=json.loads(x),
                y=json.loads(y), X=one(r"훈련 데이터의 크기 : (torch\.Size\(\[[\d, ]*\]\))", text),
                Y=one(r"레이블의 크기 : (torch\.Size\(\[[\d, ]*\]\))", text), hidden=number("hidden_size", text),
                lr=float(one(r"^learning_rate = ([\d.]+)", text)), steps=int(one(r"for i in range\((\d+)\)", text)))


def test_lesson_003_layers_and_directions_print_the_notes_shapes():
    text = note("003")
    two = SIZE.findall(text[text.index("num_layers=2"):text.index("bidirectional = True")])[-2:]
    both = SIZE.findall(text[text.index("bidirectional = True"):])[:2]
    assert two == ["torch.Size([1, 10, 8])", "torch.Size([2, 1, 8])"] and both[0] == "torch.Size([1, 10, 16])"
    layers, bidirectional = drawn("003", "layers")[2], drawn("003", "bidirectional")[2]
    assert [layers["outputs"], layers["status"]] == two
    assert [bidirectional["outputs"], bidirectional["status"]] == both
    for lang in LANGS:
        assert all(s in said("003", "layers", lang) for s in two), lang
        assert all(s in said("003", "bidirectional", lang) for s in both), lang


def test_lesson_003_apple_is_one_hot_on_the_notes_vocabulary():
    apple = apple_note()
    assert apple["index"] == {"!": 0, "a": 1, "e": 2, "l": 3, "p": 4}           # the regexes read the note
    _, ex, facts = drawn("003", "apple_data")
    assert str(ex.X.shape) == apple["X"].replace("torch.Size([", "(").replace("])", ")")     # (1, 5, 5)
    assert ex.vocab.index == apple["index"] and ex.ids[0].tolist() == apple["x"]
    assert (facts["char_to_index"], facts["X_shape"], facts["Y_shape"]) == (str(apple["index"]), apple["X"], apple["Y"])
    assert (facts["x_data"], facts["y_data"]) == (str(apple["x"]), str(apple["y"]))
    for lang in LANGS:
        text = said("003", "apple_data", lang)
        assert all(s in text for s in (str(apple["index"]), apple["X"], apple["Y"], str(apple["x"]))), lang


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_003_the_apple_heatmap_is_the_notes_one_hot(lang):
    apple = apple_note()
    at = new_app(view="lessons", lesson="003", page="4", lang=lang)
    no_exception(at)
    x_map = figures(at)[0]
    heat, rows = x_map["data"][0], x_map["layout"]["yaxis"]
    ids = {label.split(": ", 1)[1]: int(label.split(": ", 1)[0]) for label in rows["ticktext"]}
    assert ids == apple["index"] and rows["tickvals"] == heat["y"]   # its rows: '!' = 0 … 'p' = 4, as the note
    z = decode(heat["z"]).reshape(len(heat["y"]), -1)                 # (I, T): one column per character of apple
    assert z.shape == (5, 5) and z.argmax(axis=0).tolist() == apple["x"]


def test_lesson_003_prints_every_step_of_the_notes_run():
    apple = apple_note()
    text = note("003")
    rows = [int(i) for i in re.findall(r"^(\d+) loss: ", text, re.M)]
    assert rows == list(range(len(rows))) and len(rows) > 5          # the note prints each step, from 0
    facts = drawn("003", "apple_train")[2]
    assert (facts["hidden"], facts["lr"], facts["steps"]) == (apple["hidden"], apple["lr"], apple["steps"])
    run = finished("apple")
    assert [e.step for e in lessons_view.printout(run)] == list(range(1, apple["steps"] + 1))    # all 100, 1-based


RANDOM_PAGES = [("000", "1"), ("000", "6"), ("003", "1"), ("003", "3")]


@pytest.mark.parametrize("lang", LANGS)
def test_the_notes_random_numpy_input_is_named_as_such_not_as_tokens(lang):
    assert "np.random.random((timesteps, input_size))" in note("000") and "np.random.random" in note("003")
    for lesson, n in RANDOM_PAGES:
        page = LESSONS[lesson][int(n) - 1]
        kind = "step.title.backward" if page.dir else "step.title"
        with words.language(lang):
            token_axis, random_axis = words.say("axis.time_token"), words.say("lesson.random.axis")
            title = words.say(f"lesson.random.{kind}", t=page.t, layer=page.layer, row=0)
        at = new_app(view="lessons", lesson=lesson, page=n, lang=lang)
        no_exception(at)
        figs = figures(at)
        spec = json.dumps(figs, ensure_ascii=False)
        assert token_axis not in spec and random_axis in spec, (lesson, n)
        assert page.panel != "step" or figs[0]["layout"]["title"]["text"] == title, (lesson, n)
        strips = [tr["x"] for f in figs for tr in f["data"] if isinstance(tr.get("x"), list) and len(tr["x"]) > 1]
        assert strips and all(x == [str(t) for t in range(len(x))] for x in strips), (lesson, n)   # t, not 't:token'
    with words.language(lang):
        token = words.say("vocab.token")
    for n in ("7",):                                        # nn.RNN's tensors: no vocabulary table
        at = new_app(view="lessons", lesson="000", page=n, lang=lang)
        assert at.dataframe and not [d for d in at.dataframe if token in d.value.columns]
