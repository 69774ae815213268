"""Rerun time of the real server: after moving t and after changing the text, against an empty Streamlit page.

Starts `streamlit run app.py` and `streamlit run` of a one-line page side by side, opens a session on each
with bench/stclient.py (Streamlit's own websocket protocol), and times each rerun from the request to the
server's script_finished, at T=50 tokens and hidden size 64. Round trips include the machine's wake-up
latency; the server's CPU time per rerun (from /proc, over a block of reruns of one kind) is the work alone.

    python bench/latency.py [--json] [--repeat 20]
"""
import asyncio
import statistics
import tempfile
from pathlib import Path

from common import emit, parser, table
from stclient import Server, Session

TEXT = "the cat sat on the mat and the dog sat on the log!"   # 50 characters: T = 50


async def cpu_per_rerun(server: Server, rerun, n: int) -> float:
    """The server's CPU seconds per rerun, over n reruns in a row."""
    c0 = server.cpu_seconds()
    for i in range(n):
        await rerun(i)
    return (server.cpu_seconds() - c0) / n


async def measure(app_server: Server, empty_server: Server, repeat: int) -> dict:
    empty = Session(empty_server.url)
    await empty.open()
    app = Session(app_server.url, query=f"text={TEXT.replace(' ', '+')}&H=64")
    await app.open()
    reruns = {"empty": lambda i: empty.rerun(),                                            # i: the rerun's number
              "move": lambda i: app.change("time step t", double_array_value=[(i * 7) % 50]),
              "text": lambda i: app.change("Text", string_value=TEXT[:-1] + "abcdefghijklmnopqrstuvwxyz"[i % 26])}
    for i in range(3):                                        # warm both
        await reruns["empty"](i)
        await reruns["move"](i + 1)
    times = {k: [] for k in reruns}
    for i in range(repeat):                                   # interleaved, so drift hits all three alike
        for k, rerun in reruns.items():
            times[k].append(await rerun(i))
    n = 10 * repeat                                           # enough reruns to swamp the clock tick
    servers = {"empty": empty_server, "move": app_server, "text": app_server}
    cpu = {k: await cpu_per_rerun(servers[k], rerun, n) for k, rerun in reruns.items()}
    failures = app.exceptions + empty.exceptions
    await empty.close()
    await app.close()
    return {**{k: statistics.median(v) for k, v in times.items()}, "cpu": cpu, "failures": failures}


def main():
    p = parser(__doc__)
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args()
    empty_script = Path(tempfile.mkdtemp()) / "empty.py"
    empty_script.write_text("import streamlit as st\n\nst.write('empty page')\n")
    with Server() as app, Server(empty_script) as empty:
        r = asyncio.run(measure(app, empty, args.repeat))
    base, cpu = r["empty"], r["cpu"]
    names = {"empty": "empty page", "move": "move t (T=50, H=64)", "text": "change the text"}
    rows = [{"rerun": names[k], "median ms": r[k] * 1e3, "ratio": r[k] / base,
             "server CPU ms": cpu[k] * 1e3, "CPU ratio": cpu[k] / cpu["empty"]} for k in names]
    figures = {"t_move_ratio": r["move"] / base, "text_change_ratio": r["text"] / base, "empty_ms": base * 1e3,
               "t_move_ms": r["move"] * 1e3, "text_change_ms": r["text"] * 1e3,
               "t_move_cpu_ratio": cpu["move"] / cpu["empty"], "text_change_cpu_ratio": cpu["text"] / cpu["empty"],
               "empty_cpu_ms": cpu["empty"] * 1e3, "t_move_cpu_ms": cpu["move"] * 1e3,
               "text_change_cpu_ms": cpu["text"] * 1e3, "failures": len(r["failures"])}
    emit(args, figures, table(rows, "real-server rerun time vs an empty Streamlit page (target: t-move within 2x)"))


if __name__ == "__main__":
    main()
