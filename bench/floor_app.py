"""The floor for a t-move in the browser: an empty Streamlit page whose fragment button (shortcut →) bumps a
number on screen. Any Streamlit round trip pays at least this much; bench/latency.py measures it side by side."""
import streamlit as st


def bump() -> None:
    st.session_state.n = st.session_state.get("n", 0) + 1


@st.fragment
def counter() -> None:
    st.button("next ▶", on_click=bump, shortcut="Right")
    st.markdown(f"number {st.session_state.get('n', 0)}")


counter()
