"""Lesson 001's sequence pages alone (ui/sequences.draw), for AppTest: ?page=encdec|one_to_many&lang=en|ko."""
import streamlit as st

from rnnviz import words
from rnnviz.lessons import LESSONS
from rnnviz.ui import sequences

lang = st.query_params.get("lang", "en")
words.set_language(lang)
page = next(p for p in LESSONS["001"] if p.id == st.query_params.get("page", "encdec"))
sequences.draw(page, lang, False)
