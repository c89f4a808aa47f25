"""Training the GAN with ``fit``: the batches, the callbacks, and :func:`train`.

Per epoch, every image once, in an order fixed by (seed, epoch), both networks
stepping once per batch (:class:`dcgan.gan.DCGAN`). After each epoch the callbacks:

- :class:`GANMonitor` (keras-io's): the 16 fixed latent vectors through the generator
  with ``training=False`` into a 4 × 4 grid, ``epochs/epoch_NNN.png``, and the measures
  of :mod:`dcgan.measures` into the epoch's logs;
- :class:`HistoryCSV`: the losses and measures into ``history.csv`` (epochs from 0, as Keras counts);
- :class:`Checkpoints`: both networks every ``checkpoint_every`` epochs, as the tutorial;
- ``EpochBackup`` (Keras' BackupAndRestore): both networks and both optimizers, so that
  ``--resume`` carries on from the last finished epoch and ends as an uninterrupted run would.

At the end, both networks as ``.keras`` files, and the GIF and MP4 of the epoch grids.
"""
import time
from pathlib import Path

import keras
import numpy as np

from dcgan import measures, media, models
from dcgan.data import to_tanh_range
from dcgan.gan import DCGAN
from shared import distribute, runs, runtime
from shared.cli import log
from shared.training import EpochBackup, EpochSeeds, EpochSync, ShuffledArrays, truncate_history

HISTORY_FIELDS = ["g_loss", "d_loss", "diversity", "change", "brightness", "ellipse_iou", "nearest_real"]


def fixed_noise(seed):
    """The 16 latent vectors every epoch's grid is drawn from."""
    return runtime.rng(seed, "fixed noise").standard_normal((16, models.NOISE)).astype(np.float32)


class GANBatches(ShuffledArrays):
    """Batches of ``{"images", "noise"[, "labels"]}``: images in [−1, 1] in an order fixed by
    (seed, epoch), and latent vectors drawn from a stream keyed by (seed, epoch, batch), so
    that a resumed epoch sees the images and the noise an uninterrupted one did."""

    def __init__(self, images, labels, batch_size, seed):
        super().__init__(images, np.zeros(len(images), np.int8), batch_size, seed)  # no targets in a GAN
        self.labels = labels

    def __getitem__(self, i):
        rows = np.sort(self.order[i * self.batch_size:(i + 1) * self.batch_size])
        noise = runtime.rng(self.seed, "batch noise", self.epoch, i).standard_normal((len(rows), models.NOISE))
        batch = {"images": to_tanh_range(self.x[rows]), "noise": noise.astype(np.float32)}
        if self.labels is not None:
            batch["labels"] = self.labels[rows]
        return batch


class GANMonitor(keras.callbacks.Callback):
    """After each epoch: the grid of the fixed latent vectors, and its measures into the logs."""

    def __init__(self, folder, noise, labels, reals, background, label, epochs):
        super().__init__()
        self.folder, self.reals, self.background = Path(folder), reals, background
        self.label, self.epochs = label, epochs
        self.inputs = noise if labels is None else [noise, labels]
        self.previous = None

    def samples(self):
        return np.asarray(self.model.generator(self.inputs, training=False))

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()
        if epoch and self.previous is None:  # resumed: the restored generator's images, for "change"
            self.previous = self.samples()

    def on_epoch_end(self, epoch, logs=None):
        samples = self.samples()
        media.save_png(media.upscale(media.grid(samples)), self.folder / f"epoch_{epoch + 1:03d}.png")
        logs.update(measures.sample_measures(samples, self.reals, self.background),
                    change=None if self.previous is None else measures.change(self.previous, samples))
        self.previous = samples
        log(f"[{self.label}] epoch {epoch + 1}/{self.epochs} g_loss {logs['g_loss']:.3f} d_loss {logs['d_loss']:.3f} "
            f"diversity {logs['diversity']:.3f} ({time.perf_counter() - self.started:.0f}s)")


class HistoryCSV(keras.callbacks.CSVLogger):
    """CSVLogger with fixed columns (a GAN has no validation: no empty ``val_`` columns), appending on resume."""

    def __init__(self, path, keys):
        super().__init__(str(path), append=True)
        self.columns = list(keys)

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.keys = list(self.columns)


class Checkpoints(keras.callbacks.Callback):
    """Both networks as ``.keras`` files every ``every`` epochs (``epoch_NNN_generator.keras``, ...)."""

    def __init__(self, folder, every):
        super().__init__()
        self.folder, self.every = Path(folder), every

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            for role, net in (("generator", self.model.generator), ("discriminator", self.model.discriminator)):
                save_model(net, self.folder / f"epoch_{epoch + 1:03d}_{role}.keras")


def save_model(model, path):
    with runs.atomic_path(path) as tmp:
        model.save(tmp)


def make_gan(settings, n_classes=0, run_eagerly=False):
    """The DCGAN of ``settings``, compiled with an Adam for each network."""
    g, d = models.build(settings.network, settings.size, settings.channels, n_classes)
    gan = DCGAN(g, d, real_label=settings.real_label)
    gan.compile(g_optimizer=keras.optimizers.Adam(settings.learning_rate, beta_1=settings.beta_1),
                d_optimizer=keras.optimizers.Adam(settings.learning_rate, beta_1=settings.beta_1),
                run_eagerly=run_eagerly)
    return gan


def restored_epoch(gan, run_dir):
    """The epochs the run's backup holds (0 when none), checked by loading it into ``gan``:
    a backup that cannot be read is reported as damage, before anything is trained."""
    weights = run_dir / "backup" / "latest.weights.h5"
    if not weights.exists():
        return 0
    if not (run_dir / "backup" / "training_metadata.json").exists():
        weights.unlink()  # the first backup, cut short: nothing to carry on from
        return 0
    done = runs.read_run_json(run_dir, "backup/training_metadata.json").get("epoch")
    try:
        gan.load_weights(weights)
    except Exception as exc:  # a truncated file: h5py and Keras raise many kinds
        raise runs.damaged(run_dir, "backup/latest.weights.h5", f"cannot be read ({type(exc).__name__})") from None
    if not isinstance(done, int):
        raise runs.damaged(run_dir, "backup/training_metadata.json", "has no epoch")
    return done


def train(settings, run_dir, seed, images, labels=None, grid_labels=None, label="dcgan", devices=1):
    """Train (or finish training) a run's GAN on uint8 ``images``; return its summary.

    ``labels`` (one-hot, one row per image) make it conditional; ``grid_labels`` are the
    16 fixed grid's. Epochs a backup in ``run_dir/backup`` holds are not trained again.
    ``devices``: each batch is split across that many; call it inside ``distribute.scope(devices)``.
    """
    run_dir = Path(run_dir)
    for folder in ("epochs", "checkpoints"):
        (run_dir / folder).mkdir(exist_ok=True)
    runtime.seed_everything(seed)
    gan = make_gan(settings, 0 if labels is None else labels.shape[1])
    done = restored_epoch(gan, run_dir)
    if done:
        log(f"resuming after epoch {done} of {settings.epochs}")
    truncate_history(str(run_dir / "history.csv"), done)
    reals = to_tanh_range(images[runtime.rng(seed, "real sample").choice(len(images), min(256, len(images)),
                                                                         replace=False)])
    batches = GANBatches(images, labels, settings.batch_size, seed)
    batches.set_epoch(done)  # where fit starts: the first batches may be fetched before any callback runs
    callbacks = [
        EpochSync(batches), EpochSeeds(),
        GANMonitor(run_dir / "epochs", fixed_noise(seed), grid_labels, reals, settings.background, label,
                   settings.epochs),
        HistoryCSV(run_dir / "history.csv", HISTORY_FIELDS),
        Checkpoints(run_dir / "checkpoints", settings.checkpoint_every),
        EpochBackup(str(run_dir / "backup"), delete_checkpoint=False),  # last: an epoch is done once it is backed up
    ]
    started = time.perf_counter()
    # shuffle=False: the batches bring their own order; Keras' would come from the global generator.
    gan.fit(distribute.even_batches(batches, devices), epochs=settings.epochs, callbacks=callbacks, shuffle=False,
            verbose=0)
    seconds = time.perf_counter() - started
    save_model(gan.generator, run_dir / "generator.keras")
    save_model(gan.discriminator, run_dir / "discriminator.keras")
    frames = [media.imread(p) for p in sorted((run_dir / "epochs").glob("epoch_*.png"))]
    media.animate(frames, run_dir / "training.gif", run_dir / "training.mp4")
    return {"seconds": seconds, "epochs_trained": settings.epochs - done, "images": len(images),
            "real": measures.real_measures(reals, settings.background)}
