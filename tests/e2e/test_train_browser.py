"""A live training run in Chromium: the chart visibly grows between two looks."""
import pytest
from conftest import cut_labels, no_exception, settle, shot, wait_in_page

from rnnviz.settings import TASKS
from rnnviz.words import LANGS, language, say

POINTS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const curves = plots.find(p => (p.layout && p.layout.title && p.layout.title.text || '').includes('training curves'));
  return curves && curves.data.length && curves.data[0].x.length ? curves.data[0].x[curves.data[0].x.length - 1]
    : -1;                                                   // its last step (-1: no point yet, or no figure)
}"""
CURVES_READY = """() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
  (p.layout && p.layout.title && p.layout.title.text || '').includes('training curves') && p.querySelector('.xtick'))"""


def last_step_past(page, n: int) -> int:
    """The curves' last step once it is past n. Each redraw replaces the plot, so one look can fall between the
    old plot and the new one: wait for a look that finds it."""
    return page.wait_for_function(f"() => {{ const s = ({POINTS})(); return s > {n} ? s : false; }}",
                                  timeout=30_000).json_value()


def test_live_training_grows_the_chart(server, page):
    page.goto(server + "/?view=train")
    settle(page)
    no_exception(page)
    page.get_by_role("combobox", name="Task").click()
    page.get_by_role("option", name="long memory").click()
    settle(page)
    steps = page.get_by_role("spinbutton", name="Steps")
    steps.fill("20000")             # a run that cannot end before Stop is pressed (minutes), within the budget
    steps.press("Enter")
    settle(page)
    page.get_by_role("button", name="▶ Start").click()
    first = last_step_past(page, 5)
    shot(page, "train-live-1", full_page=False)
    second = last_step_past(page, first)        # times out, failing the test, if the chart stops growing
    shot(page, "train-live-2", full_page=False)
    assert second > first, (first, second)
    page.get_by_role("button", name="■ Stop").click()
    page.wait_for_function("() => document.body.innerText.includes('stopped: step')", timeout=30_000)
    settle(page)
    no_exception(page)
    assert page.get_by_role("button", name="▷ Resume").is_enabled()
    last_step_past(page, second - 1)            # the curves are drawn, now still
    shot(page, "train-stopped", full_page=False)   # live captures can catch a plot mid-redraw; this one cannot


def test_the_curve_draws_while_a_run_trains_at_the_real_pace(server, page):
    """At the "real" pace (as fast as it goes) no figure appeared until the run had ended (apple: 3 s): the figure,
    first drawn mid-run, waited seconds for plotly's script. Its axes are drawn before Start, and the curve has
    points while the run still trains."""
    steps = 400
    page.goto(server + f"/?view=train&tr_steps={steps}")
    settle(page)
    assert page.get_by_role("combobox", name="Pace (for a class to watch)").input_value() == "full speed"
    wait_in_page(page, "the training curves' axes before any run", CURVES_READY)
    page.get_by_role("button", name="▶ Start").click()
    last = wait_in_page(page, "a point of the curve before the run's last step",
                        f"() => {{ const s = ({POINTS})(); return s >= 1 ? s : false; }}")
    shot(page, "train-real-pace-mid-run", full_page=False)
    assert 1 <= last < steps, last                  # drawn while it trained, not once it had ended
    page.wait_for_function("() => document.body.innerText.includes('finished: step')", timeout=60_000)
    settle(page)
    assert last_step_past(page, last) == steps
    no_exception(page)


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


def test_pickle_and_oversized_uploads_are_refused(server, page, tmp_path):
    import pickle
    page.goto(server + "/?view=train")
    settle(page)
    evil = tmp_path / "evil.safetensors"
    evil.write_bytes(pickle.dumps({"__reduce__": "os.system"}))
    page.locator("input[type=file]").set_input_files(str(evil))
    page.wait_for_function("() => document.body.innerText.includes('Not loaded')", timeout=30_000)
    assert "not a safetensors weights file" in page.locator("body").inner_text()
    big = tmp_path / "big.safetensors"
    big.write_bytes(b"\0" * (33 * 1024 * 1024))                 # over the 32 MB the largest model needs
    page.locator("input[type=file]").set_input_files(str(big))
    page.wait_for_function("() => /32(\\.0)? ?MB/i.test(document.body.innerText)", timeout=30_000)
    no_exception(page)
    shot(page, "train-upload-too-large")


def test_huge_learning_rate_in_the_browser(server, page):
    page.goto(server + "/?view=train")
    settle(page)
    lr = page.get_by_role("spinbutton", name="Learning rate")
    lr.fill("1000000")
    lr.press("Enter")
    settle(page)
    page.get_by_role("button", name="▶ Start").click()
    page.wait_for_function("() => document.body.innerText.includes('likely cause is the learning rate')",
                           timeout=30_000)
    # the fragment shows the message first; the whole page redraws right after with the weights panel
    page.get_by_role("button", name="Download weights (safetensors)").wait_for(state="visible", timeout=30_000)
    settle(page)
    no_exception(page)
    assert page.get_by_role("button", name="Download weights (safetensors)").count() == 1   # last good weights kept
    shot(page, "train-huge-learning-rate")


SIDEBAR_OPEN = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width > 200"


@pytest.mark.parametrize("lang", LANGS)
def test_every_task_name_fits_the_sidebar(server, page, lang):
    """The closed Task box shows its whole name at a laptop's width, and in projector type with the sidebar
    brought back (longer names were cut mid-word), in each language."""
    page.set_viewport_size({"width": 1280, "height": 768})
    for present, task in [(p, t) for p in (False, True) for t in TASKS]:
        page.goto(server + f"/?view=train&tr_task={task}&lang={lang}" + "&present=1" * present)
        settle(page)
        expand = page.get_by_test_id("stExpandSidebarButton")
        if expand.is_visible():               # a projector link folds the sidebar: bring it back, as a teacher would
            expand.click()
        page.wait_for_function(SIDEBAR_OPEN)
        box = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has=page.get_by_text(
            words_in(lang, "label.tr_task"), exact=True))
        shown = box.locator("input")
        name = words_in(lang, f"choice.tr_task.{task}")
        assert shown.input_value() == name
        assert shown.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (lang, name)


@pytest.mark.parametrize("lang", LANGS)
def test_the_run_buttons_read_whole_in_a_narrow_window(server, page, lang):
    """At 800 px with the sidebar open (half a laptop screen) the five run buttons wrap instead of cutting
    their names ("Resu…", "Comp…"), in each language."""
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(server + f"/?view=train&lang={lang}")
    settle(page)
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMain] button, [data-testid=stMain] button *')]
        .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
    assert cut == []
    with language(lang):
        for key in ("button.start", "button.stop", "button.resume", "button.reset", "button.compare"):
            page.get_by_role("button", name=say(key)).wait_for(state="visible", timeout=10_000)
        # Three runs done: the gradient maps (three plotly figures in three thin columns overflowed them) and the
        # weights buttons still read whole.
        page.get_by_role("button", name=say("button.compare")).click()
        page.get_by_text(f"GRU {say('status.done')}").wait_for(timeout=60_000)
        page.get_by_role("button", name=say("button.to_explore")).wait_for()
    settle(page)
    cut = cut_labels(page)
    if cut:
        shot(page, f"cut-{lang}-800-train-compared")
    assert cut == [], lang
    no_exception(page)


def words_in(lang: str, key: str) -> str:
    with language(lang):
        return say(key)


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_are_read_aloud_while_they_train(server, page, lang):
    """Reading numbers: Start, and the share of held-out numbers read right shows, with unseen numbers read in the
    page's language (Korean syllables or English words), as plain text."""
    page.goto(server + f"/?view=train&tr_task=numbers&tr_steps=200&lang={lang}")
    settle(page)
    no_exception(page)
    with language(lang):
        page.get_by_role("button", name=say("button.start")).click()
        held = say("numbers.held_now", share="__", n=1000, step="__").split("__")
    accuracy = wait_in_page(page, "the held-out numbers' exact readings", f"""() => {{
        const line = document.body.innerText.split('\\n').find(l => l.includes({held[1]!r}));
        return line || false; }}""", timeout=120_000)
    assert "%" in accuracy
    word = r"[가-힣]+" if lang == "ko" else r"[a-z][a-z -]*"
    row = wait_in_page(page, "an unseen number's reading", f"""() => {{
        const rows = document.body.innerText.split('\\n').filter(l => /^\\d+ → ({word})? ?(✓|✗ \\({word}\\))$/.test(l));
        return rows.length ? rows[0] : false; }}""", timeout=60_000)
    shot(page, f"train-numbers-{lang}", full_page=False)
    number = int(row.split(" → ")[0])
    assert 0 <= number <= 9999
    no_exception(page)
