"""``python -m addition bench``: the post's plain ``fit`` against ours, and the full grid's wall time.

Prints one JSON line on stdout. Both ways train the same network (16 hidden
nodes, max sum 16, the post's data and callbacks) for ``--epochs`` epochs with
early stopping held off; seconds per epoch are the median of the epochs after
the first (which pays for tracing). Then, unless ``--no-grid``, the whole full
profile's 15 networks train in a scratch folder, as ``python -m addition
--profile full`` would, and its wall time is reported.
"""
import json
import os
import statistics
import tempfile
import time

from shared.cli import ArgumentParser, log


def epoch_seconds(fast, epochs, seed, workdir):
    from addition.__main__ import PROFILES
    from addition.train import train_network

    settings = dict(PROFILES["full"], max_epochs=epochs, patience=10**9, fast=fast,
                    log_every=10**9)
    summary = train_network(os.path.join(workdir, "fast" if fast else "plain"), 16, 4, settings, seed)
    return statistics.median(summary["epoch_seconds"][1:])


def main(argv):
    p = ArgumentParser(prog="python -m addition bench", description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=30, help="epochs timed each way (default 30)")
    p.add_argument("--no-grid", action="store_true", help="skip training the full grid")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.epochs < 2:
        p.error("--epochs must be at least 2")
    from shared import runtime

    runtime.setup()
    out = {"network": "16 nodes, max sum 16", "epochs_timed": args.epochs, "workers": args.workers,
           "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="addition-bench-") as work:
        log(f"timing {args.epochs} epochs the post's way (plain fit)")
        plain = epoch_seconds(False, args.epochs, args.seed, work)
        log(f"timing {args.epochs} epochs our way")
        ours = epoch_seconds(True, args.epochs, args.seed, work)
        out.update(plain_s_per_epoch=round(plain, 5), ours_s_per_epoch=round(ours, 5),
                   ratio=round(plain / ours, 2))
        if not args.no_grid:
            from addition.__main__ import PROFILES
            from addition.train import train_grid

            settings = dict(PROFILES["full"], profile="full")
            log(f"training the full grid ({len(settings['nodes']) * len(settings['bits'])} networks)")
            start = time.perf_counter()
            summaries = train_grid(os.path.join(work, "grid"), settings, args.seed, args.workers)
            out["grid_wall_s"] = round(time.perf_counter() - start, 1)
            out["grid_epochs"] = sum(s["epochs"] for s in summaries.values())
    print(json.dumps(out), flush=True)
    return 0
