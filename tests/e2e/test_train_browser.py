"""A live training run in Chromium: the chart visibly grows between two looks."""
from conftest import no_exception, settle, shot

POINTS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const curves = plots.find(p => (p.layout && p.layout.title && p.layout.title.text || '').includes('training curves'));
  return curves ? curves.data[0].x.length : -1;
}"""


def test_live_training_grows_the_chart(server, page):
    page.goto(server + "/?view=train")
    settle(page)
    no_exception(page)
    page.get_by_role("combobox", name="Task").click()
    page.get_by_role("option", name="long-range memory: recall the first token").click()
    settle(page)
    page.get_by_role("button", name="▶ Start").click()
    page.wait_for_function(f"({POINTS})() > 5", timeout=30_000)
    first = page.evaluate(POINTS)
    shot(page, "train-live-1")
    page.wait_for_timeout(1500)
    second = page.evaluate(POINTS)
    shot(page, "train-live-2")
    assert second > first, (first, second)
    page.get_by_role("button", name="■ Stop").click()
    settle(page)
    no_exception(page)
    assert "stopped" in page.locator("body").inner_text()


def test_bad_upload_is_refused(server, page, tmp_path):
    page.goto(server + "/?view=train")
    settle(page)
    bad = tmp_path / "random.safetensors"
    bad.write_bytes(bytes(range(256)) * 8)
    page.locator("input[type=file]").set_input_files(str(bad))
    page.wait_for_function("() => document.body.innerText.includes('Not loaded')", timeout=30_000)
    no_exception(page)
    assert "not a safetensors weights file" in page.locator("body").inner_text()
    shot(page, "train-bad-upload")
