"""``python -m mnist_adversarial bench``: the genetic-ish algorithm, batched against one run at a time.

Prints one JSON line. Makes ``--count`` (1000) '2's against the 784-100-10
network with the full profile's tolerance, all runs side by side (populations
scored in one batch), and reports the wall time, generations per second (one
generation of one run counted once) and the share at ≥ 99.99 % confidence. Then
the same work one run and one image at a time, as the post's R loop and Rcpp did, for
``--serial`` runs, extrapolated to ``--count``, and the ratio.
"""
import json
import time

import numpy as np

from shared.cli import ArgumentParser, log


def main(argv):
    p = ArgumentParser(prog="python -m mnist_adversarial bench", description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--serial", type=int, default=20, help="runs timed one at a time (default 20)")
    p.add_argument("--digit", type=int, default=2)
    p.add_argument("--networks", metavar="RUN_DIR")
    p.add_argument("--out", default="runs")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if not 0 <= args.digit <= 9:
        p.error(f"unknown digit {args.digit}: digits are 0 to 9")
    if args.count < 1 or args.serial < 1:
        p.error("--count and --serial must be at least 1")
    from mnist_adversarial.__main__ import PROFILES, find_networks
    from mnist_adversarial.data import load

    nets = find_networks(args, "full")
    (xtr, ytr), _ = load()
    from shared import runtime

    runtime.setup(seed=args.seed)
    from mnist_adversarial import genetic
    from mnist_adversarial.experiments import ga_settings, scorer
    from mnist_adversarial.networks import load_model
    from mnist_adversarial.stats import histogram

    model = load_model(nets, "mlp100")
    score = scorer(model)
    settings = ga_settings(PROFILES["full"])
    cum = genetic.cumulative(histogram(xtr[ytr == args.digit]))
    digits = np.full(args.count, args.digit)
    cums = np.repeat(cum[None], args.count, 0)
    rng = np.random.default_rng(args.seed)
    score(np.zeros((1, 784), "float32"))  # warm up
    log(f"{args.count} runs side by side")
    start = time.perf_counter()
    r = genetic.evolve(score, digits, cums, settings, rng, chunk=args.count)
    batched = time.perf_counter() - start
    conf = score(r["images"])[:, args.digit]
    log(f"{args.serial} runs one at a time, each image fed forward on its own (as the Rcpp did)")
    (w1, b1), (w2, b2) = (layer.get_weights() for layer in model.layers)
    sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))

    def one_image_at_a_time(x):
        return np.stack([sigmoid(sigmoid(img @ w1 + b1) @ w2 + b2) for img in x])

    start = time.perf_counter()
    s = genetic.evolve(one_image_at_a_time, digits[:args.serial], cums[:args.serial], settings, rng,
                       chunk=1)
    serial = time.perf_counter() - start
    per_run_batched_gens = float(r["generations"].mean())
    per_run_serial_gens = float(s["generations"].mean())
    # one-at-a-time cost per generation, scaled to the batched runs' generations
    serial_estimate = serial / max(1, s["generations"].sum() + args.serial) * \
        (r["generations"].sum() + args.count)
    out = {
        "network": f"mlp100 from {nets}", "digit": args.digit, "runs": args.count,
        "tol": settings.tol, "batched_wall_s": round(batched, 2),
        "generations_per_s": round(float((r["generations"] + 1).sum()) / batched, 1),
        "mean_generations": round(per_run_batched_gens, 1),
        "converged": float(r["converged"].mean()),
        "share_at_9999": float(np.mean(conf >= 0.9999)),
        "one_at_a_time_runs": args.serial, "one_at_a_time_s": round(serial, 2),
        "one_at_a_time_mean_generations": round(per_run_serial_gens, 1),
        "one_at_a_time_estimate_s": round(serial_estimate, 1),
        "ratio": round(serial_estimate / batched, 1),
    }
    print(json.dumps(out), flush=True)
    return 0
