"""Two real Streamlit servers behind a real HAProxy (deploy/), driven by real Chromium: sticky sessions, live
training, uploads through XSRF, saved runs on either server, and failover when a server is killed."""
import os

import pytest
from conftest import no_exception, runs_ended, settle, wait_for_rerun, watch_messages

from deploy.proxy import COOKIE, config
from deploy.supervise import Cluster
from testkit import waiting
from testkit.stclient import Session

FAILOVER_SECONDS = 10          # the target on an idle machine: a killed server's students are back on their view


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def cluster(store_dir):
    with Cluster(2, env={"RNNVIZ_STORE": str(store_dir)}) as c:
        yield c


@pytest.fixture
def both_up(cluster):
    """Every test starts with both servers up and routed to; a server a test killed is started again."""
    for i, proc in enumerate(cluster.servers):
        if proc.poll() is not None:
            cluster.restart_server(i)
    return cluster


def server_of(page) -> int:
    """The index of the server the proxy's cookie gives this browser."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return int(cookies[COOKIE][1:]) - 1


def wait_for(what: str, predicate, seconds: float, page):
    """Poll `predicate` for `seconds` (stretched by how busy this machine is); Playwright handles the page's events
    meanwhile."""
    waiting.wait_for(what, predicate, waiting.scaled(seconds), every=0.1, pause=lambda s: page.wait_for_timeout(s * 1000))


def kill_and_wait_for_reconnect(cluster, page) -> int:
    """Kill the page's server; wait until the page has a new websocket through the proxy to the other server and
    its script has run there. Returns the killed server's index."""
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws))
    dead, ended = server_of(page), runs_ended(page)
    cluster.kill_server(dead)
    wait_for("the page to reconnect to the other server", lambda: sockets and server_of(page) != dead,
             FAILOVER_SECONDS, page)
    wait_for_rerun(page, ended, "the page's script to run on the other server", waiting.scaled(FAILOVER_SECONDS) * 1000)
    return dead


def body_has(page, text: str, seconds: float = 60):
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=seconds * 1000)


def step_title(page) -> str:
    return page.locator("[data-testid=stPlotlyChart] .gtitle").first.text_content()


def saved_weights(tmp_path):
    from rnnviz import weight_files as weights
    from rnnviz.train.loop import Settings, Trainer
    trainer = Trainer(Settings(task="apple", cell="gru", steps=2))
    for _ in trainer.events():
        pass
    path = tmp_path / "apple.safetensors"
    path.write_bytes(weights.to_bytes(trainer))
    return path


def test_the_proxy_config_names_one_checked_sticky_server_per_port():
    text = config([4001, 4002, 4003], 8600, "0.0.0.0")
    assert "bind 0.0.0.0:8600" in text and "option httpchk GET /_stcore/health" in text
    assert f"cookie {COOKIE} insert" in text and "timeout tunnel" in text
    assert [line.split()[1:] for line in text.splitlines() if line.strip().startswith("server ")] == [
        ["s1", "127.0.0.1:4001", "cookie", "s1"], ["s2", "127.0.0.1:4002", "cookie", "s2"],
        ["s3", "127.0.0.1:4003", "cookie", "s3"]]


def test_a_class_stops_every_process_it_started_by_pid():
    with Cluster(1) as c:
        pids, run_dir = c.pids(), c.run_dir
        assert len(pids) == 2 and all(os.path.exists(f"/proc/{p}") for p in pids)
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
    assert not run_dir.exists()


def test_through_the_proxy_a_page_keeps_its_server_trains_live_uploads_and_saves(both_up, page, tmp_path):
    page.goto(both_up.url + "/?view=train")
    settle(page)
    no_exception(page)
    first = server_of(page)
    page.get_by_role("button", name="▶ Start").click()
    body_has(page, "finished: step 100/100", 120)          # live training: the fragment polls through the proxy
    assert server_of(page) == first
    page.locator("input[type=file]").set_input_files(str(saved_weights(tmp_path)))   # an upload: XSRF is on
    body_has(page, "Loaded apple.safetensors")
    settle(page)
    page.get_by_role("button", name="Save for the class (link)").click()
    body_has(page, "Saved for the class")
    wait_for("run= in the address bar", lambda: "run=" in page.url, 10, page)
    assert server_of(page) == first
    no_exception(page)


def test_a_saved_runs_link_opens_the_model_on_either_server(both_up, browser, store_dir):
    from rnnviz import store
    from rnnviz.train.loop import Settings, Trainer
    trainer = Trainer(Settings(task="apple", cell="lstm", steps=4))
    for _ in trainer.events():
        pass
    run_id = store.save(trainer, store.Stored(step=4, label="this run", steps=[1, 2, 3, 4], losses=[2, 1.5, 1, 0.5],
                                              accuracies=[0, 0.2, 0.4, 0.6]), store.Folder(store_dir))
    for i in (0, 1):
        ctx = browser.new_context()
        host = both_up.url.split("//")[1].split(":")[0]
        ctx.add_cookies([{"name": COOKIE, "value": f"s{i + 1}", "domain": host, "path": "/"}])
        page = ctx.new_page()
        watch_messages(page)
        page.goto(both_up.url + f"/?view=train&run={run_id}")
        settle(page)
        body_has(page, "weights loaded: step 4/4")
        assert server_of(page) == i
        assert "could not be opened" not in page.locator("body").inner_text()
        no_exception(page)
        ctx.close()


def test_a_killed_servers_page_comes_back_on_its_view_through_the_other(both_up, page):
    page.goto(both_up.url + "/?text=proxy+lab&cell=lstm&t=3")
    settle(page)
    assert "t = 3" in step_title(page)
    kill_and_wait_for_reconnect(both_up, page)
    box = page.get_by_role("textbox", name="Text")
    assert box.input_value() == "proxy lab" and "t = 3" in step_title(page)
    box.fill("after failover")                    # the other server holds a live session of this view
    box.press("Control+Enter")
    wait_for("the new text in the link", lambda: "text=after+failover" in page.url, 30, page)
    assert "cell=lstm" in page.url
    no_exception(page)


def test_a_saved_run_survives_its_server_and_an_upload_works_after_failover(both_up, page, tmp_path):
    page.goto(both_up.url + "/?view=train")
    settle(page)
    page.get_by_role("button", name="▶ Start").click()
    body_has(page, "finished: step 100/100", 120)
    page.get_by_role("button", name="Save for the class (link)").click()
    wait_for("run= in the address bar", lambda: "run=" in page.url, 10, page)
    kill_and_wait_for_reconnect(both_up, page)
    body_has(page, "weights loaded: step 100/100")           # opened from the shared store by the other server
    page.locator("input[type=file]").set_input_files(str(saved_weights(tmp_path)))   # its XSRF cookie still works
    body_has(page, "Loaded apple.safetensors")
    no_exception(page)


def test_a_run_still_training_when_its_server_dies_is_said_plainly(both_up, page):
    # minutes of training, within a student's budget (100,000 memory steps would be refused: about 45 minutes)
    page.goto(both_up.url + "/?view=train&tr_task=memory&tr_steps=20000")
    settle(page)
    page.get_by_role("button", name="▶ Start").click()
    body_has(page, "training: step")
    wait_for("unsaved=1 in the link", lambda: "unsaved=1" in page.url, 10, page)
    kill_and_wait_for_reconnect(both_up, page)
    body_has(page, "was not saved for the class", waiting.scaled(FAILOVER_SECONDS))
    settle(page)
    assert page.get_by_role("button", name="▶ Start").is_enabled()
    assert "tr_task=memory" in page.url
    no_exception(page)


# --- issue 22: the proxy says whose each request is, and refuses bodies past the largest upload --------------------

def test_the_proxy_refuses_a_body_larger_than_the_largest_upload_before_it_is_sent(both_up):
    import urllib.error
    import urllib.request

    from deploy.proxy import MAX_BODY
    request = urllib.request.Request(f"{both_up.url}/", method="POST", data=b"",         # no server would say 413
                                     headers={"Content-Length": str(MAX_BODY + 1)})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413


def test_through_the_proxy_a_students_tabs_are_one_student_whatever_they_claim(both_up):
    """Two tabs of one browser (one address) on one server, each sending a made-up X-Forwarded-For: the proxy puts
    the real address in its place, so the second tab meets the first's budget."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def tabs() -> list[str]:
        opened = [Session(both_up.url, query=f"view=train&tr_task=memory&tr_steps={20_000 + i}",
                          headers={"X-Forwarded-For": claimed, "Cookie": f"{COOKIE}=s1"})
                  for i, claimed in enumerate(("10.9.9.1", "10.9.9.2"))]
        told = []
        for s in opened:
            await s.open()
            await s.click("Compare cells")
            told.append(next((t for t in s.texts if "Not started" in t), ""))
        for s in opened:
            await s.click("■ Stop") if "■ Stop" in s.widgets else None
            await s.close()
        return told

    with ThreadPoolExecutor(1) as thread:           # Playwright's pages keep an event loop in this thread
        first, second = thread.submit(lambda: asyncio.run(tabs())).result()
    assert first == "" and "at most 3 runs" in second, (first, second)
