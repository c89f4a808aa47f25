"""Each post's walkthrough notebook: generated from its literate source, and it runs.

The source is ``<post>/walkthrough*.py`` (jupytext's percent format); the committed
``.ipynb`` is made from it by ``make notebooks`` and holds no outputs. Each notebook
is executed here at ``REPRO_PROFILE=tiny`` in a real Jupyter kernel.
"""
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(REPO.glob("*/walkthrough*.py"))
IDS = [str(p.relative_to(REPO)) for p in SOURCES]


def cells(notebook):
    return [(c.cell_type, c.source) for c in notebook.cells]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_is_its_source_without_outputs(source):
    committed = source.with_suffix(".ipynb")
    assert committed.is_file(), f"{committed.name} is missing: run `make notebooks`"
    notebook = nbformat.read(committed, as_version=4)
    assert cells(notebook) == cells(jupytext.read(source)), \
        f"{committed.name} differs from {source.name}: run `make notebooks`"
    assert not any(c.get("outputs") or c.get("execution_count") for c in notebook.cells
                   if c.cell_type == "code"), f"{committed.name} holds outputs: run `make notebooks`"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_runs_at_the_tiny_profile_and_shows_figures(source, tmp_path, monkeypatch):
    monkeypatch.setenv("REPRO_PROFILE", "tiny")
    monkeypatch.setenv("REPRO_RUNS", str(tmp_path / "runs"))
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(source.parent)}})
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook shows no figure"
