import os
import sys
from pathlib import Path

from hypothesis import settings

# No test asserts on time: Hypothesis' per-example deadline (200 ms) fails a correct example on a busy machine.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # AppTest and .streamlit/config.toml expect the repo root
