"""The server's uploads are bounded per session: a new file lets the session's earlier ones go (issue 22, Medium 5)."""
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from rnnviz.ui import upload_budget

MB = 2**20


def put(manager, session: str, i: int, size: int) -> None:
    manager.add_file(session, UploadedFileRec(file_id=f"file {i}", name="w.safetensors", type="application/x",
                                              data=b"\0" * size))


def test_twenty_31_mb_uploads_to_one_session_hold_at_most_its_bound():
    manager = MemoryUploadedFileManager("/_stcore/upload_file")       # Streamlit's own, as the server makes it
    assert upload_budget.install(manager)
    for i in range(20):
        put(manager, "hostile", i, 31 * MB)
    assert upload_budget.held(manager, "hostile") <= upload_budget.SESSION_BYTES
    assert [f.file_id for f in manager.get_files("hostile", ["file 19"])] == ["file 19"]   # the newest is there
    stats = [s for family in manager.get_stats().values() for s in family]
    assert sum(s.byte_length for s in stats) <= upload_budget.SESSION_BYTES          # and the server agrees


def test_the_bound_keeps_a_weights_file_and_a_text_and_leaves_other_sessions_alone():
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    upload_budget.install(manager)
    upload_budget.install(manager)                                   # every script run installs it: once is kept
    put(manager, "classmate", 0, 31 * MB)
    put(manager, "student", 1, 31 * MB)                              # a weights file ...
    put(manager, "student", 2, 200_000)                              # ... and a training text
    assert upload_budget.held(manager, "student") == 31 * MB + 200_000
    put(manager, "student", 3, 31 * MB)                              # another weights file: the first goes
    assert [f.file_id for f in manager.get_files("student", ["file 1", "file 2", "file 3"])] == ["file 2", "file 3"]
    assert upload_budget.held(manager, "classmate") == 31 * MB


def test_the_adapter_names_the_streamlit_state_it_reads():
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    assert isinstance(manager.file_storage, dict), "Streamlit's upload manager no longer has file_storage"
    assert upload_budget.install(manager)
