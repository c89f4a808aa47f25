"""The training loop: the tutorial's, with the post's per-epoch image and a few measures.

Per epoch: every batch once (shuffled by (seed, epoch)), both networks stepping
once per batch; then the 16 fixed latent vectors through the generator with
``training=False`` into a 4 × 4 grid (``epochs/epoch_NNN.png``); the mean losses
and the measures of :mod:`dcgan.measures` into ``history.csv``; a backup of both
networks and both optimizers (so ``--resume`` carries on from the last finished
epoch); and every ``checkpoint_every`` epochs a checkpoint of both networks, as
the tutorial's. At the end, the GIF and MP4 of the epoch grids.
"""
import csv
import json
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from dcgan import measures, media, models, steps
from dcgan.data import to_unit
from shared.cli import log
from shared.training import read_history

HISTORY_FIELDS = ["epoch", "g_loss", "d_loss", "diversity", "change", "brightness", "ellipse_iou",
                  "nearest_real", "seconds"]


def fixed_noise(seed):
    """The 16 latent vectors every epoch's grid is drawn from."""
    return np.random.default_rng([seed, 16]).standard_normal((16, models.NOISE)).astype(np.float32)


def write_history(path, rows):
    tmp = Path(path).with_suffix(".tmp")
    with open(tmp, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HISTORY_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def latest_backup(run_dir):
    base = Path(run_dir) / "backup"
    done = sorted(p for p in base.glob("epoch_*") if (p / "state.json").is_file()) if base.is_dir() else []
    return done[-1] if done else None


def save_backup(run_dir, epoch, g, d, g_opt, d_opt):
    """A complete backup folder for ``epoch`` (state.json written last), then drop older ones."""
    base = Path(run_dir) / "backup"
    folder = base / f"epoch_{epoch:03d}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    g.save_weights(folder / "generator.weights.h5")
    d.save_weights(folder / "discriminator.weights.h5")
    np.savez(folder / "optimizers.npz",
             **{f"g{i}": np.asarray(v) for i, v in enumerate(g_opt.variables)},
             **{f"d{i}": np.asarray(v) for i, v in enumerate(d_opt.variables)})
    (folder / "state.json").write_text(json.dumps({"epoch": epoch}))
    for old in base.glob("epoch_*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


def load_backup(folder, g, d, g_opt, d_opt):
    g.load_weights(folder / "generator.weights.h5")
    d.load_weights(folder / "discriminator.weights.h5")
    saved = np.load(folder / "optimizers.npz")
    for prefix, opt in (("g", g_opt), ("d", d_opt)):
        for i, var in enumerate(opt.variables):
            var.assign(saved[f"{prefix}{i}"])
    return json.loads((folder / "state.json").read_text())["epoch"]


def make_optimizers(settings):
    return (keras.optimizers.Adam(settings["learning_rate"], beta_1=settings["beta_1"]),
            keras.optimizers.Adam(settings["learning_rate"], beta_1=settings["beta_1"]))


def epoch_measures(samples, settings, reals):
    row = {"diversity": measures.diversity(samples), "brightness": measures.brightness(samples),
           "nearest_real": measures.nearest_real(samples, reals)}
    if settings.get("background") is not None:
        row["ellipse_iou"] = measures.mean_ellipse_iou(samples, settings["background"])
    return row


def train(run_dir, settings, seed, images, labels=None, grid_labels=None):
    """Train (or finish training) the run's GAN on uint8 ``images``; return its summary."""
    from shared import runtime

    run_dir = Path(run_dir)
    (run_dir / "epochs").mkdir(exist_ok=True)
    (run_dir / "checkpoints").mkdir(exist_ok=True)
    runtime.seed_everything(seed)
    n_classes = 0 if labels is None else labels.shape[1]
    g, d = models.build(settings["network"], settings["size"], settings["channels"], n_classes)
    g_opt, d_opt = make_optimizers(settings)
    trainer = steps.Trainer(g, d, g_opt, d_opt, real_label=settings["real_label"])
    history_path = run_dir / "history.csv"
    done = 0
    backup = latest_backup(run_dir)
    if backup is not None:
        done = load_backup(backup, g, d, g_opt, d_opt)
        log(f"resuming after epoch {done} of {settings['epochs']}")
    rows = [r for r in read_history(history_path) if int(r["epoch"]) <= done]
    write_history(history_path, rows)

    noise16 = fixed_noise(seed)
    reals = images[np.random.default_rng([seed, 3]).choice(len(images), min(256, len(images)), replace=False)]
    reals = to_unit(reals)
    n, batch = len(images), settings["batch_size"]
    grid_inputs = [noise16, grid_labels] if n_classes else noise16
    previous = np.asarray(g(grid_inputs, training=False)) if done else None
    started = time.perf_counter()
    for epoch in range(done, settings["epochs"]):
        t0 = time.perf_counter()
        rng = np.random.default_rng([seed, epoch])
        order = rng.permutation(n)
        g_sum = d_sum = 0.0
        count = 0
        for start in range(0, n, batch):
            idx = np.sort(order[start:start + batch])
            real = to_unit(images[idx])
            noise = rng.standard_normal((len(idx), models.NOISE)).astype(np.float32)
            lab = None if labels is None else labels[idx]
            g_loss, d_loss = trainer.step(real, noise, lab)
            g_sum += g_loss * len(idx)
            d_sum += d_loss * len(idx)
            count += len(idx)
        trainer.sync()
        samples = np.asarray(g(grid_inputs, training=False))
        media.save_png(media.upscale(media.grid(samples)), run_dir / "epochs" / f"epoch_{epoch + 1:03d}.png")
        row = {"epoch": epoch + 1, "g_loss": g_sum / count, "d_loss": d_sum / count,
               **epoch_measures(samples, settings, reals), "seconds": time.perf_counter() - t0,
               "change": None if previous is None else measures.change(previous, samples)}
        previous = samples
        rows.append(row)
        write_history(history_path, rows)
        if (epoch + 1) % settings["checkpoint_every"] == 0:
            g.save(run_dir / "checkpoints" / f"epoch_{epoch + 1:03d}_generator.keras")
            d.save(run_dir / "checkpoints" / f"epoch_{epoch + 1:03d}_discriminator.keras")
        save_backup(run_dir, epoch + 1, g, d, g_opt, d_opt)
        log(f"[{settings['experiment']}] epoch {epoch + 1}/{settings['epochs']} g_loss {row['g_loss']:.3f} "
            f"d_loss {row['d_loss']:.3f} diversity {row['diversity']:.3f} ({row['seconds']:.0f}s)")
    seconds = time.perf_counter() - started
    g.save(run_dir / "generator.keras")
    d.save(run_dir / "discriminator.keras")
    frames = [media.imread(p) for p in sorted((run_dir / "epochs").glob("epoch_*.png"))]
    media.animate(frames, run_dir / "training.gif", run_dir / "training.mp4")
    return {"seconds": seconds, "epochs_trained": settings["epochs"] - done, "images": n,
            "real": real_measures(reals, settings)}


def real_measures(reals, settings):
    """The measures of 16 real images (the nearest-neighbour distance to the other real ones)."""
    ref, probe = reals[16:], reals[:16]
    out = {"diversity": measures.diversity(probe), "brightness": measures.brightness(reals),
           "nearest_real": measures.nearest_real(probe, ref) if len(ref) else 0.0}
    if settings.get("background") is not None:
        out["ellipse_iou"] = measures.mean_ellipse_iou(probe, settings["background"])
    return out
