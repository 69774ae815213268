"""The numbers task in the Train view: the share of held-out numbers read exactly right, against the step."""
from __future__ import annotations

from ..words import say
from .theme import CATEGORICAL, layout_base


def held_spec(held: list[tuple[int, float]], present: bool = False) -> dict:
    """Exact readings of the held-out numbers (0 … 1) at each step they were read."""
    data = [dict(type="scatter", x=[s for s, _ in held], y=[a for _, a in held], name=say("numbers.held_curve"),
                 mode="lines+markers", line=dict(color=CATEGORICAL[1], width=2), hovertemplate=say("numbers.hover_share"))]
    layout = layout_base(say("numbers.held_title"), present)
    layout.update(xaxis=dict(title=dict(text=say("lab.axis_step"))),
                  yaxis=dict(title=dict(text=say("numbers.axis_share")), range=[0, 1.02], tickformat=".0%"))
    return dict(data=data, layout=layout)
