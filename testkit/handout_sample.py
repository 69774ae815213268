"""A small handout for the handout tests (unit and browser): two sections, one of them hostile text everywhere."""
import numpy as np
import plotly.graph_objects as go

from rnnviz.ui.handout import Section

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def sections() -> list[Section]:
    h = np.random.default_rng(0).standard_normal((5, 4))
    return [Section("h_t", [go.Figure(go.Heatmap(z=h))], "x_t → h_t", "rnn = nn.RNN(4, 5)", "shape of h?", "(1, 5, 4)"),
            Section(HOSTILE, [go.Figure(go.Scatter(y=h[0], name=HOSTILE))], HOSTILE, HOSTILE, HOSTILE, "a </script> b")]
