"""The post's experiment from start to finish.

    from addition import experiment
    from addition.config import QUICK

    run_dir = experiment.run(QUICK, out="runs", seed=0, profile="quick")   # about 1½ minutes
    print(experiment.summary(run_dir))

:func:`run` starts a run folder (or resumes one) through ``shared.runs``, trains
the 15 networks, measures what the post measured, draws its figures, compares
with its claims and writes ``report.md`` and, last, ``results.json``.
"""
import time
import zipfile
from pathlib import Path

import numpy as np

from addition.config import FULL, PROFILES, of_run
from addition.data import max_sum
from shared import runs
from shared.config import profile_name
from shared.cli import log
from shared.report import tally_line

POST, EXPERIMENT = "addition", "grid"


def run(settings=FULL, out="runs", seed=0, profile=None, resume=None, workers=1):
    """Train, measure, draw and report the grid; return the run folder.

    ``settings`` is an :class:`addition.config.Config` (ignored with ``resume``,
    a run folder to finish: it keeps its own); ``profile`` names it in the report
    (default: the profile it equals). ``workers``: networks trained side by side
    (see :func:`addition.train.train`).
    """
    run = open_run(EXPERIMENT, settings, PROFILES, out, seed, profile, resume)
    if run is None:  # already complete
        return Path(resume)
    # Keras was set up (quietly) by runs.start or runs.resume, after --out or
    # --resume was checked; the modules that use it are imported only now.
    from addition.train import train

    with run:
        settings = of_run(run.config)
        begun = time.perf_counter()
        summaries = train(settings, run.path, run.seed, workers)
        train_seconds = time.perf_counter() - begun
        log("evaluating every network on fresh pairs")
        results, text, rows = measure_and_report(run, settings, summaries)
        run.finish(results, rows, text, {
            "train_seconds": train_seconds, "analysis_seconds": time.perf_counter() - begun - train_seconds,
            "networks": {k: {"seconds": v["seconds"], "epochs": v["epochs"]} for k, v in summaries.items()}})
    return run.path


def open_run(experiment, settings, profiles, out, seed, profile, resume):
    """``resume``'s run (None when it is complete already), or a new one once ``settings`` are checked.

    ``profile`` defaults to the name of the profile ``settings`` equal, if any.
    """
    if resume:
        return runs.resume(resume, POST, experiment)
    settings.check()
    profile = profile or profile_name(profiles, settings)
    return runs.start(POST, experiment, settings, seed, out, profile)


def measure_and_report(run, settings, summaries):
    """Measure every network, save the arrays behind the figures, draw them, and write report.md's text."""
    from addition.analysis import analyse  # Keras: see run()

    results, arrays = analyse(run.path, settings, run.seed, summaries)
    with runs.atomic_path(run.path / "analysis.npz") as tmp:
        np.savez_compressed(tmp, **arrays)
    text, rows = draw_and_write(run.path, run.config, settings, results, arrays)
    return results, text, rows


def draw_and_write(run_dir, config, settings, results, arrays):
    from addition import figures, report

    paths = figures.draw_all(run_dir, results, arrays, settings)
    return report.write(run_dir, config, settings, results, paths)


def redraw(run_dir):
    """Redraw a complete run's figures and report.md from its results.json and analysis.npz."""
    path, config, results = runs.load(run_dir, POST, EXPERIMENT)
    try:
        with np.load(path / "analysis.npz") as data:
            arrays = dict(data)
    except FileNotFoundError:
        raise runs.damaged(path, "analysis.npz", "is missing") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:  # truncated, or no npz
        raise runs.damaged(path, "analysis.npz", f"cannot be read ({type(exc).__name__})") from None
    with runs.Lock(path):
        text, _ = draw_and_write(path, config, of_run(config), results, arrays)
        runs.write_text(path / "report.md", text)
    return path / "report.md"


def summary(run_dir):
    """A complete run in a few lines: accuracy per network, the claims' tally, where the report is."""
    path, config, results = runs.load(run_dir, POST, EXPERIMENT)
    settings = of_run(config)
    sums = [max_sum(b) for b in settings.bits]
    nets = results["networks"]
    rows = [{"verdict": claim["verdict"]} for claim in results.get("claims", {}).values()]
    return "\n".join([
        "\naccuracy on fresh pairs (rounded prediction = sum)",
        "nodes " + "".join(f"{'max ' + str(s):>12}" for s in sums),
        *(f"{n:>5} " + "".join(f"{nets[f'n{n}_s{s}']['accuracy']:>12.1%}" for s in sums)
          for n in settings.nodes),
        f"\nthe post's claims: {tally_line(rows)}",
        f"report:  {path / 'report.md'}",
        f"figures: {path / 'figures'}",
    ])
