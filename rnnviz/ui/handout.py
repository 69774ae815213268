"""A lesson as a handout: one self-contained HTML file (plotly's JS inside, no network) that prints to A4, one
lesson page per printed page with its figures, code and question, and an answer key at the end; and its PDF,
printed by headless Chromium where Chromium is present.

Every word is escaped (html.escape): a note's, a question's or a student's text never becomes markup. The page's
language is the caller's: headings come from the catalogues through `say`, in the language set around the call.
"""
from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..words import say
from . import web

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
PDF_SECONDS = 60                     # one print's bound: a handout that takes longer is refused, not waited for


@dataclass(frozen=True)
class Section:
    """One lesson page as printed: its title, figures, text, code, and its question with the computed answer."""

    title: str
    figures: list[go.Figure] = field(default_factory=list)
    text: str = ""
    code: str = ""
    question: str = ""
    answer: str = ""


def _figure(fig: go.Figure, n: int) -> str:
    """The figure's spec as JSON data (never run; made safe inside <script>: no '</') and the div that
    web/handout.js draws it into."""
    spec = fig.to_json().replace("</", "<\\/")
    return f'<script type="application/json" class="spec">{spec}</script><div class="figure" id="fig{n}"></div>'



def handout_html(title: str, sections: list[Section], lang: str = "en") -> str:
    """The whole handout as one HTML string: sections with their questions, then the answer key."""
    e = html.escape
    body, n = [], 0
    for k, s in enumerate(sections, 1):
        parts = [f"<h2>{k}. {e(s.title)}</h2>"]
        for fig in s.figures:
            parts.append(_figure(fig, n))
            n += 1
        parts += [f"<p>{e(s.text)}</p>" if s.text else "", f"<pre>{e(s.code)}</pre>" if s.code else "",
                  f'<p class="question"><b>{e(say("handout.question", n=k))}</b> {e(s.question)}</p>'
                  if s.question else ""]
        body.append("<section>" + "".join(parts) + "</section>")
    key = [f"<li value=\"{k}\">{e(s.answer)}</li>" for k, s in enumerate(sections, 1) if s.question]
    answers = f'<h2 id="answers">{e(say("handout.answers"))}</h2><ol>{"".join(key)}</ol>' if key else ""
    return (f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"{web.style('handout')}<script>{get_plotlyjs()}</script></head>"
            f"<body><h1>{e(title)}</h1>{''.join(body)}{answers}<script>{web.script('handout')}</script></body></html>")


def chromium() -> str | None:
    """The path of a Chromium to print with, or None."""
    return next((p for p in map(shutil.which, CHROMIUM) if p), None)


def handout_pdf(page: str) -> bytes | None:
    """The handout printed to PDF by headless Chromium (A4 from the page's CSS); None where no Chromium is."""
    exe = chromium()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, pdf = Path(tmp) / "handout-page.html", Path(tmp) / "handout-page.pdf"
        src.write_text(page, encoding="utf-8")
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", "--virtual-time-budget=10000",
                        f"--print-to-pdf={pdf}", src.as_uri()],
                       check=True, timeout=PDF_SECONDS, capture_output=True)
        return pdf.read_bytes()
