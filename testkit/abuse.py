"""What a careless or hostile class can do to one real server (issue 12), measured.

Sessions speak Streamlit's own websocket protocol (testkit/stclient.py) against `streamlit run`, started with a
short reconnect grace period (--server.disconnectedSessionTTL) and a small server queue cap so each bound is
reached in seconds. Scenarios, in order:

- memory: N sessions (a class: 40) open the largest Explore link at once, each with its own seed; the server's
  peak RSS against the ceiling the README states.
- attack: four tabs open issue 12's link (LSTM, hidden 256, 4 layers, 100,000 steps, 5,000 characters) and
  press "Compare cells": each is refused with the session's bound.
- queue: a hostile session trains at its budget (three runs, the most steps that fit); a classmate's 100-step
  apple run: seconds until it starts training (queue_wait_s) and until it finishes.
- full: a second hostile session fills the server's queue; a third student is told, the others keep their runs.
- orphans: the hostile sessions close; the server's CPU share once the grace period has passed (and how soon it
  fell under 5%).
- shutdown: SIGTERM with runs training; the server exits cleanly (no `terminate called ...`).

Then issue 22's findings, one scenario each, by one hostile student (every tab sends the same X-Forwarded-For, as
the class's proxy does) while an honest classmate presses ▶ Start on the apple lesson, again and again until the attack is over. For each:
the honest session's longest wait for its first apple step (honest_wait_s, target < 5 s), the server's RSS peak (under
the README's ceiling), whether the teacher's shared run (saved before, by another client) still opens, and the
seconds until the server's CPU is back under 5% of a core once the attacker's tabs close (within TTL + 30 s):

- evict: a 4,095-character LSTM 256×4 run, "Save for the class" ten times (27 MB each).
- tabs: six tabs press "Compare cells" on the largest text run the budget takes, a seventh on the largest memory
  model (LSTM 256×4, bidirectional, distance 200).
- prompt: the lab's largest model, one step, then a 1 MB prompt and "✍️ Write" of 2,000 characters.
- explore_paste: 20 MB of Hangul in Explore's text box; marks: 1,900 characters with 1,000 combining marks each.
- uploads: twenty 31 MB PUTs to one session; files: crafted run files (JSON nested 50,000 deep, a 400-digit
  number, a folder, a safetensors header nested 50,000 deep) opened by link.
- vocab: a text task with 5,000 distinct characters; links: a link of 1,100 fields and one of 600 KB.

    python bench/abuse.py [--json] [--short]      (tests/test_abuse.py runs `bench(short=True)`)
"""
from __future__ import annotations

import asyncio
import re
import signal
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from rnnviz import store
from rnnviz.train.loop import Settings, Trainer
from rnnviz.train.runner import REAP_SECONDS

from .classroom import RssWatch
from .stclient import Server, Session

TTL = 3                    # seconds a closed session may come back (Streamlit's default is 120)
SERVER_RUNS = 6            # the server's queue cap for this bench: two hostile sessions fill it
CEILING_MB = 1500          # README: 40 sessions of the largest link stay under this
LARGEST = dict(text="ab" * 975, cell="lstm", H="256", I="1", enc="embedding", panel="maps")
HOSTILE_TEXT = ("The quick brown fox jumps over the lazy dog; 안녕하세요! " * 100)[:5000]
HOSTILE = dict(view="train", tr_task="text", tr_cell="lstm", tr_hidden="256", tr_layers="4", tr_steps="100000",
               tr_text=HOSTILE_TEXT)
TIMEOUT = 180


class Failures(list):
    """Sessions that failed: an exception on the page, or an error where none belongs."""

    def check(self, name: str, s: Session) -> None:
        if s.exceptions:
            self.append(f"{name}: {s.exceptions[0][:200]}")


def cpu_share(server: Server, seconds: float) -> float:
    """The server's CPU use over the next `seconds`, in percent of one core."""
    c0, t0 = server.cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    return 100 * (server.cpu_seconds() - c0) / (time.monotonic() - t0)


async def open_session(url: str, student: str = "", **query) -> Session:
    """A tab; `student`: the address the class's proxy would forward for it (one student's tabs share it)."""
    s = Session(url, query=urlencode(query), headers={"X-Forwarded-For": student} if student else {})
    await s.open()
    return s


async def poll(s: Session) -> None:
    """One timed redraw of the live progress, as the page asks for it."""
    await asyncio.sleep(s.auto_rerun.get(s.progress_fragment, 0.2))
    await s.rerun(fragment_id=s.progress_fragment, auto=True)


def refusal(s: Session) -> str:
    return next((t for t in s.texts if "Not started" in t), "")


async def memory(url: str, server: Server, n: int, failures: Failures) -> dict:
    """N sessions of the largest Explore link, opened four at a time, all kept open until the last is drawn."""
    base = server.rss_mb()
    watch = RssWatch(server)
    sessions: list[Session] = []
    started = time.perf_counter()
    for first in range(0, n, 4):
        sessions += await asyncio.gather(*[open_session(url, **LARGEST, seed=str(i))
                                           for i in range(first, min(n, first + 4))])
    seconds = time.perf_counter() - started
    for i, s in enumerate(sessions):
        failures.check(f"memory {i}", s)
        await s.close()
    return {"sessions": n, "rss_base_mb": base, "rss_peak_mb": watch.stop(), "open_all_s": seconds}


async def attack(url: str, failures: Failures) -> dict:
    """Four tabs of issue 12's link press "Compare cells"; the budget turns each away."""
    tabs = await asyncio.gather(*[open_session(url, **HOSTILE) for _ in range(4)])
    for s in tabs:
        await s.click("Compare cells")
    told = [refusal(s) for s in tabs]
    for i, s in enumerate(tabs):
        failures.check(f"attack {i}", s)
        await s.close()
    fit = int(re.search(r"up to ([\d,]+) fit", told[0]).group(1).replace(",", "")) if told[0] else 0
    return {"attack_refused": sum(bool(t) for t in told), "attack_tabs": len(tabs), "budget_steps_fit": fit}


async def at_budget(url: str, steps: int) -> Session:
    """A hostile session training three runs of the largest model, as many steps as its budget allows."""
    s = await open_session(url, **{**HOSTILE, "tr_steps": str(steps)})
    await s.click("Compare cells")
    if refusal(s):
        raise RuntimeError(f"a run within the budget was refused: {refusal(s)}")
    return s


async def queue(url: str, hostile: Session, failures: Failures) -> dict:
    """A classmate's 100-step apple run while `hostile` is at its budget: seconds to start, and to finish."""
    s = await open_session(url, view="train")
    started = time.perf_counter()
    await s.click("▶ Start")
    waited = None
    while not any(p.startswith("finished") for p in s.progress):
        if waited is None and any(int(m.group(1)) > 0 for p in s.progress if (m := re.search(r"step (\d+)/", p))):
            waited = time.perf_counter() - started
        if time.perf_counter() - started > TIMEOUT:
            failures.append(f"queue: the apple run did not finish: {s.progress}")
            break
        await poll(s)
    done = time.perf_counter() - started
    failures.check("queue", s)
    await s.close()
    return {"queue_wait_s": done if waited is None else waited, "apple_done_s": done,
            "hostile_runs": len(hostile.progress)}


async def full(url: str, hostile: list[Session], failures: Failures) -> dict:
    """With the queue at its cap, one more student is told; the hostile sessions keep all their runs."""
    before = [await _active(h) for h in hostile]
    late = await open_session(url, view="train")
    await late.click("▶ Start")
    told = refusal(late)
    failures.check("full", late)
    await late.close()
    after = [await _active(h) for h in hostile]
    return {"full_refused": "queue is full" in told, "queue_kept": before == after == [3] * len(hostile)}


async def _active(s: Session) -> int:
    await s.rerun(fragment_id=s.progress_fragment, auto=True)
    return sum("waiting" in p or "training" in p for p in s.progress)


async def orphans(server: Server, hostile: list[Session]) -> dict:
    """Close the hostile sessions; watch the server's CPU until it rests, within the grace period + 30 s."""
    busy = cpu_share(server, 2)
    for s in hostile:
        await s.close()
    closed = time.monotonic()
    stopped_after = None
    while time.monotonic() - closed < TTL + 30:
        if cpu_share(server, 2) < 5:
            stopped_after = time.monotonic() - closed
            break
    after = cpu_share(server, 3)
    return {"cpu_busy_pct": busy, "orphan_cpu_after_s": after, "orphans_stopped_s": stopped_after,
            "orphans_stopped": stopped_after is not None and after < 5, "ttl_s": TTL}


def shutdown(server: Server, errors) -> dict:
    """SIGTERM while runs train; the server must exit by itself, with no C++ terminate on its way out."""
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(30)
    except Exception:
        code = None
    errors.seek(0)
    text = errors.read().decode(errors="replace")
    return {"exit_code": code, "exit_s": time.monotonic() - started,
            "clean_shutdown": code == 0 and "terminate called" not in text}


# --- issue 22: one hostile student against an honest classmate and the teacher's shared run ---------------------

ATTACKER, STUDENT, TEACHER = "10.0.0.66", "10.0.0.7", "10.0.0.1"
HONEST_DELAY = 1.0          # the classmate presses ▶ Start this long after the attack begins
WIDE = "".join(chr(0x4E00 + i) for i in range(4095))        # as many kinds of characters as a text task takes
EVICT = dict(view="train", tr_task="text", tr_text=WIDE, tr_cell="lstm", tr_hidden="256", tr_layers="4",
             tr_steps="1")
LARGEST_MEMORY = dict(view="train", tr_task="memory", tr_cell="lstm", tr_hidden="256", tr_layers="4", tr_bi="1",
                      tr_distance="200", tr_steps="10")
LAB_LARGEST = dict(view="lab", lab_hidden="512", lab_layers="3", lab_steps="1", lab_length="2000")
UPLOAD_MB = 31


def step_of(s: Session) -> int:
    """The highest step a session's progress bars show."""
    return max((int(m.group(1)) for p in s.progress if (m := re.search(r"(\d+)/\d+", p))), default=0)


async def until(s: Session, done, what: str, failures: Failures, seconds: float = TIMEOUT) -> bool:
    """Poll the live progress until `done(s)`; a failure naming `what` after `seconds`."""
    started = time.perf_counter()
    while not done(s):
        if time.perf_counter() - started > seconds:
            failures.append(f"{what}: not within {seconds:.0f} s: {s.progress} {s.texts[:3]}")
            return False
        if s.progress_fragment:
            await poll(s)
        else:
            await asyncio.sleep(0.2)
            await s.rerun()
    return True


async def first_apple_step(url: str, failures: Failures) -> float:
    """The honest classmate: seconds from ▶ Start on the apple lesson until its first step is shown."""
    s = await open_session(url, student=STUDENT, view="train")
    started = time.perf_counter()
    await s.click("▶ Start")
    await until(s, lambda s: step_of(s) > 0, "the honest apple run's first step", failures)
    waited = time.perf_counter() - started
    if "■ Stop" in s.widgets:
        await s.click("■ Stop")         # the next tab's run is within this student's budget
    failures.check("honest", s)
    await s.close()
    return waited


def save_teachers_run(folder: Path) -> str:
    """The class's shared run, saved by the teacher's address before any student comes."""
    trainer = Trainer(Settings(task="apple", steps=5))
    for _ in trainer.events():
        pass
    info = store.Stored(step=5, label="this run", steps=[1, 2, 3, 4, 5], losses=[1.0] * 5, accuracies=[0.0] * 5)
    return store.save(trainer, info, store.Folder(folder), client=f"ip:{TEACHER}")


async def teacher_opens(url: str, run_id: str) -> bool:
    """The teacher's link opens its run: the weights are loaded, and no note says it could not be."""
    s = await open_session(url, student=TEACHER, view="train", run=run_id)
    ok = any("weights loaded" in p for p in s.progress) and not any("could not be opened" in t for t in s.texts)
    await s.close()
    return ok


def idle_after(server: Server) -> float | None:
    """Seconds until the server's CPU is under 5% of a core, within the grace period + 30 s; None if never."""
    closed = time.monotonic()
    while time.monotonic() - closed < TTL + 30:
        if cpu_share(server, 2) < 5:
            return time.monotonic() - closed
    return None


async def scenario(server: Server, attack, failures: Failures, teacher: str) -> dict:
    """The attack and the honest classmate at once (▶ Start in a new tab again and again until the attack is over:
    the longest wait counts); then the teacher's link, then the CPU once the attack is gone."""
    watch = RssWatch(server)
    over = asyncio.Event()

    async def attacking():
        try:
            return await attack(server.url, failures)
        finally:
            over.set()

    async def honest() -> list[float]:
        await asyncio.sleep(HONEST_DELAY)
        waits: list[float] = []
        while not (over.is_set() and waits):
            waits.append(await first_apple_step(server.url, failures))
        return waits

    (tabs, figures), waits = await asyncio.gather(attacking(), honest())
    wait = max(waits)
    opens = await teacher_opens(server.url, teacher)
    for i, s in enumerate(tabs):
        failures.check(f"{attack.__name__} {i}", s)
        await s.close()
    idle = idle_after(server)
    return {"honest_wait_s": wait, "rss_peak_mb": watch.stop(), "teacher_run_opens": opens, "cpu_idle_s": idle,
            "cpu_idle": idle is not None, "honest_runs": len(waits), **figures}


async def evict(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """High 1: a 27 MB run saved for the class ten times."""
    s = await open_session(url, student=ATTACKER, **EVICT)
    await s.click("▶ Start")
    await until(s, lambda s: any(p.startswith("finished") for p in s.progress), "the 4,095-character run", failures)
    told = []
    for _ in range(10):
        await s.click("Save for the class (link)")
        told.append(next((t for t in s.texts if t.startswith("Not saved")), ""))
    return [s], {"saves_kept": told.count(""), "saves_refused": sum(bool(t) for t in told)}


async def tabs(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """High 3: six tabs press "Compare cells" at the budget's size; a seventh asks for the largest memory model."""
    opened = await asyncio.gather(*[open_session(url, student=ATTACKER, **{**HOSTILE, "tr_steps": "300"})
                                    for _ in range(6)])
    for s in opened:
        await s.click("Compare cells")
    largest = await open_session(url, student=ATTACKER, **LARGEST_MEMORY)
    await largest.click("Compare cells")
    return [*opened, largest], {"tabs_accepted": sum(not refusal(s) for s in opened),
                                "largest_step_refused": "one training step" in refusal(largest)}


async def prompt(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """Medium 2 and Low 10: the lab's largest model, one step; a 1 MB prompt, then "✍️ Write" 2,000 characters."""
    s = await open_session(url, student=ATTACKER, **LAB_LARGEST)
    await s.click("▶ Start")
    if not await until(s, lambda s: "Prompt" in s.widgets, "the lab's one step", failures):
        return [s], {}
    pasted = await s.change("Prompt", string_value="가나다라" * 250_000)
    again = await s.rerun()
    wrote = await s.click("✍️ Write")
    return [s], {"prompt_rerun_s": pasted, "prompt_next_rerun_s": again, "write_s": wrote}


async def explore_paste(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """Medium 4: 20 MB of Hangul pasted into Explore's text box."""
    s = await open_session(url, student=ATTACKER)
    pasted = await s.change("Text", string_value="가" * (20 * 2**20 // 3))
    return [s], {"paste_rerun_s": pasted, "paste_next_rerun_s": await s.rerun()}


async def marks(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """Low 8: 1,900 characters, each with 1,000 combining marks (3.8 MB)."""
    s = await open_session(url, student=ATTACKER)
    pasted = await s.change("Text", string_value=("a" + "\u0301" * 1000) * 1900)
    return [s], {"marks_rerun_s": pasted}


async def uploads(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """Medium 5: twenty 31 MB PUTs to one session's upload endpoint."""
    s = await open_session(url, student=ATTACKER)
    data = bytes(UPLOAD_MB * 2**20)
    codes = [await asyncio.to_thread(s.upload, f"hostile-{i}", data) for i in range(20)]
    return [s], {"uploads_accepted": sum(c == 204 for c in codes)}


def crafted_runs(folder: Path) -> list[str]:
    """Medium 6: run files a hostile hand wrote into the store (or a damaged disk did)."""
    ids = [store.new_id() for _ in range(4)]
    good = next(folder.glob("*.safetensors")).read_bytes()
    curve = b'"label": "x", "steps": [], "losses": [], "accuracies": []'
    (folder / f"{ids[0]}.json").write_bytes(b"[" * 50_000 + b"]" * 50_000)
    (folder / f"{ids[1]}.json").write_bytes(b'{"step": 1, "saved": ' + b"9" * 400 + b", " + curve + b"}")
    (folder / f"{ids[2]}.json").mkdir()
    header = b"[" * 50_000 + b"]" * 50_000
    (folder / f"{ids[3]}.json").write_bytes(b'{"step": 1, ' + curve + b"}")
    (folder / f"{ids[3]}.safetensors").write_bytes(len(header).to_bytes(8, "little") + header)
    for run_id in ids[:3]:
        (folder / f"{run_id}.safetensors").write_bytes(good)
    return ids


def files(folder: Path):
    async def files(url: str, failures: Failures) -> tuple[list[Session], dict]:
        """Medium 6: each crafted run opened by its link says it could not be opened; the page goes on."""
        opened = [await open_session(url, student=ATTACKER, view="train", run=run_id)
                  for run_id in crafted_runs(folder)]
        told = [any("could not be opened" in t for t in s.texts) and "▶ Start" in s.widgets for s in opened]
        return opened, {"crafted_runs_told": sum(told), "crafted_runs": len(told)}
    return files


async def vocab(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """Low 9: a text task with 5,000 distinct characters is refused before it starts, with the limit."""
    s = await open_session(url, student=ATTACKER, view="train", tr_task="text",
                           tr_text="".join(chr(0x4E00 + i) for i in range(5000)))
    await s.click("▶ Start")
    return [s], {"vocab_refused": any("can have at most 4,095" in t for t in s.texts)}


async def links(url: str, failures: Failures) -> tuple[list[Session], dict]:
    """Low 11: a link of 1,100 fields, and one of 600 KB."""
    many = Session(url, query="&".join(f"k{i}=1" for i in range(1100)), headers={"X-Forwarded-For": ATTACKER})
    big = Session(url, query="text=" + "a" * 600_000, headers={"X-Forwarded-For": ATTACKER})
    opened = [many, big]
    seconds = [await s.open() for s in opened]
    return opened, {"huge_link_open_s": max(seconds)}


async def hostile_class(server: Server, folder: Path, failures: Failures) -> dict:
    """Every issue 22 scenario in turn, each with its four figures."""
    teacher = save_teachers_run(folder)
    await first_apple_step(server.url, failures)            # warm: the first run of a server loads torch's kernels
    found = {}
    for attack in (evict, tabs, prompt, explore_paste, marks, uploads, files(folder), vocab, links):
        found[attack.__name__] = await scenario(server, attack, failures, teacher)
    return found


async def bench(short: bool) -> dict:
    failures = Failures()
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryDirectory(prefix="rnnviz-abuse-") as folder:
        # Issue 22's scenarios on a server of their own (a fresh RSS), XSRF off: the hostile uploads PUT straight
        # to the endpoint (a browser's script would send the token)
        with Server(env={"RNNVIZ_TRAIN_WORKERS": "1", "RNNVIZ_STORE": folder},
                    args=("--server.disconnectedSessionTTL", str(TTL), "--server.enableXsrfProtection", "false")) as own:
            figures = {"scenarios": await hostile_class(own, Path(folder), failures)}
        server = Server(env={"RNNVIZ_SERVER_RUNS": str(SERVER_RUNS), "RNNVIZ_TRAIN_WORKERS": "1"},
                        args=("--server.disconnectedSessionTTL", str(TTL)), stderr=errors)
        try:
            figures |= await memory(server.url, server, 16 if short else 40, failures)
            figures |= await attack(server.url, failures)
            steps = figures["budget_steps_fit"]
            hostile = [await at_budget(server.url, steps)]
            await asyncio.sleep(1)
            figures |= await queue(server.url, hostile[0], failures)
            hostile.append(await at_budget(server.url, steps))
            figures |= await full(server.url, hostile, failures)
            figures |= await orphans(server, hostile)
            hostile = [await at_budget(server.url, steps)]        # training again, for the shutdown
            await asyncio.sleep(1)
            figures |= shutdown(server, errors)
        finally:
            server.stop()
    figures |= {"failed_sessions": len(failures), "failures": failures, "ceiling_mb": CEILING_MB,
                "reap_s": REAP_SECONDS}
    return figures


FOUR = ("honest_wait_s", "rss_peak_mb", "teacher_run_opens", "cpu_idle_s")
SCENARIO_TARGETS = {"honest_wait_s": "< 5", "rss_peak_mb": f"< {CEILING_MB}", "teacher_run_opens": "True",
                    "cpu_idle_s": f"< {TTL + 30}"}
TARGETS = {"orphan_cpu_after_s": "< 5 (% of a core)", "rss_peak_mb": f"< {CEILING_MB}", "queue_wait_s": "< 5",
           "failed_sessions": "0", "attack_refused": "4", "full_refused": "True", "queue_kept": "True",
           "orphans_stopped": "True", "clean_shutdown": "True"}
