"""Training the grid: one network per (hidden nodes, max sum), each its own folder.

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
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from addition.data import data_seed, make_pairs, max_sum
from shared.cli import log
from shared.runs import read_json, write_json


def net_name(nodes, bits):
    return f"n{nodes}_s{max_sum(bits)}"


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


def compile_model(model, steps_per_epoch, fast):
    import keras

    # XLA gains nothing measurable on a model this small, and TensorFlow's
    # deterministic mode (same seed, same numbers) turns it off anyway.
    kwargs = {"steps_per_execution": steps_per_epoch, "jit_compile": False} if fast else {}
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse", **kwargs)


def train_network(run_dir, nodes, bits, settings, seed, threads=None):
    """Train (or finish training) one network; return its summary."""
    from shared import runtime

    net_dir = Path(run_dir) / "networks" / net_name(nodes, bits)
    summary_path = net_dir / "summary.json"
    if summary_path.exists():
        return read_json(summary_path)
    backend = runtime.setup(threads=threads)
    import keras

    from addition.models import build
    from shared.training import (EpochBackup, EpochTimes, ProgressLog, ResumableEarlyStopping,
                                 backup_epoch, resume_state, truncate_history)

    net_dir.mkdir(parents=True, exist_ok=True)
    label = f"{nodes:>2} nodes, max sum {max_sum(bits)}"
    x, y = make_pairs(settings["pairs"], bits, data_seed(seed, bits, "train"))
    (x_train, y_train), (x_val, y_val) = split(x, y, settings["validation_split"])
    batch = settings["batch_size"]
    steps = math.ceil(len(x_train) / batch)
    own_seed = network_seed(seed, nodes, bits)
    runtime.seed_everything(own_seed)
    model = build(nodes)
    fast = settings.get("fast", True)
    compile_model(model, steps, fast)

    backup = net_dir / "backup"
    history_csv = str(net_dir / "history.csv")
    done = backup_epoch(backup)
    rows = truncate_history(history_csv, done)
    best, best_epoch, wait = resume_state(rows)
    max_epochs, patience = settings["max_epochs"], settings["patience"]
    if done:
        log(f"[{label}] resuming after epoch {done} (best val_loss {best:.4g} at epoch {best_epoch + 1})")
    callbacks = [
        EpochBackup(str(backup), every=settings.get("backup_every", 10), double_checkpoint=True,
                    delete_checkpoint=False),
        keras.callbacks.CSVLogger(history_csv, append=True),
        ResumableEarlyStopping(monitor="val_loss", patience=patience, restored=(best, best_epoch, wait)),
        keras.callbacks.ModelCheckpoint(str(net_dir / "best.weights.h5"), monitor="val_loss",
                                        save_best_only=True, save_weights_only=True,
                                        initial_value_threshold=best),
        ProgressLog(label, max_epochs, every=settings.get("log_every", 100)),
        EpochTimes(),
    ]
    start = time.perf_counter()
    finished = done >= max_epochs or (done > 0 and wait >= patience)
    if not finished:
        if fast and backend == "tensorflow":
            import tensorflow as tf

            data = epoch_dataset(x_train, y_train, batch, own_seed, done)
            val = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(batch).cache()
            model.fit(data, epochs=max_epochs, steps_per_epoch=steps, validation_data=val,
                      shuffle=False, callbacks=callbacks, verbose=0)
        else:
            model.fit(x_train, y_train, batch_size=batch, epochs=max_epochs, shuffle=True,
                      validation_data=(x_val, y_val), callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start

    rows = truncate_history(history_csv, max_epochs)
    best, best_epoch, _ = resume_state(rows)
    model.load_weights(str(net_dir / "best.weights.h5"))
    model.save(str(net_dir / "model.keras"))
    summary = {
        "nodes": nodes, "bits": bits, "max_sum": max_sum(bits),
        "epochs": len(rows), "best_epoch": best_epoch + 1, "best_val_loss": best,
        "stopped_early": len(rows) < max_epochs, "seconds": seconds,
        "epoch_seconds": callbacks[-1].seconds,
    }
    write_json(summary_path, summary)
    shutil.rmtree(backup, ignore_errors=True)
    log(f"[{label}] done: {len(rows)} epochs, best val_loss {best:.4g} at epoch {best_epoch + 1}, "
        f"{seconds:.0f}s")
    return summary


def _worker_init():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def train_grid(run_dir, settings, seed, workers):
    """Train every network of the grid that is not trained yet; return their summaries."""
    jobs = [(nodes, bits) for bits in settings["bits"] for nodes in settings["nodes"]]
    pending = [job for job in jobs
               if not (Path(run_dir) / "networks" / net_name(*job) / "summary.json").exists()]
    workers = max(1, min(workers, len(pending)))
    if pending:
        log(f"training {len(pending)} of {len(jobs)} networks "
            f"({workers} at a time, up to {settings['max_epochs']} epochs each)")
    if workers == 1:
        for nodes, bits in pending:
            train_network(run_dir, nodes, bits, settings, seed)
    elif pending:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                                 initializer=_worker_init) as pool:
            futures = [pool.submit(train_network, str(run_dir), nodes, bits, settings, seed, 1)
                       for nodes, bits in pending]
            try:
                for future in as_completed(futures):
                    future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return {net_name(*job): read_json(Path(run_dir) / "networks" / net_name(*job) / "summary.json")
            for job in jobs}
