"""The lab's char-rnn trainer is a row of the task table, so it lives with the other trainers in rnnviz.train."""
from ..train.charrnn import CharTask, CharTrainer, LabEvent, afresh, resolved

__all__ = ["CharTask", "CharTrainer", "LabEvent", "afresh", "resolved"]
