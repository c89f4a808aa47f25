"""The report: each run's report.md, its numbers beside the post's claims (``blog.py``)."""
from pathlib import Path

from mnist_adversarial import blog
from shared.report import claims_table, markdown_table, tally_line
from shared.runs import run_name

__all__ = ["markdown_table", "pct", "report_text", "summary_line"]


def pct(x):
    return f"{100 * x:.2f} %"


def report_text(config, name, body, rows, paths):
    """report.md of a run: what it used, the experiment's own section (``body``), the
    post's claims beside ours (``rows`` from ``shared.report.compare``), the figures."""
    profile = config.get("profile")
    text = [f"# {blog.TITLE}: {name}, run {run_name(config)}", "",
            f"Profile **{profile}**, seed {config['seed']}, backend {config['backend']}"
            + (f", networks from `{config['networks']}`" if config.get("networks") else "") + ".", "",
            body, ""]
    if rows:
        text += ["## The post's claims beside ours", "", f"{tally_line(rows)}.", "", claims_table(rows), ""]
    text += [f"![{p.stem}](figures/{p.name})" for p in paths]
    if profile != "full":
        text += ["", f"This is a **{profile}** run: a claim that only the post's own settings can test "
                     "reads \"needs full\"."]
    return "\n".join(text) + "\n"


def summary_line(name, rows, run_dir):
    """The one line a finished experiment prints."""
    return f"{name}: " + (tally_line(rows) + "; " if rows else "") + f"report {Path(run_dir) / 'report.md'}"
