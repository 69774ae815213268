"""A lesson's handout: self-contained HTML (no network), every word escaped, questions before an answer key at the
end, in the page's language; and the PDF headless Chromium prints from it, one lesson page per printed page."""
import re

import pytest

from rnnviz.ui.handout import chromium, handout_html, handout_pdf
from rnnviz.words import language
from testkit.handout_sample import HOSTILE, sections


def test_the_handout_needs_no_network_and_escapes_every_word():
    page = handout_html(HOSTILE, sections())
    assert not re.search(r"""<(script|link|img)[^>]*\s(src|href)=["']?https?:""", page)   # nothing fetched
    assert "Plotly.newPlot" in page and len(page) > 1_000_000            # plotly.js is inside the file
    # plotly.js, the two figures' JSON data and the one script that draws them: nothing else
    assert page.count("<script>") == 2 and page.count('<script type="application/json" class="spec">') == 2
    assert page.count("</script>") == 4
    assert "<img" not in page and 'alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("lang, heading, question", [("en", "Answer key", "Question 1."), ("ko", "정답", "문제 1.")])
def test_questions_come_without_answers_and_the_key_at_the_end(lang, heading, question):
    with language(lang):
        page = handout_html("RNN", sections(), lang)
    key = page.index(f'<h2 id="answers">{heading}</h2>')
    assert page.index(question) < page.index("shape of h?") < key
    assert page.index("(1, 5, 4)") > key and page.count("(1, 5, 4)") == 1   # the answer only in the key
    assert f'<html lang="{lang}">' in page
    assert page.count("<section>") == 2 and "break-after: page" in page and "size: A4" in page


@pytest.mark.skipif(chromium() is None, reason="no Chromium on this machine")
def test_chromium_prints_one_lesson_page_per_pdf_page_and_the_key():
    pdf = handout_pdf(handout_html("RNN", sections()))
    assert pdf is not None and pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 3, f"two lesson pages and the answer key should print on 3 A4 pages, got {pages}"
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45]\.?\d* 84[12]", pdf), "A4 is 595 × 842 pt"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_lessons_handout_prints_every_page_with_its_figures_in_the_pages_language(lang):
    from rnnviz.lessons import LESSONS
    from rnnviz.ui import lessons as view
    from rnnviz.ui.handout_button import lesson_handout
    from rnnviz.words import say
    lesson = next(iter(LESSONS))
    page = lesson_handout(lesson, lang, view.explored, view.page_facts)
    assert page.count("<section>") == len(LESSONS[lesson])
    with language(lang):
        titles = [say(p.key(lesson, "title")) for p in LESSONS[lesson]]
        asked = [p for p in LESSONS[lesson] if p.question and p.panel != "train"]
        heading = say("handout.answers")
    import html
    assert all(html.escape(t) in page for t in titles)
    assert page.count('class="figure"') >= len(LESSONS[lesson]) // 2      # the pages' live figures, drawn in
    assert (f'<h2 id="answers">{heading}</h2>' in page) == bool(asked)


def test_a_lesson_page_makes_its_handout_when_asked():
    from apptest_helpers import new_app
    at = new_app(view="lessons", lesson="000")
    make = [b for b in at.button if b.label == "Make this lesson's handout"]
    assert make and not at.exception
    make[0].click().run()
    assert not at.exception
    assert not [b for b in at.button if b.label == "Make this lesson's handout"]   # it is made: downloads instead


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_handout_asks_the_pages_computed_questions_and_keys_their_computed_answers(lang):
    import html

    from rnnviz.lessons import LESSONS
    from rnnviz.lessons import questions as qs
    from rnnviz.ui import lessons as view
    from rnnviz.ui.handout_button import lesson_handout
    from rnnviz.words import say
    lesson = "000"
    page = lesson_handout(lesson, lang, view.explored, view.page_facts)
    body, key = page.split('<h2 id="answers">', 1)
    found = 0
    with language(lang):
        for p in LESSONS[lesson]:
            q = qs.on_page(lesson, p.id)
            if q is None:
                continue
            said, raw = view.page_facts(p, view.explored(p, p.config(lang))[0])
            right = qs.right_answer(q, raw)
            assert html.escape(say(q.key("q"), **said)) in body, (p.id, "the question is asked on its page")
            assert html.escape(f"{right}. ") in key, (p.id, right, "the key gives the answer the engine computes")
            found += 1
    assert found >= 1, "lesson 000 has computed questions"
