"""Issue 22, Medium 4, 7 and Low 11 in a real browser: link-shaped link text is never a link, a link too long for
Streamlit is named, and a paste into the Explore text box is cut at the box."""
from urllib.parse import quote

import numpy as np
import pytest
from conftest import no_exception, settle, wait_in_page
from safetensors.numpy import save

from rnnviz.settings import SETTINGS
from rnnviz.text import WORD_JOINER

LINKISH = ["https://evil.example/x", "www.evil.example", "bob@evil.example"]
# The values as a link's unknown keys, its hidden controls, a lesson's id and the page's language.
LINKS = [("&".join(f"{quote(v, safe='')}=1" for v in LINKISH), LINKISH),
         ("hide=" + ",".join(quote(v, safe='') for v in LINKISH), LINKISH)] + [
    (f"view=lessons&lesson={quote(v, safe='')}", [v]) for v in LINKISH] + [(f"lang={quote(LINKISH[0], safe='')}",
                                                                              LINKISH[:1])]
NOTES = "[data-testid=stAlert]"


def alerts(page) -> list[dict]:
    return page.locator(NOTES).evaluate_all(
        "els => els.map(e => ({text: e.innerText, links: e.querySelectorAll('a').length}))")


@pytest.mark.parametrize("query, values", LINKS, ids=[q for q, _ in LINKS])
def test_a_link_shaped_text_in_a_note_is_no_link(server, page, query, values):
    page.goto(f"{server}/?{query}")
    settle(page)
    for value in values:                        # (a note may shorten a value: its first 20 characters are enough)
        wait_in_page(page, f"a note quoting {value!r}", "([sel, v, j]) => [...document.querySelectorAll(sel)].some("
                     "e => e.innerText.replaceAll(j, '').includes(v.slice(0, 20)))", arg=[NOTES, value, WORD_JOINER])
    shown = alerts(page)
    assert all(a["links"] == 0 for a in shown), shown
    assert page.locator("[data-testid=stMain] a[href*=evil], [data-testid=stSidebar] a[href*=evil]").count() == 0
    no_exception(page)


def test_a_link_too_long_for_streamlit_is_named(server, page):
    page.goto(f"{server}/?" + "&".join(f"H{i}=1" for i in range(1001)))
    settle(page)
    wait_in_page(page, "the note that the link was too long", "sel => [...document.querySelectorAll(sel)].some("
                 "e => e.innerText.includes('too long') && e.innerText.includes('1,001'))", arg=NOTES, timeout=60_000)
    no_exception(page)


def test_a_paste_is_cut_at_the_text_box(server, page):
    page.goto(server)
    settle(page)
    box = page.locator(".st-key-text textarea")
    cap = SETTINGS["text"].max_chars
    box.focus()
    box.press("Control+a")
    page.keyboard.insert_text("가" * 50_000)                   # a 150 KB paste: more than the box takes
    assert len(box.input_value()) <= cap
    box.press("Control+a")
    page.keyboard.insert_text("가" * (cap // 2))               # within the box's cap, over the text's
    assert len(box.input_value()) == cap // 2
    box.press("Control+Enter")
    settle(page)
    wait_in_page(page, "the note that only the first 2,000 characters are used", "sel => [...document."
                 "querySelectorAll(sel)].some(e => e.innerText.includes('only the first 2,000'))", arg=NOTES)
    no_exception(page)


@pytest.mark.parametrize("lang, words", [("en", "damaged or not usable"), ("ko", "손상되었거나")])
def test_a_crafted_weights_file_is_refused_and_the_page_goes_on(server, page, tmp_path, lang, words):
    crafted = tmp_path / "crafted.safetensors"
    crafted.write_bytes(save({"fc.weight": np.zeros((2, 2), np.float32)}, metadata={"rnnviz": "[" * 50_000}))
    page.goto(f"{server}/?view=train&lang={lang}")
    settle(page)
    page.locator("input[type=file]").set_input_files(str(crafted), timeout=60_000)     # (a busy machine)
    wait_in_page(page, f"the refusal saying {words!r}", "w => document.body.innerText.includes(w)", arg=words)
    settle(page)
    no_exception(page)
    page.get_by_role("button", name="▶").first.wait_for(timeout=10_000)     # the Train view is still there
