"""Keras callbacks that make a long ``fit`` resumable and legible.

``BackupAndRestore`` brings back weights, optimizer state and the epoch count
after an interruption, but ``EarlyStopping`` and ``ModelCheckpoint`` would
start over with no memory of the best epoch so far. :func:`resume_state` reads
that memory back from the ``CSVLogger`` file, cut at the epoch the backup holds.
"""
import csv
import json
import math
import os
import time

import keras
import numpy as np

from shared.cli import log


def backup_epoch(backup_dir):
    """The number of epochs a BackupAndRestore folder holds (0 when none)."""
    path = os.path.join(backup_dir, "training_metadata.json")
    try:
        with open(path) as fh:
            return int(json.load(fh)["epoch"])
    except (OSError, ValueError, KeyError):
        return 0


def read_history(csv_path):
    if not os.path.exists(csv_path):
        return []
    with open(csv_path, newline="") as fh:
        return list(csv.DictReader(fh))


def truncate_history(csv_path, epochs):
    """Keep only the first ``epochs`` rows of a CSVLogger file (the ones the backup covers)."""
    rows = [r for r in read_history(csv_path) if int(r["epoch"]) < epochs]
    if not os.path.exists(csv_path):
        return rows
    with open(csv_path, newline="") as fh:
        header = next(csv.reader(fh), None)
    tmp = csv_path + ".tmp"
    with open(tmp, "w", newline="") as fh:
        if rows and header:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    os.replace(tmp, csv_path)
    return rows


def resume_state(rows, monitor="val_loss"):
    """(best value, its epoch, epochs waited since) from logged rows; (None, 0, 0) if none."""
    best, best_epoch = None, 0
    for row in rows:
        value = float(row[monitor])
        if best is None or value < best:
            best, best_epoch = value, int(row["epoch"])
    if best is None:
        return None, 0, 0
    last = int(rows[-1]["epoch"])
    return best, best_epoch, last - best_epoch


class EpochBackup(keras.callbacks.BackupAndRestore):
    """BackupAndRestore that saves at the end of every ``every`` epochs.

    Writing weights and optimizer state costs more than an epoch of a tiny
    model, so a backup every few epochs keeps the overhead small. Epochs after
    the last backup are trained again on resume; with a data order keyed by
    epoch (as the posts' pipelines do) they come out the same.
    """

    def __init__(self, backup_dir, every=1, **kwargs):
        super().__init__(backup_dir, save_freq="epoch", **kwargs)
        self.every = every

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if (epoch + 1) % self.every == 0:
            self._save_model()


class ResumableEarlyStopping(keras.callbacks.EarlyStopping):
    """EarlyStopping that can start from a best value and a wait count restored from a log."""

    def __init__(self, *args, restored=(None, 0, 0), **kwargs):
        super().__init__(*args, **kwargs)
        self._restored = restored

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        best, best_epoch, wait = self._restored
        if best is not None:
            self.best, self.best_epoch, self.wait = best, best_epoch, wait


class EpochTimes(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch (validation included), in ``self.seconds``."""

    def __init__(self):
        super().__init__()
        self.seconds = []
        self._start = None

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


class RecordEpochTimes(keras.callbacks.Callback):
    """Each epoch's seconds of training (``timer``, an :class:`EpochTimes`) and of its samples
    (``sampler.seconds``) added to ``run_dir/epoch_times.json`` as the epoch ends, so that a
    killed session keeps them. Place it after both."""

    def __init__(self, run_dir, timer, sampler):
        super().__init__()
        self.run_dir, self.timer, self.sampler = run_dir, timer, sampler

    def on_epoch_end(self, epoch, logs=None):
        from shared.runs import record_epoch_times

        record_epoch_times(self.run_dir, epoch + 1, self.timer.seconds[-1:], self.sampler.seconds[-1:])


class ProgressLog(keras.callbacks.Callback):
    """A plain log line every ``every`` epochs (and at the first and the last)."""

    def __init__(self, label, total_epochs, every=50, monitor="val_loss"):
        super().__init__()
        self.label, self.total, self.every, self.monitor = label, total_epochs, every, monitor
        self.sign = -1 if "acc" in monitor else 1  # accuracies: higher is better
        self.best = math.inf
        self.start = None
        self.last = None

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        value = logs.get(self.monitor, math.nan)
        self.best = min(self.best, self.sign * value)
        self.last = (epoch, value)
        if epoch == 0 or (epoch + 1) % self.every == 0:
            self._line(epoch, value)
            self.last = None

    def on_train_end(self, logs=None):
        if self.last is not None:
            self._line(*self.last)

    def _line(self, epoch, value):
        elapsed = time.perf_counter() - self.start
        log(f"[{self.label}] epoch {epoch + 1}/{self.total} {self.monitor} {value:.4g} "
            f"(best {self.sign * self.best:.4g}) {elapsed:.0f}s")


def epoch_order(n, seed, epoch):
    """The shuffled order of one epoch's samples: fixed by (seed, epoch), so a resumed run
    sees the same batches an uninterrupted one would."""
    return np.random.default_rng([seed, epoch]).permutation(n)


class EpochSync(keras.callbacks.Callback):
    """Tell a dataset with ``epoch``/``set_epoch`` which epoch begins (fit may start at a
    later one after a resume)."""

    def __init__(self, dataset):
        super().__init__()
        self.dataset = dataset

    def on_epoch_begin(self, epoch, logs=None):
        if self.dataset.epoch != epoch:
            self.dataset.set_epoch(epoch)


class ShuffledArrays(keras.utils.PyDataset):
    """Batches of in-memory arrays (``x`` an array or a dict of arrays), in an order fixed by
    (seed, epoch): Keras' own ``shuffle=True`` draws from the global generator, which a
    resumed run cannot replay."""

    def __init__(self, x, y, batch_size, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size, self.seed = x, np.asarray(y), batch_size, seed
        self.n = len(self.y)
        self.epoch = 0
        self.order = epoch_order(self.n, seed, 0)

    def set_epoch(self, epoch):
        self.epoch = epoch
        self.order = epoch_order(self.n, self.seed, epoch)

    def __len__(self):
        return -(-self.n // self.batch_size)

    def __getitem__(self, i):
        rows = np.sort(self.order[i * self.batch_size:(i + 1) * self.batch_size])
        x = ({k: v[rows] for k, v in self.x.items()} if isinstance(self.x, dict) else self.x[rows])
        return x, self.y[rows]

    def on_epoch_end(self):
        self.set_epoch(self.epoch + 1)


class EpochSeeds(keras.callbacks.Callback):
    """Dropout's random draws keyed by epoch, so that a resumed run draws what an
    uninterrupted one would.

    Keras' layers keep their random state in ``seed_generator_state`` variables
    that weight files (and so BackupAndRestore) do not hold. At the start of every
    epoch each state becomes (its initial seed, epoch · 2^20); within the epoch
    Keras counts up from there as usual.
    """

    def on_train_begin(self, logs=None):
        self._states = [v for v in self.model.non_trainable_variables
                        if v.path.endswith("seed_generator_state")]
        self._bases = [int(np.asarray(keras.ops.convert_to_numpy(v))[0]) for v in self._states]

    def on_epoch_begin(self, epoch, logs=None):
        for v, base in zip(self._states, self._bases):
            v.assign(np.array([base, epoch << 20], dtype=v.dtype))
