"""One section of the post, end to end: the data, training, the measures, the figures, the report.

    from dcgan import config, experiment
    run_dir = experiment.run("bw-ellipses", config.profile("bw-ellipses", "tiny"), out="runs", seed=0, profile="tiny")
"""
from pathlib import Path

from dcgan import config, data, media
from dcgan.report import finish
from shared import backup, distribute, runs, runtime
from shared.cli import log
from shared.config import from_dict, profile_name
from shared.runs import write_json

POST = "dcgan"


def run(experiment, settings=None, out="runs", seed=0, profile=None, resume=None, devices=1):
    """Train ``experiment`` ("first-attempt", "bw-ellipses", "colour-ellipses", "cartoon") with
    ``settings`` (default: its ``profile``, default quick), or finish the run ``resume``, with
    each batch split across ``devices`` devices; measure, draw and report. Returns the run folder."""
    loaded = None  # images read while checking the input, kept for training
    distribute.prepare(devices)
    if resume:
        backup.check(Path(resume) / "backup", resume)  # damage is said before anything starts
        run = runs.resume(resume, POST, experiment)
        if run is None:
            return Path(resume)
        settings, source = from_dict(config.Config, run.settings), tuple(run.config["data_source"])
        distribute.check_batch(devices, settings.batch_size)
    else:
        if settings is None:
            profile = profile or "quick"
            settings = config.profile(experiment, profile)
        profile = profile or profile_name(config.PROFILES[experiment], settings)
        settings.check()
        distribute.check_batch(devices, settings.batch_size)
        # Everything is found and read before the run folder is made: a mistake leaves nothing behind.
        source = data.data_source(settings)
        if source[0] in ("folder", "cartoonset"):
            loaded = data.training_images(settings, seed, source)
        if settings.condition:
            attributes = standin_attributes() if source[0] == "standin" else loaded[1]
            data.check_condition(settings.condition, attributes, source)
        run = runs.start(POST, experiment, settings, seed, out, profile, extra={"data_source": list(source)})
        if source[0] == "standin":
            log("the Cartoon Set is not under the data folder: training on procedural STAND-IN avatars")
    with run:
        distribute.record(run, devices)
        train_run(run, experiment, settings, source, loaded, devices)
    return run.path


def standin_attributes():
    from dcgan.avatars import ATTRIBUTES

    return {name: (None, count) for name, count in ATTRIBUTES.items()}


def train_run(run, experiment, settings, source, loaded=None, devices=1):
    """Inside a locked run folder: the real examples, training, the attributes, the report."""
    from dcgan.train import train  # Keras is imported once the input is checked: a mistake is reported at once

    images, attributes = loaded or data.training_images(settings, run.seed, source, run.path)
    labels = grid_labels = None
    if settings.condition:
        labels = data.one_hot(attributes, settings.condition)
        grid_labels = labels[runtime.rng(run.seed, "grid labels").choice(len(labels), 16)]
    sample = images[runtime.rng(run.seed, "real examples").choice(len(images), 16, replace=False)]
    media.save_png(media.upscale(media.grid(data.to_tanh_range(sample))), run.path / "figures" / "real_examples.png")
    log(f"{experiment}: {settings.network} network, {len(images):,} images of {settings.size}×{settings.size}"
        f"×{settings.channels}, {settings.epochs} epochs ({run.config['backend']}, {devices} device"
        f"{'s' * (devices > 1)})")
    with distribute.scope(devices):  # the GAN is built, restored and trained on every device
        summary = train(settings, run.path, run.seed, images, labels, grid_labels, label=experiment, devices=devices)
    if attributes:
        write_json(run.path / "attributes.json",
                   {k: {"variants": c, "values": v.tolist()} for k, (v, c) in attributes.items()})
    finish(run, summary)


def run_all(settings, out="runs", seed=0, profile="quick", devices=1):
    """Every section in the post's order, with ``settings[experiment]``; returns the run folders."""
    for name in config.EXPERIMENTS:  # every batch size checked before the first section trains
        distribute.check_batch(devices, settings[name].batch_size)
    return [run(name, settings[name], out, seed, profile, devices=devices) for name in config.EXPERIMENTS]
