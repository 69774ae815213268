"""Links in Chromium (issue 21): after a change the address bar and the screen agree, Back too."""
import time

import pytest
from conftest import no_exception, settle, wait_in_page
from playwright.sync_api import Error as PlaywrightError


def hidden_size(page) -> str:
    """H as the sidebar's slider shows it."""
    return page.locator(".st-key-H [data-testid=stSliderThumbValue]").inner_text()


def test_back_after_a_change_never_shows_an_older_link_over_newer_figures(server, page):
    page.goto(server + "/?text=hello&H=3")
    settle(page)
    no_exception(page)
    before = page.evaluate("() => history.length")
    slider = page.get_by_role("slider", name="Hidden size H")
    assert hidden_size(page) == "3"
    for H in (4, 5):                                 # two changes, each written into the link
        slider.focus()
        slider.press("ArrowRight")
        settle(page)
        wait_in_page(page, f"the link to say H={H}", f"() => location.search.includes('H={H}')")
        assert hidden_size(page) == str(H)
    assert page.evaluate("() => history.length") == before       # the link was replaced, not pushed
    page.go_back()
    if page.url.startswith(server):                  # still on the page: it must show what its link says
        wait_for_agreement(page)
        settle(page)
        assert page.evaluate(AGREE), (page.url, hidden_size(page))
        no_exception(page)
    else:                                            # Back left the page, as it leaves any page whose link was replaced
        assert page.url == "about:blank", page.url


# The screen shows what the address bar says: the slider's H is the link's (8 when the link leaves it out).
AGREE = """() => {
  const shown = document.querySelector('.st-key-H [data-testid=stSliderThumbValue]');
  const settled = document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]')
      && !document.querySelector('[data-stale=true]');
  return Boolean(settled && shown && shown.textContent.trim() === (new URLSearchParams(location.search).get('H') || '8'));
}"""


def wait_for_agreement(page, seconds=60) -> None:
    """Wait until the screen shows what the link says (the page may load anew meanwhile: a navigation)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            page.wait_for_load_state()
            if page.evaluate(AGREE):
                return
        except PlaywrightError:                      # the document changed under the check: look again
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s after Back for the screen to show the link {page.url}: "
                        f"H={hidden_size(page)} on the screen", pytrace=False)
        page.wait_for_timeout(100)
