"""Server-side time of a rerun: after moving t and after changing the text, against an empty Streamlit page.

Runs the real app script through Streamlit's AppTest runner in this process (the script run, widgets and
figure serialisation, without the network), at T=50 tokens and hidden size 64.

    python bench/latency.py [--json]
"""
import statistics
import tempfile
import time
from pathlib import Path

from common import emit, parser, table
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TEXT = "the cat sat on the mat and the dog sat on the log!"[:50]


def timed(at, action=lambda: None, repeat=15) -> float:
    times = []
    for i in range(repeat):
        action(i)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    args = parser(__doc__).parse_args()
    empty_script = Path(tempfile.mkdtemp()) / "empty.py"
    empty_script.write_text("import streamlit as st\nst.write('empty')\n")
    empty = AppTest.from_file(str(empty_script), default_timeout=60).run()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.query_params["text"] = TEXT
    app.query_params["H"] = "64"
    app.run()
    t_empty = timed(empty, lambda i: None)
    t_move = timed(app, lambda i: app.slider(key="t").set_value(i % 50))
    texts = [TEXT[:-1] + chr(ord("a") + i % 26) for i in range(15)]
    t_text = timed(app, lambda i: app.text_area(key="text").set_value(texts[i]))
    t_empty2 = timed(empty, lambda i: None)
    base = min(t_empty, t_empty2)
    rows = [{"rerun": "empty page", "median ms": base * 1e3, "ratio": 1.0},
            {"rerun": "move t (T=50, H=64)", "median ms": t_move * 1e3, "ratio": t_move / base},
            {"rerun": "change the text", "median ms": t_text * 1e3, "ratio": t_text / base}]
    figures = {"t_move_ratio": t_move / base, "text_change_ratio": t_text / base, "empty_ms": base * 1e3,
               "t_move_ms": t_move * 1e3, "text_change_ms": t_text * 1e3}
    emit(args, figures, table(rows, "server-side rerun time vs an empty Streamlit page (target: t-move within 2x)"))


if __name__ == "__main__":
    main()
