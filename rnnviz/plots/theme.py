"""Constants of look in one place: colour scales, sizes, fonts (normal and projector)."""
import re
from dataclasses import dataclass

# Diverging, centred at 0, readable with red-green colour blindness (ColorBrewer PuOr: purple < 0 < orange).
DIVERGING = [[0.0, "#2d004b"], [0.1, "#542788"], [0.25, "#8073ac"], [0.4, "#d8daeb"], [0.5, "#f7f7f7"],
             [0.6, "#fee0b6"], [0.75, "#e08214"], [0.9, "#b35806"], [1.0, "#7f3b08"]]
# Sequential for probabilities and norms (viridis is perceptually uniform and colour-blind safe).
SEQUENTIAL = "Viridis"
# Okabe-Ito, a categorical palette safe for every common colour-vision deficiency.
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MARK = "#d6336c"          # the current step
# Hangul first: a Korean label never falls back to tofu in the browser, a notebook or a downloaded PNG.
FONT = "Noto Sans KR, Noto Sans CJK KR, Malgun Gothic, Apple SD Gothic Neo, Noto Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Look:
    font_size: int = 13
    cell_text_size: int = 11
    height: int = 320
    step_height: int = 380
    hover_size: int = 13      # a hover label's type


# Figure type is this dark ink everywhere (15:1 on white; Streamlit's theme greys axes, which falls under 4.5:1 on
# a projector), kept under its old name for the projector's tests.
INK = PRESENT_INK = "#1f2430"
NORMAL = Look()
PRESENT = Look(font_size=20, cell_text_size=16, height=480, step_height=560, hover_size=22)


def look(present: bool) -> Look:
    return PRESENT if present else NORMAL


def layout_base(title: str, present: bool = False, height: int | None = None) -> dict:
    """Title, fonts, margins and colours shared by every figure, as a plotly layout dict."""
    lk = look(present)
    heading = dict(font=dict(size=lk.font_size + 4)) if present else {}     # a title readable from the back row
    ink = dict(color=INK)           # dark type everywhere (the theme's grey washes out on a projector: WCAG 4.5:1)
    return dict(title=dict(text=title, x=0.01, xanchor="left", **heading), height=height or lk.height,
                font=dict(family=FONT, size=lk.font_size, **ink), margin=dict(l=60, r=20, t=60, b=50),
                hoverlabel=dict(font=dict(family=FONT, size=lk.hover_size)),
                plot_bgcolor="white", paper_bgcolor="white")


def base_layout(fig, title: str, present: bool = False, height: int | None = None):
    """Apply layout_base to a go.Figure."""
    fig.update_layout(**layout_base(title, present, height))
    return fig


HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def upright(spec: dict) -> dict:
    """Korean y-axis titles written across, over the axis's top end (plotly turns them sideways, and sideways
    Hangul is hard to read): each becomes an annotation starting at the figure's left edge; the top margin grows
    when it would meet the figure's title. A shallow copy, as inked."""
    layout = spec.get("layout") or {}
    moved = {name: axis for name, axis in layout.items() if name.startswith("yaxis") and isinstance(axis, dict)
             and HANGUL.search(title_text(axis.get("title")))}
    if not moved:
        return spec
    left = (layout.get("margin") or {}).get("l", 80)
    size = (layout.get("font") or {}).get("size", NORMAL.font_size)
    notes, margin = list(layout.get("annotations") or ()), dict(layout.get("margin") or {})
    for name, axis in moved.items():
        x_axis = layout.get("xaxis" + name[5:]) or {}
        x0, top = (x_axis.get("domain") or [0, 1])[0], (axis.get("domain") or [0, 1])[1]
        notes.append(dict(text=title_text(axis["title"]), xref="paper", yref="paper", x=x0, y=top, xanchor="left",
                          yanchor="bottom", xshift=6 - left, yshift=2, showarrow=False, font=dict(size=size)))
    if max((axis.get("domain") or [0, 1])[1] for axis in moved.values()) > 0.99:
        margin["t"] = margin.get("t", 60) + size + 8        # over the top row: the figure's title keeps its line
    axes = {name: {**axis, "title": {"text": ""}} for name, axis in moved.items()}
    return {**spec, "layout": {**layout, **axes, "annotations": notes, **({"margin": margin} if margin else {})}}


def title_text(title) -> str:
    """An axis title's text, whether plotly's dict or a plain string."""
    return (title.get("text") or "") if isinstance(title, dict) else str(title or "")


def inked(spec: dict) -> dict:
    """A figure as the page draws it: Korean y-axis titles upright, and where its type is in INK (every figure of
    layout_base) its axes' tick labels and titles in that ink too: Streamlit's theme greys them, under the 4.5:1
    contrast text needs, and grey washes out on a projector. A shallow copy: cached specs stay as they are."""
    spec = upright(spec)
    layout = spec.get("layout") or {}
    if (layout.get("font") or {}).get("color") != INK:
        return spec
    ink = {"color": INK}
    size = {"size": layout["font"]["size"]} if "size" in layout["font"] else {}   # Streamlit's theme says 12 px
    axes = {}
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title")
            title = ({**title, "font": {**size, **(title.get("font") or {}), **ink}} if isinstance(title, dict)
                     else title)
            axes[name] = {**axis, "tickfont": {**size, **(axis.get("tickfont") or {}), **ink},
                          **({"title": title} if title is not None else {})}
    return {**spec, "layout": {**layout, **axes}}
