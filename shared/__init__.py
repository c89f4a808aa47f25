"""The suite's own small package: what two or more posts share.

- ``runs``: run folders (config.json, results.json, never overwrite, resume).
- ``runtime``: seeding and the Keras/TensorFlow set-up, in one place.
- ``data``: where data lives (``REPRO_DATA``) and checksummed downloads.
- ``report``: the blog-versus-us comparison that writes ``report.md``.
- ``figures``: headless matplotlib helpers.
- ``training``: Keras callbacks that make a ``fit`` resumable and legible.
- ``cli``: one clear line and a non-zero exit for bad input.
- ``index``: ``runs/index.html``, linking every run's report and figures.
"""


class UserError(Exception):
    """Bad input from the person running a command: shown as one line, exit 2."""
