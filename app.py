"""rnnviz: the Streamlit entry. Sets the page up and hands over to rnnviz.ui."""
import streamlit as st

st.set_page_config(page_title="rnnviz — recurrent networks, step by step", page_icon="🔁", layout="wide")

from rnnviz.ui.main import main  # noqa: E402  (set_page_config must come first)

main()
