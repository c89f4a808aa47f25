"""Experiment ``networks``: train the post's network, its 30-neuron sibling and a CNN.

Each network trains with Keras' ``fit`` on the first 50,000 training images and
validates on the last 10,000 (the book's split), logs every epoch (CSVLogger),
backs up each epoch (BackupAndRestore, so ``--resume`` continues), and is saved
as ``nets/<name>/model.keras`` with its ``history.csv``. Test accuracy is
measured on the 10,000 MNIST test images.
"""
import time
from pathlib import Path

import numpy as np

from mnist_adversarial.data import load, one_hot
from shared.cli import log
from shared.runs import read_json, write_json

NAMES = ("mlp100", "mlp30", "cnn")


def net_dir(run_dir, name):
    return Path(run_dir) / "nets" / name


def train_one(run_dir, name, settings, seed, data):
    import keras

    from mnist_adversarial.models import build
    from shared import runtime
    from shared.training import EpochTimes, ProgressLog, backup_epoch, truncate_history

    folder = net_dir(run_dir, name)
    if (folder / "summary.json").exists():
        return read_json(folder / "summary.json")
    folder.mkdir(parents=True, exist_ok=True)
    (xtr, ytr), (xval, yval), (xte, yte) = data
    runtime.seed_everything(seed + NAMES.index(name))
    model = build(name, dict(settings, n_train=len(xtr)))
    epochs = settings["cnn_epochs"] if name == "cnn" else settings["epochs"]
    batch = settings["cnn_batch"] if name == "cnn" else settings["batch"]
    backup = folder / "backup"
    done = backup_epoch(backup)
    truncate_history(str(folder / "history.csv"), done)
    if done:
        log(f"[{name}] resuming after epoch {done}")
    times = EpochTimes()
    start = time.perf_counter()
    model.fit(xtr, one_hot(ytr), batch_size=batch, epochs=epochs, shuffle=True,
              validation_data=(xval, one_hot(yval)), verbose=0,
              callbacks=[keras.callbacks.BackupAndRestore(str(backup), delete_checkpoint=False),
                         keras.callbacks.CSVLogger(str(folder / "history.csv"), append=True),
                         ProgressLog(name, epochs, every=settings["log_every"],
                                     monitor="val_categorical_accuracy"),
                         times])
    seconds = time.perf_counter() - start
    model.save(str(folder / "model.keras"))
    pred = np.argmax(model.predict(xte, batch_size=1000, verbose=0), axis=1)
    summary = {"name": name, "test_accuracy": float(np.mean(pred == yte)), "epochs": epochs,
               "params": int(model.count_params()), "seconds": seconds,
               "epoch_seconds": times.seconds}
    write_json(folder / "summary.json", summary)
    import shutil

    shutil.rmtree(backup, ignore_errors=True)
    log(f"[{name}] test accuracy {summary['test_accuracy']:.2%} after {epochs} epochs ({seconds:.0f}s)")
    return summary


def split(settings):
    (xtr, ytr), (xte, yte) = load(limit_test=settings.get("n_test"))
    n = settings["n_train"]
    return (xtr[:n], ytr[:n]), (xtr[50000:][:settings["n_val"]], ytr[50000:][:settings["n_val"]]), (xte, yte)


def run(run_dir, settings, seed):
    data = split(settings)
    summaries = {name: train_one(run_dir, name, settings, seed, data) for name in NAMES}
    results = {name: {k: v for k, v in s.items() if k not in ("seconds", "epoch_seconds")}
               for name, s in summaries.items()}
    timings = {name: s["seconds"] for name, s in summaries.items()}
    return results, timings


def load_model(networks_dir, name):
    import keras

    from mnist_adversarial.models import CUSTOM_OBJECTS

    return keras.saving.load_model(str(net_dir(networks_dir, name) / "model.keras"),
                                   custom_objects=CUSTOM_OBJECTS)
