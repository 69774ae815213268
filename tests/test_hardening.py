"""Issue 12, defects 3–7: what a hostile link, text or file could do, each reproduced and refused."""
import csv
import io
import json

import numpy as np
import plotly.io as pio
import pytest
from safetensors.numpy import save

from rnnviz import export
from rnnviz import weight_files as weights
from rnnviz.notebook import explore
from rnnviz.pipeline import build
from rnnviz.pipeline import check_size as size_check
from rnnviz.plots import training as train_plots
from rnnviz.state import Config
from rnnviz.text import MAX_CHARS, graphemes, tokenize
from rnnviz.train.loop import Settings, Trainer

# --- 3. CSV formula injection ---------------------------------------------------------------------------------

FORMULAS = '=HYPERLINK("http://x","y") @SUM(1+1) +1+1 -2+3 \t=1+1 ＝1+1'


def csv_rows(text: str, **settings) -> list[dict]:
    ex = build(Config(text=text, **settings))
    data = export.to_csv(ex.trace, ex.rows).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data)))


def test_csv_token_cells_are_never_formulas():
    rows = csv_rows(FORMULAS, tok="word")
    tokens = {r["token"] for r in rows}
    assert tokens, "the CSV has token cells"
    dangerous = [t for t in tokens if t[:1] in "=+-@\t\r＝"]
    assert not dangerous, f"cells a spreadsheet would evaluate: {dangerous}"
    # the text is kept as typed, behind a leading apostrophe
    assert "'=HYPERLINK(\"http://x\",\"y\")" in tokens and "'@SUM(1+1)" in tokens and "'-2+3" in tokens


def test_typed_numbers_tokens_are_neutralised_too():
    rows = csv_rows("-1, 2\n3, 4", enc="numbers")
    assert {r["token"] for r in rows} == {"'-1, 2", "3, 4"}


# --- 4. and 5. uploaded weights obey the page's limits --------------------------------------------------------

def saved(trainer: Trainer) -> tuple[dict, dict]:
    data = weights.to_bytes(trainer)
    header = json.loads(data[8:8 + int.from_bytes(data[:8], "little")])
    return {k: v.numpy() for k, v in trainer.snapshot().items()}, header["__metadata__"]


@pytest.fixture(scope="module")
def apple():
    return saved(Trainer(Settings(task="apple", steps=1)))


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.float16, np.bool_])
def test_only_floating_point_weights_load(apple, dtype):
    arrays, meta = apple
    with pytest.raises(ValueError, match=f"holds {np.dtype(dtype).name} values; weights must be float32"):
        weights.from_bytes(save({k: v.astype(dtype) for k, v in arrays.items()}, metadata=meta))


def test_float64_weights_load_as_float32(apple):
    arrays, meta = apple
    loaded = weights.from_bytes(save({k: v.astype(np.float64) for k, v in arrays.items()}, metadata=meta))
    np.testing.assert_array_equal(loaded.snapshot()["fc.bias"].numpy(), arrays["fc.bias"])


def test_values_are_checked_after_the_cast_to_float32(apple):
    arrays, meta = apple
    big = arrays["fc.bias"].astype(np.float64)
    big[0] = 1e300                              # finite as float64, inf as float32
    with pytest.raises(ValueError, match="fc.bias contains values that are not finite float32 numbers"):
        weights.from_bytes(save(arrays | {"fc.bias": big}, metadata=meta))


@pytest.mark.parametrize("change, message", [
    (dict(hidden=512), "hidden must be a whole number between 1 and 256, got 512"),
    (dict(lr=1e308), r"learning rate must be a number between 1e-06 and 1e\+06, got 1e\+308"),
    (dict(steps=10**12), r"steps must be a whole number between 1 and 100,000, got 1e\+12"),
    (dict(clip=-1), "gradient clipping"),
    (dict(rogue=1), "unknown settings 'rogue'"),
])
def test_metadata_is_validated_like_link_values(apple, change, message):
    arrays, meta = apple
    stored = json.loads(meta["rnnviz"]) | change
    with pytest.raises(ValueError, match=message):
        weights.from_bytes(save(arrays, metadata={"rnnviz": json.dumps(stored)}))


def test_the_size_guard_reads_the_network_actually_used():
    big = weights.for_explore(Trainer(Settings(task="text", text="ab" * 40, cell="lstm", hidden=256, layers=4)), "big")
    small = Config(text="ab" * 975, cell="rnn_tanh", H=8)
    size_check(small, 1951)                                 # the sidebar's network alone is small
    with pytest.raises(ValueError, match="too much to draw at once"):
        size_check(small, 1951, big)                        # the weights' LSTM of 4 × 256 is not


def test_extra_tensors_are_counted_not_listed(apple):
    arrays, meta = apple
    extra = {f"junk.{i}": np.zeros(0, np.float32) for i in range(20_000)}
    with pytest.raises(ValueError) as e:
        weights.from_bytes(save(arrays | extra, metadata=meta))
    message = str(e.value)
    assert "and 19,995 more" in message and len(message) < 300, message


# --- 6. user text is text in every figure ----------------------------------------------------------------------

MARKUP = "<em>x</em> <i>y</i> <sup>2</sup> <u>z</u> <a href='http://evil'>link</a> <s>a</s> <br>"
OUR_TAGS = ("<br>", "<sup>", "</sup>", "<sub>", "</sub>", "<b>", "</b>", "<extra>", "</extra>")


def user_tags(fig) -> list[str]:
    """Tags in a figure that are not the app's own markup."""
    text = pio.to_json(fig) if not isinstance(fig, dict) else json.dumps(fig)
    for tag in OUR_TAGS:
        text = text.replace(tag, "")
    return [tag for tag in ("<em>", "<i>", "<u>", "<a ", "<s>", "<br") if tag in text]


def test_markup_in_tokens_is_shown_literally_in_every_explore_figure():
    lab = explore(MARKUP, tok="word", cell="lstm", enc="onehot", out=True)
    figures = [lab.step(1), *lab.heatmaps(t=1), *lab.weights(), *lab.output(t=1), lab.path(t=1)]
    for fig in figures:
        assert not user_tags(fig), (fig.layout.title.text, user_tags(fig))
    step = lab.step(7)
    assert "&lt;br&gt;" in step.layout.title.text                  # the token <br>, in the title, as typed
    assert "&lt;em&gt;x&lt;/em&gt;" in json.dumps(list(lab.heatmaps()[0].data[0].x))


def test_markup_in_training_tokens_is_literal_in_the_gradient_map():
    norms = np.ones((2, 3))
    fig = train_plots.grad_heatmap_spec({"this run": ([1, 2], norms, ["<em>", "<br>", "a"])}, False)
    assert not user_tags(fig)
    assert "0:&lt;em&gt;" in json.dumps(fig)


# --- 7. limits count what a reader sees ------------------------------------------------------------------------

def test_the_cap_never_splits_a_typed_numbers_line():
    text = "\n".join("0.125, -0.5, 0.25, 1" for _ in range(200))      # 4,199 characters, 200 lines
    config, notes = Config.from_query({"enc": "numbers", "text": text})
    assert notes and "only the first" in notes[0]
    assert all(line == "0.125, -0.5, 0.25, 1" for line in config.text.splitlines())
    ex = build(config)                                                # no spurious "line N has 1 value"
    assert ex.X.shape[-1] == 4


def test_the_cap_never_splits_a_grapheme():
    family = "👩‍👩‍👧"
    config, notes = Config.from_query({"text": family * (MAX_CHARS + 5)})
    assert graphemes(config.text) == [family] * MAX_CHARS
    assert f"was {MAX_CHARS + 5:,} characters long; only the first {MAX_CHARS:,}" in notes[0]


@pytest.mark.parametrize("invisible", ["\u200d", "\u200d\u200d\u200d", "\u200b\u2060\ufeff", "\u0301\u0301",
                                       "\u3164\u3164", "\u2800", " \u200d \n\u200d"])
def test_invisible_only_text_gets_the_empty_text_message(invisible):
    with pytest.raises(ValueError, match="the text is empty"):
        tokenize(invisible)
    with pytest.raises(ValueError, match="the text is empty"):
        build(Config(text=invisible))


def test_notes_shorten_absurd_values():
    _, notes = Config.from_query({"H": "1e308", "seed": "-1e300"})
    assert len(notes) == 2 and all(len(n) < 120 for n in notes), notes
    assert "1e+308 was changed to 256" in notes[0] and "-1e+300 was changed to 0" in notes[1], notes


def test_the_largest_model_the_train_view_makes_can_be_uploaded_again():
    from rnnviz.engine.network import MAX_SIZE
    text = "".join(chr(0xAC00 + i) for i in range(MAX_SIZE - 1))  # the most distinct syllables a text may have, one-hot
    trainer = Trainer(Settings(task="text", text=text, cell="lstm", hidden=256, layers=4, steps=1))
    data = weights.to_bytes(trainer)
    assert len(data) <= weights.MAX_BYTES
    assert weights.from_bytes(data).settings == trainer.settings


def test_a_weights_file_with_bad_settings_is_refused_in_the_language_it_is_shown_in():
    """The inner reason (hidden out of range) waits for the page's language, like the rest of the message: an
    upload's callback may run in English and the page draw it in Korean."""
    from rnnviz.words import language
    data = save({"rnn.weight_ih_l0": np.zeros((1, 1), np.float32)},
                metadata={"rnnviz": json.dumps({"task": "apple", "hidden": 0})})
    with language("en"), pytest.raises(ValueError) as caught:
        weights.from_bytes(data)
    with language("en"):
        english = str(caught.value)
    with language("ko"):
        korean = str(caught.value)
    assert "between 1 and 256" in english
    assert "사이" in korean and "between" not in korean, korean
