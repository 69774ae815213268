"""Pure figure functions: (Trace or data + options) -> plotly Figure. No Streamlit here."""
