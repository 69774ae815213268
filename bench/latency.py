"""Rerun time of the real server: after moving t and after changing the text, against an empty Streamlit page;
and what a person sees: a t-move from the key press to the pixels in Chromium, against a bare Streamlit round trip.

Server: starts `streamlit run app.py` and `streamlit run` of a one-line page side by side, opens a session on each
with bench/stclient.py (Streamlit's own websocket protocol), and times each rerun from the request to the
server's script_finished, at T=50 tokens and hidden size 64. Round trips include the machine's wake-up
latency; the server's CPU time per rerun (from /proc, over a block of reruns of one kind) is the work alone.

Browser (bench/keypixels.py, real Chromium through Playwright): → pressed on the floor page (bench/floor_app.py,
an empty page whose fragment button, shortcut →, bumps a number) and on rnnviz with each figure kind open (step
figure, heatmap outline, output outline, path ring), at T=50 and at the 2,000-character cap, H=64; the median
over --presses presses of the time from keydown to the frame that paints the change; and each figure's redraw
alone (the page's own move of that figure, timed in the page). `browser_t_move_ratio` is the worst figure's
median over the floor's.

    python bench/latency.py [--json] [--repeat 20] [--presses 12] [--no-browser]
"""
import asyncio
import statistics
import tempfile
from pathlib import Path

import keypixels
from common import emit, parser, table

from testkit.stclient import ROOT, Server, Session

TEXT = "the cat sat on the mat and the dog sat on the log!"   # 50 characters: T = 50
CAP = (TEXT * 40)[:2000]                                          # the 2,000-character cap: T = 2000


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


def browser(presses: int) -> tuple[dict, str]:
    """Key press to pixels in Chromium, the floor page against each figure kind; its figures and table."""
    sizes = {"T=50": TEXT, "T=2000": CAP}
    queries = {size: f"text={text.replace(' ', '+')}&H=64&out=1" for size, text in sizes.items()}
    with Server() as app, Server(ROOT / "bench" / "floor_app.py") as floor:
        r = keypixels.measure(app.url, floor.url, queries, presses)
    base = r["floor"]
    rows = [{"what": "floor: empty page, fragment button → bumps a number", "size": "", "median ms": base,
             "ratio": 1.0, "redraw alone ms": float("nan")}]
    rows += [{"what": kind, "size": size, "median ms": ms, "ratio": ms / base, "redraw alone ms": r["redraw"][size, kind]}
             for (size, kind), ms in r["press"].items()]
    rows += [{"what": "step figure: a fresh page's first →", "size": "T=50", "median ms": r["first"],
              "ratio": r["first"] / base, "redraw alone ms": float("nan")},
             {"what": "step figure: the presses after it, same pages", "size": "T=50", "median ms": r["later"],
              "ratio": r["later"] / base, "redraw alone ms": float("nan")}]
    worst = max(r["press"].values())
    figures = {"browser_t_move_ratio": worst / base, "browser_floor_ms": base, "browser_worst_ms": worst,
               "first_press_ms": r["first"], "later_press_ms": r["later"], "first_press_ratio": r["first"] / r["later"],
               **{f"browser_{kind.replace(' ', '_')}_{size.replace('=', '')}_ms": ms
                  for (size, kind), ms in r["press"].items()},
               **{f"browser_redraw_{kind.replace(' ', '_')}_{size.replace('=', '')}_ms": ms
                  for (size, kind), ms in r["redraw"].items()}}
    title = (f"t-move in Chromium, keydown to pixels (median of {presses} presses) vs the floor "
             "(target: worst figure within 1x; a fresh page's first → as fast as the rest)")
    return figures, table(rows, title)


def main():
    p = parser(__doc__)
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--presses", type=int, default=12)
    p.add_argument("--no-browser", action="store_true", help="only the server's reruns")
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
    text = table(rows, "real-server rerun time vs an empty Streamlit page (target: t-move within 1.5x)")
    if not args.no_browser:
        more, more_text = browser(args.presses)
        figures.update(more)
        text += "\n\n" + more_text
    emit(args, figures, text)


if __name__ == "__main__":
    main()
