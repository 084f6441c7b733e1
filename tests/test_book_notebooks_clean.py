"""The chapter notebooks are stored clean, and _toc.yml lists only real files.

Notebooks are committed without outputs, execution counts or saved widget
state: the book build and the tests run them from scratch, and diffs stay
readable. Clear a notebook with

    .venv/bin/jupyter nbconvert --clear-output --inplace chapters/NAME.ipynb

(and remove ``metadata.widgets`` if JupyterLab saved widget state).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _book import toc_files

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
SOURCE_SUFFIXES = (".ipynb", ".md")


def _ids(paths):
    return [path.name for path in paths]


def test_toc_lists_existing_files():
    missing = [
        name
        for name in toc_files(ROOT)
        if not any((ROOT / (name + suffix)).is_file() for suffix in SOURCE_SUFFIXES)
        and not (ROOT / name).is_file()
    ]
    assert not missing, (
        f"_toc.yml lists files that do not exist (looked for .ipynb and .md): {missing}"
    )


def test_toc_entries_are_unique():
    files = toc_files(ROOT)
    duplicates = sorted({name for name in files if files.count(name) > 1})
    assert not duplicates, f"_toc.yml lists these files more than once: {duplicates}"


def test_every_chapter_notebook_is_in_the_toc():
    listed = {Path(name).with_suffix("").as_posix() for name in toc_files(ROOT)}
    orphans = [
        path.relative_to(ROOT).as_posix()
        for path in NOTEBOOKS
        if path.relative_to(ROOT).with_suffix("").as_posix() not in listed
    ]
    assert not orphans, f"notebooks in chapters/ missing from _toc.yml (never built): {orphans}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            dirty.append(f"cell {index}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            dirty.append(f"cell {index}: execution_count={cell['execution_count']}")
    if "widgets" in notebook.get("metadata", {}):
        dirty.append("metadata.widgets: saved widget state")
    assert not dirty, (
        f"{path.relative_to(ROOT)} is not clean; clear it with `jupyter nbconvert "
        f"--clear-output --inplace {path.relative_to(ROOT)}`:\n  " + "\n  ".join(dirty)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_valid_and_uses_python3_kernel(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    assert kernel == "python3", (
        f"{path.relative_to(ROOT)} has kernelspec name {kernel!r}; expected 'python3'"
    )
