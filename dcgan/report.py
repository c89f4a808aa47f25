"""A run's results and report: what ``history.csv`` says, the figures, the blog's claims, ``report.md``."""
import csv
import shutil
import time

import numpy as np

from dcgan import blog, figures, models
from dcgan.data import attribute_table
from shared import report as rep
from shared import runs
from shared.cli import log

POST = "dcgan"
DATA_LINES = {"ellipses": "generated ellipses ({dataset})",
              "standin": "procedural STAND-IN avatars (the Cartoon Set was not under the data folder)",
              "cartoonset": "Google's Cartoon Set ({path})", "folder": "images from {path}"}


def read_epochs(run_dir):
    """The rows of ``history.csv`` as numbers, epochs counted from 1 (Keras' CSVLogger counts from 0)."""
    if not (run_dir / "history.csv").is_file():
        raise runs.damaged(run_dir, "history.csv", "is missing")
    history = []
    try:
        with open(run_dir / "history.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            entry = {k: (None if v in ("", "None") else float(v)) for k, v in row.items() if k != "epoch"}
            history.append({"epoch": int(row["epoch"]) + 1, **entry})
    except (ValueError, TypeError):
        raise runs.damaged(run_dir, "history.csv", "cannot be read") from None
    return history


def collect(run_dir, config, summary):
    """results.json's figures: the sizes, the parameters, the real images' measures, every epoch's."""
    settings = config["settings"]
    history = read_epochs(run_dir)
    g, d = models.counts(settings["network"], settings["size"], settings["channels"])
    return {"experiment": config["experiment"], "size": settings["size"],
            "parameters": {"generator": g, "discriminator": d},
            "images": summary["images"], "real": summary["real"], "history": history,
            "final": history[-1] if history else None}


def finish(run, summary):
    """Figures, claims and report.md of a trained run, then results.json (last); the backup goes."""
    started = time.perf_counter()
    config, run_dir = run.config, run.path
    experiment = config["experiment"]
    results = collect(run_dir, config, summary)
    figures.losses_and_diversity(results["history"], results["real"], run_dir / "figures" / "losses.png",
                                 f"{experiment}: losses and sample diversity per epoch")
    figures.shape_measures(results["history"], results["real"], run_dir / "figures" / "measures.png",
                           f"{experiment}: what the samples look like")
    rows = rep.compare(blog.CLAIMS[experiment], results, config["profile"])
    timings = runs.update_timings(run_dir, started, summary.get("seconds"))  # every part's epochs of a resumed run
    run.finish(results, rows, report_text(run_dir, config, results, rows, timings), timings)
    shutil.rmtree(run_dir / "backup", ignore_errors=True)
    log(f"{run_dir}: {rep.tally_line(rows)}; report {run_dir / 'report.md'}")
    return results


def redraw(run_dir):
    """Redraw a finished run's figures and report from its results and history."""
    path, config, results = runs.load(run_dir, POST)
    with runs.Run(path, config, redrawn=True) as run:
        finish(run, {"real": results["real"], "images": results["images"], "seconds": None})
    return path


def report_text(run_dir, config, results, rows, timings):
    settings = config["settings"]
    kind, path = config["data_source"]
    data_line = DATA_LINES[kind].format(dataset=settings["dataset"], path=path)
    epochs = sorted(run_dir.glob("epochs/epoch_*.png"))
    p, real = results["parameters"], results["real"]
    hist_rows = [[str(h["epoch"]), f"{h['g_loss']:.3f}", f"{h['d_loss']:.3f}", f"{h['diversity']:.3f}",
                  "" if h["change"] is None else f"{h['change']:.3f}", f"{h['brightness']:.2f}",
                  "" if h.get("ellipse_iou") is None else f"{h['ellipse_iou']:.2f}", f"{h['nearest_real']:.3f}"]
                 for h in results["history"]]
    attributes_md = ""
    if (run_dir / "attributes.json").exists():
        attrs = {k: (np.asarray(v["values"]), v["variants"])
                 for k, v in runs.read_run_json(run_dir, "attributes.json").items()}
        attributes_md = ("\n## The images' attributes\n\n"
                         + rep.markdown_table(["attribute", "variants", "values seen", "most common"],
                                              attribute_table(attrs)) + "\n")
    condition = f", conditioned on {', '.join(settings['condition'])}" if settings.get("condition") else ""
    took = f"Training took {timings['train_seconds']:.0f} s on this machine." if "train_seconds" in timings else ""
    fit = f"ellipse fit {real['ellipse_iou']:.2f}, " if real.get("ellipse_iou") is not None else ""
    return f"""# Generating cartoon avatars with GANs: {config['experiment']}

Profile **{config['profile']}**, seed {config['seed']}, backend {config['backend']}. Data: {data_line},
{results['images']:,} images of {settings['size']}×{settings['size']}×{settings['channels']}.
Network: {settings['network']} (generator {p['generator']:,} parameters, discriminator {p['discriminator']:,}),
Adam {settings['learning_rate']:g} (beta_1 {settings['beta_1']}), batch {settings['batch_size']},
real label {settings['real_label']}, {settings['epochs']} epochs{condition}.
{took}
Claims: {rep.tally_line(rows)}.

Real images:

![real](figures/real_examples.png)

The 16 fixed latent vectors after the last epoch (every epoch: `epochs/`; all of them: `training.gif`, `training.mp4`):

![last epoch]({epochs[-1].relative_to(run_dir) if epochs else ''})

![training](training.gif)

![losses](figures/losses.png)

![measures](figures/measures.png)

## Claims

{rep.claims_table(rows)}

{attributes_md}
## Per epoch

{rep.markdown_table(["epoch", "g loss", "d loss", "diversity", "change", "brightness", "ellipse fit", "nearest real"], hist_rows)}

Real images: diversity {real['diversity']:.3f}, brightness {real['brightness']:.2f},
{fit}nearest real {real['nearest_real']:.3f}.
"""
