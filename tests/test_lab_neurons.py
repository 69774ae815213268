"""The neuron finder on the seeded generated corpus: after a short training a unit follows the quote state well
above chance (the untrained model, shuffled labels), and a selected span's units fire again in other quotes."""
import numpy as np
import pytest
import torch

from rnnviz.lab import neurons
from rnnviz.lab.corpus import generate
from rnnviz.train import Settings
from rnnviz.train.charrnn import CharTrainer

CORPUS = generate(30_000, seed=0)
PASSAGE = 4_000


def best(acts, truth) -> dict[str, float]:
    """The best |r| per property over every unit of h_t and c_t."""
    found = {}
    for kind in ("h", "c"):
        for name, ranked in neurons.rank(acts.of(kind), truth).items():
            found[name] = max(found.get(name, 0.0), float(abs(ranked.r[0])))
    return found


@pytest.fixture(scope="module")
def models():
    torch.set_num_threads(1)
    settings = Settings(task="text", text=CORPUS.text, cell="lstm", hidden=32, steps=300, seed=0, lr=1e-2)
    untrained = CharTrainer(settings)
    trained = CharTrainer(settings)
    list(trained.events())
    return untrained, trained


@pytest.fixture(scope="module")
def truth():
    return {k: v[:PASSAGE] for k, v in CORPUS.truth().items()}


def test_a_trained_unit_tracks_the_quote_state_well_above_chance(models, truth):
    untrained, trained = models
    passage = CORPUS.text[:PASSAGE]
    after, before = best(trained.activations(passage), truth), best(untrained.activations(passage), truth)
    rng = np.random.default_rng(0)
    shuffled = best(trained.activations(passage), {k: rng.permutation(v) for k, v in truth.items()})
    assert after["quote"] > 0.5, after
    assert after["quote"] > before["quote"] + 0.25, (after, before)    # training made it, not the input alone
    assert after["quote"] > 5 * shuffled["quote"], (after, shuffled)    # labels shuffled: chance level


def test_the_best_unit_for_a_property_says_it_follows_that_property(models, truth):
    _, trained = models
    X = trained.activations(CORPUS.text[:PASSAGE]).of("h")
    ranked = neurons.rank(X, truth)["quote"]
    assert np.all(np.diff(np.abs(ranked.r)) <= 1e-12)                  # best first
    unit = int(ranked.units[0])
    follows = neurons.follows(X, unit, truth)
    assert follows[0][0] == "quote" and abs(follows[0][1] - ranked.r[0]) < 1e-9


def quoted_spans(quote: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quote, [0]])))
    return list(zip(edges[::2], edges[1::2]))


def test_selecting_a_quoted_span_finds_the_other_quotes(models, truth):
    _, trained = models
    X = trained.activations(CORPUS.text[:PASSAGE]).of("h")
    quote = truth["quote"]
    # The user's selection: a quoted string (h_t at the closing quote has already read it, so it ends before it).
    tried = [(a, b - 1, th) for a, b in quoted_spans(quote)[:20] for th in (0.2, 0.3)]
    chosen = next(((a, b, th, u) for a, b, th in tried if len(u := neurons.chosen_units(X, a, b, th))), None)
    assert chosen is not None, "no quoted span of the first 20 had units on through it and off around it"
    a, b, th, units = chosen
    assert (X[a:b, units] > th).all() and (X[a - 1, units] <= th).all() and (X[b, units] <= th).all()
    found = neurons.matches(X, units, th, a, b)
    assert len(found) >= 5
    assert all(m.end <= a or m.start >= b for m in found)              # other places, not the selection
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    inside = np.mean([quote[m.start:m.end].mean() for m in found])
    assert inside > 0.8 and quote.mean() < 0.5, (inside, quote.mean())  # quotes, far above their share of text


def test_no_unit_chosen_means_no_match():
    X = np.zeros((50, 4))
    assert len(neurons.chosen_units(X, 10, 20, 0.5)) == 0
    assert neurons.matches(X, np.array([], int), 0.5, 10, 20) == []


def test_properties_read_from_any_text_include_hangul_and_latin():
    props = neurons.properties(list("ab 한글\nx"))
    assert props["hangul"].tolist() == [0, 0, 0, 1, 1, 0, 0]
    assert props["latin"].tolist() == [1, 1, 0, 0, 0, 0, 1]
    assert props["after_space"].tolist() == [0, 0, 0, 1, 0, 0, 1]
    assert props["column"].tolist() == [0, 1, 2, 3, 4, 5, 0]
