"""The figures' colours for every student: each colour scale stays readable under the common colour-vision
deficiencies (simulated with colorspacious, CAM02-UCS distances), the current step's outline is a form as well as a
colour and stands apart from every scale colour, and figure type meets WCAG's 4.5:1 contrast."""
import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from plotly.colors import hex_to_rgb, sample_colorscale

from rnnviz.plots import theme
from rnnviz.plots.marks import step_box

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
SCALES = {"diverging": theme.DIVERGING, "sequential": theme.SEQUENTIAL}


def rgb(colour: str) -> np.ndarray:
    """sRGB in 0..1 from '#rrggbb' or 'rgb(r, g, b)'."""
    colour = {"white": "#ffffff", "black": "#000000"}.get(colour, colour)
    if colour.startswith("#"):
        return np.array(hex_to_rgb(colour)) / 255
    return np.array([float(v) for v in colour[colour.index("(") + 1:-1].split(",")[:3]]) / 255


def seen(colour: str, deficiency: str | None) -> np.ndarray:
    """The colour as a person with the deficiency (at full severity) sees it."""
    if deficiency is None:
        return rgb(colour)
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb(colour), space, "sRGB1"), 0, 1)


def distance(a: str, b: str, deficiency: str | None) -> float:
    return float(deltaE(seen(a, deficiency), seen(b, deficiency), input_space="sRGB1"))


def luminance(colour: str) -> float:
    c = rgb(colour)
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def steps(scale, n: int = 11) -> list[str]:
    return sample_colorscale(scale, list(np.linspace(0, 1, n)))


@pytest.mark.parametrize("deficiency", (None, *DEFICIENCIES))
@pytest.mark.parametrize("name", SCALES)
def test_neighbouring_steps_of_every_scale_stay_distinguishable(name, deficiency):
    colours = steps(SCALES[name])
    gaps = [distance(a, b, deficiency) for a, b in zip(colours, colours[1:])]
    assert min(gaps) >= 4, f"{name} under {deficiency}: neighbouring tenths {gaps} (CAM02-UCS ΔE; ~1 is just seen)"


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_the_diverging_scale_tells_negative_from_positive_without_red_green(deficiency):
    for v in (0.1, 0.25, 0.5):
        low, high = sample_colorscale(theme.DIVERGING, [0.5 - v / 2, 0.5 + v / 2])
        assert distance(low, high, deficiency) >= 8 * v / 0.1 ** 0.5 / 3, (deficiency, v, low, high)


@pytest.mark.parametrize("deficiency", (None, *DEFICIENCIES))
def test_the_current_step_outline_stands_apart_from_every_scale_colour(deficiency):
    for name, scale in SCALES.items():
        near = min(distance(theme.MARK, c, deficiency) for c in steps(scale, 21))
        assert near >= 6, f"the outline's {theme.MARK} is within ΔE {near:.1f} of a {name} colour under {deficiency}"


def test_the_current_step_is_a_form_not_only_a_colour():
    box = step_box(3)
    assert box["type"] == "rect" and box["line"]["width"] >= 3 and box["x1"] - box["x0"] == 1
    assert contrast(theme.MARK, "#ffffff") >= 3, "an outline needs 3:1 against the white page (WCAG 1.4.11)"


@pytest.mark.parametrize("present", (False, True))
def test_figure_type_is_dark_enough_on_white(present):
    layout = theme.layout_base("x", present)
    spec = theme.inked({"data": [], "layout": {**layout, "xaxis": {"title": {"text": "t"}}, "yaxis": {}}})
    colours = [spec["layout"]["font"]["color"], spec["layout"]["xaxis"]["tickfont"]["color"],
               spec["layout"]["yaxis"]["tickfont"]["color"], spec["layout"]["xaxis"]["title"]["font"]["color"]]
    for c in colours:
        assert contrast(c, layout["paper_bgcolor"]) >= 4.5, (present, c)
