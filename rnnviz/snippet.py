"""The PyTorch code equivalent to an Explore view, and the shapes PyTorch reports for it."""
from __future__ import annotations

from . import edits as weight_edits
from .engine import param_name
from .engine.registry import CELL_TABLE, cell_spec
from .explored import Explored
from .pipeline import INPUT_SEED_OFFSET, OUTPUT_SEED_OFFSET
from .rows import number_rows
from .weight_files import download_name
from .words import Problem, say


def shapes(ex: Explored) -> list[tuple[str, tuple[int, ...], str]]:
    """(tensor, shape, what the letters mean) as PyTorch reports them for the current settings."""
    c, B, T, H = ex.config, ex.B, ex.T, ex.network.hidden_size
    D, L, I = ex.network.D, ex.network.num_layers, ex.network.input_size
    layout = "(B, T, I)" if c.bf else "(T, B, I)"
    out = [("input", tuple(ex.x_module.shape), say("shape.input", layout=layout, B=B, T=T, I=I)),
           ("output", (B, T, D * H) if c.bf else (T, B, D * H),
            say("shape.output", layout="(B, T, D·H)" if c.bf else "(T, B, D·H)", D=D)),
           ("h_n", (L * D, B, H), say("shape.h_n", L=L))]
    if cell_spec(ex.network.cell).has_c:
        out.append(("c_n", (L * D, B, H), say("shape.c_n")))
    for name, w in ex.network.params.items():
        out.append((name, tuple(w.shape), _param_meaning(name, ex.network.cell)))
    return out


def _param_meaning(name: str, cell: str) -> str:
    letters = cell_spec(cell).gates
    gates = " " + say("shape.gates", gates=", ".join(letters)) if letters else ""
    if name.startswith("weight_ih"):
        return "Wx" + gates
    if name.startswith("weight_hh"):
        return "Wh" + gates
    return ("b_ih" if name.startswith("bias_ih") else "b_hh") + gates


def layout_warning(ex: Explored) -> str | None:
    """When the batch can be misread: the lesson's (B, T, I) array fed without batch_first=True."""
    if ex.B < 2 or ex.config.bf:
        return None
    B, T, I = ex.X.shape
    H, D = ex.network.hidden_size, ex.network.D
    return say("layout.warning", B=B, T=T, I=I, module=CELL_TABLE[ex.network.cell].torch_class, DH=D * H)


def _tokens_expr(rows: list[list[str]], level: str, text_rows: list[str]) -> str:
    simple = all(len(tok) == 1 for r in rows for tok in r)
    if level == "char" and simple:
        return "[list(row) for row in texts]"
    if level == "word":
        return "[row.split() for row in texts]"
    return repr(rows)


def _input_lines(ex: Explored) -> list[str]:
    """The snippet's lines that build x, (B, T, I), from the text as the page does."""
    c, I = ex.config, ex.network.input_size
    if c.enc == "numbers":
        return [f"x = torch.tensor({number_rows(c)!r})  # {say('code.numbers', I=I)}"]
    texts = [" ".join(r) if c.tok == "word" else "".join(r) for r in ex.rows]
    V = len(ex.vocab)
    lines = [f"texts = {texts!r}" + (f"  # {say('code.batch')}" if len(texts) > 1 else ""),
             f"rows = {_tokens_expr(ex.rows, c.tok, texts)}  # {say(f'choice.tok.{c.tok}')}"]
    if ex.trained:
        lines.append(f"vocab = {list(ex.vocab.tokens)!r}  # {say('code.trained_vocab')}")
        lines.append("ids = torch.tensor([[vocab.index(t) if t in vocab else 0 for t in row] for row in rows])")
    else:
        lines.append(f"vocab = list(dict.fromkeys(t for row in rows for t in row))  # {say('code.vocab')}")
        lines.append("ids = torch.tensor([[vocab.index(t) for t in row] for row in rows])  # (B, T)")
    seed_in = c.seed + INPUT_SEED_OFFSET
    if c.enc == "onehot":
        lines.append(f"x = torch.eye({V})[ids]  # {say('code.onehot', V=V)}")
    elif c.enc == "embedding":
        if ex.trained:
            lines.append(f"table = state['embedding.weight']  # {say('code.trained_table')}")
        else:
            lines.append(f"table = torch.from_numpy(np.random.default_rng({seed_in}).standard_normal(({V}, {I}))"
                         f".astype(np.float32))  # {say('code.embedding')}")
        lines.append(f"x = table[ids]  # (B, T, I={I})")
    else:
        lines.append(f"x = torch.from_numpy(np.stack([np.random.default_rng({seed_in} + b).random((ids.shape[1], {I}))"
                     f" for b in range(len(rows))]).astype(np.float32))  # {say('code.random', I=I)}")
    return lines


def torch_code(ex: Explored) -> str:
    """A self-contained snippet: the same tokens, input, module and weights, so it prints the page's numbers."""
    c, net = ex.config, ex.network
    I, H = net.input_size, net.hidden_size
    lines = ["import numpy as np", "import torch", "", "torch.set_printoptions(precision=4, sci_mode=False)"]
    if ex.trained:                  # the file the Train view downloads: the whole model under PyTorch's names
        lines += ["from safetensors.torch import load_file",
                  f"state = load_file({download_name(net.cell)!r})  # {say('code.trained_file')}"]
    lines += ["", *_input_lines(ex)]
    if not c.bf:
        lines.append(f"x = x.transpose(0, 1)  # {say('code.transpose')}")
    spec = CELL_TABLE[net.cell]
    extra = f", nonlinearity={spec.nonlinearity!r}" if spec.nonlinearity not in (None, "tanh") else ""  # tanh: default
    lines += ["", *(f"# {line}" for line in spec.equations),   # what the module computes at every step
              f"rnn = torch.nn.{spec.torch_class}(input_size={I}, hidden_size={H}, num_layers={net.num_layers}, "
              f"bidirectional={net.bidirectional}, batch_first={c.bf}{extra})"]
    if ex.trained:
        lines.append("rnn.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith('rnn.')})"
                     f"  # {say('code.trained_load')}")
    else:
        dist = ("rng.uniform(-k, k, tuple(p.shape))" if c.init == "pytorch" else "rng.random(tuple(p.shape))")
        lines += ["# " + say("code.weights", seed=c.seed, scale=f"{c.scale:g}",
                             dist="U(-1/sqrt(H), 1/sqrt(H))" if c.init == "pytorch" else say("code.uniform")),
                  f"rng, k = np.random.default_rng({c.seed}), 1 / np.sqrt({H})",
                  "with torch.no_grad():",
                  "    for name, p in rnn.named_parameters():",
                  f"        p.copy_(torch.from_numpy({c.scale:g} * {dist}).float())"]
    lines += _edit_lines(ex)
    outs = "output, (h_n, c_n)" if spec.has_c else "output, h_n"
    lines += ["", "with torch.no_grad():", f"    {outs} = rnn(x)",
              f"print(output.shape, h_n.shape)  # {tuple(ex.trace.output.shape)} {tuple(ex.trace.h_n.shape)}",
              f"print(output)  # {say('code.print_output')}", f"print(h_n)  # {say('code.print_h_n')}"]
    if c.out:
        lines += ["", *_output_lines(ex)]
    return "\n".join(lines)


def _edit_lines(ex: Explored) -> list[str]:
    """The weights edited by hand on the page (`edits=`), set on the module as the page sets them."""
    try:
        edits = weight_edits.parse(ex.config.edits)
    except Problem:
        return []                                   # the page applied none of them, and says so
    fitting = [e for e in edits if weight_edits.misfit(ex.network, e) is None]   # the page skips the others
    if not fitting:
        return []
    lines = ["", f"# {say('code.edits', edits=weight_edits.text(fitting))}", "with torch.no_grad():"]
    for e in fitting:
        where = ":" if e.row is None else f"{e.row}" + ("" if e.col is None else f", {e.col}")
        if e.matrix == "b":                         # the page's b is b_ih + b_hh: b_ih takes b − b_hh
            b_ih, b_hh = (f"rnn.{param_name(n, e.layer, e.reverse)}[{where}]" for n in ("bias_ih", "bias_hh"))
            lines.append(f"    {b_ih} = {e.value!r} - {b_hh}")
        else:
            lines.append(f"    rnn.{param_name(weight_edits.weight_of(e), e.layer, e.reverse)}[{where}] = {e.value!r}")
    return lines


def _output_lines(ex: Explored) -> list[str]:
    """The output layer of the page, drawn from the same generator: softmax over the vocabulary, or (typed
    numbers) lesson 001's y = σ(W_y·h_t) without a bias."""
    c = ex.config
    n_out, width = ex.W_out.shape
    layout, last = ("(B, T, ", "y[:, -1]") if c.bf else ("(T, B, ", "y[-1]")
    if ex.trained:                  # the trained output layer, from the same file
        lines = ["W_out, b_out = state['fc.weight'], state['fc.bias']"
                 f"  # {say('code.trained_out', n=n_out, width=width)}"]
    else:
        lines = [f"rng, k = np.random.default_rng({c.seed + OUTPUT_SEED_OFFSET}), 1 / np.sqrt({width})"
                 f"  # {say('code.output_layer')}",
                 f"W_out = torch.from_numpy(rng.uniform(-k, k, ({n_out}, {width})).astype(np.float32))  # (out, D·H)"]
    if c.enc == "numbers":
        return lines + [f"y = torch.sigmoid(output @ W_out.T)  # {layout}O={n_out}): "
                        + say("code.sigmoid", last=last), "print(y)"]
    if not ex.trained:
        lines.append(f"b_out = torch.from_numpy(rng.uniform(-k, k, {n_out}).astype(np.float32))")
    return lines + [f"probs = torch.softmax(output @ W_out.T + b_out, dim=-1)  # {layout}V={n_out}): "
                    + say("code.softmax"), "print(probs)"]
