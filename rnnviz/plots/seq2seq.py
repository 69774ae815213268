"""Encoder-decoder figures at the decoder's step t: the encoder's h_s over the digits, the attention (or the one
context vector), the decoder's h_t over the output tokens, and the softmax at step t. Every number is the engine's."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..engine.seq2seq import Seq2SeqTrace
from ..words import say
from .heatmaps import heatmap, symmetric_range
from .literal import shown
from .marks import step_box
from .theme import SEQUENTIAL, base_layout, look


def reading_figure(trace: Seq2SeqTrace, digits: list[str], outputs: list[str], vocab: list[str], t: int,
                   present: bool = False, row: int = 0) -> go.Figure:
    """Four panels at decoder step t: encoder h_s, attention α (rows filled up to t) or the context, decoder h_t,
    and p(y_t). `outputs` are the tokens read so far and after (the greedy reading), `vocab` the target words."""
    T = trace.decoder.T
    if not 0 <= t < T:
        raise ValueError(f"the decoder's step t must be between 0 and {T - 1}, got {t}")
    enc_h = trace.encoder.layers[0][0].h[:, row].T          # (H, S)
    dec_h = trace.decoder.layers[0][0].h[:, row].T          # (H, T)
    at = trace.attention
    x_in = [f"{s}:{shown(d)}" for s, d in enumerate(digits)]
    x_out = [f"{k}:{shown(w)}" for k, w in enumerate(outputs[:T])]
    units = list(range(enc_h.shape[0]))
    zmax = symmetric_range(enc_h, dec_h)
    middle = say("s2s.attention") if at.weights is not None else say("s2s.context")
    fig = make_subplots(rows=2, cols=2, horizontal_spacing=0.14, vertical_spacing=0.22,
                        subplot_titles=(say("s2s.encoder_h"), middle, say("s2s.decoder_h"), say("s2s.softmax", t=t)))
    hover_h = say("s2s.hover_h")
    fig.add_trace(heatmap(enc_h, x_in, units, zmax, "encoder h", hover_h, False, present), 1, 1)
    if at.weights is not None:
        alpha = np.full((T, len(digits)), np.nan)
        alpha[:t + 1] = at.weights[:t + 1, row]              # the rows read so far: it fills in as t moves
        fig.add_trace(go.Heatmap(z=alpha, x=x_in, y=x_out, zmin=0, zmax=1, colorscale=SEQUENTIAL, showscale=False,
                                 hovertemplate=say("s2s.hover_alpha") + "<extra></extra>", xgap=1, ygap=1,
                                 texttemplate="%{z:.2f}", textfont=dict(size=look(present).cell_text_size)), 1, 2)
        fig.update_yaxes(autorange="reversed", row=1, col=2)
    else:
        context = trace.encoder.h_n[0, row][:, None]           # the one vector that carries the whole number
        fig.add_trace(heatmap(context, [say("s2s.context_col")], units, zmax, "context", hover_h, False, present,
                              colorbar=False), 1, 2)
    fig.add_trace(heatmap(dec_h, x_out, units, zmax, "decoder h", hover_h, False, present, colorbar=False), 2, 1)
    p = trace.probs[t, row]
    top = np.argsort(p)[::-1][:8]
    fig.add_trace(go.Bar(x=[shown(vocab[i]) for i in top], y=p[top], marker_color="#0072B2",
                         hovertemplate=say("s2s.hover_p") + "<extra></extra>"), 2, 2)
    fig.update_yaxes(range=[0, 1], row=2, col=2)
    for r, c in ((1, 1), (2, 1)):
        fig.update_yaxes(title_text=say("s2s.unit"), row=r, col=c)
    fig.update_xaxes(title_text=say("s2s.digits"), row=1, col=1)
    fig.update_xaxes(title_text=say("s2s.outputs"), row=2, col=1)
    fig.add_shape(step_box(t, "x3", "y3"))
    return base_layout(fig, say("s2s.title"), present, height=2 * look(present).height)
