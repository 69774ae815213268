"""Streamlit views: one module per view, each a function of (Config, data) that draws."""
