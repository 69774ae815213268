"""A notebook user's `pip install .`: the built package carries every module and its requirements, and works away
from this checkout."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from rnnviz.ui import web

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_installs_and_draws_the_explore_figures_outside_the_repo(tmp_path):
    source = tmp_path / "source"                 # a copy: setuptools writes build/ and *.egg-info next to its input
    shutil.copytree(ROOT / "rnnviz", source / "rnnviz", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements.txt", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(source),
                    "-w", str(tmp_path / "dist")], check=True, cwd=tmp_path, timeout=300)
    wheel, = (tmp_path / "dist").glob("rnnviz-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        metadata = z.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert {"rnnviz/notebook.py", "rnnviz/engine/cells.py", "rnnviz/plots/step.py", "rnnviz/train/loop.py"} <= names
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]
    files = {f"rnnviz/{p.relative_to(ROOT / 'rnnviz').as_posix()}" for p in (ROOT / "rnnviz").rglob("*.*s")
             if p.suffix in (".js", ".css")}
    assert {".js", ".css"} <= {Path(n).suffix for n in files}, sorted(files)  # the page's scripts and styles...
    assert files <= names, sorted(files - names)                            # ...ship with it
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert all(f"Requires-Dist: {pin}" in metadata for pin in pins)       # torch stays pinned to the CPU wheel
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp_path / "site"),
                    str(wheel)], check=True, timeout=300)
    code = ("import rnnviz.notebook as nb; lab = nb.explore('안녕 hello', cell='lstm', H=3); "
            "print(nb.__file__); print(lab.step(2).layout.title.text); "
            "from rnnviz.ui import web; print(web.HERE); print(len(web.script('follow')), len(web.style('page')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    where, title, web_dir, sizes = out.stdout.splitlines()[:4]
    assert where.startswith(str(tmp_path / "site")) and title.startswith("the step at t = 2 (token '␣')")
    assert web_dir.startswith(str(tmp_path / "site"))      # the page's files, read from the installed package
    assert sizes == f"{len(web.script('follow'))} {len(web.style('page'))}"
