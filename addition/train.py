"""Training the grid: one network per (hidden nodes, max sum), each in its own folder.

Each network trains with Keras' own ``fit`` and callbacks, as the post did: Adam,
MSE, batches of 32, ``validation_split`` 0.2 (the last 20 % of the pairs), up to
1000 epochs, EarlyStopping on val_loss with patience 5, the best model by val_loss
kept (ModelCheckpoint) and every epoch logged (CSVLogger).

Two things are added around it. :class:`shared.training.Resume` backs a network up
every few epochs, so that an interrupted one continues where it stopped and ends
as an uninterrupted one would. And on TensorFlow, :mod:`addition.fast_path` runs
each epoch as one compiled call with the same math; several networks train side
by side in worker processes (:mod:`addition.pool`).
"""
import time
from pathlib import Path

import keras

from addition import fast_path
from addition.data import data_seed, make_pairs, max_sum, net_name, network_seed, split
from addition.models import build
from addition.pool import run_each
from shared import runtime
from shared.cli import log
from shared.runs import read_json, save_model, write_json
from shared.training import EpochTimes, ProgressLog, Resume, read_history, resume_state


def train_network(run_dir, nodes, bits, config, seed, fast=True):
    """Train (or finish training) one network; return its summary.

    ``fast=False`` trains the post's way, a plain ``fit`` on arrays (``bench`` compares the two).
    """
    folder = Path(run_dir) / "networks" / net_name(nodes, bits)
    if (folder / "summary.json").exists():
        return read_json(folder / "summary.json")
    backend = runtime.setup()
    folder.mkdir(parents=True, exist_ok=True)
    label = f"{nodes:>2} nodes, max sum {max_sum(bits)}"

    # The data: random pairs and their sums; the last 20 % validate.
    x, y = make_pairs(config.pairs, bits, data_seed(seed, bits, "train"))
    (x_train, y_train), (x_val, y_val) = split(x, y, config.validation_split)
    steps = -(-len(x_train) // config.batch_size)

    # The model: two inputs, `nodes` sigmoid units, one linear output.
    own_seed = network_seed(seed, nodes, bits)  # the initial weights', and the fast path's epoch order
    runtime.seed_everything(own_seed)
    model = build(nodes)
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse",
                  **(fast_path.compile_options(steps) if fast else {}))

    early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.patience)
    times = EpochTimes()
    callbacks = [
        keras.callbacks.ModelCheckpoint(str(folder / "best.weights.h5"), monitor="val_loss",
                                        save_best_only=True, save_weights_only=True),
        keras.callbacks.CSVLogger(str(folder / "history.csv"), append=True),
        early_stopping,
        ProgressLog(label, config.max_epochs, every=config.log_every),
        times,
    ]
    resume = Resume(folder, run_dir, label=f"[{label}] ")
    start = time.perf_counter()
    if not resume.finished(config.max_epochs, early_stopping):
        callbacks = resume.callbacks(callbacks, every=config.backup_every)
        if fast and backend == "tensorflow":
            model.fit(fast_path.epochs_dataset(x_train, y_train, config.batch_size, own_seed, resume.epoch),
                      steps_per_epoch=steps, epochs=config.max_epochs, shuffle=False,
                      validation_data=fast_path.validation_dataset(x_val, y_val, config.batch_size),
                      callbacks=callbacks, verbose=0)
        else:
            model.fit(x_train, y_train, batch_size=config.batch_size, epochs=config.max_epochs, shuffle=True,
                      validation_data=(x_val, y_val), callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start
    return finish_network(folder, model, nodes, bits, config, seconds, times.seconds, label)


def finish_network(folder, model, nodes, bits, config, seconds, epoch_seconds, label):
    """The best epoch's weights as ``model.keras``, and the network's ``summary.json``."""
    rows = read_history(folder / "history.csv")
    best, best_epoch, _ = resume_state(rows)
    model.load_weights(str(folder / "best.weights.h5"))
    save_model(model, folder / "model.keras")
    summary = {
        "nodes": nodes, "bits": bits, "max_sum": max_sum(bits),
        "epochs": len(rows), "best_epoch": best_epoch + 1, "best_val_loss": best,
        "stopped_early": len(rows) < config.max_epochs, "seconds": seconds, "epoch_seconds": epoch_seconds,
    }
    write_json(folder / "summary.json", summary)
    Resume.clear(folder)
    log(f"[{label}] done: {len(rows)} epochs, best val_loss {best:.4g} at epoch {best_epoch + 1}, {seconds:.0f}s")
    return summary


def train(config, run_dir, seed=0, workers=1):
    """Train every network of the grid not trained yet; return all their summaries by name.

    ``config`` is an :class:`addition.config.Config`; ``workers`` networks train side by
    side, each in a process of its own (from a script, that needs the usual
    ``if __name__ == "__main__":`` guard). Networks already trained in ``run_dir``
    are kept, and one interrupted halfway continues from its backup.
    """
    runtime.setup()
    run_dir = Path(run_dir)
    jobs = [(nodes, bits) for bits in config.bits for nodes in config.nodes]
    pending = [job for job in jobs if not (run_dir / "networks" / net_name(*job) / "summary.json").exists()]
    workers = max(1, min(workers, len(pending)))
    if pending:
        log(f"training {len(pending)} of {len(jobs)} networks "
            f"({workers} at a time, up to {config.max_epochs} epochs each)")
    run_each(train_network, [(run_dir, nodes, bits, config, seed) for nodes, bits in pending], workers)
    return {net_name(*job): read_json(run_dir / "networks" / net_name(*job) / "summary.json") for job in jobs}
