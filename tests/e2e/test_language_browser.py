"""The whole page in Korean and in English, as a reader sees it in Chromium: every Explore tab and the Train view,
its text and its figures' words, with no sentence left in the other language; and the language switch."""
import json
import re
import string

import pytest
from conftest import no_exception, settle, shot, wait_in_page, watch_messages
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rnnviz.lab import corpus
from rnnviz.settings import PANELS
from rnnviz.train.tasks import make_task
from rnnviz.words import NAMES, catalogue, current, language, say

# What a reader sees: the main area's and the sidebar's text, without code blocks (Python is English), the figures
# (read from their layouts below) and the icons' ligature names ("keyboard_arrow_right"); and the tables' cells
# (drawn on a canvas, read from the grid's accessible cells).
VISIBLE_TEXT = """() => {
  const hide = [...document.querySelectorAll('[data-testid=stCode], .js-plotly-plot, [data-testid=stIconMaterial]')];
  hide.forEach(e => e.style.setProperty('display', 'none', 'important'));
  const text = ['stMain', 'stSidebar'].map(id => document.querySelector(`[data-testid=${id}]`)?.innerText || '');
  hide.forEach(e => e.style.removeProperty('display'));
  const cells = [...document.querySelectorAll('[data-testid=stDataFrame]')].filter(d => d.checkVisibility())
    .flatMap(d => [...d.querySelectorAll('[role=gridcell], [role=columnheader]')].map(c => c.textContent));
  return [...text, ...cells]; }"""

# Every figure's words: title, axis titles, colour-bar titles, annotations, update-menu (▶ Play) labels, the
# animation slider's prefix, legend names and hover templates. Plotly fills an untitled axis with its editing
# placeholder ("Click to enter X axis title"), shown only in an editable chart: those are left out.
FIGURE_WORDS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => {
  const L = p._fullLayout, out = [], placeholders = Object.values(L._dfltTitle || {});
  const add = x => { if (x && !placeholders.includes(x)) out.push(String(x)); };
  add(L.title?.text);
  Object.keys(L).filter(k => /^[xy]axis\\d*$/.test(k)).forEach(k => add(L[k].title?.text));
  (L.annotations || []).forEach(a => add(a.text));
  (L.updatemenus || []).forEach(m => (m.buttons || []).forEach(b => add(b.label)));
  (L.sliders || []).forEach(s => add(s.currentvalue?.prefix));
  p._fullData.forEach(d => { add(d.colorbar?.title?.text); if (L.showlegend && d.showlegend) add(d.name);
                             add(d.hovertemplate); });
  return out; })"""
FIGURES_DRAWN = """() => { const p = [...document.querySelectorAll('.js-plotly-plot')];
  return p.length > 0 && p.every(x => x._fullLayout && x._fullData); }"""

# The lessons' own examples (the Korean preset's sentence in its English name too) and the user's text and tokens
# on these pages: the lesson's words, not the page's sentences.
EXAMPLES = ("We are going to watch Avengers End Game", "hello", "apple", "pple!", "나는 오늘 학교에 간다")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
# An English word. Names in capitals (RNN, GRU, PCA) and single letters but "a" and "I" (the lessons' math: the
# gates i, f, g, o and r, z, n, h, t, x) are not words.
WORD = re.compile(r"[aAI]|[A-Za-z][a-z]+(?:'[a-z]+)?")
EDGES = "()[]{}\"'“”‘’«»,.:;!?…"


def shown(text: str) -> str:
    """Plotly's label text as it reads: no tags, no %{...} fields, no <extra> box."""
    text = re.sub(r"<extra>.*?</extra>", " ", text)
    text = re.sub(r"%\{[^}]*\}", " ", text)
    text = re.sub(r"</?su[bp]>", "_", text)                  # h<sub>t</sub>: one name, h_t
    return re.sub(r"<[^>]+>", " ", text)


def without_examples(text: str) -> str:
    for example in EXAMPLES:
        text = text.replace(example, " ")
    return text


def english_runs(text: str, n: int = 3) -> list[str]:
    """Runs of n or more English words in a row. A token is a word only if it is letters alone (after its edge
    punctuation): code (`nn.RNN`, `h_t`, `W_x`, `weight_hh_l0`), numbers and names in capitals break a run."""
    runs, run = [], []
    for token in shown(text).split():
        word = token.strip(EDGES)
        if WORD.fullmatch(word) and (not word.isupper() or word in ("A", "I")):
            run.append(word)
            continue
        runs.append(run)
        run = []
    runs.append(run)
    return [" ".join(r) for r in runs if len(r) >= n]


def wrong_language(lang: str, seen: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(where, what, the text it is in) for each English sentence on a Korean page, or Hangul on an English one."""
    found = []
    for where, texts in seen.items():
        for text in texts:
            for line in text.splitlines():
                plain = without_examples(line)
                bad = english_runs(plain) if lang == "ko" else HANGUL.findall(plain)
                found += [(where, "".join(bad) if lang == "en" else run, line[:160]) for run in bad[:1 if lang == "en" else None]]
    return found


def look(page) -> list[str]:
    return page.evaluate(VISIBLE_TEXT) + page.evaluate(FIGURE_WORDS)


TIPS = "[data-testid=stTooltipContent]"


def opened(page, lang) -> list[str]:
    """The words a reader opens: every help tooltip (hovered), and every select box's choices but the language
    switch's (it names each language in that language)."""
    page.get_by_role("combobox").nth(1).wait_for()        # the page's boxes are drawn, not only the language box
    said = []
    for target in page.locator("[data-testid=stTooltipHoverTarget]").all():
        if not target.is_visible():
            continue
        target.hover()
        tip = page.locator(TIPS).first
        tip.wait_for()
        said.append(tip.inner_text())
        page.mouse.move(0, 0)
        page.wait_for_function(f"() => !document.querySelector('{TIPS}')")
    names = [box.get_attribute("aria-label") for box in page.get_by_role("combobox").all() if box.is_visible()]
    for name in names:
        if name == say("label.lang"):
            continue
        said += choices(page, page.get_by_role("combobox", name=name, exact=True))
    assert said, "no help and no choices found"
    return said


def choices(page, box) -> list[str]:
    """A select box's choices, opened and closed again (a click now and then does not open it: once more)."""
    option = page.get_by_role("option").first
    for _ in range(3):
        box.click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    shown = page.get_by_role("option").all_text_contents()
    page.keyboard.press("Escape")
    option.wait_for(state="detached")
    assert shown, box
    return shown


def fixed(key: str) -> str:
    """The longest part of a catalogue entry (in the current language) that no parameter changes: a message to
    wait for."""
    return max((literal for literal, *_ in string.Formatter().parse(catalogue(current())[key])), key=len).strip()


def walk_explore(page, server, lang) -> dict[str, list[str]]:
    """Every Explore tab with the output layer on (switched on in the sidebar) and every expander open."""
    seen = {}
    page.goto(f"{server}/?lang={lang}")
    settle(page)
    page.get_by_text(say("label.out"), exact=True).click()
    settle(page)
    for panel in PANELS:
        page.get_by_role("tab", name=say(f"choice.panel.{panel}"), exact=True).click()
        settle(page)
        if panel != "code":
            page.wait_for_function(FIGURES_DRAWN)
        if panel == "step":
            seen["Explore, help and choices"] = opened(page, lang)
        for summary in page.locator("[data-testid=stMain] [data-testid=stExpander] summary").all():
            if summary.is_visible() and summary.locator("xpath=..").get_attribute("open") is None:
                summary.click()
                settle(page)
        page.wait_for_function(FIGURES_DRAWN if panel != "code" else "() => true")
        no_exception(page)
        seen[f"Explore, tab {panel}"] = look(page)
        if panel == "step" and lang == "ko":
            page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
            shot(page, "language-ko-explore-step", full_page=False)
    page.goto(f"{server}/?lang={lang}&H=0&L=zz&cell=gru")          # a link with bad values: its notes
    settle(page)
    box = page.get_by_role("textbox", name=say("label.text"))
    box.fill("   ")                                                # and an empty text: its message
    box.press("Control+Enter")
    settle(page)
    page.get_by_text(fixed("text.empty")).wait_for()
    page.wait_for_function(FIGURES_DRAWN)
    no_exception(page)
    seen["Explore, a bad link and an empty text"] = look(page)
    return seen


def run_until(page, text: str) -> None:
    """Start a training run and wait until the page says `text` and the finished run is drawn."""
    page.get_by_role("button", name=say("button.start")).click()
    page.wait_for_function(f"() => document.body.innerText.includes({json.dumps(text)})", timeout=60_000)
    page.get_by_role("button", name=say("button.download_weights")).wait_for(timeout=30_000)
    settle(page)
    page.wait_for_function(FIGURES_DRAWN)
    no_exception(page)


def walk_train(page, server, lang) -> dict[str, list[str]]:
    """The Train view empty, after an apple run to its end, and after a run that diverges (a huge learning rate)."""
    seen = {}
    page.goto(f"{server}/?lang={lang}&view=train")
    settle(page)
    seen["Train, before a run"] = look(page)
    seen["Train, help and choices"] = opened(page, lang)
    steps = make_task("apple").defaults["steps"]
    done = f"{say('status.done')}: {say('status.step', step=steps, steps=steps)}"
    run_until(page, done)
    seen["Train, an apple run finished"] = look(page)
    if lang == "ko":
        shot(page, "language-ko-train", full_page=False)
    lr = page.get_by_role("spinbutton", name=say("label.tr_lr"))
    lr.fill("1000000")
    lr.press("Enter")
    settle(page)
    run_until(page, fixed("nan"))
    seen["Train, a run diverged (learning rate 1000000)"] = look(page)
    return seen


def open_drawn(page, url: str) -> None:
    """Open a page and wait until its script run has ended and its figures are drawn."""
    page.goto(url)
    settle(page)
    page.wait_for_function(FIGURES_DRAWN)


def lab_sampled(page) -> None:
    """Start the text lab's short run and wait for its first sample and figures."""
    page.get_by_role("button", name=say("lab.start")).click()
    page.wait_for_function("w => document.body.innerText.includes(w)", arg=fixed("lab.sample_at"), timeout=90_000)
    settle(page)
    page.wait_for_function(FIGURES_DRAWN)


def walk_lessons_and_lab(page, server, lang) -> dict[str, list[str]]:
    """A lesson's pages (the first and the next), and the text lab after a short run."""
    seen = {}
    open_drawn(page, f"{server}/?lang={lang}&view=lessons&lesson=001")
    seen["Lessons, lesson 001 page 1"] = look(page)
    open_drawn(page, f"{server}/?lang={lang}&view=lessons&lesson=001&page=2")
    seen["Lessons, lesson 001 page 2"] = look(page)
    page.goto(f"{server}/?lang={lang}&view=lab&lab_steps=20&lab_hidden=16")
    settle(page)
    lab_sampled(page)
    no_exception(page)
    corpus_words = re.compile(r"\b(" + "|".join(corpus.WORDS) + r")\b")     # the lab's text, quoted by its sentences
    seen["Text lab, after a run"] = [corpus_words.sub(" ", text) for text in look(page)]
    return seen


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_view_speaks_one_language(server, page, lang):
    """Korean: no English sentence in the text or the figures (code, names, numbers and the lessons' English
    examples aside). English: no Hangul outside the user's text."""
    with language(lang):
        seen = (walk_explore(page, server, lang) | walk_train(page, server, lang)
                | walk_lessons_and_lab(page, server, lang))
    assert all(seen.values()), {where: len(texts) for where, texts in seen.items()}
    found = wrong_language(lang, seen)
    assert found == [], "\n".join(f"{where}: {what!r} in {line!r}" for where, what, line in found)


def test_the_checks_find_the_other_language():
    """The checks above can fail: English sentences, and Hangul, are found; code and examples are not."""
    assert english_runs("The likely cause is the learning rate") == ["The likely cause is the learning rate"]
    assert english_runs("<b>many-to-one: y = σ(W_y·h_T)</b> 시점마다 nn.RNN / LSTM / GRU → Linear") == []
    assert english_runs(without_examples("텍스트 We are going to watch Avengers End Game 예제, hello apple")) == []
    assert english_runs("%{x} next<br>token after %{y} here<extra>not shown text</extra>") == ["next token after here"]
    assert english_runs("weight_hh_l0 h_t W_x batch_first (B, T, I)") == []
    assert english_runs("LSTM(게이트 i, f, g, o), GRU(게이트 r, z, n)") == []
    assert english_runs("is a test") == ["is a test"]
    assert wrong_language("en", {"x": ["hello 안녕"]}) == [("x", "안녕", "hello 안녕")]
    assert wrong_language("en", {"x": ["나는 오늘 학교에 간다 (Korean)"]}) == []
    assert wrong_language("ko", {"x": ["은닉 상태 hidden state size"]}) == [("x", "hidden state size", "은닉 상태 hidden state size")]


def test_the_switch_changes_the_language_in_place_and_keeps_the_view(server, browser, page):
    """The switch at the top of the sidebar: the page turns Korean (and back) without reloading, and the text, t
    and the open tab stay; the link says the language, so a copied link opens in it even in a browser set to the
    other language."""
    page.goto(server)
    settle(page)
    with language("en"):
        box = page.get_by_role("textbox", name=say("label.text"))
        box.fill("apple")
        box.press("Control+Enter")
        settle(page)
        page.locator("h1").click()
        for _ in range(2):
            page.keyboard.press("ArrowRight")
            settle(page)
        page.get_by_role("tab", name=say("choice.panel.maps"), exact=True).click()
        settle(page)
        assert "t=2" in page.url and "panel=maps" in page.url
        first = page.locator("[data-testid=stSidebar] [data-testid=stElementContainer]").first
        assert first.get_by_role("combobox", name=say("label.lang")).count() == 1     # the first thing in the sidebar
    page.evaluate("() => { window.__same_page = 1; }")
    for lang, other in (("ko", "en"), ("en", "ko")):
        with language(other):
            page.get_by_role("combobox", name=say("label.lang")).click()
        page.get_by_role("option", name=NAMES[lang], exact=True).click()
        settle(page)
        with language(lang):
            page.wait_for_function(f"() => document.querySelector('h1').textContent === {json.dumps(say('page.title'))}")
            assert page.evaluate("() => window.__same_page === 1"), "the switch reloaded the page"
            assert "text=apple" in page.url and "t=2" in page.url and "panel=maps" in page.url, page.url
            assert page.get_by_role("textbox", name=say("label.text")).input_value() == "apple"
            assert page.get_by_role("tab", name=say("choice.panel.maps"), exact=True).get_attribute("aria-selected") == "true"
            assert page.locator(".st-key-t [data-testid=stSliderThumbValue]").text_content() == "2"
            page.wait_for_function(FIGURES_DRAWN)
            no_exception(page)
            link = page.url
        copied = browser.new_context(locale=BROWSER_LOCALE[other])      # the link sent to a browser in the other language
        try:
            reader = copied.new_page()
            watch_messages(reader)                       # its messages to the server are counted, as every page's
            reader.goto(link)
            settle(reader)
            with language(lang):
                assert reader.locator("h1").text_content() == say("page.title"), (link, BROWSER_LOCALE[other])
        finally:
            copied.close()


BROWSER_LOCALE = {"ko": "ko-KR", "en": "en-US"}


UPLOADER = """() => [...document.querySelectorAll('[data-testid=stFileUploader] section')].map(e => e.innerText)
    .join('\\n') + '\\n' + [...document.querySelectorAll('[data-testid=stFileUploader] [role=alert]')]
    .map(e => e.textContent).join('\\n')"""


def test_streamlits_own_uploader_words_follow_the_language(server, page, tmp_path):
    """The uploader's button, its size line and its message for a file too large are Streamlit's words: in Korean
    they read in Korean (the catalogue's), and back in English after the switch."""
    big = tmp_path / "big.safetensors"
    big.write_bytes(b"\0" * (33 * 1024 * 1024))                 # over the 32 MB upload limit: refused in the page
    page.goto(server + "/?view=train&lang=ko")
    settle(page)
    with language("ko"):
        button, too_big, error = say("uploader.button"), say("uploader.too_big", size="32.0MB"), say("uploader.error")
        limit = say("uploader.limit", size="32MB", types="SAFETENSORS")
    page.wait_for_function("w => (document.querySelector('[data-testid=stFileUploader] section')?.innerText || '')"
                           ".includes(w)", arg=button, timeout=30_000)
    shown = page.evaluate(UPLOADER)
    assert limit in shown and not re.search(r"\bUpload\b|per file", shown), shown
    page.locator("input[type=file]").set_input_files(str(big))
    page.wait_for_function(f"w => ({UPLOADER})().includes(w)", arg=error + too_big, timeout=30_000)
    shown = page.evaluate(UPLOADER)
    assert not re.search(r"must be|Error:", shown), shown
    page.locator("[data-testid=stTooltipErrorHoverTarget]").first.hover()     # the refusal a sighted reader sees
    tip = page.locator("[data-testid=stTooltipErrorContent]").first
    tip.wait_for(timeout=10_000)
    page.wait_for_function("w => [...document.querySelectorAll('[data-testid=stTooltipErrorContent]')]"
                           ".some(e => e.innerText.includes(w))", arg=too_big, timeout=10_000)
    assert "must be" not in tip.inner_text(), tip.inner_text()
    shot(page, "uploader-ko", full_page=False)
    page.get_by_role("combobox", name="언어").click()
    page.get_by_role("option", name="English").click()
    settle(page)
    with language("en"):
        back = say("uploader.too_big", size="32.0MB")
    page.wait_for_function(f"w => ({UPLOADER})().includes(w)", arg=back, timeout=30_000)
    assert "파일" not in page.evaluate(UPLOADER)
    no_exception(page)


# --- Streamlit's and plotly's own words (issue 21): toolbars, tooltips, placeholders, the skip link ---------------

# The words the page's frame says, not our script's: every tooltip, placeholder and name a screen reader says (the
# attributes), the skip link, and any tooltip open now.
FRAME_WORDS = """() => {
  const out = [];
  document.querySelectorAll('[aria-label], [placeholder], [data-title], [title]').forEach(e =>
    !e.closest('.st-key-lab_prompt') &&                 // its placeholder is the lab's text: the text's words
    ['aria-label', 'placeholder', 'data-title', 'title'].forEach(a => {
      // a figure's label restates its title and traces (catalogue words, math names: tests/test_describe.py)
      if (a === 'aria-label' && e.getAttribute('role') === 'figure') return;
      const v = e.getAttribute(a);
      if (v) out.push(`${a}: ${v}`);
    }));
  document.querySelectorAll('[data-testid=stSkipToContent], [data-testid=stTooltipContent]')
    .forEach(e => out.push(`text: ${e.textContent}`));
  return out; }"""
ANY_WORD = re.compile(r"(?<![\w.])[A-Za-z][a-z]+(?![\w.(-])")    # an English word; not code (h_t, nn.RNN, f(), top-k)
# Words on Korean pages that are names: the optimizer, PyTorch's argument, and the lessons' English examples.
PROPER = {"Adam", "bidirectional", "Avengers", "End", "Game", "We", "are", "going", "to", "watch", "hello", "apple", "pple"}


def english_words(texts: list[str]) -> list[str]:
    """Each text of the frame with an English word in it (names and code aside)."""
    return [t for t in texts if set(ANY_WORD.findall(t.split(": ", 1)[1].rsplit("  (", 1)[0])) - PROPER]


def met(page, toolbars: bool = False) -> list[str]:
    """The frame's words after a reader hovers what shows a tooltip: a figure (its toolbar, its first buttons) and,
    with `toolbars`, each toolbar button of the first tables and code blocks."""
    wait_in_page(page, "our script to say the skip link in the page's language",      # it loads after the page
                 "w => document.querySelector('[data-testid=stSkipToContent]')?.textContent === w",
                 arg=say("streamlit.skip"))
    seen = page.evaluate(FRAME_WORDS)
    figure = page.locator(".js-plotly-plot:visible").first
    if figure.count():
        figure.scroll_into_view_if_needed()
        figure.hover()
        figure.locator(".modebar-btn").first.wait_for(state="visible")
        for button in figure.locator(".modebar-btn").all()[:3]:
            button.hover()
            seen.append("text: " + page.evaluate("b => getComputedStyle(b, '::after').content", button.element_handle()))
    for holder in page.locator("[data-testid=stDataFrame]:visible, [data-testid=stCode]:visible").all()[:3 * toolbars]:
        holder.scroll_into_view_if_needed()
        holder.hover(position={"x": 5, "y": 5})
        buttons = holder.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]").locator(
            "[data-testid=stElementToolbar] button")
        for i in range(buttons.count()):
            holder.hover(position={"x": 5, "y": 5})                # its toolbar shows while the pointer is over it
            wait_in_page(page, "no tooltip open", f"() => !document.querySelector('{TIPS}')")
            buttons.nth(i).hover()
            wait_in_page(page, "the toolbar button's tooltip", f"() => document.querySelector('{TIPS}')")
            seen += page.evaluate(FRAME_WORDS)
    page.mouse.move(0, 0)
    return seen + page.evaluate(FRAME_WORDS)


def frame_on_every_view(page, server, lang) -> dict[str, list[str]]:
    """Every view's frame words: Explore's tabs, Train after a run, a lesson page, the text lab after a short run."""
    seen = {}
    page.goto(f"{server}/?lang={lang}&out=1")                   # the output layer on: every tab has its figures
    settle(page)
    page.get_by_role("tab").first.wait_for(timeout=120_000)      # a new server's first page takes its time
    for panel in PANELS:
        page.get_by_role("tab", name=say(f"choice.panel.{panel}"), exact=True).click()
        settle(page)
        if panel != "code":
            wait_in_page(page, f"the figures of tab {panel}", FIGURES_DRAWN)
        seen[f"Explore, tab {panel}"] = met(page, toolbars=panel == "code")
    page.goto(f"{server}/?lang={lang}&view=train")
    settle(page)
    steps = make_task("apple").defaults["steps"]
    run_until(page, f"{say('status.done')}: {say('status.step', step=steps, steps=steps)}")
    seen["Train, a run finished"] = met(page)
    open_drawn(page, f"{server}/?lang={lang}&view=lessons&lesson=000")
    seen["Lessons, lesson 000"] = met(page)
    page.goto(f"{server}/?lang={lang}&view=lab&lab_steps=20&lab_hidden=16")
    settle(page)
    seen["Text lab, before a run"] = met(page)
    lab_sampled(page)
    seen["Text lab, after a run"] = met(page)
    no_exception(page)
    return seen


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_frames_words_are_in_the_pages_language(server, page, lang):
    """Korean: the figures' toolbar tooltips, the tables' and code blocks' toolbars, the placeholders, the skip link
    and the names a screen reader says have no English word (Streamlit and plotly write them in English). English:
    they are Streamlit's own English, with no Hangul."""
    with language(lang):
        seen = frame_on_every_view(page, server, lang)
        frame = sorted({f"{t}  ({where})" for where, texts in seen.items() for t in texts})
        words = {say(k) for k in ("plotly.zoom_in", "streamlit.skip", "streamlit.copy", "streamlit.columns",
                                  "streamlit.choose_many")}
    assert all(seen.values()), {where: len(texts) for where, texts in seen.items()}
    assert words <= {t.split(": ", 1)[1].rsplit("  (", 1)[0] for t in frame}, words     # the toolbars etc. were met
    if lang == "ko":
        english = english_words(frame)
        assert english == [], "\n".join(english)
    else:
        korean = [t for t in frame if HANGUL.search(t)]
        assert korean == [], "\n".join(korean)


def test_the_frame_check_finds_english():
    assert english_words(["data-title: Zoom in", "aria-label: Help for 셀", "text: Skip to main content",
                          "aria-label: 도움말: batch_first", "aria-label: 단축키 →", "title: nn.RNN h_t f()",
                          "aria-label: 학습률의 Adam", "aria-label: top-k(0 = 모든 문자)"]) == [
        "data-title: Zoom in", "aria-label: Help for 셀", "text: Skip to main content"]
