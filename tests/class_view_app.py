"""The teacher's view alone, as a page (for AppTest until the views' table has its row)."""
import streamlit as st

from rnnviz.ui import class_view, session
from rnnviz.ui.lessons import LINK

session.start(more=dict(LINK))
session.use_language()
st.set_page_config(layout="wide")
class_view.page()
