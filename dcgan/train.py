"""Training the GAN with ``fit``, as keras-io's "DCGAN overriding ``Model.train_step``".

Per epoch, every image once, both networks stepping once per batch (:class:`dcgan.gan.DCGAN`).
After each epoch: :class:`GANMonitor`'s grid of the 16 fixed latent vectors and its measures
(:mod:`dcgan.measures`), the losses and measures in ``history.csv``, both networks every
``checkpoint_every`` epochs, and :class:`shared.training.Resume`'s backup (both networks and
both optimizers: ``--resume`` ends as an uninterrupted run would). At the end, both networks
as ``.keras`` files, and the GIF and MP4 of the epoch grids.
"""
import time
from pathlib import Path

import keras
import numpy as np

from dcgan import measures, media, models
from dcgan.data import to_tanh_range
from dcgan.gan import DCGAN, GANBatches
from shared import distribute, runs, runtime
from shared.cli import log
from shared.training import RecordEpochTimes, Resume, time_to_go

HISTORY_FIELDS = ["g_loss", "d_loss", "diversity", "change", "brightness", "ellipse_iou", "nearest_real"]


def fixed_noise(seed):
    """The 16 latent vectors every epoch's grid is drawn from."""
    return runtime.rng(seed, "fixed noise").standard_normal((16, models.NOISE)).astype(np.float32)


class GANMonitor(keras.callbacks.Callback):
    """After each epoch: the grid of the fixed latent vectors, and its measures into the logs."""

    def __init__(self, folder, noise, labels, reals, background, label, epochs):
        super().__init__()
        self.folder, self.reals, self.background = Path(folder), reals, background
        self.label, self.epochs = label, epochs
        self.inputs = noise if labels is None else [noise, labels]
        self.previous = None
        self.seconds = []  # this session's epochs, each with its grid

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
        self.seconds.append(time.perf_counter() - self.started)
        to_go = time_to_go(sum(self.seconds), len(self.seconds), self.epochs, epoch + 1)
        log(f"[{self.label}] epoch {epoch + 1}/{self.epochs} g_loss {logs['g_loss']:.3f} d_loss {logs['d_loss']:.3f} "
            f"diversity {logs['diversity']:.3f} ({self.seconds[-1]:.0f}s{to_go})")


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
                runs.save_model(net, self.folder / f"epoch_{epoch + 1:03d}_{role}.keras")


def make_gan(settings, n_classes=0, run_eagerly=False):
    """The DCGAN of ``settings``, compiled with an Adam for each network."""
    g, d = models.build(settings.network, settings.size, settings.channels, n_classes)
    gan = DCGAN(g, d, real_label=settings.real_label)
    gan.compile(g_optimizer=keras.optimizers.Adam(settings.learning_rate, beta_1=settings.beta_1),
                d_optimizer=keras.optimizers.Adam(settings.learning_rate, beta_1=settings.beta_1),
                run_eagerly=run_eagerly)
    return gan


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
    reals = to_tanh_range(images[runtime.rng(seed, "real sample").choice(len(images), min(256, len(images)),
                                                                         replace=False)])
    batches = GANBatches(images, labels, settings.batch_size, seed)
    monitor = GANMonitor(run_dir / "epochs", fixed_noise(seed), grid_labels, reals, settings.background, label,
                         settings.epochs)
    callbacks = [
        monitor,
        HistoryCSV(run_dir / "history.csv", HISTORY_FIELDS),
        Checkpoints(run_dir / "checkpoints", settings.checkpoint_every),
        RecordEpochTimes(run_dir, monitor),  # each epoch's seconds, grid included: a killed session keeps them
    ]
    resume = Resume(run_dir)
    started = time.perf_counter()
    # shuffle=False: the batches bring their own order; Keras' would come from the global generator.
    gan.fit(distribute.even_batches(batches, devices), epochs=settings.epochs, shuffle=False,
            callbacks=resume.callbacks(callbacks, data=batches), verbose=0)
    seconds = time.perf_counter() - started
    runs.save_model(gan.generator, run_dir / "generator.keras")
    runs.save_model(gan.discriminator, run_dir / "discriminator.keras")
    frames = [media.imread(p) for p in sorted((run_dir / "epochs").glob("epoch_*.png"))]
    media.animate(frames, run_dir / "training.gif", run_dir / "training.mp4")
    return {"seconds": seconds, "epochs_trained": settings.epochs - resume.epoch, "images": len(images),
            "real": measures.real_measures(reals, settings.background)}
