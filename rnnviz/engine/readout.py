"""Reading hidden states out: softmax over an output layer, and the 2-D projection of a path of h_t."""
from __future__ import annotations

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def pca_2d(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, H) hidden states -> ((T, 2) coordinates on the top two principal axes, explained variance ratios)."""
    if not np.isfinite(h).all():
        raise ValueError("the hidden states overflow (infinite or NaN), so they have no 2-D projection")
    centred = h - h.mean(axis=0)
    if h.shape[0] < 2 or not np.any(centred):
        return np.zeros((h.shape[0], 2)), np.zeros(2)
    _, s, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    coords = centred @ vt[:2].T
    if coords.shape[1] < 2:
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
    var = s ** 2 / (s ** 2).sum()
    return coords, np.pad(var[:2], (0, max(0, 2 - len(var[:2]))))
