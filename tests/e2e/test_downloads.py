"""The trace downloads in Chromium: made when pressed, from the shared engine run (the page holds only settings)."""
import io

import numpy as np
import pytest
from conftest import no_exception, settle

from rnnviz.pipeline import build
from rnnviz.state import Config


def test_trace_downloads_hold_the_engine_run(server, page):
    page.goto(server + "/?text=apple&cell=lstm&H=3")
    settle(page)
    no_exception(page)
    expected = build(Config().with_(text="apple", cell="lstm", H=3)[0], None).trace.layers[0][0]
    with page.expect_download() as npz:
        page.get_by_role("button", name="Download the trace (NPZ, every array)").click()
    with open(npz.value.path(), "rb") as f:
        arrays = np.load(io.BytesIO(f.read()))
    np.testing.assert_allclose(arrays["l0_fwd_h"], expected.h, rtol=1e-6)     # (T, B, H) = (5, 1, 3)
    with page.expect_download() as csv:
        page.get_by_role("button", name="Download hidden states and gates (CSV)").click()
    with open(csv.value.path(), encoding="utf-8-sig") as f:
        rows = f.read().splitlines()
    assert rows[0].startswith("layer,direction,t,token") and len(rows) == 1 + 5 * 3     # a row per (t, unit)
    assert float(rows[1].split(",")[6]) == pytest.approx(float(expected.h[0, 0, 0]), abs=1e-6)   # h_t of t 0, unit 0
