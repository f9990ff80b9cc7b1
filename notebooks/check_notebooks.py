#!/usr/bin/python3
"""Executes the analyst notebooks headless and fails on any cell error or plot cell without an image.

Usage: /usr/bin/python3 notebooks/check_notebooks.py [--inplace] [NOTEBOOK.ipynb ...]
  (default: every notebooks/*.ipynb; --inplace writes the executed notebooks back, to refresh the committed
  outputs). Needs Debian's python3-nbclient, python3-ipykernel, python3-matplotlib and python3-pandas; the
  kernel is the interpreter running this script. A plot cell is one that calls plt.show(), plt.subplots(),
  plt.figure() or .plot(): each must leave an image/png output.
"""
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

PLOT = re.compile(r"plt\.(show|subplots|figure)\(|\.plot\(")
CELL_TIMEOUT_S = 600


def check(path: Path, inplace: bool) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as e:
        return [f"{path.name}: a cell failed:\n{e}"]
    problems = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        if any(o.output_type == "error" for o in cell.outputs):
            problems.append(f"{path.name} cell {number}: error output")
        if PLOT.search(cell.source) and not any("image/png" in o.get("data", {}) for o in cell.outputs):
            problems.append(f"{path.name} cell {number}: draws a plot but produced no image")
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    print(f"{path.name}: {len(nb.cells)} cells, {images} images, {time.monotonic() - started:.0f} s"
          + ("" if problems else ", ok"), flush=True)
    if inplace and not problems:
        nbformat.write(nb, path)
    return problems


def main(args: list[str]) -> int:
    inplace = "--inplace" in args
    paths = [Path(a) for a in args if a != "--inplace"] or sorted(Path(__file__).parent.glob("[0-9]*.ipynb"))
    problems = [p for path in paths for p in check(path.resolve(), inplace)]
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
