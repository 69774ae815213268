"""A bound on what one session's uploads hold in the server's memory (issue 22: twenty 31 MB PUTs to one session).

Streamlit keeps every file PUT to its upload endpoint in memory until the session ends, one per file id, without
a bound per session. The page reads each upload in the uploader's on_change callback, so once a new file arrives
the session's earlier ones are no longer needed: they go, oldest first, until the session holds at most
SESSION_BYTES. The one read of Streamlit's state beyond its documented API (the manager's `file_storage`) is here.
"""
from __future__ import annotations

from streamlit.runtime import Runtime

SESSION_BYTES = 40 * 2**20      # the largest weights file (server.maxUploadSize = 32 MB) and a training text


def install(manager=None) -> bool:
    """Bound the uploads of every session of this server (or of `manager`); True once it is in place."""
    if manager is None:
        try:
            manager = Runtime.instance().uploaded_file_mgr
        except (RuntimeError, AttributeError):     # no server (a bare script): nothing is uploaded
            return False
    if getattr(manager, "rnnviz_bounded", False):
        return True
    if not hasattr(manager, "file_storage"):        # another manager than Streamlit's in-memory one: leave it
        return False
    add = manager.add_file

    def add_file(session_id: str, file) -> None:
        add(session_id, file)
        trim(manager, session_id, keep=file.file_id)

    manager.add_file = add_file
    manager.rnnviz_bounded = True
    return True


def held(manager, session_id: str) -> int:
    """Bytes of the session's uploads the server holds."""
    return sum(len(f.data) for f in list(manager.file_storage.get(session_id, {}).values()))


def trim(manager, session_id: str, keep: str, most: int = SESSION_BYTES) -> None:
    """Let the session's earlier uploads go, oldest first, until it holds at most `most` bytes (`keep` stays)."""
    files = list(manager.file_storage.get(session_id, {}).values())     # insertion order: oldest first
    total = sum(len(f.data) for f in files)
    for f in files:
        if total <= most:
            return
        if f.file_id != keep:
            manager.remove_file(session_id, f.file_id)
            total -= len(f.data)
