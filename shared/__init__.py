"""The suite's own small package: what two or more posts share.

- ``config``: settings as dataclasses, and the command-line options made from them.
- ``cli``: command-line conventions: one clear line and a non-zero exit for bad input.
- ``runs``: run folders (config.json, results.json, never overwrite, resume).
- ``runtime``: seeding and the Keras/TensorFlow set-up, in one place; the backends the suite runs on.
- ``data``: where data lives (``REPRO_DATA``) and checksummed downloads.
- ``paths``: where a command may write, checked before any work.
- ``training``: Keras callbacks that make a ``fit`` resumable and legible.
- ``backup``: the files of a resumable ``fit``'s backup folder, read without Keras.
- ``distribute``: training on several devices with Keras' own distribution.
- ``figures``: headless matplotlib helpers.
- ``report``: the blog-versus-us comparison (claims, verdicts, tables) that writes ``report.md``.
- ``seeds``: ``python -m <post> seeds``, an experiment from several seeds: each claim as "agrees in k of n seeds".
- ``report_html``: a run's ``report.md`` rendered as HTML, for ``runs/index.html`` and the studio.
- ``index``: ``runs/index.html``, linking every run's report and figures.
- ``studio``: ``python -m shared.studio``, the local page to play with the trained networks.
- ``notebook``: the walkthroughs' set-up cell and display helpers.
- ``keep``: ``python -m shared.keep RUN_DIR``, a full run kept with the suite for inference (``<post>/docs/full/``).
"""


class UserError(Exception):
    """Bad input from the person running a command: shown as one line, exit 2."""
