"""A light Streamlit client that speaks the server's own websocket protocol, for latency and load measurements.

It opens a session like a browser tab does, reruns the script with changed widget values (inside a fragment
when the widget lives in one), and times each rerun from the request to the server's `script_finished`.
It renders nothing, so thirty of them measure the server, not thirty renderers on two cores.
"""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from deploy.supervise import free_port, wait_healthy

from .waiting import scaled

ROOT = Path(__file__).resolve().parent.parent
FINISHED_OK = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
               ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class Server:
    """`streamlit run SCRIPT` on a free loopback port; stopped by its PID."""

    def __init__(self, script: Path | str = ROOT / "app.py", env: dict | None = None, args: tuple[str, ...] = (),
                 stderr=subprocess.DEVNULL):
        """`args`: more `streamlit run` options; `stderr`: where the server's errors go (a file to read them)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *args],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
            env={**os.environ, **(env or {})})
        try:
            wait_healthy(self.url, self.proc, scaled(60))
        except RuntimeError:
            self.stop()
            raise

    def rss_mb(self) -> float:
        """Resident memory of the server process, in MB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far, in seconds."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@dataclass
class Widget:
    kind: str            # the element type: slider, text_area, button, selectbox, ...
    id: str
    label: str
    fragment_id: str


@dataclass
class Session:
    """One browser-tab-like session."""

    url: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)        # e.g. X-Forwarded-For, as the class's proxy sends
    session_id: str = ""                                          # the server's name for it (uploads go there)
    widgets: dict[str, Widget] = field(default_factory=dict)     # by label
    states: dict[str, WidgetState] = field(default_factory=dict)  # by widget id: what this "tab" has set
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)               # markdown/alert bodies of the last run
    progress: list[str] = field(default_factory=list)            # progress-bar texts of the last run
    progress_fragment: str = ""                                  # the fragment that draws them (live training)
    page_hash: str = ""
    cache: dict[str, ForwardMsg] = field(default_factory=dict)   # large messages kept by hash, as the browser does
    auto_rerun: dict[str, float] = field(default_factory=dict)   # fragment id -> seconds, as the server asks
    ws: Any = field(default=None, repr=False)                     # the socket, once open() has made it

    async def open(self) -> float:
        ws_url = self.url.replace("http", "ws") + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.url, max_size=None,
                                           open_timeout=30, ping_interval=None, additional_headers=self.headers)
        self.sock = self.ws.transport.get_extra_info("socket")
        return await self.rerun()

    def _ack_now(self) -> None:
        # The server writes many small messages without TCP_NODELAY; acknowledging at once keeps Linux's
        # delayed ACK (40 ms) from stalling each one, so the timings measure the server's work.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)

    async def close(self) -> None:
        """Close the socket; one the server or a failure already broke is closed too (a benchmark closes every
        session it opened, whatever happened to it, and reports the failure it had, not the close's)."""
        if self.ws is None:
            return
        try:
            await self.ws.close()
        except (OSError, websockets.exceptions.WebSocketException):
            pass

    async def rerun(self, fragment_id: str = "", timeout: float = 120, auto: bool = False) -> float:
        """Ask for a rerun with the current widget states; seconds until the server says it finished.

        `auto` marks a fragment's own timed rerun (st.fragment(run_every=...)), as the browser sends it."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        cs.widget_states.widgets.extend(self.states.values())
        cs.cached_message_hashes.extend(self.cache)
        self._ack_now()
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        self.texts, self.progress = [], []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout)
            self._ack_now()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta":
                if fwd.metadata.cacheable and fwd.hash:
                    self.cache[fwd.hash] = fwd
                self._read_delta(fwd)
            elif kind == "auto_rerun":                        # st.fragment(run_every=...): poll this often
                self.auto_rerun[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fragment_id in fwd.stop_auto_rerun.fragment_ids:
                    self.auto_rerun.pop(fragment_id, None)
            elif kind == "ref_hash":                          # "you have this one already"
                self._read_delta(self.cache[fwd.ref_hash])
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    continue                                  # the app asked for a rerun (st.rerun): wait for it
                elapsed = time.perf_counter() - t0
                if fwd.script_finished not in FINISHED_OK:
                    self.exceptions.append(f"script finished with status {fwd.script_finished}")
                return elapsed

    def _read_delta(self, fwd) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(el.exception.message)
        elif kind in ("markdown", "alert"):
            self.texts.append(getattr(el, kind).body)
        elif kind == "progress":
            self.progress.append(el.progress.text)
            self.progress_fragment = delta.fragment_id
        elif kind in ("slider", "text_area", "text_input", "button", "selectbox", "radio", "toggle", "checkbox",
                      "number_input"):
            w = getattr(el, kind)
            if getattr(w, "id", ""):
                self.widgets[w.label] = Widget(kind, w.id, w.label, delta.fragment_id)

    def set(self, label: str, **value) -> Widget:
        """Set a widget's value as the browser would (value=WidgetState field, e.g. double_array_value=[3])."""
        w = self.widgets[label]
        state = WidgetState(id=w.id)
        for name, v in value.items():
            target = getattr(state, name)
            if hasattr(target, "data"):
                target.data.extend(v)
            else:
                setattr(state, name, v)
        self.states[w.id] = state
        return w

    async def change(self, label: str, **value) -> float:
        """Set a widget and rerun (only its fragment, if it lives in one); seconds."""
        w = self.set(label, **value)
        return await self.rerun(fragment_id=w.fragment_id)

    def upload(self, file_id: str, data: bytes, name: str = "upload.bin") -> int:
        """PUT a file to Streamlit's upload endpoint for this session, as a browser's uploader does; the status."""
        boundary = "rnnvizbenchboundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"{self.url}/_stcore/upload_file/{self.session_id}/{file_id}", data=body,
                                         method="PUT", headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                                **self.headers})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as e:
            return e.code

    async def click(self, label: str) -> float:
        w = self.widgets[label]
        self.states[w.id] = WidgetState(id=w.id, trigger_value=True)
        seconds = await self.rerun(fragment_id=w.fragment_id)
        del self.states[w.id]    # a trigger fires once, as in the browser
        return seconds
