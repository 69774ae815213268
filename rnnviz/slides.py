"""Slides: any figure as a PNG at 1920×1080 (kaleido, printing through the Chromium the tests use), and the step
figure's ▶ Play as an animated GIF, one frame per step t (imageio writes it; no encoder of our own)."""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

SLIDE = (1920, 1080)
MAX_FRAMES = 200                     # a GIF's bound: the step figure's Play never has more frames than this
FRAME_MS = 500                       # each step's time on screen
if os.path.exists("/usr/bin/chromium"):
    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")      # kaleido's Chromium: Debian's, as the tests'


def figure_png(fig: go.Figure, size: tuple[int, int] = SLIDE) -> bytes:
    """The figure as a PNG of `size` px (1920×1080: a slide)."""
    return pio.to_image(fig, format="png", width=size[0], height=size[1])


def frame_figures(fig: go.Figure) -> list[go.Figure]:
    """One still figure per animation frame: the figure with that frame's traces (and layout) put in."""
    stills = []
    for frame in fig.frames[:MAX_FRAMES]:
        still = go.Figure(fig, frames=[])
        for k, trace in enumerate(frame.data):
            index = frame.traces[k] if frame.traces else k
            still.data[index].update(trace)
        if frame.layout is not None:
            still.update_layout(frame.layout)
        stills.append(still)
    return stills


def play_gif(fig: go.Figure, size: tuple[int, int] = SLIDE) -> bytes:
    """▶ Play as an animated GIF: every frame of the figure, in order, FRAME_MS each, looping."""
    stills = frame_figures(fig)
    if not stills:
        raise ValueError("the figure has no frames to play")
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"{t}.png" for t in range(len(stills))]
        pio.write_images(stills, paths, format="png", width=size[0], height=size[1])   # one browser for all
        frames = np.stack([iio.imread(p)[..., :3] for p in paths])
    out = io.BytesIO()
    iio.imwrite(out, frames, extension=".gif", duration=FRAME_MS, loop=0)
    return out.getvalue()
