"""Training: torch models learn the lessons' tasks; the loop yields progress events and never imports streamlit.

    from rnnviz.train import run
    for event in run("apple", cell="lstm", steps=100, seed=0):
        print(event.step, event.loss, event.accuracy, event.prediction)
"""
from .loop import Event, Settings, run
from .tasks import PRESETS, Task, make_task

__all__ = ["Event", "PRESETS", "Settings", "Task", "make_task", "run"]
