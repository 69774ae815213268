"""What the tests and the benchmarks share: waiting with a deadline, a Streamlit protocol client, the browser's
helpers, and the scripted class lessons. Needs no pytest: `python bench/*.py` uses it too."""
