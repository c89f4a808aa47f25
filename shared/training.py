"""Keras callbacks that make a long ``fit`` resumable and legible.

``BackupAndRestore`` brings back weights, optimizer state and the epoch count
after an interruption, but ``EarlyStopping`` and ``ModelCheckpoint`` would
start over with no memory of the best epoch so far. :func:`resume_state` reads
that memory back from the ``CSVLogger`` file, cut at the epoch the backup holds.
"""
import csv
import math
import os
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from shared import backup
from shared.cli import log, raise_pending
from shared.runs import atomic_path, write_json


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
    """Keras' ``BackupAndRestore``, saving every ``every`` epochs in the layout of
    :mod:`shared.backup`: its weights and its epoch count agree whenever the process is killed.

    Keras' own rewrites ``latest.weights.h5`` and then ``training_metadata.json``
    in place: a process killed halfway leaves a half-written file, or weights one
    epoch ahead of the count. Writing weights and optimizer state also costs more
    than an epoch of a tiny model, hence ``every``; epochs after the last backup
    are trained again on resume, and with a data order keyed by epoch they come
    out the same.
    """

    def __init__(self, backup_dir, every=1):
        super().__init__(str(backup_dir), save_freq="epoch", delete_checkpoint=False)
        self.every = every

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if (epoch + 1) % self.every == 0:
            self._save_model()

    def _save_model(self):
        folder = Path(self.backup_dir)
        folder.mkdir(parents=True, exist_ok=True)
        weights = folder / backup.weights_name(self._current_epoch)
        self.model.save_weights(str(weights), overwrite=True)
        write_json(folder / backup.METADATA, {"epoch": self._current_epoch, "batch": 0})
        for old in [*folder.glob("*.weights.h5*"), folder / (backup.METADATA + ".bkp")]:
            if old != weights:
                old.unlink(missing_ok=True)

    def _load_model(self):
        if not backup.epoch_of(self.backup_dir):
            return  # no epoch backed up whole (Keras would load a stray file and start at epoch 0)
        self._weights_path = str(backup.weights_file(self.backup_dir))
        super()._load_model()


class RestoreBest(keras.callbacks.Callback):
    """After the others' ``on_train_begin``: the best value, its epoch and the wait that
    ``EarlyStopping`` and a best-only ``ModelCheckpoint`` had reached, from the logged rows
    (lower is better, as for every loss the posts watch)."""

    def __init__(self, callbacks, rows):
        super().__init__()
        self.callbacks, self.rows = callbacks, rows

    def on_train_begin(self, logs=None):
        for cb in self.callbacks:
            if isinstance(cb, keras.callbacks.EarlyStopping):
                best, best_epoch, wait = resume_state(self.rows, cb.monitor)
                if best is not None:
                    cb.best, cb.best_epoch, cb.wait = best, best_epoch, wait
            elif isinstance(cb, keras.callbacks.ModelCheckpoint) and cb.save_best_only:
                best = resume_state(self.rows, cb.monitor)[0]
                if best is not None:
                    cb.best = best


class Resume:
    """Where an interrupted ``fit`` left off in ``folder``, and the callbacks that carry it on
    as an uninterrupted one would have gone.

    ``folder/backup`` is :class:`EpochBackup`'s, ``folder/history.csv`` the CSV log's
    (give ``CSVLogger`` ``append=True``). Made, it checks the backup (damage is said
    in one line, naming ``run_dir``) and cuts the log at the epoch the backup holds,
    ``self.epoch``. Use::

        resume = Resume(folder)
        model.fit(..., callbacks=resume.callbacks([...the post's callbacks...]))
    """

    def __init__(self, folder, run_dir=None, label=""):
        self.folder = Path(folder)
        self.backup_dir = self.folder / "backup"
        self.history_csv = str(self.folder / "history.csv")
        backup.check(self.backup_dir, run_dir or self.folder)
        self.epoch = backup.epoch_of(self.backup_dir)
        self.rows = truncate_history(self.history_csv, self.epoch)
        if self.epoch:
            log(f"{label}resuming after epoch {self.epoch}")

    def callbacks(self, callbacks, data=None, every=1):
        """``callbacks`` with what stops at a signal (:class:`StopOnSignal`) and what replays
        a resumed run exactly: ``data``'s epoch order
        (a :class:`ShuffledArrays`-like dataset) and dropout's draws keyed by epoch, the
        memory of ``EarlyStopping`` and a best-only ``ModelCheckpoint``, and last the backup,
        so that an epoch counts as done only once the others have written it."""
        callbacks = list(callbacks)
        front = [StopOnSignal(), EpochSeeds()]
        if data is not None:
            data.set_epoch(self.epoch)  # where fit starts: its first batch may come before any callback runs
            front.insert(0, EpochSync(data))
        return [*front, *callbacks, RestoreBest(callbacks, self.rows), EpochBackup(self.backup_dir, every)]

    def finished(self, epochs, early_stopping=None):
        """Whether ``fit`` has nothing left: ``epochs`` done, or ``early_stopping`` had stopped it."""
        if self.epoch >= epochs:
            return True
        if early_stopping is None or not self.epoch:
            return False
        return resume_state(self.rows, early_stopping.monitor)[2] >= early_stopping.patience

    @staticmethod
    def clear(folder):
        """Training is over: the backup has served."""
        shutil.rmtree(Path(folder) / "backup", ignore_errors=True)


class StopOnSignal(keras.callbacks.Callback):
    """Stops ``fit`` after the training batch in which Ctrl-C or SIGTERM came, where the signal's own
    exception was lost in C++ code (under JAX, while a step's results are waited for). Training batches
    only: their callbacks run in step already (``BackupAndRestore`` has a batch hook), while a hook on
    validation batches would stop JAX from handing them to a thread; a signal lost there stops the
    next epoch's first batch, after the finished epoch is backed up."""

    def on_train_batch_end(self, batch, logs=None):
        raise_pending()


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
    killed session keeps them. Place it after both. With no ``sampler``, the timer's seconds
    are the whole epoch's, its samples included."""

    def __init__(self, run_dir, timer, sampler=None):
        super().__init__()
        self.run_dir, self.timer, self.sampler = run_dir, timer, sampler

    def on_epoch_end(self, epoch, logs=None):
        from shared.runs import record_epoch_times

        sampled = self.sampler.seconds[-1:] if self.sampler is not None else [0.0]
        record_epoch_times(self.run_dir, epoch + 1, self.timer.seconds[-1:], sampled)


def time_to_go(seconds, epochs_done, epochs_total, epoch):
    """`` ≈ 2 h 5 min to epoch 100``: the time the epochs after ``epoch`` (counted from 1) will
    take at the pace of the ``epochs_done`` this session took ``seconds`` for; empty after the last."""
    if epoch >= epochs_total or epochs_done < 1:
        return ""
    left = seconds / epochs_done * (epochs_total - epoch)
    hours, minutes = divmod(round(left / 60), 60)
    span = f"{left:.0f} s" if left < 59.5 else f"{hours} h {minutes} min" if hours else f"{minutes} min"
    return f", ≈ {span} to epoch {epochs_total}"


class ProgressLog(keras.callbacks.Callback):
    """A plain log line every ``every`` epochs (and at the first and the last), with this
    session's time so far and the time the remaining epochs will take at its pace."""

    def __init__(self, label, total_epochs, every=50, monitor="val_loss"):
        super().__init__()
        self.label, self.total, self.every, self.monitor = label, total_epochs, every, monitor
        self.sign = -1 if "acc" in monitor else 1  # accuracies: higher is better
        self.best = math.inf
        self.start = None
        self.first = None  # this session's first epoch (a resumed run begins after 0)
        self.last = None

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        if self.first is None:
            self.first = epoch

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
        done = epoch + 1 - (self.first or 0)
        log(f"[{self.label}] epoch {epoch + 1}/{self.total} {self.monitor} {value:.4g} "
            f"(best {self.sign * self.best:.4g}) {elapsed:.0f} s so far{time_to_go(elapsed, done, self.total, epoch + 1)}")


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


class InOrderArrays(keras.utils.PyDataset):
    """Batches of in-memory arrays (``x`` an array or a dict of arrays) in their own order, every
    epoch: held-out data, which Keras scores after each epoch."""

    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, np.asarray(y), batch_size
        self.n = len(self.y)

    def __len__(self):
        return -(-self.n // self.batch_size)

    def rows(self, i):
        """The rows of batch ``i``."""
        return slice(i * self.batch_size, (i + 1) * self.batch_size)

    def __getitem__(self, i):
        rows = self.rows(i)
        x = ({k: v[rows] for k, v in self.x.items()} if isinstance(self.x, dict) else self.x[rows])
        return x, self.y[rows]


class ShuffledArrays(InOrderArrays):
    """Batches of in-memory arrays (``x`` an array or a dict of arrays), in an order fixed by
    (seed, epoch): Keras' own ``shuffle=True`` draws from the global generator, which a
    resumed run cannot replay."""

    def __init__(self, x, y, batch_size, seed=0, **kwargs):
        super().__init__(x, y, batch_size, **kwargs)
        self.seed = seed
        self.epoch = 0
        self.order = epoch_order(self.n, seed, 0)

    def set_epoch(self, epoch):
        self.epoch = epoch
        self.order = epoch_order(self.n, self.seed, epoch)

    def rows(self, i):
        return np.sort(self.order[i * self.batch_size:(i + 1) * self.batch_size])

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


def computed_once(path, compute, rows, earlier="an earlier session"):
    """``compute()``'s array, kept at ``path`` (a ``.npy`` file) for the sessions that resume a run
    (or, where ``earlier`` says so, for other runs): they read it instead of computing it again. A
    file that cannot be read, or whose rows are not ``rows``, is computed again (and said so)."""
    path = Path(path)
    if path.exists():
        try:
            array = np.load(path)
            if len(array) == rows:
                log(f"read {path.name}, computed by {earlier}")
                return array
        except (OSError, ValueError, EOFError):
            pass
        log(f"{path} cannot be used: computing it again")
    array = compute()
    path.parent.mkdir(exist_ok=True)
    with atomic_path(path) as tmp:
        np.save(tmp, array)
    return array
