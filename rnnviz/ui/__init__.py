"""The page in Streamlit: ui/views.py lists the views (one module each, a function that draws from the session's
settings), ui/session.py holds the session's state, and the figures come from the panels table (rnnviz/panels.py)."""
