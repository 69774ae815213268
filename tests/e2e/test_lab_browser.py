"""The text lab in Chromium: open it, train on the generated corpus, see a sample appear, in both languages;
a bad upload says why and keeps the text in use."""
import pytest
from conftest import no_exception, settle, shot, wait_in_page

WORDS = {"en": dict(view="Text lab", start="▶ Start", stop="■ Stop", steps="Training steps",
                    sample="What the model writes at step"),
         "ko": dict(view="텍스트 실험실", start="▶ 시작", stop="■ 멈춤", steps="학습 단계 수",
                    sample="단계에서 모델이 고정 프롬프트 뒤에 쓴 글")}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_open_the_lab_train_on_the_corpus_and_see_a_sample(server, page, lang):
    w = WORDS[lang]
    page.goto(f"{server}/?lang={lang}")
    settle(page)
    page.get_by_text(w["view"], exact=False).first.click()       # the view switch, from Explore
    settle(page)
    no_exception(page)
    steps = page.get_by_role("spinbutton", name=w["steps"])
    steps.fill("5000")                  # a run that is still training when Stop is pressed
    steps.press("Enter")
    settle(page)
    page.get_by_role("button", name=w["start"]).click()
    page.wait_for_function(f"() => document.body.innerText.includes({w['sample']!r})", timeout=90_000)
    sample = page.locator("[data-testid=stMain] [data-testid=stCode]").first.inner_text()   # not the sidebar's link
    assert len(sample) > 50, sample
    shot(page, f"lab-sample-{lang}", full_page=False)
    page.get_by_role("button", name=w["stop"]).click()
    settle(page)
    no_exception(page)


def test_a_bad_upload_says_why_and_keeps_the_text(server, page, tmp_path):
    page.goto(f"{server}/?view=lab")
    settle(page)
    page.get_by_text("Upload a .txt file").click()
    settle(page)
    good = tmp_path / "good.txt"
    good.write_text("순환 신경망은 은닉 상태를 시점마다 넘깁니다. Recurrent networks carry state.\n" * 4, encoding="utf-8")
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(good))
    page.wait_for_function("() => document.body.innerText.includes('The text is ready')", timeout=30_000)
    size = page.get_by_text("The text has").inner_text()
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(bad))
    page.wait_for_function("() => document.body.innerText.includes('is not text')", timeout=30_000)
    settle(page)
    no_exception(page)
    assert page.get_by_text("The text has").inner_text() == size      # the good text is still the one in use
    shot(page, "lab-bad-upload")


def test_the_lab_settings_travel_in_the_link(server, page):
    page.goto(f"{server}/?view=lab&lab_hidden=64&lab_source=help")
    settle(page)
    no_exception(page)
    assert page.get_by_test_id("stSliderThumbValue").first.inner_text() == "64"
    page.get_by_text("Python source from the standard library").click()
    settle(page)
    page.wait_for_function("() => location.search.includes('lab_source=stdlib')", timeout=30_000)
    assert "lab_hidden=64" in page.url and "view=lab" in page.url


LOADED = {"en": ("Loaded: lstm, hidden size 12", "nothing measured yet"),
          "ko": ("불러왔습니다: lstm, 은닉 크기 12", "아직 잰 값이 없습니다")}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_weights_downloaded_from_the_lab_upload_back(server, page, tmp_path, lang):
    page.goto(f"{server}/?view=lab&lang={lang}&lab_hidden=12&lab_steps=3")
    settle(page)
    page.get_by_role("button", name=WORDS[lang]["start"]).click()
    wait_in_page(page, "the trained weights' download button",
                 "() => document.querySelector('[data-testid=stDownloadButton] button')", timeout=90_000)
    settle(page)
    with page.expect_download() as download:
        page.locator("[data-testid=stDownloadButton] button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    page.locator("[data-testid=stMain] input[type=file]").set_input_files(str(saved))
    loaded, nothing = LOADED[lang]
    wait_in_page(page, f"the page to say {loaded!r}", f"() => document.body.innerText.includes({loaded!r})")
    settle(page)
    no_exception(page)
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    assert nothing in page.locator("[data-testid=stProgress]").first.inner_text()
    assert "nan" not in page.locator("[data-testid=stMain]").inner_text()
