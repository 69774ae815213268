"""The run store: a trained model saved under an unguessable id comes back whole, on any server, bounded."""
import json
import os

import numpy as np
import pytest

from rnnviz import store
from rnnviz import weight_files as weights
from rnnviz.train.loop import Settings, Trainer


def trained(steps=3, cell="gru") -> Trainer:
    trainer = Trainer(Settings(task="apple", cell=cell, steps=steps))
    for _ in trainer.events():
        pass
    return trainer


def info_of(trainer: Trainer) -> store.Stored:
    return store.Stored(step=trainer.step, label="this run", steps=[1, 2, 3], losses=[2.0, 1.5, 1.0],
                        accuracies=[0.0, 0.2, 0.4])


def test_a_saved_run_comes_back_with_its_weights_settings_step_and_curve(tmp_path):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer), blobs)
    again, info = store.load(run_id, store.Folder(tmp_path))         # another server: its own Folder object
    assert again.settings == trainer.settings
    assert again.step == trainer.step == 3
    for k, v in trainer.snapshot().items():
        np.testing.assert_array_equal(again.snapshot()[k].numpy(), v.numpy())
    assert (info.steps, info.losses, info.accuracies) == ([1, 2, 3], [2.0, 1.5, 1.0], [0.0, 0.2, 0.4])
    assert info.saved > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{run_id}.json", f"{run_id}.safetensors"])


def test_ids_are_long_random_and_url_safe(tmp_path):
    ids = {store.new_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(store.ID_PATTERN.fullmatch(i) for i in ids)


@pytest.mark.parametrize("bad", ["", "short", "../../etc/passwd", "a" * 17, "abc/defghijklmnop", "é" * 16, None])
def test_a_malformed_id_is_refused_before_the_store_is_read(tmp_path, bad):
    with pytest.raises(ValueError, match="not the id of a saved run"):
        store.load(bad, store.Folder(tmp_path))


def test_a_missing_run_says_so(tmp_path):
    with pytest.raises(ValueError, match="no saved run has this id"):
        store.load(store.new_id(), store.Folder(tmp_path))


def test_a_damaged_description_or_weights_file_says_so(tmp_path):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer), blobs)
    blobs.put(f"{run_id}.json", b"{not json")
    with pytest.raises(ValueError, match="damaged or not usable"):
        store.load(run_id, blobs)
    run_id = store.save(trainer, info_of(trainer), blobs)
    blobs.put(f"{run_id}.safetensors", b"\x00" * 64)
    with pytest.raises(ValueError, match="not a safetensors"):
        store.load(run_id, blobs)


def saved_in_order(blobs, folder, n: int) -> list[str]:
    """n runs of one trained model saved in `folder`, written one after the other (a clear order of writing)."""
    trainer = trained()
    ids = []
    for i in range(n):
        ids.append(store.save(trainer, info_of(trainer), blobs))
        os.utime(folder / f"{ids[-1]}.json", (1000 + i, 1000 + i))
    return ids


def test_the_store_keeps_at_most_so_many_runs_oldest_first(tmp_path):
    blobs = store.Folder(tmp_path)
    ids = saved_in_order(blobs, tmp_path, 5)
    removed = store.prune(blobs, max_runs=3)
    assert removed == ids[:2]
    assert {k.split(".")[0] for k, _, _ in blobs.list()} == set(ids[2:])


def test_the_store_keeps_at_most_so_many_bytes_oldest_first(tmp_path):
    blobs = store.Folder(tmp_path)
    ids = saved_in_order(blobs, tmp_path, 4)
    one_run = sum(n for k, _, n in blobs.list() if k.startswith(ids[0] + "."))
    removed = store.prune(blobs, max_bytes=2 * one_run + 10)
    assert removed == ids[:2]
    assert sum(n for _, _, n in blobs.list()) <= 2 * one_run + 10


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path):
    blobs = store.Folder(tmp_path)
    blobs.put("k.json", b"one")
    blobs.put("k.json", b"two")
    assert blobs.get("k.json") == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]


def test_the_stored_description_is_plain_json_never_pickle(tmp_path):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer), blobs)
    assert json.loads(blobs.get(f"{run_id}.json"))["step"] == 3
    assert blobs.get(f"{run_id}.safetensors")[8:9] == b"{"            # a safetensors header follows its length


def test_the_store_folder_and_backend_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path / "shared"))
    monkeypatch.setenv("RNNVIZ_STORE_BACKEND", "rnnviz.store:Folder")
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer))
    assert (tmp_path / "shared" / f"{run_id}.json").exists()
    assert store.load(run_id)[0].step == 3


# The page's side: a saved run's link opens it; a bad or lost one gets a note and a working page.

def saved_run(tmp_path, monkeypatch, steps=3) -> tuple[str, Trainer]:
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path))
    trainer = trained(steps)
    return store.save(trainer, info_of(trainer)), trainer


def query(at) -> dict[str, str]:
    return {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}


def test_a_saved_runs_link_opens_it_as_a_finished_run_in_the_train_view(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception
    run_id, trainer = saved_run(tmp_path, monkeypatch)
    at = new_app(view="train", run=run_id)
    no_exception(at)
    assert [p.proto.text for p in at.get("progress")] == ["weights loaded: step 3/3"]
    run = at.session_state["runs"]["this run"]
    assert run.settings == trainer.settings and run.losses == [2.0, 1.5, 1.0]
    for k, v in trainer.snapshot().items():
        np.testing.assert_array_equal(run.trainer.snapshot()[k].numpy(), v.numpy())
    assert query(at)["run"] == run_id                       # the address bar keeps the id: a reload opens it again
    at.button(key="tr_explore").click().run()
    no_exception(at)
    assert "view" not in query(at) and query(at)["run"] == run_id      # Explore: the default view


def test_an_explore_link_with_a_saved_run_opens_its_weights(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception
    run_id, _ = saved_run(tmp_path, monkeypatch)
    at = new_app(run=run_id, text="apple")
    no_exception(at)
    assert at.session_state["explore_weights"] is not None
    assert at.session_state["explore_weights"].name.startswith(f"{run_id}: ")


def test_saving_puts_the_run_in_the_store_and_its_id_in_the_link(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception, texts
    first, _ = saved_run(tmp_path, monkeypatch)
    at = new_app(view="train", run=first)
    at.button(key="tr_share").click().run()
    no_exception(at)
    new = query(at)["run"]
    assert new != first and store.load(new)[0].step == 3
    assert "Saved for the class" in texts(at)
    assert any(f"run={new}" in c.value for c in at.get("code"))


@pytest.mark.parametrize("bad, says", [("../../../etc/passwd", "not the id of a saved run"),
                                       ("A" * 16, "no saved run has this id")])
def test_a_bad_or_missing_run_id_gets_a_note_and_a_working_page(tmp_path, monkeypatch, bad, says):
    from apptest_helpers import new_app, no_exception, texts
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path))
    at = new_app(view="train", run=bad)
    no_exception(at)
    assert says in texts(at) and "could not be opened" in texts(at)
    assert at.button(key="tr_start").disabled is False and "runs" not in at.session_state
    assert "run" not in query(at)


def test_a_link_from_a_page_with_an_unsaved_run_says_it_cannot_come_back(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception, texts
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path))
    at = new_app(view="train", tr_cell="gru", unsaved="1")
    no_exception(at)
    assert "was not saved for the class" in texts(at) and at.selectbox(key="tr_cell").value == "gru"
    assert "unsaved" not in query(at)                       # this page holds no run: the link says so no more


def test_a_model_too_large_to_open_again_is_refused_with_its_size(tmp_path):
    blobs = store.Folder(tmp_path)
    trainer = Trainer(Settings(task="text", text="".join(chr(0xAC00 + i) for i in range(4095)), cell="lstm",
                               hidden=256, layers=4, steps=1))
    blobs_limit = weights.MAX_BYTES
    weights.MAX_BYTES = 8 * 2**20                     # a deployment with a smaller cap than this model
    try:
        with pytest.raises(ValueError, match=r"weights take \d+\.\d MB; a saved run can take at most 8 MB"):
            store.save(trainer, info_of(trainer), blobs)
    finally:
        weights.MAX_BYTES = blobs_limit
    assert blobs.list() == []


# Issue 22: a hostile student against the class's store.

def one_run_bytes(blobs, run_id) -> int:
    return sum(n for k, _, n in blobs.list() if k.startswith(run_id + "."))


def test_a_student_cannot_evict_the_teachers_run_and_is_told_their_share(tmp_path, monkeypatch):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    teacher = store.save(trainer, info_of(trainer), blobs, client="ip:10.0.0.1")
    size = one_run_bytes(blobs, teacher)
    monkeypatch.setattr(store, "MAX_BYTES", 6 * size)             # a store of six runs ...
    monkeypatch.setattr(store, "CLIENT_BYTES", 3 * size)          # ... and a student's share of three
    saved = []
    with pytest.raises(ValueError, match=r"the runs saved from your browser already take [\d.]+ MB of the"):
        for _ in range(10):                                       # issue 22: "Save for the class" ten times
            saved.append(store.save(trainer, info_of(trainer), blobs, client="ip:10.0.0.66"))
    assert len(saved) == 3
    assert store.load(teacher, blobs)[0].step == 3                # the teacher's link still opens
    assert all(store.load(r, blobs) for r in saved)               # and the student's saves are all kept


def test_a_full_store_lets_go_of_the_biggest_holders_runs_first(tmp_path):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    teacher = store.save(trainer, info_of(trainer), blobs, client="teacher")
    os.utime(tmp_path / f"{teacher}.json", (500, 500))            # the oldest run of all
    students = []
    for i in range(3):
        for j in range(2):
            students.append(store.save(trainer, info_of(trainer), blobs, client=f"student {i}"))
            os.utime(tmp_path / f"{students[-1]}.json", (1000 + 10 * j + i, 1000 + 10 * j + i))
    removed = store.prune(blobs, max_runs=4)
    assert teacher not in removed and len(removed) == 3
    assert sorted(removed) == sorted(students[:6:2])              # each student's oldest: one run each
    assert store.load(teacher, blobs)[0].step == 3


def test_many_small_saves_do_not_push_out_one_big_run(tmp_path):
    blobs = store.Folder(tmp_path)
    teacher = store.save(trained(cell="lstm"), info_of(trained()), blobs, client="teacher")
    small = [store.save(trained(), info_of(trained()), blobs, client="student") for _ in range(5)]
    removed = store.prune(blobs, max_runs=4, max_bytes=10**9)
    assert teacher not in removed and set(removed) <= set(small)


def test_the_store_names_a_client_by_a_digest_never_its_address(tmp_path):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer), blobs, client="ip:203.0.113.9")
    assert b"203.0.113" not in blobs.get(f"{run_id}.json")
    assert store.load(run_id, blobs)[1].owner == store.owner_of("ip:203.0.113.9")


NESTED = b"[" * 50_000 + b"]" * 50_000


@pytest.mark.parametrize("meta", [NESTED, b'{"step": ' + b"9" * 400 + b', "label": "x", "steps": [], "losses": [], '
                                  b'"accuracies": [], "saved": ' + b"9" * 400 + b"}",
                                  b'{"step": 1e400, "label": "x", "steps": [], "losses": [], "accuracies": []}',
                                  b'{"step": 1, "label": "x", "steps": [], "losses": [' + b"9" * 400 + b'], '
                                  b'"accuracies": []}', b"[1, 2]", b'"text"'],
                         ids=["nested", "400 digits", "1e400", "400-digit loss", "a list", "a string"])
def test_a_crafted_description_is_damaged_or_not_usable(tmp_path, meta):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer), blobs)
    blobs.put(f"{run_id}.json", meta)
    with pytest.raises(ValueError, match="damaged or not usable"):
        store.load(run_id, blobs)
    store.prune(blobs)                                           # the store's bookkeeping reads it as well


@pytest.mark.parametrize("which", ["json", "safetensors"])
def test_a_folder_where_a_runs_file_belongs_is_damaged_and_never_removed(tmp_path, which):
    blobs = store.Folder(tmp_path)
    trainer = trained()
    run_id = store.save(trainer, info_of(trainer), blobs)
    (tmp_path / f"{run_id}.{which}").unlink()
    (tmp_path / f"{run_id}.{which}").mkdir()
    with pytest.raises(ValueError, match="damaged or not usable"):
        store.load(run_id, blobs)
    store.save(trainer, info_of(trainer), blobs)                  # saving (and pruning) goes on around it
    assert (tmp_path / f"{run_id}.{which}").is_dir()


def test_a_link_to_a_folder_run_gets_a_note_in_the_pages_language_and_a_working_page(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception, texts
    run_id, _ = saved_run(tmp_path, monkeypatch)
    (tmp_path / f"{run_id}.json").unlink()
    (tmp_path / f"{run_id}.json").mkdir()
    at = new_app(view="train", run=run_id, lang="ko")
    no_exception(at)
    assert "저장된 실행이 손상되었거나 쓸 수 없습니다" in texts(at)
    assert at.button(key="tr_start").disabled is False


def test_a_page_past_its_students_share_is_told_so_and_keeps_its_saved_run(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception, texts
    first, _ = saved_run(tmp_path, monkeypatch)
    monkeypatch.setattr(store, "CLIENT_BYTES", int(1.5 * one_run_bytes(store.Folder(tmp_path), first)))
    at = new_app(view="train", run=first, lang="ko")
    at.button(key="tr_share").click().run()
    mine = query(at)["run"]
    at.button(key="tr_share").click().run()
    no_exception(at)
    assert "학생 한 명은 반의 저장소에 최대" in texts(at)
    assert query(at)["run"] == mine and store.load(mine)[0].step == 3


# A run of any task of the table is saved and opened again: the numbers task (an encoder-decoder) too.

def numbers_trained(steps=30, lang="ko"):
    from rnnviz.train import Trainer as TableTrainer
    trainer = TableTrainer(Settings(task="numbers", lang=lang, hidden=16, steps=steps))
    for _ in trainer.events():
        pass
    return trainer


def test_a_saved_numbers_run_comes_back_reading_as_it_did(tmp_path):
    from rnnviz.train.seq2seq import NumbersTrainer
    trainer = numbers_trained()
    run_id = store.save(trainer, info_of(trainer), store.Folder(tmp_path))
    again, _ = store.load(run_id, store.Folder(tmp_path))
    assert isinstance(again, NumbersTrainer) and again.settings == trainer.settings and again.step == 30
    for k, v in trainer.snapshot().items():
        np.testing.assert_array_equal(again.snapshot()[k].numpy(), v.numpy())
    held = [int(n) for n in again.task.held_out[:50]]
    assert again.read(np.array(held)) == trainer.read(np.array(held))
    event = again.saved_event()                          # its own step, scored as a training step is: no update
    assert event.step == 30 and event.held_accuracy == trainer.held_accuracy() and len(event.readings) == 4
    for k, v in trainer.snapshot().items():
        np.testing.assert_array_equal(again.snapshot()[k].numpy(), v.numpy())


def test_a_numbers_run_is_saved_from_the_train_view_and_its_link_opens_it_with_its_readings(tmp_path, monkeypatch):
    from apptest_helpers import new_app, no_exception, wait_until
    monkeypatch.setenv("RNNVIZ_STORE", str(tmp_path))
    at = new_app(view="train", tr_task="numbers", tr_steps="20", lang="ko")
    at.button(key="tr_start").click().run()
    wait_until(at, lambda a: [b for b in a.button if b.key == "tr_share"], "the numbers run to finish and its weights panel to show")
    assert not [b for b in at.button if b.key == "tr_explore"]     # an encoder-decoder is not Explore's to step
    assert at.get("download_button"), "no download button for the numbers model"
    at.button(key="tr_share").click().run()
    no_exception(at)
    run_id = query(at)["run"]
    shared = at.session_state["runs"]["this run"].trainer
    student = new_app(view="train", run=run_id, lang="ko")         # a student opens the teacher's link
    no_exception(student)
    opened = student.session_state["runs"]["this run"].trainer
    assert type(opened) is type(shared) and opened.step == 20
    said = [t.value for t in student.get("text")]
    readings = [line for t in said for line in t.split("\n") if " → " in line]
    assert len(readings) == 4, said                                 # the shown unseen numbers, read by the model
    for line in readings:                                           # "2026 → 이천이십육 ✓" or "… ✗ (이천이십육)"
        number, got = line.split(" → ", 1)
        got = got.removesuffix(" ✓") if got.endswith(" ✓") else got.split(" ✗ (")[0]
        assert got == opened.read(np.array([int(number)]))[0], line
    assert any("%" in t and "20" in t for t in said), said         # the held-out share at the saved step


def test_the_train_view_sends_a_text_lab_file_to_the_lab(tmp_path):

    from rnnviz.train.charrnn import CharTrainer
    lab = CharTrainer(Settings(task="lab", text="a text to learn from, " * 20, hidden=8, steps=1))
    path = tmp_path / weights.download_name("lstm")
    path.write_bytes(weights.to_bytes(lab))
    from rnnviz.ui import train_view
    with pytest.raises(ValueError, match="text lab"):
        weights.from_bytes(path.read_bytes(), make=train_view.trainer_of)
