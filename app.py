"""rnnviz: the Streamlit entry. Sets the page up and hands over to rnnviz.ui."""
import streamlit as st

from rnnviz.ui.main import main, page_config

st.set_page_config(**page_config())
main()
