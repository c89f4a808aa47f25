"""The training: the post's network, its 30-neuron sibling and a CNN, with Keras' ``fit``.

Each network trains on the first ``n_train`` training images and validates on
the last 10,000 (the book's split), logs every epoch (CSVLogger), backs up each
epoch (:class:`shared.training.Resume`, so a resumed run continues where it stopped), and is
saved as ``nets/<name>/model.keras`` with its ``history.csv`` and a
``summary.json`` (test accuracy on the MNIST test images, weights, epochs).
A network whose summary.json exists is done and is not trained again.
"""
import time
from pathlib import Path

import numpy as np

from mnist_adversarial.config import NETWORKS
from mnist_adversarial.data import load, one_hot
from mnist_adversarial.models import build
from shared import runs, runtime
from shared.cli import log


def net_dir(run_dir, name):
    """Where a networks run keeps one network's files."""
    return Path(run_dir) / "nets" / name


def split(settings, data=None):
    """(train, validation, test) arrays: the first ``n_train`` training images, the first
    ``n_val`` of the last 10,000, and the test set. ``data`` is :func:`data.load`'s pair."""
    (xtr, ytr), (xte, yte) = data if data is not None else load(limit_test=settings.n_test)
    n, v = settings.n_train, settings.n_val
    return (xtr[:n], ytr[:n]), (xtr[50000:][:v], ytr[50000:][:v]), (xte, yte)


def train_one(run_dir, name, settings, seed, data):
    """Train (or finish training) one network; return its summary."""
    # Keras is imported here, after runtime.setup(): a bad input is reported before it loads
    import keras

    from shared.training import EpochTimes, ProgressLog, Resume

    folder = net_dir(run_dir, name)
    if (folder / "summary.json").exists():
        return runs.read_run_json(run_dir, f"nets/{name}/summary.json")
    folder.mkdir(parents=True, exist_ok=True)
    (xtr, ytr), (xval, yval), (xte, yte) = data
    runtime.seed_everything(seed + NETWORKS.index(name))
    model = build(name, eta=settings.eta, lmbda=settings.lmbda, n_train=len(xtr))
    epochs = settings.cnn_epochs if name == "cnn" else settings.epochs
    batch = settings.cnn_batch if name == "cnn" else settings.batch
    times = EpochTimes()
    callbacks = [keras.callbacks.CSVLogger(str(folder / "history.csv"), append=True),
                 ProgressLog(name, epochs, every=settings.log_every, monitor="val_categorical_accuracy"),
                 times]
    resume = Resume(folder, run_dir, label=f"[{name}] ")
    start = time.perf_counter()
    model.fit(xtr, one_hot(ytr), batch_size=batch, epochs=epochs, shuffle=True,
              validation_data=(xval, one_hot(yval)), verbose=0, callbacks=resume.callbacks(callbacks))
    seconds = time.perf_counter() - start
    runs.save_model(model, folder / "model.keras")
    pred = np.argmax(model.predict(xte, batch_size=1000, verbose=0), axis=1)
    summary = {"name": name, "test_accuracy": float(np.mean(pred == yte)), "epochs": epochs,
               "params": int(model.count_params()), "seconds": seconds, "epoch_seconds": times.seconds}
    runs.write_json(folder / "summary.json", summary)
    Resume.clear(folder)
    log(f"[{name}] test accuracy {summary['test_accuracy']:.2%} after {epochs} epochs ({seconds:.0f}s)")
    return summary


def train(settings, run_dir, seed=0, data=None):
    """Train the three networks into ``run_dir``: (results, timings).

    ``results`` per network: name, test_accuracy, epochs, params; ``timings``:
    seconds of training per network. ``data`` is :func:`split`'s triple (loaded
    from ``settings`` when None).
    """
    data = data if data is not None else split(settings)
    summaries = {name: train_one(run_dir, name, settings, seed, data) for name in NETWORKS}
    results = {name: {k: v for k, v in s.items() if k not in ("seconds", "epoch_seconds")}
               for name, s in summaries.items()}
    timings = {name: s["seconds"] for name, s in summaries.items()}
    return results, timings
