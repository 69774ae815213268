"""Every setting a user can make, written once: link key, type, range or choices, default, words, widget and role.

The Explore view's Config, the Train view's widgets and link, the trainer's limits, the notebook's keywords, the
link parser and the validation all read this table; a new setting is one row here and its words in the catalogues
(`label.<key>`, `help.<key>`, `name.<key>` for the noun a sentence uses, `choice.<key>.<value>` for each choice).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .engine import CELL_TABLE, CELLS
from .engine.attention import ATTENTIONS
from .engine.bptt import LOSSES
from .text import CODE_POINTS_PER_CHAR, ENCODINGS, LEVELS, MAX_CHARS, MAX_INPUT
from .words import LANGS

Widget = Literal["text", "select", "radio", "slider", "number", "toggle", "tabs", "stepper", "none"]
Role = Literal["computes", "looks"]
View = Literal["explore", "train", "page", "shared", "lab", "lessons"]


class _TaskDefault:
    """The default of a training setting that comes from the chosen task (the lesson's own value)."""

    def __repr__(self) -> str:
        return "TASK"


TASK = _TaskDefault()

TASKS = ("apple", "avengers", "hello", "memory", "text", "numbers")   # the Train view's tasks (rows of train/table.py)
TEXT_CAP = 5000                                                 # characters of a training text
PANELS = ("step", "maps", "output", "path", "code", "backward")  # the Explore view's tabs, as a link names them
VIEWS = ("explore", "train", "lessons", "lab", "class")   # the page's views, as a link names them (ui/views.py)
OPTIMIZERS = ("adam", "sgd")
INITS = ("pytorch", "uniform")
SEED_MAX = 2**31 - 1
PACES = ("real", "20", "5", "key")          # steps a second (real: as fast as it goes; key: one per key press)
LAB_SOURCES = ("corpus", "paste", "upload", "stdlib", "help")   # the text lab's texts (rnnviz/lab/texts.py)
LAB_MODULES = ("json", "textwrap", "argparse", "dataclasses", "fractions", "heapq", "string", "calendar")
LAB_PROPERTIES = ("quote", "depth", "column", "after_space", "hangul", "latin")   # what the neuron finder ranks by
# What colours the passage: h_t, c_t or a gate (every gate letter of the cell registry, in its order)
LAB_KINDS = ("h", "c", *dict.fromkeys(gate for cell in CELL_TABLE.values() for gate in cell.gates))
LESSON_IDS = ("000", "001", "002", "003", "004")     # the course notes (rnnviz/lessons/ has their pages)
MAX_PAGES = 12                                      # the longest lesson has at most this many pages


@dataclass(frozen=True)
class Setting:
    """One row: `key` is the link's key, the widget's key and (for Explore) the Config field."""

    key: str
    kind: type                                   # int | float | bool | str
    default: object
    low: float | None = None
    high: float | None = None                    # for text: its length cap in characters
    choices: tuple[str, ...] = ()
    widget: Widget = "none"
    role: Role = "computes"                      # computes: changes the numbers; looks: only what is on show
    view: View = "explore"
    field: str = ""                              # the trainer's Settings field (Train view)
    only_for: str = ""                           # the one task that uses it (Train view)
    step: float | None = None                    # a slider's or number box's step
    words: str = ""                              # whose choice words it shares (tr_cell says cells as cell does)
    linked: bool = True                          # False: never in a link (the lab's pasted text and prompt)

    @property
    def label(self) -> str:
        return f"label.{self.key}"

    @property
    def help(self) -> str:
        return f"help.{self.key}"

    @property
    def name(self) -> str:
        return f"name.{self.key}"

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high) of a number setting; a number row without them is a mistake in this table."""
        if self.low is None or self.high is None:
            raise TypeError(f"setting {self.key!r} has no range")
        return self.low, self.high

    @property
    def max_chars(self) -> int:
        """A text box's cap as Streamlit counts it, code points (its server cuts there before the script runs): room
        for `high` characters of several code points each; `high` itself is checked after, in characters."""
        if self.kind is not str or self.high is None:
            raise TypeError(f"setting {self.key!r} is not a text with a cap")
        return int(self.high) * CODE_POINTS_PER_CHAR

    def choice(self, value: str) -> str:
        return f"choice.{self.words or self.key}.{value}"


S = Setting
ROWS: tuple[Setting, ...] = (
    # Explore: what the engine computes
    S("text", str, "hello", high=MAX_CHARS, widget="text"),
    S("tok", str, "char", choices=LEVELS, widget="radio"),
    S("cell", str, "rnn_tanh", choices=CELLS, widget="select"),
    S("enc", str, "onehot", choices=ENCODINGS, widget="select"),
    S("I", int, 4, 1, MAX_INPUT, widget="slider"),
    S("H", int, 8, 1, 256, widget="slider"),
    S("L", int, 1, 1, 4, widget="slider"),
    S("bi", bool, False, widget="toggle"),
    S("bf", bool, True, widget="toggle"),
    S("seed", int, 0, 0, SEED_MAX, widget="number", step=1),
    S("scale", float, 1.0, 0.0, 10.0, widget="slider", step=0.05),
    S("init", str, "pytorch", choices=INITS, widget="select"),
    S("batch", bool, False, widget="toggle"),
    S("O", int, 1, 1, 16, widget="slider"),
    S("edits", str, "", high=1500),                             # weights set by hand (rnnviz/edits.py)
    # Explore: what is looked at (one engine run serves every value)
    S("row", int, 0, 0, 63, widget="select", role="looks"),
    S("t", int, 0, 0, MAX_CHARS - 1, widget="stepper", role="looks"),
    S("layer", int, 0, 0, 3, widget="select", role="looks"),
    S("dir", int, 0, 0, 1, widget="radio", role="looks"),
    S("out", bool, False, widget="toggle", role="looks"),
    S("bptt_loss", str, "last", choices=LOSSES, widget="radio", role="looks"),   # the backward tab's loss (engine/bptt.py)
    S("view", str, "explore", choices=VIEWS, widget="radio", role="looks", view="page"),
    S("panel", str, "step", choices=PANELS, widget="tabs", role="looks"),
    S("present", bool, False, widget="toggle", role="looks", view="page"),
    S("lang", str, "en", choices=LANGS, widget="select", role="looks", view="page"),   # no lang: the browser's
    # A teacher's lesson link: the controls students do not see, and those they see but cannot change (comma lists)
    S("hide", str, "", high=1000, role="looks", view="page"),
    S("lock", str, "", high=1000, role="looks", view="page"),
    # Train
    S("tr_task", str, "apple", choices=TASKS, widget="select", view="train", field="task"),
    S("tr_text", str, "hello world, 안녕하세요! " * 4, high=TEXT_CAP, widget="text", view="train", field="text",
      only_for="text"),
    S("tr_distance", int, 60, 1, 200, widget="slider", view="train", field="distance", only_for="memory"),
    S("tr_attn", str, "general", choices=ATTENTIONS, widget="select", view="train", field="attention", only_for="numbers"),
    S("tr_cell", str, TASK, choices=CELLS, widget="select", view="train", field="cell", words="cell"),
    S("tr_hidden", int, TASK, 1, 256, widget="slider", view="train", field="hidden"),
    S("tr_layers", int, 1, 1, 4, widget="slider", view="train", field="layers"),
    S("tr_bi", bool, False, widget="toggle", view="train", field="bidirectional", only_for="memory"),
    S("tr_opt", str, TASK, choices=OPTIMIZERS, widget="radio", view="train", field="optimizer"),
    S("tr_lr", float, TASK, 1e-6, 1e6, widget="number", view="train", field="lr"),
    S("tr_steps", int, TASK, 1, 100_000, widget="number", view="train", field="steps"),
    S("tr_clip", float, 0.0, 0.0, 1e6, widget="number", view="train", field="clip"),
    S("tr_seed", int, TASK, 0, SEED_MAX, widget="number", view="train", field="seed"),
    # the pace a class watches a run at: the same steps, slower (role looks: not a number changes)
    S("tr_pace", str, "real", choices=PACES, widget="select", role="looks", view="train", field="pace"),
    # A trained run saved for the class (rnnviz/store.py), and a page that held one only its own server had
    S("run", str, "", high=32, role="looks", view="shared"),
    S("unsaved", bool, False, role="looks", view="shared"),
    # The text lab (rnnviz/lab/): its own bounds, larger than the Train view's
    S("lab_source", str, "corpus", choices=LAB_SOURCES, widget="radio", view="lab"),
    S("lab_module", str, "json", choices=LAB_MODULES, widget="select", view="lab"),
    S("lab_cell", str, "lstm", choices=CELLS, widget="select", view="lab", field="cell", words="cell"),
    S("lab_hidden", int, 128, 1, 512, widget="slider", view="lab", field="hidden"),
    S("lab_layers", int, 1, 1, 3, widget="slider", view="lab", field="layers"),
    S("lab_opt", str, "adam", choices=OPTIMIZERS, widget="radio", view="lab", field="optimizer", words="tr_opt"),
    S("lab_lr", float, 2e-3, 1e-6, 10.0, widget="number", view="lab", field="lr"),
    S("lab_steps", int, 500, 1, 100_000, widget="number", view="lab", field="steps"),
    S("lab_clip", float, 5.0, 0.0, 1e6, widget="number", view="lab", field="clip"),
    S("lab_seed", int, 0, 0, SEED_MAX, widget="number", view="lab", field="seed", step=1),
    S("lab_length", int, 200, 1, 2000, widget="slider", view="lab", role="looks"),
    S("lab_temp", float, 0.8, 0.0, 5.0, widget="slider", view="lab", role="looks", step=0.05),
    S("lab_topk", int, 0, 0, 100, widget="number", view="lab", role="looks", step=1),
    S("lab_wseed", int, 0, 0, SEED_MAX, widget="number", view="lab", role="looks", step=1),
    S("lab_kind", str, "h", choices=LAB_KINDS, widget="select", view="lab", role="looks"),
    S("lab_prop", str, "quote", choices=LAB_PROPERTIES, widget="radio", view="lab", role="looks"),
    S("lab_th", float, 0.3, -1.0, 1.0, widget="slider", view="lab", role="looks", step=0.05),
    # The lab's text boxes (never in a link): a pasted text of up to 1 MB (the box takes as many code points), and
    # the prompt the model reads before it writes (in characters; the box takes `max_chars` code points)
    S("lab_paste", str, "", high=1_000_000, widget="text", view="lab", linked=False),
    S("lab_prompt", str, "", high=500, widget="text", view="lab", role="looks", linked=False),
    # Lessons: which lesson and page (1-based) is on show
    S("lesson", str, "000", choices=LESSON_IDS, widget="select", role="looks", view="lessons"),
    S("page", int, 1, 1, MAX_PAGES, widget="select", role="looks", view="lessons"),
    # A class: the code the teacher sets in the link, so two classes count their answers apart (rnnviz/tally/)
    S("code", str, "", high=32, role="looks", view="lessons"),
)
del S

SETTINGS: dict[str, Setting] = {s.key: s for s in ROWS}
EXPLORE: dict[str, Setting] = {s.key: s for s in ROWS if s.view in ("explore", "page")}    # the Config's fields
TRAIN: dict[str, Setting] = {s.key: s for s in ROWS if s.view == "train"}
SHARED: dict[str, Setting] = {s.key: s for s in ROWS if s.view == "shared"}
LAB: dict[str, Setting] = {s.key: s for s in ROWS if s.view == "lab"}
LESSON: dict[str, Setting] = {s.key: s for s in ROWS if s.view == "lessons"}
LOOK_ONLY: dict[str, Any] = {s.key: s.default for s in EXPLORE.values() if s.role == "looks"}
INSPECT: tuple[str, ...] = tuple(k for k, s in EXPLORE.items() if s.role == "looks" and s.kind is int)
NOTEBOOK: tuple[str, ...] = tuple(k for k, s in EXPLORE.items() if s.role == "computes" and k != "text") + ("out",)
BY_FIELD: dict[str, Setting] = {s.field: s for s in TRAIN.values()}      # trainer field -> its row
# The controls a lesson link can hide or lock: every setting drawn as a widget of its own in a view's controls.
CONTROLS: tuple[str, ...] = tuple(s.key for s in ROWS if s.view in ("explore", "train") and s.role == "computes"
                                  and s.widget in ("text", "select", "radio", "slider", "number", "toggle"))


def control_list(text: str) -> tuple[list[str], list[str]]:
    """A link's comma list of controls -> (the known ones, in the registry's order; the unknown ones)."""
    asked = [k.strip() for k in str(text).split(",") if k.strip()]
    return [k for k in CONTROLS if k in asked], [k for k in dict.fromkeys(asked) if k not in CONTROLS]


def link_doc() -> str:
    """docs/links.md: the link vocabulary, written from the rows (tests/test_registry_settings.py keeps them equal)."""
    from .words import language, say

    def values(s: Setting) -> str:
        if s.choices:
            return " · ".join(f"`{c}`" for c in s.choices)
        if s.kind is bool:
            return "`1` · `0`"
        if s.kind is str:
            return f"text, up to {int(s.high or 0):,} characters"
        low, high = s.bounds
        return f"{int(low):,} – {int(high):,}".replace(",", " ") if s.kind is int else f"{low:g} – {high:g}"

    def default(s: Setting) -> str:
        return "the task's" if s.default is TASK else f"`{int(bool(s.default)) if s.kind is bool else s.default}`"

    lines = ["# Links: every key a link can hold", "",
             "Written from `rnnviz/settings.py` by `python -m rnnviz.settings > docs/links.md`; a test keeps the two "
             "equal. A link holds only what differs from the default; a value outside its range is clamped, an "
             "unknown one ignored, each with a note on the page. With no `lang`, the browser's language decides.", "",
             "| key | view | what | values | default | role |", "| --- | --- | --- | --- | --- | --- |"]
    with language("en"):
        for s in (s for s in ROWS if s.linked):
            role = "changes the numbers" if s.role == "computes" else "what is on show"
            only = f" ({s.only_for} task)" if s.only_for else ""
            lines.append(f"| `{s.key}` | {s.view} | {say(s.name)}{only} | {values(s)} | {default(s)} | {role} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(link_doc(), end="")
