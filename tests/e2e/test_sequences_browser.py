"""Lesson 001's encoder-decoder and one-to-many pages in Chromium, in Korean and English: t stepped with ◂ t ▸ and
▶ fills the attention one row per word read, and the decoder alone writes its tokens one step at a time."""
import pytest
from conftest import no_exception, settle, shot

from rnnviz import words
from rnnviz.lessons import LESSONS
from testkit.browser import wait_in_page

TRAINED = 1_200_000         # ms: the server trains each reading model once, in the background (about 10 s idle)
NUMBER = {p.id: n for n, p in enumerate(LESSONS["001"], 1)}

# The chart's plotly data in the page: how many rows (attention) or columns (decoder h_t) hold numbers yet.
FILLED = """([title, trace, axis]) => {
  const g = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]
    .find(g => g.layout && g.layout.title && String(g.layout.title.text).includes(title));
  if (!g || !g.data[trace] || !g.data[trace].z) return -1;
  let z = g.data[trace].z;                       // as sent: {dtype, bdata, shape} (base64), or nested lists
  if (!Array.isArray(z)) {
    const bytes = Uint8Array.from(atob(z.bdata), c => c.charCodeAt(0));
    const flat = z.dtype === 'f4' ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
    const [r, c] = String(z.shape).split(',').map(Number);
    z = Array.from({length: r}, (_, i) => Array.from(flat.slice(i * c, (i + 1) * c)));
  }
  z = z.map(row => Array.from(row));
  const some = a => a.some(v => v !== null && !Number.isNaN(v));
  if (axis === 'rows') return z.filter(some).length;
  return z[0].map((_, j) => z.map(row => row[j])).filter(some).length;
}"""


@pytest.fixture(scope="module", autouse=True)
def trained_meanwhile(server, browser):
    """Open both pages in both languages first: the server trains the four models at once, each in its own thread,
    so on a busy machine the tests wait for them together rather than one after another."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    for lang in ("ko", "en"):
        for page_id in ("encdec", "one_to_many"):
            open_page(server, pg, lang, page_id)
    ctx.close()


def said(lang: str, key: str, **params) -> str:
    with words.language(lang):
        return words.say(key, **params)


def open_page(server, page, lang: str, page_id: str) -> None:
    page.goto(f"{server}/?view=lessons&lesson=001&page={NUMBER[page_id]}&lang={lang}")
    settle(page)
    heading = said(lang, f"lesson.001.{page_id}.title")
    wait_in_page(page, f"the heading {heading!r}", "want => [...document.querySelectorAll('[data-testid=stMain] h3')]"
                 ".some(h => h.innerText.trim() === want)", heading)


def filled(page, title: str, trace: int, axis: str) -> int:
    return page.evaluate(FILLED, [title, trace, axis])


def wait_filled(page, title: str, trace: int, axis: str, n: int, timeout=30_000) -> None:
    wait_in_page(page, f"{n} {axis} of {title!r} filled", f"a => ({FILLED})(a) === {n}", [title, trace, axis],
                 timeout=timeout)


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").click()


@pytest.mark.timeout(1_500)                     # a busy machine: the models train within TRAINED
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_encoder_decoders_attention_fills_in_as_t_moves(server, page, lang):
    open_page(server, page, lang, "encdec")
    title = said(lang, "s2s.title")
    wait_filled(page, title, 1, "rows", 1, TRAINED)           # the model trained, t = 0: the first word's row
    settle(page)
    click(page, "seq_next")
    wait_filled(page, title, 1, "rows", 2)
    words_read = page.evaluate(FILLED.replace("filter(some).length", "length"), [title, 1, "rows"])
    click(page, "seq_play_button")                             # ▶: from t = 0 to the last word by itself
    wait_filled(page, title, 1, "rows", words_read, 60_000)
    settle(page)
    no_exception(page)
    shot(page, f"sequences-encdec-{lang}", full_page=False)


@pytest.mark.timeout(1_500)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_one_to_many_decoder_writes_a_token_a_step(server, page, lang):
    open_page(server, page, lang, "one_to_many")
    title = said(lang, "s2s.o2m_title")
    wait_filled(page, title, 0, "columns", 1, TRAINED)
    settle(page)
    click(page, "seq_next")
    wait_filled(page, title, 0, "columns", 2)
    click(page, "seq_next")
    wait_filled(page, title, 0, "columns", 3)
    wrote = said(lang, "s2s.o2m_wrote", words="").replace("*", "").strip()
    assert wrote in page.locator("[data-testid=stMain]").inner_text()
    no_exception(page)
    shot(page, f"sequences-one-to-many-{lang}", full_page=False)
