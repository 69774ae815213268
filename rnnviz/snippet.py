"""The PyTorch code equivalent to an Explore view, and the shapes PyTorch reports for it."""
from __future__ import annotations

from .engine.registry import CELL_TABLE, cell_spec
from .explored import Explored
from .pipeline import INPUT_SEED_OFFSET, OUTPUT_SEED_OFFSET
from .rows import number_rows


def shapes(ex: Explored) -> list[tuple[str, tuple[int, ...], str]]:
    """(tensor, shape, what the letters mean) as PyTorch reports them for the current settings."""
    c, B, T, H = ex.config, ex.B, ex.T, ex.network.hidden_size
    D, L, I = ex.network.D, ex.network.num_layers, ex.network.input_size
    layout = "(B, T, I)" if c.bf else "(T, B, I)"
    out = [("input", tuple(ex.x_module.shape), f"{layout} with B={B}, T={T}, I={I}"),
           ("output", (B, T, D * H) if c.bf else (T, B, D * H), f"{'(B, T, D·H)' if c.bf else '(T, B, D·H)'}, "
                                                                 f"D={D} direction{'s' if D > 1 else ''}"),
           ("h_n", (L * D, B, H), f"(L·D, B, H) with L={L}: the last h_t of every layer and direction")]
    if ex.network.cell == "lstm":
        out.append(("c_n", (L * D, B, H), "(L·D, B, H): the last cell state of every layer and direction"))
    for name, w in ex.network.params.items():
        out.append((name, tuple(w.shape), _param_meaning(name, ex.network.cell)))
    return out


def _param_meaning(name: str, cell: str) -> str:
    letters = cell_spec(cell).gates
    gates = f" (gates {', '.join(letters)} stacked)" if letters else ""
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
    return (f"Your batch has B={B} sequences of T={T} tokens. Built as one array it is ({B}, {T}, {I}). "
            f"With batch_first=False, nn.{CELL_TABLE[ex.network.cell].torch_class} reads dimension 0 as time: passing that array "
            f"unchanged (as lesson 004 does with hello / eolll / lleel) means T={B} timesteps of B={T} "
            f"sequences, and the output is ({B}, {T}, {D * H}). rnnviz transposes it to ({T}, {B}, {I}) so that "
            f"each row of the batch is one sequence; the output is then ({T}, {B}, {D * H}). "
            f"Use x.transpose(0, 1) or batch_first=True to get the reading you mean.")


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
        return [f"x = torch.tensor({number_rows(c)!r})  # the numbers typed, one timestep per line: (B, T, I={I})"]
    texts = [" ".join(r) if c.tok == "word" else "".join(r) for r in ex.rows]
    V = len(ex.vocab)
    lines = [f"texts = {texts!r}" + ("  # one sequence per line: a batch" if len(texts) > 1 else ""),
             f"rows = {_tokens_expr(ex.rows, c.tok, texts)}  # {'characters' if c.tok == 'char' else 'words'}"]
    if ex.trained:
        lines.append(f"vocab = {list(ex.vocab.tokens)!r}  # the trained model's vocabulary")
        lines.append("ids = torch.tensor([[vocab.index(t) if t in vocab else 0 for t in row] for row in rows])")
    else:
        lines.append("vocab = list(dict.fromkeys(t for row in rows for t in row))  # ids by first appearance")
        lines.append("ids = torch.tensor([[vocab.index(t) for t in row] for row in rows])  # (B, T)")
    seed_in = c.seed + INPUT_SEED_OFFSET
    if c.enc == "onehot":
        lines.append(f"x = torch.eye({V})[ids]  # one-hot: (B, T, I={V})")
    elif c.enc == "embedding":
        if ex.trained:
            lines.append("table = ...  # the trained embedding table, (V, I): download the weights to get it")
        else:
            lines.append(f"table = torch.from_numpy(np.random.default_rng({seed_in}).standard_normal(({V}, {I}))"
                         ".astype(np.float32))  # like nn.Embedding: N(0, 1)")
        lines.append(f"x = table[ids]  # (B, T, I={I})")
    else:
        lines.append(f"x = torch.from_numpy(np.stack([np.random.default_rng({seed_in} + b).random((ids.shape[1], {I}))"
                     f" for b in range(len(rows))]).astype(np.float32))  # random vectors, (B, T, I={I})")
    return lines


def torch_code(ex: Explored) -> str:
    """A self-contained snippet: the same tokens, input, module and weights, so its numbers equal the page's."""
    c, net = ex.config, ex.network
    I, H = net.input_size, net.hidden_size
    lines = ["import numpy as np", "import torch", "", *_input_lines(ex)]
    if not c.bf:
        lines.append("x = x.transpose(0, 1)  # batch_first=False wants (T, B, I)")
    spec = CELL_TABLE[net.cell]
    extra = f", nonlinearity={spec.nonlinearity!r}" if spec.nonlinearity not in (None, "tanh") else ""  # tanh: default
    lines += ["", *(f"# {line}" for line in spec.equations),   # what the module computes at every step
              f"rnn = torch.nn.{spec.torch_class}(input_size={I}, hidden_size={H}, num_layers={net.num_layers}, "
              f"bidirectional={net.bidirectional}, batch_first={c.bf}{extra})"]
    if ex.trained:
        lines.append("# load the trained weights: rnn.load_state_dict(safetensors.torch.load_file('rnnviz-weights.safetensors'))")
    else:
        dist = ("rng.uniform(-k, k, tuple(p.shape))" if c.init == "pytorch" else "rng.random(tuple(p.shape))")
        lines += [f"# rnnviz's weights: NumPy's generator with seed {c.seed}, "
                  + ("U(-1/sqrt(H), 1/sqrt(H))" if c.init == "pytorch" else "U[0, 1) as in lesson 000")
                  + f", times scale {c.scale:g}",
                  f"rng, k = np.random.default_rng({c.seed}), 1 / np.sqrt({H})",
                  "with torch.no_grad():",
                  "    for name, p in rnn.named_parameters():",
                  f"        p.copy_(torch.from_numpy({c.scale:g} * {dist}).float())"]
    outs = "output, (h_n, c_n)" if spec.has_c else "output, h_n"
    lines += ["", f"{outs} = rnn(x)", "print(output.shape, h_n.shape)"
              + (f"  # {tuple(ex.trace.output.shape)} {tuple(ex.trace.h_n.shape)}" if not ex.trained else "")]
    if c.out and not ex.trained:
        lines += ["", *_output_lines(ex)]
    return "\n".join(lines)


def _output_lines(ex: Explored) -> list[str]:
    """The output layer of the page, drawn from the same generator: softmax over the vocabulary, or (typed
    numbers) lesson 001's y = σ(W_y·h_t) without a bias."""
    c = ex.config
    n_out, width = ex.W_out.shape
    layout, last = ("(B, T, ", "y[:, -1]") if c.bf else ("(T, B, ", "y[-1]")
    lines = [f"rng, k = np.random.default_rng({c.seed + OUTPUT_SEED_OFFSET}), 1 / np.sqrt({width})  # the output layer",
             f"W_out = torch.from_numpy(rng.uniform(-k, k, ({n_out}, {width})).astype(np.float32))  # (out, D·H)"]
    if c.enc == "numbers":
        return lines + [f"y = torch.sigmoid(output @ W_out.T)  # {layout}O={n_out}): y_t = σ(W_y·h_t), no bias; "
                        f"{last} is the many-to-one output"]
    return lines + [f"b_out = torch.from_numpy(rng.uniform(-k, k, {n_out}).astype(np.float32))",
                    f"probs = torch.softmax(output @ W_out.T + b_out, dim=-1)  # {layout}V={n_out}): the next token's "
                    "probabilities at every step"]
