"""Speed: the post's plain ``fit`` against ours, and the full grid's wall time.

Both ways train the same network (16 hidden nodes, max sum 16, the post's data
and callbacks) for ``epochs`` epochs with early stopping held off; seconds per
epoch are the median of the epochs after the first (which pays for tracing).
Then, if ``grid``, the full profile's 15 networks train in a scratch folder, as
``python -m addition --profile full`` would, and its wall time is reported.
"""
import os
import statistics
import tempfile
import time
from dataclasses import replace

from addition.config import FULL
from shared import runtime
from shared.cli import log


def bench(epochs=30, grid=True, workers=1, seed=0):
    """The figures ``python -m addition bench`` prints, as a dict."""
    runtime.setup()
    # Keras loads only now (quietly, through runtime.setup), so that the command
    # line checks its arguments first.
    from addition.train import train, train_network

    def epoch_seconds(fast, workdir):
        settings = replace(FULL, max_epochs=epochs, patience=10**9, log_every=10**9)
        summary = train_network(os.path.join(workdir, "fast" if fast else "plain"), 16, 4, settings, seed,
                                fast=fast)
        return statistics.median(summary["epoch_seconds"][1:])  # the first epoch pays for tracing

    out = {"network": "16 nodes, max sum 16", "epochs_timed": epochs, "workers": workers,
           "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="addition-bench-") as work:
        log(f"timing {epochs} epochs the post's way (plain fit)")
        plain = epoch_seconds(False, work)
        log(f"timing {epochs} epochs our way")
        ours = epoch_seconds(True, work)
        out.update(plain_s_per_epoch=round(plain, 5), ours_s_per_epoch=round(ours, 5),
                   ratio=round(plain / ours, 2))
        if grid:
            log(f"training the full grid ({len(FULL.nodes) * len(FULL.bits)} networks)")
            start = time.perf_counter()
            summaries = train(FULL, os.path.join(work, "grid"), seed, workers)
            out["grid_wall_s"] = round(time.perf_counter() - start, 1)
            out["grid_epochs"] = sum(s["epochs"] for s in summaries.values())
    return out
