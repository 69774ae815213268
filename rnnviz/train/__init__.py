"""Training: torch models learn the lessons' tasks; the loop yields progress events and never imports streamlit.

    from rnnviz.train import run
    for event in run("apple", cell="lstm", steps=100, seed=0):
        print(event.step, event.loss, event.accuracy, event.prediction)

    trainer = Trainer(Settings(task="numbers", lang="ko", cell="gru", hidden=64, attention="general", steps=1500))
    for event in trainer.events(): ...
    trainer.translate("2026")                 # '이천이십육'
"""
from .base import Cost, Saveable, Trainable
from .loop import Event, Settings, run
from .table import TASK_ROWS, TaskRow
from .table import new_trainer as Trainer
from .tasks import Task, make_task

__all__ = ["TASK_ROWS", "Cost", "Event", "Saveable", "Settings", "Task", "TaskRow", "Trainable", "Trainer", "make_task",
           "run"]
