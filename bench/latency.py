"""Rerun time of the real server: after moving t and after changing the text, against an empty Streamlit page.

Starts `streamlit run app.py` and `streamlit run` of a one-line page side by side, opens a session on each
with bench/stclient.py (Streamlit's own websocket protocol), and times each rerun from the request to the
server's script_finished, at T=50 tokens and hidden size 64.

    python bench/latency.py [--json] [--repeat 20]
"""
import asyncio
import statistics
import tempfile
from pathlib import Path

from common import emit, parser, table
from stclient import Server, Session

TEXT = "the cat sat on the mat and the dog sat on the log!"   # 50 characters: T = 50


async def measure(app_url: str, empty_url: str, repeat: int) -> dict:
    empty = Session(empty_url)
    await empty.open()
    app = Session(app_url, query=f"text={TEXT.replace(' ', '+')}&H=64")
    await app.open()
    for i in range(3):                                        # warm both
        await empty.rerun()
        await app.change("time step t", double_array_value=[i + 1])
    t_empty, t_move, t_text = [], [], []
    for i in range(repeat):                                   # interleaved, so drift hits all three alike
        t_empty.append(await empty.rerun())
        t_move.append(await app.change("time step t", double_array_value=[(i * 7) % 50]))
        t_text.append(await app.change("Text", string_value=TEXT[:-1] + "abcdefghijklmnopqrstuvwxyz"[i % 26]))
    failures = app.exceptions + empty.exceptions
    await empty.close()
    await app.close()
    return {"empty": statistics.median(t_empty), "move": statistics.median(t_move),
            "text": statistics.median(t_text), "failures": failures}


def main():
    p = parser(__doc__)
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args()
    empty_script = Path(tempfile.mkdtemp()) / "empty.py"
    empty_script.write_text("import streamlit as st\n\nst.write('empty page')\n")
    with Server() as app, Server(empty_script) as empty:
        r = asyncio.run(measure(app.url, empty.url, args.repeat))
    base = r["empty"]
    rows = [{"rerun": "empty page", "median ms": base * 1e3, "ratio": 1.0},
            {"rerun": "move t (T=50, H=64)", "median ms": r["move"] * 1e3, "ratio": r["move"] / base},
            {"rerun": "change the text", "median ms": r["text"] * 1e3, "ratio": r["text"] / base}]
    figures = {"t_move_ratio": r["move"] / base, "text_change_ratio": r["text"] / base, "empty_ms": base * 1e3,
               "t_move_ms": r["move"] * 1e3, "text_change_ms": r["text"] * 1e3, "failures": len(r["failures"])}
    emit(args, figures, table(rows, "real-server rerun time vs an empty Streamlit page (target: t-move within 2x)"))


if __name__ == "__main__":
    main()
