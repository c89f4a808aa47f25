"""Training the grid: one network per (hidden nodes, max sum), each in its own folder.

Each network trains with Keras' own ``fit`` and callbacks, as the post did:
Adam, MSE, batches of 32, ``validation_split`` 0.2 (the last 20 % of the pairs),
up to 1000 epochs, EarlyStopping on val_loss with patience 5, the best model by
val_loss kept (ModelCheckpoint) and every epoch logged (CSVLogger).

Faster plumbing, same math: a whole epoch of 250 batches runs as one compiled
call (``steps_per_execution``), the epoch's batches come from one shuffled
permutation instead of 8,000 single-row dataset elements, and networks train side
by side in worker processes. ``BackupAndRestore`` saves every few epochs, so an
interrupted network continues where it stopped; since each epoch's shuffle is
keyed by the epoch number, the resumed run trains exactly as an uninterrupted one.
"""
import math
import os
import shutil
import time
from concurrent.futures import as_completed
from pathlib import Path

import keras
import numpy as np

from addition.data import data_seed, make_pairs, max_sum, net_name
from addition.models import build
from addition.pool import worker_pool
from shared import runtime
from shared.cli import log
from shared.runs import atomic_path, read_json, write_json
from shared.training import (EpochBackup, EpochTimes, ProgressLog, ResumableEarlyStopping,
                             backup_epoch, resume_state, truncate_history)


def train(settings, run_dir, seed=0, workers=1):
    """Train every network of the grid not trained yet; return all their summaries by name.

    ``settings`` is an :class:`addition.config.Config`; ``workers`` networks train
    side by side, each in a process of its own (from a script, that needs the usual
    ``if __name__ == "__main__":`` guard). Networks already trained in ``run_dir``
    are kept, and one interrupted halfway continues from its backup.
    """
    runtime.setup()
    run_dir = Path(run_dir)
    jobs = [(nodes, bits) for bits in settings.bits for nodes in settings.nodes]
    pending = [job for job in jobs if not (run_dir / "networks" / net_name(*job) / "summary.json").exists()]
    workers = max(1, min(workers, len(pending)))
    if pending:
        log(f"training {len(pending)} of {len(jobs)} networks "
            f"({workers} at a time, up to {settings.max_epochs} epochs each)")
    if workers == 1:
        for nodes, bits in pending:
            train_network(run_dir, nodes, bits, settings, seed)
    elif pending:
        with worker_pool(workers) as pool:
            futures = [pool.submit(train_network, run_dir, nodes, bits, settings, seed)
                       for nodes, bits in pending]
            try:
                for future in as_completed(futures):
                    future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return {net_name(*job): read_json(run_dir / "networks" / net_name(*job) / "summary.json")
            for job in jobs}


class Backup(EpochBackup):
    """``EpochBackup`` whose weights and epoch count agree whenever the process is killed.

    Keras' ``BackupAndRestore`` rewrites ``latest.weights.h5`` and then
    ``training_metadata.json`` in place: a process killed halfway (a worker ends
    with its parent, at any moment) leaves a half-written file, or weights one
    epoch ahead of the count. Here each backup's weights go to a file of their
    own, ``epoch<k>.weights.h5``; only then does the metadata, written whole,
    say k; the older file goes last. The metadata always names a complete file.
    """

    def _weights_of(self, epoch):
        return os.path.join(self.backup_dir, f"epoch{epoch}.weights.h5")

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        epoch = self._current_epoch
        self.model.save_weights(self._weights_of(epoch), overwrite=True)
        write_json(Path(self._training_metadata_path), {"epoch": epoch, "batch": 0})
        for old in Path(self.backup_dir).glob("epoch*.weights.h5"):
            if str(old) != self._weights_of(epoch):
                old.unlink()

    def _load_model(self):
        named = self._weights_of(backup_epoch(self.backup_dir))
        if os.path.exists(named):  # else a backup in Keras' own layout, from an older run
            self._weights_path = named
        super()._load_model()


def network_seed(seed, nodes, bits):
    """Each network its own seed, whatever worker or order trains it."""
    return int(np.random.SeedSequence([seed, nodes, bits]).generate_state(1)[0] % 2**31)


def split(x, y, validation_split):
    """Keras' ``validation_split``: the last share of the arrays, before any shuffling."""
    at = int(math.ceil(len(x) * (1.0 - validation_split)))
    return (x[:at], y[:at]), (x[at:], y[at:])


def epoch_dataset(x, y, batch_size, seed, first_epoch):
    """tf.data batches: epoch ``e`` is a fixed permutation keyed by (seed, e).

    The same shuffled batches as ``fit(shuffle=True)`` would give, a new order
    each epoch, but built with one gather per epoch, and the order of an epoch
    does not depend on whether the run was interrupted before it.
    """
    # TensorFlow only here: the TensorFlow backend's fast path. Under
    # KERAS_BACKEND=jax there may be no TensorFlow, and fit takes plain arrays.
    import tensorflow as tf

    n = len(x)
    full = (n // batch_size) * batch_size
    x = tf.constant(x)
    y = tf.constant(y)

    def one_epoch(epoch):
        perm = tf.random.experimental.stateless_shuffle(
            tf.range(n), seed=tf.stack([tf.constant(seed, tf.int64), epoch]))
        xs, ys = tf.gather(x, perm), tf.gather(y, perm)
        batches = tf.data.Dataset.from_tensor_slices((
            tf.reshape(xs[:full], (-1, batch_size, x.shape[1])),
            tf.reshape(ys[:full], (-1, batch_size, y.shape[1]))))
        if full < n:
            batches = batches.concatenate(tf.data.Dataset.from_tensors((xs[full:], ys[full:])))
        return batches

    return tf.data.Dataset.range(first_epoch, 2**62).flat_map(one_epoch).prefetch(2)


def validation_dataset(x, y, batch_size):
    import tensorflow as tf  # see epoch_dataset

    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).cache()


def compile_model(model, steps_per_epoch, fast):
    # XLA gains nothing measurable on a model this small, and TensorFlow's
    # deterministic mode (same seed, same numbers) turns it off anyway.
    kwargs = {"steps_per_execution": steps_per_epoch, "jit_compile": False} if fast else {}
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse", **kwargs)


def train_network(run_dir, nodes, bits, settings, seed, fast=True):
    """Train (or finish training) one network; return its summary.

    ``fast=False`` trains the post's way, a plain ``fit`` on arrays (``bench`` compares the two).
    """
    net_dir = Path(run_dir) / "networks" / net_name(nodes, bits)
    summary_path = net_dir / "summary.json"
    if summary_path.exists():
        return read_json(summary_path)
    backend = runtime.setup()
    net_dir.mkdir(parents=True, exist_ok=True)
    label = f"{nodes:>2} nodes, max sum {max_sum(bits)}"
    x, y = make_pairs(settings.pairs, bits, data_seed(seed, bits, "train"))
    (x_train, y_train), (x_val, y_val) = split(x, y, settings.validation_split)
    batch = settings.batch_size
    steps = math.ceil(len(x_train) / batch)
    own_seed = network_seed(seed, nodes, bits)
    runtime.seed_everything(own_seed)
    model = build(nodes)
    compile_model(model, steps, fast)

    backup = net_dir / "backup"
    history_csv = str(net_dir / "history.csv")
    done = backup_epoch(backup)
    rows = truncate_history(history_csv, done)
    best, best_epoch, wait = resume_state(rows)
    if done:
        log(f"[{label}] resuming after epoch {done} (best val_loss {best:.4g} at epoch {best_epoch + 1})")
    times = EpochTimes()
    callbacks = [  # in this order at each epoch's end: the backup comes after what it covers
        keras.callbacks.ModelCheckpoint(str(net_dir / "best.weights.h5"), monitor="val_loss",
                                        save_best_only=True, save_weights_only=True,
                                        initial_value_threshold=best),
        keras.callbacks.CSVLogger(history_csv, append=True),
        ResumableEarlyStopping(monitor="val_loss", patience=settings.patience,
                               restored=(best, best_epoch, wait)),
        ProgressLog(label, settings.max_epochs, every=settings.log_every),
        Backup(str(backup), every=settings.backup_every, delete_checkpoint=False),
        times,
    ]
    start = time.perf_counter()
    finished = done >= settings.max_epochs or (done > 0 and wait >= settings.patience)
    if not finished:
        if fast and backend == "tensorflow":
            data = epoch_dataset(x_train, y_train, batch, own_seed, done)
            val = validation_dataset(x_val, y_val, batch)
            model.fit(data, epochs=settings.max_epochs, steps_per_epoch=steps, validation_data=val,
                      shuffle=False, callbacks=callbacks, verbose=0)
        else:
            model.fit(x_train, y_train, batch_size=batch, epochs=settings.max_epochs, shuffle=True,
                      validation_data=(x_val, y_val), callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start

    rows = truncate_history(history_csv, settings.max_epochs)
    best, best_epoch, _ = resume_state(rows)
    model.load_weights(str(net_dir / "best.weights.h5"))
    with atomic_path(net_dir / "model.keras") as tmp:
        model.save(str(tmp))
    summary = {
        "nodes": nodes, "bits": bits, "max_sum": max_sum(bits),
        "epochs": len(rows), "best_epoch": best_epoch + 1, "best_val_loss": best,
        "stopped_early": len(rows) < settings.max_epochs, "seconds": seconds,
        "epoch_seconds": times.seconds,
    }
    write_json(summary_path, summary)
    shutil.rmtree(backup, ignore_errors=True)
    log(f"[{label}] done: {len(rows)} epochs, best val_loss {best:.4g} at epoch {best_epoch + 1}, "
        f"{seconds:.0f}s")
    return summary
