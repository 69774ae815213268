"""Constants of look in one place: colour scales, sizes, fonts (normal and projector)."""
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


PRESENT_INK = "#1f2430"
NORMAL = Look()
PRESENT = Look(font_size=20, cell_text_size=16, height=480, step_height=560)


def look(present: bool) -> Look:
    return PRESENT if present else NORMAL


def layout_base(title: str, present: bool = False, height: int | None = None) -> dict:
    """Title, fonts, margins and colours shared by every figure, as a plotly layout dict."""
    lk = look(present)
    heading = dict(font=dict(size=lk.font_size + 4)) if present else {}     # a title readable from the back row
    ink = dict(color=PRESENT_INK) if present else {}      # dark type on a projector (the theme's grey washes out)
    return dict(title=dict(text=title, x=0.01, xanchor="left", **heading), height=height or lk.height,
                font=dict(family=FONT, size=lk.font_size, **ink), margin=dict(l=60, r=20, t=60, b=50),
                plot_bgcolor="white", paper_bgcolor="white")


def base_layout(fig, title: str, present: bool = False, height: int | None = None):
    """Apply layout_base to a go.Figure."""
    fig.update_layout(**layout_base(title, present, height))
    return fig


def inked(spec: dict) -> dict:
    """A projector figure (its type in PRESENT_INK) with its axes' tick labels and titles in that ink too: Streamlit's
    theme greys them, and grey washes out on a projector. A shallow copy: cached specs stay as they are."""
    layout = spec.get("layout") or {}
    if (layout.get("font") or {}).get("color") != PRESENT_INK:
        return spec
    ink = {"color": PRESENT_INK}
    axes = {}
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title")
            title = {**title, "font": {**(title.get("font") or {}), **ink}} if isinstance(title, dict) else title
            axes[name] = {**axis, "tickfont": {**(axis.get("tickfont") or {}), **ink},
                          **({"title": title} if title is not None else {})}
    return {**spec, "layout": {**layout, **axes}}
