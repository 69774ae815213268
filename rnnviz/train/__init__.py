"""Training: torch models learn the lessons' tasks; the loop yields progress events and never imports streamlit.

    from rnnviz.train import run
    for event in run("apple", cell="lstm", steps=100, seed=0):
        print(event.step, event.loss, event.accuracy, event.prediction)
"""
from .loop import Event, Settings, run
from .tasks import PRESETS, Task, make_task


def Trainer(settings: Settings, **options):
    """The trainer for `settings`: the text lab's char-rnn (rnnviz.lab) for task="text", the lessons' loop otherwise."""
    if settings.task == "text":
        from ..lab.charrnn import CharTrainer  # here, not above: the lab imports this package's modules
        return CharTrainer(settings, **options)
    from .loop import Trainer as LessonTrainer
    return LessonTrainer(settings, **options)


__all__ = ["Event", "PRESETS", "Settings", "Task", "Trainer", "make_task", "run"]
