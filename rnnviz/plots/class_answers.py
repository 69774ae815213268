"""A class's answers to one question as bars: one per answer given (and per option offered), the right one coloured
when the teacher shows the answers (else every bar alike)."""
from __future__ import annotations

from .literal import shown
from .theme import CATEGORICAL, PRESENT, layout_base

RIGHT, WRONG, ANY = CATEGORICAL[2], CATEGORICAL[5], CATEGORICAL[0]   # bluish green, vermillion, blue (Okabe-Ito)


def bars(counts: dict[str, tuple[int, bool]], choices: tuple[str, ...], right: str | None, axis: str) -> dict:
    """counts: answer -> (students, right); every choice gets a bar, 0 too; the most given first after them.
    right=None: the answers are not shown, every bar one colour."""
    rest = sorted((a for a in counts if a not in choices), key=lambda a: (-counts[a][0], a))
    answers = [*choices, *rest]
    n = [counts.get(a, (0, a == right))[0] for a in answers]
    ok = [counts[a][1] if a in counts else a == right for a in answers]
    layout = layout_base("", present=True, height=380)
    layout.update(yaxis=dict(title=dict(text=axis), dtick=1, rangemode="tozero"),
                  xaxis=dict(type="category", tickfont=dict(size=PRESENT.font_size + 2)),
                  margin=dict(l=10, r=10, t=10, b=60), showlegend=False)
    return dict(data=[dict(type="bar", x=[shown(a) for a in answers], y=n, text=n, textposition="auto",
                           marker=dict(color=[ANY if right is None else RIGHT if r else WRONG for r in ok]),
                           hoverinfo="x+y")], layout=layout)
