// The keys stay the page's after a control in the sidebar was used; loaded by rnnviz/ui/page_keys.py (see its docstring).
export default function() {
  if (window.__rnnvizKeys) return;
  window.__rnnvizKeys = true;
  // The address bar and the screen agree. Streamlit keeps a session's settings over Back and Forward, so a link
  // it pushed and the browser went back to would name settings the screen no longer shows: a change on the page
  // replaces the link instead (a new path, another page, is still pushed), and Back or Forward to a link of this
  // page pushed before this script ran (the first run's) opens that link afresh, as a pasted link opens.
  const push = history.pushState.bind(history), replace = history.replaceState.bind(history);
  let shown = location.search;
  const wrote = write => (state, title, url) => {
    const to = new URL(url ?? location.href, location.href);
    (to.pathname === location.pathname ? replace : write)(state, title, url);
    shown = location.search;
  };
  history.pushState = wrote(push);
  history.replaceState = wrote(replace);
  window.addEventListener("popstate", e => {
    if (location.search === shown) return;          // only the #anchor moved: Streamlit's own handling
    e.stopImmediatePropagation();
    location.reload();
  }, true);
  const LET_GO = ".st-key-view, .st-key-present";
  // A click with the mouse (detail > 0; the keyboard's own choices keep their focus) on one of those switches.
  window.addEventListener("click", e => {
    const box = e.detail > 0 && e.target && e.target.closest && e.target.closest(LET_GO);
    if (box) setTimeout(() => { if (box.contains(document.activeElement)) document.activeElement.blur(); }, 0);
  }, true);
  const unseen = el => el && el !== document.body && el.closest
    && (el.closest("[data-testid=stSidebar][aria-expanded=false]") || !el.checkVisibility());
  window.addEventListener("keydown", e => {
    const el = document.activeElement;
    if (e.isTrusted === false || !unseen(el) || !["ArrowLeft", "ArrowRight", " "].includes(e.key)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    el.blur();
    if (e.key !== " ")               // the step goes to the page, as if the hidden control had never had the focus
      document.body.dispatchEvent(new KeyboardEvent("keydown", {key: e.key, code: e.code, bubbles: true,
                                                                cancelable: true, composed: true}));
  }, true);
}
