"""The bench: the genetic-ish algorithm, batched, against one run at a time.

Makes ``count`` (1000) '2's against the 784-100-10 network with the full
profile's tolerance, all runs side by side (populations scored in one batch), and
reports the wall time, generations per second (one generation of one run counted
once) and the share at ≥ 99.99 % confidence. Then the same work one run and one
image at a time, as the post's R loop and Rcpp did, for ``serial`` runs,
extrapolated to ``count``, and the ratio. ``python -m mnist_adversarial bench``
prints it as one JSON line.
"""
import time

import numpy as np

from mnist_adversarial import genetic, play
from mnist_adversarial.config import FULL
from mnist_adversarial.data import load
from mnist_adversarial.ga_experiments import ga_settings, scorer
from mnist_adversarial.image_stats import histogram
from shared import runtime
from shared.cli import log


def run(networks, count=1000, serial=20, digit=2, seed=0):
    """Time the GA on the networks run ``networks``; a dict of the figures."""
    nets = play.load(networks)
    (xtr, ytr), _ = load()
    runtime.seed_everything(seed)
    model = nets.models["mlp100"]
    score = scorer(model)
    settings = ga_settings(FULL)
    cum = genetic.cumulative(histogram(xtr[ytr == digit]))
    digits = np.full(count, digit)
    cums = np.repeat(cum[None], count, 0)
    rng = np.random.default_rng(seed)
    score(np.zeros((1, 784), "float32"))  # warm up
    log(f"{count} runs side by side")
    start = time.perf_counter()
    r = genetic.evolve(score, digits, cums, settings, rng, chunk=count)
    batched = time.perf_counter() - start
    conf = score(r["images"])[:, digit]
    log(f"{serial} runs one at a time, each image fed forward on its own (as the Rcpp did)")
    (w1, b1), (w2, b2) = (layer.get_weights() for layer in model.layers)
    sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))

    def one_image_at_a_time(x):
        return np.stack([sigmoid(sigmoid(img @ w1 + b1) @ w2 + b2) for img in x])

    start = time.perf_counter()
    s = genetic.evolve(one_image_at_a_time, digits[:serial], cums[:serial], settings, rng, chunk=1)
    serial_s = time.perf_counter() - start
    per_run_batched_gens = float(r["generations"].mean())
    per_run_serial_gens = float(s["generations"].mean())
    # one-at-a-time cost per generation, scaled to the batched runs' generations
    serial_estimate = serial_s / max(1, s["generations"].sum() + serial) * \
        (r["generations"].sum() + count)
    return {
        "network": f"mlp100 from {nets.path}", "digit": digit, "runs": count,
        "tol": settings.tol, "batched_wall_s": round(batched, 2),
        "generations_per_s": round(float((r["generations"] + 1).sum()) / batched, 1),
        "mean_generations": round(per_run_batched_gens, 1),
        "converged": float(r["converged"].mean()),
        "share_at_9999": float(np.mean(conf >= 0.9999)),
        "one_at_a_time_runs": serial, "one_at_a_time_s": round(serial_s, 2),
        "one_at_a_time_mean_generations": round(per_run_serial_gens, 1),
        "one_at_a_time_estimate_s": round(serial_estimate, 1),
        "ratio": round(serial_estimate / batched, 1),
    }
