"""What the walkthrough notebooks share: the set-up, and showing what a run made.

Every walkthrough sits in its post's folder and starts with the same two lines::

    import sys; sys.path.insert(0, "..")  # the suite: this notebook sits in one of its post folders
    from shared.notebook import PROFILE, RUNS, brief, section, show

Importing this module makes the suite's root the working folder (run folders
go under ``RUNS``, relative to it), sets Keras up quietly before it is imported
(:func:`shared.runtime.setup`), and reads the profile: ``REPRO_PROFILE``, else
``quick``. Where the suite is not found, the import fails with one line that
says how to open the notebook.
"""
import contextlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = os.environ.get("REPRO_PROFILE", "quick")  # tiny · quick · full (the post's own settings)
RUNS = os.environ.get("REPRO_RUNS", "runs")          # where run folders go, under the suite's root

os.chdir(ROOT)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared import runtime  # noqa: E402  (after the path is set)

runtime.setup()  # before Keras is imported: the backend, quiet TensorFlow start-up


def show(run_dir, *patterns):
    """A run's figures whose names match ``patterns`` (e.g. ``"surface_*"``), inline, in order."""
    from IPython.display import Image, display

    for pattern in patterns:
        for png in sorted((Path(run_dir) / "figures").glob(f"{pattern}.png")):
            display(Image(png))


def section(run_dir, title):
    """One ``## title`` section of a run's ``report.md`` as Markdown, without its heading and without
    the figures' links (their paths are the run folder's; :func:`show` shows figures)."""
    from IPython.display import Markdown

    text = (Path(run_dir) / "report.md").read_text()
    body = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return Markdown("\n".join(line for line in body.splitlines() if not line.startswith("![")).strip())


@contextlib.contextmanager
def brief(keep=2):
    """The progress lines of the work inside, shortened: the first ``keep`` and the last ``keep``
    lines are printed (on stdout), the others counted."""
    lines = io.StringIO()
    try:
        with contextlib.redirect_stderr(lines):
            yield
    finally:
        said = [line for line in lines.getvalue().splitlines() if line.strip()]
        if len(said) <= 2 * keep + 1:
            shown = said
        else:
            shown = [*said[:keep], f"... {len(said) - 2 * keep} more progress lines ...", *said[-keep:]]
        print("\n".join(shown))
